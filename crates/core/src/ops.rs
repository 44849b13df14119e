//! Pure operations on a pair document. Each validates its input, then writes the smallest change
//! it can (one map entry, one splice) into the document's open transaction. Committing — and so
//! batching keystrokes into one change — is the caller's business (see tandem-sync).

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, transaction::Transactable};
use autosurgeon::{HydrateError, ReconcileError, Text, hydrate_prop, reconcile_prop};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::doc::{child, require};
use crate::dto::{NewGoal, NewPair, NewSession, TextSplice};
use crate::schema::{Goal, PairDoc, PairInfo, Person, SCHEMA_VERSION, Schedule, Session};
use crate::validate::{self, MAX_LONG_TEXT, ValidationError};
use crate::vocab::{GoalStatus, PairStatus};

mod journal;

pub use journal::{Applied, Ctx, apply};

/// Why an operation did not apply. The document is unchanged when an operation fails validation.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("That {0} does not exist in this pair (it may have been removed on another device).")]
    NotFound(&'static str),
    #[error("This device has not joined the pair as one of its people, so it cannot edit it.")]
    NotMember,
    #[error(
        "This pair was written by a newer Tandem (schema version {0}); update Tandem to open it."
    )]
    NewerSchema(i64),
    #[error("The pair document is damaged: {0}.")]
    Malformed(String),
    // Boxed: these are large and every operation returns this error type.
    #[error("The pair document could not be changed: {0}.")]
    Automerge(Box<automerge::AutomergeError>),
    #[error("The pair document could not be written: {0}.")]
    Reconcile(Box<ReconcileError>),
    #[error("The pair document could not be read: {0}.")]
    Hydrate(Box<HydrateError>),
}

impl From<automerge::AutomergeError> for OpError {
    fn from(e: automerge::AutomergeError) -> OpError {
        OpError::Automerge(Box::new(e))
    }
}

impl From<ReconcileError> for OpError {
    fn from(e: ReconcileError) -> OpError {
        OpError::Reconcile(Box::new(e))
    }
}

impl From<HydrateError> for OpError {
    fn from(e: HydrateError) -> OpError {
        OpError::Hydrate(Box::new(e))
    }
}

/// Which free text of a session a splice edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Notes,
    Agenda,
}

impl TextField {
    pub fn parse(s: &str) -> Result<TextField, ValidationError> {
        match s {
            "notes" => Ok(TextField::Notes),
            "agenda" => Ok(TextField::Agenda),
            other => Err(ValidationError {
                field: "field",
                message: format!(
                    "Only a session's notes or agenda can be edited as text, not “{other}”."
                ),
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextField::Notes => "notes",
            TextField::Agenda => "agenda",
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

pub(crate) fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads the whole document into its typed form.
pub fn hydrate(doc: &AutoCommit) -> Result<PairDoc, OpError> {
    check_version(doc)?;
    Ok(autosurgeon::hydrate(doc)?)
}

/// The pair's id, read without hydrating the whole document (taking in a 5-year pair from the
/// partner checks it before anything else).
pub fn pair_id(doc: &AutoCommit) -> Result<String, OpError> {
    check_version(doc)?;
    let pair = require(doc, &ROOT, "pair", ObjType::Map, "pair")?;
    let id: Option<String> = hydrate_prop(doc, &pair, "id")?;
    id.ok_or_else(|| OpError::Malformed("the pair has no id".into()))
}

/// The view of a pair straight from its document, conflicts included. `me` is this device's
/// person, looked up from the document's actors.
pub fn view_of(doc: &AutoCommit) -> Result<crate::view::PairView, OpError> {
    let pair = hydrate(doc)?;
    let me = me(doc)?;
    let mut view = crate::view::pair_view(&pair, me.as_deref());
    view.conflicts = crate::conflicts::scan(doc)?;
    Ok(view)
}

/// Refuses documents from a newer schema rather than misreading them.
pub fn check_version(doc: &AutoCommit) -> Result<(), OpError> {
    let v: Option<i64> = hydrate_prop(doc, ROOT, "schema_version")?;
    match v {
        Some(v) if v > SCHEMA_VERSION => Err(OpError::NewerSchema(v)),
        Some(_) => Ok(()),
        None => Err(OpError::Malformed("it has no schema_version".into())),
    }
}

/// The person this document's actor (this device) acts as, if it has joined.
pub fn me(doc: &AutoCommit) -> Result<Option<String>, OpError> {
    let actors: Option<BTreeMap<String, String>> = hydrate_prop(doc, ROOT, "actors")?;
    let actor = doc.get_actor().to_hex_string();
    Ok(actors.and_then(|a| a.get(&actor).cloned()))
}

pub(crate) fn require_me(doc: &AutoCommit) -> Result<String, OpError> {
    me(doc)?.ok_or(OpError::NotMember)
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
    actors.insert(doc.get_actor().to_hex_string(), ids.me.clone());
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
    let actor = doc.get_actor().to_hex_string();
    doc.put(&actors, actor, person)?;
    Ok(())
}

/// Adds a session, logged by this device's person.
pub fn log_session(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewSession,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(), OpError> {
    check_version(doc)?;
    let v = validate::new_session(input, today)?;
    let by = require_me(doc)?;
    let session = Session {
        date: v.date.to_string(),
        time: v.time.map(|t| t.format("%H:%M").to_string()),
        time_zone: v.time_zone,
        minutes: v.minutes,
        methods: v.methods.iter().map(|m| m.as_str().to_string()).collect(),
        agenda: Text::with_value(&input.agenda),
        notes: Text::with_value(&input.notes),
        created_at: stamp(now),
        created_by: by,
        ..Session::default()
    };
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    reconcile_prop(doc, &sessions, id, &session)?;
    Ok(())
}

/// Edits a session's notes or agenda in place: two people typing in the same notes offline merge
/// by character.
pub fn splice_text(doc: &mut AutoCommit, edit: &TextSplice) -> Result<(), OpError> {
    check_version(doc)?;
    let field = TextField::parse(&edit.field)?;
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    let session = require(doc, &sessions, &edit.session_id, ObjType::Map, "session")?;
    let text = require(doc, &session, field.as_str(), ObjType::Text, "session text")?;
    let len = doc.length(&text);
    let fits = edit
        .pos
        .checked_add(edit.delete)
        .is_some_and(|end| end <= len);
    if !fits {
        return Err(ValidationError {
            field: "pos",
            message: format!(
                "That edit no longer fits the {} ({len} characters); reload the session and type again.",
                field.as_str()
            ),
        }
        .into());
    }
    let new_len = len - edit.delete + edit.insert.chars().count();
    if new_len > MAX_LONG_TEXT {
        return Err(ValidationError {
            field: field.as_str(),
            message: format!(
                "{} can hold at most {MAX_LONG_TEXT} characters; this edit would make {new_len}. Link to long material instead of pasting it.",
                field.label()
            ),
        }
        .into());
    }
    let delete =
        isize::try_from(edit.delete).map_err(|_| OpError::Malformed("edit too large".into()))?;
    doc.splice_text(&text, edit.pos, delete, &edit.insert)?;
    Ok(())
}

impl TextField {
    fn label(self) -> &'static str {
        match self {
            TextField::Notes => "Notes",
            TextField::Agenda => "The agenda",
        }
    }
}

/// Proposes a SMART goal. It is agreed by the person proposing it and becomes active once the
/// partner agrees too.
pub fn add_goal(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewGoal,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    check_version(doc)?;
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

#[cfg(test)]
mod tests;
