//! Bringing a view up to date after typing, without deriving it again: a partner typing into a
//! session's notes arrives as a few text operations, and re-deriving a five-year pair's whole view
//! for each batch costs ~90 ms — most of what the person waits for before the words show.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, ObjType, Prop, ReadDoc};

use super::PairView;

/// Above this many operations the changes are not walked (the caller derives the view again).
const MAX_OPS: usize = 5_000;

/// Updates `view` (the view of the document at `before`) for the changes since `before`, when all
/// they did is type into sessions' agenda or notes — then only those texts are read again, and
/// the result equals the view derived afresh. Returns false (leaving `view` as it was) when the
/// changes did anything else: then derive the view again.
pub fn patch_typing(doc: &mut AutoCommit, before: &[ChangeHash], view: &mut PairView) -> bool {
    use automerge::legacy::{Key, ObjectId};
    if before.is_empty() || view.read_only.is_some() {
        return false;
    }
    let changes = doc.get_changes(before);
    if changes.is_empty() || changes.iter().map(|c| c.len()).sum::<usize>() > MAX_OPS {
        return false;
    }
    let mut objects = BTreeSet::new();
    for change in &changes {
        for op in change.decode().operations {
            // Characters typed or deleted: a position in a sequence, never a map key.
            let (ObjectId::Id(obj), Key::Seq(_)) = (&op.obj, &op.key) else {
                return false;
            };
            objects.insert(obj.to_string());
        }
    }
    // Each object written must be a session's agenda or notes text, of a session in the view.
    let mut texts = Vec::new();
    for name in objects {
        let Ok(obj) = doc.import_obj(&name) else {
            return false;
        };
        if doc.object_type(&obj).ok() != Some(ObjType::Text) {
            return false;
        }
        let Ok(parents) = doc.parents(&obj) else {
            return false;
        };
        let path: Vec<Prop> = parents.path().into_iter().map(|(_, p)| p).collect();
        let [Prop::Map(top), Prop::Map(session), Prop::Map(field)] = path.as_slice() else {
            return false;
        };
        if top != "sessions" || !matches!(field.as_str(), "agenda" | "notes") {
            return false;
        }
        let Some(index) = view.sessions.iter().position(|s| &s.id == session) else {
            return false;
        };
        let Ok(text) = doc.text(&obj) else {
            return false;
        };
        texts.push((index, field.clone(), text));
    }
    for (index, field, text) in texts {
        let s = &mut view.sessions[index];
        if field == "agenda" {
            s.agenda = text;
        } else {
            s.notes = text;
        }
    }
    true
}
