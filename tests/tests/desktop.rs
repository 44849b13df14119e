//! The window at home on a desktop, in the real app under Xvfb: the menu's shortcuts pressed as a
//! person would (xdotool, so GTK's accelerators take them, not only the page), Quit remembering
//! the window's size for the next start, the log file, and an export shown in its folder by the
//! desktop's own handler (xdg-open, with a handler registered in the test's XDG folders).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, Locator};
use tandem_tests::{Driver, app_window, eventually, new_pair_titled, press, read_logs, screenshot};

const WAIT: Duration = Duration::from_secs(20);

async fn css(client: &Client, selector: &str) -> Result<fantoccini::elements::Element> {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(selector))
        .await
        .with_context(|| format!("no element matches {selector}"))
}

async fn present(client: &Client, selector: &str) -> Result<bool> {
    Ok(!client.find_all(Locator::Css(selector)).await?.is_empty())
}

fn alone<F: std::future::Future<Output = Result<()>>>(scenario: F) -> Result<()> {
    let _alone = tandem_tests::exclusive();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(scenario)
}

/// Presses `keys` in the Tandem window (off the async runtime: xdotool waits).
async fn keys(window: &str, keys: &str) -> Result<()> {
    let (w, k) = (window.to_string(), keys.to_string());
    tokio::task::spawn_blocking(move || press(&w, &k)).await?
}

#[test]
fn the_menu_shortcuts_work_and_quit_remembers_the_window() -> Result<()> {
    alone(shortcuts_and_quit())
}

async fn shortcuts_and_quit() -> Result<()> {
    let home = tempfile::tempdir()?;
    new_pair_titled(home.path(), "Kim → reviewer");
    let driver = Driver::start(home.path())?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?;
    let mine = home.path().to_path_buf();
    let window = tokio::task::spawn_blocking(move || app_window(&mine, WAIT)).await??;

    // On the library, the pair's items are disabled: Ctrl+N opens nothing.
    keys(&window, "ctrl+n").await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!present(&app, "#log-session-form").await?);
    assert!(present(&app, "[data-testid=pair-card]").await?);
    // Ctrl+K opens the search from anywhere; Escape closes it.
    keys(&window, "ctrl+k").await?;
    css(&app, ".search-panel").await?;
    keys(&window, "Escape").await?;
    eventually(WAIT, "the search to close", || async {
        (!present(&app, ".search-panel").await.ok()?).then_some(())
    })
    .await?;

    // On a pair: Ctrl+N opens the session form, Ctrl+E the summary, Ctrl+L the library.
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    css(&app, "#pair-title").await?;
    keys(&window, "ctrl+n").await?;
    css(&app, "#log-session-form").await?;
    screenshot(&app, "desktop-01-ctrl-n-on-a-pair").await?;
    keys(&window, "ctrl+e").await?;
    css(&app, "#export-md").await?;
    keys(&window, "ctrl+l").await?;
    css(&app, "[data-testid=pair-card]").await?;
    // Ctrl+Shift+N: a new pair.
    keys(&window, "ctrl+shift+n").await?;
    css(&app, "#create-pair").await?;

    // The log file in the library's folder says the window started.
    let logs = read_logs(home.path());
    assert!(logs.contains("starting the window"), "{logs}");

    // Quit (Ctrl+Q) closes the app and remembers the window's size.
    let remembered = home.path().join("window.json");
    assert!(!remembered.exists());
    keys(&window, "ctrl+q").await?;
    let deadline = Instant::now() + WAIT;
    while !remembered.is_file() {
        if Instant::now() > deadline {
            bail!("Quit did not write window.json");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&remembered)?)?;
    assert_eq!(saved["width"].as_f64(), Some(1100.0), "{saved}");
    assert!(read_logs(home.path()).contains("the window closed"));
    drop(app);
    driver.wait_exited().await?;

    // The next start opens at the size remembered (as if the person had resized it).
    std::fs::write(
        &remembered,
        r#"{"width": 900.0, "height": 640.0, "x": 20.0, "y": 10.0, "maximized": false}"#,
    )?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?;
    let width = eventually(WAIT, "the remembered width", || async {
        let w = app
            .execute("return window.innerWidth", vec![])
            .await
            .ok()?
            .as_f64()?;
        (w == 900.0).then_some(w)
    })
    .await?;
    assert_eq!(width, 900.0);
    Ok(())
}

/// An exported summary's "Show in folder" hands its folder to the desktop (xdg-open, which runs
/// the handler the person chose for folders; here one that writes down what it was given), and the
/// window opens nothing it did not export.
#[test]
fn an_export_is_shown_in_its_folder_and_nothing_else_opens() -> Result<()> {
    alone(show_export())
}

async fn show_export() -> Result<()> {
    let (home, out, xdg) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    new_pair_titled(home.path(), "Kim → reviewer");
    let opened = xdg.path().join("opened.txt");
    let handler = xdg.path().join("file-manager.sh");
    std::fs::write(
        &handler,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )?;
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&handler)
        .status()?;
    let driver = Driver::start_with(home.path(), &[("TANDEM_EXPORT_DIR", out.path())])?;
    let apps = driver.xdg_data().join("applications");
    std::fs::create_dir_all(&apps)?;
    std::fs::write(
        apps.join("test-file-manager.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Files\nExec={} %f\nMimeType=inode/directory;\n",
            handler.display()
        ),
    )?;
    std::fs::create_dir_all(driver.xdg_config())?;
    std::fs::write(
        driver.xdg_config().join("mimeapps.list"),
        "[Default Applications]\ninode/directory=test-file-manager.desktop\n",
    )?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    css(&app, "#open-summary").await?.click().await?;
    css(&app, "#export-md").await?.click().await?;
    css(&app, "#summary-saved-reveal").await?.click().await?;
    let got = eventually(WAIT, "the folder handed to the file manager", || async {
        std::fs::read_to_string(&opened).ok()
    })
    .await?;
    let want = std::fs::canonicalize(out.path())?;
    assert_eq!(
        std::fs::canonicalize(got.trim()).ok().as_deref(),
        Some(want.as_path()),
        "{got}"
    );
    screenshot(&app, "desktop-02-export-saved").await?;
    // A path the window did not export is refused with a sentence, and nothing is started.
    let refused = app
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('open_export', { args: { path: '/etc/passwd', reveal: false } })
               .then(() => done('opened'), e => done(e.message || JSON.stringify(e)));",
            vec![],
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("was not exported from this window"),
        "{refused}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(std::fs::read_to_string(&opened)?.lines().count(), 1);
    Ok(())
}

/// Saving a summary asks where, through the system's save dialog (GTK's, answered with the
/// keyboard as a person would): it opens in Downloads, Escape saves nothing and says nothing, a
/// path typed without its extension gets it, and the next save opens where the last one went.
#[test]
fn the_summary_is_saved_where_the_save_dialog_says() -> Result<()> {
    alone(save_through_the_dialog())
}

/// The save dialog's X window, once it is up.
async fn save_dialog() -> Result<String> {
    tokio::task::spawn_blocking(|| tandem_tests::x_window("^Save the progress summary$", WAIT))
        .await?
}

/// Types `text` into X window `window` (xdotool, through XTEST).
async fn type_into(window: &str, text: &str) -> Result<()> {
    let (w, t) = (window.to_string(), text.to_string());
    tokio::task::spawn_blocking(move || {
        press(&w, "ctrl+a")?;
        tandem_tests::xdotool(&["type", "--delay", "15", &t]).map(|_| ())
    })
    .await?
}

async fn save_through_the_dialog() -> Result<()> {
    let home = tempfile::tempdir()?;
    new_pair_titled(home.path(), "Saved where asked");
    let downloads = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    let driver = Driver::start(home.path())?;
    // The app's Downloads folder, as xdg-user-dirs names it.
    std::fs::create_dir_all(driver.xdg_config())?;
    std::fs::write(
        driver.xdg_config().join("user-dirs.dirs"),
        format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.path().display()),
    )?;
    let app = driver.open_app().await?;
    css(&app, "[data-testid=pair-card]").await?.click().await?;
    css(&app, "#open-summary").await?.click().await?;

    // Escape: nothing saved, nothing said.
    css(&app, "#export-md").await?.click().await?;
    let dialog = save_dialog().await?;
    screenshot(&app, "desktop-03-save-dialog").await.ok();
    keys(&dialog, "Escape").await?;
    tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + WAIT;
        while tandem_tests::xdotool(&[
            "search",
            "--onlyvisible",
            "--name",
            "^Save the progress summary$",
        ])
        .is_ok()
        {
            anyhow::ensure!(
                Instant::now() < deadline,
                "the save dialog stayed open after Escape"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    })
    .await??;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!present(&app, "#summary-saved").await?);
    assert!(!present(&app, "#summary-error").await?);
    assert_eq!(std::fs::read_dir(downloads.path())?.count(), 0);

    // The dialog opened in Downloads: a bare name lands there, with the suggested extension.
    css(&app, "#export-pdf").await?.click().await?;
    let dialog = save_dialog().await?;
    type_into(&dialog, "In downloads").await?;
    keys(&dialog, "Return").await?;
    let pdf = downloads.path().join("In downloads.pdf");
    let said = eventually(WAIT, "the saved PDF's path in the window", || async {
        let text = css(&app, "#summary-saved").await.ok()?.text().await.ok()?;
        text.contains("In downloads.pdf").then_some(text)
    })
    .await?;
    assert!(said.contains(&pdf.display().to_string()), "{said}");
    assert!(std::fs::read(&pdf)?.starts_with(b"%PDF-"));

    // A full path typed elsewhere goes there…
    css(&app, "#export-md").await?.click().await?;
    let dialog = save_dialog().await?;
    let chosen = elsewhere.path().join("Nomination");
    type_into(&dialog, &chosen.display().to_string()).await?;
    keys(&dialog, "Return").await?;
    let md = elsewhere.path().join("Nomination.md");
    eventually(WAIT, "Nomination.md", || async {
        md.is_file().then_some(())
    })
    .await?;
    let text = std::fs::read_to_string(&md)?;
    assert!(text.starts_with("# ") && text.contains("Alex"), "{text}");
    // …and the next save dialog opens there.
    css(&app, "#export-html").await?.click().await?;
    let dialog = save_dialog().await?;
    type_into(&dialog, "Again").await?;
    keys(&dialog, "Return").await?;
    let html = elsewhere.path().join("Again.html");
    eventually(WAIT, "Again.html beside the last export", || async {
        html.is_file().then_some(())
    })
    .await?;
    screenshot(&app, "desktop-04-saved-through-the-dialog").await?;
    // Only what was asked for was written.
    assert_eq!(std::fs::read_dir(downloads.path())?.count(), 1);
    assert_eq!(std::fs::read_dir(elsewhere.path())?.count(), 2);
    Ok(())
}
