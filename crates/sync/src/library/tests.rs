//! Library tests on real files in a temp folder.
//!
//! Over 600 lines because every behaviour of the library shares the builders at the top.

use std::fs::OpenOptions;
use std::io::Write;

use chrono::{Duration, TimeZone};

use super::*;
use tandem_core::pair::input::{NewPair, NewSession, TextSplice};
use tandem_core::pair::{Edit, FeedbackEdit, GoalEdit, Pair, PairView, ScheduleEdit};
use tandem_core::private::{Private, PrivateEdit};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

fn ok<T>(r: Result<T, StoreError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn pair_input(title: &str) -> NewPair {
    NewPair {
        title: title.into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "astropy".into(),
        target_role: "maintainer".into(),
        ..NewPair::default()
    }
}

fn session(notes: &str) -> NewSession {
    NewSession {
        date: "2026-11-20".into(),
        minutes: "45".into(),
        notes: notes.into(),
        ..NewSession::default()
    }
}

fn type_chars(lib: &mut Library, pair: &str, session: &str, text: &str, at: DateTime<Utc>) {
    type_chars_flushing(lib, pair, session, text, at, false);
}

/// Types `text`; with `tick`, runs the app's flush timer after every keystroke.
fn type_chars_flushing(
    lib: &mut Library,
    pair: &str,
    session: &str,
    text: &str,
    at: DateTime<Utc>,
    tick: bool,
) {
    for (i, c) in text.chars().enumerate() {
        let edit = TextSplice {
            session_id: session.into(),
            field: "notes".into(),
            pos: i,
            delete: 0,
            insert: c.to_string(),
        };
        ok(lib.splice_text(pair, &edit, at));
        if tick {
            ok(lib.flush_due(at));
        }
    }
}

/// What a process that opened the library right now would see (what survives a kill).
fn on_disk(home: &Path, pair: &str) -> PairView {
    let mut reader = ok(Library::open(home, Mode::ReadOnly));
    ok(reader.view::<Pair>(pair))
}

#[test]
fn a_pair_and_its_session_survive_a_restart() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let id = {
        let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
        let v = ok(lib.create_pair(&pair_input("Kim → Astropy maintainer"), now()));
        ok(lib.log_session(&v.id, &session("First check-in."), now()));
        v.id
    };
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let v = ok(lib.view::<Pair>(&id));
    assert_eq!(v.title, "Kim → Astropy maintainer");
    assert_eq!(v.sessions.len(), 1);
    assert_eq!(v.sessions[0].notes, "First check-in.");
    let rows = ok(lib.list(now().date_naive()));
    assert_eq!(rows.pairs.len(), 1);
    assert_eq!(rows.pairs[0].partner, "Alex");
    assert_eq!(rows.pairs[0].last_session.as_deref(), Some("2026-11-20"));
}

#[test]
fn a_second_writer_is_refused_with_a_sentence() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let _first = ok(Library::open(home.path(), Mode::ReadWrite));
    let second = Library::open(home.path(), Mode::ReadWrite);
    assert!(matches!(second, Err(StoreError::Busy(_))), "{second:?}");
    assert!(Library::open(home.path(), Mode::ReadOnly).is_ok());
}

#[test]
fn keystrokes_are_batched_by_count_and_by_age() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("p"), now())).id;
    let s = ok(lib.log_session(&pair, &session(""), now())).0;

    // Typing never touches the disk by itself.
    type_chars(&mut lib, &pair, &s, &"a".repeat(BATCH_EDITS - 1), now());
    assert_eq!(
        lib.pending_edits(&DocId::pair(pair.clone())),
        BATCH_EDITS - 1
    );
    ok(lib.flush_due(now()));
    assert_eq!(
        lib.pending_edits(&DocId::pair(pair.clone())),
        BATCH_EDITS - 1,
        "neither enough edits nor old enough"
    );
    assert_eq!(
        on_disk(home.path(), &pair).sessions[0].notes,
        "",
        "not durable before the batch closes"
    );

    // The 25th edit makes the batch due at the next tick, however young it is.
    type_chars(&mut lib, &pair, &s, "b", now());
    assert_eq!(on_disk(home.path(), &pair).sessions[0].notes, "");
    ok(lib.flush_due(now()));
    assert_eq!(lib.pending_edits(&DocId::pair(pair.clone())), 0);
    let durable = format!("b{}", "a".repeat(BATCH_EDITS - 1));
    assert_eq!(on_disk(home.path(), &pair).sessions[0].notes, durable);

    // A single edit is due once it is a second old.
    type_chars(&mut lib, &pair, &s, "c", now());
    ok(lib.flush_due(now() + Duration::milliseconds(BATCH_AGE_MS - 1)));
    assert_eq!(
        lib.pending_edits(&DocId::pair(pair.clone())),
        1,
        "too young to flush"
    );
    ok(lib.flush_due(now() + Duration::milliseconds(BATCH_AGE_MS)));
    assert_eq!(lib.pending_edits(&DocId::pair(pair.clone())), 0);
    assert_eq!(
        on_disk(home.path(), &pair).sessions[0].notes,
        format!("c{durable}")
    );
}

#[test]
fn a_torn_tail_is_dropped_and_later_writes_stay_readable() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pair = {
        let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
        let id = ok(lib.create_pair(&pair_input("p"), now())).id;
        ok(lib.log_session(&id, &session("kept"), now()));
        id
    };
    let log = home.path().join("pairs").join(&pair).join("changes.log");
    let mut f = OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap_or_else(|e| panic!("{e}"));
    f.write_all(b"TNDC\xff\x00\x00\x00half a rec")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(f);

    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    assert_eq!(ok(lib.view::<Pair>(&pair)).sessions.len(), 1);
    ok(lib.log_session(&pair, &session("after the crash"), now()));
    drop(lib);
    let notes: Vec<String> = on_disk(home.path(), &pair)
        .sessions
        .into_iter()
        .map(|s| s.notes)
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(notes.contains(&"after the crash".to_string()), "{notes:?}");
}

#[test]
fn the_view_cache_is_used_only_while_it_matches_the_files() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("Cached"), now())).id;
    ok(lib.log_session(&pair, &session("one"), now()));
    let view_path = home.path().join("pairs").join(&pair).join("view.json");
    let cached = std::fs::read_to_string(&view_path).unwrap_or_default();
    assert!(
        cached.contains("\"one\""),
        "the cache is written at every persist"
    );

    // A reader serves the cache without loading the CRDT: prove it by marking the cache.
    std::fs::write(&view_path, cached.replace("Cached", "From cache"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(on_disk(home.path(), &pair).title, "From cache");

    // Once the log moves on, the cache no longer matches and is not trusted.
    ok(lib.log_session(&pair, &session("two"), now()));
    std::fs::write(
        &view_path,
        std::fs::read_to_string(&view_path)
            .unwrap_or_default()
            .replace("Cached", "From cache"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let log = home.path().join("pairs").join(&pair).join("changes.log");
    let mut f = OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap_or_else(|e| panic!("{e}"));
    f.write_all(b"x").unwrap_or_else(|e| panic!("{e}"));
    drop(f);
    assert_eq!(on_disk(home.path(), &pair).title, "Cached");
}

#[test]
fn the_library_lists_from_cards_only_while_they_match_the_files() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = |pair: &str| home.path().join("pairs").join(pair);
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("Carded"), now())).id;
    ok(lib.log_session(&pair, &session("one"), now()));
    drop(lib);
    let card_path = dir(&pair).join("card.json");
    let card = std::fs::read_to_string(&card_path).unwrap_or_default();
    assert!(card.contains("\"session_count\":1"), "{card}");
    let titles = |home: &std::path::Path| {
        let mut lib = ok(Library::open(home, Mode::ReadWrite));
        ok(lib.list(now().date_naive()))
            .pairs
            .into_iter()
            .map(|p| (p.title, p.session_count))
            .collect::<Vec<_>>()
    };

    // Listing reads the card, not the view: prove it by marking the card.
    std::fs::write(&card_path, card.replace("Carded", "From card"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titles(home.path()), [("From card".to_string(), 1)]);

    // Once the files move on, the card is not trusted, and the next listing writes it again.
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    ok(lib.log_session(&pair, &session("two"), now()));
    drop(lib);
    std::fs::write(&card_path, card.replace("Carded", "From card"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titles(home.path()), [("Carded".to_string(), 2)]);

    // A library from before cards (a view cache, no card) and a damaged card: both list from
    // the view, and leave a card that matches behind.
    for damage in [None, Some(&b"{not json"[..])] {
        match damage {
            None => std::fs::remove_file(&card_path).unwrap_or_else(|e| panic!("{e}")),
            Some(bytes) => std::fs::write(&card_path, bytes).unwrap_or_else(|e| panic!("{e}")),
        }
        assert_eq!(titles(home.path()), [("Carded".to_string(), 2)]);
        let again = std::fs::read_to_string(&card_path).unwrap_or_default();
        assert!(again.contains("\"session_count\":2"), "{again}");
    }
}

#[test]
fn the_log_is_folded_into_a_snapshot() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("p"), now())).id;
    let s = ok(lib.log_session(&pair, &session(""), now())).0;
    let log = home.path().join("pairs").join(&pair).join("changes.log");
    let text: String = "0123456789".repeat(crate::COMPACT_RECORDS * BATCH_EDITS / 10 + 3);
    type_chars_flushing(&mut lib, &pair, &s, &text, now(), true);
    let len = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(u64::MAX);
    assert!(
        len < 64 * 1024,
        "the log was compacted (it holds {len} bytes)"
    );
    drop(lib);
    assert_eq!(
        on_disk(home.path(), &pair).sessions[0].notes.len(),
        text.len()
    );
}

#[test]
fn resolve_by_id_prefix_and_title() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let a = ok(lib.create_pair(&pair_input("Alex → reviewer"), now())).id;
    let b = ok(lib.create_pair(&pair_input("Alex → approver"), now())).id;
    assert_eq!(ok(lib.resolve(&a)), a);
    assert_eq!(ok(lib.resolve("alex → APPROVER")), b);
    assert_eq!(ok(lib.resolve("review")), a);
    assert!(matches!(
        lib.resolve("alex"),
        Err(StoreError::Ambiguous { .. })
    ));
    assert!(matches!(
        lib.resolve("nobody"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        lib.view::<Pair>("../etc"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn a_damaged_pair_is_reported_and_the_rest_still_listed() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let good = ok(lib.create_pair(&pair_input("Good"), now())).id;
    let bad = ok(lib.create_pair(&pair_input("Bad"), now())).id;
    drop(lib);
    let dir = home.path().join("pairs").join(&bad);
    std::fs::write(dir.join("snapshot.bin"), b"TNDCgarbage").unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(dir.join("view.json")).unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let rows = ok(lib.list(now().date_naive()));
    assert_eq!(
        rows.pairs.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
        [good]
    );
    assert_eq!(rows.problems.len(), 1);
    assert!(
        rows.problems[0].message.contains("damaged"),
        "{}",
        rows.problems[0].message
    );
}

#[test]
fn a_bad_input_loses_nothing_and_names_the_field() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("p"), now())).id;
    let bad = NewSession {
        minutes: "0".into(),
        ..session("keep me")
    };
    let err = lib.log_session(&pair, &bad, now()).err();
    let ipc = err.as_ref().map(StoreError::to_ipc);
    assert_eq!(
        ipc.as_ref().and_then(|e| e.field.as_deref()),
        Some("minutes")
    );
    assert_eq!(ok(lib.view::<Pair>(&pair)).sessions.len(), 0);
    let err = lib
        .create_pair(
            &NewPair {
                title: String::new(),
                ..pair_input("")
            },
            now(),
        )
        .err();
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("Enter a title for the pair.".to_string())
    );
    assert_eq!(ok(lib.pair_ids()).len(), 1);
}

/// After a reopen, a batch of keystrokes appends only itself to the log, not the whole document
/// again (automerge's save cursor starts empty after a load; the bench caught this).
#[test]
fn a_batch_after_reopening_appends_only_the_batch() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (pair, s) = {
        let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
        let pair = ok(lib.create_pair(&pair_input("p"), now())).id;
        for _ in 0..30 {
            ok(lib.log_session(&pair, &session(&"history ".repeat(200)), now()));
        }
        let s = ok(lib.view::<Pair>(&pair)).sessions[0].id.clone();
        (pair, s)
    };
    let log = home.path().join("pairs").join(&pair).join("changes.log");
    let before = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let text: String = "k".repeat(BATCH_EDITS);
    let end = ok(lib.view::<Pair>(&pair)).sessions[0]
        .notes
        .chars()
        .count();
    for (i, c) in text.chars().enumerate() {
        let edit = TextSplice {
            session_id: s.clone(),
            field: "notes".into(),
            pos: end + i,
            delete: 0,
            insert: c.to_string(),
        };
        ok(lib.splice_text(&pair, &edit, now()));
    }
    ok(lib.flush_due(now()));
    assert_eq!(
        lib.pending_edits(&DocId::pair(pair.clone())),
        0,
        "the batch was committed"
    );
    let grown = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0) - before;
    assert!(
        grown < 2_000,
        "one batch of {BATCH_EDITS} keystrokes appended {grown} bytes"
    );
}

#[test]
fn an_edit_is_durable_and_its_words_are_the_history() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = dir.path();
    let pair = {
        let mut lib = ok(Library::open(home, Mode::ReadWrite));
        let pair = ok(lib.create_pair(&pair_input("Journal"), now())).id;
        let goal = tandem_core::pair::input::NewGoal {
            title: "Review 20 PRs".into(),
            ..Default::default()
        };
        let (applied, view) =
            ok(lib.apply::<Pair>(&pair, &Edit::Goal(GoalEdit::Propose(goal)), now()));
        assert_eq!(applied.created.as_deref(), Some(view.goals[0].id.as_str()));
        // A refused edit is an error with the field, and writes nothing.
        let bad = Edit::Feedback(FeedbackEdit::AddEvidence(
            tandem_core::pair::input::NewEvidence {
                kind: "talk".into(),
                link: "not a link".into(),
                date: "2026-11-20".into(),
                ..Default::default()
            },
        ));
        let err = lib.apply::<Pair>(&pair, &bad, now()).err();
        assert_eq!(
            err.and_then(|e| e.validation().map(|v| v.field)),
            Some("link")
        );
        pair
    };
    let view = on_disk(home, &pair);
    assert_eq!(view.goals.len(), 1);
    assert!(view.evidence.is_empty());
    let mut lib = ok(Library::open(home, Mode::ReadOnly));
    let lines = ok(lib.history(&DocId::pair(pair.clone()), 10));
    let said: Vec<&str> = lines.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(said, ["Propose goal “Review 20 PRs”", "Create pair"]);
    assert!(lines.iter().all(|l| l.who == "Sam"));
}

#[test]
fn private_notes_live_outside_the_pair_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = dir.path();
    let mut lib = ok(Library::open(home, Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("Private"), now())).id;
    assert_eq!(ok(lib.view::<Private>(&pair).map(|v| v.notes)), "");
    ok(lib.apply::<Private>(
        &pair,
        &PrivateEdit::SetNotes {
            text: "Alex seems stretched thin".into(),
        },
        now(),
    ));
    ok(lib.apply::<Private>(
        &pair,
        &PrivateEdit::SetNotes {
            text: "Alex seems stretched thin; ask about load".into(),
        },
        now(),
    ));
    assert!(lib.view::<Private>("NOPAIR").map(|v| v.notes).is_err());
    drop(lib);
    let mut lib = ok(Library::open(home, Mode::ReadOnly));
    assert_eq!(
        ok(lib.view::<Private>(&pair).map(|v| v.notes)),
        "Alex seems stretched thin; ask about load"
    );
    // Nothing of it is in the pair's own files (what a share or a peer would receive).
    let saved = ok(lib.save(&DocId::pair(pair.clone())));
    let doc = ok(AutoCommit::load(&saved).map_err(|e| StoreError::Op(Box::new(e.into()))));
    let json = serde_json::to_string(&automerge::AutoSerde::from(&doc)).unwrap_or_default();
    assert!(!json.contains("stretched"), "{json}");
    let files = fs::read_dir(home.join("pairs").join(&pair)).unwrap_or_else(|e| panic!("{e}"));
    for entry in files.flatten() {
        let bytes = fs::read(entry.path()).unwrap_or_default();
        assert!(!String::from_utf8_lossy(&bytes).contains("stretched"));
    }
}

#[test]
fn the_schedule_exports_as_ics_through_the_library() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut lib = ok(Library::open(dir.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("No schedule"), now())).id;
    let e = lib.schedule_ics(&pair).err().map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("This pair has no schedule yet; agree one first.")
    );
    let schedule = tandem_core::pair::input::NewSchedule {
        cadence: "weekly".into(),
        minutes: "30".into(),
        start: "2026-12-01".into(),
        sessions: "6".into(),
        ..Default::default()
    };
    ok(lib.apply::<Pair>(
        &pair,
        &Edit::Schedule(ScheduleEdit::Propose(schedule)),
        now(),
    ));
    let ics = ok(lib.schedule_ics(&pair));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=6"), "{ics}");
}

#[test]
fn the_changes_not_yet_in_the_share_are_counted() {
    let (home, share) = (tmp(), tmp());
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("Counted"), now())).id;
    let key = crate::seal::DocKey([4; 32]);
    // Never shared: everything is still to go.
    assert!(ok(lib.share_pending(&DocId::pair(pair.clone()))) > 0);
    ok(lib.sync_share(&DocId::pair(pair.clone()), &key, share.path(), now()));
    assert_eq!(ok(lib.share_pending(&DocId::pair(pair.clone()))), 0);
    ok(lib.log_session(&pair, &session("one more"), now()));
    assert_eq!(ok(lib.share_pending(&DocId::pair(pair.clone()))), 1);
    // Typing not yet committed goes in as a batch of its own.
    let s = ok(lib.view::<Pair>(&pair)).sessions[0].id.clone();
    type_chars(&mut lib, &pair, &s, "ab", now());
    assert_eq!(lib.pending_edits(&DocId::pair(pair.clone())), 2);
    assert_eq!(ok(lib.share_pending(&DocId::pair(pair.clone()))), 2);
    assert_eq!(lib.pending_edits(&DocId::pair(pair.clone())), 0);
    ok(lib.sync_share(&DocId::pair(pair.clone()), &key, share.path(), now()));
    assert_eq!(ok(lib.share_pending(&DocId::pair(pair.clone()))), 0);
}

fn tmp() -> tempfile::TempDir {
    ok(tempfile::tempdir().map_err(|e| StoreError::io("create", "tmp")(e)))
}

/// The id of the person called `name` in the pair.
fn person(view: &PairView, name: &str) -> String {
    view.people
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.id.clone())
        .unwrap_or_else(|| panic!("no {name} in the pair"))
}

fn mock_keychain() -> crate::keys::Keychain {
    crate::keys::Keychain::with_store(
        keyring_core::mock::Store::new().unwrap_or_else(|e| panic!("{e}")),
        "mock",
    )
}

#[test]
fn a_pair_can_sync_through_a_folder_of_its_own() {
    let (home, library_share, own_share) = (tmp(), tmp(), tmp());
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let a = ok(lib.create_pair(&pair_input("Library folder"), now())).id;
    let b = ok(lib.create_pair(&pair_input("Own folder"), now())).id;
    let keychain = mock_keychain();
    let (ka, kb) = (
        ok(keychain
            .get_or_create(&DocId::pair(a.clone()))
            .map_err(StoreError::from)),
        ok(keychain
            .get_or_create(&DocId::pair(b.clone()))
            .map_err(StoreError::from)),
    );
    // Nothing picked: nothing to sync through, said as such.
    assert!(matches!(
        lib.sync_all(&keychain, now()),
        Err(StoreError::NoShareFolder)
    ));
    let l = ok(lib.set_share_folder(library_share.path()));
    let o = ok(lib.set_pair_share_folder(&b, Some(own_share.path()))).unwrap_or_default();
    assert!(matches!(
        lib.set_pair_share_folder("no-such-pair", Some(own_share.path())),
        Err(StoreError::NotFound(_))
    ));
    assert!(
        lib.set_pair_share_folder(&b, Some(&own_share.path().join("missing")))
            .is_err()
    );
    assert_eq!(
        lib.pair_share(&a),
        Some(PairShare {
            folder: l.clone(),
            own: false
        })
    );
    assert_eq!(
        lib.pair_share(&b),
        Some(PairShare {
            folder: o.clone(),
            own: true
        })
    );
    assert_eq!(lib.share_folders().into_iter().collect::<Vec<_>>().len(), 2);
    let results = ok(lib.sync_all(&keychain, now()));
    assert_eq!(results.len(), 2);
    assert!(
        results
            .iter()
            .all(|(_, r)| r.as_ref().is_ok_and(|r| r.written == 1))
    );
    // Each pair went to its own folder, and only there.
    assert!(pair_folder(&l, &a, &ka).is_dir());
    assert!(!pair_folder(&l, &b, &kb).exists());
    assert!(pair_folder(&o, &b, &kb).is_dir());
    assert!(!pair_folder(&o, &a, &ka).exists());
    // Back to the library's folder; the setting survives a reopen.
    ok(lib.set_pair_share_folder(&b, None));
    drop(lib);
    let lib = ok(Library::open(home.path(), Mode::ReadWrite));
    assert_eq!(
        lib.pair_share(&b),
        Some(PairShare {
            folder: l,
            own: false
        })
    );
}

#[test]
fn joining_from_another_folder_gives_the_pair_its_own_and_reports_progress() {
    let (sam_home, alex_home, alex_share, pair_share_dir) = (tmp(), tmp(), tmp(), tmp());
    let mut sam = ok(Library::open(sam_home.path(), Mode::ReadWrite));
    let pair = ok(sam.create_pair(&pair_input("Joined"), now()));
    let key = crate::seal::DocKey([9; 32]);
    // Several files in the share: one per exchange.
    for i in 0..5 {
        ok(sam.log_session(&pair.id, &session(&format!("session {i}")), now()));
        ok(sam.sync_share(
            &DocId::pair(pair.id.clone()),
            &key,
            pair_share_dir.path(),
            now(),
        ));
    }
    let alex_id = person(&pair, "Alex");
    let mut alex = ok(Library::open(alex_home.path(), Mode::ReadWrite));
    // Alex already syncs other pairs through another folder.
    let library_folder = ok(alex.set_share_folder(alex_share.path()));
    let mut seen = Vec::new();
    let (view, report) = ok(alex.join_via_share(
        &pair.id,
        &alex_id,
        &key,
        Some(pair_share_dir.path()),
        now(),
        &mut |p| seen.push(p),
    ));
    assert_eq!(view.sessions.len(), 5);
    assert_eq!(alex.share_folder(), Some(library_folder));
    let own = ok(fs::canonicalize(pair_share_dir.path()).map_err(StoreError::io("open", "share")));
    assert_eq!(
        alex.pair_share(&pair.id),
        Some(PairShare {
            folder: own,
            own: true
        })
    );
    // Progress: one step per file, in order, ending with everything read.
    assert_eq!(seen.len(), 5, "{seen:?}");
    for (i, p) in seen.iter().enumerate() {
        assert_eq!(p.files_done, i + 1);
        assert_eq!(p.files, 5);
        assert!(i == 0 || p.bytes_done > seen[i - 1].bytes_done);
    }
    let last = seen[seen.len() - 1];
    assert_eq!(last.bytes_done, last.bytes);
    // The join's own exchange did not apply Sam's files a second time; it wrote Alex's joining.
    assert_eq!((report.applied, report.written), (0, 1), "{report:?}");
    // And Sam gets Alex's joining from that folder.
    let back = ok(sam.sync_share(
        &DocId::pair(pair.id.clone()),
        &key,
        pair_share_dir.path(),
        now(),
    ));
    assert_eq!(back.applied, 1);
    let sam_heads = ok(sam.load(&DocId::pair(pair.id.clone()))).doc.get_heads();
    assert_eq!(
        sam_heads,
        ok(alex.load(&DocId::pair(pair.id.clone()))).doc.get_heads()
    );
}

#[test]
fn a_pair_moved_to_another_folder_is_written_there_whole() {
    let (home, first, second, joiner) = (tmp(), tmp(), tmp(), tmp());
    let mut lib = ok(Library::open(home.path(), Mode::ReadWrite));
    let pair = ok(lib.create_pair(&pair_input("Moved"), now()));
    ok(lib.log_session(&pair.id, &session("before the move"), now()));
    let key = crate::seal::DocKey([5; 32]);
    let r = ok(lib.sync_share(&DocId::pair(pair.id.clone()), &key, first.path(), now()));
    assert_eq!(r.written, 1);
    // The first export is one snapshot.
    let own = super::device_folder(
        &pair_folder(first.path(), &pair.id, &key),
        &lib.device().id,
        &key,
    );
    let names: Vec<String> = ok(fs::read_dir(&own).map_err(StoreError::io("read", "share")))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(names.len() == 1 && names[0].ends_with(".tsn"), "{names:?}");
    // Nothing new, nothing written; moved, everything written again.
    assert_eq!(
        ok(lib.sync_share(&DocId::pair(pair.id.clone()), &key, first.path(), now())).written,
        0
    );
    assert_eq!(
        ok(lib.sync_share(&DocId::pair(pair.id.clone()), &key, second.path(), now())).written,
        1
    );
    let alex = person(&pair, "Alex");
    let mut other = ok(Library::open(joiner.path(), Mode::ReadWrite));
    let (view, _) = ok(other.join_from_share(&pair.id, &alex, &key, second.path(), now()));
    assert_eq!(view.sessions.len(), 1);
    assert_eq!(view.sessions[0].notes, "before the move");
}
