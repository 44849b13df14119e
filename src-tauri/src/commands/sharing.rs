//! Sharing: the shared folder, invites, joining, peers, and a pair's exchange status. Each a call
//! into the sync service or the library.

use chrono::Utc;
use tandem_core::contract::{
    ConnectPeer, InvitePartner, JoinPair, SetShareFolder, SharingStatus, SyncNow,
};
use tandem_core::views::InviteView;
use tandem_core::{ErrorCode, IpcError};
use tandem_sync::invite::Invite;
use tandem_sync::service::Throttle;
use tandem_sync::{DocId, KeyTaken, StoreError};
use tauri::{AppHandle, State};

use super::{Args, Reply, invalid};
use crate::state::AppState;

fn keychain_error(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Storage,
        message,
        field: None,
    }
}

/// The error in form field `field`.
fn in_field(field: &'static str) -> impl Fn(StoreError) -> IpcError {
    move |e| {
        let mut e = e.to_ipc();
        e.field = Some(field.into());
        e
    }
}

/// The sharing panel of pair `id`.
#[tauri::command(async)]
pub fn sharing_status(
    state: State<'_, AppState>,
    args: Args<SharingStatus>,
) -> Reply<SharingStatus> {
    state.service.sharing_view(&args.id).map_err(|e| e.to_ipc())
}

/// Picks the shared folder: for every pair (`scope` "library"), for pair `id` alone ("pair"), or
/// with an empty folder and "pair", returns the pair to the library's folder. Then exchanges
/// with it at once (the watcher follows it on the next round).
#[tauri::command(async)]
pub fn set_share_folder(
    state: State<'_, AppState>,
    args: Args<SetShareFolder>,
) -> Reply<SetShareFolder> {
    let folder = args.folder.trim();
    {
        let mut lib = super::library(&state)?;
        match (args.scope.as_str(), folder) {
            ("pair", "") => lib.set_pair_share_folder(&args.id, None).map(drop),
            ("pair", f) => lib
                .set_pair_share_folder(&args.id, Some(std::path::Path::new(f)))
                .map(drop),
            (_, "") => Err(StoreError::NoShareFolder),
            (_, f) => lib.set_share_folder(std::path::Path::new(f)).map(drop),
        }
        .map_err(in_field("folder"))?;
    }
    let _ = state.service.exchange_all();
    state.service.sharing_view(&args.id).map_err(|e| e.to_ipc())
}

/// An invite for the partner; the pair is written into the shared folder so they can join.
#[tauri::command(async)]
pub fn invite_partner(
    state: State<'_, AppState>,
    args: Args<InvitePartner>,
) -> Reply<InvitePartner> {
    let invite = state
        .service
        .with_keychain(|k| {
            super::library(&state)?
                .invite(&args.id, k, None)
                .map_err(|e| e.to_ipc())
        })
        .map_err(keychain_error)??;
    let _ = state.service.exchange_all();
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
    args: Args<JoinPair>,
) -> Reply<JoinPair> {
    let invite = Invite::parse(&args.invite).map_err(|e| invalid("invite", e.to_string()))?;
    let mut lib = super::library(&state)?;
    let share = Some(args.share.trim())
        .filter(|s| !s.is_empty())
        .map(std::path::Path::new);
    if share.is_none() && lib.share_folder().is_none() {
        return Err(in_field("share")(StoreError::NoShareFolder));
    }
    if let Some(f) = share
        && !f.is_dir()
    {
        return Err(in_field("share")(StoreError::NotAFolder(f.to_path_buf())));
    }
    let pair = DocId::pair(invite.pair_id.clone());
    let taken = state
        .service
        .with_keychain(|k| lib.take_key(k, &pair, &invite.key))
        .map_err(keychain_error)?
        .map_err(|e| match e {
            StoreError::Key(e) => keychain_error(e.to_string()),
            e => e.to_ipc(),
        })?;
    if taken == KeyTaken::Restored {
        // The invite brought back a lost key: the pair is here already and syncs again.
        drop(lib);
        let _ = state.service.exchange_all();
        let mut view = super::library(&state)?
            .view::<tandem_core::pair::Pair>(&invite.pair_id)
            .map_err(|e| e.to_ipc())?;
        view.refresh(chrono::Local::now().date_naive());
        return Ok(view);
    }
    let mut throttle = Throttle::default();
    let joined = lib.join_via_share(
        &invite.pair_id,
        &invite.person,
        &invite.key,
        share,
        Utc::now(),
        &mut |p| {
            if let Some(shown) = throttle.due(&pair, p) {
                crate::events::emit::<tandem_core::contract::ShareProgress>(&app, &shown);
            }
        },
    );
    if joined.is_err() {
        let _ = state
            .service
            .with_keychain(|k| lib.forget_failed_join(k, &pair));
    }
    let (view, report) = joined.map_err(|e| match e {
        StoreError::NoShareFolder | StoreError::NotAFolder(_) | StoreError::Io { .. } => {
            in_field("share")(e)
        }
        e => e.to_ipc(),
    })?;
    drop(lib);
    state.service.record(&pair, Ok(report));
    let mut view = view;
    view.refresh(chrono::Local::now().date_naive());
    Ok(view)
}

/// Exchanges with the shared folder now, and returns the pair's panel.
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>, args: Args<SyncNow>) -> Reply<SyncNow> {
    let _ = state.service.exchange_all();
    state.service.sharing_view(&args.id).map_err(|e| e.to_ipc())
}

/// Keeps the pair connected, live, to the partner's laptop at `addr` (host:port) from now on.
#[tauri::command(async)]
pub fn connect_peer(state: State<'_, AppState>, args: Args<ConnectPeer>) -> Reply<ConnectPeer> {
    use std::net::ToSocketAddrs;
    let target = args
        .addr
        .trim()
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            invalid(
                "peer",
                format!(
                    "“{}” is not an address Tandem can reach: give the other laptop's HOST:PORT, e.g. 192.168.1.20:7890.",
                    args.addr.trim()
                ),
            )
        })?;
    state
        .service
        .dial(&DocId::pair(args.id.clone()), target)
        .map_err(|e| invalid("peer", e))?;
    state.service.sharing_view(&args.id).map_err(|e| e.to_ipc())
}
