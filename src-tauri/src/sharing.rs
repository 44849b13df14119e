//! Sharing while the window is open: the keychain, a rescan of the shared folder every few seconds
//! (network and cloud folders send no change events), and each pair's last exchange for its page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use tandem_core::view::{PeerView, SharingView};
use tandem_sync::ShareReport;
use tandem_sync::keys::Keychain;
use tandem_sync::p2p;
use tauri::{AppHandle, Emitter, Manager};

use crate::window::AppState;

use tandem_sync::watch::RESCAN;

/// The keychain (opened once, off the UI thread), what the last exchanges did, and the watcher on
/// the shared folder.
#[derive(Default)]
pub struct Sharing {
    pub keychain: Mutex<Option<Result<Keychain, String>>>,
    pub last: Mutex<HashMap<String, Exchange>>,
    /// A watcher on each shared folder (the library's and the pairs' own).
    watchers: Mutex<std::collections::BTreeMap<std::path::PathBuf, notify::RecommendedWatcher>>,
    /// Where the window accepts peers, once it does.
    pub listening: Mutex<Option<String>>,
    /// Pair id → address → how syncing with that laptop is going.
    pub peers: Mutex<HashMap<String, HashMap<String, PeerView>>>,
    /// Addresses this window already keeps connecting to, per pair.
    dialing: Mutex<std::collections::HashSet<(String, String)>>,
    /// mDNS advertising and browsing while the window accepts peers.
    discovery: Mutex<Option<p2p::discover::Discovery>>,
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

    /// The sharing panel for pair `id`, which syncs through `share` (its own folder or the
    /// library's, `library`).
    pub fn view(
        &self,
        share: Option<tandem_sync::PairShare>,
        library: Option<std::path::PathBuf>,
        id: &str,
    ) -> SharingView {
        let folder_own = share.as_ref().is_some_and(|s| s.own);
        let folder = share.map(|s| s.folder.display().to_string());
        let library_folder = library
            .filter(|_| folder_own)
            .map(|l| l.display().to_string());
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
            folder_own,
            library_folder,
            keychain,
            keychain_error,
            shared,
            ..SharingView::default()
        };
        v.listening = self.listening.lock().ok().and_then(|l| l.clone());
        v.peers = self
            .peers
            .lock()
            .ok()
            .and_then(|p| p.get(id).map(|m| m.values().cloned().collect()))
            .unwrap_or_default();
        v.peers.sort_by(|a, b| a.addr.cmp(&b.addr));
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

/// A long exchange shows progress after this long…
const PROGRESS_AFTER: Duration = Duration::from_millis(300);
/// …updated at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Exchanges every shared pair now; tells the window which pairs changed, and how far a long
/// exchange (a large first sync) has got.
pub fn exchange_all(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(mut lib) = state.library.lock() else {
        return;
    };
    if lib.share_folders().is_empty() {
        return;
    }
    let mut progress = progress_reporter(app);
    let results = match state
        .sharing
        .with_keychain(|k| lib.sync_all_with(k, Utc::now(), &mut progress))
    {
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

/// A progress callback for one exchange that emits `share-progress` once the exchange of a pair
/// has run for [`PROGRESS_AFTER`] (a quick one shows nothing), at most every [`PROGRESS_EVERY`],
/// and always its end once it showed anything.
pub fn progress_reporter(app: &AppHandle) -> impl FnMut(&str, tandem_sync::Progress) + use<> {
    use std::time::Instant;
    let app = app.clone();
    let mut current: Option<(String, Instant)> = None;
    let mut shown: Option<Instant> = None;
    move |pair: &str, p: tandem_sync::Progress| {
        let now = Instant::now();
        if current.as_ref().is_none_or(|(id, _)| id != pair) {
            current = Some((pair.to_string(), now));
            shown = None;
        }
        let started = current.as_ref().map_or(now, |(_, t)| *t);
        let end = p.files_done >= p.files;
        let due = match shown {
            None => now.duration_since(started) >= PROGRESS_AFTER,
            Some(last) => end || now.duration_since(last) >= PROGRESS_EVERY,
        };
        if !due {
            return;
        }
        shown = Some(now);
        let payload = p.of_pair(pair);
        if let Err(e) = app.emit("share-progress", &payload) {
            tracing::warn!(error = %e, "could not show the sync's progress");
        }
    }
}

/// Watches every shared folder (the library's and the pairs' own), waking the exchange loop on
/// events; follows the settings as folders are picked and dropped.
fn keep_watching(app: &AppHandle, wake: &tokio::sync::mpsc::UnboundedSender<()>) {
    let state = app.state::<AppState>();
    let folders = state
        .library
        .lock()
        .ok()
        .map(|l| l.share_folders())
        .unwrap_or_default();
    let Ok(mut watchers) = state.sharing.watchers.lock() else {
        return;
    };
    watchers.retain(|f, _| folders.contains(f));
    for folder in folders {
        if watchers.contains_key(&folder) {
            continue;
        }
        let wake = wake.clone();
        match tandem_sync::watch::watch_share(&folder, move || {
            let _ = wake.send(());
        }) {
            Ok(w) => {
                watchers.insert(folder, w);
            }
            // Some network mounts cannot be watched: the rescan still runs (and retries this).
            Err(e) => {
                tracing::warn!(error = %e, folder = %folder.display(), "cannot watch a shared folder; rescanning only");
            }
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

/// Notes what a peer connection did, for the pair's sharing panel.
fn peer_event(app: &AppHandle, event: p2p::Event) {
    let state = app.state::<AppState>();
    let Ok(mut peers) = state.sharing.peers.lock() else {
        return;
    };
    match event {
        p2p::Event::Connected { addr, peer } => {
            let v = peers
                .entry(peer.pair_id)
                .or_default()
                .entry(addr.ip().to_string())
                .or_default();
            v.addr = addr.to_string();
            v.connected = true;
            v.error = None;
        }
        p2p::Event::Ended { addr, result } => {
            for by_pair in peers.values_mut() {
                for v in by_pair.values_mut().filter(|v| v.addr == addr.to_string()) {
                    v.connected = false;
                    if let Err(e) = &result {
                        v.error = Some(e.to_string());
                    }
                }
            }
            if let Err(e) = result {
                tracing::info!(%addr, error = %e, "a peer connection ended");
            }
        }
        p2p::Event::Refused { addr, why } => {
            tracing::info!(%addr, %why, "refused a peer");
        }
    }
}

/// Records that `pair` exchanged changes with the laptop at `addr`, or (None: the listener does
/// not know which) with every laptop connected for it.
fn peer_exchanged(app: &AppHandle, pair: &str, addr: Option<&str>) {
    let state = app.state::<AppState>();
    let Ok(mut peers) = state.sharing.peers.lock() else {
        return;
    };
    let at = Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true));
    let by_pair = peers.entry(pair.to_string()).or_default();
    match addr {
        Some(addr) => {
            let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h).to_string();
            let v = by_pair.entry(host).or_default();
            if v.addr.is_empty() {
                v.addr = addr.to_string();
            }
            v.connected = true;
            v.last_exchange = at;
        }
        None => {
            for v in by_pair.values_mut().filter(|v| v.connected) {
                v.last_exchange = at.clone();
            }
        }
    }
}

/// The (pair id, key) of every pair in the library that has a key on this device.
fn shared_pairs(app: &AppHandle) -> Vec<(String, tandem_sync::seal::PairKey)> {
    let state = app.state::<AppState>();
    let ids = state
        .library
        .lock()
        .ok()
        .and_then(|l| l.pair_ids().ok())
        .unwrap_or_default();
    state
        .sharing
        .with_keychain(|k| {
            ids.iter()
                .filter_map(|id| k.get(id).ok().flatten().map(|key| (id.clone(), key)))
                .collect()
        })
        .unwrap_or_default()
}

fn changed_handler(app: &AppHandle, addr: Option<String>) -> Arc<dyn Fn(&str) + Send + Sync> {
    let app = app.clone();
    Arc::new(move |id: &str| {
        peer_exchanged(&app, id, addr.as_deref());
        if let Err(e) = app.emit("pair-changed", id) {
            tracing::warn!(error = %e, "could not tell the window a pair changed");
        }
    })
}

fn event_handler(app: &AppHandle) -> Arc<dyn Fn(p2p::Event) + Send + Sync> {
    let app = app.clone();
    Arc::new(move |e| peer_event(&app, e))
}

/// Keeps `pair` connected to the laptop at `addr`, live, from now on (once per address).
pub fn dial(app: &AppHandle, pair: &str, addr: std::net::SocketAddr) -> Result<(), String> {
    let state = app.state::<AppState>();
    let key = state
        .sharing
        .with_keychain(|k| k.get(pair))?
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            "This pair has no key on this laptop yet: invite your partner first (or join with their invite).".to_string()
        })?;
    let fresh = state
        .sharing
        .dialing
        .lock()
        .map(|mut d| d.insert((pair.to_string(), addr.to_string())))
        .unwrap_or(false);
    if !fresh {
        return Ok(());
    }
    if let Ok(mut peers) = state.sharing.peers.lock() {
        let v = peers
            .entry(pair.to_string())
            .or_default()
            .entry(addr.ip().to_string())
            .or_default();
        v.addr = addr.to_string();
    }
    let lib = state.library.clone();
    let pairs = p2p::pairs([(pair.to_string(), key)]);
    let (on_change, on_event) = (
        changed_handler(app, Some(addr.to_string())),
        event_handler(app),
    );
    tauri::async_runtime::spawn(p2p::keep_connected(lib, addr, pairs, on_change, on_event));
    Ok(())
}

/// Peer to peer while the window is open: listens where `TANDEM_LISTEN` says (e.g.
/// `0.0.0.0:7890`), and keeps every shared pair connected to the laptops in `TANDEM_PEERS`
/// (comma-separated host:port); the pair page can add more.
pub fn start_peers(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let handle = app.clone();
        let pairs = match tauri::async_runtime::spawn_blocking(move || shared_pairs(&handle)).await
        {
            Ok(p) => p,
            Err(_) => return,
        };
        if let Some(listen) = std::env::var("TANDEM_LISTEN")
            .ok()
            .filter(|l| !l.trim().is_empty())
        {
            match tokio::net::TcpListener::bind(listen.trim()).await {
                Ok(listener) => {
                    let local = listener
                        .local_addr()
                        .map(|a| a.to_string())
                        .unwrap_or(listen);
                    tracing::info!(%local, "accepting peers");
                    if let Ok(mut l) = app.state::<AppState>().sharing.listening.lock() {
                        *l = Some(local.clone());
                    }
                    if std::env::var("TANDEM_MDNS").as_deref() != Ok("0") {
                        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
                        let h = app.clone();
                        let found = move |pair: String, addr: std::net::SocketAddr| {
                            tracing::info!(%pair, %addr, "found a peer on this network");
                            if let Err(e) = dial(&h, &pair, addr) {
                                tracing::warn!(%addr, error = %e, "cannot connect");
                            }
                        };
                        match p2p::discover::Discovery::start(
                            port,
                            p2p::pairs(pairs.clone()),
                            found,
                        ) {
                            Ok(d) => {
                                if let Ok(mut slot) =
                                    app.state::<AppState>().sharing.discovery.lock()
                                {
                                    *slot = Some(d);
                                }
                            }
                            Err(e) => tracing::warn!(error = %e, "no discovery on this network"),
                        }
                    }
                    let lib = app.state::<AppState>().library.clone();
                    tauri::async_runtime::spawn(p2p::serve(
                        listener,
                        lib,
                        p2p::pairs(pairs.clone()),
                        changed_handler(&app, None),
                        event_handler(&app),
                    ));
                }
                Err(e) => tracing::warn!(error = %e, %listen, "cannot accept peers"),
            }
        }
        let peers = std::env::var("TANDEM_PEERS").unwrap_or_default();
        for peer in peers.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Ok(Some(addr)) = tokio::net::lookup_host(peer).await.map(|mut a| a.next()) else {
                tracing::warn!(%peer, "not an address");
                continue;
            };
            for (id, _) in &pairs {
                if let Err(e) = dial(&app, id, addr) {
                    tracing::warn!(%peer, error = %e, "cannot connect");
                }
            }
        }
    });
}
