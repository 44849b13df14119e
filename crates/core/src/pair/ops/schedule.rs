//! The agreed schedule: proposed by one person, agreed by the other.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, transaction::Transactable};
use autosurgeon::reconcile_prop;

use super::{Applied, Ctx, done, invalid, require_me, stamp};
use crate::doc::{child, require};
use crate::error::OpError;
use crate::pair::input::NewSchedule;
use crate::pair::schema::Schedule;
use crate::pair::validate;

pub(super) fn propose_schedule(
    doc: &mut AutoCommit,
    input: &NewSchedule,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::schedule(input)?;
    let me = require_me(doc)?;
    let s = Schedule {
        cadence: v.cadence.as_str().into(),
        every_days: v.every_days,
        time: v.time.map(|t| t.format("%H:%M").to_string()),
        time_zone: v.time_zone,
        minutes: v.minutes,
        start: v.start.to_string(),
        weekday: v.weekday.map(|w| w.as_str().to_string()),
        sessions: v.sessions,
        end: v.end.map(|d| d.to_string()),
        reassess: v.reassess.map(|d| d.to_string()),
        agreed_by: BTreeMap::from([(me.clone(), stamp(ctx.now))]),
        proposed_by: Some(me),
    };
    // Reconciled into the existing schedule map (if any), so only changed fields are written.
    reconcile_prop(doc, &ROOT, "schedule", Some(&s))?;
    done("Propose a schedule")
}

pub(super) fn agree_schedule(doc: &mut AutoCommit, ctx: &Ctx) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let schedule = child(doc, &ROOT, "schedule", ObjType::Map)?
        .ok_or_else(|| invalid("schedule", "There is no schedule to agree to yet."))?;
    let agreed = require(doc, &schedule, "agreed_by", ObjType::Map, "schedule")?;
    if doc.get(&agreed, me.as_str())?.is_some() {
        return Err(invalid(
            "schedule",
            "You have already agreed to this schedule; it waits for your partner.",
        ));
    }
    doc.put(&agreed, me.as_str(), stamp(ctx.now))?;
    done("Agree to the schedule")
}
