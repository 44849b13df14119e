//! Sharing the pair: the folder both laptops see, a direct connection to the partner's laptop,
//! the invite, and how the last exchange went.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{
    ConnectPeer, Id, InvitePartner, PeerArgs, SetShareFolder, ShareFolderArgs, SharingStatus,
    SyncNow,
};
use tandem_core::views::{InviteView, SharingView};

use super::state::PairState;
use crate::components::error::ErrorBanner;
use crate::components::form::field_class;
use crate::ipc;
use crate::nav::{ShareProgress, SharingNews};

/// The line under the card's title: where the pair syncs and how the last exchange went.
fn status_line(s: &SharingView) -> String {
    match (&s.error, &s.last_exchange, s.folder.is_some()) {
        (_, _, false) if !s.peers.is_empty() => {
            "No shared folder: this pair syncs directly with your partner's laptop.".to_string()
        }
        (_, _, false) => "Pick a folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick). Everything Tandem puts there is encrypted with this pair's key.".to_string(),
        (Some(e), _, _) => format!("The last exchange failed: {e}"),
        // `at` is when the exchanges last came out differently: the panel is told only then.
        (None, Some(at), _) => {
            let at = at.replace('T', " ");
            let at = at.trim_end_matches('Z');
            let waiting = if s.waiting {
                " · waiting for earlier changes to arrive"
            } else {
                ""
            };
            match s.pending {
                Some(0) | None if s.up_to_date => {
                    format!("Exchanged with the folder, up to date since {at} UTC{waiting}")
                }
                Some(n) if n > 0 => format!(
                    "Last exchange {at} UTC · {n} change{} here not yet in the folder{waiting}",
                    if n == 1 { "" } else { "s" }
                ),
                _ => format!("Last exchange {at} UTC{waiting}"),
            }
        }
        (None, None, true) if s.shared => "Not exchanged yet in this session.".to_string(),
        (None, None, true) => "This pair is not shared yet: invite your partner.".to_string(),
    }
}

#[component]
pub fn SharingCard(state: PairState) -> impl IntoView {
    let status = RwSignal::new(None::<SharingView>);
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let folder = RwSignal::new(String::new());
    let invite = RwSignal::new(None::<InviteView>);
    let peer_addr = RwSignal::new(String::new());
    let id = state.id;
    let show = move |r: Result<SharingView, IpcError>| match r {
        Ok(s) => {
            error.set(None);
            if folder.get_untracked().is_empty() {
                folder.set(s.folder.clone().unwrap_or_default());
            }
            status.set(Some(s));
        }
        Err(e) => error.set(Some(e)),
    };
    let refresh = move || {
        leptos::task::spawn_local(async move {
            show(ipc::call::<SharingStatus>(&Id { id: id.get_value() }).await);
        });
    };
    // Asked for once, then again only when the backend says this pair's panel changed (never
    // polled: an idle window stays idle).
    let news = expect_context::<SharingNews>().0;
    Effect::new(move |_| {
        let (about, _) = news.get();
        if about.is_empty() || about == id.get_value() {
            refresh();
        }
    });
    let set_folder = move |scope: &'static str, f: String| {
        let args = ShareFolderArgs {
            id: id.get_value(),
            folder: f,
            scope: scope.into(),
        };
        leptos::task::spawn_local(async move {
            let r = ipc::call::<SetShareFolder>(&args).await;
            if let Ok(s) = &r {
                folder.set(s.folder.clone().unwrap_or_default());
            }
            show(r);
        });
    };
    let progress = expect_context::<ShareProgress>().0;
    let make_invite = move |_| {
        leptos::task::spawn_local(async move {
            match ipc::call::<InvitePartner>(&Id { id: id.get_value() }).await {
                Ok(i) => {
                    error.set(None);
                    invite.set(Some(i));
                    refresh();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let connect = move |_| {
        let args = PeerArgs {
            id: id.get_value(),
            addr: peer_addr.get_untracked(),
        };
        leptos::task::spawn_local(async move { show(ipc::call::<ConnectPeer>(&args).await) });
    };
    let sync = move || {
        leptos::task::spawn_local(async move {
            show(ipc::call::<SyncNow>(&Id { id: id.get_value() }).await)
        });
    };
    // File → Sync now (Ctrl+R).
    let ask = expect_context::<crate::nav::MenuAsk>();
    Effect::new(move |_| {
        if ask.take("sync-now") {
            sync();
        }
    });
    view! {
        <section class="card" id="sharing">
            <div class="section-head">
                <h2>"Sharing"</h2>
                <div class="actions left">
                    <button id="invite-partner" class="ghost" on:click=make_invite>"Invite partner"</button>
                    <button id="sync-now" class="ghost" on:click=move |_| sync()>"Sync now"</button>
                </div>
            </div>
            {move || status.get().map(|s| view! {
                {s.keychain_error.clone().map(|e| view! { <p class="error" role="alert" id="keychain-error">{e}</p> })}
                {s.keychain_warning.clone().map(|w| view! { <p class="warning" id="keychain-warning">{w}</p> })}
                <p class="muted" id="sync-status">{status_line(&s)}</p>
                {s.folder.clone().map(|f| {
                    let whose = if s.folder_own {
                        format!("This pair syncs through its own folder, {f}.")
                    } else {
                        format!("This pair syncs through the library's folder, {f}.")
                    };
                    view! {
                        <p class="muted" id="share-where">
                            {whose}
                            {s.folder_own.then(|| view! {
                                " "
                                <button id="use-library-folder" class="link" on:click=move |_| set_folder("pair", String::new())>{
                                    if s.library_folder.is_some() { "Use the library's folder" } else { "Stop using this folder" }
                                }</button>
                            })}
                        </p>
                    }
                })}
                {(s.listening.is_some() || !s.peers.is_empty()).then(|| view! {
                    <ul class="peers" id="peers">
                        {s.listening.clone().map(|l| view! {
                            <li class="muted" id="listening">{format!("Your partner's laptop can connect to this one directly at {l}.")}</li>
                        })}
                        {s.peers.clone().into_iter().map(|p| {
                            let state = if p.connected { "connected, edits flow live" } else { "not connected" };
                            let last = p.last_exchange.as_deref().map(|t| format!(" · last exchange {}", t.replace('T', " ").trim_end_matches('Z'))).unwrap_or_default();
                            let why = p.error.as_deref().map(|e| format!(" · {e}")).unwrap_or_default();
                            view! { <li data-testid="peer">{format!("Laptop at {}: {state}{last}{why}", p.addr)}</li> }
                        }).collect_view()}
                    </ul>
                })}
                {(!s.problems.is_empty()).then(|| view! {
                    <ul class="problems" id="sync-problems">
                        {s.problems.clone().into_iter().map(|(f, why)| view! { <li>{format!("Skipped {f}: {why}")}</li> }).collect_view()}
                    </ul>
                })}
            })}
            {move || progress.get().filter(|p| p.pair == id.get_value() && !p.finished()).map(|p| view! {
                <div class="sync-progress" id="sync-progress" role="status">
                    <progress max=p.bytes.max(1) value=p.bytes_done></progress>
                    <span class="muted">{p.sentence()}</span>
                </div>
            })}
            <div class="inline-form folder-form">
                <label class=field_class(err, "folder")>
                    <span>"Shared folder"</span>
                    <span class="with-button">
                        <input id="share-folder" type="text" placeholder="/home/you/Dropbox/tandem"
                            prop:value=move || folder.get() on:input=move |ev| folder.set(event_target_value(&ev))/>
                        <button type="button" id="choose-share-folder" class="ghost" on:click=move |_| crate::routes::library::choose_into(folder, error)>"Choose…"</button>
                    </span>
                </label>
                <button id="set-share-folder" class="ghost" title="Every pair without a folder of its own syncs through it"
                    on:click=move |_| set_folder("library", folder.get_untracked())>"Use for all pairs"</button>
                <button id="set-pair-folder" class="ghost" title="A folder shared with this partner only"
                    on:click=move |_| set_folder("pair", folder.get_untracked())>"Use for this pair only"</button>
            </div>
            <div class="inline-form zone-form">
                <label class=field_class(err, "peer")>
                    <span>"Or sync directly with your partner's laptop (same network, or by address)"</span>
                    <input id="peer-addr" type="text" placeholder="192.168.1.20:7890"
                        prop:value=move || peer_addr.get() on:input=move |ev| peer_addr.set(event_target_value(&ev))/>
                </label>
                <button id="connect-peer" class="ghost" on:click=connect>"Connect"</button>
            </div>
            {move || invite.get().map(|i| view! {
                <div class="invite" id="invite">
                    <p class="warning">"Anyone holding this link can read the whole pair. Send it to your partner privately (not in a public channel)."</p>
                    <label class="field"><span>"Link"</span><input id="invite-link" type="text" readonly prop:value=i.link.clone()/></label>
                    <label class="field"><span>"Or the code"</span><input id="invite-code" type="text" readonly prop:value=i.code.clone()/></label>
                </div>
            })}
            <ErrorBanner error=err id="sharing-error"/>
        </section>
    }
}
