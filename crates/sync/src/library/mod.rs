//! The library: every document under one home folder (pairs, private notes, and each kind to
//! come), opened on demand, with edits batched into Automerge changes the way a person types.
//! Nothing here knows what a kind's document holds: tandem-core's [`Kind`] and [`Document`] say
//! how to check it, derive its view and apply its edits.
//!
//! Batching policy: a discrete action (a new pair, a logged session, a goal) is committed and made
//! durable before the call returns. Keystrokes (text splices) go into the in-memory document at
//! once and are committed together every [`BATCH_EDITS`] edits or [`BATCH_AGE_MS`] after the first
//! pending one (the app calls [`Library::flush_due`] on a timer) and on close. Committing per
//! keystroke makes a five-year pair load 4.5× slower and 4.3× larger (measured; see
//! ARCHITECTURE.md).

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use automerge::AutoCommit;
use automerge::transaction::CommitOptions;
use chrono::{DateTime, Utc};
use tandem_core::{Applied, Ctx, DocView, Document, Kind};

use crate::StoreError;
pub use crate::doc_id::DocId;
use crate::home::Device;
use crate::store::DocStore;

mod keycheck;
mod pairs;
mod peer;
mod share;
#[cfg(test)]
mod tests;

pub use pairs::render;
pub use peer::Received;
pub use share::{
    COMPACT_FILES, Exchange, FileProblem, KeyTaken, MAX_FILE, MAX_FILES, PairExchange, PairShare,
    Progress, SHARE_ROOT, ShareReport, device_folder, open_share_file, pair_folder,
};

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

struct OpenDoc {
    doc: AutoCommit,
    store: DocStore,
    /// Keystrokes applied but not yet committed.
    pending: usize,
    pending_since: Option<DateTime<Utc>>,
    /// The view derived from the document, while no edit has touched it since.
    view: Option<DocView>,
    /// When the on-disk view cache fell behind the log, if it has.
    cache_stale_since: Option<DateTime<Utc>>,
    /// Committed in memory but not yet on disk (the last persist failed).
    unsaved: bool,
}

impl OpenDoc {
    /// A document just loaded or stored: nothing pending, its view as given (if known).
    fn new(doc: AutoCommit, store: DocStore, view: Option<DocView>) -> OpenDoc {
        OpenDoc {
            doc,
            store,
            pending: 0,
            pending_since: None,
            view,
            cache_stale_since: None,
            unsaved: false,
        }
    }

    /// Changes from elsewhere (a folder, a peer) were applied since `before`: a partner's typing
    /// patches the cached view (its texts read again), anything else leaves it to be derived
    /// again when someone asks.
    fn received(&mut self, kind: Kind, before: &[automerge::ChangeHash]) {
        let patched = self
            .view
            .as_mut()
            .is_some_and(|v| kind.patch_view(&mut self.doc, before, v));
        if !patched {
            self.view = None;
        }
    }
}

/// The documents under one home folder.
pub struct Library {
    home: PathBuf,
    device: Device,
    mode: Mode,
    open: HashMap<DocId, OpenDoc>,
    /// What each document's last exchanges found in its shared folder (kept between exchanges).
    caches: HashMap<DocId, share::ReadCache>,
    /// Documents created (or replaced whole) since [`Library::take_written`] was last asked.
    created: std::collections::HashSet<DocId>,
    /// Per document, told of every change made or received here (see [`Library::watch_changes`]).
    changes: HashMap<DocId, tokio::sync::watch::Sender<()>>,
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

/// Ids are ULIDs; anything else (a path, `..`) never reaches the file system.
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
                crate::fsutil::create_dir_durable(&home.join(Kind::Pair.folder()))?;
                // The library is this person's alone, whatever the umask made of its folder.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    fs::set_permissions(home, fs::Permissions::from_mode(0o700))
                        .map_err(StoreError::io("protect", home))?;
                }
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
            caches: HashMap::new(),
            created: std::collections::HashSet::new(),
            changes: HashMap::new(),
            _lock: lock,
        })
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The folder a document lives in.
    fn dir(&self, d: &DocId) -> PathBuf {
        self.home.join(d.kind.folder()).join(&d.id)
    }

    fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError::ReadOnly),
        }
    }

    /// Refuses to send or take in a document of a kind that never leaves this device.
    fn synced(d: &DocId) -> Result<(), StoreError> {
        if d.kind.synced() {
            Ok(())
        } else {
            Err(StoreError::LocalOnly(d.kind))
        }
    }

    /// Whether the document is on disk.
    pub fn exists(&self, d: &DocId) -> bool {
        valid_id(&d.id) && self.dir(d).join("snapshot.bin").is_file()
    }

    /// Ids of every document of `kind` on disk, sorted.
    pub fn ids(&self, kind: Kind) -> Result<Vec<String>, StoreError> {
        let dir = self.home.join(kind.folder());
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("list", &dir)(e)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("snapshot.bin").exists())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|id| valid_id(id))
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// A document of a kind that belongs to another (private notes to a pair) exists only beside
    /// it; anything else is not found.
    fn check_owner(&self, d: &DocId) -> Result<(), StoreError> {
        if !valid_id(&d.id) {
            return Err(StoreError::NotFound(d.id.clone()));
        }
        match d.kind.belongs_to() {
            Some(owner) if !self.exists(&DocId::new(owner, d.id.clone())) => {
                Err(StoreError::NotFound(d.id.clone()))
            }
            _ => Ok(()),
        }
    }

    fn load(&mut self, d: &DocId) -> Result<&mut OpenDoc, StoreError> {
        if !self.open.contains_key(d) {
            self.check_owner(d)?;
            let mut store = DocStore::new(self.dir(d));
            store.notify(self.changes_of(d));
            let mut doc = store.load(self.mode == Mode::ReadWrite)?;
            doc.set_actor(self.device.actor_id());
            // A newer schema's document opens (read-only); one without the kind's mark does not.
            d.kind.opens(&doc)?;
            self.open.insert(d.clone(), OpenDoc::new(doc, store, None));
        }
        self.open
            .get_mut(d)
            .ok_or_else(|| StoreError::NotFound(d.id.clone()))
    }

    /// The document's view. Served from the on-disk cache when the document is not loaded and the
    /// cache matches the files, so opening a pair does not wait for the CRDT. A document a device
    /// makes by itself on first use (private notes) that does not exist yet has the empty view.
    pub fn view_of(&mut self, d: &DocId) -> Result<DocView, StoreError> {
        self.check_owner(d)?;
        if !self.open.contains_key(d) {
            if let Some(view) = DocStore::new(self.dir(d)).read_view(d.kind) {
                return Ok(view);
            }
            if d.kind.belongs_to().is_some() && !self.exists(d) {
                return Ok(d.kind.view(&tandem_core::new_document())?);
            }
        }
        let writable = self.mode == Mode::ReadWrite;
        let kind = d.kind;
        let open = self.load(d)?;
        if open.view.is_none() {
            let view = kind.view(&open.doc)?;
            // Loaded because the cache was missing or stale: refresh it for next time. Only a
            // speed-up: failing to write it (a full disk) costs nothing.
            if writable
                && open.pending == 0
                && let Err(e) = open.store.write_view(&open.doc.get_heads(), &view)
            {
                tracing::warn!(error = %e, "could not refresh the view cache");
            }
            open.view = Some(view);
        }
        open.view
            .clone()
            .ok_or_else(|| StoreError::NotFound(d.id.clone()))
    }

    /// The view of document `id` of kind `D`.
    pub fn view<D: Document>(&mut self, id: &str) -> Result<D::View, StoreError> {
        let view = self.view_of(&DocId::new(D::KIND, id))?;
        D::into_view(view).ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// Loads the document's CRDT now (e.g. in the background after its cached view was shown), so
    /// the first edit does not wait for it.
    pub fn preload(&mut self, d: &DocId) -> Result<(), StoreError> {
        self.load(d).map(|_| ())
    }

    /// The document as one Automerge save (with unflushed edits), e.g. to hand to another tool.
    pub fn save(&mut self, d: &DocId) -> Result<Vec<u8>, StoreError> {
        Ok(self.load(d)?.doc.save())
    }

    /// Commits what is pending in `d` and makes it durable; refreshes the view cache unless the
    /// commit only carried keystrokes (then the cache is marked stale and rewritten later).
    fn commit(
        &mut self,
        d: &DocId,
        message: &str,
        now: DateTime<Utc>,
        keystrokes: bool,
    ) -> Result<(), StoreError> {
        let kind = d.kind;
        let open = self.load(d)?;
        let options = CommitOptions::default()
            .with_message(message)
            .with_time(now.timestamp());
        // Reading heads or changes closes Automerge's open transaction by itself: keystrokes may
        // already be committed (without our message), yet still need persisting.
        if open.doc.commit_with(options).is_none() && open.pending == 0 && !open.unsaved {
            return Ok(());
        }
        // Counted as saved only once it is on disk: if this fails (a full disk), the batch stays
        // pending and the next flush writes it.
        if let Err(e) = open.store.persist(&mut open.doc) {
            open.unsaved = true;
            open.pending_since.get_or_insert(now);
            return Err(e);
        }
        open.unsaved = false;
        open.pending = 0;
        open.pending_since = None;
        // The view cache only speeds up the next open: failing to write it (a full disk) leaves
        // it stale, to be rewritten later, and costs nothing saved.
        if keystrokes || Self::refresh_cache(kind, open).is_err() {
            open.cache_stale_since.get_or_insert(now);
        }
        Ok(())
    }

    /// Forgets the in-memory copy of `d`, to be loaded again from disk: changes from elsewhere
    /// applied since its last persist (and refused) are dropped with it. Only when nothing of
    /// this device's own is unsaved.
    fn roll_back(&mut self, d: &DocId) {
        if self
            .open
            .get(d)
            .is_some_and(|o| o.pending == 0 && !o.unsaved)
        {
            self.open.remove(d);
        }
    }

    /// Whether `d` holds this device's own edits not yet on disk (changes from elsewhere then
    /// wait: refusing a bad one means going back to what is on disk).
    fn holds_unsaved(&self, d: &DocId) -> bool {
        self.open.get(d).is_some_and(|o| o.pending > 0 || o.unsaved)
    }

    /// Commits typing not yet committed in `d`, as its own batch (before an exchange reads the
    /// document, or an action is applied on top).
    fn commit_typing(&mut self, d: &DocId, now: DateTime<Utc>) -> Result<(), StoreError> {
        // Nothing typed since the last commit: nothing to do. (Asking Automerge to commit anyway
        // opens and closes a transaction, ~0.4 ms on a five-year pair, twice per peer round.)
        if self.mode == Mode::ReadOnly || !self.holds_unsaved(d) {
            return Ok(());
        }
        self.commit(d, "Edit notes", now, true)
    }

    fn refresh_cache(kind: Kind, open: &mut OpenDoc) -> Result<(), StoreError> {
        if open.view.is_none() {
            open.view = Some(kind.view(&open.doc)?);
        }
        if let Some(view) = &open.view {
            open.store.write_view(&open.doc.get_heads(), view)?;
        }
        open.cache_stale_since = None;
        Ok(())
    }

    /// Applies one discrete edit to document `id` of kind `D` and commits it durably before
    /// returning, with the edit's own words as the change message (the history reads as what
    /// people did). Returns what the edit created, if anything, and the document's view. A kind a
    /// device makes by itself (private notes) is created by its first edit.
    pub fn apply<D: Document>(
        &mut self,
        id: &str,
        edit: &D::Edit,
        now: DateTime<Utc>,
    ) -> Result<(Applied, D::View), StoreError> {
        self.writable()?;
        let d = DocId::new(D::KIND, id);
        self.check_owner(&d)?;
        if D::KIND.belongs_to().is_some() && !self.exists(&d) {
            let mut doc = tandem_core::new_document().with_actor(self.device.actor_id());
            D::init(&mut doc)?;
            doc.commit_with(
                CommitOptions::default()
                    .with_message("Start")
                    .with_time(now.timestamp()),
            );
            self.create(&d, doc)?;
        }
        // Keystrokes typed before this action go into their own change first.
        self.commit_typing(&d, now)?;
        let ctx = Ctx {
            now,
            new_id: ulid::Ulid::new().to_string(),
        };
        let open = self.load(&d)?;
        let applied = match D::apply(&mut open.doc, edit, &ctx) {
            Ok(a) => a,
            Err(e) => {
                // Operations validate before writing, but never leave a half-applied action behind.
                open.doc.rollback();
                return Err(e.into());
            }
        };
        open.view = None;
        if let Err(e) = self.commit(&d, &applied.message, now, false) {
            // Applied in memory, not on disk: kept, and written by the next flush that can.
            return Err(StoreError::Unsaved {
                created: applied.created,
                source: Box::new(e),
            });
        }
        Ok((applied, self.view::<D>(id)?))
    }

    /// Stores a whole document made elsewhere (created here, received from a partner, made by a
    /// generator) as document `d` of this library, with this device's actor for later edits.
    pub fn create(&mut self, d: &DocId, doc: AutoCommit) -> Result<DocView, StoreError> {
        self.store_new(d, doc, false, None)
    }

    /// [`Library::create`], keeping the document loaded (with its view) for what comes next — a
    /// join, whose exchange and first view would otherwise load the document just written again
    /// (for the 5-year pair, ~0.25 s to load and ~0.1 s to derive its view once more). `view`,
    /// when the caller has it, is the document's view (not derived again).
    pub(crate) fn create_open(
        &mut self,
        d: &DocId,
        doc: AutoCommit,
        view: Option<DocView>,
    ) -> Result<DocView, StoreError> {
        self.store_new(d, doc, true, view)
    }

    fn store_new(
        &mut self,
        d: &DocId,
        mut doc: AutoCommit,
        keep_open: bool,
        view: Option<DocView>,
    ) -> Result<DocView, StoreError> {
        self.writable()?;
        if !valid_id(&d.id) {
            return Err(StoreError::Damaged {
                path: self.home.join(d.kind.folder()),
                reason: format!("the id “{}” is not valid", d.id),
            });
        }
        doc.commit();
        d.kind.opens(&doc)?;
        doc.set_actor(self.device.actor_id());
        let mut store = DocStore::new(self.dir(d));
        store.notify(self.changes_of(d));
        store.create(&mut doc)?;
        let view = match view {
            Some(v) => v,
            None => d.kind.view(&doc)?,
        };
        store.write_view(&doc.get_heads(), &view)?;
        self.open.remove(d);
        if keep_open {
            self.open
                .insert(d.clone(), OpenDoc::new(doc, store, Some(view.clone())));
        }
        self.created.insert(d.clone());
        Ok(view)
    }

    /// Applies keystroke-sized edits to a document in memory (`edit`); they become durable with
    /// the next batch (see the module docs). Never touches the disk.
    pub(crate) fn keystroke(
        &mut self,
        d: &DocId,
        now: DateTime<Utc>,
        edit: impl FnOnce(&mut AutoCommit) -> Result<(), tandem_core::OpError>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let open = self.load(d)?;
        edit(&mut open.doc)?;
        open.view = None;
        open.pending += 1;
        open.pending_since.get_or_insert(now);
        // A live peer takes keystrokes as they come (its next message commits them).
        self.changes_of(d).send_replace(());
        Ok(())
    }

    fn changes_of(&mut self, d: &DocId) -> tokio::sync::watch::Sender<()> {
        self.changes
            .entry(d.clone())
            .or_insert_with(|| tokio::sync::watch::Sender::new(()))
            .clone()
    }

    /// Marked changed whenever document `d` changes here: a keystroke, an edit, changes from a
    /// folder or another peer reaching the disk, the document created or replaced. What a live
    /// peer session waits on, so an edit goes to the partner at once, not at the next round.
    pub fn watch_changes(&mut self, d: &DocId) -> tokio::sync::watch::Receiver<()> {
        self.changes_of(d).subscribe()
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
        let docs: Vec<DocId> = self.open.keys().cloned().collect();
        // One document failing to save (a full disk) does not keep the others from trying.
        let mut first_error = None;
        for d in docs {
            let due =
                |since: Option<DateTime<Utc>>, age| since.is_some_and(|t| age_ms(t, now) >= age);
            if self.open.get(&d).is_some_and(|o| {
                o.pending >= BATCH_EDITS || o.unsaved || due(o.pending_since, batch_age)
            }) && let Err(e) = self.commit(&d, "Edit notes", now, true)
            {
                first_error.get_or_insert(e);
            }
            if let Some(open) = self.open.get_mut(&d)
                && due(open.cache_stale_since, view_age)
                && let Err(e) = Self::refresh_cache(d.kind, open)
            {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// The documents with something new on disk since the last call: edits persisted here, changes
    /// received from a folder or a peer, documents created. What the search index takes in.
    pub fn take_written(&mut self) -> Vec<DocId> {
        let mut out: Vec<DocId> = self.created.drain().collect();
        for (d, open) in &mut self.open {
            if open.store.take_written() && !out.contains(d) {
                out.push(d.clone());
            }
        }
        out.sort_by(|a, b| (a.kind.folder(), &a.id).cmp(&(b.kind.folder(), &b.id)));
        out
    }

    /// Whether anything reached the disk since the last call (edits made here, changes from a
    /// peer, documents created): the folder exchange should run soon, not wait for its rescan.
    pub fn take_unshared(&mut self) -> bool {
        let mut any = false;
        for open in self.open.values_mut() {
            any |= open.store.take_unshared();
        }
        any
    }

    /// Which state of its files document `d` is in (see [`DocStore::fingerprint`]).
    pub fn fingerprint(&self, d: &DocId) -> String {
        DocStore::new(self.dir(d)).fingerprint()
    }

    /// Keystrokes applied but not yet durable in a document (for tests and the status line).
    pub fn pending_edits(&self, d: &DocId) -> usize {
        self.open.get(d).map_or(0, |o| o.pending)
    }

    /// Whether any document holds changes that could not be written to disk yet.
    pub fn unsaved(&self) -> bool {
        self.open.values().any(|o| o.unsaved)
    }

    /// Whether [`Library::flush_due`] has anything left to do later: typing not yet committed,
    /// changes not yet written, a view cache not yet rewritten.
    pub fn waiting(&self) -> bool {
        self.open
            .values()
            .any(|o| o.pending > 0 || o.unsaved || o.cache_stale_since.is_some())
    }

    /// The document's timeline, newest first (at most `limit` lines).
    pub fn history(
        &mut self,
        d: &DocId,
        limit: usize,
    ) -> Result<Vec<tandem_core::history::HistoryEntry>, StoreError> {
        // Typing not yet committed shows as the batch it will become.
        self.commit_typing(d, Utc::now())?;
        let open = self.load(d)?;
        let authors = d.kind.authors(&open.doc)?;
        Ok(tandem_core::history::history(
            &mut open.doc,
            &authors,
            limit,
        ))
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        if let Err(e) = self.flush_all(Utc::now()) {
            tracing::error!(error = %e, "could not save the last edits on close");
        }
    }
}
