//! The library screen.

use chrono::Local;
use tandem_core::contract::ListPairs;
use tauri::State;

use super::{Args, Reply};
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_pairs(state: State<'_, AppState>, args: Args<ListPairs>) -> Reply<ListPairs> {
    let _ = args;
    super::library(&state)?
        .list(Local::now().date_naive())
        .map_err(|e| e.to_ipc())
}
