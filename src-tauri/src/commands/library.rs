//! The library screen, and searching everything in it.

use chrono::Local;
use tandem_core::contract::{ListPairs, Search, TakeSearchNotice};
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

/// Searches the index the sync service keeps (opened, and made or rebuilt, on first use).
#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, args: Args<Search>) -> Reply<Search> {
    state.service.search(&args).map_err(|e| e.to_ipc())
}

/// Why the search index was rebuilt since the window opened, once (the page shows it until the
/// person dismisses it).
#[tauri::command(async)]
pub fn take_search_notice(
    state: State<'_, AppState>,
    args: Args<TakeSearchNotice>,
) -> Reply<TakeSearchNotice> {
    let _ = args;
    Ok(state.service.take_search_notice())
}
