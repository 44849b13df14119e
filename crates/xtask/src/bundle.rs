//! `cargo xtask bundle`: Tandem as a .deb, with cargo-deb used as a library (no tauri-cli, no
//! download). What goes in — the binary, the menu entry (which also declares the `tandem://`
//! handler), the icons, the dependencies — is `[package.metadata.deb]` in src-tauri/Cargo.toml;
//! dpkg-shlibdeps works out the shared libraries the binary needs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, bail};
use cargo_deb::config::BuildOptions;
use cargo_deb::listener::Listener;
use cargo_deb::{CargoDeb, OutputPath};

use crate::setup::{self, Family};
use crate::{root, sh, target_dir};

/// Passes cargo-deb's warnings on and remembers the archive it wrote.
#[derive(Default)]
struct Made {
    archives: Mutex<Vec<PathBuf>>,
}

impl Listener for Made {
    fn warning(&self, s: String) {
        eprintln!("cargo-deb: warning: {s}");
    }

    fn info(&self, _: String) {}

    fn generated_archive(&self, path: &Path) {
        if let Ok(mut archives) = self.archives.lock() {
            archives.push(path.to_path_buf());
        }
    }
}

/// Makes target/bundle/tandem_<version>_<arch>.deb from the release binary (built first unless
/// `built`) and returns its path.
pub fn deb(built: bool) -> Result<PathBuf> {
    if Family::detect() != Some(Family::Debian) {
        bail!(
            "a .deb is made on Debian or Ubuntu (dpkg-shlibdeps works out its dependencies from \
             the system's own packages); this system is not one"
        );
    }
    setup::system_packages(setup::BUNDLE_PACKAGES)?;
    let desktop = root().join("src-tauri/linux/tandem.desktop");
    sh(Command::new("desktop-file-validate").arg(&desktop))?;
    if !built {
        crate::app()?;
    }
    let out = target_dir().join("bundle");
    std::fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    let manifest = root().join("src-tauri/Cargo.toml");
    let made = Made::default();
    CargoDeb {
        options: BuildOptions {
            manifest_path: Some(&manifest),
            selected_package_name: Some("tandem-app"),
            ..BuildOptions::default()
        },
        // Built above (or by the tests' own build), with the UI embedded: cargo-deb's build would
        // not build the UI first.
        no_build: true,
        deb_output: Some(OutputPath {
            path: &out,
            is_dir: true,
        }),
        ..CargoDeb::default()
    }
    .process(&made)
    .map_err(|e| anyhow!("cargo-deb: {e}"))?;
    let archives = made
        .archives
        .into_inner()
        .map_err(|_| anyhow!("cargo-deb's listener panicked"))?;
    match archives.as_slice() {
        [deb] => {
            eprintln!("xtask: made {}", deb.display());
            Ok(deb.clone())
        }
        other => bail!(
            "cargo-deb made {} packages, not one: {other:?}",
            other.len()
        ),
    }
}
