//! Sharing: the shared folder, invites, joining, and a pair's exchange status.

use chrono::Utc;
use tandem_core::dto::{ErrorCode, IpcError};
use tandem_core::view::{InviteView, PairView, SharingView};
use tandem_sync::invite::Invite;
use tauri::{AppHandle, State};

use crate::window::AppState;

fn keychain_error(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Storage,
        message,
        field: None,
    }
}

/// The sharing panel of pair `id`, without the exchange's counts.
fn panel(state: &AppState, id: &str) -> Result<SharingView, IpcError> {
    let (share, library) = {
        let lib = super::library(state)?;
        (lib.pair_share(id), lib.share_folder())
    };
    Ok(state.sharing.view(share, library, id))
}

/// The sharing panel of pair `id`.
#[tauri::command(async)]
pub fn sharing_status(state: State<'_, AppState>, id: String) -> Result<SharingView, IpcError> {
    let mut v = panel(&state, &id)?;
    if v.folder.is_some() && v.shared {
        v.pending = super::library(&state)?.share_pending(&id).ok();
    }
    Ok(v)
}

/// Picks the shared folder: for every pair (`scope` "library"), for pair `id` alone ("pair"), or
/// with an empty folder and "pair", returns the pair to the library's folder.
#[tauri::command(async)]
pub fn set_share_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    folder: String,
    scope: String,
) -> Result<SharingView, IpcError> {
    let folder = folder.trim();
    let in_field = |e: tandem_sync::StoreError| {
        let mut e = e.to_ipc();
        e.field = Some("folder".into());
        e
    };
    {
        let mut lib = super::library(&state)?;
        match (scope.as_str(), folder) {
            ("pair", "") => lib.set_pair_share_folder(&id, None).map(drop),
            ("pair", f) => lib
                .set_pair_share_folder(&id, Some(std::path::Path::new(f)))
                .map(drop),
            (_, "") => Err(tandem_sync::StoreError::NoShareFolder),
            (_, f) => lib.set_share_folder(std::path::Path::new(f)).map(drop),
        }
        .map_err(in_field)?;
    }
    // Exchange with the new folder at once (the watcher follows it on the next round).
    crate::sharing::exchange_all(&app);
    panel(&state, &id)
}

/// An invite for the partner; the pair is written into the shared folder so they can join.
#[tauri::command(async)]
pub fn invite_partner(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<InviteView, IpcError> {
    let invite = state
        .sharing
        .with_keychain(|k| {
            super::library(&state)?
                .invite(&id, k, None)
                .map_err(|e| e.to_ipc())
        })
        .map_err(keychain_error)??;
    crate::sharing::exchange_all(&app);
    Ok(InviteView {
        link: invite.link(),
        code: invite.code(),
    })
}

/// Joins a pair from an invite, through the shared folder (`share`, or the one already set; one
/// that differs from the library's becomes the pair's own).
#[tauri::command(async)]
pub fn join_pair(
    app: AppHandle,
    state: State<'_, AppState>,
    invite: String,
    share: String,
) -> Result<PairView, IpcError> {
    let invite = Invite::parse(&invite).map_err(|e| IpcError {
        code: ErrorCode::InvalidInput,
        message: e.to_string(),
        field: Some("invite".into()),
    })?;
    let in_share_field = |e: tandem_sync::StoreError| {
        let mut e = e.to_ipc();
        e.field = Some("share".into());
        e
    };
    let mut lib = super::library(&state)?;
    let share = Some(share.trim())
        .filter(|s| !s.is_empty())
        .map(std::path::Path::new);
    if share.is_none() && lib.share_folder().is_none() {
        return Err(in_share_field(tandem_sync::StoreError::NoShareFolder));
    }
    if let Some(f) = share
        && !f.is_dir()
    {
        return Err(in_share_field(tandem_sync::StoreError::NotAFolder(
            f.to_path_buf(),
        )));
    }
    state
        .sharing
        .with_keychain(|k| k.set(&invite.pair_id, &invite.key))
        .map_err(keychain_error)?
        .map_err(|e| keychain_error(e.to_string()))?;
    let mut progress = crate::sharing::progress_reporter(&app);
    let (view, report) = lib
        .join_via_share(
            &invite.pair_id,
            &invite.person,
            &invite.key,
            share,
            Utc::now(),
            &mut |p| progress(&invite.pair_id, p),
        )
        .map_err(|e| match e {
            tandem_sync::StoreError::NoShareFolder
            | tandem_sync::StoreError::NotAFolder(_)
            | tandem_sync::StoreError::Io { .. } => in_share_field(e),
            e => e.to_ipc(),
        })?;
    drop(lib);
    state.sharing.record(&invite.pair_id, Ok(report));
    let mut view = view;
    view.refresh(chrono::Local::now().date_naive());
    Ok(view)
}

/// Exchanges with the shared folder now, and returns the pair's panel.
#[tauri::command(async)]
pub fn sync_now(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<SharingView, IpcError> {
    crate::sharing::exchange_all(&app);
    panel(&state, &id)
}

/// Keeps the pair connected, live, to the partner's laptop at `addr` (host:port) from now on.
#[tauri::command(async)]
pub fn connect_peer(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    addr: String,
) -> Result<SharingView, IpcError> {
    use std::net::ToSocketAddrs;
    let invalid = |message: String| IpcError {
        code: ErrorCode::InvalidInput,
        message,
        field: Some("peer".into()),
    };
    let target = addr
        .trim()
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            invalid(format!(
                "“{}” is not an address Tandem can reach: give the other laptop's HOST:PORT, e.g. 192.168.1.20:7890.",
                addr.trim()
            ))
        })?;
    crate::sharing::dial(&app, &id, target).map_err(invalid)?;
    panel(&state, &id)
}
