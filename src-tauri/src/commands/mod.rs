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

/// Writes an exported file into `$TANDEM_EXPORT_DIR`, else the Downloads folder, else the home
/// folder, under `name` made safe for any file system; returns where, for the window to say so.
pub fn save_export(state: &AppState, name: &str, bytes: &[u8]) -> Result<String, IpcError> {
    let dirs = directories::UserDirs::new();
    let dir = std::env::var_os("TANDEM_EXPORT_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            dirs.as_ref()
                .and_then(|d| d.download_dir().map(std::path::Path::to_path_buf))
        })
        .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_path_buf()))
        .ok_or_else(|| IpcError {
            code: ErrorCode::Storage,
            message: "Could not find a Downloads or home folder to save the file in.".into(),
            field: None,
        })?;
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
    let safe = safe.trim();
    let failed = |e: String| IpcError {
        code: ErrorCode::Storage,
        message: format!("Could not save {safe} in {}: {e}", dir.display()),
        field: None,
    };
    std::fs::create_dir_all(&dir).map_err(|e| failed(format!("{e}.")))?;
    // A file of the same name is kept: the export goes beside it, as "name (2).pdf".
    let path =
        tandem_sync::fsutil::write_unique(&dir, safe, bytes).map_err(|e| failed(e.to_string()))?;
    if let Ok(mut exported) = state.exported.lock() {
        exported.insert(path.clone());
    }
    Ok(path.display().to_string())
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
