//! The app shell: which screen is showing. Screens are plain state, not URLs: the window has no
//! address bar, and a signal is all the routing it needs.

use leptos::prelude::*;

use crate::routes::{
    library::LibraryPage, new_pair::NewPairPage, pair::PairPage, summary::SummaryPage,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Library,
    NewPair,
    Pair(String),
    /// The progress summary of a pair.
    Summary(String),
}

/// Moves between screens; provided as context to every screen.
#[derive(Debug, Clone, Copy)]
pub struct Nav(pub RwSignal<Screen>);

impl Nav {
    pub fn go(self, screen: Screen) {
        self.0.set(screen);
    }
}

/// The latest progress of a long exchange with the shared folder (a large first sync), for the
/// sharing card and the join form.
#[derive(Debug, Clone, Copy)]
pub struct ShareProgress(pub RwSignal<Option<tandem_core::view::SyncProgress>>);

/// An invite link the app was asked to open (a clicked `tandem://join/…`), for the join form.
#[derive(Debug, Clone, Copy)]
pub struct OpenedInvite(pub RwSignal<Option<String>>);

#[component]
pub fn App() -> impl IntoView {
    let screen = RwSignal::new(Screen::Library);
    provide_context(Nav(screen));
    let progress = RwSignal::new(None);
    provide_context(ShareProgress(progress));
    leptos::task::spawn_local(crate::ipc::on_share_progress(move |p| {
        progress.set(Some(p))
    }));
    let opened = RwSignal::new(None);
    provide_context(OpenedInvite(opened));
    // The backend keeps a link until the page takes it (one may arrive while the page loads);
    // the event says when one arrived since.
    let take_invite = move || {
        leptos::task::spawn_local(async move {
            if let Ok(Some(link)) = crate::ipc::take_opened_invite().await {
                opened.set(Some(link));
                screen.set(Screen::Library);
            }
        });
    };
    leptos::task::spawn_local(crate::ipc::on_invite_opened(move |_| take_invite()));
    take_invite();
    view! {
        <div class="app">
            {move || match screen.get() {
                Screen::Library => view! { <LibraryPage/> }.into_any(),
                Screen::NewPair => view! { <NewPairPage/> }.into_any(),
                Screen::Pair(id) => view! { <PairPage id=id/> }.into_any(),
                Screen::Summary(id) => view! { <SummaryPage id=id/> }.into_any(),
            }}
        </div>
    }
}
