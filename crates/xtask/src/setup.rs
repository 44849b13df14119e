//! Installing what is missing on a fresh machine: system packages with the distribution's own
//! manager (apt on Debian/Ubuntu, dnf on Fedora, pacman on Arch; as root, or through sudo, or by
//! printing the exact commands), Rust targets through rustup, and tauri-driver from crates.io.

use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use crate::sh;

/// One thing to install, by its package name on each family of Linux distributions.
#[derive(Debug, Clone, Copy)]
pub struct Need {
    pub debian: &'static str,
    pub fedora: &'static str,
    pub arch: &'static str,
}

const fn need(debian: &'static str, fedora: &'static str, arch: &'static str) -> Need {
    Need {
        debian,
        fedora,
        arch,
    }
}

/// What building and running the app needs (Tauri 2's Linux prerequisites).
pub const APP_PACKAGES: &[Need] = &[
    need("pkg-config", "pkgconf-pkg-config", "pkgconf"),
    need("libssl-dev", "openssl-devel", "openssl"),
    need(
        "libwebkit2gtk-4.1-dev",
        "webkit2gtk4.1-devel",
        "webkit2gtk-4.1",
    ),
    need(
        "libjavascriptcoregtk-4.1-dev",
        "javascriptcoregtk4.1-devel",
        "webkit2gtk-4.1",
    ),
    need("libgtk-3-dev", "gtk3-devel", "gtk3"),
    need("libsoup-3.0-dev", "libsoup3-devel", "libsoup3"),
    need("librsvg2-dev", "librsvg2-devel", "librsvg"),
    need(
        "libayatana-appindicator3-dev",
        "libappindicator-gtk3-devel",
        "libappindicator-gtk3",
    ),
    // The window registers tandem:// links with the desktop through xdg-mime.
    need("xdg-utils", "xdg-utils", "xdg-utils"),
];

/// What the tests add: a virtual display, and WebKit's WebDriver for the end-to-end tests.
pub const TEST_PACKAGES: &[Need] = &[
    need("xvfb", "xorg-x11-server-Xvfb", "xorg-server-xvfb"),
    need("xauth", "xorg-x11-xauth", "xorg-xauth"),
    // WebKitWebDriver: its own package on Debian; part of WebKitGTK itself on Fedora and Arch.
    need("webkit2gtk-driver", "webkit2gtk4.1", "webkit2gtk-4.1"),
    // A real Secret Service for the keychain tests: GNOME Keyring in a private D-Bus session.
    need("gnome-keyring", "gnome-keyring", "gnome-keyring"),
    need("dbus-daemon", "dbus-daemon", "dbus"),
    // dbus-run-session and dbus-send.
    need("dbus-bin", "dbus-tools", "dbus"),
    // The PDF export test renders pages to PNG and reads them back (pdftoppm, pdftotext).
    need("poppler-utils", "poppler-utils", "poppler"),
    // `gio open tandem://…` opens an invite link the way GNOME does (the deep-link test), and
    // xdotool answers the native folder picker and presses the menu's shortcuts.
    need("libglib2.0-bin", "glib2", "glib2"),
    need("xdotool", "xdotool", "xdotool"),
];

/// What making the .deb adds (Debian only): dpkg-shlibdeps, and the menu entry's validator.
pub const BUNDLE_PACKAGES: &[Need] = &[
    need("dpkg-dev", "dpkg-dev", "dpkg"),
    need(
        "desktop-file-utils",
        "desktop-file-utils",
        "desktop-file-utils",
    ),
];

/// Node and npm, for the benchmark's JS Automerge peer.
const NODE: &[Need] = &[
    need("nodejs", "nodejs", "nodejs"),
    need("npm", "nodejs-npm", "npm"),
];

/// The families of distributions whose package names Tandem knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Debian,
    Fedora,
    Arch,
}

impl Family {
    /// The family /etc/os-release names (its ID, else one of its ID_LIKE).
    pub fn from_os_release(text: &str) -> Option<Family> {
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_ascii_lowercase())
                .unwrap_or_default()
        };
        let id = field("ID");
        let like = field("ID_LIKE");
        std::iter::once(id.as_str())
            .chain(like.split_whitespace())
            .find_map(|name| match name {
                "debian" | "ubuntu" => Some(Family::Debian),
                "fedora" | "rhel" | "centos" => Some(Family::Fedora),
                "arch" | "archlinux" => Some(Family::Arch),
                _ => None,
            })
    }

    pub fn detect() -> Option<Family> {
        let text = std::fs::read_to_string("/etc/os-release")
            .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
            .ok()?;
        Family::from_os_release(&text)
    }

    pub fn name(self, n: &Need) -> &'static str {
        match self {
            Family::Debian => n.debian,
            Family::Fedora => n.fedora,
            Family::Arch => n.arch,
        }
    }

    /// This family's package names for `needs`, each once, in order.
    pub fn names(self, needs: &[Need]) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for n in needs {
            let name = self.name(n);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    fn installed(self, pkg: &str) -> bool {
        match self {
            Family::Debian => quiet(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg]))
                .is_some_and(|s| s.contains("install ok installed")),
            Family::Fedora => {
                quiet(Command::new("rpm").args(["-q", "--whatprovides", pkg])).is_some()
            }
            // -T prints what is not satisfied (provides count) and fails; nothing when all is.
            Family::Arch => quiet(Command::new("pacman").args(["-T", pkg])).is_some(),
        }
    }

    /// The commands that install `missing`, in order.
    pub fn install_commands(self, missing: &[&str]) -> Vec<Vec<String>> {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let with = |mut cmd: Vec<String>| {
            cmd.extend(missing.iter().map(|s| s.to_string()));
            cmd
        };
        match self {
            Family::Debian => vec![
                words(&["apt-get", "update", "-q"]),
                with(words(&[
                    "apt-get",
                    "install",
                    "-y",
                    "-q",
                    "--no-install-recommends",
                ])),
            ],
            Family::Fedora => vec![with(words(&["dnf", "install", "-y"]))],
            Family::Arch => vec![with(words(&["pacman", "-S", "--needed", "--noconfirm"]))],
        }
    }
}

fn quiet(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn is_root() -> bool {
    quiet(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

/// Installs what of `needs` is missing: with the family's package manager, as root or through
/// sudo; otherwise fails with the exact commands to run.
pub fn system_packages(needs: &[Need]) -> Result<()> {
    let Some(family) = Family::detect() else {
        let n = |f: fn(&Need) -> &'static str| needs.iter().map(f).collect::<Vec<_>>().join(" ");
        eprintln!(
            "xtask: this system is neither Debian/Ubuntu, Fedora nor Arch; make sure the equivalents of \
             these Debian packages are installed: {}",
            n(|x| x.debian)
        );
        return Ok(());
    };
    let missing: Vec<&str> = family
        .names(needs)
        .into_iter()
        .filter(|p| !family.installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing {}", missing.join(" "));
    let commands = family.install_commands(&missing);
    let run_all = |prefix: &[&str]| -> Result<()> {
        for args in &commands {
            let mut all: Vec<&str> = prefix.to_vec();
            all.extend(args.iter().map(String::as_str));
            let mut c = Command::new(all[0]);
            c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
            sh(&mut c)?;
        }
        Ok(())
    };
    if is_root() {
        run_all(&[])
    } else if quiet(Command::new("sudo").args(["-n", "true"])).is_some() {
        run_all(&["sudo", "-n"])
    } else {
        let lines: Vec<String> = commands
            .iter()
            .map(|c| format!("  sudo {}", c.join(" ")))
            .collect();
        bail!(
            "these packages are missing and I am not root: {}\nInstall them with:\n{}",
            missing.join(" "),
            lines.join("\n")
        )
    }
}

pub fn wasm_target() -> Result<()> {
    rust_target("wasm32-unknown-unknown")
}

/// Adds Rust's standard library for `target` through rustup, if it is not there.
pub fn rust_target(target: &str) -> Result<()> {
    let have = quiet(Command::new("rustup").args(["target", "list", "--installed"]));
    match have {
        Some(list) if list.lines().any(|l| l.trim() == target) => Ok(()),
        Some(_) => sh(Command::new("rustup").args(["target", "add", target])),
        None => bail!("rustup was not found; install the {target} target for your Rust toolchain"),
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
    system_packages(NODE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_family_comes_from_os_release() {
        let debian =
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
        assert_eq!(Family::from_os_release(debian), Some(Family::Debian));
        let mint = "NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n";
        assert_eq!(Family::from_os_release(mint), Some(Family::Debian));
        let fedora = "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=41\n";
        assert_eq!(Family::from_os_release(fedora), Some(Family::Fedora));
        let alma = "ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n";
        assert_eq!(Family::from_os_release(alma), Some(Family::Fedora));
        let endeavour = "ID=endeavouros\nID_LIKE=arch\n";
        assert_eq!(Family::from_os_release(endeavour), Some(Family::Arch));
        // ID_LIKE must not be read as ID (the prefix "ID" is shared).
        assert_eq!(Family::from_os_release("ID=alpine\nID_LIKE=\n"), None);
        assert_eq!(Family::from_os_release(""), None);
    }

    #[test]
    fn every_family_has_a_name_for_every_need() {
        for family in [Family::Debian, Family::Fedora, Family::Arch] {
            for needs in [APP_PACKAGES, TEST_PACKAGES, BUNDLE_PACKAGES, NODE] {
                let names = family.names(needs);
                assert!(names.iter().all(|n| !n.is_empty() && !n.contains(' ')));
                // Shared names (Arch's dbus, webkit2gtk-4.1) are asked for once.
                let mut sorted = names.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted.len(), names.len(), "{family:?}");
            }
        }
        assert_eq!(
            Family::Arch
                .names(TEST_PACKAGES)
                .iter()
                .filter(|n| **n == "dbus")
                .count(),
            1
        );
        assert!(
            Family::Fedora
                .names(TEST_PACKAGES)
                .contains(&"xorg-x11-server-Xvfb")
        );
    }

    #[test]
    fn each_family_installs_with_its_own_manager() {
        let missing = ["a", "b"];
        let debian = Family::Debian.install_commands(&missing);
        assert_eq!(debian[0], ["apt-get", "update", "-q"]);
        assert_eq!(debian[1][..2], ["apt-get", "install"]);
        assert_eq!(debian[1][debian[1].len() - 2..], ["a", "b"]);
        assert_eq!(
            Family::Fedora.install_commands(&missing),
            [["dnf", "install", "-y", "a", "b"]]
        );
        assert_eq!(
            Family::Arch.install_commands(&missing),
            [["pacman", "-S", "--needed", "--noconfirm", "a", "b"]]
        );
    }
}
