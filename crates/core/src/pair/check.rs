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

/// Checks what changed since `before` reads as the pair's schema.
pub fn check_touched(doc: &mut AutoCommit, before: &[ChangeHash]) -> Result<(), OpError> {
    match super::read::check_version(doc) {
        Err(OpError::NewerSchema(_)) => return Ok(()),
        other => other?,
    }
    let after = doc.get_heads();
    let mut touched: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    for patch in doc.diff(before, &after) {
        let mut keys: Vec<String> = patch.path.iter().map(|(_, p)| prop(p)).collect();
        match &patch.action {
            automerge::PatchAction::PutMap { key, .. }
            | automerge::PatchAction::DeleteMap { key } => keys.push(key.clone()),
            automerge::PatchAction::Conflict { prop: p }
            | automerge::PatchAction::Increment { prop: p, .. } => keys.push(prop(p)),
            _ => {}
        }
        if let Some(top) = keys.first() {
            touched.insert((top.clone(), keys.get(1).cloned()));
        }
    }
    for (top, entry) in touched {
        check_entry(doc, &top, entry.as_deref())?;
    }
    Ok(())
}

fn prop(p: &Prop) -> String {
    match p {
        Prop::Map(k) => k.clone(),
        Prop::Seq(i) => i.to_string(),
    }
}

/// Reads `top` (or its entry `entry`) as the schema's type for it. An entry is read alone (the
/// common case: a session, a goal written or deleted); anything else touched at the top — a whole
/// collection or field replaced — is rare, and read the way a view reads the pair: whole.
fn check_entry(doc: &AutoCommit, top: &str, entry: Option<&str>) -> Result<(), OpError> {
    fn entries<T: Hydrate>(
        doc: &AutoCommit,
        top: &str,
        entry: Option<&str>,
    ) -> Result<(), OpError> {
        match (entry, doc.get(ROOT, top)?) {
            // The entry is written whole, or deleted.
            (Some(id), Some((Value::Object(ObjType::Map), coll))) => {
                if doc.get(&coll, id)?.is_some() {
                    hydrate_prop::<_, T, _, _>(doc, &coll, id)?;
                }
                Ok(())
            }
            _ => whole(doc),
        }
    }
    fn whole(doc: &AutoCommit) -> Result<(), OpError> {
        crate::pair::read::hydrate(doc).map(drop)
    }
    match top {
        "people" => entries::<Person>(doc, top, entry),
        "actors" => entries::<String>(doc, top, entry),
        "sessions" => entries::<Session>(doc, top, entry),
        "goals" => entries::<Goal>(doc, top, entry),
        "feedback" => entries::<Feedback>(doc, top, entry),
        "evidence" => entries::<Evidence>(doc, top, entry),
        "readiness_reviews" => entries::<ReadinessReview>(doc, top, entry),
        "bars" => entries::<BarSettings>(doc, top, entry),
        "schema_version" | "pair" | "schedule" => whole(doc),
        // A field this version does not know (added by a newer one): not ours to judge.
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use automerge::ScalarValue;
    use automerge::transaction::Transactable as _;

    use super::*;
    use crate::pair::input::NewPair;
    use crate::pair::ops::{PairIds, create_pair};

    fn pair() -> AutoCommit {
        let mut doc = crate::new_document();
        let ids = PairIds {
            pair: "P".into(),
            me: "SAM".into(),
            partner: "ALEX".into(),
        };
        let input = NewPair {
            title: "Alex → reviewer".into(),
            my_name: "Sam".into(),
            my_role: "mentor".into(),
            partner_name: "Alex".into(),
            programme: "kubernetes".into(),
            ..NewPair::default()
        };
        create_pair(&mut doc, &ids, &input, chrono::DateTime::UNIX_EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        doc.commit();
        doc
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
