//! Sessions: logging one, editing its date and length, its notes and agenda typed in place, and
//! its action items.

use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, transaction::Transactable};
use autosurgeon::{Text, reconcile_prop};
use chrono::{DateTime, NaiveDate, Utc};

use super::{Applied, Ctx, created, done, entry, invalid, people, require_me, stamp};
use crate::doc::{child, require};
use crate::error::OpError;
use crate::pair::input::{NewActionItem, NewSession, TextSplice};
use crate::pair::schema::{ActionItem, Session};
use crate::pair::validate;
use crate::validate::{MAX_LONG_TEXT, ValidationError};

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

impl TextField {
    fn label(self) -> &'static str {
        match self {
            TextField::Notes => "Notes",
            TextField::Agenda => "The agenda",
        }
    }
}

/// Adds a session, logged by this device's person.
pub fn log_session(
    doc: &mut AutoCommit,
    id: &str,
    input: &NewSession,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(), OpError> {
    super::check_version(doc)?;
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
    super::check_version(doc)?;
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

pub(super) fn edit_session(
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

pub(super) fn delete_session(doc: &mut AutoCommit, id: &str) -> Result<Applied, OpError> {
    require_me(doc)?;
    let sessions = require(doc, &ROOT, "sessions", ObjType::Map, "sessions list")?;
    if doc.get(&sessions, id)?.is_none() {
        return Err(OpError::NotFound("session"));
    }
    let s: Session = entry(doc, &sessions, id, "session")?;
    doc.delete(&sessions, id)?;
    done(format!("Delete session {}", s.date))
}

pub(super) fn add_action_item(
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

pub(super) fn set_action_item_done(
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
