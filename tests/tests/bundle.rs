//! The .deb `cargo xtask bundle` makes, tried as a person installing it would: `dpkg -i` (then
//! `apt-get -f install` if dpkg leaves dependencies missing), the menu entry, icons and tandem://
//! handler where the desktop looks for them, the installed `tandem` opening its window, and
//! `dpkg -r` taking every file away again.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use tandem_tests::{app_window, exclusive};

/// Runs `args` as root: directly when the tests run as root (CI), else through `sudo -n`.
fn as_root(args: &[&str]) -> std::process::Output {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        c
    } else {
        let mut c = Command::new("sudo");
        c.arg("-n").args(args);
        c
    };
    cmd.env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run {args:?}: {e}"))
}

fn ok(args: &[&str]) -> String {
    let out = as_root(args);
    assert!(
        out.status.success(),
        "{args:?} failed (installing a package needs root, or sudo without a password): {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", "tandem"])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// Removes the package when the test ends, passed or failed, so a failure leaves no system
/// package behind.
struct Removal;

impl Drop for Removal {
    fn drop(&mut self) {
        if installed() {
            let _ = as_root(&["dpkg", "-r", "tandem"]);
        }
    }
}

fn mime_cache() -> String {
    std::fs::read_to_string("/usr/share/applications/mimeinfo.cache").unwrap_or_default()
}

#[test]
fn the_deb_installs_opens_its_window_and_removes_cleanly() {
    let deb = std::env::var_os("TANDEM_DEB").map(PathBuf::from);
    let Some(deb) = deb.filter(|d| d.is_file()) else {
        panic!("TANDEM_DEB does not point at a .deb; run the tests with `cargo xtask test`");
    };
    assert!(
        !installed(),
        "a tandem package is already installed on this machine; this test installs and removes \
         its own, so remove that one first (`dpkg -r tandem`)"
    );
    let _windows = exclusive();

    // What the package says about itself, before anything is installed.
    let info = String::from_utf8_lossy(
        &Command::new("dpkg-deb")
            .arg("--field")
            .arg(&deb)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
            .stdout,
    )
    .into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("Package"), "tandem", "{info}");
    let depends = field("Depends");
    // Found by dpkg-shlibdeps from what the binary links, plus the declared ones.
    for needed in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "xdg-utils"] {
        assert!(
            depends.contains(needed),
            "Depends lacks {needed}: {depends}"
        );
    }

    let _removal = Removal;
    let out = as_root(&["dpkg", "-i", &deb.to_string_lossy()]);
    if !out.status.success() {
        // dpkg installs the package but leaves it unconfigured when a dependency is missing;
        // apt then brings what is missing, as it would for a person.
        ok(&["apt-get", "-f", "install", "-y", "-q"]);
    }
    assert!(installed(), "the package is not installed after dpkg -i");

    let files = ok(&["dpkg", "-L", "tandem"]);
    for path in [
        "/usr/bin/tandem",
        "/usr/share/applications/tandem.desktop",
        "/usr/share/icons/hicolor/128x128/apps/tandem.png",
        "/usr/share/icons/hicolor/scalable/apps/tandem.svg",
    ] {
        assert!(
            files.lines().any(|l| l == path),
            "{path} not in the package"
        );
        assert!(Path::new(path).is_file(), "{path} was not installed");
    }
    // The menu entry is valid, and the desktop database (updated by dpkg's trigger) now sends
    // tandem:// links to it.
    let validate = Command::new("desktop-file-validate")
        .arg("/usr/share/applications/tandem.desktop")
        .output()
        .unwrap_or_else(|e| panic!("desktop-file-validate: {e}"));
    assert!(
        validate.status.success() && validate.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    assert!(
        mime_cache()
            .lines()
            .any(|l| l.starts_with("x-scheme-handler/tandem=") && l.contains("tandem.desktop")),
        "tandem:// is not in the desktop's MIME cache:\n{}",
        mime_cache()
    );

    // The installed binary, as the menu entry starts it (Exec=tandem %u, found on PATH): headless
    // first, then its window on a display.
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let xdg = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let listed = Command::new("tandem")
        .args(["pair", "list"])
        .env("PATH", "/usr/bin:/bin")
        .env("TANDEM_HOME", home.path())
        .env_remove("DISPLAY")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let Some(display) = std::env::var_os("DISPLAY") else {
        panic!("this test needs a display; run it with `cargo xtask test` (Xvfb)");
    };
    let mut window = Command::new("tandem")
        .env("PATH", "/usr/bin:/bin")
        .env("DISPLAY", display)
        .env("TANDEM_HOME", home.path())
        .env("TANDEM_NO_DIALOG", "1")
        // Its own desktop folders: registering tandem:// must not touch the other tests'.
        .env("XDG_DATA_HOME", xdg.path().join("data"))
        .env("XDG_CONFIG_HOME", xdg.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let found = app_window(home.path(), Duration::from_secs(45));
    let _ = window.kill();
    let out = window.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = found {
        panic!(
            "the installed tandem showed no window: {e:#}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    ok(&["dpkg", "-r", "tandem"]);
    assert!(!installed());
    for path in [
        "/usr/bin/tandem",
        "/usr/share/applications/tandem.desktop",
        "/usr/share/icons/hicolor/128x128/apps/tandem.png",
    ] {
        assert!(!Path::new(path).exists(), "{path} is left after dpkg -r");
    }
    assert!(
        !mime_cache().contains("tandem.desktop"),
        "the MIME cache still names tandem.desktop"
    );
}
