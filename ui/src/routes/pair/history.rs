//! Who changed what and when, loaded when opened.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{Id, PairHistory};
use tandem_core::history::HistoryEntry;

use super::state::PairState;
use crate::ipc;

#[component]
pub fn History(state: PairState) -> impl IntoView {
    let lines = RwSignal::new(None::<Result<Vec<HistoryEntry>, IpcError>>);
    let id = state.id;
    let open = move |_| {
        leptos::task::spawn_local(async move {
            lines.set(Some(
                ipc::call::<PairHistory>(&Id { id: id.get_value() }).await,
            ))
        });
    };
    view! {
        <section class="card" id="history">
            <div class="section-head">
                <h2>"History"</h2>
                <button id="show-history" class="ghost" on:click=open>"Show who changed what"</button>
            </div>
            {move || match lines.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(lines)) => view! {
                    <ul class="history" id="history-list">
                        {lines.into_iter().map(|l| view! {
                            <li data-testid="history-line"><span class="muted">{l.time.replace('T', " ").trim_end_matches('Z').to_string()}</span>" "<strong>{l.who}</strong>" "{l.what}{(l.changes > 1).then(|| format!(" (×{})", l.changes))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
