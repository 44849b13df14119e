//! The agreed schedule: what it is, who still has to agree, a form to propose a new one, and the
//! calendar export.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{ExportSchedule, Id};
use tandem_core::pair::ScheduleEdit;
use tandem_core::pair::input::NewSchedule;
use tandem_core::pair::view::ScheduleView;
use tandem_core::vocab::{Cadence, Weekday};

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::{Field, Input, Select};
use crate::{dates, ipc, lens};

/// The schedule as a form: the one standing, or a weekly 30 minutes from today.
fn form_of(s: Option<&ScheduleView>) -> NewSchedule {
    s.map_or_else(
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
    )
}

#[component]
pub fn ScheduleCard(state: PairState) -> impl IntoView {
    let schedule = state.part(|v| v.schedule.clone());
    let me = state.me();
    let editing = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let export_error = RwSignal::new(None::<IpcError>);
    let form = RwSignal::new(form_of(schedule.get_untracked().as_ref()));
    let editor = Editor::new(state, move || editing.set(false));
    let err = editor.error();
    let shown_error = Signal::derive(move || export_error.get().or_else(|| err.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(ScheduleEdit::Propose(form.get_untracked()));
    };
    let open_form = move |_| {
        if !editing.get_untracked() {
            form.set(form_of(schedule.get_untracked().as_ref()));
        }
        editing.update(|e| *e = !*e);
    };
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let args = Id {
                id: state.id.get_value(),
            };
            // Cancelled in the save dialog: nothing changes.
            match ipc::call::<ExportSchedule>(&args).await {
                Ok(Some(path)) => {
                    export_error.set(None);
                    exported.set(Some(path));
                }
                Ok(None) => {}
                Err(e) => export_error.set(Some(e)),
            }
        });
    };
    let must_agree = move || {
        schedule.with(|s| {
            s.as_ref()
                .is_some_and(|s| !s.agreed_ids.contains(&me.get()))
        })
    };
    let cadences = Cadence::ALL
        .iter()
        .map(|c| (c.as_str(), c.label().to_string()))
        .collect::<Vec<_>>();
    let weekdays = std::iter::once(("", "The start's weekday".to_string()))
        .chain(
            Weekday::ALL
                .iter()
                .map(|w| (w.as_str(), w.label().to_string())),
        )
        .collect::<Vec<_>>();
    view! {
        <section class="card" id="schedule">
            <div class="section-head">
                <h2>"Schedule"</h2>
                <div class="actions left">
                    <Show when=move || schedule.with(Option::is_some)>
                        <button id="export-ics" class="ghost" on:click=export>"Export to calendar (.ics)…"</button>
                        <button id="edit-schedule" class="ghost" on:click=open_form>"Change"</button>
                    </Show>
                </div>
            </div>
            {move || schedule.get().map(|s| {
                let status = if s.awaiting.is_empty() {
                    "Agreed by both of you.".to_string()
                } else {
                    format!("Waiting for {} to agree.", s.awaiting.join(" and "))
                };
                view! {
                    <p id="schedule-summary"><strong>{s.summary.clone()}</strong></p>
                    <p class="muted">{format!("About {} min a week. ", s.weekly_minutes)}<span id="schedule-status">{status}</span></p>
                }
            })}
            <Show when=move || schedule.with(Option::is_none)>
                <p class="muted">"No schedule yet. Agree one together, e.g. 30 min weekly for 6 weeks, then reassess."</p>
                <Show when=move || !editing.get()>
                    <button id="open-schedule" class="primary" on:click=open_form>"Propose a schedule"</button>
                </Show>
            </Show>
            <Show when=must_agree>
                <button id="agree-schedule" class="primary" on:click=move |_| editor.run(ScheduleEdit::Agree)>"Agree to this schedule"</button>
            </Show>
            {move || exported.get().map(|p| view! { <crate::components::saved::SavedFile path=p id="export-path"/> })}
            <Show when=move || editing.get()>
                <form id="schedule-form" class="form" on:submit=submit novalidate>
                    <div class="row">
                        <Select form=form lens=lens!(NewSchedule, cadence) label="How often" name="cadence" error=err
                            id="schedule-cadence" options=cadences.clone()/>
                        <Show when=move || form.with(|f| f.cadence == "custom")>
                            <Field form=form lens=lens!(NewSchedule, every_days) label="Every … days" name="every_days"
                                error=err id="schedule-every" input=Input::Number min="1"/>
                        </Show>
                        <Select form=form lens=lens!(NewSchedule, weekday) label="On" name="weekday" error=err
                            id="schedule-weekday" options=weekdays.clone()/>
                        <Field form=form lens=lens!(NewSchedule, time) label="At" name="time" error=err
                            id="schedule-time" input=Input::Time/>
                        <Field form=form lens=lens!(NewSchedule, time_zone) label="Time zone" name="time_zone" error=err
                            id="schedule-tz" placeholder="Europe/Berlin"/>
                    </div>
                    <div class="row">
                        <Field form=form lens=lens!(NewSchedule, minutes) label="Minutes" name="minutes" error=err
                            id="schedule-minutes" input=Input::Number min="1" max="720"/>
                        <Field form=form lens=lens!(NewSchedule, start) label="From" name="start" error=err
                            id="schedule-start" input=Input::Date/>
                        <Field form=form lens=lens!(NewSchedule, sessions) label="For … sessions" name="sessions" error=err
                            id="schedule-sessions" input=Input::Number min="1"/>
                        <Field form=form lens=lens!(NewSchedule, end) label="Or until" name="end" error=err
                            id="schedule-end" input=Input::Date/>
                        <Field form=form lens=lens!(NewSchedule, reassess) label="Then reassess on" name="reassess" error=err
                            id="schedule-reassess" input=Input::Date/>
                    </div>
                    <div class="actions">
                        <button id="propose-schedule" type="submit" class="primary">"Propose schedule"</button>
                    </div>
                </form>
            </Show>
            <ErrorBanner error=shown_error id="schedule-error"/>
        </section>
    }
}
