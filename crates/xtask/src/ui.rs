//! Building the UI without Trunk: cargo builds the wasm, wasm-bindgen (linked in as a library, at
//! exactly the version in Cargo.lock) writes the JS glue, binaryen's `wasm-opt -Oz` shrinks the
//! wasm, and the static files are copied beside it.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{sh, target_dir};

pub fn build(root: &Path) -> Result<()> {
    sh(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "--cfg erase_components",
            )
            .current_dir(root)
            .args([
                "build",
                "-p",
                "tandem-ui",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                "wasm-release",
            ]),
    )?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/tandem_ui.wasm");
    let dist = root.join("ui/dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("could not clear {}", dist.display()))?;
    }
    fs::create_dir_all(&dist).with_context(|| format!("could not create {}", dist.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        // Function names are for debuggers; they were more than half of the file.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&dist)
        .with_context(|| format!("wasm-bindgen could not process {}", wasm.display()))?;
    optimise(root, &dist.join("tandem_ui_bg.wasm"))?;
    let statics = root.join("ui/static");
    for entry in
        fs::read_dir(&statics).with_context(|| format!("could not read {}", statics.display()))?
    {
        let entry = entry?;
        fs::copy(entry.path(), dist.join(entry.file_name()))
            .with_context(|| format!("could not copy {}", entry.path().display()))?;
    }
    eprintln!("xtask: UI written to {}", dist.display());
    Ok(())
}

/// The wasm features rustc's wasm32-unknown-unknown target turns on, told to wasm-opt (whose own
/// default is fewer). Not `--all-features`: the module it made did not run in the window.
const FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `wasm-opt -Oz` on the UI's wasm, in place: 1.38 -> 1.05 MB, which the window fetches, compiles
/// and holds as machine code at every start (measured: ~30 ms of a cold start and ~6 MB of the
/// WebKit process). binaryen from npm (JavaScript and wasm, run by Node; pinned in
/// crates/xtask/npm), since Debian's binaryen 108 makes a module that blanks the window. It takes
/// ~25 s, so the result is kept in target/wasm-opt by a hash of its input and reused while the UI
/// is unchanged.
fn optimise(root: &Path, wasm: &Path) -> Result<()> {
    use std::hash::{Hash as _, Hasher as _};
    let input = fs::read(wasm).with_context(|| format!("could not read {}", wasm.display()))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    FEATURES.hash(&mut hasher);
    let cache = target_dir().join("wasm-opt");
    let kept = cache.join(format!("{:016x}.wasm", hasher.finish()));
    if !kept.is_file() {
        crate::setup::node()?;
        let npm = root.join("crates/xtask/npm");
        let tool = npm.join("node_modules/binaryen/bin/wasm-opt");
        let pinned = fs::read_to_string(npm.join("package-lock.json")).unwrap_or_default();
        let installed =
            fs::read_to_string(npm.join("node_modules/.package-lock.json")).unwrap_or_default();
        // npm keeps what it installed in node_modules/.package-lock.json: install again when that
        // is not what the lockfile pins.
        if !tool.is_file() || !same_packages(&pinned, &installed) {
            sh(Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&npm))?;
        }
        fs::create_dir_all(&cache)
            .with_context(|| format!("could not create {}", cache.display()))?;
        let out = cache.join("out.wasm");
        sh(Command::new("node")
            .arg(&tool)
            .arg("-Oz")
            .args(FEATURES)
            .arg(wasm)
            .arg("-o")
            .arg(&out))?;
        fs::rename(&out, &kept).with_context(|| format!("could not keep {}", kept.display()))?;
    }
    fs::copy(&kept, wasm).with_context(|| format!("could not write {}", wasm.display()))?;
    Ok(())
}

/// Whether npm's record of what it installed names the same version of every package as the
/// lockfile (each `"version": …` line in order; the records differ in other fields).
fn same_packages(pinned: &str, installed: &str) -> bool {
    let versions = |s: &str| {
        s.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("\"version\""))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let installed = versions(installed);
    !installed.is_empty() && versions(pinned).ends_with(&installed)
}

#[cfg(test)]
mod tests {
    use super::same_packages;

    #[test]
    fn binaryen_is_installed_again_when_the_lockfile_pins_another_version() {
        let lock = |v: &str| {
            format!(
                "{{\n  \"packages\": {{\n    \"\": {{ \"name\": \"x\" }},\n    \"node_modules/binaryen\": {{\n      \"version\": \"{v}\",\n      \"integrity\": \"sha512-…\"\n    }}\n  }}\n}}\n"
            )
        };
        let record = |v: &str| lock(v).replace("    \"\": { \"name\": \"x\" },\n", "");
        assert!(same_packages(&lock("132.0.0"), &record("132.0.0")));
        assert!(!same_packages(&lock("133.0.0"), &record("132.0.0")));
        assert!(!same_packages(&lock("132.0.0"), ""));
    }
}
