//! The home screen: every pair, with its partner, last session and next session.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{
    ChooseFolder, FolderPickerArgs, JoinArgs, JoinPair, ListPairs, NoArgs,
};
use tandem_core::pair::view::PairSummary;

use crate::components::error::ErrorBanner;
use crate::components::form::field_class;
use crate::components::more::MoreButton;
use crate::components::search::SearchButton;
use crate::dates;
use crate::ipc;
use crate::nav::{Nav, OpenedInvite, Screen, ShareProgress};

#[component]
fn PairCard(pair: PairSummary) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let id = pair.id.clone();
    let last = pair
        .last_session
        .as_deref()
        .map_or_else(|| "none yet".to_string(), dates::long);
    let next = pair
        .next_session
        .as_deref()
        .map_or_else(|| "not scheduled".to_string(), dates::long);
    let sessions = match pair.session_count {
        1 => "1 session".to_string(),
        n => format!("{n} sessions"),
    };
    view! {
        <li>
            <button class="pair-card" data-testid="pair-card" on:click=move |_| nav.go(Screen::Pair(id.clone()))>
                <span class="pair-title">{pair.title}</span>
                <span class="pair-meta">"with " {pair.partner} " · " {pair.programme_label}</span>
                <span class="pair-dates">
                    <span><span class="label">"Last session"</span> " " {last}</span>
                    <span><span class="label">"Next session"</span> " " {next}</span>
                    <span class="muted">{sessions}</span>
                </span>
            </button>
        </li>
    }
}

/// Pairs drawn at first (the window holds about six), and added each time the person scrolls near
/// the end of the list or asks for more: a library of a hundred pairs drew every card before its
/// first paint, for cards nobody saw yet (~30 ms of a cold start and ~8 MB of the window).
const FIRST_CARDS: usize = 12;
const MORE_CARDS: usize = 24;

#[component]
fn PairCards(pairs: Vec<PairSummary>) -> impl IntoView {
    let count = pairs.len();
    let pairs = StoredValue::new(pairs);
    let shown = RwSignal::new(FIRST_CARDS);
    let left = Signal::derive(move || count.saturating_sub(shown.get()));
    view! {
        <ul class="pair-list" id="pair-list">
            <For each=move || pairs.with_value(|p| p.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                key=|p| p.id.clone() let:pair>
                <PairCard pair=pair/>
            </For>
        </ul>
        <MoreButton id="show-more-pairs" label="Show more pairs" left=left
            on_more=Callback::new(move |()| shown.update(|n| *n += MORE_CARDS))/>
    }
}

/// Opens the system's folder picker and puts the chosen folder into `into`.
pub fn choose_into(into: RwSignal<String>, error: RwSignal<Option<IpcError>>) {
    leptos::task::spawn_local(async move {
        let start = into.get_untracked();
        let args = FolderPickerArgs {
            title: "Choose the folder both laptops see".into(),
            start,
        };
        match ipc::call::<ChooseFolder>(&args).await {
            Ok(Some(f)) => into.set(f),
            Ok(None) => {}
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Joining a pair from the invite a partner sent.
#[component]
fn JoinForm(on_cancel: Callback<()>) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let opened = expect_context::<OpenedInvite>().0;
    let progress = expect_context::<ShareProgress>().0;
    let invite = RwSignal::new(String::new());
    // A clicked tandem://join/… link fills the invite in (now, or while the form is open).
    Effect::new(move |_| {
        if let Some(link) = opened.get() {
            invite.set(link);
            opened.set(None);
        }
    });
    let share = RwSignal::new(String::new());
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let busy = RwSignal::new(false);
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        progress.set(None);
        let (i, s) = (invite.get_untracked(), share.get_untracked());
        leptos::task::spawn_local(async move {
            match ipc::call::<JoinPair>(&JoinArgs {
                invite: i,
                share: s,
            })
            .await
            {
                Ok(v) => nav.go(Screen::Pair(v.id)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form" id="join-form" on:submit=join novalidate>
            <h2>"Join a pair"</h2>
            <p class="muted">"Paste the invite your partner sent, and the folder both of you see."</p>
            <label class=field_class(err, "invite")>
                <span>"Invite link or code"</span>
                <input id="join-invite" type="text" placeholder="tandem://join/…"
                    prop:value=move || invite.get() on:input=move |ev| invite.set(event_target_value(&ev))/>
            </label>
            <label class=field_class(err, "share")>
                <span>"Shared folder (leave empty to use the one already set)"</span>
                <span class="with-button">
                    <input id="join-share" type="text" placeholder="/home/you/Dropbox/tandem"
                        prop:value=move || share.get() on:input=move |ev| share.set(event_target_value(&ev))/>
                    <button type="button" id="join-choose-folder" class="ghost" on:click=move |_| choose_into(share, error)>"Choose…"</button>
                </span>
            </label>
            {move || progress.get().filter(|p| busy.get() && !p.finished()).map(|p| view! {
                <div class="sync-progress" id="join-progress" role="status">
                    <progress max=p.bytes.max(1) value=p.bytes_done></progress>
                    <span class="muted">{p.sentence()}</span>
                </div>
            })}
            <ErrorBanner error=err id="join-error"/>
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                <button id="join" type="submit" class="primary" prop:disabled=move || busy.get()>"Join"</button>
            </div>
        </form>
    }
}

#[component]
pub fn LibraryPage() -> impl IntoView {
    let nav = expect_context::<Nav>();
    let library = LocalResource::new(|| ipc::call::<ListPairs>(&NoArgs {}));
    let opened = expect_context::<OpenedInvite>().0;
    let joining = RwSignal::new(false);
    // A clicked invite link opens the join form.
    Effect::new(move |_| {
        if opened.get().is_some() {
            joining.set(true);
        }
    });
    view! {
        <header class="topbar">
            <h1><span class="logo" aria-hidden="true"></span>"Tandem"</h1>
            <SearchButton/>
            <span class="actions">
                <button id="open-join" class="ghost" on:click=move |_| joining.set(true)>"Join a pair"</button>
                <button id="new-pair" class="primary" on:click=move |_| nav.go(Screen::NewPair)>"New pair"</button>
            </span>
        </header>
        <main class="page">
            <Show when=move || joining.get()>
                <JoinForm on_cancel=Callback::new(move |()| joining.set(false))/>
            </Show>
            {move || match library.get() {
                None => view! { <p class="muted">"Opening your library…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(lib)) if lib.pairs.is_empty() && lib.problems.is_empty() => view! {
                    <section class="empty" id="library-empty">
                        <h2>"No pairs yet"</h2>
                        <p>"A pair is one mentor and one mentee: your sessions, goals, schedule and feedback, kept on your laptop and synced with your partner's."</p>
                        <button class="primary" on:click=move |_| nav.go(Screen::NewPair)>"Create your first pair"</button>
                    </section>
                }.into_any(),
                Some(Ok(lib)) => view! {
                    <h2 class="section-title">"Your pairs"</h2>
                    {lib.problems.into_iter().map(|p| view! {
                        <p class="warning" role="status">"A pair could not be opened: " {p.message}</p>
                    }).collect_view()}
                    <PairCards pairs=lib.pairs/>
                }.into_any(),
            }}
        </main>
    }
}
