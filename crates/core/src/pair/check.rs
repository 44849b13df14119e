//! Whether changes from another device leave the pair readable here: each entry they touched (a
//! session, a goal, the schedule…) is read as its type. Much cheaper than reading the whole pair,
//! so it runs on every batch that arrives; a batch that fails is refused rather than applied, so
//! one member cannot make the pair unloadable for everyone (a field of the wrong type, a
//! collection replaced by a number). A newer schema is not refused: the pair opens read-only.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, ObjType, Prop, ROOT, ReadDoc, Value};
use autosurgeon::{Hydrate, hydrate_prop};

use super::schema::{BarSettings, Evidence, Feedback, Goal, Person, ReadinessReview, Session};
use crate::error::OpError;

/// Above this many operations in the incoming changes, reading the whole pair once is cheaper
/// than finding what they touched (a five-year pair hydrates whole in ~70 ms).
const MAX_OPS_WALKED: usize = 20_000;

/// Checks what changed since `before` reads as the pair's schema.
///
/// What changed is found from the changes' own operations (which object each writes, and that
/// object's place in the pair), never by diffing the document: automerge 0.12 diffs against
/// past heads by walking the whole document (~100 ms for a five-year pair, for every batch that
/// arrives), while a batch of typing touches one session.
pub fn check_touched(doc: &mut AutoCommit, before: &[ChangeHash]) -> Result<(), OpError> {
    match super::read::check_version(doc) {
        Err(OpError::NewerSchema(_)) => return Ok(()),
        other => other?,
    }
    // From nothing (a join) everything is new: read the pair whole, once.
    if before.is_empty() {
        return whole(doc);
    }
    let Some(touched) = touched(doc, before) else {
        return whole(doc);
    };
    let mut entries = Vec::new();
    for (top, entry) in &touched {
        match (scope(top), entry) {
            (Scope::Entries(read), Some(id)) => entries.push((read, top, id)),
            (Scope::Entries(_), None) | (Scope::Whole, _) => return whole(doc),
            (Scope::Unknown, _) => {}
        }
    }
    entries
        .into_iter()
        .try_for_each(|(read, top, id)| read(doc, top, id))
}

/// The (top-level field, entry) each operation since `before` wrote into, or `None` when that is
/// not worth finding (too many operations) or cannot be found (then the caller reads the whole
/// pair, which is always right).
fn touched(
    doc: &mut AutoCommit,
    before: &[ChangeHash],
) -> Option<BTreeSet<(String, Option<String>)>> {
    use automerge::legacy::{Key, ObjectId};
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;

    let changes = doc.get_changes(before);
    if changes.iter().map(|c| c.len()).sum::<usize>() > MAX_OPS_WALKED {
        return None;
    }
    // The first two steps of each object's path from the root, looked up once.
    let mut paths: HashMap<String, Vec<String>> = HashMap::new();
    let mut touched = BTreeSet::new();
    for change in &changes {
        for op in change.decode().operations {
            let key = match &op.key {
                Key::Map(k) => Some(k.to_string()),
                Key::Seq(_) => None,
            };
            let path: &[String] = match &op.obj {
                ObjectId::Root => &[],
                ObjectId::Id(id) => match paths.entry(id.to_string()) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(new) => {
                        // automerge 0.12 (pinned) names objects in changes by "counter@actor";
                        // `import_obj` is how its own bindings turn that into an object id.
                        let obj = doc.import_obj(new.key()).ok()?;
                        let path = doc.parents(&obj).ok()?.path();
                        new.insert(path.iter().take(2).map(|(_, p)| prop(p)).collect())
                    }
                },
            };
            let mut keys = path.iter().cloned().chain(key);
            let top = keys.next()?;
            touched.insert((top, keys.next()));
        }
    }
    Some(touched)
}

/// Reads the whole pair, as a view does.
fn whole(doc: &AutoCommit) -> Result<(), OpError> {
    crate::pair::read::hydrate(doc).map(drop)
}

fn prop(p: &Prop) -> String {
    match p {
        Prop::Map(k) => k.clone(),
        Prop::Seq(i) => i.to_string(),
    }
}

/// How a change under a top-level field of the pair is checked.
enum Scope {
    /// A collection: each entry touched is read alone, as its type (the common case: a session or
    /// a goal written or deleted). The collection itself replaced is read with the whole pair.
    Entries(fn(&AutoCommit, &str, &str) -> Result<(), OpError>),
    /// Read with the whole pair (rare: the pair's fields, its schedule, its version).
    Whole,
    /// A field this version does not know (added by a newer one): not ours to judge.
    Unknown,
}

fn scope(top: &str) -> Scope {
    match top {
        "people" => Scope::Entries(entry::<Person>),
        "actors" => Scope::Entries(entry::<String>),
        "sessions" => Scope::Entries(entry::<Session>),
        "goals" => Scope::Entries(entry::<Goal>),
        "feedback" => Scope::Entries(entry::<Feedback>),
        "evidence" => Scope::Entries(entry::<Evidence>),
        "readiness_reviews" => Scope::Entries(entry::<ReadinessReview>),
        "bars" => Scope::Entries(entry::<BarSettings>),
        "schema_version" | "pair" | "schedule" => Scope::Whole,
        _ => Scope::Unknown,
    }
}

/// Reads entry `id` of collection `top` as a `T` (a deleted entry passes); a collection that is
/// not a map any more is read with the whole pair.
fn entry<T: Hydrate>(doc: &AutoCommit, top: &str, id: &str) -> Result<(), OpError> {
    match doc.get(ROOT, top)? {
        Some((Value::Object(ObjType::Map), coll)) => {
            if doc.get(&coll, id)?.is_some() {
                hydrate_prop::<_, T, _, _>(doc, &coll, id)?;
            }
            Ok(())
        }
        _ => whole(doc),
    }
}

#[cfg(test)]
mod tests {
    use automerge::ScalarValue;
    use automerge::transaction::Transactable as _;

    use super::*;

    fn pair() -> AutoCommit {
        crate::pair::ops::sams_new_pair(chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn a_change_of_the_wrong_type_is_caught_where_it_was_made() {
        let mut doc = pair();
        let before = doc.get_heads();
        let sessions = doc
            .put_object(ROOT, "sessions", ObjType::Map)
            .unwrap_or_else(|e| panic!("{e}"));
        let s = doc
            .put_object(&sessions, "S1", ObjType::Map)
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = doc.put(&s, "minutes", "forty-five");
        doc.commit();
        assert!(matches!(
            check_touched(&mut doc, &before),
            Err(OpError::Hydrate(_))
        ));
        let mut doc = pair();
        let before = doc.get_heads();
        let _ = doc.put(ROOT, "people", 7);
        doc.commit();
        assert!(check_touched(&mut doc, &before).is_err());
    }

    #[test]
    fn good_changes_a_newer_schema_and_unknown_fields_pass() {
        let mut doc = pair();
        let before = doc.get_heads();
        let pair_obj = match doc.get(ROOT, "pair") {
            Ok(Some((_, id))) => id,
            other => panic!("{other:?}"),
        };
        let _ = doc.put(&pair_obj, "title", "Alex → approver");
        let _ = doc.put(ROOT, "a_field_from_the_future", 1);
        doc.commit();
        assert!(check_touched(&mut doc, &before).is_ok());
        let before = doc.get_heads();
        let _ = doc.put(ROOT, "schema_version", crate::pair::SCHEMA_VERSION + 1);
        let _ = doc.put(ROOT, "people", "whatever a newer schema means");
        doc.commit();
        assert!(check_touched(&mut doc, &before).is_ok());
        // Found by the `accept_doc` fuzz target: what passes must still give a view. A newer
        // pair with garbage in it is read-only and titled, never an error.
        let view = crate::pair::view::view_of(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert!(view.read_only.is_some());
        assert_eq!(view.title, "A pair from a newer Tandem");
    }

    #[test]
    fn the_entry_a_batch_wrote_into_is_found_from_its_operations() {
        let mut doc = pair();
        let session = |doc: &mut AutoCommit, id: &str| {
            let sessions = match doc.get(ROOT, "sessions") {
                Ok(Some((_, s))) => s,
                _ => doc
                    .put_object(ROOT, "sessions", ObjType::Map)
                    .unwrap_or_else(|e| panic!("{e}")),
            };
            autosurgeon::reconcile_prop(doc, &sessions, id, Session::default())
                .unwrap_or_else(|e| panic!("{e}"));
            let s = match doc.get(&sessions, id) {
                Ok(Some((_, s))) => s,
                other => panic!("{other:?}"),
            };
            let notes = match doc.get(&s, "notes") {
                Ok(Some((_, n))) => n,
                other => panic!("{other:?}"),
            };
            (s, notes)
        };
        let (_, notes) = session(&mut doc, "S1");
        let (s2, _) = session(&mut doc, "S2");
        doc.commit();
        // Typing into one session's notes, and a field of another set to the wrong type.
        let before = doc.get_heads();
        let _ = doc.splice_text(&notes, 0, 0, "we talked about /lgtm");
        doc.commit();
        assert!(check_touched(&mut doc, &before).is_ok());
        let _ = doc.put(&s2, "minutes", "forty-five");
        doc.commit();
        let touched = touched(&mut doc, &before).unwrap_or_default();
        assert_eq!(
            touched.into_iter().collect::<Vec<_>>(),
            [
                ("sessions".to_string(), Some("S1".to_string())),
                ("sessions".to_string(), Some("S2".to_string()))
            ]
        );
        assert!(matches!(
            check_touched(&mut doc, &before),
            Err(OpError::Hydrate(_))
        ));
    }

    #[test]
    fn a_null_entry_is_refused() {
        // Found by the `accept_doc` fuzz target: a null where a session belongs was skipped by
        // the check, and the pair's view then failed on every device.
        for top in ["sessions", "goals", "people", "feedback"] {
            let mut doc = pair();
            let before = doc.get_heads();
            let coll = match doc.get(ROOT, top) {
                Ok(Some((_, id))) => id,
                _ => doc
                    .put_object(ROOT, top, ObjType::Map)
                    .unwrap_or_else(|e| panic!("{e}")),
            };
            let _ = doc.put(&coll, "X1", ScalarValue::Null);
            doc.commit();
            assert!(check_touched(&mut doc, &before).is_err(), "{top}");
            assert!(crate::pair::view::view_of(&doc).is_err(), "{top}");
        }
    }
}
