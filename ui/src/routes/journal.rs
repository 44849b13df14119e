//! The pair journal's cards: schedule, goals, check-ins and feedback, evidence, readiness reviews,
//! lifecycle, conflicting edits, private notes and history. Every change goes through one
//! `edit_pair` call; the card shows the error sentence beside the field it names and keeps what
//! was typed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::dto::{
    Edit, IpcError, NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewReview, NewSchedule,
};
use tandem_core::history::HistoryEntry;
use tandem_core::view::{GoalView, OpenItemView, PairView, SessionView};
use tandem_core::vocab::{Cadence, EvidenceKind, Role, Weekday};

use crate::components::error::{ErrorBanner, field_class};
use crate::dates;
use crate::ipc;

/// Runs one edit; on success hands the new view to `on_saved` and calls `then`, on failure puts
/// the error where the form shows it.
pub fn run_edit(
    pair: String,
    edit: Edit,
    error: RwSignal<Option<IpcError>>,
    on_saved: Callback<PairView>,
    then: impl FnOnce() + 'static,
) {
    spawn_local(async move {
        match ipc::edit_pair(&pair, &edit).await {
            Ok(done) => {
                error.set(None);
                then();
                on_saved.run(done.pair);
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Reminders (due reviews, check-ins, concerns, conflicts) at the top of the pair.
#[component]
pub fn Reminders(reminders: Vec<String>) -> impl IntoView {
    (!reminders.is_empty()).then(|| {
        view! {
            <section class="card reminders" id="reminders">
                <ul>{reminders.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </section>
        }
    })
}

/// Fields edited on two devices at once: each value with who wrote it, and a button to keep it.
#[component]
pub fn Conflicts(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let id = pair.id.clone();
    (!pair.conflicts.is_empty()).then(move || {
        view! {
            <section class="card conflicts" id="conflicts">
                <h2>"Edited on two devices"</h2>
                <p class="muted">"Both values are kept until one of you chooses."</p>
                {pair.conflicts.into_iter().map(|c| {
                    let id = id.clone();
                    view! {
                        <div class="conflict" data-testid="conflict">
                            <strong>{c.label.clone()}</strong>
                            <div class="actions left">
                                {c.options.into_iter().map(|o| {
                                    let (pid, path) = (id.clone(), c.path.clone());
                                    let keep = move |_| run_edit(pid.clone(), Edit::ResolveConflict { path: path.clone(), choice: o.id.clone() }, error, on_saved, || {});
                                    view! { <button class="choice" on:click=keep>{format!("Keep “{}” ({})", o.value, o.by)}</button> }
                                }).collect_view()}
                            </div>
                        </div>
                    }
                }).collect_view()}
                <ErrorBanner error=error id="conflict-error"/>
            </section>
        }
    })
}

/// The agreed schedule: what it is, who still has to agree, a form to propose a new one, and
/// the calendar export.
#[component]
pub fn ScheduleCard(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let editing = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let initial = pair.schedule.as_ref().map_or_else(
        || NewSchedule {
            cadence: "weekly".into(),
            minutes: "30".into(),
            start: dates::today(),
            ..NewSchedule::default()
        },
        |s| NewSchedule {
            cadence: s.cadence.clone(),
            every_days: s.every_days.map(|d| d.to_string()).unwrap_or_default(),
            weekday: s.weekday.clone().unwrap_or_default(),
            time: s.time.clone().unwrap_or_default(),
            time_zone: s.time_zone.clone().unwrap_or_default(),
            minutes: s.minutes.to_string(),
            start: s.start.clone(),
            sessions: s.sessions.map(|n| n.to_string()).unwrap_or_default(),
            end: s.end.clone().unwrap_or_default(),
            reassess: s.reassess.clone().unwrap_or_default(),
        },
    );
    let form = RwSignal::new(initial);
    let id = StoredValue::new(pair.id.clone());
    let me = pair.me.clone().unwrap_or_default();
    let schedule = pair.schedule.clone();
    let no_schedule = schedule.is_none();
    let i_must_agree = schedule
        .as_ref()
        .is_some_and(|s| !s.agreed_ids.contains(&me));
    let status = schedule.as_ref().map(|s| {
        if s.awaiting.is_empty() {
            "Agreed by both of you.".to_string()
        } else {
            format!("Waiting for {} to agree.", s.awaiting.join(" and "))
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::ProposeSchedule(form.get_untracked());
        run_edit(id.get_value(), edit, error, on_saved, move || {
            editing.set(false)
        });
    };
    let agree = move |_| run_edit(id.get_value(), Edit::AgreeSchedule, error, on_saved, || {});
    let export = move |_| {
        spawn_local(async move {
            match ipc::export_schedule(&id.get_value()).await {
                Ok(path) => {
                    error.set(None);
                    exported.set(Some(path));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" id="schedule">
            <div class="section-head">
                <h2>"Schedule"</h2>
                <div class="actions left">
                    {schedule.is_some().then(|| view! {
                        <button id="export-ics" class="ghost" on:click=export>"Export to calendar (.ics)"</button>
                        <button id="edit-schedule" class="ghost" on:click=move |_| editing.update(|e| *e = !*e)>"Change"</button>
                    })}
                </div>
            </div>
            {schedule.map(|s| view! {
                <p id="schedule-summary"><strong>{s.summary.clone()}</strong></p>
                <p class="muted">{format!("About {} min a week. ", s.weekly_minutes)}<span id="schedule-status">{status.clone()}</span></p>
            })}
            {no_schedule.then(|| view! {
                <p class="muted">"No schedule yet. Agree one together, e.g. 30 min weekly for 6 weeks, then reassess."</p>
                <Show when=move || !editing.get()>
                    <button id="open-schedule" class="primary" on:click=move |_| editing.set(true)>"Propose a schedule"</button>
                </Show>
            })}
            {i_must_agree.then(|| view! { <button id="agree-schedule" class="primary" on:click=agree>"Agree to this schedule"</button> })}
            {move || exported.get().map(|p| view! { <p class="ok" id="export-path">"Saved to " {p}</p> })}
            <Show when=move || editing.get()>
                <form id="schedule-form" class="form" on:submit=submit novalidate>
                    <div class="row">
                        <label class=field_class(err, "cadence")>
                            <span>"How often"</span>
                            <select id="schedule-cadence" on:change=move |ev| form.update(|f| f.cadence = event_target_value(&ev))>
                                {Cadence::ALL.iter().map(|c| {
                                    let key = c.as_str();
                                    view! { <option value=key selected=move || form.with(|f| f.cadence == key)>{c.label()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <Show when=move || form.with(|f| f.cadence == "custom")>
                            <label class=field_class(err, "every_days")>
                                <span>"Every … days"</span>
                                <input id="schedule-every" type="number" min="1" prop:value=move || form.with(|f| f.every_days.clone())
                                    on:input=move |ev| form.update(|f| f.every_days = event_target_value(&ev))/>
                            </label>
                        </Show>
                        <label class=field_class(err, "weekday")>
                            <span>"On"</span>
                            <select id="schedule-weekday" on:change=move |ev| form.update(|f| f.weekday = event_target_value(&ev))>
                                <option value="" selected=move || form.with(|f| f.weekday.is_empty())>"The start's weekday"</option>
                                {Weekday::ALL.iter().map(|w| {
                                    let key = w.as_str();
                                    view! { <option value=key selected=move || form.with(|f| f.weekday == key)>{w.label()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <label class=field_class(err, "time")>
                            <span>"At"</span>
                            <input id="schedule-time" type="time" prop:value=move || form.with(|f| f.time.clone())
                                on:input=move |ev| form.update(|f| f.time = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "time_zone")>
                            <span>"Time zone"</span>
                            <input id="schedule-tz" type="text" placeholder="Europe/Berlin" prop:value=move || form.with(|f| f.time_zone.clone())
                                on:input=move |ev| form.update(|f| f.time_zone = event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="row">
                        <label class=field_class(err, "minutes")>
                            <span>"Minutes"</span>
                            <input id="schedule-minutes" type="number" min="1" max="720" prop:value=move || form.with(|f| f.minutes.clone())
                                on:input=move |ev| form.update(|f| f.minutes = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "start")>
                            <span>"From"</span>
                            <input id="schedule-start" type="date" prop:value=move || form.with(|f| f.start.clone())
                                on:input=move |ev| form.update(|f| f.start = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "sessions")>
                            <span>"For … sessions"</span>
                            <input id="schedule-sessions" type="number" min="1" prop:value=move || form.with(|f| f.sessions.clone())
                                on:input=move |ev| form.update(|f| f.sessions = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "end")>
                            <span>"Or until"</span>
                            <input id="schedule-end" type="date" prop:value=move || form.with(|f| f.end.clone())
                                on:input=move |ev| form.update(|f| f.end = event_target_value(&ev))/>
                        </label>
                        <label class=field_class(err, "reassess")>
                            <span>"Then reassess on"</span>
                            <input id="schedule-reassess" type="date" prop:value=move || form.with(|f| f.reassess.clone())
                                on:input=move |ev| form.update(|f| f.reassess = event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="actions">
                        <button id="propose-schedule" type="submit" class="primary">"Propose schedule"</button>
                    </div>
                </form>
            </Show>
            <ErrorBanner error=err id="schedule-error"/>
        </section>
    }
}

/// One goal: its SMART terms, agreement, progress, and what can be done with it now.
#[component]
pub fn GoalItem(
    pair: String,
    me: String,
    goal: GoalView,
    on_saved: Callback<PairView>,
) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let evaluating = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let terms_form = RwSignal::new(tandem_core::dto::NewGoal {
        title: goal.title.clone(),
        specific: goal.specific.clone(),
        measurable: goal.measurable.clone(),
        achievable: goal.achievable.clone(),
        relevant: goal.relevant.clone(),
        due: goal.due.clone().unwrap_or_default(),
    });
    let eval = RwSignal::new(NewEvaluation {
        date: dates::today(),
        ..NewEvaluation::default()
    });
    let pid = StoredValue::new(pair);
    let gid = StoredValue::new(goal.id.clone());
    let can_agree = goal.status == "proposed" && !goal.agreed_ids.contains(&me);
    let open = matches!(goal.status.as_str(), "proposed" | "active");
    let status = move |s: &'static str| {
        move |_| {
            run_edit(
                pid.get_value(),
                Edit::SetGoalStatus {
                    goal_id: gid.get_value(),
                    status: s.into(),
                },
                error,
                on_saved,
                || {},
            );
        }
    };
    let agree = move |_| {
        run_edit(
            pid.get_value(),
            Edit::AgreeGoal {
                goal_id: gid.get_value(),
            },
            error,
            on_saved,
            || {},
        );
    };
    let submit_terms = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::EditGoal {
            goal_id: gid.get_value(),
            goal: terms_form.get_untracked(),
        };
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            editing.set(false)
        });
    };
    let submit_eval = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::EvaluateGoal {
            goal_id: gid.get_value(),
            evaluation: eval.get_untracked(),
        };
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            evaluating.set(false)
        });
    };
    let terms = [
        ("Specific", goal.specific.clone()),
        ("Measurable", goal.measurable.clone()),
        ("Achievable", goal.achievable.clone()),
        ("Relevant", goal.relevant.clone()),
    ]
    .into_iter()
    .filter(|(_, t)| !t.trim().is_empty())
    .collect::<Vec<_>>();
    let agreement = if goal.status == "proposed" {
        format!(
            "Proposed by {}; agreed by {}.",
            goal.proposed_by,
            goal.agreed_by.join(" and ")
        )
    } else {
        String::new()
    };
    let latest = goal.evaluations.first().cloned();
    view! {
        <li data-testid="goal" class="goal">
            <div class="goal-head">
                <span class="goal-title">{goal.title.clone()}</span>
                <span class="chip">{goal.status_label.clone()}</span>
                {goal.due_for_review.then(|| view! { <span class="chip warn">"Due for review"</span> })}
                {goal.progress.map(|p| view! { <span class="progress"><span style=format!("width:{p}%")></span></span><span class="muted">{p}"%"</span> })}
                <span class="muted">{goal.due.clone().map(|d| format!("due {}", dates::long(&d))).unwrap_or_default()}</span>
            </div>
            {(!terms.is_empty()).then(|| view! {
                <dl class="smart">{terms.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
            })}
            {(!agreement.is_empty()).then(|| view! { <p class="muted">{agreement}</p> })}
            {latest.map(|e| view! { <p class="muted">{format!("Last evaluated {} by {}: {}% — {}", dates::long(&e.date), e.by, e.progress, e.note)}</p> })}
            <div class="actions left">
                {can_agree.then(|| view! { <button class="primary agree-goal" on:click=agree>"Agree"</button> })}
                {open.then(|| view! {
                    <button class="ghost evaluate-goal" on:click=move |_| evaluating.update(|e| *e = !*e)>"Evaluate"</button>
                    <button class="ghost achieve-goal" on:click=status("achieved")>"Achieved"</button>
                    <button class="ghost drop-goal" on:click=status("dropped")>"Drop"</button>
                    <button class="ghost edit-goal" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                })}
            </div>
            <Show when=move || editing.get()>
                <form class="form goal-edit-form" on:submit=submit_terms novalidate>
                    <p class="muted">"Changing a goal asks your partner to agree to it again."</p>
                    {[
                        ("title", "Goal", "goal-edit-title"),
                        ("specific", "Specific: what exactly?", "goal-edit-specific"),
                        ("measurable", "Measurable: how will you know?", "goal-edit-measurable"),
                        ("achievable", "Achievable: with what support?", "goal-edit-achievable"),
                        ("relevant", "Relevant: why it matters for the role", "goal-edit-relevant"),
                    ].into_iter().map(|(field, label, class)| {
                        let get = move |f: &tandem_core::dto::NewGoal| match field {
                            "title" => f.title.clone(),
                            "specific" => f.specific.clone(),
                            "measurable" => f.measurable.clone(),
                            "achievable" => f.achievable.clone(),
                            _ => f.relevant.clone(),
                        };
                        view! {
                            <label class=field_class(err, field)>
                                <span>{label}</span>
                                <input class=class type="text" prop:value=move || terms_form.with(get)
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        terms_form.update(|f| match field {
                                            "title" => f.title = v,
                                            "specific" => f.specific = v,
                                            "measurable" => f.measurable = v,
                                            "achievable" => f.achievable = v,
                                            _ => f.relevant = v,
                                        });
                                    }/>
                            </label>
                        }
                    }).collect_view()}
                    <label class=field_class(err, "due")>
                        <span>"Time-bound: due"</span>
                        <input class="goal-edit-due" type="date" prop:value=move || terms_form.with(|f| f.due.clone())
                            on:input=move |ev| terms_form.update(|f| f.due = event_target_value(&ev))/>
                    </label>
                    <div class="actions">
                        <button type="button" class="ghost" on:click=move |_| editing.set(false)>"Cancel"</button>
                        <button type="submit" class="primary save-goal">"Save goal"</button>
                    </div>
                </form>
            </Show>
            <Show when=move || evaluating.get()>
                <form class="inline-form evaluation-form" on:submit=submit_eval novalidate>
                    <label class=field_class(err, "progress")>
                        <span>"Progress %"</span>
                        <input class="eval-progress" type="number" min="0" max="100"
                            prop:value=move || eval.with(|f| f.progress.clone())
                            on:input=move |ev| eval.update(|f| f.progress = event_target_value(&ev))/>
                    </label>
                    <label class=field_class(err, "note")>
                        <span>"Note"</span>
                        <input class="eval-note" type="text"
                            prop:value=move || eval.with(|f| f.note.clone())
                            on:input=move |ev| eval.update(|f| f.note = event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="save-evaluation">"Save evaluation"</button>
                </form>
            </Show>
            <ErrorBanner error=err id=format!("goal-error-{}", goal.id)/>
        </li>
    }
}

/// Action items of a session, with the open ones from earlier sessions carried forward onto the
/// newest session's agenda.
#[component]
pub fn ActionItems(
    pair: String,
    session: SessionView,
    carried: Vec<OpenItemView>,
    on_saved: Callback<PairView>,
) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let text = RwSignal::new(String::new());
    let pid = StoredValue::new(pair);
    let sid = StoredValue::new(session.id.clone());
    let toggle = move |session_id: String, item_id: String, done: bool| {
        run_edit(
            pid.get_value(),
            Edit::SetActionItemDone {
                session_id,
                item_id,
                done,
            },
            error,
            on_saved,
            || {},
        );
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::AddActionItem {
            session_id: sid.get_value(),
            item: NewActionItem {
                text: text.get_untracked(),
                ..NewActionItem::default()
            },
        };
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            text.set(String::new())
        });
    };
    let own: Vec<(String, String, String, bool)> = session
        .action_items
        .iter()
        .map(|a| {
            (
                session.id.clone(),
                a.id.clone(),
                format!("{} ({})", a.text, a.owner),
                a.done,
            )
        })
        .collect();
    let carried: Vec<(String, String, String, bool)> = carried
        .into_iter()
        .filter(|o| o.session_id != session.id)
        .map(|o| {
            (
                o.session_id,
                o.item.id,
                format!(
                    "{} ({}, from {})",
                    o.item.text,
                    o.item.owner,
                    dates::long(&o.session_date)
                ),
                false,
            )
        })
        .collect();
    let row = move |(s, i, label, done): (String, String, String, bool)| {
        view! {
            <li class="check action-item" data-testid="action-item">
                <input type="checkbox" prop:checked=done on:change=move |ev| toggle(s.clone(), i.clone(), event_target_checked(&ev))/>
                <span class:done=done>{label}</span>
            </li>
        }
    };
    view! {
        <div class="action-items">
            {(!carried.is_empty()).then(|| view! {
                <p class="label">"Carried forward"</p>
                <ul class="carried">{carried.into_iter().map(row).collect_view()}</ul>
            })}
            {(!own.is_empty()).then(|| view! {
                <p class="label">"Action items"</p>
                <ul>{own.into_iter().map(row).collect_view()}</ul>
            })}
            <form class="inline-form add-item-form" on:submit=add novalidate>
                <label class=field_class(err, "text")>
                    <span class="sr-only">"New action item"</span>
                    <input class="item-text" type="text" placeholder="Add an action item"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="ghost add-item">"Add"</button>
            </form>
            <ErrorBanner error=err id=format!("item-error-{}", session.id)/>
        </div>
    }
}

/// Monthly check-in in one click, a concern otherwise; and "how is this going" on a 1–5 scale.
#[component]
pub fn CheckInCard(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let concern = RwSignal::new(None::<String>);
    let shareable = RwSignal::new(false);
    let midpoint = RwSignal::new(false);
    let closing = RwSignal::new(String::new());
    let pid = StoredValue::new(pair.id.clone());
    let finished = matches!(pair.status.as_str(), "ended" | "graduated");
    let close = move |_| {
        let edit = Edit::AddFeedback(NewFeedback {
            kind: "closing".into(),
            date: dates::today(),
            text: closing.get_untracked(),
            shareable: shareable.get_untracked(),
            ..NewFeedback::default()
        });
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            closing.set(String::new())
        });
    };
    let check_in = move |all_well: bool, text: String| {
        let edit = Edit::AddFeedback(NewFeedback {
            kind: if midpoint.get_untracked() {
                "midpoint"
            } else {
                "check-in"
            }
            .into(),
            date: dates::today(),
            all_well,
            text,
            shareable: shareable.get_untracked(),
            ..NewFeedback::default()
        });
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            concern.set(None)
        });
    };
    let pulse = move |rating: u8| {
        let edit = Edit::AddFeedback(NewFeedback {
            kind: "pulse".into(),
            date: dates::today(),
            rating: rating.to_string(),
            shareable: shareable.get_untracked(),
            ..NewFeedback::default()
        });
        run_edit(pid.get_value(), edit, error, on_saved, || {});
    };
    let open: Vec<_> = pair
        .feedback
        .iter()
        .filter(|f| f.all_well == Some(false) && !f.resolved)
        .cloned()
        .collect();
    let recent: Vec<_> = pair.feedback.iter().take(5).cloned().collect();
    view! {
        <section class="card" id="check-in">
            <h2>"Check-in"</h2>
            <div class="actions left">
                <button id="all-well" class="primary" on:click=move |_| check_in(true, String::new())>"All is well"</button>
                <button id="raise-concern" class="ghost" on:click=move |_| concern.set(Some(String::new()))>"Something's not right…"</button>
                <label class="check"><input id="check-in-midpoint" type="checkbox" prop:checked=move || midpoint.get()
                    on:change=move |ev| midpoint.set(event_target_checked(&ev))/><span>"Midpoint check-in"</span></label>
                <label class="check"><input id="feedback-shareable" type="checkbox" prop:checked=move || shareable.get()
                    on:change=move |ev| shareable.set(event_target_checked(&ev))/><span>"May appear in a summary"</span></label>
            </div>
            {finished.then(|| view! {
                <div class="form" id="closing-survey">
                    <label class=field_class(err, "text")>
                        <span>"Closing survey: what did this mentorship give you, and what would you change?"</span>
                        <textarea id="closing-text" rows="3" prop:value=move || closing.get() on:input=move |ev| closing.set(event_target_value(&ev))></textarea>
                    </label>
                    <div class="actions"><button id="send-closing" class="primary" on:click=close>"Send closing survey"</button></div>
                </div>
            })}
            <Show when=move || concern.get().is_some()>
                <div class="form">
                    <label class=field_class(err, "text")>
                        <span>"What's not going well?"</span>
                        <textarea id="concern-text" rows="3" prop:value=move || concern.get().unwrap_or_default()
                            on:input=move |ev| concern.set(Some(event_target_value(&ev)))></textarea>
                    </label>
                    <div class="actions"><button id="send-concern" class="primary" on:click=move |_| check_in(false, concern.get_untracked().unwrap_or_default())>"Raise it"</button></div>
                </div>
            </Show>
            <p class="muted">"How is this going for you?"</p>
            <div class="actions left scale">
                {(1u8..=5).map(|r| view! { <button class="ghost pulse" on:click=move |_| pulse(r)>{r}</button> }).collect_view()}
            </div>
            {(!open.is_empty()).then(|| view! {
                <ul class="concerns" id="concerns">
                    {open.into_iter().map(|f| {
                        let fid = f.id.clone();
                        let resolve = move |_| run_edit(pid.get_value(), Edit::ResolveConcern { feedback_id: fid.clone() }, error, on_saved, || {});
                        view! { <li data-testid="concern"><span>{format!("{} ({}, {})", f.text, f.from, dates::long(&f.date))}</span><button class="ghost resolve-concern" on:click=resolve>"Resolved"</button></li> }
                    }).collect_view()}
                </ul>
            })}
            {(!recent.is_empty()).then(|| view! {
                <ul class="feedback-list" id="feedback-list">
                    {recent.into_iter().map(|f| {
                        let what = match (f.all_well, f.rating) {
                            (Some(true), _) => "all is well".to_string(),
                            (Some(false), _) => format!("concern: {}", f.text),
                            (None, Some(r)) => format!("{r}/5 {}", f.text),
                            (None, None) => f.text.clone(),
                        };
                        view! { <li data-testid="feedback"><span class="muted">{dates::long(&f.date)}</span>" " {f.kind_label}" · "{f.from}": "{what}{(!f.shareable).then_some(" · private to the pair")}</li> }
                    }).collect_view()}
                </ul>
            })}
            <ErrorBanner error=err id="check-in-error"/>
        </section>
    }
}

/// The evidence log and the mentor's readiness reviews.
#[component]
pub fn EvidenceCard(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let blank = || NewEvidence {
        kind: "pr-reviewed".into(),
        date: dates::today(),
        ..NewEvidence::default()
    };
    let form = RwSignal::new(blank());
    let review = RwSignal::new(NewReview {
        date: dates::today(),
        ..NewReview::default()
    });
    let pid = StoredValue::new(pair.id.clone());
    let i_mentor = pair
        .people
        .iter()
        .find(|p| Some(&p.id) == pair.me.as_ref())
        .is_some_and(|p| Role::parse(&p.role).is_some_and(|r| r != Role::Mentee));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::AddEvidence(form.get_untracked());
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            form.set(blank())
        });
    };
    let submit_review = move |ready: bool| {
        let mut r = review.get_untracked();
        r.ready = ready;
        run_edit(
            pid.get_value(),
            Edit::ReviewReadiness(r),
            error,
            on_saved,
            move || review.update(|r| r.rationale.clear()),
        );
    };
    let evidence = pair.evidence.clone();
    let reviews = pair.reviews.clone();
    view! {
        <section class="card" id="evidence">
            <h2>"Evidence"</h2>
            {(!evidence.is_empty()).then(|| view! {
                <ul class="evidence-list" id="evidence-list">
                    {evidence.into_iter().map(|e| view! {
                        <li data-testid="evidence">
                            <span class="chip">{e.kind_label}</span>
                            {e.primary_reviewer.then_some(" primary reviewer ")}
                            <a href=e.link.clone() target="_blank" rel="noreferrer">{e.link.clone()}</a>
                            <span class="muted">{if e.note.trim().is_empty() { format!(" {}", dates::long(&e.date)) } else { format!(" {} · {}", dates::long(&e.date), e.note) }}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <form id="evidence-form" class="inline-form" on:submit=submit novalidate>
                <label class=field_class(err, "kind")>
                    <span>"Kind"</span>
                    <select id="evidence-kind" on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>
                        {EvidenceKind::ALL.iter().map(|k| {
                            let key = k.as_str();
                            view! { <option value=key selected=move || form.with(|f| f.kind == key)>{k.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class=field_class(err, "link")>
                    <span>"Link"</span>
                    <input id="evidence-link" type="url" placeholder="https://github.com/…/pull/123"
                        prop:value=move || form.with(|f| f.link.clone())
                        on:input=move |ev| form.update(|f| f.link = event_target_value(&ev))/>
                </label>
                <label class=field_class(err, "date")>
                    <span>"Date"</span>
                    <input id="evidence-date" type="date" prop:value=move || form.with(|f| f.date.clone())
                        on:input=move |ev| form.update(|f| f.date = event_target_value(&ev))/>
                </label>
                <label class=field_class(err, "note")>
                    <span>"Note"</span>
                    <input id="evidence-note" type="text" prop:value=move || form.with(|f| f.note.clone())
                        on:input=move |ev| form.update(|f| f.note = event_target_value(&ev))/>
                </label>
                <label class="check"><input id="evidence-primary" type="checkbox" prop:checked=move || form.with(|f| f.primary_reviewer)
                    on:change=move |ev| form.update(|f| f.primary_reviewer = event_target_checked(&ev))/><span>"Primary reviewer"</span></label>
                <button id="add-evidence" type="submit">"Add evidence"</button>
            </form>
            <h3>"Readiness reviews"</h3>
            {if reviews.is_empty() {
                view! { <p class="muted">"None yet. The mentor writes one every 3 months."</p> }.into_any()
            } else {
                view! { <ul id="review-list">{reviews.into_iter().map(|r| view! {
                    <li data-testid="review"><strong>{if r.ready { "Ready" } else { "Not yet" }}</strong>{format!(" · {} · {}: {}", dates::long(&r.date), r.by, r.rationale)}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            {i_mentor.then(|| view! {
                <div class="inline-form review-form">
                    <label class=field_class(err, "rationale")>
                        <span>"Rationale"</span>
                        <input id="review-rationale" type="text" prop:value=move || review.with(|r| r.rationale.clone())
                            on:input=move |ev| review.update(|r| r.rationale = event_target_value(&ev))/>
                    </label>
                    <button id="review-ready" on:click=move |_| submit_review(true)>"Ready"</button>
                    <button id="review-not-yet" class="ghost" on:click=move |_| submit_review(false)>"Not yet"</button>
                </div>
            })}
            <ErrorBanner error=err id="evidence-error"/>
        </section>
    }
}

/// Pause, resume, end with a reason, graduate, or hand off to a new mentor.
#[component]
pub fn LifecycleCard(pair: PairView, on_saved: Callback<PairView>) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let reason = RwSignal::new(String::new());
    let new_mentor = RwSignal::new(String::new());
    let my_zone = pair
        .people
        .iter()
        .find(|p| Some(&p.id) == pair.me.as_ref())
        .and_then(|p| p.time_zone.clone());
    let zone = RwSignal::new(my_zone.clone().unwrap_or_else(dates::local_time_zone));
    let pid = StoredValue::new(pair.id.clone());
    let save_zone = move |_| {
        let edit = Edit::SetMyTimeZone {
            time_zone: zone.get_untracked(),
        };
        run_edit(pid.get_value(), edit, error, on_saved, || {});
    };
    let set = move |status: &'static str| {
        move |_| {
            let edit = Edit::SetPairStatus {
                status: status.into(),
                reason: reason.get_untracked(),
            };
            run_edit(pid.get_value(), edit, error, on_saved, move || {
                reason.set(String::new())
            });
        }
    };
    let hand_off = move |_| {
        let edit = Edit::HandOff {
            new_mentor: new_mentor.get_untracked(),
            reason: reason.get_untracked(),
        };
        run_edit(pid.get_value(), edit, error, on_saved, move || {
            new_mentor.set(String::new());
            reason.set(String::new());
        });
    };
    let live = matches!(pair.status.as_str(), "active" | "paused");
    let paused = pair.status == "paused";
    view! {
        <section class="card" id="lifecycle">
            <h2>"The pair"</h2>
            <p><span class="chip" id="pair-status">{pair.status_label.clone()}</span>
                {pair.status_reason.clone().map(|r| format!(" {r}"))}
                <span class="muted">{pair.status_changed.clone().map(|c| format!(" ({c})"))}</span></p>
            {live.then(|| view! {
                <div class="form">
                    <label class=field_class(err, "reason")>
                        <span>"Reason (needed to end the pair)"</span>
                        <input id="status-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <div class="actions left">
                        {if paused {
                            view! { <button id="resume-pair" on:click=set("active")>"Resume"</button> }.into_any()
                        } else {
                            view! { <button id="pause-pair" on:click=set("paused")>"Pause"</button> }.into_any()
                        }}
                        <button id="graduate-pair" on:click=set("graduated")>"Graduate"</button>
                        <button id="end-pair" class="danger" on:click=set("ended")>"End the pair"</button>
                    </div>
                    <div class="inline-form zone-form">
                        <label class=field_class(err, "time_zone")>
                            <span>{if my_zone.is_some() { "Your time zone" } else { "Your time zone (not set yet)" }}</span>
                            <input id="my-time-zone" type="text" prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev))/>
                        </label>
                        <button id="save-time-zone" class="ghost" on:click=save_zone>"Save"</button>
                    </div>
                    <div class="inline-form">
                        <label class=field_class(err, "new_mentor")>
                            <span>"Hand off to a new mentor"</span>
                            <input id="new-mentor" type="text" placeholder="Their name" prop:value=move || new_mentor.get() on:input=move |ev| new_mentor.set(event_target_value(&ev))/>
                        </label>
                        <button id="hand-off" class="ghost" on:click=hand_off>"Hand off"</button>
                    </div>
                </div>
            })}
            <ErrorBanner error=err id="lifecycle-error"/>
        </section>
    }
}

/// Notes only this person sees: kept on this laptop in a separate document that never syncs.
#[component]
pub fn PrivateNotes(pair: String) -> impl IntoView {
    let text = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let id = StoredValue::new(pair);
    spawn_local(async move {
        match ipc::get_private_notes(&id.get_value()).await {
            Ok(t) => text.set(Some(t)),
            Err(e) => error.set(Some(e)),
        }
    });
    let save = move |_| {
        let t = text.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match ipc::set_private_notes(&id.get_value(), &t).await {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" id="private">
            <h2>"Private notes"</h2>
            <p class="muted">"Only on this laptop. Never synced to your partner, never in a summary."</p>
            <textarea id="private-notes" rows="4" prop:value=move || text.get().unwrap_or_default()
                on:input=move |ev| { saved.set(false); text.set(Some(event_target_value(&ev))); }></textarea>
            <div class="actions">
                {move || saved.get().then(|| view! { <span class="ok" id="private-saved">"Saved"</span> })}
                <button id="save-private" on:click=save>"Save private notes"</button>
            </div>
            <ErrorBanner error=error id="private-error"/>
        </section>
    }
}

/// Who changed what and when, loaded when opened.
#[component]
pub fn History(pair: String) -> impl IntoView {
    let lines = RwSignal::new(None::<Result<Vec<HistoryEntry>, IpcError>>);
    let id = StoredValue::new(pair);
    let open = move |_| {
        spawn_local(async move { lines.set(Some(ipc::pair_history(&id.get_value()).await)) });
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

/// Feedback on one session, in both directions: a rating, words, and whether it may be shared.
#[component]
pub fn SessionFeedback(
    pair: String,
    session: String,
    given: Vec<tandem_core::view::FeedbackView>,
    on_saved: Callback<PairView>,
) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let open = RwSignal::new(false);
    let form = RwSignal::new(NewFeedback {
        kind: "session".into(),
        session: session.clone(),
        rating: "5".into(),
        ..NewFeedback::default()
    });
    let pid = StoredValue::new(pair);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut f = form.get_untracked();
        f.date = dates::today();
        run_edit(
            pid.get_value(),
            Edit::AddFeedback(f),
            error,
            on_saved,
            move || open.set(false),
        );
    };
    view! {
        <div class="session-feedback">
            {(!given.is_empty()).then(|| view! {
                <ul class="feedback-list">
                    {given.into_iter().map(|f| view! {
                        <li data-testid="session-feedback">{format!("{} → {}: {}", f.from, f.to.clone().unwrap_or_default(), f.rating.map(|r| format!("{r}/5 ")).unwrap_or_default())}{f.text}</li>
                    }).collect_view()}
                </ul>
            })}
            <button class="ghost give-feedback" on:click=move |_| open.update(|o| *o = !*o)>"Give feedback on this session"</button>
            <Show when=move || open.get()>
                <form class="inline-form feedback-form" on:submit=send novalidate>
                    <label class=field_class(err, "rating")>
                        <span>"Rating"</span>
                        <select class="feedback-rating" on:change=move |ev| form.update(|f| f.rating = event_target_value(&ev))>
                            {(1..=5).rev().map(|r: u8| view! { <option value=r.to_string() selected=move || form.with(|f| f.rating == r.to_string())>{format!("{r} / 5")}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class=field_class(err, "text")>
                        <span>"What worked, what to change"</span>
                        <input class="feedback-text" type="text" prop:value=move || form.with(|f| f.text.clone())
                            on:input=move |ev| form.update(|f| f.text = event_target_value(&ev))/>
                    </label>
                    <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.shareable)
                        on:change=move |ev| form.update(|f| f.shareable = event_target_checked(&ev))/><span>"May appear in a summary"</span></label>
                    <button type="submit" class="send-feedback">"Send"</button>
                </form>
            </Show>
            <ErrorBanner error=err id=format!("feedback-error-{session}")/>
        </div>
    }
}

/// Sharing the pair: the folder both laptops see, the invite, and how the last exchange went.
#[component]
pub fn SharingCard(pair: String) -> impl IntoView {
    let status = RwSignal::new(None::<tandem_core::view::SharingView>);
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let folder = RwSignal::new(String::new());
    let invite = RwSignal::new(None::<tandem_core::view::InviteView>);
    let id = StoredValue::new(pair);
    let refresh = move || {
        spawn_local(async move {
            match ipc::sharing_status(&id.get_value()).await {
                Ok(s) => {
                    if folder.get_untracked().is_empty() {
                        folder.set(s.folder.clone().unwrap_or_default());
                    }
                    status.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    refresh();
    // The backend rescans the folder every few seconds; show its latest exchange.
    let timer = set_interval_with_handle(refresh, std::time::Duration::from_secs(3)).ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    let set_folder = move |scope: &'static str, f: String| {
        spawn_local(async move {
            match ipc::set_share_folder(&id.get_value(), &f, scope).await {
                Ok(s) => {
                    error.set(None);
                    folder.set(s.folder.clone().unwrap_or_default());
                    status.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let progress = expect_context::<crate::app::ShareProgress>().0;
    let make_invite = move |_| {
        spawn_local(async move {
            match ipc::invite_partner(&id.get_value()).await {
                Ok(i) => {
                    error.set(None);
                    invite.set(Some(i));
                    refresh();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let peer_addr = RwSignal::new(String::new());
    let connect = move |_| {
        let addr = peer_addr.get_untracked();
        spawn_local(async move {
            match ipc::connect_peer(&id.get_value(), &addr).await {
                Ok(s) => {
                    error.set(None);
                    status.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let sync = move |_| {
        spawn_local(async move {
            match ipc::sync_now(&id.get_value()).await {
                Ok(s) => {
                    error.set(None);
                    status.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" id="sharing">
            <div class="section-head">
                <h2>"Sharing"</h2>
                <div class="actions left">
                    <button id="invite-partner" class="ghost" on:click=make_invite>"Invite partner"</button>
                    <button id="sync-now" class="ghost" on:click=sync>"Sync now"</button>
                </div>
            </div>
            {move || status.get().map(|s| view! {
                {s.keychain_error.clone().map(|e| view! { <p class="error" role="alert" id="keychain-error">{e}</p> })}
                <p class="muted" id="sync-status">{
                    match (&s.error, &s.last_exchange, s.folder.is_some()) {
                        (_, _, false) if !s.peers.is_empty() => "No shared folder: this pair syncs directly with your partner's laptop.".to_string(),
                        (_, _, false) => "Pick a folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick). Everything Tandem puts there is encrypted with this pair's key.".to_string(),
                        (Some(e), _, _) => format!("The last exchange failed: {e}"),
                        (None, Some(at), _) => format!(
                            "Last exchange {}{}{}",
                            at.replace('T', " ").trim_end_matches('Z'),
                            match s.pending {
                                Some(0) | None if s.up_to_date => " · up to date".to_string(),
                                Some(n) if n > 0 => format!(
                                    " · {n} change{} here not yet in the folder",
                                    if n == 1 { "" } else { "s" }
                                ),
                                _ => String::new(),
                            },
                            if s.waiting { " · waiting for earlier changes to arrive" } else { "" }
                        ),
                        (None, None, true) if s.shared => "Not exchanged yet in this session.".to_string(),
                        (None, None, true) => "This pair is not shared yet: invite your partner.".to_string(),
                    }
                }</p>
                {s.folder.clone().map(|f| {
                    let whose = if s.folder_own {
                        format!("This pair syncs through its own folder, {f}.")
                    } else {
                        format!("This pair syncs through the library's folder, {f}.")
                    };
                    view! {
                        <p class="muted" id="share-where">
                            {whose}
                            {s.folder_own.then(|| view! {
                                " "
                                <button id="use-library-folder" class="link" on:click=move |_| set_folder("pair", String::new())>{
                                    if s.library_folder.is_some() { "Use the library's folder" } else { "Stop using this folder" }
                                }</button>
                            })}
                        </p>
                    }
                })}
                {(s.listening.is_some() || !s.peers.is_empty()).then(|| view! {
                    <ul class="peers" id="peers">
                        {s.listening.clone().map(|l| view! {
                            <li class="muted" id="listening">{format!("Your partner's laptop can connect to this one directly at {l}.")}</li>
                        })}
                        {s.peers.clone().into_iter().map(|p| {
                            let state = if p.connected { "connected, edits flow live" } else { "not connected" };
                            let last = p.last_exchange.as_deref().map(|t| format!(" · last exchange {}", t.replace('T', " ").trim_end_matches('Z'))).unwrap_or_default();
                            let why = p.error.as_deref().map(|e| format!(" · {e}")).unwrap_or_default();
                            view! { <li data-testid="peer">{format!("Laptop at {}: {state}{last}{why}", p.addr)}</li> }
                        }).collect_view()}
                    </ul>
                })}
                {(!s.problems.is_empty()).then(|| view! {
                    <ul class="problems" id="sync-problems">
                        {s.problems.clone().into_iter().map(|(f, why)| view! { <li>{format!("Skipped {f}: {why}")}</li> }).collect_view()}
                    </ul>
                })}
            })}
            {move || progress.get().filter(|p| p.pair == id.get_value() && !p.finished()).map(|p| view! {
                <div class="sync-progress" id="sync-progress" role="status">
                    <progress max=p.bytes.max(1) value=p.bytes_done></progress>
                    <span class="muted">{p.sentence()}</span>
                </div>
            })}
            <div class="inline-form folder-form">
                <label class=field_class(err, "folder")>
                    <span>"Shared folder"</span>
                    <span class="with-button">
                        <input id="share-folder" type="text" placeholder="/home/you/Dropbox/tandem"
                            prop:value=move || folder.get() on:input=move |ev| folder.set(event_target_value(&ev))/>
                        <button type="button" id="choose-share-folder" class="ghost" on:click=move |_| crate::routes::library::choose_into(folder, error)>"Choose…"</button>
                    </span>
                </label>
                <button id="set-share-folder" class="ghost" title="Every pair without a folder of its own syncs through it"
                    on:click=move |_| set_folder("library", folder.get_untracked())>"Use for all pairs"</button>
                <button id="set-pair-folder" class="ghost" title="A folder shared with this partner only"
                    on:click=move |_| set_folder("pair", folder.get_untracked())>"Use for this pair only"</button>
            </div>
            <div class="inline-form zone-form">
                <label class=field_class(err, "peer")>
                    <span>"Or sync directly with your partner's laptop (same network, or by address)"</span>
                    <input id="peer-addr" type="text" placeholder="192.168.1.20:7890"
                        prop:value=move || peer_addr.get() on:input=move |ev| peer_addr.set(event_target_value(&ev))/>
                </label>
                <button id="connect-peer" class="ghost" on:click=connect>"Connect"</button>
            </div>
            {move || invite.get().map(|i| view! {
                <div class="invite" id="invite">
                    <p class="warning">"Anyone holding this link can read the whole pair. Send it to your partner privately (not in a public channel)."</p>
                    <label class="field"><span>"Link"</span><input id="invite-link" type="text" readonly prop:value=i.link.clone()/></label>
                    <label class="field"><span>"Or the code"</span><input id="invite-code" type="text" readonly prop:value=i.code.clone()/></label>
                </div>
            })}
            <ErrorBanner error=err id="sharing-error"/>
        </section>
    }
}
