//! The pair itself: pause, resume, end with a reason, graduate, hand off to a new mentor, and
//! this person's time zone.

use leptos::prelude::*;
use tandem_core::pair::LifecycleEdit;

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::Card;
use crate::components::form::field_class;
use crate::dates;

#[component]
pub fn LifecycleCard(state: PairState) -> impl IntoView {
    let status = state.part(|v| v.status.clone());
    let label = state.part(|v| v.status_label.clone());
    let reason_shown = state.part(|v| v.status_reason.clone().map(|r| format!(" {r}")));
    let changed = state.part(|v| v.status_changed.clone().map(|c| format!(" ({c})")));
    let my_zone = state.part(|v| {
        v.people
            .iter()
            .find(|p| Some(&p.id) == v.me.as_ref())
            .and_then(|p| p.time_zone.clone())
    });
    let reason = RwSignal::new(String::new());
    let new_mentor = RwSignal::new(String::new());
    let zone = RwSignal::new(
        my_zone
            .get_untracked()
            .unwrap_or_else(dates::local_time_zone),
    );
    let editor = Editor::new(state, move || {
        reason.set(String::new());
        new_mentor.set(String::new());
    });
    let err = editor.error();
    let set = move |status: &'static str| {
        move |_| {
            editor.run(LifecycleEdit::SetStatus {
                status: status.into(),
                reason: reason.get_untracked(),
            })
        }
    };
    let hand_off = move |_| {
        editor.run(LifecycleEdit::HandOff {
            new_mentor: new_mentor.get_untracked(),
            reason: reason.get_untracked(),
        })
    };
    let save_zone = move |_| {
        editor.run(LifecycleEdit::SetMyTimeZone {
            time_zone: zone.get_untracked(),
        })
    };
    let live = move || status.with(|s| matches!(s.as_str(), "active" | "paused"));
    let paused = move || status.with(|s| s == "paused");
    view! {
        <Card id="lifecycle" title="The pair">
            <p><span class="chip" id="pair-status">{label}</span>
                {reason_shown}
                <span class="muted">{changed}</span></p>
            <Show when=live>
                <div class="form">
                    <label class=field_class(err, "reason")>
                        <span>"Reason (needed to end the pair)"</span>
                        <input id="status-reason" type="text" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <div class="actions left">
                        <Show when=paused fallback=move || view! { <button id="pause-pair" on:click=set("paused")>"Pause"</button> }>
                            <button id="resume-pair" on:click=set("active")>"Resume"</button>
                        </Show>
                        <button id="graduate-pair" on:click=set("graduated")>"Graduate"</button>
                        <button id="end-pair" class="danger" on:click=set("ended")>"End the pair"</button>
                    </div>
                    <div class="inline-form zone-form">
                        <label class=field_class(err, "time_zone")>
                            <span>{move || if my_zone.with(Option::is_some) { "Your time zone" } else { "Your time zone (not set yet)" }}</span>
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
            </Show>
            <ErrorBanner error=err id="lifecycle-error"/>
        </Card>
    }
}
