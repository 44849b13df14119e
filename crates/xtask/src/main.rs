//! `cargo xtask <task>`: Tandem's set-up and build recipes, in Rust so they run wherever cargo does.
//!
//! - `run [-- ARGS]`  install what is missing, build the UI and the app, open the window
//! - `test`           install what the tests need, build, run every test (E2E included, under Xvfb)
//! - `lint`           rustfmt --check, clippy -D warnings (native, and wasm32 for the UI and what it shares)
//! - `ci`             lint, then test: exactly what .ci/run runs
//! - `bundle [--no-build]` the release app as a .deb (menu entry, icons, tandem:// link handler)
//! - `cross`          clippy -D warnings of the code for Windows and macOS (adds those Rust targets)
//! - `bench [--smoke]` generate realistic pairs and measure against same-run baselines
//! - `ui` / `app`     just build ui/dist / the release app
//!
//! Nothing here downloads a prebuilt binary: system packages come from apt, Rust tools from
//! crates.io, and wasm-bindgen runs as a library linked into this binary.

mod bundle;
mod setup;
mod ui;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest: Vec<String> = args
        .iter()
        .skip(1)
        .filter(|a| *a != "--")
        .cloned()
        .collect();
    let result = match task {
        "run" => run(&rest),
        "test" => test(),
        "lint" => lint(),
        "ci" => lint().and_then(|()| test()),
        "ui" => ui::build(&root()),
        "app" => app(),
        "bench" => bench(&rest),
        "cross" => cross(),
        "bundle" => bundle::deb(rest.iter().any(|a| a == "--no-build")).map(|_| ()),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- ARGS] | test | lint | ci | cross | bundle [--no-build] | bench [--smoke] | ui | app>"
            );
            return if task == "help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate lives in crates/xtask).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).to_path_buf()
}

/// Cargo's target folder, honouring CARGO_TARGET_DIR.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(root());
    c
}

/// Runs a command, echoing it, and fails with its exit status.
pub fn sh(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `cargo xtask app` (and `run`, `bench`) builds: the release app alone.
const APP_PACKAGES: &[&str] = &["-p", "tandem-app"];

fn app() -> Result<()> {
    ui::build(&root())?;
    sh(cargo().args(["build", "--release"]).args(APP_PACKAGES))
}

fn app_binary() -> PathBuf {
    target_dir().join("release").join(if cfg!(windows) {
        "tandem.exe"
    } else {
        "tandem"
    })
}

fn run(args: &[String]) -> Result<()> {
    setup::system_packages(setup::APP_PACKAGES)?;
    setup::wasm_target()?;
    app()?;
    sh(Command::new(app_binary()).args(args))
}

fn test() -> Result<()> {
    setup::system_packages(setup::APP_PACKAGES)?;
    setup::system_packages(setup::TEST_PACKAGES)?;
    setup::wasm_target()?;
    setup::tauri_driver()?;
    // The binary the tests drive is built by the `cargo test` below (tandem-app has an integration
    // test, so cargo builds `tandem` with it): one feature resolution, so the app's dependencies
    // (GTK, WebKit, Tauri) compile once. A separate `cargo build -p tandem-app` resolves features
    // without the tests' dev-dependencies (syn's `fold`, tokio's `test-util`, …) and compiled all of
    // them a second time. The UI is embedded at compile time, so it is built first.
    ui::build(&root())?;
    // xtask's own unit tests (the package names of each distribution family): quick, and apart
    // from the release build below, since xtask is compiled for the dev profile.
    sh(cargo().args(["test", "--quiet", "-p", "xtask"]))?;
    // Everything is compiled first, so that the .deb the package test installs is made from the
    // very binary the other tests drive.
    const PACKAGES: &[&str] = &[
        "-p",
        "tandem-core",
        "-p",
        "tandem-search",
        "-p",
        "tandem-sync",
        "-p",
        "tandem-app",
        "-p",
        "tandem-tests",
        // The bench's smoke test runs the whole bench at a tiny scale so it cannot rot.
        "-p",
        "tandem-bench",
    ];
    sh(cargo()
        .args(["test", "--release", "--no-run"])
        .args(PACKAGES))?;
    let deb = bundle::deb(true)?;
    // The end-to-end tests open real windows: with_display gives them a virtual one if needed;
    // the keychain tests use a real Secret Service in a private session (with_keyring).
    let mut cmd = with_keyring(with_display(cargo()))?;
    cmd.args(["test", "--release"])
        .args(PACKAGES)
        .env("TANDEM_BIN", app_binary())
        .env("TANDEM_DEB", deb)
        .env("TANDEM_SCREENSHOTS", target_dir().join("screenshots"));
    let result = sh(&mut cmd);
    if result.is_err() {
        // A keychain that went away mid-run fails tests far from the cause: show its log.
        let log = target_dir().join("test-keyring").join("daemon.log");
        if let Ok(text) = std::fs::read_to_string(&log) {
            eprintln!("xtask: the test keyring's log ({}):\n{text}", log.display());
        }
    }
    result
}

/// Runs the benchmarks (release build) and writes target/bench/results.json. Installs Node (apt)
/// and the JS Automerge peer (npm, from the committed lockfile) for the interop comparison, and
/// tauri-driver for the rows that drive the window.
fn bench(args: &[String]) -> Result<()> {
    setup::system_packages(setup::APP_PACKAGES)?;
    setup::system_packages(setup::TEST_PACKAGES)?;
    setup::wasm_target()?;
    setup::node()?;
    // The window rows drive the real window as the E2E tests do.
    setup::tauri_driver()?;
    let js = root().join("crates/bench/js");
    sh(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&js))?;
    app()?;
    sh(cargo().args([
        "build",
        "--release",
        "-p",
        "bare-window",
        "-p",
        "tandem-bench",
    ]))?;
    let release = target_dir().join("release");
    // A keyring: the idle row shares the 5-year pair through a folder, which keeps its key there.
    let mut cmd = with_keyring(with_display(Command::new(release.join("tandem-bench"))))?;
    cmd.args(args)
        .arg("--out")
        .arg(target_dir().join("bench"))
        .arg("--js")
        .arg(&js)
        .arg("--app")
        .arg(app_binary())
        .arg("--bare")
        .arg(release.join("bare-window"));
    sh(&mut cmd)
}

/// `cmd` as is when there is a display, else the same command under a virtual one.
/// Runs `cmd` in a private D-Bus session with GNOME Keyring unlocked (an empty password, its data
/// under target/test-keyring), so tests use a real Secret Service and never the person's own.
///
/// The session's bus starts the daemon through target/test-keyring/dbus-1/services (the first of
/// the standard service folders, as XDG_DATA_HOME points there), so a daemon that exits mid-run
/// is started again by the next keychain call the same way — unlocked, on the same keyring files —
/// instead of by the system's service file, which starts a locked keyring whose unlock prompt
/// fails without a desktop (two E2E tests of a CI run failed so). Each start and exit is logged
/// to target/test-keyring/daemon.log, printed when the command fails.
fn with_keyring(cmd: Command) -> Result<Command> {
    let data = target_dir().join("test-keyring");
    if data.exists() {
        std::fs::remove_dir_all(&data)
            .with_context(|| format!("could not clear {}", data.display()))?;
    }
    let services = data.join("dbus-1").join("services");
    std::fs::create_dir_all(&services)?;
    // Its own runtime folder: the daemon's control socket is no other keyring's.
    let run = data.join("run");
    std::fs::create_dir_all(&run)?;
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let daemon = data.join("daemon.sh");
    let log = data.join("daemon.log");
    std::fs::write(
        &daemon,
        format!(
            "echo \"$(date +%T.%N) starting gnome-keyring-daemon\" >>'{log}'\n\
             printf '\\n' | XDG_RUNTIME_DIR='{run}' gnome-keyring-daemon --foreground --unlock \
             --components=secrets >>'{log}' 2>&1\n\
             echo \"$(date +%T.%N) gnome-keyring-daemon exited with status $?\" >>'{log}'\n",
            log = log.display(),
            run = run.display(),
        ),
    )?;
    std::fs::write(
        services.join("org.freedesktop.secrets.service"),
        format!(
            "[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sh {}\n",
            daemon.display()
        ),
    )?;
    let script = data.join("session.sh");
    std::fs::write(
        &script,
        "i=0\n\
         until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null 2>&1; do\n\
         i=$((i+1)); [ $i -gt 200 ] && { echo 'xtask: the test keyring did not start' >&2; exit 1; }; sleep 0.05\n\
         done\n\
         exec \"$@\"\n",
    )?;
    let mut c = Command::new("dbus-run-session");
    c.args(["--", "sh"])
        .arg(&script)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env("XDG_DATA_HOME", &data);
    if let Some(dir) = cmd.get_current_dir() {
        c.current_dir(dir);
    }
    Ok(c)
}

fn with_display(cmd: Command) -> Command {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return cmd;
    }
    let mut c = Command::new("xvfb-run");
    c.args(["-a", "-s", "-screen 0 1280x1024x24"])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        c.current_dir(dir);
    }
    c
}

fn lint() -> Result<()> {
    setup::system_packages(setup::APP_PACKAGES)?;
    setup::wasm_target()?;
    // tauri-build embeds ui/dist at compile time, so clippy of the app needs it built.
    ui::build(&root())?;
    sh(cargo().args(["fmt", "--all", "--check"]))?;
    // Every native crate in one invocation (one feature unification, one compile of the deps);
    // the wasm32 UI is linted for its own target below.
    // In the release profile, like the tests: the proc-macros and build scripts it compiles (and
    // the build scripts' outputs) are the ones `cargo xtask test` uses, not a second, debug set.
    sh(cargo().args([
        "clippy",
        "--release",
        "--workspace",
        "--exclude",
        "tandem-ui",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // This also compiles tandem-core (and the rest of what the UI shares) for wasm32.
    sh(cargo().args([
        "clippy",
        "-p",
        "tandem-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Clippy, warnings denied, of the code as Windows and macOS users would build it, from here:
/// only type-checking (no linker or SDK of theirs is needed), so a Linux-only API or a `cfg` typo
/// is caught before a user on another system meets it. The app itself is checked for Windows; for
/// macOS only core, search and sync, as Tauri's macOS crates compile Objective-C with Apple's SDK.
/// Not part of `lint`: it compiles most of the dependencies twice more (about 10 minutes from
/// scratch on two cores), too much for CI's budget; run it before a release or after touching
/// platform code.
fn cross() -> Result<()> {
    const WINDOWS: &str = "x86_64-pc-windows-msvc";
    const MACOS: &str = "aarch64-apple-darwin";
    setup::rust_target(WINDOWS)?;
    setup::rust_target(MACOS)?;
    ui::build(&root())?;
    let clippy = |target: &str, packages: &[&str]| {
        let mut c = cargo();
        c.args(["clippy", "--target", target]);
        for p in packages {
            c.args(["-p", p]);
        }
        c.args(["--", "-D", "warnings"]);
        sh(&mut c)
    };
    clippy(
        WINDOWS,
        &["tandem-core", "tandem-search", "tandem-sync", "tandem-app"],
    )?;
    clippy(MACOS, &["tandem-core", "tandem-search", "tandem-sync"])
}
