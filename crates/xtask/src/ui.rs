//! Building the UI without Trunk: cargo builds the wasm, wasm-bindgen (linked in as a library, at
//! exactly the version in Cargo.lock) writes the JS glue, and the static files are copied beside it.

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
