//! The real window, driven through WebDriver (tauri-driver + WebKitWebDriver, as the E2E tests
//! drive it): a click on a pair in the library until its page is painted, the window's memory with
//! the 5-year pair open, and its CPU while nothing happens with a pair page open and a shared folder
//! set. Each against the same measure in the same run: the click on an empty pair, and a bare
//! Tauri window opened through the same driver.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use tandem_tests::Driver;

use crate::measure::{Row, ratio_row};
use tandem_tests::descendants;

use crate::window::tree_anonymous_kb;

/// What the rows need: the app and the bare window, a library holding the 5-year pair and an
/// empty pair (by their titles in the library), and how long to watch an idle window.
pub struct Setup<'a> {
    pub app: &'a Path,
    pub bare: &'a Path,
    pub library: &'a Path,
    pub big_title: &'a str,
    pub big_id: &'a str,
    pub empty_title: &'a str,
    pub runs: usize,
    pub idle: Duration,
}

/// Clicks the library card titled `arguments[0]` and answers the milliseconds until the pair page
/// (its "Log session" button) is in a painted frame: found in an animation frame, that frame is
/// painted before the next one's callbacks run. The card is found first, outside the time
/// measured: the library draws its first cards and more as the person scrolls or asks for them
/// ("Show more pairs", pressed here).
const CLICK_TO_PAINT: &str = r#"
const [title, done] = [arguments[0], arguments[arguments.length - 1]];
const find = (frames) => {
    const card = [...document.querySelectorAll('[data-testid=pair-card]')]
        .find(c => c.querySelector('.pair-title')?.textContent === title);
    if (card) { click(card); return; }
    if (frames > 600) { done('no card titled ' + title); return; }
    document.getElementById('show-more-pairs')?.click();
    requestAnimationFrame(() => find(frames + 1));
};
const click = (card) => {
    const t0 = performance.now();
    card.click();
    const check = () => document.getElementById('open-log-session')
        ? requestAnimationFrame(() => done(performance.now() - t0))
        : requestAnimationFrame(check);
    requestAnimationFrame(check);
};
find(0);
"#;

pub fn rows(s: &Setup<'_>) -> Result<Vec<Row>> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(rows_async(s))
}

async fn rows_async(s: &Setup<'_>) -> Result<Vec<Row>> {
    // The search index is built once, before: a window's first minutes on a new library are not
    // what these rows measure.
    tandem(s.app, s.library, &["search", "session"])?;
    // The cold-start rows' last window may still be letting go of the library.
    for _ in 0..100 {
        if tandem_tests::library_free(s.library) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let driver = Driver::start(s.library)?;
    let mut rows = Vec::new();

    // Click → painted, each in a window of its own (the first click after a start, as a person
    // opening Tandem to look at a pair makes it), alternating which pair goes first.
    let (mut big, mut empty) = (Vec::new(), Vec::new());
    let (mut big_memory, mut empty_memory) = (Vec::new(), Vec::new());
    for run in 0..s.runs {
        for title in if run % 2 == 0 {
            [s.big_title, s.empty_title]
        } else {
            [s.empty_title, s.big_title]
        } {
            let client = driver.open_binary(s.app, &[]).await?;
            let result = async {
                library_listed(&client).await?;
                let ms = click_to_paint(&client, title).await?;
                if title == s.big_title {
                    big.push(ms);
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                    big_memory.push(app_memory_mb(&driver, s.app)?);
                } else {
                    empty.push(ms);
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                    empty_memory.push(app_memory_mb(&driver, s.app)?);
                }
                anyhow::Ok(())
            }
            .await;
            close(client, &driver, s.app, s.library).await;
            result?;
        }
    }
    let bare_memory = {
        let mut all = Vec::new();
        for _ in 0..s.runs {
            let client = driver.open_binary(s.bare, &[]).await?;
            let result = async {
                client
                    .wait()
                    .at_most(Duration::from_secs(20))
                    .for_element(fantoccini::Locator::Css("body"))
                    .await?;
                tokio::time::sleep(Duration::from_millis(1500)).await;
                all.push(app_memory_mb(&driver, s.bare)?);
                anyhow::Ok(())
            }
            .await;
            close(client, &driver, s.bare, s.library).await;
            result?;
        }
        median(&mut all)
    };
    rows.push(ratio_row(
        "window: click → 5-year pair painted, vs an empty pair",
        median(&mut big),
        median(&mut empty),
        "ms",
        1.5,
    ));
    rows.push(ratio_row(
        "window memory with the 5-year pair open (app + WebKit), vs a bare window",
        median(&mut big_memory),
        bare_memory,
        "MB",
        1.5,
    ));
    // The same with the empty pair open: how much of the row above is the pair page itself
    // rather than five years of data in it.
    let empty_page = median(&mut empty_memory);
    rows.push(Row {
        ratio: Some(empty_page / bare_memory),
        baseline: Some(bare_memory),
        ..Row::report(
            "window memory with an empty pair open (app + WebKit), vs a bare window",
            empty_page,
            "MB",
        )
    });

    // Idle: a pair page open, the library's folder set and the pair shared there, nothing
    // happening; CPU ticks of the app and its WebKit processes per minute, vs the bare window.
    let idle_home = tempfile::tempdir()?;
    let folder = tempfile::tempdir()?;
    copy_dir(s.library, idle_home.path())?;
    tandem(
        s.app,
        idle_home.path(),
        &["share", "set", &folder.path().to_string_lossy()],
    )?;
    tandem(
        s.app,
        idle_home.path(),
        &["invite", s.big_id, "--for", "Alex"],
    )?;
    let idle_driver = Driver::start(idle_home.path())?;
    let app_ticks = {
        let client = idle_driver.open_binary(s.app, &[]).await?;
        let result = async {
            library_listed(&client).await?;
            click_to_paint(&client, s.big_title).await?;
            idle_ticks_per_minute(&idle_driver, s.app, s.idle).await
        }
        .await;
        close(client, &idle_driver, s.app, idle_home.path()).await;
        result?
    };
    let bare_ticks = {
        let client = idle_driver.open_binary(s.bare, &[]).await?;
        let result = idle_ticks_per_minute(&idle_driver, s.bare, s.idle).await;
        close(client, &idle_driver, s.bare, idle_home.path()).await;
        result?
    };
    // A bare window can use no measurable CPU in a short watch: compare with at least a tick.
    rows.push(ratio_row(
        "idle CPU, 5-year pair open and shared through a folder (ticks/min, app + WebKit), vs a bare window",
        app_ticks.max(0.1),
        bare_ticks.max(1.0),
        "ticks/min",
        2.0,
    ));
    Ok(rows)
}

/// Ends the WebDriver session and waits for the app to be gone and its library's lock free (it
/// holds it until its very exit), ending it if it lingers.
async fn close(client: Client, driver: &Driver, binary: &Path, home: &Path) {
    client.close().await.ok();
    for signal in ["-TERM", "-KILL"] {
        for _ in 0..150 {
            if app_pid(driver, binary).is_err() && tandem_tests::library_free(home) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Ok(pid) = app_pid(driver, binary) {
            eprintln!(
                "bench: {} lingers after its window closed: kill {signal}",
                binary.display()
            );
            let _ = Command::new("kill")
                .arg(signal)
                .arg(pid.to_string())
                .status();
        }
    }
}

async fn library_listed(client: &Client) -> Result<()> {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(fantoccini::Locator::Css("[data-testid=pair-card]"))
        .await
        .context("the library did not list its pairs within 30 s")?;
    Ok(())
}

async fn click_to_paint(client: &Client, title: &str) -> Result<f64> {
    let answer = tokio::time::timeout(
        Duration::from_secs(60),
        client.execute_async(CLICK_TO_PAINT, vec![title.into()]),
    )
    .await
    .with_context(|| format!("“{title}” did not open within 60 s"))??;
    match answer.as_f64() {
        Some(ms) => Ok(ms),
        None => bail!("opening “{title}”: {answer}"),
    }
}

/// The one process among the driver's descendants running `binary`.
fn app_pid(driver: &Driver, binary: &Path) -> Result<u32> {
    let binary = binary.canonicalize()?;
    driver
        .app_pid(&binary)
        .with_context(|| format!("no process of {} under tauri-driver", binary.display()))
}

fn app_memory_mb(driver: &Driver, binary: &Path) -> Result<f64> {
    let pid = app_pid(driver, binary)?;
    let tree = tree_anonymous_kb(pid) as f64 / 1024.0;
    let own = crate::window::anonymous_kb(pid) as f64 / 1024.0;
    eprintln!(
        "{}: {tree:.0} MB anonymous, {own:.0} MB of it the app's own process",
        binary.display()
    );
    Ok(tree)
}

/// Lets the window settle (first exchange with the folder, the search index), then counts the
/// user + system clock ticks its process tree uses over `watch`.
async fn idle_ticks_per_minute(driver: &Driver, binary: &Path, watch: Duration) -> Result<f64> {
    let pid = app_pid(driver, binary)?;
    tokio::time::sleep(Duration::from_secs(10).min(watch * 3)).await;
    let (before, own_before) = (tree_ticks(pid), ticks(pid));
    tokio::time::sleep(watch).await;
    let (after, own_after) = (tree_ticks(pid), ticks(pid));
    let per_minute = |a: u64, b: u64| a.saturating_sub(b) as f64 * 60.0 / watch.as_secs_f64();
    eprintln!(
        "{}: {:.0} ticks/min idle, {:.0} of them the app's own process",
        binary.display(),
        per_minute(after, before),
        per_minute(own_after, own_before)
    );
    Ok(per_minute(after, before))
}

fn tree_ticks(root: u32) -> u64 {
    descendants(root).into_iter().map(ticks).sum()
}

/// User + system clock ticks of one process (0 once it is gone).
fn ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let rest = stat.rsplit_once(')')?.1.to_string();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // utime and stime: fields 14 and 15 of stat, 12th and 13th after the name.
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

fn tandem(app: &Path, home: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(app)
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()?;
    if !out.status.success() {
        bail!(
            "tandem {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}
