//! The pair page takes in a partner's changes without disturbing the person: while a goal form is
//! half filled in, the partner logs a session and types into another session's notes; the form
//! keeps its text and its focus, the new session appears, the notes change in place, and nothing
//! else on the page is redrawn (every element marked before is the same element after).

use anyhow::{Context, Result};
use chrono::Utc;
use tandem_core::pair::input::{NewSession, TextSplice};
use tandem_core::pair::{Edit, Pair, SessionEdit};
use tandem_sync::invite::Invite;
use tandem_sync::{DocId, Library, Mode};
use tandem_tests::{Driver, eventually, tandem_ok};

use crate::journal::{WAIT, alone, click, css, shot};
use crate::share::notes_shown;

/// Marks the elements a partner's change must leave alone, so redrawing one shows.
const MARK: &str = "
    const marked = [...document.querySelectorAll(
        '[data-testid=session], [data-testid=session-notes], #goals, #add-goal-form, #goal-title, \
         #goal-measurable, #schedule, #check-in, #evidence, #lifecycle, #private, #history, \
         .pair-head, #next-session')];
    marked.forEach((e, i) => { e.__tandemMark = i; });
    window.__tandemMarked = marked;
    return marked.length;";

/// The marked elements no longer in the page (redrawn, or removed).
const LOST: &str = "
    const now = new Set([...document.querySelectorAll('*')].filter(e => e.__tandemMark !== undefined));
    return window.__tandemMarked.filter(e => !now.has(e)).map(e => e.id || e.dataset.testid || e.className);";

#[test]
fn a_partners_changes_redraw_only_what_changed() -> Result<()> {
    alone(partners_changes())
}

async fn partners_changes() -> Result<()> {
    let (sam_home, alex_home, share) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let (sam_dir, alex_dir) = (sam_home.path(), alex_home.path());
    let folder = share.path().to_string_lossy().into_owned();
    let pair = tandem_tests::new_pair(sam_dir);
    let mut sessions = Vec::new();
    for (date, notes) in [
        ("2026-11-16", "First session notes."),
        ("2026-11-23", "Second session notes."),
    ] {
        sessions.push(
            tandem_ok(
                sam_dir,
                &[
                    "session",
                    "add",
                    &pair,
                    "--date",
                    date,
                    "--minutes",
                    "30",
                    "--notes",
                    notes,
                ],
            )
            .trim()
            .to_string(),
        );
    }
    tandem_ok(sam_dir, &["share", "set", &folder]);
    let link = tandem_ok(sam_dir, &["invite", &pair]).trim().to_string();
    tandem_ok(alex_dir, &["join", &link, "--share", &folder]);

    let driver = Driver::start(sam_dir)?;
    let sam = driver.open_app().await?;
    click(&sam, "[data-testid=pair-card]").await?;
    css(&sam, "#goal-title").await?;
    // Half a goal typed, the cursor still in it.
    css(&sam, "#goal-title")
        .await?
        .send_keys("Half-typed goal")
        .await?;
    let measurable = css(&sam, "#goal-measurable").await?;
    measurable.send_keys("5 PRs as prim").await?;
    let marked = sam
        .execute(MARK, vec![])
        .await?
        .as_u64()
        .unwrap_or_default();
    assert!(marked >= 14, "only {marked} elements marked");

    // Alex, on the other laptop: a new session, and typing into Sam's first session's notes.
    {
        let key = Invite::parse(&link)?.key;
        let mut alex = Library::open(alex_dir, Mode::ReadWrite)?;
        let new = NewSession {
            date: "2026-11-30".into(),
            minutes: "45".into(),
            notes: "Alex logged this one.".into(),
            ..NewSession::default()
        };
        alex.apply::<Pair>(&pair, &Edit::from(SessionEdit::Log(new)), Utc::now())?;
        let typed = " Alex adds a line.";
        let end = "First session notes.".chars().count();
        for (i, c) in typed.chars().enumerate() {
            let splice = TextSplice {
                session_id: sessions[0].clone(),
                field: "notes".into(),
                pos: end + i,
                delete: 0,
                insert: c.to_string(),
            };
            alex.splice_text(&pair, &splice, Utc::now())?;
        }
        alex.flush_all(Utc::now())?;
        alex.sync_share(&DocId::pair(pair.clone()), &key, share.path(), Utc::now())?;
    }

    eventually(
        WAIT,
        "Alex's session and typing in Sam's window",
        || async {
            let notes = notes_shown(&sam).await;
            (notes.contains("Alex logged this one.")
                && notes.contains("First session notes. Alex adds a line."))
            .then_some(())
        },
    )
    .await?;
    let state = sam
        .execute(
            "return [document.getElementById('goal-title').value, document.activeElement.id, \
             document.activeElement.value, document.querySelectorAll('[data-testid=session]').length];",
            vec![],
        )
        .await?;
    assert_eq!(state[0], "Half-typed goal", "{state}");
    assert_eq!(state[1], "goal-measurable", "the focus moved: {state}");
    assert_eq!(state[2], "5 PRs as prim", "{state}");
    assert_eq!(state[3], 3, "{state}");
    let lost = sam.execute(LOST, vec![]).await?;
    assert_eq!(lost, serde_json::json!([]), "redrawn: {lost}");
    // The typing goes on where it was.
    sam.active_element()
        .await?
        .send_keys("ary reviewer")
        .await?;
    let v = css(&sam, "#goal-measurable")
        .await?
        .prop("value")
        .await?
        .context("no value")?;
    assert_eq!(v, "5 PRs as primary reviewer");
    shot(&sam, "#goals", "live-01-form-kept-partner-arrived").await?;
    sam.close().await?;
    Ok(())
}
