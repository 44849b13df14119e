//! Window mode: the Tauri app around the library.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tandem_sync::service::{Options, Service};
use tandem_sync::{Library, Mode, resolve_home};
use tauri::Manager;

use crate::state::{AppState, OpenedLink};

/// The service's options for the window: peers from `TANDEM_LISTEN` (e.g. `0.0.0.0:7890`) and
/// `TANDEM_PEERS` (comma-separated host:port); the pair page can add more.
fn service_options() -> Options {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    Options {
        listen: Some(var("TANDEM_LISTEN").trim().to_string()).filter(|l| !l.is_empty()),
        peers: var("TANDEM_PEERS")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        mdns: var("TANDEM_MDNS") != "0",
        ..Options::default()
    }
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
fn second_launch(app: &tauri::AppHandle, argv: &[String], home: &std::path::Path) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
    let link = argv
        .iter()
        .skip(1)
        .find(|a| a.starts_with(LINK_PREFIX))
        .and_then(|l| opened_link(home, l));
    if let Some(link) = link {
        tracing::info!("opening an invite link handed over by a second launch");
        // Kept until the page takes it: a page still loading has no listener for the event yet.
        if let Some(opened) = app.try_state::<OpenedLink>()
            && let Ok(mut l) = opened.0.lock()
        {
            *l = Some(link.clone());
        }
        crate::events::emit::<tandem_core::contract::InviteOpened>(app, &link);
    }
}

/// The link a launch carries: a handoff link (see [`crate::desktop::handoff`]) stands for the
/// link in its file, which opens once.
fn opened_link(home: &std::path::Path, link: &str) -> Option<String> {
    if !link.starts_with(crate::desktop::handoff::PREFIX) {
        return Some(link.to_string());
    }
    let taken = crate::desktop::handoff::take(home, link);
    if taken.is_none() {
        tracing::warn!("a handed-over link was gone (opened already, or not Tandem's)");
    }
    taken
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

/// Opens the window on the library in `home` (with `link` to open). A failure to start is also
/// shown in a dialog (there is no terminal when Tandem is started from the desktop's menu) and
/// written to the log.
pub fn run(home: Option<PathBuf>, link: Option<String>) -> Result<(), String> {
    let mut logs = None;
    let result = open(home, link, &mut logs);
    if let Err(why) = &result {
        tracing::error!("the window could not start: {why}");
        crate::desktop::dialog::startup_failed(why, logs.as_deref());
    }
    result
}

fn open(
    home: Option<PathBuf>,
    link: Option<String>,
    logs: &mut Option<PathBuf>,
) -> Result<(), String> {
    if !display_available() {
        crate::desktop::log::init(None);
        return Err("there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). \
                    Run Tandem from a desktop session, or use `tandem --help` for the commands that work without one."
            .into());
    }
    let home = resolve_home(home).map_err(|e| {
        crate::desktop::log::init(None);
        e.to_string()
    })?;
    let log_folder = crate::desktop::log::folder(&home);
    crate::desktop::log::init(Some(&log_folder));
    *logs = Some(log_folder.clone());
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        home = %home.display(),
        "starting the window"
    );
    // A library another process holds may be held by a window on it, which the single-instance
    // check below hands this launch to; only if none does is "busy" the answer (in setup).
    let library = match Library::open(&home, Mode::ReadWrite) {
        Ok(l) => Ok(l),
        Err(e @ tandem_sync::StoreError::Busy(_)) => Err(e.to_string()),
        Err(e) => return Err(e.to_string()),
    };
    let mut library = Some(library);
    let mut link = link;
    let geometry_home = home.clone();
    let handoff_home = home.clone();
    let menu_logs = log_folder.clone();

    let app = tauri::Builder::default()
        // First: a second launch on this library hands over its arguments and exits before it
        // opens (and would find locked) the library.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(&home))
                .callback(move |app, argv, _cwd| second_launch(app, &argv, &handoff_home))
                .build(),
        )
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .on_menu_event(move |app, event| {
            crate::desktop::menu::chosen(app, event.id().as_ref(), &menu_logs)
        })
        .invoke_handler(crate::commands::handler())
        .setup(move |app| {
            let library = match library.take() {
                Some(Ok(l)) => l,
                // Held by a headless `tandem sync`, not a window. Tauri would panic on a setup
                // error, so say it and leave.
                Some(Err(why)) => {
                    eprintln!("tandem: {why}");
                    tracing::error!("the window could not start: {why}");
                    crate::desktop::dialog::startup_failed(&why, Some(&log_folder));
                    std::process::exit(1);
                }
                None => return Err("the window was set up twice".into()),
            };
            // Only now, as the one window on this library: a second launch hands its (handoff)
            // link to the window already open, which must still find the file.
            let link = link.take().and_then(|l| opened_link(&home, &l));
            app.manage(OpenedLink(Mutex::new(link)));
            tracing::info!(home = %home.display(), "opening the library");
            let service = Service::new(
                Arc::new(Mutex::new(library)),
                service_options(),
                Arc::new(crate::events::ToWindow(app.handle().clone())),
                tauri::async_runtime::handle().inner().clone(),
            );
            // The flush timer (keystroke batches ≈ 1 s old), the shared folders and the peers.
            service.start();
            app.manage(AppState {
                service,
                exported: Mutex::default(),
                export_folder: Mutex::default(),
            });
            let pair_items = crate::desktop::menu::install(app.handle())?;
            app.manage(pair_items);
            if let (Some(window), Some(g)) = (
                app.get_webview_window("main"),
                crate::desktop::geometry::load(&home),
            ) {
                crate::desktop::geometry::restore(&window, g);
            }
            register_links(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("could not start the window: {e}"))?;

    app.run(move |handle, event| match event {
        // The window's size and place, while it still has them.
        tauri::RunEvent::WindowEvent {
            label,
            event: tauri::WindowEvent::CloseRequested { .. },
            ..
        } if label == "main" => crate::desktop::geometry::remember(handle, &geometry_home),
        tauri::RunEvent::ExitRequested { .. } => {
            crate::desktop::geometry::remember(handle, &geometry_home)
        }
        tauri::RunEvent::Exit => {
            if let Ok(mut lib) = handle.state::<AppState>().service.lock()
                && let Err(e) = lib.flush_all(Utc::now())
            {
                tracing::error!("could not save the last edits: {e}");
                eprintln!("tandem: could not save the last edits: {e}");
            }
            tracing::info!("the window closed");
        }
        _ => {}
    });
    Ok(())
}
