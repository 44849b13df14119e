//! Typing in a session's notes and agenda.

use chrono::Utc;
use tandem_core::dto::{IpcError, TextSplice};
use tauri::State;

use crate::window::AppState;

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
