//! Patching a cached view after typing (pair::view::patch) against deriving it afresh. Here, not
//! beside the patch: building pairs needs `ops`, and `view` must not refer to it.

use automerge::transaction::Transactable as _;
use proptest::prelude::*;

use automerge::{AutoCommit, ObjType, ReadDoc};

use crate::pair::input::{NewSession, TextSplice};
use crate::pair::view::{patch_typing, view_of};
use crate::pair::{Edit, SessionEdit};

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Sam's pair with two sessions; returns it and the sessions' ids.
fn pair_with_sessions() -> (AutoCommit, Vec<String>) {
    let mut doc = crate::pair::ops::sams_new_pair(now());
    let mut ids = Vec::new();
    for (i, date) in ["2026-11-02", "2026-11-09"].into_iter().enumerate() {
        let ctx = crate::doc::Ctx {
            now: now(),
            new_id: format!("S{i}"),
        };
        let edit = Edit::Session(SessionEdit::Log(NewSession {
            date: date.into(),
            minutes: "30".into(),
            notes: "first words".into(),
            ..NewSession::default()
        }));
        let applied = ok(crate::pair::ops::apply(&mut doc, &edit, &ctx));
        doc.commit();
        ids.extend(applied.created);
    }
    (doc, ids)
}

fn splice(
    doc: &mut AutoCommit,
    session: &str,
    field: &str,
    pos: usize,
    delete: usize,
    insert: &str,
) {
    ok(crate::pair::ops::splice_text(
        doc,
        &TextSplice {
            session_id: session.into(),
            field: field.into(),
            pos,
            delete,
            insert: insert.into(),
        },
    ));
}

#[test]
fn typing_from_another_device_patches_the_view_as_deriving_it_would() {
    let (mut doc, ids) = pair_with_sessions();
    let mut view = ok(view_of(&doc));
    let before = doc.get_heads();
    // The partner types into both sessions, in two batches.
    let mut theirs = doc.fork();
    splice(&mut theirs, &ids[0], "notes", 0, 0, "Then: ");
    theirs.commit();
    splice(&mut theirs, &ids[1], "agenda", 0, 0, "Review the PR");
    splice(&mut theirs, &ids[0], "notes", 6, 6, "");
    theirs.commit();
    ok(doc.merge(&mut theirs));
    assert!(patch_typing(&mut doc, &before, &mut view));
    assert_eq!(view, ok(view_of(&doc)));
    assert_eq!(
        view.sessions
            .iter()
            .find(|s| s.id == ids[0])
            .map(|s| s.notes.as_str()),
        Some("Then: words")
    );
}

#[test]
fn anything_but_typing_asks_for_the_view_to_be_derived_again() {
    let (mut doc, ids) = pair_with_sessions();
    let view = ok(view_of(&doc));
    let before = doc.get_heads();
    type Change = fn(&mut AutoCommit, &[String]);
    let changes: [(&str, Change); 4] = [
        ("a session's minutes", |d, ids| {
            let s = ok(d.get(automerge::ROOT, "sessions")).map(|(_, o)| o);
            let s = ok(d.get(ok(s.ok_or("no sessions")), ids[0].as_str())).map(|(_, o)| o);
            ok(d.put(ok(s.ok_or("no session")), "minutes", 45));
        }),
        ("a session deleted", |d, ids| {
            let s = ok(d.get(automerge::ROOT, "sessions")).map(|(_, o)| o);
            ok(d.delete(ok(s.ok_or("no sessions")), ids[1].as_str()));
        }),
        ("the title", |d, _| {
            let p = ok(d.get(automerge::ROOT, "pair")).map(|(_, o)| o);
            ok(d.put(ok(p.ok_or("no pair")), "title", "Renamed"));
        }),
        ("a text outside the sessions", |d, _| {
            let g = ok(d.put_object(automerge::ROOT, "elsewhere", ObjType::Text));
            ok(d.splice_text(&g, 0, 0, "x"));
        }),
    ];
    for (what, change) in changes {
        let mut d = doc.fork();
        change(&mut d, &ids);
        d.commit();
        let mut patched = view.clone();
        assert!(
            !patch_typing(&mut d, &before, &mut patched),
            "{what} was patched"
        );
        assert_eq!(patched, view, "{what} changed the view it gave up on");
    }
    // Nothing new: nothing to patch (the caller keeps its view).
    let mut same = doc.clone();
    let mut v = view.clone();
    assert!(!patch_typing(&mut same, &before, &mut v));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_typing_patches_to_the_derived_view(
        edits in proptest::collection::vec((0usize..2, any::<bool>(), 0usize..40, 0usize..4, "[a-zé ]{0,6}"), 1..12)
    ) {
        let (mut doc, ids) = pair_with_sessions();
        let mut view = ok(view_of(&doc));
        let before = doc.get_heads();
        let mut theirs = doc.fork();
        for (s, agenda, pos, delete, insert) in edits {
            let field = if agenda { "agenda" } else { "notes" };
            let len = {
                let sessions = ok(theirs.get(automerge::ROOT, "sessions")).map(|(_, o)| o);
                let session = ok(theirs.get(ok(sessions.ok_or("no sessions")), ids[s].as_str())).map(|(_, o)| o);
                let text = ok(theirs.get(ok(session.ok_or("no session")), field)).map(|(_, o)| o);
                theirs.length(ok(text.ok_or("no text")))
            };
            let pos = pos.min(len);
            let delete = delete.min(len - pos);
            splice(&mut theirs, &ids[s], field, pos, delete, &insert);
            theirs.commit();
        }
        ok(doc.merge(&mut theirs));
        if patch_typing(&mut doc, &before, &mut view) {
            prop_assert_eq!(view, ok(view_of(&doc)));
        } else {
            // Only when nothing at all was typed (every edit empty).
            prop_assert_eq!(doc.get_heads(), before);
        }
    }
}
