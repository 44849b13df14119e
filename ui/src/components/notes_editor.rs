//! A session's notes, editable in place. Each change is sent as a splice, one at a time and in
//! order, so concurrent typing on the partner's laptop merges by character. The partner's text
//! arrives through `notes` and is merged into the textarea where it stands, the cursor moved by
//! what changed around it: the editor is never redrawn under a person typing.

use std::collections::VecDeque;

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::IpcError;
use tandem_core::contract::{SpliceArgs, SpliceText};
use tandem_core::pair::input::TextSplice;

use crate::ipc;

/// UTF-16 offset (what the DOM counts) → code points (what Tandem counts), and back.
fn to_chars(s: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    s.chars()
        .take_while(|c| {
            units += c.len_utf16() as u32;
            units <= utf16
        })
        .count()
}

fn to_utf16(s: &str, chars: usize) -> u32 {
    s.chars().take(chars).map(|c| c.len_utf16() as u32).sum()
}

#[component]
pub fn NotesEditor(
    pair: String,
    session: String,
    /// The notes as the pair now holds them (the partner's typing included)…
    #[prop(into)]
    notes: Signal<String>,
    /// …and when (ms since the epoch) that text was asked of the backend.
    asked: StoredValue<f64>,
    /// Asks for the notes again: what arrived may predate this editor's own last edits.
    on_stale: Callback<()>,
) -> impl IntoView {
    let node: NodeRef<Textarea> = NodeRef::new();
    let initial = notes.get_untracked();
    // What the backend will hold once every queued splice has landed.
    let sent = StoredValue::new(initial.clone());
    let queue: StoredValue<VecDeque<TextSplice>> = StoredValue::new(VecDeque::new());
    let busy = StoredValue::new(false);
    // When the backend last confirmed one of this editor's edits: a text asked for before that
    // may lack it, and merging it would take the person's own typing back out.
    let landed = StoredValue::new(0.0_f64);
    let error = RwSignal::new(None::<IpcError>);
    let pair = StoredValue::new(pair);
    let data_session = session.clone();

    // Merges `theirs` into the textarea in place; false while this editor's own edits are still
    // on their way, or `theirs` may predate them (their positions would not match): the notes
    // are then asked for again once the edits have landed.
    let merge = move |theirs: String| -> bool {
        let Some(el) = node.get_untracked() else {
            return true;
        };
        let shown = el.value();
        if busy.get_value()
            || !queue.with_value(VecDeque::is_empty)
            || shown != sent.get_value()
            || asked.get_value() <= landed.get_value()
        {
            return false;
        }
        let Some(change) = tandem_core::text::diff(&shown, &theirs) else {
            return true;
        };
        let (start, end) = (
            el.selection_start().ok().flatten().unwrap_or(0),
            el.selection_end().ok().flatten().unwrap_or(0),
        );
        let moved = |utf16: u32| {
            let pos = tandem_core::text::transform(to_chars(&shown, utf16), &change);
            to_utf16(&theirs, pos)
        };
        let (start, end) = (moved(start), moved(end));
        el.set_value(&theirs);
        sent.set_value(theirs);
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|a| a == **el);
        if focused {
            let _ = el.set_selection_range(start, end);
        }
        true
    };
    let stale = StoredValue::new(false);
    Effect::new(move |_| {
        let theirs = notes.get();
        if !merge(theirs) {
            stale.set_value(true);
            if !busy.get_value() {
                on_stale.run(());
            }
        }
    });

    let pump = move || {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            while let Some(edit) = queue.try_update_value(VecDeque::pop_front).flatten() {
                let args = SpliceArgs {
                    id: pair.get_value(),
                    edit,
                };
                if let Err(e) = ipc::call::<SpliceText>(&args).await {
                    // Stop rather than send edits whose positions no longer match.
                    queue.update_value(VecDeque::clear);
                    error.set(Some(e));
                    break;
                }
                landed.set_value(js_sys::Date::now());
            }
            busy.set_value(false);
            // The partner typed while these edits were on their way: the pair now holds both;
            // ask for it, and the text that comes back is merged.
            if stale.get_value() {
                stale.set_value(false);
                on_stale.run(());
            }
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
        <textarea node_ref=node class="notes-edit" data-testid="session-notes" data-session=data_session aria-label="Session notes"
            rows="4" placeholder="Notes: what you worked on, what was decided" prop:value=initial on:input=on_input></textarea>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
    }
}
