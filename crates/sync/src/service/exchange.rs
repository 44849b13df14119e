//! The folder exchange: a watcher on each shared folder in use wakes the exchange at once, a
//! rescan runs every few seconds anyway, and a large first sync's progress is throttled.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tandem_core::views::SyncProgress;
use tokio::sync::mpsc;

use super::Service;
use crate::{DocId, Progress};

/// A long exchange shows progress after this long…
const PROGRESS_AFTER: Duration = Duration::from_millis(300);
/// …updated at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// A copy tool writes several files at once: an event waits this long to take them in one
/// exchange.
const SETTLE: Duration = Duration::from_millis(150);

/// Decides which progress reports of an exchange are worth showing: none for an exchange of a
/// document that ends within [`PROGRESS_AFTER`], then at most every [`PROGRESS_EVERY`], and always
/// the end once anything was shown.
#[derive(Debug, Default)]
pub struct Throttle {
    current: Option<(DocId, Instant)>,
    shown: Option<Instant>,
}

impl Throttle {
    /// The report to show for `p` of document `d`, if it is due.
    pub fn due(&mut self, d: &DocId, p: Progress) -> Option<SyncProgress> {
        let now = Instant::now();
        if self.current.as_ref().is_none_or(|(c, _)| c != d) {
            self.current = Some((d.clone(), now));
            self.shown = None;
        }
        let started = self.current.as_ref().map_or(now, |(_, t)| *t);
        let end = p.files_done >= p.files;
        let due = match self.shown {
            None => now.duration_since(started) >= PROGRESS_AFTER,
            Some(last) => end || now.duration_since(last) >= PROGRESS_EVERY,
        };
        due.then(|| {
            self.shown = Some(now);
            p.of_pair(&d.id)
        })
    }
}

/// The watchers on the shared folders in use, and how they wake the exchange.
#[derive(Default)]
pub(super) struct Watch {
    watchers: Mutex<BTreeMap<PathBuf, notify::RecommendedWatcher>>,
    wake: Mutex<Option<mpsc::UnboundedSender<()>>>,
}

impl Service {
    /// Watches every folder in use (the library's and the documents' own) and stops watching the
    /// ones no longer in use; a folder that cannot be watched (some network mounts) is left to the
    /// rescan.
    ///
    /// Returns whether every folder in use is watched where its events are sure to come (a local
    /// disk), so the rescan can be slow.
    fn keep_watching(&self) -> bool {
        let folders = match self.lock() {
            Ok(lib) => lib.share_folders(),
            Err(_) => return false,
        };
        let wake = self.exchange.wake.lock().ok().and_then(|w| w.clone());
        let (Ok(mut watchers), Some(wake)) = (self.exchange.watchers.lock(), wake) else {
            return false;
        };
        watchers.retain(|f, _| folders.contains(f));
        let mut reliable = true;
        for folder in folders {
            reliable &= crate::watch::events_reliable(&folder)
                && folder.join(crate::library::SHARE_ROOT).is_dir();
            if watchers.contains_key(&folder) {
                continue;
            }
            let wake = wake.clone();
            match crate::watch::watch_share(&folder, move || {
                let _ = wake.send(());
            }) {
                Ok(w) => {
                    watchers.insert(folder, w);
                }
                Err(e) => {
                    reliable = false;
                    self.reporter.problem(
                        &format!("watching {} (rescanning it instead)", folder.display()),
                        &e.to_string(),
                    );
                }
            }
        }
        reliable
    }

    /// Asks the exchange loop to run now (a folder was picked, an invite made).
    pub fn wake(&self) {
        if let Some(w) = self.exchange.wake.lock().ok().and_then(|w| w.clone()) {
            let _ = w.send(());
        }
    }
}

/// The exchange loop: at once when a watched folder changes, and every rescan anyway.
pub(super) fn start(service: &Arc<Service>) {
    let (wake, mut woken) = mpsc::unbounded_channel::<()>();
    if let Ok(mut slot) = service.exchange.wake.lock() {
        *slot = Some(wake);
    }
    let me = service.clone();
    service.runtime.spawn(async move {
        // The first exchange at once, then after each: at once when a watched folder changes,
        // and on the rescan timer anyway — slow while every folder's events are sure to come.
        let mut next = Duration::ZERO;
        loop {
            tokio::select! {
                () = tokio::time::sleep(next) => {}
                Some(()) = woken.recv() => {
                    tokio::time::sleep(SETTLE).await;
                    while woken.try_recv().is_ok() {}
                }
            }
            let job = me.clone();
            // The keychain and the disk block: keep them off the async workers.
            let done = tokio::task::spawn_blocking(move || {
                let watched = job.options.watch && job.keep_watching();
                match job.exchange_all() {
                    // Without a keychain nothing can be exchanged; the sharing panel says why.
                    Ok(_) | Err(crate::StoreError::NoKeychain(_)) => {}
                    Err(e) => job
                        .reporter
                        .problem("exchanging with the shared folder", &e.to_string()),
                }
                watched
            });
            next = match done.await {
                Ok(true) => me.options.rescan_watched,
                Ok(false) => me.options.rescan_every,
                Err(_) => break,
            };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_exchange_shows_nothing_and_a_long_one_shows_its_end() {
        let d = DocId::pair("01P");
        let p = |done| Progress {
            files_done: done,
            files: 3,
            bytes_done: 0,
            bytes: 0,
        };
        let mut t = Throttle::default();
        assert_eq!(t.due(&d, p(1)), None);
        assert_eq!(
            t.due(&d, p(3)),
            None,
            "an exchange that ends at once shows nothing"
        );
        let mut slow = Throttle {
            current: Some((d.clone(), Instant::now() - PROGRESS_AFTER)),
            shown: None,
        };
        assert!(slow.due(&d, p(1)).is_some(), "past 300 ms it shows");
        assert_eq!(slow.due(&d, p(2)), None, "then not again within 100 ms");
        assert_eq!(
            slow.due(&d, p(3)).map(|s| s.files_done),
            Some(3),
            "but its end"
        );
    }
}
