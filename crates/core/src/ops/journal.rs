//! The whole pair journal as one entry point: every discrete change a person makes arrives as an
//! [`Edit`] and is validated, then written as the smallest change it can be. [`apply`] returns the
//! commit message the library records, so the history reads as what people did.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, transaction::Transactable};
use autosurgeon::{Hydrate, Text, hydrate_prop, reconcile_prop};
use chrono::{DateTime, Utc};

use super::{OpError, require_me, stamp};
use crate::doc::{child, require};
use crate::dto::{
    Edit, NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewReview, NewSchedule,
    NewSession,
};
use crate::schema::{
    ActionItem, Evaluation, Evidence, Feedback, Goal, PairInfo, Person, ReadinessReview, Schedule,
    Session,
};
use crate::validate::{self, ValidationError};
use crate::vocab::{FeedbackKind, GoalStatus, PairStatus, Role};

mod bar;

/// What an edit needs from outside the document: the time, and a fresh id for anything it creates.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    pub new_id: String,
}

/// What an edit did: the id it created, if any, and the words for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub created: Option<String>,
    pub message: String,
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

/// Applies one edit. On error the caller must roll back the open transaction (the library does);
/// every operation validates before it writes, so in practice nothing was written.
pub fn apply(doc: &mut AutoCommit, edit: &Edit, ctx: &Ctx) -> Result<Applied, OpError> {
    super::check_version(doc)?;
    let today = ctx.now.date_naive();
    match edit {
        Edit::LogSession(input) => {
            super::log_session(doc, &ctx.new_id, input, ctx.now, today)?;
            created(&ctx.new_id, format!("Log session {}", input.date.trim()))
        }
        Edit::EditSession {
            session_id,
            session,
        } => edit_session(doc, session_id, session, ctx),
        Edit::AddActionItem { session_id, item } => add_action_item(doc, session_id, item, ctx),
        Edit::SetActionItemDone {
            session_id,
            item_id,
            done: is_done,
        } => set_action_item_done(doc, session_id, item_id, *is_done, ctx),
        Edit::ProposeGoal(input) => {
            super::add_goal(doc, &ctx.new_id, input, ctx.now)?;
            created(
                &ctx.new_id,
                format!("Propose goal “{}”", input.title.trim()),
            )
        }
        Edit::EditGoal { goal_id, goal } => edit_goal(doc, goal_id, goal, ctx),
        Edit::AgreeGoal { goal_id } => agree_goal(doc, goal_id, ctx),
        Edit::SetGoalStatus { goal_id, status } => set_goal_status(doc, goal_id, status),
        Edit::EvaluateGoal {
            goal_id,
            evaluation,
        } => evaluate_goal(doc, goal_id, evaluation, ctx),
        Edit::ProposeSchedule(input) => propose_schedule(doc, input, ctx),
        Edit::AgreeSchedule => agree_schedule(doc, ctx),
        Edit::AddFeedback(input) => add_feedback(doc, input, ctx),
        Edit::ResolveConcern { feedback_id } => resolve_concern(doc, feedback_id, ctx),
        Edit::ReviewReadiness(input) => review_readiness(doc, input, ctx),
        Edit::AddEvidence(input) => add_evidence(doc, input, ctx),
        Edit::SetPairStatus { status, reason } => set_pair_status(doc, status, reason, ctx),
        Edit::HandOff { new_mentor, reason } => hand_off(doc, new_mentor, reason, ctx),
        Edit::SetMyTimeZone { time_zone } => set_my_time_zone(doc, time_zone),
        Edit::ResolveConflict { path, choice } => resolve_conflict(doc, path, choice, ctx),
        Edit::SetBarLine {
            template,
            line,
            input,
        } => bar::set_line(doc, template, line, input),
        Edit::AddBarLine {
            template,
            requirement,
        } => bar::add_line(doc, template, requirement, ctx),
        Edit::RemoveBarLine { template, line } => bar::remove_line(doc, template, line),
        Edit::SetBarStart { template, start } => bar::set_start(doc, template, start),
    }
}

/// Keeps one of the concurrent values; a choice in the schedule or in a goal's terms is a change
/// to what was agreed, so it then waits for the partner's agreement again.
fn resolve_conflict(
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
            let coll = goals(doc)?;
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

fn edit_session(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewSession,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::new_session(input, ctx.now.date_naive())?;
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    let mut s: Session = entry(doc, &sessions, id, "session")?;
    s.date = v.date.to_string();
    s.time = v.time.map(|t| t.format("%H:%M").to_string());
    s.time_zone = v.time_zone;
    s.minutes = v.minutes;
    s.methods = v.methods.iter().map(|m| m.as_str().to_string()).collect();
    reconcile_prop(doc, &sessions, id, &s)?;
    done(format!("Edit session {}", s.date))
}

fn add_action_item(
    doc: &mut AutoCommit,
    session_id: &str,
    input: &NewActionItem,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let v = validate::action_item(input)?;
    let me = require_me(doc)?;
    let owner = match input.owner.trim() {
        "" => me,
        o if people(doc)?.contains_key(o) => o.to_string(),
        _ => {
            return Err(invalid(
                "owner",
                "Choose who owns this item: one of the pair.",
            ));
        }
    };
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    let session = require(doc, &sessions, session_id, ObjType::Map, "session")?;
    let items = match child(doc, &session, "action_items", ObjType::Map)? {
        Some(i) => i,
        None => doc.put_object(&session, "action_items", ObjType::Map)?,
    };
    let item = ActionItem {
        text: v.text.clone(),
        owner,
        due: v.due.map(|d| d.to_string()),
        done: false,
        done_at: None,
    };
    reconcile_prop(doc, &items, ctx.new_id.as_str(), &item)?;
    created(&ctx.new_id, format!("Add action item “{}”", v.text))
}

fn set_action_item_done(
    doc: &mut AutoCommit,
    session_id: &str,
    item_id: &str,
    is_done: bool,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    let session = require(doc, &sessions, session_id, ObjType::Map, "session")?;
    let items = require(doc, &session, "action_items", ObjType::Map, "action item")?;
    let mut item: ActionItem = entry(doc, &items, item_id, "action item")?;
    item.done = is_done;
    item.done_at = is_done.then(|| stamp(ctx.now));
    reconcile_prop(doc, &items, item_id, &item)?;
    done(if is_done {
        format!("Done: “{}”", item.text)
    } else {
        format!("Reopen “{}”", item.text)
    })
}

fn goals(doc: &mut AutoCommit) -> Result<ObjId, OpError> {
    require(doc, &ROOT, "goals", ObjType::Map, "goal")
}

fn edit_goal(
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

fn agree_goal(doc: &mut AutoCommit, id: &str, ctx: &Ctx) -> Result<Applied, OpError> {
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

fn set_goal_status(doc: &mut AutoCommit, id: &str, status: &str) -> Result<Applied, OpError> {
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

fn evaluate_goal(
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

fn propose_schedule(
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

fn agree_schedule(doc: &mut AutoCommit, ctx: &Ctx) -> Result<Applied, OpError> {
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

/// The partner a feedback entry is addressed to: the other current person, when there is one.
fn partner_of(doc: &AutoCommit, me: &str) -> Result<Option<String>, OpError> {
    let others: Vec<String> = current_people(doc)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| id != me)
        .collect();
    Ok((others.len() == 1).then(|| others[0].clone()))
}

fn add_feedback(doc: &mut AutoCommit, input: &NewFeedback, ctx: &Ctx) -> Result<Applied, OpError> {
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

fn resolve_concern(doc: &mut AutoCommit, id: &str, ctx: &Ctx) -> Result<Applied, OpError> {
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

fn review_readiness(
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

fn add_evidence(doc: &mut AutoCommit, input: &NewEvidence, ctx: &Ctx) -> Result<Applied, OpError> {
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

fn set_pair_status(
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

fn hand_off(
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

fn set_my_time_zone(doc: &mut AutoCommit, tz: &str) -> Result<Applied, OpError> {
    let me = require_me(doc)?;
    let zone = validate::time_zone("time_zone", tz)?
        .ok_or_else(|| invalid("time_zone", "Enter your time zone, e.g. Europe/Berlin."))?;
    let people_obj = require(doc, &ROOT, "people", ObjType::Map, "people list")?;
    let mine = require(doc, &people_obj, &me, ObjType::Map, "person")?;
    doc.put(&mine, "time_zone", zone.as_str())?;
    let who = name_of(doc, &me)?;
    done(format!("{who}'s time zone: {zone}"))
}

#[cfg(test)]
mod tests;
