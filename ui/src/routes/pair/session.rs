//! One session: its date, length and methods (and a form to change them), its notes edited in
//! place, its action items (with open ones from earlier sessions carried onto the newest), and
//! feedback on it. Each part reads its own piece of the view, so the partner's typing in these
//! notes reaches the editor without redrawing the card, and a change elsewhere redraws nothing.

use leptos::prelude::*;
use tandem_core::pair::input::{NewActionItem, NewFeedback, NewSession};
use tandem_core::pair::view::SessionView;
use tandem_core::pair::{FeedbackEdit, SessionEdit};

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::{Field, Input, Select};
use crate::components::notes_editor::NotesEditor;
use crate::{dates, lens};

/// What the card's head shows: the session without its text and items.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    date: String,
    when: String,
    minutes: i64,
    logged_by: String,
    methods: Vec<String>,
}

fn head_of(s: &SessionView) -> Head {
    Head {
        date: s.date.clone(),
        when: match (&s.time, &s.time_zone) {
            (Some(t), Some(z)) => format!("{t} {z} · "),
            (Some(t), None) => format!("{t} · "),
            _ => String::new(),
        },
        minutes: s.minutes,
        logged_by: s.logged_by.clone(),
        methods: s.methods.iter().map(|m| m.label.clone()).collect(),
    }
}

/// The session's date, time, length and methods as the edit form starts.
fn form_of(s: &SessionView) -> NewSession {
    NewSession {
        date: s.date.clone(),
        time: s.time.clone().unwrap_or_default(),
        time_zone: s.time_zone.clone().unwrap_or_default(),
        minutes: s.minutes.to_string(),
        methods: s.methods.iter().map(|m| m.key.clone()).collect(),
        ..NewSession::default()
    }
}

#[component]
pub fn SessionCard(state: PairState, id: String) -> impl IntoView {
    let sid = StoredValue::new(id.clone());
    let find = move |v: &tandem_core::pair::PairView| {
        v.sessions.iter().find(|s| s.id == sid.get_value()).cloned()
    };
    let head = state.part(move |v| find(v).map(|s| head_of(&s)));
    let notes = state.part(move |v| find(v).map(|s| s.notes).unwrap_or_default());
    let editing = RwSignal::new(false);
    let form = RwSignal::new(NewSession::default());
    let editor = Editor::new(state, move || editing.set(false));
    let err = editor.error();
    let open = move |_| {
        if !editing.get_untracked()
            && let Some(s) = state.view.with_untracked(|v| find(v))
        {
            form.set(form_of(&s));
        }
        editing.update(|e| *e = !*e);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(SessionEdit::Edit {
            session_id: sid.get_value(),
            session: form.get_untracked(),
        });
    };
    // Deleting asks once more, in place: a session logged by mistake goes, with its notes,
    // agenda and action items (the history keeps who deleted it and when).
    let confirming = RwSignal::new(false);
    let delete = move |_| {
        editor.run(SessionEdit::Delete {
            session_id: sid.get_value(),
        });
    };
    let top = move || {
        head.get().map(|h| {
            view! {
                <div class="session-head">
                    <h3 class="session-date">{dates::long(&h.date)}</h3>
                    <span class="muted">{h.when.clone()} {h.minutes} " min · logged by " {h.logged_by.clone()}
                        <button class="ghost edit-session" on:click=open>"Edit"</button></span>
                </div>
            }
        })
    };
    let methods = move || {
        head.with(|h| {
            h.as_ref()
                .map(|h| h.methods.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|m| view! { <li class="chip">{m}</li> })
                .collect_view()
        })
    };
    view! {
        <li class="card session" data-testid="session" id=format!("session-{}", sid.get_value())>
            {top}
            <Show when=move || editing.get()>
                <form class="form edit-session-form" on:submit=save novalidate>
                    <div class="row">
                        <Field form=form lens=lens!(NewSession, date) label="Date" name="date" error=err class="edit-date" input=Input::Date/>
                        <Field form=form lens=lens!(NewSession, time) label="Time" name="time" error=err class="edit-time" input=Input::Time/>
                        <Field form=form lens=lens!(NewSession, time_zone) label="Time zone" name="time_zone" error=err class="edit-tz"/>
                        <Field form=form lens=lens!(NewSession, minutes) label="Minutes" name="minutes" error=err
                            class="edit-minutes" input=Input::Number min="1" max="720"/>
                    </div>
                    <div class="actions">
                        <button type="button" class="danger delete-session" on:click=move |_| confirming.set(true)>"Delete session…"</button>
                        <span class="spacer"></span>
                        <button type="button" class="ghost" on:click=move |_| { confirming.set(false); editing.set(false) }>"Cancel"</button>
                        <button type="submit" class="primary save-session">"Save changes"</button>
                    </div>
                    <Show when=move || confirming.get()>
                        <div class="confirm-delete" role="alertdialog" aria-label="Delete this session?">
                            <p>"Delete this session, with its notes, agenda and action items? It goes for your partner too at the next sync."</p>
                            <div class="actions">
                                <button type="button" class="ghost keep-session" on:click=move |_| confirming.set(false)>"Keep it"</button>
                                <button type="button" class="danger confirm-delete-session" on:click=delete>"Delete"</button>
                            </div>
                        </div>
                    </Show>
                    <ErrorBanner error=err id=format!("edit-session-error-{}", sid.get_value())/>
                </form>
            </Show>
            <ul class="chips" aria-label="Methods">{methods}</ul>
            <NotesEditor pair=state.id.get_value() session=id.clone() notes=notes asked=state.asked
                on_stale=Callback::new(move |()| state.reload())/>
            <ActionItems state=state session=id.clone()/>
            <SessionFeedback state=state session=id/>
        </li>
    }
}

/// One action item row: where it was agreed, its id, its words, whether it is done.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    session: String,
    id: String,
    label: String,
    done: bool,
}

/// Action items of a session, with the open ones from earlier sessions carried forward onto the
/// newest session's agenda.
#[component]
fn ActionItems(state: PairState, session: String) -> impl IntoView {
    let sid = StoredValue::new(session);
    let items = state.part(move |v| {
        let id = sid.get_value();
        let own: Vec<Item> = v
            .sessions
            .iter()
            .find(|s| s.id == id)
            .map(|s| {
                s.action_items
                    .iter()
                    .map(|a| Item {
                        session: id.clone(),
                        id: a.id.clone(),
                        label: format!("{} ({})", a.text, a.owner),
                        done: a.done,
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Open items from earlier sessions go onto the newest one's agenda.
        let newest = v.sessions.first().is_some_and(|s| s.id == id);
        let carried: Vec<Item> = v
            .open_items
            .iter()
            .filter(|o| newest && o.session_id != id)
            .map(|o| Item {
                session: o.session_id.clone(),
                id: o.item.id.clone(),
                label: format!(
                    "{} ({}, from {})",
                    o.item.text,
                    o.item.owner,
                    dates::long(&o.session_date)
                ),
                done: false,
            })
            .collect();
        (own, carried)
    });
    let text = RwSignal::new(NewActionItem::default());
    let editor = Editor::new(state, move || text.set(NewActionItem::default()));
    let err = editor.error();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(SessionEdit::AddItem {
            session_id: sid.get_value(),
            item: text.get_untracked(),
        });
    };
    let row = move |item: Item| {
        let Item {
            session,
            id,
            label,
            done,
        } = item;
        view! {
            <li class="check action-item" data-testid="action-item">
                <input type="checkbox" prop:checked=done on:change=move |ev| editor.run(SessionEdit::SetItemDone {
                    session_id: session.clone(),
                    item_id: id.clone(),
                    done: event_target_checked(&ev),
                })/>
                <span class:done=done>{label}</span>
            </li>
        }
    };
    view! {
        <div class="action-items">
            {move || items.with(|(own, carried)| view! {
                {(!carried.is_empty()).then(|| view! {
                    <p class="label">"Carried forward"</p>
                    <ul class="carried">{carried.iter().cloned().map(row).collect_view()}</ul>
                })}
                {(!own.is_empty()).then(|| view! {
                    <p class="label">"Action items"</p>
                    <ul>{own.iter().cloned().map(row).collect_view()}</ul>
                })}
            })}
            <form class="inline-form add-item-form" on:submit=add novalidate>
                <Field form=text lens=lens!(NewActionItem, text) label="New action item" name="text" error=err
                    class="item-text" placeholder="Add an action item" hide_label=true/>
                <button type="submit" class="ghost add-item">"Add"</button>
            </form>
            <ErrorBanner error=err id=format!("item-error-{}", sid.get_value())/>
        </div>
    }
}

/// Feedback on one session, in both directions: a rating, words, and whether it may be shared.
#[component]
fn SessionFeedback(state: PairState, session: String) -> impl IntoView {
    let sid = StoredValue::new(session.clone());
    let given = state.part(move |v| {
        v.feedback
            .iter()
            .filter(|f| f.session.as_deref() == Some(sid.get_value().as_str()))
            .map(|f| {
                format!(
                    "{} → {}: {}{}",
                    f.from,
                    f.to.clone().unwrap_or_default(),
                    f.rating.map(|r| format!("{r}/5 ")).unwrap_or_default(),
                    f.text
                )
            })
            .collect::<Vec<_>>()
    });
    let open = RwSignal::new(false);
    let blank = move || NewFeedback {
        kind: "session".into(),
        session: sid.get_value(),
        rating: "5".into(),
        ..NewFeedback::default()
    };
    let form = RwSignal::new(blank());
    let editor = Editor::new(state, move || {
        open.set(false);
        form.set(blank());
    });
    let err = editor.error();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut f = form.get_untracked();
        f.date = dates::today();
        editor.run(FeedbackEdit::Give(f));
    };
    let ratings = (1..=5u8)
        .rev()
        .map(|r| {
            (
                ["1", "2", "3", "4", "5"][usize::from(r) - 1],
                format!("{r} / 5"),
            )
        })
        .collect::<Vec<_>>();
    view! {
        <div class="session-feedback">
            {move || given.with(|g| (!g.is_empty()).then(|| view! {
                <ul class="feedback-list">
                    {g.iter().map(|line| view! { <li data-testid="session-feedback">{line.clone()}</li> }).collect_view()}
                </ul>
            }))}
            <button class="ghost give-feedback" on:click=move |_| open.update(|o| *o = !*o)>"Give feedback on this session"</button>
            <Show when=move || open.get()>
                <form class="inline-form feedback-form" on:submit=send novalidate>
                    <Select form=form lens=lens!(NewFeedback, rating) label="Rating" name="rating" error=err
                        class="feedback-rating" options=ratings.clone()/>
                    <Field form=form lens=lens!(NewFeedback, text) label="What worked, what to change" name="text"
                        error=err class="feedback-text"/>
                    <crate::components::form::Check form=form get=|f: &NewFeedback| f.shareable
                        set=|f: &mut NewFeedback, on| f.shareable = on label="May appear in a summary"/>
                    <button type="submit" class="send-feedback">"Send"</button>
                </form>
            </Show>
            <ErrorBanner error=err id=format!("feedback-error-{session}")/>
        </div>
    }
}
