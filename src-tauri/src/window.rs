//! Window mode: the Tauri app around the library.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use tandem_sync::{Library, Mode, resolve_home};
use tauri::Manager;

/// What every command reaches through `State`.
pub struct AppState {
    /// Shared with the peer sessions, which run on their own tasks.
    pub library: std::sync::Arc<Mutex<Library>>,
    pub sharing: crate::sharing::Sharing,
}

/// Whether a display server is reachable; without one GTK panics at start-up, so we check first.
fn display_available() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

pub fn run(home: Option<PathBuf>) -> Result<(), String> {
    if !display_available() {
        return Err("there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). \
                    Run Tandem from a desktop session, or use `tandem --help` for the commands that work without one."
            .into());
    }
    let home = resolve_home(home).map_err(|e| e.to_string())?;
    let library = Library::open(&home, Mode::ReadWrite).map_err(|e| e.to_string())?;
    tracing::info!(home = %home.display(), "opening the library");

    let app = tauri::Builder::default()
        .manage(AppState {
            library: std::sync::Arc::new(Mutex::new(library)),
            sharing: crate::sharing::Sharing::default(),
        })
        .invoke_handler(tauri::generate_handler![
            crate::commands::app::app_ready,
            crate::commands::library::list_pairs,
            crate::commands::pairs::create_pair,
            crate::commands::pairs::get_pair,
            crate::commands::pairs::edit_pair,
            crate::commands::pairs::pair_history,
            crate::commands::pairs::export_schedule,
            crate::commands::pairs::get_private_notes,
            crate::commands::pairs::set_private_notes,
            crate::commands::sessions::splice_text,
            crate::commands::sharing::sharing_status,
            crate::commands::sharing::set_share_folder,
            crate::commands::sharing::invite_partner,
            crate::commands::sharing::join_pair,
            crate::commands::sharing::sync_now,
            crate::commands::sharing::connect_peer,
            crate::commands::summary::summary_preview,
            crate::commands::summary::export_summary,
        ])
        .setup(|app| {
            crate::sharing::start(app.handle());
            crate::sharing::start_peers(app.handle());
            // Close keystroke batches that have waited long enough (≈ 1 s).
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(250));
                loop {
                    tick.tick().await;
                    let state = handle.state::<AppState>();
                    let Ok(mut lib) = state.library.lock() else {
                        break;
                    };
                    if let Err(e) = lib.flush_due(Utc::now()) {
                        tracing::error!(error = %e, "could not save a batch of edits");
                    }
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("could not start the window: {e}"))?;

    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event
            && let Ok(mut lib) = handle.state::<AppState>().library.lock()
            && let Err(e) = lib.flush_all(Utc::now())
        {
            eprintln!("tandem: could not save the last edits: {e}");
        }
    });
    Ok(())
}
