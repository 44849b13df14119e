//! The window itself: reporting its first frame (for the cold-start benchmark), the system's
//! folder picker, the invite link the window was opened with, the menu's state, and opening what
//! was exported.

use tandem_core::contract::{AppReady, ChooseFolder, MenuContext, OpenExport, TakeOpenedInvite};
use tandem_core::{ErrorCode, IpcError};

use super::{Args, Reply};

/// Called by the UI on its first animation frame after mounting. With `TANDEM_REPORT_READY=1`
/// prints `ready` on stdout, which the benchmark times from process start; otherwise does nothing.
#[tauri::command]
pub fn app_ready(args: Args<AppReady>) -> Reply<AppReady> {
    let _ = args;
    if std::env::var_os("TANDEM_REPORT_READY").is_some_and(|v| v == "1") {
        println!("ready");
    }
    Ok(())
}

/// The system's folder picker, titled as asked, opened at `start` when that is a folder (else the
/// home folder); `None` when the person cancels. Async, so the picker (which runs on the main
/// thread) is waited for off it.
#[tauri::command]
pub async fn choose_folder(
    app: tauri::AppHandle,
    window: tauri::Window,
    args: Args<ChooseFolder>,
) -> Reply<ChooseFolder> {
    use tauri_plugin_dialog::DialogExt as _;
    let start = Some(std::path::PathBuf::from(args.start.trim()))
        .filter(|p| p.is_dir())
        .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(args.title)
        .set_parent(&window)
        .set_can_create_directories(true);
    if let Some(start) = start {
        dialog = dialog.set_directory(start);
    }
    dialog.pick_folder(move |picked| {
        let _ = tx.send(picked);
    });
    Ok(rx
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// The tandem://join/… link the window was opened with, once (the join form shows it).
#[tauri::command]
pub fn take_opened_invite(
    opened: tauri::State<'_, crate::state::OpenedLink>,
    args: Args<TakeOpenedInvite>,
) -> Reply<TakeOpenedInvite> {
    let _ = args;
    Ok(opened.0.lock().ok().and_then(|mut l| l.take()))
}

/// The page shows a pair (its page or summary), or no longer does: the menu's pair items follow.
#[tauri::command]
pub fn menu_context(app: tauri::AppHandle, args: Args<MenuContext>) -> Reply<MenuContext> {
    crate::desktop::menu::set_pair_shown(&app, args.pair);
    Ok(())
}

/// Opens a file this window exported with the desktop's handler, or shows it in its folder. Any
/// other path is refused: the page may ask only for what it was told was written.
#[tauri::command]
pub fn open_export(
    state: tauri::State<'_, crate::state::AppState>,
    args: Args<OpenExport>,
) -> Reply<OpenExport> {
    let path = std::path::PathBuf::from(&args.path);
    let known = state
        .exported
        .lock()
        .map(|e| e.contains(&path))
        .unwrap_or(false);
    let failed = |message: String| IpcError {
        code: ErrorCode::InvalidInput,
        message,
        field: None,
    };
    if !known {
        return Err(failed(format!(
            "{} was not exported from this window, so it is not opened from here.",
            path.display()
        )));
    }
    if !path.is_file() {
        return Err(failed(format!(
            "{} is no longer there (moved or deleted since it was saved).",
            path.display()
        )));
    }
    let opened = if args.reveal {
        crate::desktop::reveal::reveal(&path)
    } else {
        crate::desktop::reveal::open(&path)
    };
    opened.map_err(|e| IpcError {
        code: ErrorCode::Internal,
        message: format!(
            "Could not ask the desktop to open {}: {e}. It is saved there.",
            path.display()
        ),
        field: None,
    })
}
