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

/// `wasm-opt -Oz` on the UI's wasm, in place: 1.38 -> 1.14 MB, which the window fetches, compiles
/// and holds as machine code at every start (measured: ~30 ms of a cold start and ~6 MB of the
/// WebKit process). binaryen from npm (JavaScript and wasm, run by Node; pinned in
/// crates/xtask/npm), since Debian's binaryen 108 makes a module that blanks the window. It takes
/// ~25 s, so the result is kept in target/wasm-opt by a hash of its input and of the pinned
/// lockfile, and reused while neither changes.
fn optimise(root: &Path, wasm: &Path) -> Result<()> {
    use std::hash::{Hash as _, Hasher as _};
    let npm = root.join("crates/xtask/npm");
    let lock = npm.join("package-lock.json");
    let input = fs::read(wasm).with_context(|| format!("could not read {}", wasm.display()))?;
    let pinned = fs::read(&lock).with_context(|| format!("could not read {}", lock.display()))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (input, pinned, FEATURES).hash(&mut hasher);
    let cache = target_dir().join("wasm-opt");
    let kept = cache.join(format!("{:016x}.wasm", hasher.finish()));
    if !kept.is_file() {
        crate::setup::node()?;
        // What the lockfile pins, from npm's cache when it has it (~2 s beside wasm-opt's 25).
        sh(Command::new("npm")
            .args(["ci", "--prefer-offline", "--no-audit", "--no-fund"])
            .current_dir(&npm))?;
        fs::create_dir_all(&cache)
            .with_context(|| format!("could not create {}", cache.display()))?;
        let out = cache.join("out.wasm");
        sh(Command::new("node")
            .arg(npm.join("node_modules/binaryen/bin/wasm-opt"))
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
