//! Generates Tauri's context and the permissions for exactly the commands the UI calls: the list is
//! tandem-core's contract (`crates/core/src/contract/commands.rs`), included here rather than
//! depended on, so the build script does not compile tandem-core a second time.

/// Reads `name => Type(Args) -> Reply;` lines and keeps the names.
macro_rules! commands {
    ($($(#[$doc:meta])* $name:ident => $ty:ident($args:ty) -> $reply:ty;)*) => {
        const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

include!("../crates/core/src/contract/commands.rs");

fn main() {
    println!("cargo:rerun-if-changed=../crates/core/src/contract/commands.rs");
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        // A build script reports failure by panicking; the message is what cargo shows.
        panic!("tauri-build failed: {e:#}. Run `cargo xtask ui` first if ui/dist is missing.");
    }
}
