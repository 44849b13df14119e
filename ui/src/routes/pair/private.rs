//! Notes only this person sees: kept on this laptop in a separate document that never syncs.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{GetPrivateNotes, Id, PrivateNotesArgs, SetPrivateNotes};

use super::state::PairState;
use crate::components::error::ErrorBanner;
use crate::components::form::Card;
use crate::ipc;

#[component]
pub fn PrivateNotes(state: PairState) -> impl IntoView {
    let text = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let id = state.id;
    leptos::task::spawn_local(async move {
        match ipc::call::<GetPrivateNotes>(&Id { id: id.get_value() }).await {
            Ok(t) => text.set(Some(t)),
            Err(e) => error.set(Some(e)),
        }
    });
    let save = move |_| {
        let args = PrivateNotesArgs {
            id: id.get_value(),
            text: text.get_untracked().unwrap_or_default(),
        };
        leptos::task::spawn_local(async move {
            match ipc::call::<SetPrivateNotes>(&args).await {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Card id="private" title="Private notes">
            <p class="muted">"Only on this laptop. Never synced to your partner, never in a summary."</p>
            <textarea id="private-notes" rows="4" prop:value=move || text.get().unwrap_or_default()
                on:input=move |ev| { saved.set(false); text.set(Some(event_target_value(&ev))); }></textarea>
            <div class="actions">
                {move || saved.get().then(|| view! { <span class="ok" id="private-saved">"Saved"</span> })}
                <button id="save-private" on:click=save>"Save private notes"</button>
            </div>
            <ErrorBanner error=error id="private-error"/>
        </Card>
    }
}
