//! Creating, opening and adding goals to a pair.

use chrono::{Local, Utc};
use tandem_core::dto::{IpcError, NewGoal, NewPair};
use tandem_core::view::PairView;
use tauri::{AppHandle, Manager, State};

use crate::window::AppState;

fn today(mut v: PairView) -> PairView {
    v.refresh(Local::now().date_naive());
    v
}

#[tauri::command(async)]
pub fn create_pair(state: State<'_, AppState>, input: NewPair) -> Result<PairView, IpcError> {
    super::library(&state)?
        .create_pair(&input, Utc::now())
        .map(today)
        .map_err(|e| e.to_ipc())
}

/// Serves the pair from its view cache at once, then loads its CRDT in the background so the
/// first keystroke does not wait for it.
#[tauri::command(async)]
pub fn get_pair(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<PairView, IpcError> {
    let view = super::library(&state)?
        .view(&id)
        .map(today)
        .map_err(|e| e.to_ipc())?;
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        if let Ok(mut lib) = state.library.lock()
            && let Err(e) = lib.preload(&id)
        {
            tracing::warn!(pair = %id, error = %e, "could not load the pair in the background");
        }
    });
    Ok(view)
}

#[tauri::command(async)]
pub fn add_goal(
    state: State<'_, AppState>,
    id: String,
    input: NewGoal,
) -> Result<PairView, IpcError> {
    super::library(&state)?
        .add_goal(&id, &input, Utc::now())
        .map(today)
        .map_err(|e| e.to_ipc())
}
