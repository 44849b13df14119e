//! The app shell: provides the shared contexts ([`crate::nav`]), listens for the backend's events
//! that every screen cares about, and shows the current screen.

use leptos::prelude::*;
use tandem_core::contract::{
    InviteOpened, NoArgs, SaveProblem, ShareProgress as ShareProgressEvent, TakeOpenedInvite,
};

use crate::components::search::SearchPanel;
use crate::ipc;
use crate::nav::{Focus, Nav, OpenedInvite, Screen, SearchOpen, ShareProgress};
use crate::routes::{
    library::LibraryPage, new_pair::NewPairPage, pair::PairPage, summary::SummaryPage,
};

#[component]
pub fn App() -> impl IntoView {
    let screen = RwSignal::new(Screen::Library);
    provide_context(Nav(screen));
    provide_context(Focus(RwSignal::new(None)));
    provide_context(SearchOpen(RwSignal::new(false)));
    let progress = RwSignal::new(None);
    provide_context(ShareProgress(progress));
    leptos::task::spawn_local(ipc::listen::<ShareProgressEvent>(move |p| {
        progress.set(Some(p))
    }));
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
    view! {
        <div class="app">
            {move || save_problem.get().map(|why| view! {
                <p class="error banner" role="alert" id="save-problem">
                    "Your latest edits are not saved to disk yet: " {why}
                    " They are kept while Tandem stays open and saved as soon as there is room; do not quit until this message goes away."
                </p>
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
