//! Monthly check-in in one click, a concern otherwise; "how is this going" on a 1–5 scale; the
//! closing survey once the pair has ended; open concerns and recent feedback.

use leptos::prelude::*;
use tandem_core::pair::FeedbackEdit;
use tandem_core::pair::input::NewFeedback;

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::Card;
use crate::components::form::field_class;
use crate::dates;

#[component]
pub fn CheckInCard(state: PairState) -> impl IntoView {
    let finished = state.part(|v| matches!(v.status.as_str(), "ended" | "graduated"));
    let concerns = state.part(|v| {
        v.feedback
            .iter()
            .filter(|f| f.all_well == Some(false) && !f.resolved)
            .map(|f| {
                (
                    f.id.clone(),
                    format!("{} ({}, {})", f.text, f.from, dates::long(&f.date)),
                )
            })
            .collect::<Vec<_>>()
    });
    let recent = state.part(|v| {
        v.feedback
            .iter()
            .take(5)
            .map(|f| {
                let what = match (f.all_well, f.rating) {
                    (Some(true), _) => "all is well".to_string(),
                    (Some(false), _) => format!("concern: {}", f.text),
                    (None, Some(r)) => format!("{r}/5 {}", f.text),
                    (None, None) => f.text.clone(),
                };
                (
                    dates::long(&f.date),
                    format!(
                        " {} · {}: {what}{}",
                        f.kind_label,
                        f.from,
                        if f.shareable {
                            ""
                        } else {
                            " · private to the pair"
                        }
                    ),
                )
            })
            .collect::<Vec<_>>()
    });
    let concern = RwSignal::new(None::<String>);
    let shareable = RwSignal::new(false);
    let midpoint = RwSignal::new(false);
    let closing = RwSignal::new(String::new());
    let editor = Editor::new(state, move || {
        concern.set(None);
        closing.set(String::new());
    });
    let err = editor.error();
    let give = move |f: NewFeedback| {
        editor.run(FeedbackEdit::Give(NewFeedback {
            date: dates::today(),
            shareable: shareable.get_untracked(),
            ..f
        }))
    };
    let check_in = move |all_well: bool, text: String| {
        give(NewFeedback {
            kind: if midpoint.get_untracked() {
                "midpoint"
            } else {
                "check-in"
            }
            .into(),
            all_well,
            text,
            ..NewFeedback::default()
        })
    };
    let close = move |_| {
        give(NewFeedback {
            kind: "closing".into(),
            text: closing.get_untracked(),
            ..NewFeedback::default()
        })
    };
    let pulse = move |rating: u8| {
        give(NewFeedback {
            kind: "pulse".into(),
            rating: rating.to_string(),
            ..NewFeedback::default()
        })
    };
    view! {
        <Card id="check-in" title="Check-in">
            <div class="actions left">
                <button id="all-well" class="primary" on:click=move |_| check_in(true, String::new())>"All is well"</button>
                <button id="raise-concern" class="ghost" on:click=move |_| concern.set(Some(String::new()))>"Something's not right…"</button>
                <label class="check"><input id="check-in-midpoint" type="checkbox" prop:checked=move || midpoint.get()
                    on:change=move |ev| midpoint.set(event_target_checked(&ev))/><span>"Midpoint check-in"</span></label>
                <label class="check"><input id="feedback-shareable" type="checkbox" prop:checked=move || shareable.get()
                    on:change=move |ev| shareable.set(event_target_checked(&ev))/><span>"May appear in a summary"</span></label>
            </div>
            <Show when=move || finished.get()>
                <div class="form" id="closing-survey">
                    <label class=field_class(err, "text")>
                        <span>"Closing survey: what did this mentorship give you, and what would you change?"</span>
                        <textarea id="closing-text" rows="3" prop:value=move || closing.get() on:input=move |ev| closing.set(event_target_value(&ev))></textarea>
                    </label>
                    <div class="actions"><button id="send-closing" class="primary" on:click=close>"Send closing survey"</button></div>
                </div>
            </Show>
            <Show when=move || concern.with(Option::is_some)>
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
            {move || concerns.with(|list| (!list.is_empty()).then(|| view! {
                <ul class="concerns" id="concerns">
                    {list.iter().map(|(id, text)| {
                        let fid = id.clone();
                        view! { <li data-testid="concern"><span>{text.clone()}</span><button class="ghost resolve-concern"
                            on:click=move |_| editor.run(FeedbackEdit::ResolveConcern { feedback_id: fid.clone() })>"Resolved"</button></li> }
                    }).collect_view()}
                </ul>
            }))}
            {move || recent.with(|list| (!list.is_empty()).then(|| view! {
                <ul class="feedback-list" id="feedback-list">
                    {list.iter().map(|(date, rest)| view! { <li data-testid="feedback"><span class="muted">{date.clone()}</span>{rest.clone()}</li> }).collect_view()}
                </ul>
            }))}
            <ErrorBanner error=err id="check-in-error"/>
        </Card>
    }
}
