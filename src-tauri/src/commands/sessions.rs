//! Typing in a session's notes and agenda.

use chrono::Utc;
use tandem_core::contract::SpliceText;
use tauri::State;

use super::{Args, Reply};
use crate::state::AppState;

/// One keystroke-sized edit; durable with the next batch (≤ 1 s or 25 edits).
#[tauri::command(async)]
pub fn splice_text(state: State<'_, AppState>, args: Args<SpliceText>) -> Reply<SpliceText> {
    super::library(&state)?
        .splice_text(&args.id, &args.edit, Utc::now())
        .map_err(|e| e.to_ipc())
}
