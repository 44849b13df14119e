//! Installing what is missing on a fresh Debian/Ubuntu machine: apt packages (as root, or through
//! sudo, or by printing the exact command), the wasm32 target, and tauri-driver from crates.io.

use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use crate::sh;

/// What building and running the app needs (Tauri 2's Linux prerequisites).
pub const APP_PACKAGES: &[&str] = &[
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    // The window registers tandem:// links with the desktop through xdg-mime.
    "xdg-utils",
];

/// What the tests add: a virtual display, and WebKit's WebDriver for the end-to-end tests.
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    // A real Secret Service for the keychain tests: GNOME Keyring in a private D-Bus session.
    "gnome-keyring",
    "dbus-daemon",
    "dbus-bin",
    // The PDF export test renders pages to PNG and reads them back (pdftoppm, pdftotext).
    "poppler-utils",
    // `gio open tandem://…` opens an invite link the way GNOME does (the deep-link test), and
    // xdotool answers the native folder picker.
    "libglib2.0-bin",
    "xdotool",
];

fn quiet(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn installed(pkg: &str) -> bool {
    quiet(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg]))
        .is_some_and(|s| s.contains("install ok installed"))
}

fn is_root() -> bool {
    quiet(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

pub fn system_packages(packages: &[&str]) -> Result<()> {
    if quiet(Command::new("dpkg-query").arg("--version")).is_none() {
        eprintln!(
            "xtask: this is not a Debian/Ubuntu system; make sure the equivalents of these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing {}", missing.join(" "));
    let apt = |prefix: &[&str]| -> Result<()> {
        let run = |args: &[&str]| {
            let mut all: Vec<&str> = prefix.to_vec();
            all.extend_from_slice(args);
            let mut c = Command::new(all[0]);
            c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
            sh(&mut c)
        };
        run(&["apt-get", "update", "-q"])?;
        let mut install = vec!["apt-get", "install", "-y", "-q", "--no-install-recommends"];
        install.extend(&missing);
        run(&install)
    };
    if is_root() {
        apt(&[])
    } else if quiet(Command::new("sudo").args(["-n", "true"])).is_some() {
        apt(&["sudo", "-n"])
    } else {
        bail!(
            "these packages are missing and I am not root: {0}\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y {0}",
            missing.join(" ")
        )
    }
}

pub fn wasm_target() -> Result<()> {
    let have = quiet(Command::new("rustup").args(["target", "list", "--installed"]));
    match have {
        Some(list) if list.lines().any(|l| l.trim() == "wasm32-unknown-unknown") => Ok(()),
        Some(_) => sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
        None => bail!(
            "rustup was not found; install the wasm32-unknown-unknown target for your Rust toolchain"
        ),
    }
}

/// tauri-driver bridges WebDriver clients to WebKitWebDriver for the end-to-end tests.
pub fn tauri_driver() -> Result<()> {
    if quiet(Command::new("tauri-driver").arg("--help")).is_some()
        || cargo_bin("tauri-driver").exists()
    {
        return Ok(());
    }
    sh(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())).args([
            "install",
            "tauri-driver",
            "--version",
            "^2",
            "--locked",
        ]),
    )
}

/// Where `cargo install` puts a binary.
pub fn cargo_bin(name: &str) -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin").join(name)
}

/// Node and npm, for the benchmark's JS Automerge peer.
pub fn node() -> Result<()> {
    if quiet(Command::new("node").arg("--version")).is_some()
        && quiet(Command::new("npm").arg("--version")).is_some()
    {
        return Ok(());
    }
    system_packages(&["nodejs", "npm"])
}
