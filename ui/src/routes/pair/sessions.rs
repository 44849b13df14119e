//! The sessions: the "Log session" form, and the sessions newest first, drawn by id so a new or
//! changed session redraws only itself. A long pair shows its latest sessions and the older ones
//! as the person asks for them.

use leptos::prelude::*;
use tandem_core::pair::SessionEdit;
use tandem_core::pair::input::NewSession;
use tandem_core::vocab::Method;

use super::session::SessionCard;
use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::{Field, Input};
use crate::components::more::MoreButton;
use crate::nav::{Focus, MenuAsk};
use crate::{dates, lens};

/// Sessions drawn at first (a screen holds two or three), and added each time the person scrolls
/// near the end or asks for older ones.
const FIRST: usize = 4;
const PAGE: usize = 10;

#[component]
pub fn Sessions(state: PairState) -> impl IntoView {
    let logging = RwSignal::new(false);
    let shown = RwSignal::new(FIRST);
    let ids = state.part(|v| v.sessions.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    let visible = Memo::new(move |_| {
        ids.with(|ids| ids.iter().take(shown.get()).cloned().collect::<Vec<_>>())
    });
    let older = move || ids.with(Vec::len).saturating_sub(shown.get());
    // File → Log a session… (Ctrl+N).
    let ask = expect_context::<MenuAsk>();
    Effect::new(move |_| {
        if ask.take("new-session") {
            logging.set(true);
        }
    });
    // A search opened an older session: draw down to it.
    let focus = expect_context::<Focus>();
    Effect::new(move |_| {
        if let Some(at) = focus
            .wanted("session-")
            .and_then(|w| ids.with(|ids| ids.iter().position(|s| *s == w)))
            && at >= shown.get_untracked()
        {
            shown.set(at + 1);
        }
    });
    view! {
        <section>
            <div class="section-head">
                <h2 class="section-title">"Sessions"</h2>
                <Show when=move || !logging.get()>
                    <button id="open-log-session" class="primary" on:click=move |_| logging.set(true)>"Log session"</button>
                </Show>
            </div>
            <Show when=move || logging.get()>
                <LogSessionForm state=state on_close=Callback::new(move |()| logging.set(false))/>
            </Show>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted" id="no-sessions">"No sessions logged yet."</p>
            </Show>
            <ul class="sessions" id="session-list">
                <For each=move || visible.get() key=|id| id.clone() let:id>
                    <SessionCard state=state id=id/>
                </For>
            </ul>
            <MoreButton id="show-older" label="Show older sessions" left=Signal::derive(older)
                on_more=Callback::new(move |()| shown.update(|n| *n += PAGE))/>
        </section>
    }
}

#[component]
fn LogSessionForm(state: PairState, on_close: Callback<()>) -> impl IntoView {
    // Sessions are logged in the person's own zone: theirs in the pair, else the computer's.
    let blank = move || {
        state.view.with_untracked(|v| NewSession {
            date: dates::today(),
            minutes: v.schedule.as_ref().map_or(30, |s| s.minutes).to_string(),
            time_zone: v
                .people
                .iter()
                .find(|p| Some(&p.id) == v.me.as_ref())
                .and_then(|p| p.time_zone.clone())
                .unwrap_or_else(dates::local_time_zone),
            ..NewSession::default()
        })
    };
    let form = RwSignal::new(blank());
    // A saved session closes the form (the new session is at the top of the list).
    let editor = Editor::new(state, move || {
        form.set(blank());
        on_close.run(());
    });
    let err = editor.error();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(SessionEdit::Log(form.get_untracked()));
    };
    view! {
        <form id="log-session-form" class="card form" on:submit=submit novalidate>
            <h2>"Log session"</h2>
            <div class="row">
                <Field form=form lens=lens!(NewSession, date) label="Date" name="date" error=err id="session-date" input=Input::Date/>
                <Field form=form lens=lens!(NewSession, time) label="Time" name="time" error=err id="session-time" input=Input::Time/>
                <Field form=form lens=lens!(NewSession, time_zone) label="Time zone" name="time_zone" error=err
                    id="session-tz" placeholder="Europe/Berlin"/>
                <Field form=form lens=lens!(NewSession, minutes) label="Minutes" name="minutes" error=err
                    id="session-minutes" input=Input::Number min="1" max="720"/>
            </div>
            <Methods form=form error=err/>
            <Field form=form lens=lens!(NewSession, notes) label="Notes" name="notes" error=err id="session-notes"
                input=Input::Lines(5) placeholder="What you worked on, what was decided, what comes next"/>
            <ErrorBanner error=err id="session-error"/>
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button id="log-session" type="submit" class="primary" prop:disabled=editor.busy()>"Save session"</button>
            </div>
        </form>
    }
}

/// The mentoring methods of a session, as check boxes.
#[component]
pub fn Methods(
    form: RwSignal<NewSession>,
    #[prop(into)] error: Signal<Option<tandem_core::IpcError>>,
) -> impl IntoView {
    view! {
        <fieldset class=crate::components::form::field_class(error, "methods")>
            <legend>"Methods"</legend>
            <div class="checks">
                {Method::ALL.iter().map(|m| {
                    let key = m.as_str();
                    let checked = move || form.with(|f| f.methods.iter().any(|x| x == key));
                    view! {
                        <label class="check">
                            <input type="checkbox" id=format!("method-{key}") prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| {
                                        f.methods.retain(|x| x != key);
                                        if on { f.methods.push(key.to_string()); }
                                    });
                                }/>
                            <span>{m.label()}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
