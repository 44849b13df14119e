//! The home screen: every pair, with its partner, last session and next session.

use leptos::prelude::*;
use tandem_core::view::PairSummary;

use crate::app::{Nav, Screen};
use crate::dates;
use crate::ipc;

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

#[component]
pub fn LibraryPage() -> impl IntoView {
    let nav = expect_context::<Nav>();
    let library = LocalResource::new(ipc::list_pairs);
    view! {
        <header class="topbar">
            <h1><span class="logo" aria-hidden="true"></span>"Tandem"</h1>
            <span></span>
            <button id="new-pair" class="primary" on:click=move |_| nav.go(Screen::NewPair)>"New pair"</button>
        </header>
        <main class="page">
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
                    <ul class="pair-list" id="pair-list">
                        {lib.pairs.into_iter().map(|p| view! { <PairCard pair=p/> }).collect_view()}
                    </ul>
                    {lib.problems.into_iter().map(|p| view! {
                        <p class="warning" role="status">"A pair could not be opened: " {p.message}</p>
                    }).collect_view()}
                }.into_any(),
            }}
        </main>
    }
}
