//! The one sync service: everything that keeps a library in step with the partner's laptops while
//! Tandem runs, for every synced document kind. The window and `tandem sync` are two faces of it;
//! each tells it how to report through a [`Reporter`] (the window emits events, the CLI prints).
//!
//! Background jobs, each on the service's tokio runtime:
//! - **flush** ([`Options::flush_every`]): commits keystroke batches that are due and rewrites stale
//!   view caches;
//! - **exchange** ([`exchange`]): the shared folders, woken at once by a file watcher on each
//!   folder in use and rescanned every [`Options::rescan_every`] anyway (network and FUSE folders
//!   send no events for other machines' writes), or only every [`Options::rescan_watched`] while
//!   every folder in use is watched on a local disk; a large first sync's progress is throttled
//!   for the reporter;
//! - **peers** ([`peers`]): the listener, mDNS discovery, and live connections to the laptops
//!   found, configured or typed, each address dialled once;
//! - **index** ([`Options::index_every`]): the search index takes in what was written to disk since
//!   (typing batches, a partner's changes from a folder or a peer), on its own thread: typing never
//!   waits for it (see [`crate::search`]).
//!
//! A new background job (reminders, notifications) is one more `every(…)` in [`Service::start`]
//! and, if the window should hear of it, one more [`Reporter`] method with a default.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use tandem_core::views::{PeerView, SharingView, SyncProgress};
use tandem_search::{Hit, Opened, SearchIndex, SearchQuery};

use crate::keys::Keychain;
use crate::p2p::{self, Shared};
use crate::{DocId, Library, PairExchange, ShareReport, StoreError};

mod exchange;
mod peers;

pub use exchange::Throttle;

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// How often keystroke batches that are due are committed.
    pub flush_every: Duration,
    /// How often the shared folders are rescanned even without a watcher event.
    pub rescan_every: Duration,
    /// How often when every folder in use is watched on a local disk (its events all come).
    pub rescan_watched: Duration,
    /// Whether to watch the shared folders for changes (else only the rescan notices them).
    pub watch: bool,
    /// Where to accept the partner's laptop (e.g. `0.0.0.0:7890`), if anywhere.
    pub listen: Option<String>,
    /// Laptops to keep connected to (host:port; a name is looked up when the service starts).
    pub peers: Vec<String>,
    /// Whether to advertise and look for partners' laptops with mDNS while listening.
    pub mdns: bool,
    /// How often the search index takes in what was written (never, if `None`).
    pub index_every: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            flush_every: Duration::from_millis(250),
            rescan_every: crate::watch::RESCAN,
            rescan_watched: crate::watch::RESCAN_WATCHED,
            watch: true,
            listen: None,
            peers: Vec::new(),
            mdns: true,
            index_every: Some(Duration::from_millis(250)),
        }
    }
}

/// How a face of the service hears what it does. Every method has a default that ignores it.
pub trait Reporter: Send + Sync {
    /// A document changed by itself: a partner's edits arrived (through a folder or a peer).
    fn changed(&self, _doc: &DocId) {}
    /// How far a long exchange with a shared folder has got (already throttled: shown only for an
    /// exchange past 300 ms, at most every 100 ms, and always its end).
    fn progress(&self, _progress: &SyncProgress) {}
    /// One exchange of every document with its folder finished.
    fn exchanged(&self, _results: &[PairExchange]) {}
    /// What a peer connection did.
    fn peer(&self, _event: &p2p::Event) {}
    /// Peers can now reach this laptop at `addr`.
    fn listening(&self, _addr: SocketAddr) {}
    /// What the sharing panel of `doc` (`None`: of every document) shows has changed: a
    /// different outcome of the folder exchange, a peer connected or gone, peers can reach this
    /// laptop. Not told for an exchange that came out as the one before, so a window with
    /// nothing happening is never woken.
    fn sharing(&self, _doc: Option<&DocId>) {}
    /// A background job failed; `what` says which, in words.
    fn problem(&self, _what: &str, _error: &str) {}
    /// Edits could not be written to disk (a full disk: `Some(why)`), or, after that, all are
    /// on disk again (`None`). Told when this changes, not at every try.
    fn saving(&self, _problem: Option<&str>) {}
    /// The search index was opened: found, made, or rebuilt because it was damaged (then the
    /// person should hear why results may be missing for a moment).
    fn search_index(&self, _opened: &Opened) {}
}

/// One document's last exchange with its folder.
#[derive(Debug, Clone)]
struct LastExchange {
    at: DateTime<Utc>,
    result: Result<ShareReport, String>,
}

/// What the sharing panels show.
#[derive(Default)]
struct Status {
    last: HashMap<DocId, LastExchange>,
    listening: Option<String>,
    /// Document → laptop (its host) → how syncing with it is going.
    peers: HashMap<DocId, HashMap<String, PeerView>>,
}

/// The sync service of one library.
pub struct Service {
    lib: Shared,
    options: Options,
    reporter: Arc<dyn Reporter>,
    runtime: tokio::runtime::Handle,
    /// Opened once, the first time it is needed (it blocks: never on the UI thread).
    keychain: Mutex<Option<Result<Arc<Keychain>, String>>>,
    status: Mutex<Status>,
    /// Addresses already kept connected, per document.
    dialing: Mutex<HashSet<(DocId, SocketAddr)>>,
    exchange: exchange::Watch,
    discovery: Mutex<Option<p2p::discover::Discovery>>,
    /// Whether the reporter was last told that edits could not be saved.
    unsaved: std::sync::atomic::AtomicBool,
    /// The search index, once opened and caught up (the first index job or search opens it).
    search: Mutex<Option<Arc<SearchIndex>>>,
    /// The last problem the index job reported (told once, not every tick).
    index_problem: Mutex<Option<String>>,
    /// Why the index was found damaged and rebuilt, until the window takes it.
    search_notice: Mutex<Option<String>>,
    /// Counts [`Service::lock`]s (someone edits, syncs or reads): the timed jobs run at their
    /// pace while it moves, and slow down while it does not.
    touched: std::sync::atomic::AtomicU64,
    /// Wakes the timed jobs at once when the library is locked.
    poke: tokio::sync::Notify,
}

/// How far the timed jobs (flush, index) slow down while nothing touches the library and they
/// have nothing waiting: a laptop on battery wakes 8 times a second for nothing otherwise.
const IDLE_TICK: Duration = Duration::from_secs(2);

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("options", &self.options)
            .finish()
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Service {
    /// A service over `lib`, spawning its jobs on `runtime` once [`Service::start`] is called.
    pub fn new(
        lib: Shared,
        options: Options,
        reporter: Arc<dyn Reporter>,
        runtime: tokio::runtime::Handle,
    ) -> Arc<Service> {
        Arc::new(Service {
            lib,
            options,
            reporter,
            runtime,
            keychain: Mutex::new(None),
            status: Mutex::new(Status::default()),
            dialing: Mutex::new(HashSet::new()),
            exchange: exchange::Watch::default(),
            discovery: Mutex::new(None),
            unsaved: std::sync::atomic::AtomicBool::new(false),
            search: Mutex::new(None),
            index_problem: Mutex::new(None),
            search_notice: Mutex::new(None),
            touched: std::sync::atomic::AtomicU64::new(0),
            poke: tokio::sync::Notify::new(),
        })
    }

    /// The library the service keeps in step.
    pub fn library(&self) -> &Shared {
        &self.lib
    }

    /// The library, locked; an error the person can act on if a panic poisoned the lock. Wakes
    /// the timed jobs: what is done with it may give them work.
    pub fn lock(&self) -> Result<MutexGuard<'_, Library>, StoreError> {
        self.touched
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.poke.notify_waiters();
        self.quiet_lock()
    }

    /// The library, locked by a timed job (which does not count as someone touching it).
    fn quiet_lock(&self) -> Result<MutexGuard<'_, Library>, StoreError> {
        self.lib.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Starts every background job: the flush timer, the folder exchange and the peers.
    pub fn start(self: &Arc<Self>) {
        let me = self.clone();
        self.every(self.options.flush_every, move || me.flush());
        if let Some(every) = self.options.index_every {
            let me = self.clone();
            self.every(every, move || me.index());
        }
        exchange::start(self);
        peers::start(self);
    }

    /// Commits and writes the batches that are due, and tells the reporter when saving starts or
    /// stops failing (a full disk: the edits stay in memory and are written once there is room).
    pub fn flush(&self) -> bool {
        use std::sync::atomic::Ordering;
        let (result, unsaved, waiting) = match self.quiet_lock() {
            Ok(mut lib) => {
                let result = lib.flush_due(Utc::now());
                // What reached the disk (typing just committed, an edit, a peer's changes) goes
                // to the folder at once: the rescan of a watched folder is only a safety net.
                if lib.take_unshared() {
                    self.wake();
                }
                (result, lib.unsaved(), lib.waiting())
            }
            Err(e) => (Err(e), true, true),
        };
        let was = self.unsaved.swap(unsaved, Ordering::Relaxed);
        match (&result, unsaved, was) {
            (Err(e), true, false) => self.reporter.saving(Some(&e.to_string())),
            (_, false, true) => self.reporter.saving(None),
            (Err(e), false, _) => self.reporter.problem("saving", &e.to_string()),
            _ => {}
        }
        waiting
    }

    /// The search index, opened (made or rebuilt if need be) and brought up to date the first time.
    /// Only for a service that writes the library.
    pub fn search_index(&self) -> Result<Arc<SearchIndex>, StoreError> {
        let mut slot = self.search.lock().map_err(|_| StoreError::Poisoned)?;
        if let Some(ix) = slot.as_ref() {
            return Ok(ix.clone());
        }
        let dir = self.quiet_lock()?.home().join(tandem_search::FOLDER);
        let (ix, opened) = SearchIndex::open(&dir)?;
        let ix = Arc::new(ix);
        crate::search::catch_up(&self.lib, &ix)?;
        if let Opened::Rebuilt(why) = &opened
            && let Ok(mut notice) = self.search_notice.lock()
        {
            *notice = Some(why.clone());
        }
        self.reporter.search_index(&opened);
        *slot = Some(ix.clone());
        Ok(ix)
    }

    /// Why the search index was found damaged and rebuilt, once.
    pub fn take_search_notice(&self) -> Option<String> {
        self.search_notice.lock().ok().and_then(|mut n| n.take())
    }

    /// Takes what was written since into the search index (searchable at once), and commits it
    /// to disk when due.
    pub fn index(&self) -> bool {
        let result = self.search_index().and_then(|ix| {
            crate::search::index_written(&self.lib, &ix)?;
            ix.commit_if_due()?;
            Ok(ix.has_uncommitted())
        });
        let waiting = result.as_ref().is_ok_and(|w| *w);
        let problem = result.err().map(|e| e.to_string());
        let Ok(mut last) = self.index_problem.lock() else {
            return waiting;
        };
        if problem != *last {
            if let Some(p) = &problem {
                self.reporter.problem("updating the search index", p);
            }
            *last = problem;
        }
        waiting
    }

    /// Searches everything in the library.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        Ok(self.search_index()?.search(q)?)
    }

    /// Runs `job` (which may block) every `interval` on the service's runtime, never two at once.
    /// While nothing locks the library and `job` says nothing waits for it (it returns whether
    /// something does), the pause doubles up to [`IDLE_TICK`]; a lock brings it back at once.
    fn every(self: &Arc<Self>, interval: Duration, job: impl Fn() -> bool + Send + Sync + 'static) {
        use std::sync::atomic::Ordering;
        let job = Arc::new(job);
        let me = self.clone();
        self.runtime.spawn(async move {
            let mut pause = interval;
            let mut seen = None;
            loop {
                {
                    let poked = me.poke.notified();
                    tokio::pin!(poked);
                    // Registered before the count is read: a lock from here on wakes it.
                    poked.as_mut().enable();
                    let touched = me.touched.load(Ordering::Relaxed);
                    if seen.is_some_and(|s| s != touched) {
                        pause = interval;
                    }
                    seen = Some(touched);
                    tokio::select! {
                        () = tokio::time::sleep(pause) => {}
                        () = &mut poked => pause = interval,
                    }
                }
                let job = job.clone();
                match tokio::task::spawn_blocking(move || job()).await {
                    Ok(true) => pause = interval,
                    Ok(false) => pause = (pause * 2).min(IDLE_TICK.max(interval)),
                    Err(_) => break,
                }
            }
        });
    }

    /// Runs `f` with the keychain, opening it the first time.
    pub fn with_keychain<T>(&self, f: impl FnOnce(&Keychain) -> T) -> Result<T, String> {
        let keychain = {
            let mut slot = self
                .keychain
                .lock()
                .map_err(|_| "the keychain is unavailable".to_string())?;
            slot.get_or_insert_with(|| Keychain::open().map(Arc::new).map_err(|e| e.to_string()))
                .clone()?
        };
        Ok(f(&keychain))
    }

    /// Exchanges every shared document with its folder now (blocking); tells the reporter what
    /// changed and how far a long exchange has got. Nothing happens while no folder is set. The
    /// library is locked only while a document is touched: never while the folder is listed,
    /// read or decrypted (a slow network mount or a hostile folder cannot stall typing).
    pub fn exchange_all(&self) -> Result<Vec<PairExchange>, StoreError> {
        let targets = {
            let lib = self.lock()?;
            // A damaged settings file is reported, not taken as "no folder picked".
            lib.check_settings()?;
            if lib.share_folders().is_empty() {
                return Ok(Vec::new());
            }
            self.with_keychain(|k| lib.exchange_targets(k))
                .map_err(StoreError::NoKeychain)??
        };
        let mut results = Vec::new();
        let mut throttle = Throttle::default();
        for (d, target) in targets {
            let result = target.and_then(|(key, share)| {
                let mut ex = self
                    .lock()?
                    .exchange_prepare(&d, &key, &share, Utc::now())?;
                ex.transfer(&mut |p| {
                    if let Some(shown) = throttle.due(&d, p) {
                        self.reporter.progress(&shown);
                    }
                })?;
                self.lock()?.exchange_finish(ex)
            });
            results.push((d, result));
        }
        let now = Utc::now();
        let mut differs = Vec::new();
        if let Ok(mut status) = self.status.lock() {
            for (d, result) in &results {
                let result = result.as_ref().cloned().map_err(|e| e.to_string());
                // An exchange that came out as the one before keeps its time: the panel says
                // since when things have been as they are, and nothing needs redrawing.
                if status.last.get(d).is_some_and(|last| last.result == result) {
                    continue;
                }
                status
                    .last
                    .insert(d.clone(), LastExchange { at: now, result });
                differs.push(d.clone());
            }
        }
        for d in &differs {
            self.reporter.sharing(Some(d));
        }
        for (d, result) in &results {
            if result.as_ref().is_ok_and(|r| r.changed) {
                self.reporter.changed(d);
            }
        }
        self.reporter.exchanged(&results);
        Ok(results)
    }

    /// Records an exchange made outside the loop (a join reads the folder itself).
    pub fn record(&self, d: &DocId, result: Result<ShareReport, String>) {
        if let Ok(mut status) = self.status.lock() {
            status.last.insert(
                d.clone(),
                LastExchange {
                    at: Utc::now(),
                    result,
                },
            );
        }
        self.reporter.sharing(Some(d));
    }

    /// Keeps document `d` connected, live, to the laptop at `addr` from now on (once per
    /// address).
    pub fn dial(self: &Arc<Self>, d: &DocId, addr: SocketAddr) -> Result<(), String> {
        peers::dial(self, d, addr, crate::p2p::Dial::Given)
    }

    /// The sharing panel of pair `id`: its folder, keychain, last exchange, changes not yet in the
    /// folder, and its peers.
    pub fn sharing_view(&self, id: &str) -> Result<SharingView, StoreError> {
        let d = DocId::pair(id);
        let (share, library, settings_problem) = {
            let lib = self.lock()?;
            (
                lib.pair_share(id),
                lib.share_folder(),
                lib.check_settings().err().map(|e| e.to_string()),
            )
        };
        let folder_own = share.as_ref().is_some_and(|s| s.own);
        let (keychain, keychain_error, keychain_warning) = match self
            .with_keychain(|k| (k.kind.to_string(), k.durable()))
        {
            Ok((kind, durable)) => {
                let warning = (!durable).then(|| format!(
                    "Keys are kept in the {kind}, which forgets them when this laptop restarts: after a restart, join each pair again with its invite. Start a Secret Service (GNOME Keyring or KWallet) to keep them."
                ));
                (Some(kind), None, warning)
            }
            Err(e) => (None, Some(e), None),
        };
        let key = {
            let lib = self.lock()?;
            self.with_keychain(|k| lib.key_for(k, &d)).ok()
        };
        // A lost key still means the pair was shared: the panel says what happened to it.
        let (shared, key_problem) = match key {
            Some(Ok(found)) => (found.is_some(), None),
            Some(Err(e)) => (true, Some(e.to_string())),
            None => (false, None),
        };
        let mut v = SharingView {
            folder: share.map(|s| s.folder.display().to_string()),
            folder_own,
            library_folder: library
                .filter(|_| folder_own)
                .map(|l| l.display().to_string()),
            keychain,
            keychain_error,
            keychain_warning,
            shared,
            error: settings_problem.or(key_problem),
            ..SharingView::default()
        };
        if let Ok(status) = self.status.lock() {
            v.listening = status.listening.clone();
            v.peers = status
                .peers
                .get(&d)
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default();
            if let Some(x) = status.last.get(&d) {
                v.last_exchange = Some(stamp(x.at));
                match &x.result {
                    Ok(r) => {
                        v.up_to_date = true;
                        v.waiting = r.waiting;
                        v.problems = r
                            .problems
                            .iter()
                            .map(|p| (p.file.clone(), p.reason.clone()))
                            .collect();
                    }
                    Err(e) => v.error = Some(e.clone()),
                }
            }
        }
        v.peers.sort_by(|a, b| a.addr.cmp(&b.addr));
        if v.folder.is_some() && v.shared {
            v.pending = self.lock()?.share_pending(&d).ok();
        }
        Ok(v)
    }
}
