//! Sharing while the window is open: the keychain, a rescan of the shared folder every few seconds
//! (network and cloud folders send no change events), and each pair's last exchange for its page.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use tandem_core::view::SharingView;
use tandem_sync::ShareReport;
use tandem_sync::keys::Keychain;
use tauri::{AppHandle, Emitter, Manager};

use crate::window::AppState;

use tandem_sync::watch::RESCAN;

/// The keychain (opened once, off the UI thread), what the last exchanges did, and the watcher on
/// the shared folder.
#[derive(Default)]
pub struct Sharing {
    pub keychain: Mutex<Option<Result<Keychain, String>>>,
    pub last: Mutex<HashMap<String, Exchange>>,
    watcher: Mutex<Option<(std::path::PathBuf, notify::RecommendedWatcher)>>,
}

/// One pair's last exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub at: chrono::DateTime<Utc>,
    pub result: Result<ShareReport, String>,
}

impl Sharing {
    /// Runs `f` with the keychain, opening it the first time.
    pub fn with_keychain<T>(&self, f: impl FnOnce(&Keychain) -> T) -> Result<T, String> {
        let mut k = self
            .keychain
            .lock()
            .map_err(|_| "the keychain is unavailable".to_string())?;
        let k = k.get_or_insert_with(|| Keychain::open().map_err(|e| e.to_string()));
        match k {
            Ok(k) => Ok(f(k)),
            Err(e) => Err(e.clone()),
        }
    }

    pub fn record(&self, id: &str, result: Result<ShareReport, String>) {
        if let Ok(mut last) = self.last.lock() {
            last.insert(
                id.to_string(),
                Exchange {
                    at: Utc::now(),
                    result,
                },
            );
        }
    }

    /// The sharing panel for pair `id`.
    pub fn view(&self, folder: Option<String>, id: &str) -> SharingView {
        let (keychain, keychain_error) = match self.with_keychain(|k| k.kind.to_string()) {
            Ok(kind) => (Some(kind), None),
            Err(e) => (None, Some(e)),
        };
        let shared = self
            .with_keychain(|k| k.get(id).ok().flatten().is_some())
            .unwrap_or(false);
        let last = self.last.lock().ok().and_then(|l| l.get(id).cloned());
        let mut v = SharingView {
            folder,
            keychain,
            keychain_error,
            shared,
            ..SharingView::default()
        };
        if let Some(x) = last {
            v.last_exchange = Some(x.at.to_rfc3339_opts(SecondsFormat::Secs, true));
            match x.result {
                Ok(r) => {
                    v.up_to_date = true;
                    v.waiting = r.waiting;
                    v.problems = r.problems.into_iter().map(|p| (p.file, p.reason)).collect();
                }
                Err(e) => v.error = Some(e),
            }
        }
        v
    }
}

/// Exchanges every shared pair now; tells the window which pairs changed.
pub fn exchange_all(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(mut lib) = state.library.lock() else {
        return;
    };
    if lib.share_folder().is_none() {
        return;
    }
    let results = match state.sharing.with_keychain(|k| lib.sync_all(k, Utc::now())) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "could not sync");
            return;
        }
        // No usable keychain: the sharing panel says so.
        Err(_) => return,
    };
    drop(lib);
    for (id, result) in results {
        let changed = result.as_ref().is_ok_and(|r| r.changed);
        state.sharing.record(&id, result.map_err(|e| e.to_string()));
        if changed && let Err(e) = app.emit("pair-changed", &id) {
            tracing::warn!(error = %e, "could not tell the window a pair changed");
        }
    }
}

/// Watches the library's shared folder (again, if it changed), waking the exchange loop on events.
fn keep_watching(app: &AppHandle, wake: &tokio::sync::mpsc::UnboundedSender<()>) {
    let state = app.state::<AppState>();
    let folder = state.library.lock().ok().and_then(|l| l.share_folder());
    let Ok(mut current) = state.sharing.watcher.lock() else {
        return;
    };
    if current.as_ref().map(|(f, _)| f) == folder.as_ref() {
        return;
    }
    *current = None;
    if let Some(folder) = folder {
        let wake = wake.clone();
        match tandem_sync::watch::watch_share(&folder, move || {
            let _ = wake.send(());
        }) {
            Ok(w) => *current = Some((folder, w)),
            // Some network mounts cannot be watched: the rescan still runs.
            Err(e) => tracing::warn!(error = %e, "cannot watch the shared folder; rescanning only"),
        }
    }
}

/// The background exchange, started with the window: at once when the shared folder changes, and
/// every few seconds anyway.
pub fn start(app: &AppHandle) {
    let handle = app.clone();
    let (wake, mut woken) = tokio::sync::mpsc::unbounded_channel::<()>();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(RESCAN);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                Some(()) = woken.recv() => {
                    // A copy tool writes several files at once: take them in one exchange.
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    while woken.try_recv().is_ok() {}
                }
            }
            let h = handle.clone();
            let w = wake.clone();
            // The keychain and the disk block: keep them off the async workers.
            let done = tauri::async_runtime::spawn_blocking(move || {
                keep_watching(&h, &w);
                exchange_all(&h);
            });
            if done.await.is_err() {
                break;
            }
        }
    });
}
