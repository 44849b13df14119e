//! Tauri commands: each takes the state, calls one library function, returns a DTO or an
//! `IpcError`. No business rules here; they live in tandem-core.

pub mod app;
pub mod library;
pub mod pairs;
pub mod sessions;
pub mod sharing;

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
