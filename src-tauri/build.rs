//! Generates Tauri's context and the permissions for exactly the commands the UI calls.

const COMMANDS: &[&str] = &[
    "app_ready",
    "list_pairs",
    "create_pair",
    "get_pair",
    "edit_pair",
    "splice_text",
    "pair_history",
    "export_schedule",
    "get_private_notes",
    "set_private_notes",
    "sharing_status",
    "set_share_folder",
    "invite_partner",
    "join_pair",
    "sync_now",
    "connect_peer",
    "summary_preview",
    "export_summary",
    "choose_folder",
    "take_opened_invite",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        // A build script reports failure by panicking; the message is what cargo shows.
        panic!("tauri-build failed: {e:#}. Run `cargo xtask ui` first if ui/dist is missing.");
    }
}
