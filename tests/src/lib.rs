//! Builders for Tandem's integration tests: the real `tandem` binary against temp homes, and the
//! real window driven through tauri-driver + WebKitWebDriver.
//!
//! `cargo xtask test` builds the release app and sets `TANDEM_BIN`; running these tests any other
//! way fails with a sentence saying so (never a silent skip).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Held by every test that runs the real app heavily (windows, bursts of processes): on two cores,
/// running them side by side makes WebKit's start-up and the kill timings unrepresentative.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed while holding the lock must not fail the others.
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The release binary under test.
pub fn tandem_bin() -> PathBuf {
    let path = std::env::var_os("TANDEM_BIN")
        .map(PathBuf::from)
        .unwrap_or_default();
    assert!(
        path.is_file(),
        "TANDEM_BIN does not point at the built app ({}); run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// Runs `tandem --home <home> <args…>` headless (no display) and returns its output.
pub fn tandem(home: &Path, args: &[&str]) -> Output {
    Command::new(tandem_bin())
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run tandem: {e}"))
}

/// Like [`tandem`], but the command must succeed; returns its stdout.
pub fn tandem_ok(home: &Path, args: &[&str]) -> String {
    let out = tandem(home, args);
    assert!(
        out.status.success(),
        "tandem {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `tandem pair new` with `args` (title, people, programme…); returns the new pair's id.
pub fn pair_new(home: &Path, args: &[&str]) -> String {
    let mut all = vec!["pair", "new"];
    all.extend_from_slice(args);
    tandem_ok(home, &all).trim().to_string()
}

/// Creates the pair "Alex → reviewer" (Sam the mentor, on this home's laptop; Alex the mentee)
/// with the real binary; returns its id.
pub fn new_pair(home: &Path) -> String {
    new_pair_titled(home, "Alex → reviewer")
}

/// [`new_pair`] with another title.
pub fn new_pair_titled(home: &Path, title: &str) -> String {
    pair_new(
        home,
        &["--title", title, "--me", "Sam", "--partner", "Alex"],
    )
}

/// Logs a 30-minute session with `notes` in `pair` with the real binary; returns what it printed.
pub fn log_session(home: &Path, pair: &str, notes: &str) -> String {
    tandem_ok(
        home,
        &["session", "add", pair, "--minutes", "30", "--notes", notes],
    )
}

/// `tandem show <pair> --json`, parsed.
pub fn show_json(home: &Path, pair: &str) -> serde_json::Value {
    let text = tandem_ok(home, &["show", pair, "--json"]);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("show --json printed invalid JSON ({e}): {text}"))
}

/// Polls `check` until it returns `Some`, or fails after `limit` with `what`.
pub async fn eventually<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check().await {
            return Ok(v);
        }
        if Instant::now() > deadline {
            bail!("timed out after {limit:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn tauri_driver_bin() -> PathBuf {
    let on_path = std::env::var_os("PATH").map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("tauri-driver"))
            .find(|p| p.is_file())
    });
    on_path.flatten().unwrap_or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
            });
        home.join("bin/tauri-driver")
    })
}

/// A running tauri-driver whose app instances use one Tandem home.
pub struct Driver {
    child: Child,
    port: u16,
    _native_port: u16,
    /// The app's own XDG data and config folders, so what it registers with the desktop
    /// (tandem:// links) stays out of the machine's.
    xdg: tempfile::TempDir,
    /// The library its apps open.
    home: PathBuf,
}

impl Driver {
    /// Starts tauri-driver with `TANDEM_HOME=home` (inherited by WebKitWebDriver and the app).
    pub fn start(home: &Path) -> Result<Driver> {
        Driver::start_with(home, &[])
    }

    /// Like [`Driver::start`], with more environment for the app (e.g. `TANDEM_EXPORT_DIR`).
    pub fn start_with(home: &Path, env: &[(&str, &Path)]) -> Result<Driver> {
        let port = free_port()?;
        let native_port = free_port()?;
        let (port_arg, native_arg) = (port.to_string(), native_port.to_string());
        let xdg = tempfile::tempdir()?;
        let child = Command::new(tauri_driver_bin())
            .args(["--port", &port_arg, "--native-port", &native_arg])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("TANDEM_HOME", home)
            .env("XDG_DATA_HOME", xdg.path().join("data"))
            .env("XDG_CONFIG_HOME", xdg.path().join("config"))
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .context("could not start tauri-driver (cargo xtask test installs it)")?;
        let driver = Driver {
            child,
            port,
            _native_port: native_port,
            xdg,
            home: home.to_path_buf(),
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// tauri-driver's process id: the apps it opens are its descendants (through WebKitWebDriver).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The app's XDG data folder (`$XDG_DATA_HOME`) and config folder.
    pub fn xdg_data(&self) -> PathBuf {
        self.xdg.path().join("data")
    }

    pub fn xdg_config(&self) -> PathBuf {
        self.xdg.path().join("config")
    }

    /// Opens the app in a new WebDriver session. Bounded: without a display WebKitWebDriver
    /// would wait forever.
    pub async fn open_app(&self) -> Result<fantoccini::Client> {
        self.open_app_with(&[]).await
    }

    /// Like [`Driver::open_app`], starting `tandem` with `args` (e.g. a tandem:// link).
    pub async fn open_app_with(&self, args: &[&str]) -> Result<fantoccini::Client> {
        self.open_binary(&tandem_bin(), args).await
    }

    /// Ends `client`'s session and waits until its app has exited: the app holds its library's
    /// lock until then, and a window started on the same library before that finds it taken
    /// (and says so in a dialog).
    pub async fn close(&self, client: fantoccini::Client) -> Result<()> {
        client.close().await?;
        self.wait_exited().await
    }

    /// Waits until no app this driver started is running (after Quit, or a closed session).
    pub async fn wait_exited(&self) -> Result<()> {
        let binary = tandem_bin().canonicalize()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.running(&binary) || !library_free(&self.home) {
            if Instant::now() > deadline {
                bail!("the app was still running 30 s after its window closed");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Whether a process of `binary` runs under this driver (through WebKitWebDriver).
    fn running(&self, binary: &Path) -> bool {
        self.app_pid(binary).is_some()
    }

    /// The process of `binary` this driver started (through WebKitWebDriver), while it runs.
    pub fn app_pid(&self, binary: &Path) -> Option<u32> {
        descendants(self.child.id())
            .into_iter()
            .skip(1)
            .find(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary)
            })
    }

    /// Opens another Tauri app (the bench's bare window) the same way, with `args`.
    pub async fn open_binary(&self, binary: &Path, args: &[&str]) -> Result<fantoccini::Client> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary.to_string_lossy(), "args": args }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = fantoccini::ClientBuilder::native();
        builder.capabilities(caps);
        tokio::time::timeout(Duration::from_secs(60), builder.connect(&url))
            .await
            .context("the WebDriver session did not start within 60 s (is there a display?)")?
            .context("could not start a WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: tauri-driver then also ends its WebKitWebDriver child.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every process whose command line or environment holds `secret`, one line each (pid, which,
/// what it holds). A command line is readable by every user of the machine.
pub fn processes_showing(secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        for what in ["cmdline", "environ"] {
            let Ok(bytes) = std::fs::read(entry.path().join(what)) else {
                continue;
            };
            if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
                let shown = String::from_utf8_lossy(&bytes).replace('\0', " ");
                found.push(format!("{pid} {what}: {shown}"));
            }
        }
    }
    found
}

/// A process and all its descendants, the process first.
pub fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The parent pid is the second field after the parenthesised command name.
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

/// Whether no process holds library `home` (its `.lock`, which a Tandem holds until its very
/// exit: a process is gone from /proc/<pid>/exe a moment before its files are closed).
pub fn library_free(home: &Path) -> bool {
    let Ok(file) = std::fs::OpenOptions::new()
        .write(true)
        .open(home.join(".lock"))
    else {
        return true;
    };
    file.try_lock().is_ok()
}

/// Everything the app logged in library `home` (`<home>/logs/tandem.<date>.log`).
pub fn read_logs(home: &Path) -> String {
    std::fs::read_dir(home.join("logs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect()
}

/// Saves a screenshot of the window as `<TANDEM_SCREENSHOTS or target/screenshots>/<name>.png`.
pub async fn screenshot(client: &fantoccini::Client, name: &str) -> Result<PathBuf> {
    let dir = std::env::var_os("TANDEM_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    // WebKit's screenshot is of the last composited frame: let two frames paint first, or the
    // picture can lag the page by a step.
    client
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    std::fs::write(&path, client.screenshot().await?)?;
    Ok(path)
}

/// Runs xdotool (`cargo xtask test` installs it) with `args`; what it printed.
pub fn xdotool(args: &[&str]) -> Result<String> {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .context("could not run xdotool (cargo xtask test installs it)")?;
    anyhow::ensure!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The first X window whose name matches `name` (a regular expression), waited for up to `limit`.
pub fn x_window(name: &str, limit: Duration) -> Result<String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(w) = xdotool(&["search", "--onlyvisible", "--name", name])
            && let Some(first) = w.lines().next()
        {
            return Ok(first.to_string());
        }
        if Instant::now() > deadline {
            bail!("no window named “{name}” appeared within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The Tandem window of the app running on library `home`, waited for up to `limit`: the visible
/// window named Tandem whose process (`_NET_WM_PID`) has `TANDEM_HOME=home`, so a window of an
/// earlier test still closing on the same display is never the one pressed.
pub fn app_window(home: &Path, limit: Duration) -> Result<String> {
    let want = format!("TANDEM_HOME={}", home.display()).into_bytes();
    let deadline = Instant::now() + limit;
    loop {
        let windows =
            xdotool(&["search", "--onlyvisible", "--name", "^Tandem$"]).unwrap_or_default();
        for w in windows.lines() {
            let Ok(pid) = xdotool(&["getwindowpid", w]) else {
                continue;
            };
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            if environ.split(|b| *b == 0).any(|var| var == want.as_slice()) {
                return Ok(w.to_string());
            }
        }
        if Instant::now() > deadline {
            bail!(
                "no Tandem window on {} appeared within {limit:?}",
                home.display()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Presses `keys` (xdotool's names, e.g. `ctrl+n`) in X window `window`, given the keyboard first
/// (without a window manager nothing else gives it), as a person at the keyboard would: through
/// XTEST, so the window's own shortcuts (GTK's menu accelerators) see them, not only the page
/// (`key --window` sends synthetic events, which GTK's accelerators ignore).
pub fn press(window: &str, keys: &str) -> Result<()> {
    xdotool(&["windowfocus", "--sync", window])?;
    // GTK takes the focus change from its event queue before keys count as the window's.
    std::thread::sleep(Duration::from_millis(200));
    xdotool(&["key", keys])?;
    Ok(())
}
