//! The library: the pairs under one home folder, opened on demand, with edits batched into
//! Automerge changes the way a person types.
//!
//! Batching policy: a discrete action (a new pair, a logged session, a goal) is committed and made
//! durable before the call returns. Keystrokes (text splices) go into the in-memory document at
//! once and are committed together every [`BATCH_EDITS`] edits or [`BATCH_AGE_MS`] after the first
//! pending one (the app calls [`Library::flush_due`] on a timer) and on close. Committing per
//! keystroke makes a five-year pair load 4.5× slower and 4.3× larger (measured; see DESIGN.md).

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use automerge::AutoCommit;
use automerge::transaction::CommitOptions;
use chrono::{DateTime, NaiveDate, Utc};
use tandem_core::dto::{Edit, NewPair, NewSession, TextSplice};
use tandem_core::ops::{self, Applied, Ctx, PairIds};
use tandem_core::view::{LibraryView, PairProblem, PairView};

use crate::StoreError;
use crate::home::Device;
use crate::store::PairStore;

/// Commit pending keystrokes after this many edits…
pub const BATCH_EDITS: usize = 25;
/// …or this long after the first pending one.
pub const BATCH_AGE_MS: i64 = 1_000;
/// A view cache left stale by keystroke batches is rewritten after this long.
const VIEW_AGE_MS: i64 = 10_000;

/// Whether this process may write to the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Holds the library's lock; fails with [`StoreError::Busy`] if another process holds it.
    ReadWrite,
    /// Reads what is on disk without the lock, never writes (for `tandem show` beside a window).
    ReadOnly,
}

struct OpenPair {
    doc: AutoCommit,
    store: PairStore,
    /// Keystrokes applied but not yet committed.
    pending: usize,
    pending_since: Option<DateTime<Utc>>,
    /// The view derived from the document, while no edit has touched it since.
    view: Option<PairView>,
    /// When the on-disk view cache fell behind the log, if it has.
    cache_stale_since: Option<DateTime<Utc>>,
}

/// The pairs under one home folder.
pub struct Library {
    home: PathBuf,
    device: Device,
    mode: Mode,
    open: HashMap<String, OpenPair>,
    _lock: Option<File>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("home", &self.home)
            .field("mode", &self.mode)
            .finish()
    }
}

/// Pair ids are ULIDs; anything else (a path, `..`) never reaches the file system.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

fn age_ms(since: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    // A clock that jumped backwards counts as "due": flushing early is always safe.
    let ms = (now - since).num_milliseconds();
    if ms < 0 { i64::MAX } else { ms }
}

impl Library {
    /// Opens (creating if needed) the library in `home`.
    pub fn open(home: &Path, mode: Mode) -> Result<Library, StoreError> {
        let lock = match mode {
            Mode::ReadWrite => {
                fs::create_dir_all(home.join("pairs")).map_err(StoreError::io("create", home))?;
                let path = home.join(".lock");
                let file = File::create(&path).map_err(StoreError::io("create", &path))?;
                match file.try_lock() {
                    Ok(()) => Some(file),
                    Err(fs::TryLockError::WouldBlock) => {
                        return Err(StoreError::Busy(home.to_path_buf()));
                    }
                    Err(fs::TryLockError::Error(e)) => {
                        return Err(StoreError::io("lock", &path)(e));
                    }
                }
            }
            Mode::ReadOnly => None,
        };
        let device = Device::load_or_create(home, mode == Mode::ReadWrite)?;
        Ok(Library {
            home: home.to_path_buf(),
            device,
            mode,
            open: HashMap::new(),
            _lock: lock,
        })
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    fn pairs_dir(&self) -> PathBuf {
        self.home.join("pairs")
    }

    fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError::ReadOnly),
        }
    }

    /// Ids of every pair on disk, sorted.
    pub fn pair_ids(&self) -> Result<Vec<String>, StoreError> {
        let dir = self.pairs_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("list", &dir)(e)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("snapshot.bin").exists())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Finds a pair by id, unique id prefix, or title (exact or unique part, any case).
    pub fn resolve(&mut self, query: &str) -> Result<String, StoreError> {
        let q = query.trim();
        let ids = self.pair_ids()?;
        if ids.iter().any(|id| id == q) {
            return Ok(q.to_string());
        }
        let by_prefix: Vec<&String> = ids
            .iter()
            .filter(|id| id.starts_with(&q.to_uppercase()))
            .collect();
        if q.len() >= 4 && by_prefix.len() == 1 {
            return Ok(by_prefix[0].clone());
        }
        let lower = q.to_lowercase();
        let mut exact = Vec::new();
        let mut partial = Vec::new();
        for id in &ids {
            let Ok(view) = self.view(id) else { continue };
            let title = view.title.to_lowercase();
            if title == lower {
                exact.push((id.clone(), view.title.clone()));
            } else if !lower.is_empty() && title.contains(&lower) {
                partial.push((id.clone(), view.title.clone()));
            }
        }
        let found = if exact.is_empty() { partial } else { exact };
        match found.as_slice() {
            [(id, _)] => Ok(id.clone()),
            [] => Err(StoreError::NotFound(q.to_string())),
            many => Err(StoreError::Ambiguous {
                query: q.to_string(),
                matches: many.iter().map(|(id, t)| format!("{t} = {id}")).collect(),
            }),
        }
    }

    fn load(&mut self, id: &str) -> Result<&mut OpenPair, StoreError> {
        if !self.open.contains_key(id) {
            if !valid_id(id) {
                return Err(StoreError::NotFound(id.to_string()));
            }
            let mut store = PairStore::new(self.pairs_dir().join(id));
            let mut doc = store.load(self.mode == Mode::ReadWrite)?;
            doc.set_actor(self.device.actor_id());
            ops::check_version(&doc)?;
            self.open.insert(
                id.to_string(),
                OpenPair {
                    doc,
                    store,
                    pending: 0,
                    pending_since: None,
                    view: None,
                    cache_stale_since: None,
                },
            );
        }
        self.open
            .get_mut(id)
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// The pair's view. Served from the on-disk cache when the pair is not loaded and the cache
    /// matches the files, so opening a pair does not wait for the CRDT.
    pub fn view(&mut self, id: &str) -> Result<PairView, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        if !self.open.contains_key(id)
            && let Some(view) = PairStore::new(self.pairs_dir().join(id)).read_view()
        {
            return Ok(view);
        }
        let writable = self.mode == Mode::ReadWrite;
        let pair = self.load(id)?;
        if pair.view.is_none() {
            let view = ops::view_of(&pair.doc)?;
            // Loaded because the cache was missing or stale: refresh it for next time.
            if writable && pair.pending == 0 {
                pair.store.write_view(&pair.doc.get_heads(), &view)?;
            }
            pair.view = Some(view);
        }
        pair.view
            .clone()
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// Loads the pair's CRDT now (e.g. in the background after its cached view was shown), so the
    /// first edit does not wait for it.
    pub fn preload(&mut self, id: &str) -> Result<(), StoreError> {
        if !valid_id(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        self.load(id).map(|_| ())
    }

    /// The pair's whole document as one Automerge save (with unflushed edits), e.g. to hand to
    /// another tool.
    pub fn save(&mut self, id: &str) -> Result<Vec<u8>, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        Ok(self.load(id)?.doc.save())
    }

    /// Every pair's library row; a pair that cannot be read is reported, not fatal.
    pub fn list(&mut self, today: NaiveDate) -> Result<LibraryView, StoreError> {
        let mut out = LibraryView::default();
        for id in self.pair_ids()? {
            match self.view(&id) {
                Ok(mut v) => {
                    v.refresh(today);
                    out.pairs.push(v.summary());
                }
                Err(e) => out.problems.push(PairProblem {
                    id,
                    message: e.to_string(),
                }),
            }
        }
        // Most recently active first; never-met pairs by title.
        out.pairs.sort_by(|a, b| {
            b.last_session
                .cmp(&a.last_session)
                .then_with(|| a.title.cmp(&b.title))
        });
        Ok(out)
    }

    /// Commits what is pending in `id` and makes it durable; refreshes the view cache unless the
    /// commit only carried keystrokes (then the cache is marked stale and rewritten later).
    fn commit(
        &mut self,
        id: &str,
        message: &str,
        now: DateTime<Utc>,
        keystrokes: bool,
    ) -> Result<(), StoreError> {
        let pair = self.load(id)?;
        let options = CommitOptions::default()
            .with_message(message)
            .with_time(now.timestamp());
        // Reading heads or changes closes Automerge's open transaction by itself: keystrokes may
        // already be committed (without our message), yet still need persisting.
        if pair.doc.commit_with(options).is_none() && pair.pending == 0 {
            return Ok(());
        }
        pair.pending = 0;
        pair.pending_since = None;
        pair.store.persist(&mut pair.doc)?;
        if keystrokes {
            pair.cache_stale_since.get_or_insert(now);
            Ok(())
        } else {
            Self::refresh_cache(pair)
        }
    }

    fn refresh_cache(pair: &mut OpenPair) -> Result<(), StoreError> {
        let view = match pair.view.take() {
            Some(v) => v,
            None => ops::view_of(&pair.doc)?,
        };
        pair.store.write_view(&pair.doc.get_heads(), &view)?;
        pair.view = Some(view);
        pair.cache_stale_since = None;
        Ok(())
    }

    /// Applies one discrete edit to a pair and commits it durably before returning, with the
    /// edit's own words as the change message (the pair's history reads as what people did).
    /// Returns what the edit created, if anything, and the pair's view.
    pub fn apply(
        &mut self,
        id: &str,
        edit: &Edit,
        now: DateTime<Utc>,
    ) -> Result<(Applied, PairView), StoreError> {
        self.writable()?;
        // Keystrokes typed before this action go into their own change first.
        self.commit(id, "Edit notes", now, true)?;
        let ctx = Ctx {
            now,
            new_id: ulid::Ulid::new().to_string(),
        };
        let pair = self.load(id)?;
        let applied = match ops::apply(&mut pair.doc, edit, &ctx) {
            Ok(a) => a,
            Err(e) => {
                // Operations validate before writing, but never leave a half-applied action behind.
                pair.doc.rollback();
                return Err(e.into());
            }
        };
        pair.view = None;
        self.commit(id, &applied.message, now, false)?;
        Ok((applied, self.view(id)?))
    }

    /// Creates a pair, with this device acting as the person who created it.
    pub fn create_pair(
        &mut self,
        input: &NewPair,
        now: DateTime<Utc>,
    ) -> Result<PairView, StoreError> {
        self.writable()?;
        let ids = PairIds {
            pair: ulid::Ulid::new().to_string(),
            me: ulid::Ulid::new().to_string(),
            partner: ulid::Ulid::new().to_string(),
        };
        let mut doc = tandem_core::new_document().with_actor(self.device.actor_id());
        ops::create_pair(&mut doc, &ids, input, now)?;
        doc.commit_with(
            CommitOptions::default()
                .with_message("Create pair")
                .with_time(now.timestamp()),
        );
        self.import(doc)
    }

    /// Stores a whole pair document made elsewhere (a generator, later an invite) as a new pair of
    /// this library, with this device's actor for any later edits.
    pub fn import(&mut self, mut doc: AutoCommit) -> Result<PairView, StoreError> {
        self.writable()?;
        doc.commit();
        let id = ops::pair_id(&doc)?;
        if !valid_id(&id) {
            return Err(StoreError::Damaged {
                path: self.pairs_dir(),
                reason: format!("the pair id “{id}” is not valid"),
            });
        }
        doc.set_actor(self.device.actor_id());
        let mut store = PairStore::new(self.pairs_dir().join(&id));
        store.create(&mut doc)?;
        let view = ops::view_of(&doc)?;
        store.write_view(&doc.get_heads(), &view)?;
        self.open.remove(&id);
        Ok(view)
    }

    /// Logs a session; it is on disk when this returns. Returns the new session's id and the
    /// pair's view.
    pub fn log_session(
        &mut self,
        id: &str,
        input: &NewSession,
        now: DateTime<Utc>,
    ) -> Result<(String, PairView), StoreError> {
        let (applied, view) = self.apply(id, &Edit::LogSession(input.clone()), now)?;
        Ok((applied.created.unwrap_or_default(), view))
    }

    /// Applies one keystroke-sized edit to a session's text in memory; it becomes durable with the
    /// next batch (see the module docs). Never touches the disk.
    pub fn splice_text(
        &mut self,
        id: &str,
        edit: &TextSplice,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let pair = self.load(id)?;
        ops::splice_text(&mut pair.doc, edit)?;
        pair.view = None;
        pair.pending += 1;
        pair.pending_since.get_or_insert(now);
        Ok(())
    }

    /// Commits batches that are due and rewrites view caches that have been stale for a while.
    /// Call about every 100 ms–1 s.
    pub fn flush_due(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.flush(now, BATCH_AGE_MS, VIEW_AGE_MS)
    }

    /// Commits everything pending and brings every view cache up to date (on close).
    pub fn flush_all(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.flush(now, 0, 0)
    }

    /// Commits batches at least `batch_age` ms old and rewrites caches stale for `view_age` ms.
    fn flush(
        &mut self,
        now: DateTime<Utc>,
        batch_age: i64,
        view_age: i64,
    ) -> Result<(), StoreError> {
        if self.mode == Mode::ReadOnly {
            return Ok(());
        }
        let ids: Vec<String> = self.open.keys().cloned().collect();
        for id in ids {
            let due =
                |since: Option<DateTime<Utc>>, age| since.is_some_and(|t| age_ms(t, now) >= age);
            if self
                .open
                .get(&id)
                .is_some_and(|p| p.pending >= BATCH_EDITS || due(p.pending_since, batch_age))
            {
                self.commit(&id, "Edit notes", now, true)?;
            }
            if let Some(pair) = self.open.get_mut(&id)
                && due(pair.cache_stale_since, view_age)
            {
                Self::refresh_cache(pair)?;
            }
        }
        Ok(())
    }

    /// Keystrokes applied but not yet durable, per pair (for tests and the status line).
    pub fn pending_edits(&self, id: &str) -> usize {
        self.open.get(id).map_or(0, |p| p.pending)
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        if let Err(e) = self.flush_all(Utc::now()) {
            tracing::error!(error = %e, "could not save the last edits on close");
        }
    }
}

mod journal;
mod peer;
mod share;
#[cfg(test)]
mod tests;

pub use journal::render;
pub use peer::Received;
pub use share::{
    COMPACT_FILES, FileProblem, PairExchange, PairShare, Progress, ShareReport, pair_folder,
};
