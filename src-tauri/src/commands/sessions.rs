//! Logging sessions and typing in their notes.

use chrono::{Local, Utc};
use tandem_core::dto::{IpcError, NewSession, TextSplice};
use tandem_core::view::PairView;
use tauri::State;

use crate::window::AppState;

#[tauri::command(async)]
pub fn log_session(
    state: State<'_, AppState>,
    id: String,
    input: NewSession,
) -> Result<PairView, IpcError> {
    let (_, mut v) = super::library(&state)?
        .log_session(&id, &input, Utc::now())
        .map_err(|e| e.to_ipc())?;
    v.refresh(Local::now().date_naive());
    Ok(v)
}

/// One keystroke-sized edit; durable with the next batch (≤ 1 s or 25 edits).
#[tauri::command(async)]
pub fn splice_text(
    state: State<'_, AppState>,
    id: String,
    edit: TextSplice,
) -> Result<(), IpcError> {
    super::library(&state)?
        .splice_text(&id, &edit, Utc::now())
        .map_err(|e| e.to_ipc())
}
