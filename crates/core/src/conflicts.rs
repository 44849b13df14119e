//! Fields two people changed concurrently. Automerge keeps every concurrent value of a map key
//! (`get_all`) and picks one deterministically for ordinary reads; Tandem shows all of them and lets
//! a person choose, so nothing silently disappears.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value, transaction::Transactable};
use serde::{Deserialize, Serialize};

use crate::error::OpError;
use crate::validate::ValidationError;

/// One of the concurrent values of a conflicting field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictOption {
    /// Stable id of the write that set it (what [`resolve`] takes).
    pub id: String,
    /// The value as shown to a person.
    pub value: String,
    /// Who wrote it (a person's name, or "another device").
    pub by: String,
}

/// A field with more than one current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Keys from the document root, e.g. `["goals", "01J…", "status"]`.
    pub path: Vec<String>,
    /// e.g. "Goal “Review 20 PRs”: status".
    pub label: String,
    pub options: Vec<ConflictOption>,
}

/// How a document kind names what a conflict is about: actor hex → the author's name, and words
/// for a path ("Goal “Review 20 PRs”: status").
pub struct Naming<'a> {
    pub authors: &'a BTreeMap<String, String>,
    pub label: &'a dyn Fn(&AutoCommit, &[String]) -> String,
}

/// Every conflicting field in the document, in document order. Text objects and lists are not
/// searched: text merges by character and lists are only replaced whole.
pub fn scan(doc: &AutoCommit, naming: &Naming<'_>) -> Result<Vec<Conflict>, OpError> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(doc, &ROOT, &mut path, naming, &mut out)?;
    Ok(out)
}

/// Bookkeeping written beside a change (who proposed, when), not a choice a person made: two
/// people proposing at once differ here without disagreeing, so it is never shown as a conflict.
const BOOKKEEPING: &[&str] = &[
    "proposed_by",
    "created_at",
    "created_by",
    "status_changed_at",
    "status_changed_by",
    "done_at",
    "resolved_at",
    "left_at",
    "agreed_by",
    "actors",
];

fn walk(
    doc: &AutoCommit,
    obj: &ObjId,
    path: &mut Vec<String>,
    naming: &Naming<'_>,
    out: &mut Vec<Conflict>,
) -> Result<(), OpError> {
    // One pass over the map, which says which keys hold more than one value: only those are
    // asked for all their values (asking every key took ~35 ms of a five-year pair's view).
    for item in doc.map_range(obj, ..) {
        let key = item.key.as_ref();
        if BOOKKEEPING.contains(&key) {
            continue;
        }
        path.push(key.to_string());
        if item.conflict {
            let values = doc.get_all(obj, key)?;
            let options: Vec<ConflictOption> = values
                .iter()
                .map(|(v, id)| ConflictOption {
                    id: id.to_string(),
                    value: show(doc, v, id),
                    by: author(id, naming.authors),
                })
                .collect();
            // Both sides wrote the same value: nothing to choose.
            if options.iter().any(|o| o.value != options[0].value) {
                out.push(Conflict {
                    path: path.clone(),
                    label: (naming.label)(doc, path),
                    options,
                });
            }
        }
        if matches!(item.value, automerge::ValueRef::Object(ObjType::Map)) {
            walk(doc, &item.id(), path, naming, out)?;
        }
        path.pop();
    }
    Ok(())
}

fn author(id: &ObjId, names: &BTreeMap<String, String>) -> String {
    match id {
        ObjId::Id(_, actor, _) => names
            .get(&crate::doc::device_hex(actor))
            .cloned()
            .unwrap_or_else(|| "another device".into()),
        ObjId::Root => "another device".into(),
    }
}

fn scalar_text(s: &automerge::ScalarValue) -> String {
    match s {
        automerge::ScalarValue::Str(s) => s.to_string(),
        automerge::ScalarValue::Boolean(b) => if *b { "yes" } else { "no" }.into(),
        automerge::ScalarValue::Null => "(empty)".into(),
        other => other.to_string(),
    }
}

fn show(doc: &AutoCommit, v: &Value<'_>, id: &ObjId) -> String {
    match v {
        Value::Scalar(s) => scalar_text(s),
        Value::Object(ObjType::Text) => doc.text(id).unwrap_or_default(),
        Value::Object(_) => {
            // A whole object written on both sides (e.g. a schedule proposed on two laptops
            // before either had one): summarise it by its scalar fields.
            let mut parts = Vec::new();
            for key in doc.keys(id) {
                if let Ok(Some((Value::Scalar(s), _))) = doc.get(id, key.as_str())
                    && !matches!(s.as_ref(), automerge::ScalarValue::Null)
                    && !BOOKKEEPING.contains(&key.as_str())
                {
                    parts.push(format!("{}: {}", key.replace('_', " "), scalar_text(&s)));
                }
            }
            parts.join(", ")
        }
    }
}

/// Keeps the option `choice` of the conflicting field at `path`: a new write that supersedes
/// every concurrent value. Objects are copied whole into a fresh object.
pub fn resolve(doc: &mut AutoCommit, path: &[String], choice: &str) -> Result<(), OpError> {
    let (key, parents) = path
        .split_last()
        .ok_or_else(|| stale("That conflict no longer exists."))?;
    let mut obj = ROOT;
    for p in parents {
        obj = match doc.get(&obj, p.as_str())? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => return Err(stale("That field no longer exists.")),
        };
    }
    let values = doc.get_all(&obj, key.as_str())?;
    if values.len() < 2 {
        return Err(stale(
            "That conflict was already resolved (perhaps on another device).",
        ));
    }
    let (value, id) = values
        .into_iter()
        .find(|(_, id)| id.to_string() == choice)
        .ok_or_else(|| stale("That choice is no longer one of the values; look again."))?;
    match value {
        Value::Scalar(s) => doc.put(&obj, key.as_str(), s.into_owned())?,
        Value::Object(ty) => {
            let fresh = doc.put_object(&obj, key.as_str(), ty)?;
            copy(doc, &id, &fresh, ty)?;
        }
    }
    Ok(())
}

fn stale(message: &str) -> OpError {
    OpError::Invalid(ValidationError {
        field: "choice",
        message: message.into(),
    })
}

/// Copies the contents of object `from` into the empty object `to` of the same type.
fn copy(doc: &mut AutoCommit, from: &ObjId, to: &ObjId, ty: ObjType) -> Result<(), OpError> {
    match ty {
        ObjType::Text => {
            let text = doc.text(from)?;
            doc.splice_text(to, 0, 0, &text)?;
        }
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = doc.keys(from).collect();
            for k in keys {
                match doc.get(from, k.as_str())? {
                    Some((Value::Scalar(s), _)) => doc.put(to, k.as_str(), s.into_owned())?,
                    Some((Value::Object(t), child)) => {
                        let c = doc.put_object(to, k.as_str(), t)?;
                        copy(doc, &child, &c, t)?;
                    }
                    None => {}
                }
            }
        }
        ObjType::List => {
            for i in 0..doc.length(from) {
                match doc.get(from, i)? {
                    Some((Value::Scalar(s), _)) => doc.insert(to, i, s.into_owned())?,
                    Some((Value::Object(t), child)) => {
                        let c = doc.insert_object(to, i, t)?;
                        copy(doc, &child, &c, t)?;
                    }
                    None => {}
                }
            }
        }
    }
    Ok(())
}
