//! The top of the pair: its title, programme and people, what needs attention, and at a glance
//! the next session and the time spent together.

use leptos::prelude::*;

use super::state::PairState;
use crate::dates;

#[component]
pub fn Head(state: PairState) -> impl IntoView {
    let title = state.part(|v| v.title.clone());
    let meta = state.part(|v| {
        [
            v.programme_label.as_str(),
            v.target_role.as_str(),
            v.status_label.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    });
    let people = state.part(|v| {
        v.people
            .iter()
            .map(|p| {
                let me = if Some(&p.id) == v.me.as_ref() {
                    " (you)"
                } else {
                    ""
                };
                format!("{} {}{me}", p.role_label, p.name)
            })
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let reminders = state.part(|v| v.reminders.clone());
    let read_only = state.part(|v| v.read_only.clone());
    view! {
        {move || read_only.get().map(|why| view! {
            <p class="warning" role="status" id="read-only">{why}</p>
        })}
        <section class="pair-head">
            <h1 id="pair-title">{title}</h1>
            <p class="muted">{meta}</p>
            <p class="people">{people}</p>
        </section>
        {move || reminders.with(|r| (!r.is_empty()).then(|| view! {
            <section class="card reminders" id="reminders">
                <ul>{r.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            </section>
        }))}
    }
}

#[component]
pub fn Glance(state: PairState) -> impl IntoView {
    let next = state.part(|v| {
        v.next_session
            .as_deref()
            .map_or_else(|| "Not scheduled".to_string(), dates::long)
    });
    let schedule = state.part(|v| {
        v.schedule.as_ref().map_or_else(
            || "No agreed schedule yet.".to_string(),
            |s| format!("{} · about {} min a week", s.summary, s.weekly_minutes),
        )
    });
    let count = state.part(|v| match v.sessions.len() {
        1 => "1 session".to_string(),
        n => format!("{n} sessions"),
    });
    let hours = state.part(|v| format!("{:.1}", v.total_minutes as f64 / 60.0));
    view! {
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
    }
}
