//! A pair at a glance: next session, goals, the "Log session" form, then the history.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::dto::{Edit, IpcError, NewGoal, NewSession};
use tandem_core::view::{OpenItemView, PairView, SessionView};
use tandem_core::vocab::Method;

use crate::app::{Nav, Screen};
use crate::components::error::{ErrorBanner, field_class};
use crate::components::notes_editor::NotesEditor;
use crate::dates;
use crate::ipc;
use crate::routes::journal::{
    ActionItems, CheckInCard, Conflicts, EvidenceCard, GoalItem, History, LifecycleCard,
    PrivateNotes, Reminders, ScheduleCard, SessionFeedback, SharingCard, run_edit,
};

#[component]
fn SessionCard(
    pair: String,
    session: SessionView,
    carried: Vec<OpenItemView>,
    feedback: Vec<tandem_core::view::FeedbackView>,
    on_saved: Callback<PairView>,
) -> impl IntoView {
    let methods = session.methods.clone();
    let sid = session.id.clone();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let form = RwSignal::new(NewSession {
        date: session.date.clone(),
        time: session.time.clone().unwrap_or_default(),
        time_zone: session.time_zone.clone().unwrap_or_default(),
        minutes: session.minutes.to_string(),
        methods: session.methods.iter().map(|m| m.key.clone()).collect(),
        ..NewSession::default()
    });
    let ids = StoredValue::new((pair.clone(), session.id.clone()));
    let error_id = format!("edit-session-error-{}", session.id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (pair, session_id) = ids.get_value();
        let edit = Edit::EditSession {
            session_id,
            session: form.get_untracked(),
        };
        run_edit(pair, edit, error, on_saved, move || editing.set(false));
    };
    let when = match (&session.time, &session.time_zone) {
        (Some(t), Some(z)) => format!("{t} {z} · "),
        (Some(t), None) => format!("{t} · "),
        _ => String::new(),
    };
    view! {
        <li class="card session" data-testid="session">
            <div class="session-head">
                <h3 class="session-date">{dates::long(&session.date)}</h3>
                <span class="muted">{when} {session.minutes} " min · logged by " {session.logged_by.clone()}
                    <button class="ghost edit-session" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button></span>
            </div>
            <Show when=move || editing.get()>
                <form class="form edit-session-form" on:submit=save novalidate>
                    <div class="row">
                        <label class=field_class(err, "date")>
                            <span>"Date"</span>
                            <input class="edit-date" type="date" prop:value=move || form.with(|f| f.date.clone())
                                on:input=move |ev| form.update(|f| f.date = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "time")>
                            <span>"Time"</span>
                            <input class="edit-time" type="time" prop:value=move || form.with(|f| f.time.clone())
                                on:input=move |ev| form.update(|f| f.time = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "time_zone")>
                            <span>"Time zone"</span>
                            <input class="edit-tz" type="text" prop:value=move || form.with(|f| f.time_zone.clone())
                                on:input=move |ev| form.update(|f| f.time_zone = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "minutes")>
                            <span>"Minutes"</span>
                            <input class="edit-minutes" type="number" min="1" max="720" prop:value=move || form.with(|f| f.minutes.clone())
                                on:input=move |ev| form.update(|f| f.minutes = event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="actions">
                        <button type="button" class="ghost" on:click=move |_| editing.set(false)>"Cancel"</button>
                        <button type="submit" class="primary save-session">"Save changes"</button>
                    </div>
                    <ErrorBanner error=err id=error_id.clone()/>
                </form>
            </Show>
            <ul class="chips" aria-label="Methods">
                {methods.into_iter().map(|m| view! { <li class="chip">{m.label}</li> }).collect_view()}
            </ul>
            <NotesEditor pair=pair.clone() session=session.id.clone() initial=session.notes.clone()/>
            <ActionItems pair=pair.clone() session=session carried=carried on_saved=on_saved/>
            <SessionFeedback pair=pair session=sid given=feedback on_saved=on_saved/>
        </li>
    }
}

#[component]
fn LogSessionForm(
    pair: PairView,
    on_saved: Callback<PairView>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let default_minutes = pair.schedule.as_ref().map_or(30, |s| s.minutes).to_string();
    // Sessions are logged in the person's own zone: theirs in the pair, else the computer's.
    let zone = pair
        .people
        .iter()
        .find(|p| Some(&p.id) == pair.me.as_ref())
        .and_then(|p| p.time_zone.clone())
        .unwrap_or_else(dates::local_time_zone);
    let blank = move || NewSession {
        date: dates::today(),
        minutes: default_minutes.clone(),
        time_zone: zone.clone(),
        ..NewSession::default()
    };
    let form = RwSignal::new(blank());
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let id = StoredValue::new(pair.id.clone());
    let saving = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        let input = form.get_untracked();
        let blank = blank.clone();
        spawn_local(async move {
            match ipc::edit_pair(&id.get_value(), &Edit::LogSession(input)).await {
                Ok(done) => {
                    error.set(None);
                    form.set(blank());
                    on_saved.run(done.pair);
                }
                Err(e) => error.set(Some(e)),
            }
            saving.set(false);
        });
    };

    view! {
        <form id="log-session-form" class="card form" on:submit=submit novalidate>
            <h2>"Log session"</h2>
            <div class="row">
                <label class=field_class(err, "date")>
                    <span>"Date"</span>
                    <input id="session-date" type="date" prop:value=move || form.with(|f| f.date.clone())
                        on:input=move |ev| form.update(|f| f.date = event_target_value(&ev))/>
                </label>
                <label class=field_class(err, "time")>
                    <span>"Time"</span>
                    <input id="session-time" type="time" prop:value=move || form.with(|f| f.time.clone())
                        on:input=move |ev| form.update(|f| f.time = event_target_value(&ev))/>
                </label>
                <label class=field_class(err, "time_zone")>
                    <span>"Time zone"</span>
                    <input id="session-tz" type="text" placeholder="Europe/Berlin" prop:value=move || form.with(|f| f.time_zone.clone())
                        on:input=move |ev| form.update(|f| f.time_zone = event_target_value(&ev))/>
                </label>
                <label class=field_class(err, "minutes")>
                    <span>"Minutes"</span>
                    <input id="session-minutes" type="number" min="1" max="720"
                        prop:value=move || form.with(|f| f.minutes.clone())
                        on:input=move |ev| form.update(|f| f.minutes = event_target_value(&ev))/>
                </label>
            </div>
            <fieldset class=field_class(err, "methods")>
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
            <label class=field_class(err, "notes")>
                <span>"Notes"</span>
                <textarea id="session-notes" rows="5" placeholder="What you worked on, what was decided, what comes next"
                    prop:value=move || form.with(|f| f.notes.clone())
                    on:input=move |ev| form.update(|f| f.notes = event_target_value(&ev))></textarea>
            </label>
            <ErrorBanner error=err id="session-error"/>
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                <button id="log-session" type="submit" class="primary" prop:disabled=move || saving.get()>"Save session"</button>
            </div>
        </form>
    }
}

#[component]
fn AddGoalForm(pair_id: String, on_saved: Callback<PairView>) -> impl IntoView {
    let form = RwSignal::new(NewGoal::default());
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let id = StoredValue::new(pair_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::ProposeGoal(form.get_untracked());
        run_edit(id.get_value(), edit, error, on_saved, move || {
            form.set(NewGoal::default())
        });
    };
    view! {
        <form id="add-goal-form" class="inline-form" on:submit=submit novalidate>
            <label class=field_class(err, "title")>
                <span>"New goal"</span>
                <input id="goal-title" type="text" placeholder="e.g. Primary reviewer on 5 PRs"
                    prop:value=move || form.with(|f| f.title.clone())
                    on:input=move |ev| form.update(|f| f.title = event_target_value(&ev))/>
            </label>
            <label class=field_class(err, "measurable")>
                <span>"Measured by"</span>
                <input id="goal-measurable" type="text" placeholder="e.g. 5 PRs with you as primary reviewer"
                    prop:value=move || form.with(|f| f.measurable.clone())
                    on:input=move |ev| form.update(|f| f.measurable = event_target_value(&ev))/>
            </label>
            <label class=field_class(err, "due")>
                <span>"Due"</span>
                <input id="goal-due" type="date" prop:value=move || form.with(|f| f.due.clone())
                    on:input=move |ev| form.update(|f| f.due = event_target_value(&ev))/>
            </label>
            <button id="add-goal" type="submit">"Propose goal"</button>
            <ErrorBanner error=err id="goal-error"/>
        </form>
    }
}

#[component]
fn PairBody(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let people = pair
        .people
        .iter()
        .map(|p| {
            let me = if Some(&p.id) == pair.me.as_ref() {
                " (you)"
            } else {
                ""
            };
            format!("{} {}{me}", p.role_label, p.name)
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let next = pair
        .next_session
        .as_deref()
        .map_or_else(|| "Not scheduled".to_string(), dates::long);
    let schedule = pair.schedule.as_ref().map_or_else(
        || "No agreed schedule yet.".to_string(),
        |s| format!("{} · about {} min a week", s.summary, s.weekly_minutes),
    );
    let hours = format!("{:.1}", pair.total_minutes as f64 / 60.0);
    let count = match pair.sessions.len() {
        1 => "1 session".to_string(),
        n => format!("{n} sessions"),
    };
    let meta = [
        pair.programme_label.as_str(),
        pair.target_role.as_str(),
        pair.status_label.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let logging = RwSignal::new(false);
    let form_pair = StoredValue::new(pair.clone());
    let id = pair.id.clone();
    let goals = pair.goals.clone();
    let sessions = pair.sessions.clone();
    let me = pair.me.clone().unwrap_or_default();
    let open_items = pair.open_items.clone();
    let newest = pair.sessions.first().map(|s| s.id.clone());
    let all_feedback = pair.feedback.clone();
    view! {
        <section class="pair-head">
            <h1 id="pair-title">{pair.title.clone()}</h1>
            <p class="muted">{meta}</p>
            <p class="people">{people}</p>
        </section>
        <Reminders reminders=pair.reminders.clone()/>
        <Conflicts pair=pair.clone() on_saved=on_saved/>
        <section class="glance">
            <div class="card stat" id="next-session">
                <span class="label">"Next session"</span>
                <strong>{next}</strong>
                <span class="muted">{schedule}</span>
            </div>
            <div class="card stat">
                <span class="label">"So far"</span>
                <strong>{count}</strong>
                <span class="muted">{hours} " hours together"</span>
            </div>
        </section>
        <section class="card" id="goals">
            <h2>"Goals"</h2>
            {if goals.is_empty() {
                view! { <p class="muted">"No goals yet. SMART goals keep the sessions pointed somewhere."</p> }.into_any()
            } else {
                view! {
                    <ul class="goals" id="goal-list">
                        {goals.into_iter().map(|g| view! {
                            <GoalItem pair=id.clone() me=me.clone() goal=g on_saved=on_saved/>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <AddGoalForm pair_id=id.clone() on_saved=on_saved/>
        </section>
        <ScheduleCard pair=pair.clone() on_saved=on_saved/>
        <CheckInCard pair=pair.clone() on_saved=on_saved/>
        <section>
            <div class="section-head">
                <h2 class="section-title">"Sessions"</h2>
                <Show when=move || !logging.get()>
                    <button id="open-log-session" class="primary" on:click=move |_| logging.set(true)>"Log session"</button>
                </Show>
            </div>
            <Show when=move || logging.get()>
                <LogSessionForm pair=form_pair.get_value() on_saved=on_saved
                    on_cancel=Callback::new(move |()| logging.set(false))/>
            </Show>
            {if sessions.is_empty() {
                view! { <p class="muted" id="no-sessions">"No sessions logged yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="sessions" id="session-list">
                        {sessions.into_iter().map(|s| {
                            // Open items from earlier sessions go onto the newest one's agenda.
                            let carried = if Some(&s.id) == newest.as_ref() { open_items.clone() } else { Vec::new() };
                            let feedback = all_feedback.iter().filter(|f| f.session.as_ref() == Some(&s.id)).cloned().collect();
                            view! { <SessionCard pair=id.clone() session=s carried=carried feedback=feedback on_saved=on_saved/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <EvidenceCard pair=pair.clone() on_saved=on_saved/>
        <SharingCard pair=id.clone()/>
        <PrivateNotes pair=id.clone()/>
        <LifecycleCard pair=pair.clone() on_saved=on_saved/>
        <History pair=id.clone()/>
    }
}

/// Whether the person is in the middle of a form: focus in a field (other than a session's notes,
/// which keep their cursor across a redraw), or an edit form open.
fn filling_in_a_form() -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let in_field = doc.active_element().is_some_and(|a| {
        matches!(a.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
            && a.get_attribute("data-testid").as_deref() != Some("session-notes")
    });
    let open_form = doc
        .query_selector(
            "#log-session-form, #schedule-form, .goal-edit-form, .edit-session-form, \
             .evaluation-form, .feedback-form, #concern-text, #closing-text",
        )
        .ok()
        .flatten()
        .is_some();
    in_field || open_form
}

#[component]
pub fn PairPage(id: String) -> impl IntoView {
    let nav = expect_context::<Nav>();
    // Editors are redrawn when the partner's edits arrive; this keeps their cursors.
    provide_context(crate::components::notes_editor::EditorMemory::default());
    let pair = RwSignal::new(None::<Result<PairView, IpcError>>);
    let load_id = id.clone();
    spawn_local(async move {
        pair.set(Some(ipc::get_pair(&load_id).await));
    });
    let pending = RwSignal::new(false);
    // A saved edit returns the pair as it now is, partner's changes included.
    let on_saved = Callback::new(move |v: PairView| {
        pending.set(false);
        pair.set(Some(Ok(v)));
    });
    // The partner's edits arrive through the shared folder: show them at once, unless the person
    // is filling in a form (redrawing would lose it); then offer them.
    let reload_id = StoredValue::new(id.clone());
    let reload = move || {
        spawn_local(async move {
            if let Ok(v) = ipc::get_pair(&reload_id.get_value()).await {
                pending.set(false);
                pair.set(Some(Ok(v)));
            }
        });
    };
    let live = crate::components::notes_editor::LiveEditors::default();
    provide_context(live);
    // Someone typing in a session's notes gets the partner's text merged into that editor, cursor
    // kept; anything else that changed waits behind the banner until they leave the editor.
    let merge_into_focused = move |session: String| {
        spawn_local(async move {
            let Ok(v) = ipc::get_pair(&reload_id.get_value()).await else {
                return;
            };
            let theirs = v
                .sessions
                .iter()
                .find(|s| s.id == session)
                .map(|s| s.notes.clone());
            if let (Some(text), Some(apply)) =
                (theirs, live.0.with_value(|m| m.get(&session).copied()))
            {
                // Whether or not it merged, the rest of the page waits behind the banner.
                apply.run(text);
            }
            pending.set(true);
        });
    };
    let watched = id.clone();
    let summary_id = StoredValue::new(id.clone());
    spawn_local(ipc::on_pair_changed(move |changed| {
        if changed == watched {
            if filling_in_a_form() {
                pending.set(true);
            } else if let Some(session) = crate::components::notes_editor::focused_session() {
                merge_into_focused(session);
            } else {
                reload();
            }
        }
    }));
    // Leaving an editor (or a form) with changes waiting shows them.
    let focus_left = move |_| {
        set_timeout(
            move || {
                if pending.get_untracked()
                    && !filling_in_a_form()
                    && crate::components::notes_editor::focused_session().is_none()
                {
                    reload();
                }
            },
            std::time::Duration::from_millis(0),
        );
    };
    view! {
        <header class="topbar">
            <button id="back" class="ghost" on:click=move |_| nav.go(Screen::Library)>"← Library"</button>
            <span></span>
            <button id="open-summary" class="ghost" on:click=move |_| nav.go(Screen::Summary(summary_id.get_value()))>
                "Progress summary"
            </button>
        </header>
        <main class="page" on:focusout=focus_left>
            <Show when=move || pending.get()>
                <p class="warning" role="status" id="partner-changes">
                    "Your partner's changes arrived. "
                    <button id="show-changes" class="ghost" on:click=move |_| reload()>"Show them"</button>
                </p>
            </Show>
            {move || match pair.get() {
                None => view! { <p class="muted">"Opening…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(p)) => view! { <PairBody pair=p on_saved=on_saved/> }.into_any(),
            }}
        </main>
    }
}
