//! The whole pair journal, headless (every `tandem` subcommand, with --json) and in the window.
//!
//! Over 600 lines: the window tests reuse the headless tests' pairs, and the WebDriver helpers the
//! other files use (`css`, `click`, `shot`, `alone`) live here.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::{Client, Locator};
use serde_json::Value;
use tandem_tests::{Driver, eventually, screenshot, show_json, tandem, tandem_ok};

/// Runs `tandem … --json` and returns the parsed output.
fn json(home: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let text = tandem_ok(home, &all);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}): {text}"))
}

/// Runs `tandem …`, which must fail; returns its standard error.
fn refused(home: &Path, args: &[&str]) -> String {
    let out = tandem(home, args);
    assert!(!out.status.success(), "{args:?} was accepted");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn created(v: &Value) -> String {
    v["created"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| panic!("nothing created: {v}"))
}

fn new_pair(home: &Path) -> String {
    tandem_ok(
        home,
        &[
            "pair",
            "new",
            "--title",
            "Alex → SIG Docs reviewer",
            "--me",
            "Sam",
            "--partner",
            "Alex",
            "--programme",
            "kubernetes",
            "--target-role",
            "reviewer",
        ],
    )
    .trim()
    .to_string()
}

#[test]
fn every_part_of_the_journal_is_reachable_headless() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = dir.path();
    let pair = new_pair(home);

    // Sessions with a time and zone; bad input is a sentence and changes nothing.
    let err = refused(home, &["session", "add", &pair, "--minutes", "0"]);
    assert!(err.contains("between 1 and 720 minutes"), "{err}");
    let err = refused(
        home,
        &[
            "session",
            "add",
            &pair,
            "--minutes",
            "30",
            "--time",
            "17:00",
            "--tz",
            "Europe/Berlinn",
        ],
    );
    assert!(err.contains("“Europe/Berlinn” is not a time zone"), "{err}");
    let v = json(
        home,
        &[
            "session",
            "add",
            &pair,
            "--date",
            "2026-11-10",
            "--minutes",
            "30",
            "--time",
            "17:00",
            "--tz",
            "Europe/Berlin",
            "--methods",
            "qa,review",
        ],
    );
    let s1 = created(&v);
    assert_eq!(v["pair"]["sessions"][0]["time_zone"], "Europe/Berlin");
    let item = created(&json(home, &["item", "add", &pair, &s1, "Review PR 123"]));
    json(home, &["item", "add", &pair, &s1, "Read the OWNERS docs"]);
    json(
        home,
        &[
            "session",
            "add",
            &pair,
            "--date",
            "2026-11-17",
            "--minutes",
            "45",
        ],
    );
    json(home, &["item", "done", &pair, &s1, &item]);
    let v = show_json(home, &pair);
    let open: Vec<&str> = v["open_items"].as_array().map_or(Vec::new(), |a| {
        a.iter()
            .filter_map(|o| o["item"]["text"].as_str())
            .collect()
    });
    assert_eq!(open, ["Read the OWNERS docs"]);

    // Goals: proposed, evaluated, achieved.
    let goal = created(&json(
        home,
        &[
            "goal",
            "add",
            &pair,
            "--title",
            "Primary reviewer on 5 PRs",
            "--measurable",
            "5 merged PRs",
            "--due",
            "2027-03-01",
        ],
    ));
    let err = refused(home, &["goal", "agree", &pair, &goal]);
    assert!(err.contains("already agreed"), "{err}");
    let err = refused(
        home,
        &["goal", "evaluate", &pair, &goal, "--progress", "140"],
    );
    assert!(err.contains("from 0 to 100"), "{err}");
    let v = json(
        home,
        &[
            "goal",
            "evaluate",
            &pair,
            &goal,
            "--progress",
            "40",
            "--note",
            "2 of 5",
        ],
    );
    assert_eq!(v["pair"]["goals"][0]["progress"], 40);
    let v = json(home, &["goal", "status", &pair, &goal, "achieved"]);
    assert_eq!(v["pair"]["goals"][0]["status"], "achieved");

    // The schedule: an end before the start is refused; then proposed and exported as .ics.
    let err = refused(
        home,
        &[
            "schedule",
            "set",
            &pair,
            "--cadence",
            "weekly",
            "--minutes",
            "30",
            "--start",
            "2026-12-01",
            "--end",
            "2026-11-01",
        ],
    );
    assert!(err.contains("is before the start"), "{err}");
    let v = json(
        home,
        &[
            "schedule",
            "set",
            &pair,
            "--cadence",
            "weekly",
            "--weekday",
            "tue",
            "--time",
            "17:00",
            "--tz",
            "Europe/Berlin",
            "--minutes",
            "30",
            "--start",
            "2026-12-01",
            "--sessions",
            "6",
            "--reassess",
            "2027-01-12",
        ],
    );
    assert_eq!(v["pair"]["schedule"]["awaiting"][0], "Alex");
    let ics = tandem_ok(home, &["schedule", "ics", &pair]);
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=6"), "{ics}");
    assert!(
        ics.contains("DTSTART;TZID=Europe/Berlin:20261201T170000"),
        "{ics}"
    );

    // Check-ins, concerns, feedback, readiness, evidence.
    let concern = created(&json(
        home,
        &["feedback", "check-in", &pair, "--concern", "No time"],
    ));
    assert!(
        show_json(home, &pair)["reminders"]
            .to_string()
            .contains("concern")
    );
    json(home, &["feedback", "resolve", &pair, &concern]);
    json(home, &["feedback", "check-in", &pair, "--all-well"]);
    json(
        home,
        &[
            "feedback",
            "add",
            &pair,
            "--kind",
            "pulse",
            "--rating",
            "4",
            "--shareable",
        ],
    );
    json(
        home,
        &[
            "review",
            &pair,
            "--not-yet",
            "--rationale",
            "Needs two more reviews",
        ],
    );
    let err = refused(
        home,
        &["evidence", &pair, "--kind", "pr-reviewed", "--link", "PR 5"],
    );
    assert!(err.contains("web address"), "{err}");
    let v = json(
        home,
        &[
            "evidence",
            &pair,
            "--kind",
            "pr-reviewed",
            "--link",
            "https://github.com/kubernetes/website/pull/5",
            "--primary",
        ],
    );
    assert_eq!(v["pair"]["evidence"][0]["primary_reviewer"], true);
    let v = show_json(home, &pair);
    assert_eq!(v["feedback"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["reviews"][0]["ready"], false);

    // Private notes stay out of the pair.
    tandem_ok(
        home,
        &["private", &pair, "--set", "Alex seems stretched thin"],
    );
    assert_eq!(
        tandem_ok(home, &["private", &pair]),
        "Alex seems stretched thin"
    );
    assert!(!show_json(home, &pair).to_string().contains("stretched"));

    // Lifecycle and hand-off.
    json(
        home,
        &["pair", "status", &pair, "paused", "--reason", "KubeCon"],
    );
    let err = refused(home, &["pair", "status", &pair, "ended"]);
    assert!(err.contains("why the pair ends"), "{err}");
    json(home, &["pair", "status", &pair, "active"]);
    let v = json(
        home,
        &[
            "pair", "hand-off", &pair, "--to", "Kim", "--reason", "New job",
        ],
    );
    assert_eq!(v["pair"]["status_reason"], "Sam handed off to Kim: New job");
    let err = refused(home, &["pair", "time-zone", &pair, "Mars/Base"]);
    assert!(err.contains("not a time zone"), "{err}");

    // History says who did what, newest first; no conflicts in a one-device pair.
    let lines = json(home, &["history", &pair]);
    assert_eq!(lines[0]["what"], "Hand off: Sam handed off to Kim: New job");
    assert_eq!(lines[0]["who"], "Sam");
    assert_eq!(json(home, &["conflicts", &pair]), serde_json::json!([]));
}

/// A pair whose two devices set the same goal's status differently while offline, stored in
/// `home` as this home's device (Sam) would have it after merging the partner's changes.
fn pair_with_a_conflict(home: &Path) -> Result<String> {
    use automerge::ActorId;
    use tandem_core::pair::input::{NewGoal, NewPair};
    use tandem_core::pair::ops::{self, Ctx, PairIds};
    use tandem_core::pair::{Edit, GoalEdit};
    let mut lib = tandem_sync::Library::open(home, tandem_sync::Mode::ReadWrite)?;
    let now = chrono::Utc::now();
    let mut sam = tandem_core::new_document().with_actor(lib.device().actor_id());
    let ids = PairIds {
        pair: "01CONFLICTPAIR".into(),
        me: "SAM".into(),
        partner: "ALEX".into(),
    };
    let input = NewPair {
        title: "Alex → approver".into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "kubernetes".into(),
        ..NewPair::default()
    };
    ops::create_pair(&mut sam, &ids, &input, now)?;
    let goal = NewGoal {
        title: "Review 20 PRs".into(),
        ..NewGoal::default()
    };
    let ctx = |id: &str| Ctx {
        now,
        new_id: id.into(),
    };
    ops::apply(&mut sam, &Edit::Goal(GoalEdit::Propose(goal)), &ctx("G1"))?;
    sam.commit();
    let mut alex = sam.fork().with_actor(ActorId::from(vec![9u8; 16]));
    ops::register_device(&mut alex, "ALEX")?;
    let status = |s: &str| {
        Edit::Goal(GoalEdit::SetStatus {
            goal_id: "G1".into(),
            status: s.into(),
        })
    };
    ops::apply(&mut sam, &status("achieved"), &ctx(""))?;
    ops::apply(&mut alex, &status("dropped"), &ctx(""))?;
    sam.commit();
    alex.commit();
    sam.merge(&mut alex)?;
    let view = lib.import(sam)?;
    if view.conflicts.len() != 1 {
        bail!("expected one conflict, got {:?}", view.conflicts);
    }
    Ok(view.id)
}

#[test]
fn a_conflict_is_listed_and_resolved_headless() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let home = dir.path();
    let pair = pair_with_a_conflict(home)?;
    let text = tandem_ok(home, &["conflicts", &pair]);
    assert!(text.contains("Goal “Review 20 PRs”: status"), "{text}");
    let conflicts = json(home, &["conflicts", &pair]);
    let alexs = conflicts[0]["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["by"] == "Alex"))
        .context("Alex's value is not offered")?;
    assert_eq!(alexs["value"], "dropped");
    let keep = alexs["id"].as_str().context("no id")?;
    let v = json(
        home,
        &[
            "conflicts",
            &pair,
            "--path",
            "goals.G1.status",
            "--keep",
            keep,
        ],
    );
    assert_eq!(v["pair"]["conflicts"], serde_json::json!([]));
    assert_eq!(v["pair"]["goals"][0]["status"], "dropped");
    Ok(())
}

pub(crate) const WAIT: Duration = Duration::from_secs(20);

pub(crate) async fn css(client: &Client, selector: &str) -> Result<fantoccini::elements::Element> {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(selector))
        .await
        .with_context(|| format!("no element matches {selector}"))
}

pub(crate) async fn click(client: &Client, selector: &str) -> Result<()> {
    let el = css(client, selector).await?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    el.click().await?;
    Ok(())
}

pub(crate) async fn type_into(client: &Client, selector: &str, text: &str) -> Result<()> {
    let el = css(client, selector).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Sets a date input the way a date picker does (WebKit's segmented date fields do not take typed
/// ISO dates), firing the `input` event the UI listens to.
async fn set_date(client: &Client, selector: &str, iso: &str) -> Result<()> {
    let el = css(client, selector).await?;
    client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(&el)?, serde_json::json!(iso)],
        )
        .await?;
    Ok(())
}

/// Waits until the element's text contains `needle` (ignoring case: labels are upper-cased by CSS
/// and WebDriver reports rendered text); returns the text.
pub(crate) async fn text_with(client: &Client, selector: &str, needle: &str) -> Result<String> {
    eventually(WAIT, &format!("{selector} to show “{needle}”"), || async {
        let text = css(client, selector).await.ok()?.text().await.ok()?;
        text.to_lowercase()
            .contains(&needle.to_lowercase())
            .then_some(text)
    })
    .await
}

/// Scrolls `selector` to the top and saves a screenshot.
pub(crate) async fn shot(client: &Client, selector: &str, name: &str) -> Result<()> {
    let el = css(client, selector).await?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    screenshot(client, name).await?;
    Ok(())
}

pub(crate) fn alone<F: std::future::Future<Output = Result<()>>>(scenario: F) -> Result<()> {
    let _alone = tandem_tests::exclusive();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(scenario)
}

#[test]
fn the_journal_in_the_window() -> Result<()> {
    alone(journal_in_window())
}

async fn journal_in_window() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let home = dir.path().join("home");
    let exports = dir.path().join("exports");
    let pair = new_pair(&home);
    let driver = Driver::start_with(&home, &[("TANDEM_EXPORT_DIR", &exports)])?;
    let app = driver.open_app().await?;
    click(&app, "[data-testid=pair-card]").await?;

    // Schedule: an end date before the start is explained, nothing typed is lost; then proposed.
    click(&app, "#open-schedule").await?;
    css(&app, "#schedule-form").await?;
    css(&app, "#schedule-weekday")
        .await?
        .select_by_value("tue")
        .await?;
    type_into(&app, "#schedule-time", "17:00").await?;
    type_into(&app, "#schedule-tz", "Europe/Berlin").await?;
    set_date(&app, "#schedule-start", "2026-12-01").await?;
    type_into(&app, "#schedule-sessions", "6").await?;
    set_date(&app, "#schedule-end", "2026-11-01").await?;
    click(&app, "#propose-schedule").await?;
    text_with(&app, "#schedule-error", "is before the start").await?;
    assert_eq!(
        css(&app, "#schedule-tz")
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("Europe/Berlin")
    );
    shot(&app, "#schedule", "journal-01-schedule-error").await?;
    set_date(&app, "#schedule-end", "").await?;
    set_date(&app, "#schedule-reassess", "2027-01-12").await?;
    click(&app, "#propose-schedule").await?;
    let summary = text_with(&app, "#schedule-summary", "Tuesdays").await?;
    assert!(
        summary.contains("17:00 Europe/Berlin") && summary.contains("6 sessions"),
        "{summary}"
    );
    text_with(&app, "#schedule-status", "Waiting for Alex").await?;
    click(&app, "#export-ics").await?;
    let saved = text_with(&app, "#export-path", "schedule.ics").await?;
    let path = saved.trim_start_matches("Saved to ").trim();
    let ics = std::fs::read_to_string(path).with_context(|| format!("no file at {path}"))?;
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=6"), "{ics}");
    shot(&app, "#schedule", "journal-02-schedule").await?;

    // A goal with its measure, evaluated; a check-in that raises a concern, then resolved.
    type_into(&app, "#goal-title", "Primary reviewer on 5 PRs").await?;
    type_into(&app, "#goal-measurable", "5 merged PRs").await?;
    click(&app, "#add-goal").await?;
    text_with(&app, "[data-testid=goal]", "Primary reviewer on 5 PRs").await?;
    click(&app, ".evaluate-goal").await?;
    type_into(&app, ".eval-progress", "40").await?;
    type_into(&app, ".eval-note", "2 of 5 so far").await?;
    click(&app, ".save-evaluation").await?;
    text_with(&app, "[data-testid=goal]", "40%").await?;
    click(&app, ".edit-goal").await?;
    type_into(
        &app,
        ".goal-edit-measurable",
        "5 merged PRs as primary reviewer",
    )
    .await?;
    type_into(
        &app,
        ".goal-edit-relevant",
        "The reviewer bar in community-membership.md",
    )
    .await?;
    click(&app, ".save-goal").await?;
    let goal = text_with(&app, "[data-testid=goal]", "as primary reviewer").await?;
    assert!(goal.contains("community-membership.md"), "{goal}");
    shot(&app, "#goals", "journal-03-goals").await?;
    click(&app, "#raise-concern").await?;
    type_into(&app, "#concern-text", "I can't find time for reviews").await?;
    click(&app, "#send-concern").await?;
    text_with(&app, "#reminders", "1 concern").await?;
    text_with(&app, "[data-testid=concern]", "I can't find time").await?;
    shot(&app, "#check-in", "journal-04-check-in-concern").await?;
    click(&app, ".resolve-concern").await?;
    click(&app, "#all-well").await?;
    text_with(&app, "#feedback-list", "all is well").await?;

    // Sessions with action items: an open item carries forward onto the next session.
    click(&app, "#open-log-session").await?;
    set_date(&app, "#session-date", "2026-11-10").await?;
    type_into(&app, "#session-minutes", "30").await?;
    click(&app, "#log-session").await?;
    type_into(&app, ".item-text", "Review PR 123").await?;
    click(&app, ".add-item").await?;
    text_with(&app, "[data-testid=action-item]", "Review PR 123").await?;
    click(&app, "#open-log-session").await?;
    set_date(&app, "#session-date", "2026-11-17").await?;
    type_into(&app, "#session-minutes", "30").await?;
    click(&app, "#log-session").await?;
    let newest = text_with(&app, "[data-testid=session]", "Carried forward").await?;
    assert!(newest.contains("Review PR 123"), "{newest}");
    shot(&app, "#session-list", "journal-05-carried-forward").await?;
    // Edit the newest session: an unknown zone is explained, then a good one is kept.
    click(&app, ".edit-session").await?;
    type_into(&app, ".edit-time", "18:30").await?;
    type_into(&app, ".edit-tz", "Europe/Berlinn").await?;
    type_into(&app, ".edit-minutes", "50").await?;
    click(&app, ".save-session").await?;
    text_with(&app, ".edit-session-form .error", "is not a time zone").await?;
    shot(&app, "#session-list", "journal-05b-edit-session-error").await?;
    text_with(&app, ".edit-session-form .error", "is not a time zone").await?;
    assert_eq!(
        css(&app, ".edit-tz").await?.prop("value").await?.as_deref(),
        Some("Europe/Berlinn")
    );
    type_into(&app, ".edit-tz", "America/New_York").await?;
    click(&app, ".save-session").await?;
    text_with(
        &app,
        "[data-testid=session]",
        "18:30 America/New_York · 50 min",
    )
    .await?;
    // A session logged by mistake is deleted from its edit form, after a second question;
    // "Keep it" keeps it.
    click(&app, "#open-log-session").await?;
    set_date(&app, "#session-date", "2026-11-18").await?;
    type_into(&app, "#session-minutes", "5").await?;
    click(&app, "#log-session").await?;
    let sessions = || async {
        let cards = app
            .find_all(Locator::Css("[data-testid=session]"))
            .await
            .ok()?;
        Some(cards.len())
    };
    eventually(WAIT, "the mistaken session to be listed", || async {
        (sessions().await? == 3).then_some(())
    })
    .await?;
    text_with(&app, "[data-testid=session]", "5 min").await?;
    click(&app, ".edit-session").await?;
    click(&app, ".delete-session").await?;
    click(&app, ".keep-session").await?;
    click(&app, ".delete-session").await?;
    text_with(&app, ".confirm-delete", "Delete this session").await?;
    shot(&app, "#session-list", "journal-05c-delete-session").await?;
    click(&app, ".confirm-delete-session").await?;
    eventually(WAIT, "the mistaken session to go", || async {
        (sessions().await? == 2).then_some(())
    })
    .await?;
    eventually(WAIT, "the deletion to be saved", || async {
        let v = show_json(&home, &pair);
        (v["sessions"].as_array().map(Vec::len) == Some(2)).then_some(())
    })
    .await?;

    // Evidence (a bad link is explained), a readiness review, private notes.
    type_into(&app, "#evidence-link", "PR 123").await?;
    click(&app, "#add-evidence").await?;
    text_with(&app, "#evidence-error", "web address").await?;
    type_into(
        &app,
        "#evidence-link",
        "https://github.com/kubernetes/website/pull/123",
    )
    .await?;
    click(&app, "#evidence-primary").await?;
    click(&app, "#add-evidence").await?;
    text_with(&app, "[data-testid=evidence]", "pull/123").await?;
    type_into(&app, "#review-rationale", "Two more primary reviews first").await?;
    click(&app, "#review-not-yet").await?;
    text_with(&app, "[data-testid=review]", "Not yet").await?;
    shot(&app, "#evidence", "journal-06-evidence").await?;
    type_into(&app, "#private-notes", "Alex seems stretched thin").await?;
    click(&app, "#save-private").await?;
    css(&app, "#private-saved").await?;
    assert_eq!(
        tandem_ok(&home, &["private", &pair]),
        "Alex seems stretched thin"
    );

    // Lifecycle: pause and resume; then the history says who did what.
    type_into(&app, "#status-reason", "KubeCon week").await?;
    click(&app, "#pause-pair").await?;
    text_with(&app, "#pair-status", "Paused").await?;
    shot(&app, "#lifecycle", "journal-07-paused").await?;
    click(&app, "#resume-pair").await?;
    text_with(&app, "#pair-status", "Active").await?;
    type_into(&app, "#my-time-zone", "Asia/Kolkata").await?;
    click(&app, "#save-time-zone").await?;
    eventually(WAIT, "the time zone to be saved", || async {
        let v = show_json(&home, &pair);
        let people = v["people"].as_array().cloned().unwrap_or_default();
        people
            .iter()
            .any(|p| p["name"] == "Sam" && p["time_zone"] == "Asia/Kolkata")
            .then_some(())
    })
    .await?;
    click(&app, "#show-history").await?;
    let history = text_with(&app, "#history-list", "Resume the pair").await?;
    assert!(
        history.contains("Propose a schedule") && history.contains("Sam"),
        "{history}"
    );
    shot(&app, "#history", "journal-08-history").await?;

    // Everything above is on disk, as a second process sees it.
    let v = show_json(&home, &pair);
    assert_eq!(v["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["evidence"][0]["primary_reviewer"], true);
    assert_eq!(v["status"], "active");
    app.close().await?;
    Ok(())
}

#[test]
fn a_conflict_is_shown_and_chosen_in_the_window() -> Result<()> {
    alone(conflict_in_window())
}

async fn conflict_in_window() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let pair = pair_with_a_conflict(dir.path())?;
    let driver = Driver::start(dir.path())?;
    let app = driver.open_app().await?;
    click(&app, "[data-testid=pair-card]").await?;
    let c = text_with(&app, "[data-testid=conflict]", "Review 20 PRs").await?;
    assert!(
        c.contains("Keep “achieved” (Sam)") && c.contains("Keep “dropped” (Alex)"),
        "{c}"
    );
    text_with(&app, "#reminders", "edited on two devices").await?;
    shot(&app, "#conflicts", "journal-09-conflict").await?;
    let buttons = app
        .find_all(Locator::Css("[data-testid=conflict] button.choice"))
        .await?;
    let mut dropped = None;
    for b in buttons {
        if b.text().await?.contains("dropped") {
            dropped = Some(b);
        }
    }
    dropped
        .context("no button keeps “dropped”")?
        .click()
        .await?;
    // Automerge's pick was already "dropped", so wait for the conflict card itself to go.
    eventually(WAIT, "the conflict card to go away", || async {
        app.find(Locator::Css("#conflicts"))
            .await
            .is_err()
            .then_some(())
    })
    .await?;
    text_with(&app, "[data-testid=goal]", "Dropped").await?;
    assert_eq!(
        show_json(dir.path(), &pair)["goals"][0]["status"],
        "dropped"
    );
    app.close().await?;
    Ok(())
}
