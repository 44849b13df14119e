//! A pair at a glance: who, what is due, the next session, goals, the "Log session" form, the
//! sessions, then the rest of the journal (evidence, sharing, private notes, the pair itself,
//! history). One file per card; [`state`] holds the pair and how cards apply edits.
//!
//! A partner's edits arrive as a `pair-changed` event: the page fetches the pair and sets the one
//! view signal; each card redraws only what of it changed (see [`state::PairState::part`]), so a
//! form being filled in, a focused notes editor and the scroll position are never disturbed.

use leptos::prelude::*;
use tandem_core::contract::{GetPair, Id, PairChanged, PrepareEdit};
use tandem_core::{IpcError, pair::PairView};

use crate::components::search::SearchButton;
use crate::ipc;
use crate::nav::{Focus, Nav, Screen};

mod check_in;
mod conflicts;
mod evidence;
mod goals;
mod head;
mod history;
mod lifecycle;
mod private;
mod schedule;
mod session;
mod sessions;
mod sharing;
pub mod state;

use state::PairState;

/// Everything below the top bar, once the pair is loaded.
#[component]
fn PairBody(state: PairState) -> impl IntoView {
    view! {
        <head::Head state=state/>
        <conflicts::Conflicts state=state/>
        <head::Glance state=state/>
        <goals::Goals state=state/>
        <schedule::ScheduleCard state=state/>
        <check_in::CheckInCard state=state/>
        <sessions::Sessions state=state/>
        <evidence::EvidenceCard state=state/>
        <sharing::SharingCard state=state/>
        <private::PrivateNotes state=state/>
        <lifecycle::LifecycleCard state=state/>
        <history::History state=state/>
    }
}

/// Scrolls to the element `focus` names and marks it (`data-found`), then forgets it. Older
/// sessions are drawn only once asked for (the sessions card grows its page to reach one), so
/// this looks again on the next frames, for about two seconds.
fn bring_into_view(focus: RwSignal<Option<String>>, tries: u32) {
    let Some(target) = focus.get_untracked() else {
        return;
    };
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&target));
    match found {
        Some(el) => {
            el.scroll_into_view_with_bool(true);
            let _ = el.set_attribute("data-found", "");
            focus.set(None);
        }
        None if tries < 120 => request_animation_frame(move || bring_into_view(focus, tries + 1)),
        None => focus.set(None),
    }
}

#[component]
pub fn PairPage(id: String) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let loaded = RwSignal::new(None::<Result<PairState, IpcError>>);
    let ids = StoredValue::new(id.clone());
    leptos::task::spawn_local(async move {
        let asked = js_sys::Date::now();
        let result = ipc::call::<GetPair>(&Id {
            id: ids.get_value(),
        })
        .await
        .map(|v: PairView| PairState::new(ids, v, asked));
        loaded.set(Some(result));
    });
    // The partner's edits: fetch the pair and let each card take what changed.
    leptos::task::spawn_local(ipc::listen::<PairChanged>(move |changed| {
        if changed == ids.get_value()
            && let Some(Ok(state)) = loaded.get_untracked()
        {
            state.reload();
        }
    }));
    // An entry a search opened: brought into view once the page has drawn it.
    let focus = expect_context::<Focus>().0;
    Effect::new(move |_| {
        if matches!(loaded.get(), Some(Ok(_))) && focus.get().is_some() {
            bring_into_view(focus, 0);
        }
    });
    // Drawn once per load: a new view is taken in by the cards, never by redrawing the page.
    let page = move || match loaded.get() {
        None => view! { <p class="muted">"Opening…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
        Some(Ok(state)) => view! { <PairBody state=state/> }.into_any(),
    };
    // The first field that takes the keyboard (a notes editor, a form) has the pair's CRDT loaded
    // for the edits to come.
    let prepared = StoredValue::new(false);
    let prepare = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast as _;
        let field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if field && !prepared.get_value() {
            prepared.set_value(true);
            leptos::task::spawn_local(async move {
                let _ = ipc::call::<PrepareEdit>(&Id {
                    id: ids.get_value(),
                })
                .await;
            });
        }
    };
    view! {
        <header class="topbar">
            <button id="back" class="ghost" on:click=move |_| nav.go(Screen::Library)>"← Library"</button>
            <SearchButton/>
            <button id="open-summary" class="ghost" on:click=move |_| nav.go(Screen::Summary(ids.get_value()))>
                "Progress summary"
            </button>
        </header>
        <main class="page" on:focusin=prepare>{page}</main>
    }
}
