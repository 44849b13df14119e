//! A session's notes, editable in place. Each change is sent as a splice, one at a time and in
//! order, so concurrent typing on the partner's laptop merges by character.

use std::collections::{HashMap, VecDeque};

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::dto::{IpcError, TextSplice};

use crate::ipc;

/// What a focused notes editor looked like when the page was redrawn under it (a partner's change
/// arrived): its text and selection, so the new editor can put the cursor back where it was.
#[derive(Clone, Copy)]
pub struct EditorMemory(pub StoredValue<HashMap<String, (String, u32, u32)>>);

impl Default for EditorMemory {
    fn default() -> EditorMemory {
        EditorMemory(StoredValue::new(HashMap::new()))
    }
}

/// The open notes editors, by session id: each takes the partner's version of its text and merges
/// it in place, keeping the cursor (the page is not redrawn under a person typing).
#[derive(Clone, Copy)]
pub struct LiveEditors(pub StoredValue<HashMap<String, Callback<String, bool>>>);

impl Default for LiveEditors {
    fn default() -> LiveEditors {
        LiveEditors(StoredValue::new(HashMap::new()))
    }
}

/// The session whose notes editor has the focus, if one has.
pub fn focused_session() -> Option<String> {
    let el = web_sys::window()?.document()?.active_element()?;
    (el.get_attribute("data-testid").as_deref() == Some("session-notes"))
        .then(|| el.get_attribute("data-session"))
        .flatten()
}

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
pub fn NotesEditor(pair: String, session: String, initial: String) -> impl IntoView {
    let memory = use_context::<EditorMemory>();
    let node: NodeRef<Textarea> = NodeRef::new();
    let key = session.clone();
    // Remember the cursor if this editor has focus when it goes away.
    on_cleanup({
        let key = key.clone();
        move || {
            let (Some(m), Some(el)) = (memory, node.get_untracked()) else {
                return;
            };
            let focused = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| a == **el);
            if focused {
                let (start, end) = (
                    el.selection_start().ok().flatten().unwrap_or(0),
                    el.selection_end().ok().flatten().unwrap_or(0),
                );
                m.0.update_value(|h| {
                    h.insert(key.clone(), (el.value(), start, end));
                });
            }
        }
    });
    // …and put it back, moved by whatever changed around it.
    let restore_text = initial.clone();
    Effect::new(move |_| {
        let (Some(m), Some(el)) = (memory, node.get()) else {
            return;
        };
        let Some((old, start, end)) = m.0.try_update_value(|h| h.remove(&key)).flatten() else {
            return;
        };
        let change = tandem_core::text::diff(&old, &restore_text);
        let moved = |utf16: u32| {
            let pos = to_chars(&old, utf16);
            let pos = change
                .as_ref()
                .map_or(pos, |s| tandem_core::text::transform(pos, s));
            to_utf16(&restore_text, pos)
        };
        let (start, end) = (moved(start), moved(end));
        let _ = el.focus();
        let _ = el.set_selection_range(start, end);
        // Again after the frame is laid out: WebKit may put the caret at the end when a fresh
        // textarea first takes focus.
        request_animation_frame(move || {
            let _ = el.focus();
            let _ = el.set_selection_range(start, end);
        });
    });
    // What the backend will hold once every queued splice has landed.
    let sent = StoredValue::new(initial.clone());
    let queue: StoredValue<VecDeque<TextSplice>> = StoredValue::new(VecDeque::new());
    let busy = StoredValue::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let pair = StoredValue::new(pair);
    let data_session = session.clone();

    // The partner's text arrives while this editor is open: merge it into the textarea in place,
    // moving the cursor by what changed around it. Returns false (the page then offers a redraw)
    // while this editor still has edits on their way to the backend.
    if let Some(live) = use_context::<LiveEditors>() {
        let key = session.clone();
        let apply = Callback::new(move |theirs: String| {
            let Some(el) = node.get_untracked() else {
                return false;
            };
            let shown = el.value();
            if busy.get_value()
                || !queue.with_value(VecDeque::is_empty)
                || shown != sent.get_value()
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
            let _ = el.set_selection_range(start, end);
            true
        });
        live.0.update_value(|m| {
            m.insert(key.clone(), apply);
        });
        on_cleanup(move || {
            live.0.update_value(|m| {
                m.remove(&key);
            });
        });
    }

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
        <textarea node_ref=node class="notes-edit" data-testid="session-notes" data-session=data_session aria-label="Session notes"
            rows="4" placeholder="Notes: what you worked on, what was decided" prop:value=initial on:input=on_input></textarea>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
    }
}
