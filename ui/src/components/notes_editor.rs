//! A session's notes, editable in place. Each change is sent as a splice, one at a time and in
//! order, so concurrent typing on the partner's laptop merges by character.

use std::collections::VecDeque;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::dto::{IpcError, TextSplice};

use crate::ipc;

#[component]
pub fn NotesEditor(pair: String, session: String, initial: String) -> impl IntoView {
    // What the backend will hold once every queued splice has landed.
    let sent = StoredValue::new(initial.clone());
    let queue: StoredValue<VecDeque<TextSplice>> = StoredValue::new(VecDeque::new());
    let busy = StoredValue::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let pair = StoredValue::new(pair);

    let pump = move || {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            while let Some(edit) = queue.try_update_value(VecDeque::pop_front).flatten() {
                if let Err(e) = ipc::splice_text(&pair.get_value(), &edit).await {
                    // Stop rather than send edits whose positions no longer match.
                    queue.update_value(VecDeque::clear);
                    error.set(Some(e));
                    break;
                }
            }
            busy.set_value(false);
        });
    };

    let on_input = move |ev: leptos::ev::Event| {
        let now = event_target_value(&ev);
        let before = sent.get_value();
        if let Some(s) = tandem_core::text::diff(&before, &now) {
            sent.set_value(now);
            queue.update_value(|q| {
                q.push_back(TextSplice {
                    session_id: session.clone(),
                    field: "notes".into(),
                    pos: s.pos,
                    delete: s.delete,
                    insert: s.insert,
                })
            });
            pump();
        }
    };

    view! {
        <textarea class="notes-edit" data-testid="session-notes" aria-label="Session notes"
            rows="4" placeholder="Notes: what you worked on, what was decided" prop:value=initial on:input=on_input></textarea>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
    }
}
