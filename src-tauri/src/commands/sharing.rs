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

fn folder(state: &AppState) -> Result<Option<String>, IpcError> {
    Ok(super::library(state)?
        .share_folder()
        .map(|f| f.display().to_string()))
}

/// The sharing panel of pair `id`.
#[tauri::command(async)]
pub fn sharing_status(state: State<'_, AppState>, id: String) -> Result<SharingView, IpcError> {
    let folder = folder(&state)?;
    let mut v = state.sharing.view(folder, &id);
    if v.folder.is_some() && v.shared {
        v.pending = super::library(&state)?.share_pending(&id).ok();
    }
    Ok(v)
}

#[tauri::command(async)]
pub fn set_share_folder(
    state: State<'_, AppState>,
    id: String,
    folder: String,
) -> Result<SharingView, IpcError> {
    let chosen = super::library(&state)?
        .set_share_folder(std::path::Path::new(folder.trim()))
        .map_err(|e| {
            let mut e = e.to_ipc();
            e.field = Some("folder".into());
            e
        })?;
    Ok(state.sharing.view(Some(chosen.display().to_string()), &id))
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

/// Joins a pair from an invite, through the shared folder (`share`, or the one already set).
#[tauri::command(async)]
pub fn join_pair(
    state: State<'_, AppState>,
    invite: String,
    share: String,
) -> Result<PairView, IpcError> {
    let invite = Invite::parse(&invite).map_err(|e| IpcError {
        code: ErrorCode::InvalidInput,
        message: e.to_string(),
        field: Some("invite".into()),
    })?;
    let mut lib = super::library(&state)?;
    let folder = match share.trim() {
        "" => lib
            .share_folder()
            .ok_or_else(|| tandem_sync::StoreError::NoShareFolder.to_ipc())
            .map_err(|mut e| {
                e.field = Some("share".into());
                e
            })?,
        f => lib.set_share_folder(std::path::Path::new(f)).map_err(|e| {
            let mut e = e.to_ipc();
            e.field = Some("share".into());
            e
        })?,
    };
    state
        .sharing
        .with_keychain(|k| k.set(&invite.pair_id, &invite.key))
        .map_err(keychain_error)?
        .map_err(|e| keychain_error(e.to_string()))?;
    let (view, report) = lib
        .join_from_share(
            &invite.pair_id,
            &invite.person,
            &invite.key,
            &folder,
            Utc::now(),
        )
        .map_err(|e| e.to_ipc())?;
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
    let folder = folder(&state)?;
    Ok(state.sharing.view(folder, &id))
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
    let folder = folder(&state)?;
    Ok(state.sharing.view(folder, &id))
}
