//! The library screen.

use chrono::Local;
use tandem_core::dto::IpcError;
use tandem_core::view::LibraryView;
use tauri::State;

use crate::window::AppState;

#[tauri::command(async)]
pub fn list_pairs(state: State<'_, AppState>) -> Result<LibraryView, IpcError> {
    super::library(&state)?
        .list(Local::now().date_naive())
        .map_err(|e| e.to_ipc())
}
