//! End-to-end: the real release app in a real WebKit window (under Xvfb when there is no display),
//! driven through tauri-driver + WebKitWebDriver. Screenshots of each step go to target/screenshots.

use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::{Client, Locator};
use tandem_tests::{Driver, eventually, log_session, screenshot, show_json, tandem_ok};

const WAIT: Duration = Duration::from_secs(20);

async fn css(client: &Client, selector: &str) -> Result<fantoccini::elements::Element> {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(selector))
        .await
        .with_context(|| format!("no element matches {selector}"))
}

async fn type_into(client: &Client, selector: &str, text: &str) -> Result<()> {
    let el = css(client, selector).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

async fn text_of(client: &Client, selector: &str) -> Result<String> {
    Ok(css(client, selector).await?.text().await?)
}

/// Runs an async end-to-end scenario alone (see `tandem_tests::exclusive`).
fn alone<F: std::future::Future<Output = Result<()>>>(scenario: F) -> Result<()> {
    let _alone = tandem_tests::exclusive();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(scenario)
}

#[test]
fn create_a_pair_log_a_session_and_find_it_after_a_restart() -> Result<()> {
    alone(create_log_restart())
}

async fn create_log_restart() -> Result<()> {
    let home = tempfile::tempdir()?;
    let driver = Driver::start(home.path())?;

    // 1. A fresh library: the empty state invites a first pair.
    let app = driver.open_app().await?;
    css(&app, "#library-empty").await?;
    screenshot(&app, "01-library-empty").await?;

    // 2. "New pair": a missing title is explained and nothing typed is lost.
    css(&app, "#new-pair").await?.click().await?;
    type_into(&app, "#my-name", "Sam").await?;
    type_into(&app, "#partner-name", "Alex").await?;
    css(&app, "#programme")
        .await?
        .select_by_value("kubernetes")
        .await?;
    type_into(&app, "#target-role", "SIG Docs reviewer").await?;
    css(&app, "#cadence")
        .await?
        .select_by_value("weekly")
        .await?;
    css(&app, "#create-pair").await?.click().await?;
    let error = text_of(&app, "#form-error").await?;
    assert_eq!(error, "Enter a title for the pair.");
    assert_eq!(
        css(&app, "#my-name").await?.prop("value").await?.as_deref(),
        Some("Sam")
    );
    screenshot(&app, "02-new-pair-error").await?;
    type_into(&app, "#title", "Alex → SIG Docs reviewer").await?;
    screenshot(&app, "03-new-pair-filled").await?;
    css(&app, "#create-pair").await?.click().await?;

    // 3. The pair page: log a session with notes.
    let title = text_of(&app, "#pair-title").await?;
    assert_eq!(title, "Alex → SIG Docs reviewer");
    css(&app, "#open-log-session").await?.click().await?;
    type_into(&app, "#session-minutes", "45").await?;
    css(&app, "#method-qa").await?.click().await?;
    css(&app, "#method-review").await?.click().await?;
    type_into(
        &app,
        "#session-notes",
        "Walked through the PR review checklist.",
    )
    .await?;
    screenshot(&app, "04-log-session-form").await?;
    css(&app, "#log-session").await?.click().await?;
    let session = css(&app, "[data-testid=session]").await?;
    let card = session.text().await?;
    assert!(card.contains("45 min"), "{card}");
    assert!(
        card.contains("Q&A") && card.contains("Review / feedback"),
        "{card}"
    );
    screenshot(&app, "05-pair-with-session").await?;

    // 4. Typing in the saved notes is durable within the batch window: a second process reads it
    //    from disk while the window is still open.
    let pair_id = tandem_ok(home.path(), &["pair", "list", "--json"]);
    let pair_id = serde_json::from_str::<serde_json::Value>(&pair_id)?["pairs"][0]["id"]
        .as_str()
        .map(String::from)
        .context("the pair is not listed by the CLI")?;
    let notes = css(&app, "[data-testid=session-notes]").await?;
    assert_eq!(
        notes.prop("value").await?.as_deref(),
        Some("Walked through the PR review checklist.")
    );
    notes.send_keys(" Next: shadow a review.").await?;
    let expected = "Walked through the PR review checklist. Next: shadow a review.";
    eventually(
        Duration::from_secs(10),
        "the typed notes to reach the disk",
        || {
            let view = show_json(home.path(), &pair_id);
            async move { (view["sessions"][0]["notes"] == expected).then_some(()) }
        },
    )
    .await?;
    driver.close(app).await?;

    // 5. Start again: the library lists the pair, and the session and its notes are there.
    let app = driver.open_app().await?;
    let card = text_of(&app, "[data-testid=pair-card]").await?;
    assert!(
        card.contains("Alex → SIG Docs reviewer") && card.contains("with Alex"),
        "{card}"
    );
    // The label is upper-cased by CSS, and WebDriver reports the rendered text.
    assert!(card.to_lowercase().contains("next session"), "{card}");
    screenshot(&app, "06-library-after-restart").await?;
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    let notes = css(&app, "[data-testid=session-notes]").await?;
    assert_eq!(notes.prop("value").await?.as_deref(), Some(expected));
    screenshot(&app, "07-pair-after-restart").await?;
    app.close().await?;
    Ok(())
}

/// A pair created headless shows up in the window with the same data.
#[test]
fn the_window_shows_what_the_cli_wrote() -> Result<()> {
    alone(cli_pair_in_window())
}

async fn cli_pair_in_window() -> Result<()> {
    let home = tempfile::tempdir()?;
    let pair = tandem_ok(
        home.path(),
        &[
            "pair",
            "new",
            "--title",
            "Kim → Astropy maintainer",
            "--me",
            "Lee",
            "--partner",
            "Kim",
            "--programme",
            "astropy",
            "--cadence",
            "monthly",
            "--start",
            "2026-11-05",
            "--minutes",
            "60",
        ],
    );
    tandem_ok(
        home.path(),
        &[
            "session",
            "add",
            pair.trim(),
            "--date",
            "2026-11-05",
            "--minutes",
            "60",
            "--methods",
            "planning",
            "--notes",
            "Monthly check-in: all is well.",
        ],
    );
    let driver = Driver::start(home.path())?;
    let app = driver.open_app().await?;
    let card = text_of(&app, "[data-testid=pair-card]").await?;
    assert!(
        card.contains("Kim → Astropy maintainer") && card.contains("with Kim"),
        "{card}"
    );
    assert!(card.contains("Thu 5 Nov 2026"), "{card}");
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    let notes = css(&app, "[data-testid=session-notes]").await?;
    assert_eq!(
        notes.prop("value").await?.as_deref(),
        Some("Monthly check-in: all is well.")
    );
    assert!(
        text_of(&app, "#next-session")
            .await?
            .contains("60 min every month")
    );
    screenshot(&app, "08-cli-pair-in-window").await?;
    app.close().await?;
    Ok(())
}

/// A tandem://join/… link opened when no window is open (a link clicked in a mail) starts the
/// window on the join form with the invite filled in; the system's folder picker (a real GTK
/// dialog, answered with xdotool) fills in the folder; joining opens the pair.
#[test]
fn a_clicked_invite_starts_the_window_on_the_join_form() -> Result<()> {
    alone(clicked_invite())
}

/// Answers the native folder picker titled `title` by typing `folder` into its location bar.
fn pick_folder_with_xdotool(title: &str, folder: &std::path::Path) -> Result<()> {
    let run = tandem_tests::xdotool;
    let window = tandem_tests::x_window(title, WAIT)
        .with_context(|| format!("no folder picker titled “{title}” opened"))?;
    // The dialog draws its location bar a moment after it maps.
    std::thread::sleep(Duration::from_millis(500));
    // Without a window manager nothing gives the dialog the keyboard: give it.
    run(&["windowfocus", "--sync", &window])?;
    run(&["key", "--window", &window, "ctrl+l"])?;
    std::thread::sleep(Duration::from_millis(300));
    let typed = format!("{}/", folder.display());
    run(&["type", "--window", &window, "--delay", "20", &typed])?;
    std::thread::sleep(Duration::from_millis(300));
    // The location bar completes a folder's only child inline (selected): Delete drops that.
    // The first Return goes into the folder, the second picks it.
    for _ in 0..2 {
        run(&["key", "--window", &window, "Delete"])?;
        run(&["key", "--window", &window, "Return"])?;
        std::thread::sleep(Duration::from_millis(700));
    }
    Ok(())
}

async fn clicked_invite() -> Result<()> {
    let (sam, alex, share) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let folder = std::fs::canonicalize(share.path())?.join("Dropbox");
    std::fs::create_dir(&folder)?;
    let pair = tandem_ok(
        sam.path(),
        &[
            "pair",
            "new",
            "--title",
            "Kim → reviewer",
            "--me",
            "Lee",
            "--partner",
            "Kim",
        ],
    );
    tandem_ok(sam.path(), &["share", "set", &folder.to_string_lossy()]);
    let link = tandem_ok(sam.path(), &["invite", pair.trim()])
        .trim()
        .to_string();
    assert!(link.starts_with("tandem://join/"), "{link}");

    let driver = Driver::start(alex.path())?;
    let app = driver.open_app_with(&[&link]).await?;
    eventually(WAIT, "the clicked invite in the join form", || async {
        let v = app.find(Locator::Css("#join-invite")).await.ok()?;
        (v.prop("value").await.ok()?? == link).then_some(())
    })
    .await?;
    // The invite reached the window without staying in its command line, where every user of
    // this machine could read it for as long as the window is open.
    let code = link.trim_start_matches("tandem://join/");
    let showing = tandem_tests::processes_showing(code);
    assert!(showing.is_empty(), "the invite is readable in: {showing:?}");
    let window = driver
        .app_pid(&std::fs::canonicalize(tandem_tests::tandem_bin())?)
        .context("no tandem process")?;
    let cmdline = std::fs::read(format!("/proc/{window}/cmdline"))?;
    assert!(
        String::from_utf8_lossy(&cmdline).contains("tandem://handoff/"),
        "{}",
        String::from_utf8_lossy(&cmdline)
    );
    assert!(
        std::fs::read_dir(alex.path().join("handoff"))?
            .next()
            .is_none(),
        "the handed-over link was not deleted once read"
    );
    css(&app, "#join-choose-folder").await?.click().await?;
    let (title, picked) = ("Choose the folder both laptops see", folder.clone());
    tokio::task::spawn_blocking(move || pick_folder_with_xdotool(title, &picked)).await??;
    let want = folder.to_string_lossy().into_owned();
    eventually(WAIT, "the picked folder in the join form", || async {
        let v = app.find(Locator::Css("#join-share")).await.ok()?;
        (v.prop("value").await.ok()??.trim_end_matches('/') == want).then_some(())
    })
    .await?;
    screenshot(&app, "link-01-join-form").await?;
    css(&app, "#join").await?.click().await?;
    let title = text_of(&app, "#pair-title").await?;
    assert!(title.contains("Kim → reviewer"), "{title}");
    // The folder joined through is now the library's, so the pair page says so.
    crate::journal::text_with(
        &app,
        "#share-where",
        &format!("the library's folder, {want}"),
    )
    .await?;
    // This pair alone moves to a folder shared with Kim only; then back to the library's.
    let own = std::fs::canonicalize(share.path())?.join("Kim and me");
    std::fs::create_dir(&own)?;
    let own_s = own.to_string_lossy().into_owned();
    type_into(&app, "#share-folder", &own_s).await?;
    css(&app, "#set-pair-folder").await?.click().await?;
    crate::journal::text_with(&app, "#share-where", &format!("its own folder, {own_s}")).await?;
    let shown = tandem_ok(alex.path(), &["share", "show"]);
    assert!(
        shown.starts_with(&want) && shown.contains(&own_s),
        "{shown}"
    );
    // The next exchange writes the pair into its own folder.
    eventually(WAIT, "the pair in its own folder", || async {
        std::fs::read_dir(own.join("tandem-v1"))
            .ok()?
            .next()
            .map(|_| ())
    })
    .await?;
    crate::journal::shot(&app, "#sharing", "link-02-own-folder").await?;
    css(&app, "#use-library-folder").await?.click().await?;
    crate::journal::text_with(
        &app,
        "#share-where",
        &format!("the library's folder, {want}"),
    )
    .await?;
    app.close().await?;
    Ok(())
}

/// A pair a newer Tandem changed (its schema version raised by a partner's laptop) opens in the
/// window read-only: the page is drawn with a sentence saying why, and an edit is refused with
/// the same reason, keeping what was typed.
#[test]
fn a_pair_from_a_newer_tandem_opens_read_only() -> Result<()> {
    alone(newer_pair_in_window())
}

async fn newer_pair_in_window() -> Result<()> {
    use automerge::transaction::Transactable as _;
    let home = tempfile::tempdir()?;
    let pair = tandem_tests::new_pair_titled(home.path(), "Alex → SIG Docs reviewer");
    log_session(home.path(), &pair, "Read the OWNERS file together.");
    // What a newer Tandem on the partner's laptop would have written, in this library's own log.
    let id = tandem_sync::DocId::pair(pair.clone());
    let bytes = tandem_sync::Library::open(home.path(), tandem_sync::Mode::ReadOnly)?.save(&id)?;
    let mut doc = automerge::AutoCommit::load(&bytes)?;
    let before = doc.get_heads();
    doc.put(automerge::ROOT, "schema_version", 99_i64)?;
    doc.commit();
    let mut record = Vec::new();
    tandem_sync::frame::encode(&doc.save_after(&before), &mut record)
        .map_err(anyhow::Error::msg)?;
    let log = home.path().join("pairs").join(&pair).join("changes.log");
    let mut file = std::fs::OpenOptions::new().append(true).open(&log)?;
    std::io::Write::write_all(&mut file, &record)?;
    file.sync_all()?;

    let driver = Driver::start(home.path())?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    let why = text_of(&app, "#read-only").await?;
    assert!(
        why.contains("A newer Tandem changed this pair (schema version 99)"),
        "{why}"
    );
    assert_eq!(
        text_of(&app, "#pair-title").await?,
        "Alex → SIG Docs reviewer"
    );
    screenshot(&app, "09-newer-pair-read-only").await?;
    let notes = css(&app, "[data-testid=session-notes]").await?;
    assert_eq!(
        notes.prop("value").await?.as_deref(),
        Some("Read the OWNERS file together.")
    );
    css(&app, "#open-log-session").await?.click().await?;
    type_into(&app, "#session-minutes", "45").await?;
    type_into(
        &app,
        "#log-session-form #session-notes",
        "Typed before noticing.",
    )
    .await?;
    css(&app, "#log-session").await?.click().await?;
    let error = text_of(&app, "#session-error").await?;
    assert!(error.contains("newer Tandem"), "{error}");
    assert_eq!(
        css(&app, "#log-session-form #session-notes")
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("Typed before noticing.")
    );
    screenshot(&app, "10-newer-pair-edit-refused").await?;
    app.close().await?;
    // Nothing was written: the pair still has its one session.
    let v = show_json(home.path(), &pair);
    assert_eq!(v["sessions"].as_array().map(Vec::len), Some(1), "{v}");
    Ok(())
}

/// Ctrl+K → type → Enter lands on the session, even one older than the sessions drawn at first:
/// results come as the person types, grouped by pair, the words marked; a kind filter narrows
/// them; Escape closes.
#[test]
fn ctrl_k_finds_a_session_and_enter_opens_it() -> Result<()> {
    alone(search_in_window())
}

async fn search_in_window() -> Result<()> {
    let home = tempfile::tempdir()?;
    let h = home.path();
    let pair = tandem_tests::new_pair(h);
    let other = tandem_tests::new_pair_titled(h, "Jo → approver");
    let mut wanted = String::new();
    // 30 weekly sessions; the one to find is the 26th newest, beyond the first page drawn.
    for week in 0..30u32 {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .map(|d| d + chrono::Duration::weeks(i64::from(week)))
            .context("a date")?
            .to_string();
        let notes = if week == 4 {
            "We went through /lgtm etiquette: wait for the approver, never self-merge.".to_string()
        } else {
            format!("Week {week}: reviewed open PRs in sig-node and planned the next steps.")
        };
        let id = tandem_ok(
            h,
            &[
                "session",
                "add",
                &pair,
                "--date",
                &date,
                "--minutes",
                "30",
                "--notes",
                &notes,
            ],
        );
        if week == 4 {
            wanted = id.trim().to_string();
        }
    }
    log_session(h, &other, "Talked about etiquette in release meetings.");

    let driver = Driver::start(h)?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?;
    // Ctrl+K opens the search with the field ready for typing (keys sent to the library page's
    // first control, as a person's would be).
    css(&app, "#open-join")
        .await?
        .send_keys("\u{E009}k\u{E000}")
        .await?;
    css(&app, "#search-input").await?;
    screenshot(&app, "30-search-open").await?;
    css(&app, "#search-input")
        .await?
        .send_keys("lgtm etiq")
        .await?;
    let hit = css(&app, "[data-testid=search-hit]").await?;
    let marks = eventually(WAIT, "the matched words marked", || async {
        let marks = app
            .find_all(Locator::Css("[data-testid=search-hit] mark"))
            .await
            .ok()?;
        let mut words = Vec::new();
        for m in marks {
            words.push(m.text().await.ok()?.to_lowercase());
        }
        (words.len() >= 2).then_some(words)
    })
    .await?;
    assert!(
        marks.contains(&"lgtm".to_string()) && marks.contains(&"etiquette".to_string()),
        "{marks:?}"
    );
    assert!(
        hit.text().await?.contains("Session"),
        "{}",
        hit.text().await?
    );
    // "etiquette" alone: both pairs, grouped under their titles.
    type_into(&app, "#search-input", "etiquette").await?;
    let groups = eventually(WAIT, "two groups of results", || async {
        let g = app.find_all(Locator::Css(".search-group h3")).await.ok()?;
        (g.len() == 2).then_some(g)
    })
    .await?;
    let mut titles = Vec::new();
    for g in groups {
        titles.push(g.text().await?);
    }
    assert!(
        titles
            .iter()
            .any(|t| t.to_lowercase().contains("jo → approver")),
        "{titles:?}"
    );
    screenshot(&app, "31-search-results").await?;
    // A kind with no match says so.
    css(&app, "#search-kind option[value=goal]")
        .await?
        .click()
        .await?;
    css(&app, "#search-empty").await?;
    css(&app, "#search-kind option[value='']")
        .await?
        .click()
        .await?;

    // Enter opens the best hit's session on its pair page, brought into view and marked.
    type_into(&app, "#search-input", "lgtm etiquette").await?;
    eventually(WAIT, "one result", || async {
        let hits = app
            .find_all(Locator::Css("[data-testid=search-hit]"))
            .await
            .ok()?;
        (hits.len() == 1).then_some(())
    })
    .await?;
    css(&app, "#search-input")
        .await?
        .send_keys("\u{E007}")
        .await?;
    let landed = css(&app, &format!("#session-{wanted}[data-found]")).await?;
    let in_view = app
        .execute(
            "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;",
            vec![serde_json::to_value(&landed)?],
        )
        .await?;
    assert_eq!(in_view, serde_json::Value::Bool(true));
    assert!(
        app.find_all(Locator::Css("#search-input"))
            .await?
            .is_empty(),
        "the search stayed open"
    );
    screenshot(&app, "32-search-landed").await?;

    // Escape closes a search opened by the top bar's field.
    css(&app, "#open-search").await?.click().await?;
    css(&app, "#search-input")
        .await?
        .send_keys("\u{E00C}")
        .await?;
    eventually(WAIT, "the search closed", || async {
        app.find_all(Locator::Css("#search-input"))
            .await
            .ok()?
            .is_empty()
            .then_some(())
    })
    .await?;
    app.close().await?;
    Ok(())
}

/// A long pair draws its latest sessions first and the older ones as the person scrolls down to
/// them (or presses "Show older sessions"), and its six newest open goals with the rest one press
/// away; opening it does not load it whole (its CRDT: memory and
/// a core's time for a page that may only be read), the first field that takes the keyboard does.
#[test]
fn a_long_pair_draws_what_is_read_and_loads_whole_only_to_be_edited() -> Result<()> {
    alone(long_pair())
}

async fn long_pair() -> Result<()> {
    let home = tempfile::tempdir()?;
    let pair = tandem_tests::new_pair(home.path());
    // Sessions as long as real ones: a screen holds two or three.
    let words = "We went through the review comments and agreed on the next steps. ".repeat(24);
    for i in 1..=14 {
        log_session(home.path(), &pair, &format!("Session {i}. {words}"));
    }
    for i in 1..=8 {
        tandem_ok(
            home.path(),
            &[
                "goal",
                "add",
                &pair,
                "--title",
                &format!("Goal number {i}"),
                "--measurable",
                "5 merged PRs",
                "--due",
                "2027-03-01",
            ],
        );
    }
    let driver = Driver::start(home.path())?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    css(&app, "#show-older").await?;
    let drawn = || async {
        app.find_all(Locator::Css("[data-testid=session]"))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    };
    let first = drawn().await;
    assert!((1..14).contains(&first), "{first} sessions drawn at first");
    // Goals: the newest open ones first, six of them, the rest one press away.
    let goals = || async {
        let mut out = Vec::new();
        for g in app
            .find_all(Locator::Css("[data-testid=goal] .goal-title"))
            .await
            .unwrap_or_default()
        {
            out.push(g.text().await.unwrap_or_default());
        }
        out
    };
    let shown = goals().await;
    assert_eq!(shown.len(), 6, "{shown:?}");
    assert_eq!(
        shown.first().map(String::as_str),
        Some("Goal number 8"),
        "{shown:?}"
    );
    let more = text_of(&app, "#show-all-goals").await?;
    assert_eq!(more, "Show all goals (2 more)");
    css(&app, "#show-all-goals").await?.click().await?;
    let shown = goals().await;
    assert_eq!(shown.len(), 8, "{shown:?}");
    assert_eq!(
        shown.last().map(String::as_str),
        Some("Goal number 1"),
        "{shown:?}"
    );
    screenshot(&app, "e2e-long-pair-opened").await?;
    // Opened and read: not loaded whole.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !tandem_tests::read_logs(home.path()).contains("loaded the pair whole"),
        "opening the pair loaded it whole"
    );

    // Scrolling down draws the older sessions, until all are there and the button goes.
    let all = eventually(WAIT, "every session drawn by scrolling", || async {
        // Half a window at a time, as a person reading down the page.
        app.execute("window.scrollBy(0, window.innerHeight / 2)", vec![])
            .await
            .ok()?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let n = drawn().await;
        (n == 14).then_some(n)
    })
    .await?;
    assert_eq!(all, 14);
    eventually(WAIT, "the show-older button to go", || async {
        app.find_all(Locator::Css("#show-older"))
            .await
            .ok()?
            .is_empty()
            .then_some(())
    })
    .await?;

    // The first field that takes the keyboard has the pair loaded for the edits to come.
    css(&app, "[data-testid=session-notes]")
        .await?
        .click()
        .await?;
    eventually(
        WAIT,
        "the pair loaded whole once a field took the keyboard",
        || async {
            tandem_tests::read_logs(home.path())
                .contains("loaded the pair whole for editing")
                .then_some(())
        },
    )
    .await?;
    Ok(())
}
