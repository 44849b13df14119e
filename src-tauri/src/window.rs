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

/// What an invite link starts with; the link scheme Tandem registers with the desktop.
pub const LINK_PREFIX: &str = "tandem://";

/// The invite link the window was opened with, until the UI takes it.
#[derive(Default)]
pub struct OpenedLink(pub Mutex<Option<String>>);

/// The name a window open on library `home` holds on the session bus: a second `tandem` for the
/// same library (a clicked link) hands its link to that window and exits, while a window on
/// another library (another `--home`) is a window of its own.
fn instance_id(home: &std::path::Path) -> String {
    use sha2::Digest as _;
    let home = std::fs::canonicalize(home).unwrap_or_else(|_| home.to_path_buf());
    let digest = sha2::Sha256::digest(home.as_os_str().as_encoded_bytes());
    let tag: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("org.tandem.app.library_{tag}")
}

/// A second `tandem` was started on this library (most often a clicked tandem:// link): show the
/// window, and the join form when it carries an invite.
fn second_launch(app: &tauri::AppHandle, argv: &[String]) {
    use tauri::Emitter as _;
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
    if let Some(link) = argv.iter().skip(1).find(|a| a.starts_with(LINK_PREFIX)) {
        tracing::info!("opening an invite link handed over by a second launch");
        // Kept until the page takes it: a page still loading has no listener for the event yet.
        if let Some(opened) = app.try_state::<OpenedLink>()
            && let Ok(mut l) = opened.0.lock()
        {
            *l = Some(link.clone());
        }
        if let Err(e) = app.emit("invite-opened", link) {
            tracing::warn!(error = %e, "could not show the invite");
        }
    }
}

/// Registers tandem:// with the desktop (on Linux a `tandem-handler.desktop` in the user's
/// applications folder, made the default for `x-scheme-handler/tandem` by xdg-mime; on Windows
/// the user's registry), off the start-up path: xdg-mime is a shell script that takes a good part
/// of a second, so on Linux it runs only when the files show the link is not (or no longer) this
/// binary's. macOS takes it from the bundle.
fn register_links(app: &tauri::AppHandle) {
    #[cfg(any(target_os = "linux", windows))]
    {
        #[cfg(target_os = "linux")]
        if links_registered_here() {
            return;
        }
        let app = app.clone();
        std::thread::spawn(move || {
            use tauri_plugin_deep_link::DeepLinkExt as _;
            if let Err(e) = app.deep_link().register_all() {
                // Not fatal: invites can still be pasted (xdg-utils may be missing).
                tracing::warn!(error = %e, "could not register tandem:// links with the desktop");
            }
        });
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    let _ = app;
}

/// Whether tandem:// already opens this binary: the handler file the deep-link plugin writes
/// names it, and the user's mimeapps.list makes that file the default (what xdg-mime would say).
#[cfg(target_os = "linux")]
fn links_registered_here() -> bool {
    let (Ok(exe), Some(dirs)) = (std::env::current_exe(), directories::BaseDirs::new()) else {
        return false;
    };
    let Some(name) = exe
        .file_name()
        .map(|n| format!("{}-handler.desktop", n.to_string_lossy()))
    else {
        return false;
    };
    let handler = std::fs::read_to_string(dirs.data_dir().join("applications").join(&name));
    let defaults = std::fs::read_to_string(dirs.config_dir().join("mimeapps.list"));
    match (handler, defaults) {
        (Ok(h), Ok(d)) => {
            h.contains(&format!("Exec=\"{}\" %u", exe.display()))
                && d.lines().any(|l| {
                    l.strip_prefix("x-scheme-handler/tandem=")
                        .is_some_and(|v| v.split(';').next() == Some(name.as_str()))
                })
        }
        _ => false,
    }
}

pub fn run(home: Option<PathBuf>, link: Option<String>) -> Result<(), String> {
    if !display_available() {
        return Err("there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). \
                    Run Tandem from a desktop session, or use `tandem --help` for the commands that work without one."
            .into());
    }
    let home = resolve_home(home).map_err(|e| e.to_string())?;
    // A library another process holds may be held by a window on it, which the single-instance
    // check below hands this launch to; only if none does is "busy" the answer (in setup).
    let library = match Library::open(&home, Mode::ReadWrite) {
        Ok(l) => Ok(l),
        Err(e @ tandem_sync::StoreError::Busy(_)) => Err(e.to_string()),
        Err(e) => return Err(e.to_string()),
    };
    let mut library = Some(library);

    let app = tauri::Builder::default()
        // First: a second launch on this library hands over its arguments and exits before it
        // opens (and would find locked) the library.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(&home))
                .callback(|app, argv, _cwd| second_launch(app, &argv))
                .build(),
        )
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(OpenedLink(Mutex::new(link)))
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
            crate::commands::app::choose_folder,
            crate::commands::app::take_opened_invite,
        ])
        .setup(move |app| {
            let library = match library.take() {
                Some(Ok(l)) => l,
                // Held by a headless `tandem sync`, not a window. Tauri would panic on a setup
                // error, so say it and leave.
                Some(Err(why)) => {
                    eprintln!("tandem: {why}");
                    std::process::exit(1);
                }
                None => return Err("the window was set up twice".into()),
            };
            tracing::info!(home = %home.display(), "opening the library");
            app.manage(AppState {
                library: std::sync::Arc::new(Mutex::new(library)),
                sharing: crate::sharing::Sharing::default(),
            });
            register_links(app.handle());
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
