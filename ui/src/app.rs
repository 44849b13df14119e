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

#[component]
pub fn App() -> impl IntoView {
    let screen = RwSignal::new(Screen::Library);
    provide_context(Nav(screen));
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
