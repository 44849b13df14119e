//! Creating, opening and editing a pair.

use chrono::{Local, Utc};
use tandem_core::dto::{Edit, IpcError, NewPair};
use tandem_core::history::HistoryEntry;
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

/// What an edit returns to the window: the id it created, if any, and the pair as it now is.
#[derive(Debug, serde::Serialize)]
pub struct Edited {
    pub created: Option<String>,
    pub pair: PairView,
}

/// Every discrete change to a pair (log a session, agree a goal, end the pair, …): one command,
/// one library call, durable before it returns.
#[tauri::command(async)]
pub fn edit_pair(state: State<'_, AppState>, id: String, edit: Edit) -> Result<Edited, IpcError> {
    let (applied, view) = super::library(&state)?
        .apply(&id, &edit, Utc::now())
        .map_err(|e| e.to_ipc())?;
    Ok(Edited {
        created: applied.created,
        pair: today(view),
    })
}

/// Who changed what and when, newest first.
#[tauri::command(async)]
pub fn pair_history(state: State<'_, AppState>, id: String) -> Result<Vec<HistoryEntry>, IpcError> {
    super::library(&state)?
        .history(&id, 200)
        .map_err(|e| e.to_ipc())
}

/// Writes the agreed schedule as an .ics file into `$TANDEM_EXPORT_DIR`, else the Downloads
/// folder, else the home folder, and returns where, for the window to say so.
#[tauri::command(async)]
pub fn export_schedule(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    let mut lib = super::library(&state)?;
    let ics = lib.schedule_ics(&id).map_err(|e| e.to_ipc())?;
    let title = lib.view(&id).map_err(|e| e.to_ipc())?.title;
    drop(lib);
    super::save_export(&format!("{} schedule.ics", title.trim()), ics.as_bytes())
}

#[tauri::command(async)]
pub fn get_private_notes(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    super::library(&state)?
        .private_notes(&id)
        .map_err(|e| e.to_ipc())
}

#[tauri::command(async)]
pub fn set_private_notes(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<(), IpcError> {
    super::library(&state)?
        .set_private_notes(&id, &text, Utc::now())
        .map_err(|e| e.to_ipc())
}
