//! Creating, opening and editing a pair, its history and calendar, and its private notes.

use chrono::{Local, Utc};
use tandem_core::contract::{
    CreatePair, EditPair, Edited, ExportSchedule, GetPair, GetPrivateNotes, PairHistory,
    PrepareEdit, SetPrivateNotes,
};
use tandem_core::pair::{Pair, PairView};
use tandem_core::private::{Private, PrivateEdit};
use tandem_sync::DocId;
use tauri::{AppHandle, Manager, State};

use super::{Args, Reply};
use crate::state::AppState;

fn today(mut v: PairView) -> PairView {
    v.refresh(Local::now().date_naive());
    v
}

#[tauri::command(async)]
pub fn create_pair(state: State<'_, AppState>, args: Args<CreatePair>) -> Reply<CreatePair> {
    super::library(&state)?
        .create_pair(&args.input, Utc::now())
        .map(today)
        .map_err(|e| e.to_ipc())
}

/// Serves the pair from its view cache: opening a pair never loads its CRDT.
#[tauri::command(async)]
pub fn get_pair(state: State<'_, AppState>, args: Args<GetPair>) -> Reply<GetPair> {
    super::library(&state)?
        .view::<Pair>(&args.id)
        .map(today)
        .map_err(|e| e.to_ipc())
}

/// Loads the pair's CRDT in the background once the person starts to edit: the first keystroke
/// then finds it ready. Opening a pair does not load it (the 5-year pair's CRDT is ~80 MB of
/// memory and ~0.4 s of a core, for a page that may only be read).
#[tauri::command(async)]
pub fn prepare_edit(app: AppHandle, args: Args<PrepareEdit>) -> Reply<PrepareEdit> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let started = std::time::Instant::now();
        let Ok(mut lib) = state.service.lock() else {
            return;
        };
        match lib.preload(&DocId::pair(args.id.clone())) {
            Ok(()) => tracing::info!(
                pair = %args.id,
                ms = started.elapsed().as_millis() as u64,
                "loaded the pair whole for editing"
            ),
            Err(e) => {
                tracing::warn!(pair = %args.id, error = %e, "could not load the pair in the background");
            }
        }
    });
    Ok(())
}

/// Every discrete change to a pair (log a session, agree a goal, end the pair, …): one command,
/// one library call, durable before it returns.
/// A change made but not yet on disk (a full disk) is shown as made: the window keeps it, the
/// service writes it as soon as there is room, and the save-problem banner says so meanwhile.
#[tauri::command(async)]
pub fn edit_pair(state: State<'_, AppState>, args: Args<EditPair>) -> Reply<EditPair> {
    let mut lib = super::library(&state)?;
    let created = match lib.apply::<Pair>(&args.id, &args.edit, Utc::now()) {
        Ok((applied, view)) => {
            return Ok(Edited {
                created: applied.created,
                pair: today(view),
            });
        }
        Err(tandem_sync::StoreError::Unsaved { created, .. }) => created,
        Err(e) => return Err(e.to_ipc()),
    };
    let view = lib.view::<Pair>(&args.id).map_err(|e| e.to_ipc())?;
    drop(lib);
    state.service.flush();
    Ok(Edited {
        created,
        pair: today(view),
    })
}

/// Who changed what and when, newest first.
#[tauri::command(async)]
pub fn pair_history(state: State<'_, AppState>, args: Args<PairHistory>) -> Reply<PairHistory> {
    super::library(&state)?
        .history(&DocId::pair(args.id), 200)
        .map_err(|e| e.to_ipc())
}

/// Saves the agreed schedule as an .ics file where the person chooses (see
/// [`super::save_export`]); returns where, or `None` when they cancelled.
#[tauri::command]
pub async fn export_schedule(
    app: tauri::AppHandle,
    window: tauri::Window,
    state: State<'_, AppState>,
    args: Args<ExportSchedule>,
) -> Reply<ExportSchedule> {
    let (ics, title) = {
        let mut lib = super::library(&state)?;
        let ics = lib.schedule_ics(&args.id).map_err(|e| e.to_ipc())?;
        let title = lib.view::<Pair>(&args.id).map_err(|e| e.to_ipc())?.title;
        (ics, title)
    };
    let name = format!("{} schedule.ics", title.trim());
    let export = super::Export {
        title: "Save the schedule for your calendar",
        name: &name,
        kind: "Calendar",
        extension: "ics",
    };
    super::save_export(&app, &window, &state, export, ics.as_bytes()).await
}

#[tauri::command(async)]
pub fn get_private_notes(
    state: State<'_, AppState>,
    args: Args<GetPrivateNotes>,
) -> Reply<GetPrivateNotes> {
    super::library(&state)?
        .view::<Private>(&args.id)
        .map(|v| v.notes)
        .map_err(|e| e.to_ipc())
}

#[tauri::command(async)]
pub fn set_private_notes(
    state: State<'_, AppState>,
    args: Args<SetPrivateNotes>,
) -> Reply<SetPrivateNotes> {
    let edit = PrivateEdit::SetNotes { text: args.text };
    super::library(&state)?
        .apply::<Private>(&args.id, &edit, Utc::now())
        .map(drop)
        .map_err(|e| e.to_ipc())
}
