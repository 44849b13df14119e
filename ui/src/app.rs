//! The app shell: provides the shared contexts ([`crate::nav`]), listens for the backend's events
//! that every screen cares about, and shows the current screen.

use leptos::prelude::*;
use tandem_core::contract::{
    InviteOpened, MenuChosen, MenuContext, MenuContextArgs, NoArgs, PairChanged, SaveProblem,
    SearchRebuilt, ShareProgress as ShareProgressEvent, SharingChanged, TakeOpenedInvite,
    TakeSearchNotice,
};

use crate::components::search::SearchPanel;
use crate::ipc;
use crate::nav::{
    Focus, MenuAsk, Nav, OpenedInvite, Screen, SearchOpen, ShareProgress, SharingNews,
};
use crate::routes::{
    library::LibraryPage, new_pair::NewPairPage, pair::PairPage, summary::SummaryPage,
};

#[component]
pub fn App() -> impl IntoView {
    let screen = RwSignal::new(Screen::Library);
    provide_context(Nav(screen));
    provide_context(Focus(RwSignal::new(None)));
    let search_open = RwSignal::new(false);
    provide_context(SearchOpen(search_open));
    let menu_ask = RwSignal::new(None);
    provide_context(MenuAsk(menu_ask));
    // The menu's pair items (New session, Export, Sync now) are enabled while a pair is shown.
    Effect::new(move |_| {
        let pair = matches!(screen.get(), Screen::Pair(_) | Screen::Summary(_));
        leptos::task::spawn_local(async move {
            let _ = ipc::call::<MenuContext>(&MenuContextArgs { pair }).await;
        });
    });
    leptos::task::spawn_local(ipc::listen::<MenuChosen>(move |item| {
        menu_chosen(&item, screen, search_open, menu_ask)
    }));
    let progress = RwSignal::new(None);
    provide_context(ShareProgress(progress));
    leptos::task::spawn_local(ipc::listen::<ShareProgressEvent>(move |p| {
        progress.set(Some(p))
    }));
    // What a sharing panel shows changed (an exchange came out differently, a peer came or went),
    // or the partner's edits arrived (a peer's "last exchange"): the panel asks again.
    let sharing = RwSignal::new((String::new(), 0u64));
    provide_context(SharingNews(sharing));
    let tell = move |id: String| sharing.update(|(last, n)| (*last, *n) = (id, *n + 1));
    leptos::task::spawn_local(ipc::listen::<SharingChanged>(tell));
    leptos::task::spawn_local(ipc::listen::<PairChanged>(tell));
    let opened = RwSignal::new(None);
    provide_context(OpenedInvite(opened));
    // The backend keeps a link until the page takes it (one may arrive while the page loads);
    // the event says when one arrived since.
    let take_invite = move || {
        leptos::task::spawn_local(async move {
            if let Ok(Some(link)) = ipc::call::<TakeOpenedInvite>(&NoArgs {}).await {
                opened.set(Some(link));
                screen.set(Screen::Library);
            }
        });
    };
    leptos::task::spawn_local(ipc::listen::<InviteOpened>(move |_| take_invite()));
    take_invite();
    // Edits that could not be written to disk (a full disk) stay in memory and are retried; the
    // banner says so until they are all on disk.
    let save_problem = RwSignal::new(None::<String>);
    leptos::task::spawn_local(ipc::listen::<SaveProblem>(move |p| save_problem.set(p)));
    // A damaged search index is rebuilt by itself; the person is told once (the index may be
    // opened before the page listens, so the backend keeps why until the page takes it).
    let search_notice = RwSignal::new(None::<String>);
    let take_notice = move || {
        leptos::task::spawn_local(async move {
            if let Ok(Some(why)) = ipc::call::<TakeSearchNotice>(&NoArgs {}).await {
                search_notice.set(Some(why));
            }
        });
    };
    leptos::task::spawn_local(ipc::listen::<SearchRebuilt>(move |_| take_notice()));
    take_notice();
    view! {
        <div class="app">
            {move || save_problem.get().map(|why| view! {
                <p class="error banner" role="alert" id="save-problem">
                    "Your latest edits are not saved to disk yet: " {why}
                    " They are kept while Tandem stays open and saved as soon as there is room; do not quit until this message goes away."
                </p>
            })}
            {move || search_notice.get().map(|why| view! {
                <div class="warning banner with-button" role="status" id="search-rebuilt">
                    // The reason is for whoever reads the log or hovers; the sentence is for everyone.
                    <p title=why>"Search was rebuilt: its index on this laptop was damaged, so Tandem made it again from your documents. Nothing you wrote is lost."</p>
                    <button class="ghost" id="dismiss-search-notice" on:click=move |_| search_notice.set(None)>"OK"</button>
                </div>
            })}
            {move || match screen.get() {
                Screen::Library => view! { <LibraryPage/> }.into_any(),
                Screen::NewPair => view! { <NewPairPage/> }.into_any(),
                Screen::Pair(id) => view! { <PairPage id=id/> }.into_any(),
                Screen::Summary(id) => view! { <SummaryPage id=id/> }.into_any(),
            }}
            <SearchPanel/>
        </div>
    }
}

/// What an item of the window's menu does on the screen shown.
fn menu_chosen(
    item: &str,
    screen: RwSignal<Screen>,
    search: RwSignal<bool>,
    ask: RwSignal<Option<&'static str>>,
) {
    let pair = match screen.get_untracked() {
        Screen::Pair(id) | Screen::Summary(id) => Some(id),
        Screen::Library | Screen::NewPair => None,
    };
    // Going to the screen already shown would draw it anew, losing what is typed in it.
    let go = |to: Screen| {
        if screen.get_untracked() != to {
            screen.set(to);
        }
    };
    match (item, pair) {
        ("search", _) => search.set(true),
        ("library", _) => go(Screen::Library),
        ("new-pair", _) => go(Screen::NewPair),
        ("export", Some(id)) => go(Screen::Summary(id)),
        // The pair's page does these: shown first (from its summary), then asked.
        ("new-session" | "sync-now", Some(id)) => {
            go(Screen::Pair(id));
            ask.set(Some(if item == "new-session" {
                "new-session"
            } else {
                "sync-now"
            }));
        }
        // A pair's item with no pair shown (the menu disables them then).
        _ => {}
    }
}
