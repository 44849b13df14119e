//! `tandem search` against real libraries: what one laptop typed is found on the other after a
//! folder sync, private notes only on their own device, a deleted session disappears, and a
//! damaged or hostile index folder is rebuilt (and says so, in the CLI and in the window) without
//! following anything.

use std::path::Path;

use fantoccini::Locator;
use tandem_tests::{Driver, eventually, log_session, screenshot, tandem, tandem_ok};

use crate::journal::{WAIT, alone, click, css};

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// `tandem search <args…> --json`, parsed.
fn search(home: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let text = tandem_ok(home, &all);
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    v.as_array().cloned().unwrap_or_default()
}

/// What each hit says: (kind, entry).
fn found(hits: &[serde_json::Value]) -> Vec<(String, String)> {
    hits.iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap_or_default().to_string(),
                h["entry"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The marked words of a hit, as its snippet shows them.
fn marked(hit: &serde_json::Value) -> Vec<String> {
    let snippet = hit["snippet"].as_str().unwrap_or_default();
    hit["marks"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(|r| {
                    let (s, e) = (r[0].as_u64()? as usize, r[1].as_u64()? as usize);
                    snippet.get(s..e).map(str::to_lowercase)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_word_typed_on_one_laptop_is_found_on_the_other_and_private_notes_stay_home() {
    let (a, b, share) = (
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
    );
    let (sam, alex) = (a.path(), b.path());
    let pair = tandem_tests::new_pair(sam);
    let other = tandem_tests::new_pair_titled(sam, "Jo → approver");
    let share_arg = share.path().to_string_lossy().into_owned();
    tandem_ok(sam, &["share", "set", &share_arg]);
    let link = tandem_ok(sam, &["invite", &pair]).trim().to_string();
    tandem_ok(alex, &["join", &link, "--share", &share_arg]);

    let session = log_session(
        sam,
        &pair,
        "We talked about /lgtm etiquette: wait for the approver before merging.",
    )
    .trim()
    .to_string();
    log_session(
        sam,
        &other,
        "Release notes for the scheduler; no etiquette here",
    );
    tandem_ok(
        sam,
        &[
            "private",
            &pair,
            "--set",
            "Alex seems nervous about kubelet reviews.",
        ],
    );
    tandem_ok(sam, &["sync", "--once"]);
    tandem_ok(alex, &["sync", "--once"]);

    // Found on Alex's laptop, which never typed it: ranked, marked, in its pair.
    let hits = search(alex, &["lgtm etiquette"]);
    assert_eq!(found(&hits), [("session".to_string(), session.clone())]);
    assert_eq!(hits[0]["pair"], pair.as_str());
    assert_eq!(hits[0]["pair_title"], "Alex → reviewer");
    assert_eq!(marked(&hits[0]), ["lgtm", "etiquette"]);
    // The last word is a prefix while typing; a phrase must match in order.
    assert_eq!(found(&search(alex, &["etiq"])).len(), 1);
    assert_eq!(
        found(&search(alex, &["\"wait for the approver\""])).len(),
        1
    );
    assert!(search(alex, &["\"approver wait\""]).is_empty());
    // Stemming: "merged" finds "merging".
    assert_eq!(found(&search(sam, &["merged "])).len(), 1);

    // Both of Sam's pairs hold "etiquette"; filters narrow by pair and kind.
    assert_eq!(search(sam, &["etiquette"]).len(), 2);
    let only = search(sam, &["etiquette", "--pair", "Jo → approver"]);
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["pair"], other.as_str());
    assert!(search(sam, &["etiquette", "--kind", "goal"]).is_empty());
    assert!(search(sam, &["etiquette", "--from", "2999-01-01"]).is_empty());

    // Private notes: found on Sam's laptop, under the pair's title; never on Alex's.
    let mine = search(sam, &["kubelet"]);
    assert_eq!(found(&mine), [("private".to_string(), String::new())]);
    assert_eq!(mine[0]["pair_title"], "Alex → reviewer");
    assert!(search(alex, &["kubelet"]).is_empty());
    let text = tandem_ok(alex, &["search", "kubelet"]);
    assert!(text.contains("Nothing found"), "{text}");

    // The plain output groups by pair and marks the words.
    let text = tandem_ok(sam, &["search", "etiquette"]);
    assert!(
        text.contains("Alex → reviewer") && text.contains("Jo → approver"),
        "{text}"
    );
    assert!(text.contains("[etiquette]"), "{text}");

    // A deleted session disappears, here and, after a sync, on the other laptop.
    tandem_ok(alex, &["session", "delete", &pair, &session]);
    assert!(search(alex, &["lgtm"]).is_empty());
    tandem_ok(alex, &["sync", "--once"]);
    tandem_ok(sam, &["sync", "--once"]);
    assert!(search(sam, &["lgtm"]).is_empty());
    assert_eq!(search(sam, &["etiquette"]).len(), 1);
}

#[test]
fn bad_searches_get_a_sentence() {
    let home = ok(tempfile::tempdir());
    let pair = tandem_tests::new_pair(home.path());
    log_session(home.path(), &pair, "lgtm");
    for (args, said) in [
        (
            &["search", "lgtm", "--kind", "gossip"][..],
            "no kind 'gossip'",
        ),
        (&["search", "lgtm", "--limit", "0"], "at least 1"),
        (&["search", "lgtm", "--pair", "nobody"], "nobody"),
        (&["search", "lgtm", "--from", "yesterday"], "yesterday"),
    ] {
        let out = tandem(home.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(err.contains(said), "{args:?}: {err}");
    }
    // Nothing to search for is not an error: nothing is found.
    assert!(tandem_ok(home.path(), &["search", "  "]).contains("Nothing found"));
}

/// A damaged index, one replaced by a FIFO or a symlink, or one of a future format: each is thrown
/// away and rebuilt from the documents, the person is told, and nothing outside it is touched.
#[test]
fn a_damaged_or_hostile_index_is_rebuilt_and_says_so() {
    let home = ok(tempfile::tempdir());
    let h = home.path();
    let pair = tandem_tests::new_pair(h);
    log_session(h, &pair, "Shadowed the release team's burndown meeting.");
    assert_eq!(search(h, &["burndown"]).len(), 1);
    let index = h.join("search");
    let outside = ok(tempfile::tempdir());
    std::fs::write(outside.path().join("keep.txt"), "not Tandem's")
        .unwrap_or_else(|e| panic!("{e}"));

    type Damage = fn(&Path, &Path);
    let damages: [(&str, Damage); 4] = [
        ("garbled files", |index, _| {
            for e in std::fs::read_dir(index).into_iter().flatten().flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x != "lock") && p.is_file() {
                    std::fs::write(&p, b"\0garbage\0").unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }),
        ("meta.json a FIFO", |index, _| {
            let meta = index.join("meta.json");
            std::fs::remove_file(&meta).unwrap_or_else(|e| panic!("{e}"));
            let made = std::process::Command::new("mkfifo").arg(&meta).status();
            assert!(ok(made).success());
        }),
        ("the folder a symlink", |index, outside| {
            std::fs::remove_dir_all(index).unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(outside, index).unwrap_or_else(|e| panic!("{e}"));
        }),
        ("a segment cut short", |index, _| {
            for e in std::fs::read_dir(index).into_iter().flatten().flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "idx") {
                    let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                    let f = std::fs::OpenOptions::new().write(true).open(&p);
                    ok(ok(f).set_len(len / 2));
                }
            }
        }),
    ];
    for (what, damage) in damages {
        damage(&index, outside.path());
        let out = tandem(h, &["search", "burndown", "--json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {err}");
        assert!(
            err.contains("The search index was damaged") && err.contains("rebuilt"),
            "{what}: {err}"
        );
        let hits: serde_json::Value = ok(serde_json::from_slice(&out.stdout));
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{what}: {hits}");
        // Rebuilt in place, as a folder of its own; the symlink's target untouched.
        assert!(ok(std::fs::symlink_metadata(&index)).is_dir(), "{what}");
        let left: Vec<_> = ok(std::fs::read_dir(outside.path()))
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["keep.txt"], "{what}");
        // …and once rebuilt, it is quiet again.
        let again = tandem(h, &["search", "burndown"]);
        assert!(again.stderr.is_empty(), "{what}: {again:?}");
    }
}

#[test]
fn a_damaged_search_index_is_rebuilt_and_the_window_says_so() -> anyhow::Result<()> {
    alone(rebuilt_in_window())
}

/// The index, garbled while no Tandem ran, is rebuilt when the window starts; the window says so
/// once (the index is opened before the page listens: the page takes the notice), search works,
/// and OK dismisses the notice.
async fn rebuilt_in_window() -> anyhow::Result<()> {
    let home = tempfile::tempdir()?;
    let h = home.path();
    let pair = tandem_tests::new_pair(h);
    log_session(h, &pair, "Shadowed the release team's burndown meeting.");
    // The CLI makes the index; then every file of it is garbled.
    assert!(tandem_ok(h, &["search", "burndown"]).contains("burndown"));
    let index = h.join("search");
    let mut garbled = 0;
    for e in std::fs::read_dir(&index)?.flatten() {
        let p = e.path();
        if p.is_file() && p.extension().is_some_and(|x| x != "lock") {
            std::fs::write(&p, b"\0garbage\0")?;
            garbled += 1;
        }
    }
    assert!(
        garbled > 0,
        "no index files to garble in {}",
        index.display()
    );

    let driver = Driver::start(h)?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?;
    let notice = eventually(WAIT, "the rebuilt notice", || async {
        let t = css(&app, "#search-rebuilt").await.ok()?.text().await.ok()?;
        t.contains("rebuilt").then_some(t)
    })
    .await?;
    assert!(notice.contains("Nothing you wrote is lost"), "{notice}");
    // Why, for whoever hovers (tantivy's own words are not for the sentence).
    let why = css(&app, "#search-rebuilt p").await?.attr("title").await?;
    assert!(why.is_some_and(|w| !w.is_empty()), "no reason given");
    screenshot(&app, "search-rebuilt-notice").await?;
    click(&app, "#open-search").await?;
    css(&app, "#search-input")
        .await?
        .send_keys("burndown ")
        .await?;
    css(&app, "[data-testid=search-hit]").await?;
    css(&app, "#search-input")
        .await?
        .send_keys("\u{E00C}")
        .await?;
    click(&app, "#dismiss-search-notice").await?;
    eventually(WAIT, "the notice dismissed", || async {
        app.find_all(Locator::Css("#search-rebuilt"))
            .await
            .ok()?
            .is_empty()
            .then_some(())
    })
    .await?;
    app.close().await?;
    Ok(())
}
