//! The pair itself: pausing, resuming, ending and graduating; a mentor's hand-off; a person's time
//! zone; and choosing between values two people wrote at once.

use automerge::{AutoCommit, ObjType, ROOT, transaction::Transactable};
use autosurgeon::{hydrate_prop, reconcile_prop};

use super::{
    Applied, Ctx, created, current_people, done, entry, invalid, name_of, require_me, stamp,
};
use crate::doc::{child, require};
use crate::error::OpError;
use crate::pair::schema::{PairInfo, Person};
use crate::validate;
use crate::vocab::{GoalStatus, PairStatus, Role};

/// Keeps one of the concurrent values; a choice in the schedule or in a goal's terms is a change
/// to what was agreed, so it then waits for the partner's agreement again.
pub(super) fn resolve_conflict(
    doc: &mut AutoCommit,
    path: &[String],
    choice: &str,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    crate::conflicts::resolve(doc, path, choice)?;
    let agreement = match path {
        [s, ..] if s == "schedule" => child(doc, &ROOT, "schedule", ObjType::Map)?,
        [g, id, field, ..]
            if g == "goals" && !matches!(field.as_str(), "status" | "evaluations") =>
        {
            let coll = super::goal::goals(doc)?;
            let goal = require(doc, &coll, id, ObjType::Map, "goal")?;
            if hydrate_prop::<_, Option<String>, _, _>(&*doc, &goal, "status")?.as_deref()
                == Some(GoalStatus::Active.as_str())
            {
                doc.put(&goal, "status", GoalStatus::Proposed.as_str())?;
            }
            Some(goal)
        }
        _ => None,
    };
    if let Some(obj) = agreement {
        // Choosing a whole proposal keeps who agreed to it and adds the chooser; choosing one
        // field makes a new combination that only the chooser has agreed to.
        let agreed = match (path.len(), child(doc, &obj, "agreed_by", ObjType::Map)?) {
            (1, Some(existing)) => existing,
            _ => doc.put_object(&obj, "agreed_by", ObjType::Map)?,
        };
        doc.put(&agreed, me.as_str(), stamp(ctx.now))?;
    }
    done(format!("Resolve conflicting edits of {}", path.join(".")))
}

pub(super) fn set_pair_status(
    doc: &mut AutoCommit,
    status: &str,
    reason: &str,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let to = PairStatus::parse(status.trim()).ok_or_else(|| {
        invalid(
            "status",
            format!("A pair can be active, paused, ended or graduated (not “{status}”)."),
        )
    })?;
    let reason = validate::optional_short_text("reason", "the reason", reason)?;
    let info: PairInfo = entry(doc, &ROOT, "pair", "pair")?;
    let from = PairStatus::parse(&info.status).unwrap_or(PairStatus::Active);
    let allowed = matches!(
        (from, to),
        (PairStatus::Active, PairStatus::Paused)
            | (PairStatus::Paused, PairStatus::Active)
            | (
                PairStatus::Active | PairStatus::Paused,
                PairStatus::Ended | PairStatus::Graduated
            )
    );
    if !allowed {
        return Err(invalid(
            "status",
            format!(
                "A pair that is {} cannot become {}.",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
        ));
    }
    if to == PairStatus::Ended && reason.is_empty() {
        return Err(invalid(
            "reason",
            "Say briefly why the pair ends; your partner will see it.",
        ));
    }
    let pair = require(doc, &ROOT, "pair", ObjType::Map, "pair")?;
    doc.put(&pair, "status", to.as_str())?;
    doc.put(&pair, "status_reason", reason.as_str())?;
    doc.put(&pair, "status_changed_by", me.as_str())?;
    doc.put(&pair, "status_changed_at", stamp(ctx.now))?;
    let verb = match to {
        PairStatus::Active => "Resume the pair",
        PairStatus::Paused => "Pause the pair",
        PairStatus::Ended => "End the pair",
        PairStatus::Graduated => "Graduate",
    };
    done(if reason.is_empty() {
        verb.to_string()
    } else {
        format!("{verb}: {reason}")
    })
}

pub(super) fn hand_off(
    doc: &mut AutoCommit,
    new_mentor: &str,
    reason: &str,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let name = validate::short_text("new_mentor", "the new mentor's name", new_mentor)?;
    let reason = validate::optional_short_text("reason", "the reason", reason)?;
    let mentors: Vec<(String, Person)> = current_people(doc)?
        .into_iter()
        .filter(|(_, p)| Role::parse(&p.role).is_some_and(|r| r != Role::Mentee))
        .collect();
    let [(old_id, old)] = mentors.as_slice() else {
        return Err(invalid(
            "new_mentor",
            "A hand-off needs exactly one current mentor in the pair.",
        ));
    };
    let people_obj = require(doc, &ROOT, "people", ObjType::Map, "people list")?;
    let old_obj = require(doc, &people_obj, old_id, ObjType::Map, "person")?;
    doc.put(&old_obj, "left_at", stamp(ctx.now))?;
    let newcomer = Person {
        name: name.clone(),
        role: old.role.clone(),
        time_zone: None,
        left_at: None,
    };
    reconcile_prop(doc, &people_obj, ctx.new_id.as_str(), &newcomer)?;
    let pair = require(doc, &ROOT, "pair", ObjType::Map, "pair")?;
    let why = if reason.is_empty() {
        format!("{} handed off to {name}", old.name)
    } else {
        format!("{} handed off to {name}: {reason}", old.name)
    };
    doc.put(&pair, "status_reason", why.as_str())?;
    doc.put(&pair, "status_changed_by", me.as_str())?;
    doc.put(&pair, "status_changed_at", stamp(ctx.now))?;
    created(&ctx.new_id, format!("Hand off: {why}"))
}

pub(super) fn set_my_time_zone(doc: &mut AutoCommit, tz: &str) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let zone = validate::time_zone("time_zone", tz)?
        .ok_or_else(|| invalid("time_zone", "Enter your time zone, e.g. Europe/Berlin."))?;
    let people_obj = require(doc, &ROOT, "people", ObjType::Map, "people list")?;
    let mine = require(doc, &people_obj, &me, ObjType::Map, "person")?;
    doc.put(&mine, "time_zone", zone.as_str())?;
    let who = name_of(doc, &me)?;
    done(format!("{who}'s time zone: {zone}"))
}
