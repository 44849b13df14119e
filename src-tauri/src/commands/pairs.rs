//! Creating, opening and adding goals to a pair.

use chrono::{Local, Utc};
use tandem_core::dto::{IpcError, NewGoal, NewPair};
use tandem_core::view::PairView;
use tauri::State;

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

#[tauri::command(async)]
pub fn get_pair(state: State<'_, AppState>, id: String) -> Result<PairView, IpcError> {
    super::library(&state)?
        .view(&id)
        .map(today)
        .map_err(|e| e.to_ipc())
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
