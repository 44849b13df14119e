//! The app shell: provides the shared contexts ([`crate::nav`]), listens for the backend's events
//! that every screen cares about, and shows the current screen.

use leptos::prelude::*;
use tandem_core::contract::{
    InviteOpened, NoArgs, SaveProblem, SearchRebuilt, ShareProgress as ShareProgressEvent,
    TakeOpenedInvite, TakeSearchNotice,
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
