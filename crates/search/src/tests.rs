use super::*;

fn unit(pair: &str, entry: &str, date: &str, body: &str) -> Unit {
    Unit {
        key: format!("pairs/{pair}/session/{entry}"),
        doc: format!("pairs/{pair}"),
        pair: pair.into(),
        pair_title: format!("Pair {pair}"),
        kind: "session".into(),
        entry: entry.into(),
        date: date.into(),
        title: format!("Session {date}"),
        body: body.into(),
    }
}

fn find(ix: &SearchIndex, text: &str) -> Vec<String> {
    ix.search(&SearchQuery {
        text: text.into(),
        ..SearchQuery::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
    .into_iter()
    .map(|h| h.entry)
    .collect()
}

/// Pair A's two sessions, as [`library`] indexes them.
fn pair_a() -> [Unit; 2] {
    [
        unit(
            "A",
            "s1",
            "2026-01-05",
            "We talked about /lgtm etiquette and reviewing PRs.",
        ),
        unit(
            "A",
            "s2",
            "2026-02-05",
            "Release notes for SIG Docs; the notes were late.",
        ),
    ]
}

fn library(dir: &std::path::Path) -> SearchIndex {
    let (ix, _) = SearchIndex::open(dir).unwrap_or_else(|e| panic!("{e}"));
    ix.update("pairs/A", "1", &pair_a())
        .unwrap_or_else(|e| panic!("{e}"));
    ix.update(
        "pairs/B",
        "1",
        &[unit(
            "B",
            "s3",
            "2026-03-05",
            "Flaky tests in the scheduler; release blocking.",
        )],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    ix
}

#[test]
fn words_stems_prefixes_and_phrases_find_their_sessions() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    assert_eq!(find(&ix, "etiquette "), ["s1"]);
    // Stemmed: "reviews" finds "reviewing".
    assert_eq!(find(&ix, "reviews "), ["s1"]);
    // Every word must match.
    assert_eq!(find(&ix, "release flaky "), ["s3"]);
    // The last word is a prefix while typed.
    assert_eq!(find(&ix, "etiq"), ["s1"]);
    let mut release = find(&ix, "relea");
    release.sort();
    assert_eq!(release, ["s2", "s3"]);
    // A phrase matches only in order.
    assert_eq!(find(&ix, "\"release notes\""), ["s2"]);
    assert!(find(&ix, "\"notes release\"").is_empty());
    assert!(find(&ix, "kubernetes ").is_empty());
    assert!(find(&ix, "  ").is_empty());
}

#[test]
fn snippets_mark_the_words_that_matched() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    let hits = ix
        .search(&SearchQuery {
            text: "etiq".into(),
            ..SearchQuery::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let h = &hits[0];
    assert_eq!(h.pair_title, "Pair A");
    let marked: Vec<&str> = h.marks.iter().map(|&(a, b)| &h.snippet[a..b]).collect();
    assert_eq!(marked, ["etiquette"]);
}

#[test]
fn filters_by_pair_kind_and_date() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    let q = |pair: Option<&str>, kind: Option<&str>, from: Option<&str>, to: Option<&str>| {
        let mut v: Vec<String> = ix
            .search(&SearchQuery {
                text: "release ".into(),
                pair: pair.map(Into::into),
                kind: kind.map(Into::into),
                from: from.map(Into::into),
                to: to.map(Into::into),
                limit: 0,
            })
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|h| h.entry)
            .collect();
        v.sort();
        v
    };
    assert_eq!(q(None, None, None, None), ["s2", "s3"]);
    assert_eq!(q(Some("B"), None, None, None), ["s3"]);
    assert!(q(None, Some("goal"), None, None).is_empty());
    assert_eq!(q(None, Some("session"), Some("2026-03-01"), None), ["s3"]);
    assert_eq!(q(None, None, None, Some("2026-02-28")), ["s2"]);
    let bad = ix.search(&SearchQuery {
        text: "release".into(),
        from: Some("last week".into()),
        ..SearchQuery::default()
    });
    assert!(matches!(bad, Err(SearchError::Query(m)) if m.contains("YYYY-MM-DD")));
}

#[test]
fn only_changed_units_are_written_and_deleted_ones_disappear() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    // The same units again: nothing to write.
    let same = pair_a();
    assert_eq!(
        ix.update("pairs/A", "2", &same)
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    // One edited, one deleted.
    let changed = [unit(
        "A",
        "s1",
        "2026-01-05",
        "We talked about approver duties.",
    )];
    assert_eq!(
        ix.update("pairs/A", "3", &changed)
            .unwrap_or_else(|e| panic!("{e}")),
        2
    );
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&ix, "etiquette ").is_empty());
    assert_eq!(find(&ix, "approver "), ["s1"]);
    assert!(find(&ix, "\"release notes\"").is_empty());
    assert_eq!(ix.len(), 2);
    ix.remove("pairs/B").unwrap_or_else(|e| panic!("{e}"));
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&ix, "flaky ").is_empty());
    assert_eq!(ix.documents(), ["pairs/A"]);
}

#[test]
fn reopening_keeps_what_was_indexed_and_at_which_state() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    drop(library(dir.path()));
    let (ix, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened, Opened::Ready);
    assert_eq!(ix.fingerprint("pairs/A").as_deref(), Some("1"));
    assert_eq!(ix.len(), 3);
    assert_eq!(find(&ix, "etiquette "), ["s1"]);
    // Nothing changed since: nothing rewritten.
    let same = [unit(
        "B",
        "s3",
        "2026-03-05",
        "Flaky tests in the scheduler; release blocking.",
    )];
    assert_eq!(
        ix.update("pairs/B", "1", &same)
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
}

#[test]
fn a_damaged_index_is_rebuilt_and_says_why() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    drop(library(dir.path()));
    // Flip bytes in the middle of every segment file.
    for entry in std::fs::read_dir(dir.path()).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name.ends_with(".idx") || name.ends_with(".pos") || name.ends_with(".store") {
            let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0xff;
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let (ix, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&opened, Opened::Rebuilt(why) if why.contains("damaged")),
        "{opened:?}"
    );
    assert!(ix.is_empty());
    assert_eq!(ix.fingerprint("pairs/A"), None);

    // A meta.json that is garbage, and one that is a folder.
    std::fs::write(dir.path().join("meta.json"), b"{not json").unwrap_or_else(|e| panic!("{e}"));
    drop(ix);
    let (_, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(opened, Opened::Rebuilt(_)), "{opened:?}");
    std::fs::remove_file(dir.path().join("meta.json")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join("meta.json")).unwrap_or_else(|e| panic!("{e}"));
    let (_, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(opened, Opened::Rebuilt(_)), "{opened:?}");
}

#[test]
fn a_missing_index_is_created_and_a_reader_beside_the_writer_sees_commits() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let search = dir.path().join("search");
    assert!(matches!(
        SearchIndex::open_read_only(&search),
        Err(SearchError::Index { .. })
    ));
    let (ix, opened) = SearchIndex::open(&search).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened, Opened::Created);
    ix.update(
        "pairs/A",
        "1",
        &[unit("A", "s1", "2026-01-05", "owners file")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    let reader = SearchIndex::open_read_only(&search).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(find(&reader, "owners "), ["s1"]);
    assert!(matches!(
        reader.update("pairs/A", "2", &[] as &[Unit]),
        Err(SearchError::ReadOnly)
    ));
}

/// The index is written as a cache, without fsync (cache_dir.rs): after a power cut, files of the
/// last commits may be empty or missing. Such an index must be rebuilt, never trusted.
#[test]
fn a_commit_that_never_reached_the_disk_is_rebuilt() {
    for lose in ["emptied", "missing"] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        drop(library(dir.path()));
        let names: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
            .collect();
        // meta.json was replaced by a rename, never written in place: no temporary file is left.
        assert!(
            names.iter().all(|p| !p.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
        for path in names.iter().filter(|p| {
            p.extension()
                .is_some_and(|x| x == "idx" || x == "store" || x == "term")
        }) {
            match lose {
                "emptied" => std::fs::write(path, b"").unwrap_or_else(|e| panic!("{e}")),
                _ => std::fs::remove_file(path).unwrap_or_else(|e| panic!("{e}")),
            }
        }
        let (ix, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(opened, Opened::Rebuilt(_)), "{lose}: {opened:?}");
        assert!(ix.is_empty(), "{lose}");
        // And it works again.
        drop(ix);
        let ix = library(dir.path());
        assert_eq!(find(&ix, "etiquette "), ["s1"], "{lose}");
    }
}

/// An update is searchable the moment it returns, before any commit: a new word (also as a
/// prefix, and marked in the snippet), an edited unit (its old words no longer find it), a deleted
/// unit and a removed document; another process sees them only after the commit.
#[test]
fn what_was_staged_is_found_at_once_and_committed_later() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    assert!(!ix.has_uncommitted());
    let edited = unit(
        "A",
        "s1",
        "2026-01-05",
        "We talked about kubelet approvers.",
    );
    let added = unit("C", "s9", "2026-04-01", "Kubelet release checklist.");
    ix.update("pairs/A", "2", &[edited])
        .unwrap_or_else(|e| panic!("{e}"));
    ix.update("pairs/C", "1", &[added])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ix.has_uncommitted());
    assert_eq!(ix.staged(), 3, "s1 changed, s2 deleted, s9 added");

    let mut kubelet = find(&ix, "kubel");
    kubelet.sort();
    assert_eq!(kubelet, ["s1", "s9"]);
    assert!(find(&ix, "etiquette ").is_empty(), "s1's old words");
    assert!(find(&ix, "\"release notes\"").is_empty(), "s2 was deleted");
    assert_eq!(find(&ix, "\"release checklist\""), ["s9"]);
    // Committed and staged units in one ranking, filters on both.
    let mut release = find(&ix, "release ");
    release.sort();
    assert_eq!(release, ["s3", "s9"]);
    let only_c = ix
        .search(&SearchQuery {
            text: "release ".into(),
            pair: Some("C".into()),
            from: Some("2026-03-06".into()),
            ..SearchQuery::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(only_c.len(), 1);
    assert!(only_c[0].score > 0.0);
    let marked: Vec<&str> = only_c[0]
        .marks
        .iter()
        .map(|&(a, b)| &only_c[0].snippet[a..b])
        .collect();
    assert_eq!(marked, ["release"]);
    let approvers = ix
        .search(&SearchQuery {
            text: "approv".into(),
            ..SearchQuery::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let marked: Vec<&str> = approvers[0]
        .marks
        .iter()
        .map(|&(a, b)| &approvers[0].snippet[a..b])
        .collect();
    assert_eq!(marked, ["approvers"], "a word only a staged unit holds");

    // Another process (the CLI beside the window) reads what was committed.
    let reader = SearchIndex::open_read_only(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&reader, "kubelet ").is_empty());
    assert_eq!(find(&reader, "etiquette "), ["s1"]);

    // Not yet due (the first was staged just now, and few wait).
    assert!(!ix.commit_if_due().unwrap_or_else(|e| panic!("{e}")));
    ix.remove("pairs/B").unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&ix, "flaky ").is_empty(), "a removed document");
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    assert!(!ix.has_uncommitted());
    assert_eq!(ix.staged(), 0);
    let mut kubelet = find(&ix, "kubelet ");
    kubelet.sort();
    assert_eq!(kubelet, ["s1", "s9"], "the same after the commit");
    assert!(find(&ix, "flaky ").is_empty());
    drop(reader);
    let reader = SearchIndex::open_read_only(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let mut kubelet = find(&reader, "kubelet ");
    kubelet.sort();
    assert_eq!(kubelet, ["s1", "s9"]);
}

/// Many staged units are committed at once; what is staged when the index is closed is written,
/// not lost.
#[test]
fn many_staged_units_are_due_and_closing_commits() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    let many: Vec<Unit> = (0..MAX_RECENT)
        .map(|i| {
            unit(
                "D",
                &format!("d{i}"),
                "2026-05-01",
                &format!("note {i} gardening"),
            )
        })
        .collect();
    ix.update("pairs/D", "1", &many)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(find(&ix, "gardening ").len(), 20, "the default limit");
    assert!(ix.commit_if_due().unwrap_or_else(|e| panic!("{e}")));
    assert!(!ix.has_uncommitted());
    // A document's new state alone (no unit changed) waits for the commit too.
    assert_eq!(
        ix.update("pairs/D", "2", &many)
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    assert!(ix.has_uncommitted());
    ix.update("pairs/E", "1", &[unit("E", "e1", "2026-06-01", "mulching")])
        .unwrap_or_else(|e| panic!("{e}"));
    drop(ix);
    let (ix, opened) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened, Opened::Ready);
    assert_eq!(find(&ix, "mulching "), ["e1"]);
    assert_eq!(ix.fingerprint("pairs/D").as_deref(), Some("2"));
}

/// Catching up loads without the overlay (it would hold a second copy of the library): found
/// after the commit that follows, and a unit loaded over a staged one leaves no stale copy.
#[test]
fn loading_is_found_after_its_commit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ix = library(dir.path());
    ix.update(
        "pairs/F",
        "1",
        &[unit("F", "f1", "2026-07-01", "pruning roses")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(find(&ix, "pruning "), ["f1"]);
    ix.load(
        "pairs/F",
        "2",
        &[unit("F", "f1", "2026-07-01", "watering tulips")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&ix, "tulips ").is_empty(), "not before the commit");
    assert_eq!(ix.staged(), 1, "f1's committed state is still hidden");
    ix.load(
        "pairs/G",
        "1",
        &[unit("G", "g1", "2026-07-02", "tulips again")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&ix, "again ").is_empty());
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    let mut tulips = find(&ix, "tulips ");
    tulips.sort();
    assert_eq!(tulips, ["f1", "g1"]);
    assert!(find(&ix, "pruning ").is_empty());
}

#[test]
fn a_lock_file_left_by_a_killed_tandem_does_not_keep_the_index_busy() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    {
        let ix = library(dir.path());
        ix.commit().unwrap_or_else(|e| panic!("{e}"));
    }
    // What a Tandem killed with SIGKILL (or a power cut) leaves behind: the lock files, with
    // nobody holding them.
    for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
        std::fs::write(dir.path().join(lock), b"").unwrap_or_else(|e| panic!("{e}"));
    }
    let (ix, _) = SearchIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    ix.update(
        "01PAIRB",
        "v1",
        &[unit("01PAIRB", "s9", "2026-12-01", "kubernetes owners")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ix.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(find(&ix, "owners").len(), 1);
    // A second writer while the first lives is still refused: the lock is real.
    assert!(
        SearchIndex::open(dir.path()).is_err(),
        "two writers on one index"
    );
}
