//! Feedback both ways, check-ins and the concerns they raise, the mentor's readiness reviews, and
//! the evidence log.

use automerge::{AutoCommit, ObjType, ROOT, transaction::Transactable};
use autosurgeon::{Text, reconcile_prop};

use super::{
    Applied, Ctx, collection, created, current_people, done, entry, invalid, people, require_me,
    stamp,
};
use crate::doc::require;
use crate::error::OpError;
use crate::pair::input::{NewEvidence, NewFeedback, NewReview};
use crate::pair::schema::{Evidence, Feedback, ReadinessReview};
use crate::pair::validate;
use crate::vocab::{FeedbackKind, Role};

/// The partner a feedback entry is addressed to: the other current person, when there is one.
fn partner_of(doc: &AutoCommit, me: &str) -> Result<Option<String>, OpError> {
    let others: Vec<String> = current_people(doc)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| id != me)
        .collect();
    Ok((others.len() == 1).then(|| others[0].clone()))
}

pub(super) fn add_feedback(
    doc: &mut AutoCommit,
    input: &NewFeedback,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::feedback(input)?;
    let me = require_me(doc)?;
    let session = match input.session.trim() {
        "" => None,
        s => {
            let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
            require(doc, &sessions, s, ObjType::Map, "session")?;
            Some(s.to_string())
        }
    };
    let is_check_in = matches!(v.kind, FeedbackKind::CheckIn | FeedbackKind::Midpoint);
    let f = Feedback {
        kind: v.kind.as_str().into(),
        session,
        to: partner_of(doc, &me)?,
        from: me,
        date: v.date.to_string(),
        rating: v.rating,
        text: Text::with_value(&input.text),
        shareable: input.shareable,
        all_well: is_check_in.then_some(input.all_well),
        resolved_at: None,
        created_at: Some(stamp(ctx.now)),
    };
    let coll = collection(doc, "feedback")?;
    reconcile_prop(doc, &coll, ctx.new_id.as_str(), &f)?;
    let what = match (is_check_in, input.all_well) {
        (true, true) => format!("{}: all is well", v.kind.label()),
        (true, false) => format!("{}: raise a concern", v.kind.label()),
        _ => format!("Give feedback ({})", v.kind.label().to_lowercase()),
    };
    created(&ctx.new_id, what)
}

pub(super) fn resolve_concern(
    doc: &mut AutoCommit,
    id: &str,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let coll = collection(doc, "feedback")?;
    let f: Feedback = entry(doc, &coll, id, "check-in")?;
    if f.all_well != Some(false) {
        return Err(invalid("feedback_id", "That entry raised no concern."));
    }
    if f.resolved_at.is_some() {
        return Err(invalid("feedback_id", "That concern is already resolved."));
    }
    let entry_obj = require(doc, &coll, id, ObjType::Map, "check-in")?;
    doc.put(&entry_obj, "resolved_at", stamp(ctx.now))?;
    done("Resolve a concern")
}

pub(super) fn review_readiness(
    doc: &mut AutoCommit,
    input: &NewReview,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let date = validate::review(input)?;
    let me = require_me(doc)?;
    let role = people(doc)?
        .get(&me)
        .and_then(|p| Role::parse(&p.role))
        .unwrap_or(Role::Mentee);
    if role == Role::Mentee {
        return Err(invalid(
            "ready",
            "Readiness reviews are written by the mentor.",
        ));
    }
    let r = ReadinessReview {
        date: date.to_string(),
        by: me,
        ready: input.ready,
        rationale: Text::with_value(&input.rationale),
    };
    let coll = collection(doc, "readiness_reviews")?;
    reconcile_prop(doc, &coll, ctx.new_id.as_str(), &r)?;
    created(
        &ctx.new_id,
        format!(
            "Readiness review: {}",
            if input.ready { "ready" } else { "not yet" }
        ),
    )
}

pub(super) fn add_evidence(
    doc: &mut AutoCommit,
    input: &NewEvidence,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::evidence(input)?;
    let me = require_me(doc)?;
    let e = Evidence {
        kind: v.kind.as_str().into(),
        link: v.link.clone(),
        date: v.date.to_string(),
        note: Text::with_value(&input.note),
        primary_reviewer: input.primary_reviewer,
        by: me,
    };
    let coll = collection(doc, "evidence")?;
    reconcile_prop(doc, &coll, ctx.new_id.as_str(), &e)?;
    created(
        &ctx.new_id,
        format!("Add evidence: {} {}", v.kind.label().to_lowercase(), v.link),
    )
}
