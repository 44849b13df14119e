//! Goals: each SMART goal with its agreement, progress and what can be done with it now, and the
//! form to propose one. Open goals come first, newest first; a long pair draws six and the rest
//! when asked (or when a search opens one of them). Goals are drawn by id, each from its own part of the view, so a change to
//! one goal redraws only that goal and an open form keeps what was typed.

use leptos::prelude::*;
use tandem_core::pair::GoalEdit;
use tandem_core::pair::input::{NewEvaluation, NewGoal};
use tandem_core::pair::view::GoalView;

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;
use crate::components::form::Card;
use crate::components::form::{Field, Input};
use crate::nav::Focus;
use crate::{dates, lens};

/// Goals drawn at first; a long pair's others are one press away.
const FIRST_GOALS: usize = 6;

/// Goals in the order they are drawn: the ones still open before the achieved and dropped ones,
/// newest first in each (ids are ULIDs: they sort by when the goal was proposed).
fn drawn_order(goals: &[GoalView]) -> Vec<String> {
    let finished = |g: &GoalView| matches!(g.status.as_str(), "achieved" | "dropped");
    let mut order: Vec<&GoalView> = goals.iter().collect();
    order.sort_by(|a, b| finished(a).cmp(&finished(b)).then_with(|| b.id.cmp(&a.id)));
    order.into_iter().map(|g| g.id.clone()).collect()
}

#[component]
pub fn Goals(state: PairState) -> impl IntoView {
    let ids = state.part(|v| drawn_order(&v.goals));
    let all = RwSignal::new(false);
    let visible = Memo::new(move |_| {
        ids.with(|ids| {
            let n = if all.get() { ids.len() } else { FIRST_GOALS };
            ids.iter().take(n).cloned().collect::<Vec<_>>()
        })
    });
    let hidden = move || ids.with(Vec::len).saturating_sub(visible.with(Vec::len));
    // A search opened a goal not drawn yet: draw them all.
    let focus = expect_context::<Focus>();
    Effect::new(move |_| {
        let wanted = focus.wanted("goal-");
        if wanted.is_some_and(|w| ids.with(|ids| ids.iter().skip(FIRST_GOALS).any(|g| *g == w))) {
            all.set(true);
        }
    });
    view! {
        <Card id="goals" title="Goals">
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted">"No goals yet. SMART goals keep the sessions pointed somewhere."</p>
            </Show>
            <ul class="goals" id="goal-list">
                <For each=move || visible.get() key=|id| id.clone() let:id>
                    <GoalItem state=state id=id/>
                </For>
            </ul>
            <Show when=move || { hidden() > 0 }>
                <button id="show-all-goals" class="ghost" on:click=move |_| all.set(true)>
                    {move || format!("Show all goals ({} more)", hidden())}
                </button>
            </Show>
            <AddGoalForm state=state/>
        </Card>
    }
}

#[component]
fn AddGoalForm(state: PairState) -> impl IntoView {
    let form = RwSignal::new(NewGoal::default());
    let editor = Editor::new(state, move || form.set(NewGoal::default()));
    let err = editor.error();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(GoalEdit::Propose(form.get_untracked()));
    };
    view! {
        <form id="add-goal-form" class="inline-form" on:submit=submit novalidate>
            <Field form=form lens=lens!(NewGoal, title) label="New goal" name="title" error=err
                id="goal-title" placeholder="e.g. Primary reviewer on 5 PRs"/>
            <Field form=form lens=lens!(NewGoal, measurable) label="Measured by" name="measurable" error=err
                id="goal-measurable" placeholder="e.g. 5 PRs with you as primary reviewer"/>
            <Field form=form lens=lens!(NewGoal, due) label="Due" name="due" error=err id="goal-due" input=Input::Date/>
            <button id="add-goal" type="submit" prop:disabled=editor.busy()>"Propose goal"</button>
            <ErrorBanner error=err id="goal-error"/>
        </form>
    }
}

/// The goal's terms as a form to edit them.
fn terms_of(g: &GoalView) -> NewGoal {
    NewGoal {
        title: g.title.clone(),
        specific: g.specific.clone(),
        measurable: g.measurable.clone(),
        achievable: g.achievable.clone(),
        relevant: g.relevant.clone(),
        due: g.due.clone().unwrap_or_default(),
    }
}

/// One goal: its SMART terms, agreement, progress, and what can be done with it now.
#[component]
fn GoalItem(state: PairState, id: String) -> impl IntoView {
    let gid = StoredValue::new(id.clone());
    let goal = state.part(move |v| v.goals.iter().find(|g| g.id == id).cloned());
    let me = state.me();
    let evaluating = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let terms =
        RwSignal::new(goal.with_untracked(|g| g.as_ref().map(terms_of).unwrap_or_default()));
    let eval = RwSignal::new(NewEvaluation {
        date: dates::today(),
        ..NewEvaluation::default()
    });
    let editor = Editor::new(state, move || {
        editing.set(false);
        evaluating.set(false);
    });
    let err = editor.error();
    let goal_id = move || gid.get_value();
    let status = move |s: &'static str| {
        move |_| {
            editor.run(GoalEdit::SetStatus {
                goal_id: goal_id(),
                status: s.into(),
            })
        }
    };
    let submit_terms = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(GoalEdit::Edit {
            goal_id: goal_id(),
            goal: terms.get_untracked(),
        });
    };
    let submit_eval = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.run(GoalEdit::Evaluate {
            goal_id: goal_id(),
            evaluation: eval.get_untracked(),
        });
    };
    // Opening the editor starts from the goal as it now stands.
    let toggle_edit = move |_| {
        if !editing.get_untracked()
            && let Some(g) = goal.get_untracked()
        {
            terms.set(terms_of(&g));
        }
        editing.update(|e| *e = !*e);
    };
    let head = move || {
        goal.get().map(|g| {
            let smart: Vec<(&str, String)> = [
                ("Specific", g.specific.clone()),
                ("Measurable", g.measurable.clone()),
                ("Achievable", g.achievable.clone()),
                ("Relevant", g.relevant.clone()),
            ]
            .into_iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
            let agreement = (g.status == "proposed").then(|| {
                format!(
                    "Proposed by {}; agreed by {}.",
                    g.proposed_by,
                    g.agreed_by.join(" and ")
                )
            });
            let latest = g.evaluations.first().map(|e| {
                format!(
                    "Last evaluated {} by {}: {}% — {}",
                    dates::long(&e.date),
                    e.by,
                    e.progress,
                    e.note
                )
            });
            view! {
                <div class="goal-head">
                    <span class="goal-title">{g.title.clone()}</span>
                    <span class="chip">{g.status_label.clone()}</span>
                    {g.due_for_review.then(|| view! { <span class="chip warn">"Due for review"</span> })}
                    {g.progress.map(|p| view! { <span class="progress"><span style=format!("width:{p}%")></span></span><span class="muted">{p}"%"</span> })}
                    <span class="muted">{g.due.clone().map(|d| format!("due {}", dates::long(&d))).unwrap_or_default()}</span>
                </div>
                {(!smart.is_empty()).then(|| view! {
                    <dl class="smart">{smart.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
                })}
                {agreement.map(|a| view! { <p class="muted">{a}</p> })}
                {latest.map(|l| view! { <p class="muted">{l}</p> })}
            }
        })
    };
    let can_agree = move || {
        goal.with(|g| {
            g.as_ref().is_some_and(|g| {
                g.status == "proposed" && !g.agreed_ids.iter().any(|p| *p == me.get())
            })
        })
    };
    let open = move || {
        goal.with(|g| {
            g.as_ref()
                .is_some_and(|g| matches!(g.status.as_str(), "proposed" | "active"))
        })
    };
    view! {
        <li data-testid="goal" class="goal" id=format!("goal-{}", gid.get_value())>
            {head}
            <div class="actions left">
                <Show when=can_agree>
                    <button class="primary agree-goal" on:click=move |_| editor.run(GoalEdit::Agree { goal_id: goal_id() })>"Agree"</button>
                </Show>
                <Show when=open>
                    <button class="ghost evaluate-goal" on:click=move |_| evaluating.update(|e| *e = !*e)>"Evaluate"</button>
                    <button class="ghost achieve-goal" on:click=status("achieved")>"Achieved"</button>
                    <button class="ghost drop-goal" on:click=status("dropped")>"Drop"</button>
                    <button class="ghost edit-goal" on:click=toggle_edit>"Edit"</button>
                </Show>
            </div>
            <Show when=move || editing.get()>
                <form class="form goal-edit-form" on:submit=submit_terms novalidate>
                    <p class="muted">"Changing a goal asks your partner to agree to it again."</p>
                    <Field form=terms lens=lens!(NewGoal, title) label="Goal" name="title" error=err class="goal-edit-title"/>
                    <Field form=terms lens=lens!(NewGoal, specific) label="Specific: what exactly?" name="specific" error=err class="goal-edit-specific"/>
                    <Field form=terms lens=lens!(NewGoal, measurable) label="Measurable: how will you know?" name="measurable" error=err class="goal-edit-measurable"/>
                    <Field form=terms lens=lens!(NewGoal, achievable) label="Achievable: with what support?" name="achievable" error=err class="goal-edit-achievable"/>
                    <Field form=terms lens=lens!(NewGoal, relevant) label="Relevant: why it matters for the role" name="relevant" error=err class="goal-edit-relevant"/>
                    <Field form=terms lens=lens!(NewGoal, due) label="Time-bound: due" name="due" error=err class="goal-edit-due" input=Input::Date/>
                    <div class="actions">
                        <button type="button" class="ghost" on:click=move |_| editing.set(false)>"Cancel"</button>
                        <button type="submit" class="primary save-goal">"Save goal"</button>
                    </div>
                </form>
            </Show>
            <Show when=move || evaluating.get()>
                <form class="inline-form evaluation-form" on:submit=submit_eval novalidate>
                    <Field form=eval lens=lens!(NewEvaluation, progress) label="Progress %" name="progress" error=err
                        class="eval-progress" input=Input::Number min="0" max="100"/>
                    <Field form=eval lens=lens!(NewEvaluation, note) label="Note" name="note" error=err class="eval-note"/>
                    <button type="submit" class="save-evaluation">"Save evaluation"</button>
                </form>
            </Show>
            <ErrorBanner error=err id=format!("goal-error-{}", gid.get_value())/>
        </li>
    }
}
