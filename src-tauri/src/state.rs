//! What the window's commands reach through Tauri's `State`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tandem_sync::service::Service;

/// The sync service, which holds the library (shared with its background jobs and peer
/// sessions).
pub struct AppState {
    pub service: Arc<Service>,
    /// The files this window exported, the only ones `open_export` opens.
    pub exported: Mutex<BTreeSet<PathBuf>>,
    /// Where the last export was saved: the next save dialog opens there.
    pub export_folder: Mutex<Option<PathBuf>>,
}

/// The invite link the window was opened with, until the UI takes it.
#[derive(Default)]
pub struct OpenedLink(pub Mutex<Option<String>>);
