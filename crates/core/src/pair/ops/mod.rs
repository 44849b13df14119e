//! Pure operations on a pair document. Each validates its input, then writes the smallest change
//! it can (one map entry, one splice) into the document's open transaction. Committing — and so
//! batching keystrokes into one change — is the caller's business (see tandem-sync).
//!
//! [`apply`] is the one entry point for every discrete change a person makes ([`Edit`]); it
//! returns the id it created and the words the history shows. One module per aggregate.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ObjType, ROOT, transaction::Transactable};
use autosurgeon::{Hydrate, hydrate_prop};
use chrono::{DateTime, Utc};

use super::edit::{
    BarEdit, Edit, FeedbackEdit, GoalEdit, LifecycleEdit, ResolveConflict, ScheduleEdit,
    SessionEdit,
};
use super::input::NewPair;
use super::read::check_version;
pub(crate) use super::read::require_me;
use super::schema::{PairDoc, PairInfo, Person, SCHEMA_VERSION, Schedule};
use super::validate;
pub use crate::doc::{Applied, Ctx};
use crate::doc::{child, require, stamp};
use crate::error::OpError;
use crate::validate::ValidationError;
use crate::vocab::PairStatus;

mod bar;
mod feedback;
mod goal;
mod lifecycle;
mod schedule;
mod session;

pub use goal::add_goal;
pub use session::{TextField, log_session, splice_text};

/// Applies one edit. On error the caller must roll back the open transaction (the library does);
/// every operation validates before it writes, so in practice nothing was written.
pub fn apply(doc: &mut AutoCommit, edit: &Edit, ctx: &Ctx) -> Result<Applied, OpError> {
    check_version(doc)?;
    match edit {
        Edit::Session(e) => match e {
            SessionEdit::Log(input) => {
                log_session(doc, &ctx.new_id, input, ctx.now, ctx.now.date_naive())?;
                created(&ctx.new_id, format!("Log session {}", input.date.trim()))
            }
            SessionEdit::Edit {
                session_id,
                session,
            } => session::edit_session(doc, session_id, session, ctx),
            SessionEdit::AddItem { session_id, item } => {
                session::add_action_item(doc, session_id, item, ctx)
            }
            SessionEdit::SetItemDone {
                session_id,
                item_id,
                done,
            } => session::set_action_item_done(doc, session_id, item_id, *done, ctx),
            SessionEdit::Delete { session_id } => session::delete_session(doc, session_id),
        },
        Edit::Goal(e) => match e {
            GoalEdit::Propose(input) => {
                add_goal(doc, &ctx.new_id, input, ctx.now)?;
                created(
                    &ctx.new_id,
                    format!("Propose goal “{}”", input.title.trim()),
                )
            }
            GoalEdit::Edit { goal_id, goal } => goal::edit_goal(doc, goal_id, goal, ctx),
            GoalEdit::Agree { goal_id } => goal::agree_goal(doc, goal_id, ctx),
            GoalEdit::SetStatus { goal_id, status } => goal::set_goal_status(doc, goal_id, status),
            GoalEdit::Evaluate {
                goal_id,
                evaluation,
            } => goal::evaluate_goal(doc, goal_id, evaluation, ctx),
        },
        Edit::Schedule(e) => match e {
            ScheduleEdit::Propose(input) => schedule::propose_schedule(doc, input, ctx),
            ScheduleEdit::Agree => schedule::agree_schedule(doc, ctx),
        },
        Edit::Feedback(e) => match e {
            FeedbackEdit::Give(input) => feedback::add_feedback(doc, input, ctx),
            FeedbackEdit::ResolveConcern { feedback_id } => {
                feedback::resolve_concern(doc, feedback_id, ctx)
            }
            FeedbackEdit::ReviewReadiness(input) => feedback::review_readiness(doc, input, ctx),
            FeedbackEdit::AddEvidence(input) => feedback::add_evidence(doc, input, ctx),
        },
        Edit::Lifecycle(e) => match e {
            LifecycleEdit::SetStatus { status, reason } => {
                lifecycle::set_pair_status(doc, status, reason, ctx)
            }
            LifecycleEdit::HandOff { new_mentor, reason } => {
                lifecycle::hand_off(doc, new_mentor, reason, ctx)
            }
            LifecycleEdit::SetMyTimeZone { time_zone } => {
                lifecycle::set_my_time_zone(doc, time_zone)
            }
        },
        Edit::Bar(e) => match e {
            BarEdit::SetLine {
                template,
                line,
                input,
            } => bar::set_line(doc, template, line, input),
            BarEdit::AddLine {
                template,
                requirement,
            } => bar::add_line(doc, template, requirement, ctx),
            BarEdit::RemoveLine { template, line } => bar::remove_line(doc, template, line),
            BarEdit::SetStart { template, start } => bar::set_start(doc, template, start),
        },
        Edit::Conflict(ResolveConflict { path, choice }) => {
            lifecycle::resolve_conflict(doc, path, choice, ctx)
        }
    }
}

/// Ids the caller drew for a new pair: the pair and its two people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairIds {
    pub pair: String,
    pub me: String,
    pub partner: String,
}

/// Writes a new pair into an empty document: the pair, both people, the optional schedule, and
/// this device's actor as "me".
pub fn create_pair(
    doc: &mut AutoCommit,
    ids: &PairIds,
    input: &NewPair,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let v = validate::new_pair(input)?;
    let at = stamp(now);
    let mut people = BTreeMap::new();
    people.insert(
        ids.me.clone(),
        Person {
            name: v.my_name,
            role: v.my_role.as_str().into(),
            ..Person::default()
        },
    );
    people.insert(
        ids.partner.clone(),
        Person {
            name: v.partner_name,
            role: v.partner_role.as_str().into(),
            ..Person::default()
        },
    );
    let mut actors = BTreeMap::new();
    actors.insert(crate::doc::device_hex(doc.get_actor()), ids.me.clone());
    let schedule = v.schedule.map(|s| {
        let mut agreed_by = BTreeMap::new();
        agreed_by.insert(ids.me.clone(), at.clone());
        Schedule {
            cadence: s.cadence.as_str().into(),
            minutes: s.minutes,
            start: s.start.to_string(),
            agreed_by,
            ..Schedule::default()
        }
    });
    let pair = PairDoc {
        schema_version: SCHEMA_VERSION,
        pair: PairInfo {
            id: ids.pair.clone(),
            title: v.title,
            programme: v.programme.as_str().into(),
            target_role: v.target_role,
            status: PairStatus::Active.as_str().into(),
            created_at: at,
            created_by: ids.me.clone(),
            ..PairInfo::default()
        },
        people,
        actors,
        schedule,
        ..PairDoc::default()
    };
    autosurgeon::reconcile(doc, &pair)?;
    Ok(())
}

/// Records that this device (its actor) acts as `person`, who must be one of the pair's people.
/// Used when a partner's device first opens the pair.
pub fn register_device(doc: &mut AutoCommit, person: &str) -> Result<(), OpError> {
    check_version(doc)?;
    let people = require(doc, &ROOT, "people", ObjType::Map, "people list")?;
    if child(doc, &people, person, ObjType::Map)?.is_none() {
        return Err(OpError::NotFound("person"));
    }
    let actors = require(doc, &ROOT, "actors", ObjType::Map, "actors list")?;
    let actor = crate::doc::device_hex(doc.get_actor());
    doc.put(&actors, actor, person)?;
    Ok(())
}

fn invalid(field: &'static str, message: impl Into<String>) -> OpError {
    OpError::Invalid(ValidationError {
        field,
        message: message.into(),
    })
}

fn done(message: impl Into<String>) -> Result<Applied, OpError> {
    Ok(Applied {
        created: None,
        message: message.into(),
    })
}

fn created(id: &str, message: impl Into<String>) -> Result<Applied, OpError> {
    Ok(Applied {
        created: Some(id.to_string()),
        message: message.into(),
    })
}

/// The map at the root key `key`, created if an older document lacks it.
fn collection(doc: &mut AutoCommit, key: &str) -> Result<ObjId, OpError> {
    match child(doc, &ROOT, key, ObjType::Map)? {
        Some(obj) => Ok(obj),
        None => Ok(doc.put_object(ROOT, key, ObjType::Map)?),
    }
}

/// The map at the root key `key`, if the document has it.
fn collection_if_any(doc: &AutoCommit, key: &str) -> Result<Option<ObjId>, OpError> {
    child(doc, &ROOT, key, ObjType::Map)
}

/// Reads `coll[id]` as a `T`, or says which `what` is missing.
fn entry<T: Hydrate>(
    doc: &AutoCommit,
    coll: &ObjId,
    id: &str,
    what: &'static str,
) -> Result<T, OpError> {
    let found: Option<T> = hydrate_prop(doc, coll, id)?;
    found.ok_or(OpError::NotFound(what))
}

fn people(doc: &AutoCommit) -> Result<BTreeMap<String, Person>, OpError> {
    Ok(
        hydrate_prop::<_, Option<BTreeMap<String, Person>>, _, _>(doc, &ROOT, "people")?
            .unwrap_or_default(),
    )
}

/// The people currently in the pair (not those who handed off).
fn current_people(doc: &AutoCommit) -> Result<Vec<(String, Person)>, OpError> {
    Ok(people(doc)?
        .into_iter()
        .filter(|(_, p)| p.left_at.is_none())
        .collect())
}

fn name_of(doc: &AutoCommit, person: &str) -> Result<String, OpError> {
    Ok(people(doc)?
        .get(person)
        .map_or_else(|| "someone".into(), |p| p.name.clone()))
}

/// Sam's laptop (actor 1, the mentor) with the pair "Alex → reviewer" just created at `at`: the
/// fixture tests of the pair's operations and of its checks start from.
#[cfg(test)]
pub(crate) fn sams_new_pair(at: chrono::DateTime<chrono::Utc>) -> AutoCommit {
    let mut sam = crate::new_document().with_actor(automerge::ActorId::from(vec![1u8; 16]));
    let ids = PairIds {
        pair: "01PAIR".into(),
        me: "SAM".into(),
        partner: "ALEX".into(),
    };
    let input = crate::pair::input::NewPair {
        title: "Alex → reviewer".into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "kubernetes".into(),
        ..Default::default()
    };
    create_pair(&mut sam, &ids, &input, at).unwrap_or_else(|e| panic!("{e}"));
    sam.commit();
    sam
}

#[cfg(test)]
mod edit_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod view_patch_tests;
