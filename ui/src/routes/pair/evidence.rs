//! The evidence log (pull requests reviewed and authored, issues, talks, docs) and the mentor's
//! readiness reviews.

use leptos::prelude::*;
use tandem_core::pair::FeedbackEdit;
use tandem_core::pair::input::{NewEvidence, NewReview};
use tandem_core::vocab::{EvidenceKind, Role};

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::Card;
use crate::components::form::{Check, Field, Input, Select};
use crate::{dates, lens};

#[component]
pub fn EvidenceCard(state: PairState) -> impl IntoView {
    let evidence = state.part(|v| v.evidence.clone());
    let reviews = state.part(|v| v.reviews.clone());
    let i_mentor = state.part(|v| {
        v.people
            .iter()
            .find(|p| Some(&p.id) == v.me.as_ref())
            .is_some_and(|p| Role::parse(&p.role).is_some_and(|r| r != Role::Mentee))
    });
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
    let editor = Editor::new(state, move || {
        form.set(blank());
        review.update(|r| r.rationale.clear());
    });
    let err = editor.error();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(FeedbackEdit::AddEvidence(form.get_untracked()));
    };
    let submit_review = move |ready: bool| {
        let mut r = review.get_untracked();
        r.ready = ready;
        editor.run(FeedbackEdit::ReviewReadiness(r));
    };
    let kinds = EvidenceKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label().to_string()))
        .collect::<Vec<_>>();
    view! {
        <Card id="evidence" title="Evidence">
            {move || evidence.with(|list| (!list.is_empty()).then(|| view! {
                <ul class="evidence-list" id="evidence-list">
                    {list.iter().map(|e| view! {
                        <li data-testid="evidence">
                            <span class="chip">{e.kind_label.clone()}</span>
                            {e.primary_reviewer.then_some(" primary reviewer ")}
                            {match tandem_core::validate::web_link(&e.link) {
                                // Synced from elsewhere, a link may be anything: only web
                                // addresses are links.
                                Some(url) => view! { <a href=url.to_string() target="_blank" rel="noreferrer">{url.to_string()}</a> }.into_any(),
                                None => view! { <span class="unsafe-link">{e.link.clone()}</span> }.into_any(),
                            }}
                            <span class="muted">{if e.note.trim().is_empty() { format!(" {}", dates::long(&e.date)) } else { format!(" {} · {}", dates::long(&e.date), e.note) }}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }))}
            <form id="evidence-form" class="inline-form" on:submit=submit novalidate>
                <Select form=form lens=lens!(NewEvidence, kind) label="Kind" name="kind" error=err id="evidence-kind" options=kinds/>
                <Field form=form lens=lens!(NewEvidence, link) label="Link" name="link" error=err id="evidence-link"
                    input=Input::Url placeholder="https://github.com/…/pull/123"/>
                <Field form=form lens=lens!(NewEvidence, date) label="Date" name="date" error=err id="evidence-date" input=Input::Date/>
                <Field form=form lens=lens!(NewEvidence, note) label="Note" name="note" error=err id="evidence-note"/>
                <Check form=form get=|f: &NewEvidence| f.primary_reviewer set=|f: &mut NewEvidence, on| f.primary_reviewer = on
                    label="Primary reviewer" id="evidence-primary"/>
                <button id="add-evidence" type="submit">"Add evidence"</button>
            </form>
            <h3>"Readiness reviews"</h3>
            {move || reviews.with(|list| if list.is_empty() {
                view! { <p class="muted">"None yet. The mentor writes one every 3 months."</p> }.into_any()
            } else {
                view! { <ul id="review-list">{list.iter().map(|r| view! {
                    <li data-testid="review"><strong>{if r.ready { "Ready" } else { "Not yet" }}</strong>{format!(" · {} · {}: {}", dates::long(&r.date), r.by, r.rationale)}</li>
                }).collect_view()}</ul> }.into_any()
            })}
            <Show when=move || i_mentor.get()>
                <div class="inline-form review-form">
                    <Field form=review lens=lens!(NewReview, rationale) label="Rationale" name="rationale" error=err id="review-rationale"/>
                    <button id="review-ready" on:click=move |_| submit_review(true)>"Ready"</button>
                    <button id="review-not-yet" class="ghost" on:click=move |_| submit_review(false)>"Not yet"</button>
                </div>
            </Show>
            <ErrorBanner error=err id="evidence-error"/>
        </Card>
    }
}
