//! SMART goals: proposed by one person and agreed by the other, edited (which asks for agreement
//! again), evaluated with a date and progress, achieved or dropped.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ObjType, ROOT, transaction::Transactable};
use autosurgeon::{Text, reconcile_prop};
use chrono::{DateTime, Utc};

use super::{Applied, Ctx, created, current_people, done, entry, invalid, require_me, stamp};
use crate::doc::{child, require};
use crate::error::OpError;
use crate::pair::input::{NewEvaluation, NewGoal};
use crate::pair::schema::{Evaluation, Goal};
use crate::pair::validate;
use crate::vocab::GoalStatus;

/// Proposes a SMART goal. It is agreed by the person proposing it and becomes active once the
/// partner agrees too.
pub fn add_goal(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewGoal,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    super::check_version(doc)?;
    let v = validate::new_goal(input)?;
    let by = require_me(doc)?;
    let at = stamp(now);
    let mut agreed_by = BTreeMap::new();
    agreed_by.insert(by.clone(), at.clone());
    let goal = Goal {
        title: v.title,
        specific: Text::with_value(&input.specific),
        measurable: Text::with_value(&input.measurable),
        achievable: Text::with_value(&input.achievable),
        relevant: Text::with_value(&input.relevant),
        due: v.due.map(|d| d.to_string()),
        status: GoalStatus::Proposed.as_str().into(),
        proposed_by: by,
        agreed_by,
        created_at: at,
        ..Goal::default()
    };
    let goals = match child(doc, &ROOT, "goals", ObjType::Map)? {
        Some(g) => g,
        None => doc.put_object(ROOT, "goals", ObjType::Map)?,
    };
    reconcile_prop(doc, &goals, id, &goal)?;
    Ok(())
}

pub(super) fn goals(doc: &mut AutoCommit) -> Result<ObjId, OpError> {
    require(doc, &ROOT, "goals", ObjType::Map, "goal")
}

pub(super) fn edit_goal(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewGoal,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::new_goal(input)?;
    let me = require_me(doc)?;
    let coll = goals(doc)?;
    let mut g: Goal = entry(doc, &coll, id, "goal")?;
    let due = v.due.map(|d| d.to_string());
    let changed = g.title != v.title
        || g.due != due
        || g.specific.as_str() != input.specific
        || g.measurable.as_str() != input.measurable
        || g.achievable.as_str() != input.achievable
        || g.relevant.as_str() != input.relevant;
    if !changed {
        return Err(invalid("title", "Nothing changed in this goal."));
    }
    g.title = v.title;
    g.due = due;
    // Text fields change by splices, so a partner's concurrent typing in them merges.
    g.specific.update(&input.specific);
    g.measurable.update(&input.measurable);
    g.achievable.update(&input.achievable);
    g.relevant.update(&input.relevant);
    // The goal as it now stands has only been agreed by the person who changed it.
    g.agreed_by = BTreeMap::from([(me, stamp(ctx.now))]);
    if g.status == GoalStatus::Active.as_str() {
        g.status = GoalStatus::Proposed.as_str().into();
    }
    reconcile_prop(doc, &coll, id, &g)?;
    done(format!("Edit goal “{}”", g.title))
}

pub(super) fn agree_goal(doc: &mut AutoCommit, id: &str, ctx: &Ctx) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let coll = goals(doc)?;
    let mut g: Goal = entry(doc, &coll, id, "goal")?;
    if g.status != GoalStatus::Proposed.as_str() {
        return Err(invalid(
            "status",
            format!("This goal is {}, not waiting for agreement.", g.status),
        ));
    }
    if g.agreed_by.contains_key(&me) {
        return Err(invalid(
            "status",
            "You have already agreed to this goal; it waits for your partner.",
        ));
    }
    g.agreed_by.insert(me, stamp(ctx.now));
    let everyone = current_people(doc)?
        .iter()
        .all(|(p, _)| g.agreed_by.contains_key(p));
    if everyone {
        g.status = GoalStatus::Active.as_str().into();
    }
    reconcile_prop(doc, &coll, id, &g)?;
    done(format!("Agree to goal “{}”", g.title))
}

pub(super) fn set_goal_status(
    doc: &mut AutoCommit,
    id: &str,
    status: &str,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let s = GoalStatus::parse(status.trim()).ok_or_else(|| {
        invalid(
            "status",
            format!("A goal can be marked achieved, dropped or active (not “{status}”)."),
        )
    })?;
    let coll = goals(doc)?;
    let mut g: Goal = entry(doc, &coll, id, "goal")?;
    match s {
        GoalStatus::Proposed => {
            return Err(invalid(
                "status",
                "A goal becomes proposed again by editing it.",
            ));
        }
        GoalStatus::Active => {
            let everyone = current_people(doc)?
                .iter()
                .all(|(p, _)| g.agreed_by.contains_key(p));
            if !everyone {
                return Err(invalid(
                    "status",
                    "A goal becomes active when both of you have agreed to it.",
                ));
            }
        }
        GoalStatus::Achieved | GoalStatus::Dropped => {}
    }
    if g.status == s.as_str() {
        return Err(invalid(
            "status",
            format!("This goal is already {}.", s.label().to_lowercase()),
        ));
    }
    // Only the status key is written, so a concurrent different status is a visible conflict.
    let goal = require(doc, &coll, id, ObjType::Map, "goal")?;
    doc.put(&goal, "status", s.as_str())?;
    g.status = s.as_str().into();
    done(format!(
        "Mark goal “{}” {}",
        g.title,
        s.label().to_lowercase()
    ))
}

pub(super) fn evaluate_goal(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewEvaluation,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let (date, progress) = validate::evaluation(input)?;
    let me = require_me(doc)?;
    let coll = goals(doc)?;
    let title: String = entry::<Goal>(doc, &coll, id, "goal")?.title;
    let goal = require(doc, &coll, id, ObjType::Map, "goal")?;
    let evals = match child(doc, &goal, "evaluations", ObjType::Map)? {
        Some(e) => e,
        None => doc.put_object(&goal, "evaluations", ObjType::Map)?,
    };
    let e = Evaluation {
        date: date.to_string(),
        progress,
        note: Text::with_value(&input.note),
        by: me,
    };
    reconcile_prop(doc, &evals, ctx.new_id.as_str(), &e)?;
    created(&ctx.new_id, format!("Evaluate goal “{title}”: {progress}%"))
}
