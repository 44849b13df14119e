//! Tauri commands: each takes the state, calls one library function, returns a DTO or an
//! `IpcError`. No business rules here; they live in tandem-core.

pub mod app;
pub mod library;
pub mod pairs;
pub mod sessions;
pub mod sharing;
pub mod summary;

use std::sync::MutexGuard;

use tandem_core::dto::{ErrorCode, IpcError};
use tandem_sync::Library;

use crate::window::AppState;

/// The library, or an error the UI can show if a previous command panicked while holding it.
pub fn library(state: &AppState) -> Result<MutexGuard<'_, Library>, IpcError> {
    state.library.lock().map_err(|_| IpcError {
        code: ErrorCode::Internal,
        message: "Tandem hit an internal error; restart it. Your saved work is safe.".into(),
        field: None,
    })
}

/// Writes an exported file into `$TANDEM_EXPORT_DIR`, else the Downloads folder, else the home
/// folder, under `name` made safe for any file system; returns where, for the window to say so.
pub fn save_export(name: &str, bytes: &[u8]) -> Result<String, IpcError> {
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
    let path = dir.join(safe.trim());
    let failed = |e: String| IpcError {
        code: ErrorCode::Storage,
        message: format!("Could not save {}: {e}", path.display()),
        field: None,
    };
    std::fs::create_dir_all(&dir).map_err(|e| failed(format!("{e}.")))?;
    tandem_sync::fsutil::write_atomic(&path, bytes).map_err(|e| failed(e.to_string()))?;
    Ok(path.display().to_string())
}
