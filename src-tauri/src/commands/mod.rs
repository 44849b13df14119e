//! Tauri commands: each takes the state and its `args` (types from tandem-core's contract), calls
//! one function of the library or the sync service, and returns a DTO or an `IpcError`. No
//! business rules here; they live in tandem-core.

pub mod app;
pub mod library;
pub mod pairs;
pub mod sessions;
pub mod sharing;
pub mod summary;

use std::sync::MutexGuard;

use tandem_core::contract::Command;
use tandem_core::{ErrorCode, IpcError};
use tandem_sync::Library;

use crate::state::AppState;

/// A command's argument, as the contract defines it.
pub type Args<C> = <C as Command>::Args;
/// A command's reply, as the contract defines it.
pub type Reply<C> = Result<<C as Command>::Reply, IpcError>;

/// Lists every command's handler once: the builder gets the handler, and the names are checked
/// against the contract and the capabilities (see the tests below).
macro_rules! handlers {
    ($($module:ident::$name:ident),* $(,)?) => {
        /// The invoke handler for every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$name),*]
        }

        /// The names of the commands [`handler`] handles.
        #[cfg(test)]
        pub const HANDLED: &[&str] = &[$(stringify!($name)),*];
    };
}

handlers![
    app::app_ready,
    library::list_pairs,
    pairs::create_pair,
    pairs::get_pair,
    pairs::prepare_edit,
    pairs::edit_pair,
    sessions::splice_text,
    pairs::pair_history,
    pairs::export_schedule,
    pairs::get_private_notes,
    pairs::set_private_notes,
    sharing::sharing_status,
    sharing::set_share_folder,
    sharing::invite_partner,
    sharing::join_pair,
    sharing::sync_now,
    sharing::connect_peer,
    summary::summary_preview,
    summary::export_summary,
    app::choose_folder,
    app::take_opened_invite,
    library::search,
    library::take_search_notice,
    app::menu_context,
    app::open_export,
];

/// The library, or an error the UI can show if a previous command panicked while holding it.
pub fn library(state: &AppState) -> Result<MutexGuard<'_, Library>, IpcError> {
    state.service.lock().map_err(|e| e.to_ipc())
}

/// An error in the form field `field`.
pub fn invalid(field: &str, message: String) -> IpcError {
    IpcError {
        code: ErrorCode::InvalidInput,
        message,
        field: Some(field.into()),
    }
}

/// What is being exported, for the save dialog: its title, the name suggested, and the kind of file.
pub struct Export<'a> {
    pub title: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub extension: &'a str,
}

/// Saves an exported file where the person chooses, through the system's save dialog: opened in
/// the folder of this window's last export (else Downloads, else the home folder) with a name
/// suggested, asking before it replaces a file. `None` when they cancel. The file is written
/// whole or not at all. With `$TANDEM_EXPORT_DIR` set (scripted use, tests) nothing is asked:
/// the file goes there, beside any of the same name.
pub async fn save_export(
    app: &tauri::AppHandle,
    window: &tauri::Window,
    state: &AppState,
    export: Export<'_>,
    bytes: &[u8],
) -> Result<Option<String>, IpcError> {
    use tauri_plugin_dialog::DialogExt as _;
    let safe = safe_name(export.name);
    let failed = |at: &std::path::Path, e: String| IpcError {
        code: ErrorCode::Storage,
        message: format!("Could not save {}: {e}", at.display()),
        field: None,
    };
    if let Some(dir) = std::env::var_os("TANDEM_EXPORT_DIR").map(std::path::PathBuf::from) {
        std::fs::create_dir_all(&dir).map_err(|e| failed(&dir, format!("{e}.")))?;
        // A file of the same name is kept: the export goes beside it, as "name (2).pdf".
        let path = tandem_sync::fsutil::write_unique(&dir, &safe, bytes)
            .map_err(|e| failed(&dir.join(&safe), e.to_string()))?;
        return Ok(Some(remember(state, path)));
    }
    let start = state
        .export_folder
        .lock()
        .ok()
        .and_then(|f| f.clone())
        .filter(|d| d.is_dir())
        .or_else(default_export_folder);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(export.title)
        .set_parent(window)
        .set_can_create_directories(true)
        .set_file_name(&safe)
        .add_filter(export.kind, &[export.extension]);
    if let Some(start) = start {
        dialog = dialog.set_directory(start);
    }
    dialog.save_file(move |picked| {
        let _ = tx.send(picked);
    });
    let Some(path) = rx.await.ok().flatten().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    // A name typed without its extension gets it, as in other desktop apps.
    let path = if path.extension().is_none() {
        path.with_extension(export.extension)
    } else {
        path
    };
    if path.is_dir() {
        return Err(failed(&path, "it is a folder.".into()));
    }
    tandem_sync::fsutil::write_shared(&path, bytes).map_err(|e| failed(&path, e.to_string()))?;
    if let (Some(dir), Ok(mut folder)) = (path.parent(), state.export_folder.lock()) {
        *folder = Some(dir.to_path_buf());
    }
    Ok(Some(remember(state, path)))
}

/// Downloads, else the home folder.
fn default_export_folder() -> Option<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.download_dir()
            .filter(|d| d.is_dir())
            .unwrap_or(dirs.home_dir())
            .to_path_buf(),
    )
}

/// `name` made safe for any file system.
fn safe_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe.trim().to_string()
}

/// Adds `path` to the files `open_export` may open; returns it for the window to show.
fn remember(state: &AppState, path: std::path::PathBuf) -> String {
    let shown = path.display().to_string();
    if let Ok(mut exported) = state.exported.lock() {
        exported.insert(path);
    }
    shown
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tandem_core::contract::COMMANDS;

    use super::HANDLED;

    fn sorted<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        names.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn the_handler_list_is_the_contract() {
        assert_eq!(
            sorted(HANDLED.iter().copied()),
            sorted(COMMANDS.iter().copied())
        );
        assert_eq!(HANDLED.len(), COMMANDS.len(), "a command handled twice");
    }

    #[test]
    fn the_capabilities_grant_exactly_the_contracts_commands() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json");
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{path}: {e}"));
        let granted: BTreeSet<String> = json["permissions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        assert_eq!(granted, sorted(COMMANDS.iter().copied()));
    }

    #[test]
    fn the_build_script_reads_the_same_list() {
        // build.rs includes the contract's command file and generates a permission for each;
        // the generated permission files are what the capabilities can grant.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/permissions/autogenerated");
        for name in COMMANDS {
            let file = std::path::Path::new(dir).join(format!("{name}.toml"));
            assert!(file.is_file(), "no permission generated for {name}");
        }
        let generated = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".toml").map(str::to_string));
        let generated: Vec<String> = generated.collect();
        assert_eq!(
            sorted(generated.iter().map(String::as_str)),
            sorted(COMMANDS.iter().copied())
        );
    }
}
