//! One document on disk, of any kind: a framed snapshot, a framed append-only change log, and the
//! view cache.
//!
//! Every committed batch is appended to `changes.log` and fsynced before the call returns, so a
//! kill after that loses nothing. A torn tail (the process died mid-append) fails its checksum and
//! is cut off at the next open. When the log grows past a threshold it is folded into a new
//! snapshot (temp file, fsync, rename) and then emptied; a crash between the two leaves changes
//! that are in both, which Automerge applies once.

use std::fs;
use std::path::{Path, PathBuf};

use automerge::{AutoCommit, ChangeHash, LoadOptions};
use serde::Serialize;
use serde_json::value::RawValue;
use tandem_core::{DocView, Kind};

use crate::StoreError;
use crate::frame;
use crate::fsutil::{AppendError, append_durable, create_dir_durable, truncate, write_atomic};

/// Fold the log into a snapshot after this many batches…
pub const COMPACT_RECORDS: usize = 256;
/// …or this many bytes.
pub const COMPACT_BYTES: u64 = 4 * 1024 * 1024;

/// The view cache as stored: the view (the kind's own JSON, so a cache written before kinds
/// existed still reads) and the exact files it was derived from.
#[derive(Debug, Serialize)]
struct CachedView {
    format: u32,
    heads: Vec<String>,
    snapshot_len: u64,
    log_len: u64,
    view: Box<RawValue>,
}

/// Reads a [`CachedView`] in one pass, the view as the kind's own (the kind is the seed that
/// knows which view type to build).
struct CacheReader(Kind);

/// What [`CacheReader`] read: the format and sizes the cache was made from, and the view.
struct Cached {
    format: u32,
    snapshot_len: u64,
    log_len: u64,
    view: DocView,
}

impl<'de> serde::de::DeserializeSeed<'de> for CacheReader {
    type Value = Cached;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cached, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CacheReader {
    type Value = Cached;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a view cache")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Cached, A::Error> {
        let (mut format, mut snapshot_len, mut log_len, mut view) = (None, None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "format" => format = Some(map.next_value()?),
                "snapshot_len" => snapshot_len = Some(map.next_value()?),
                "log_len" => log_len = Some(map.next_value()?),
                "view" => view = Some(map.next_value_seed(self.0)?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let missing = |f: &'static str| serde::de::Error::missing_field(f);
        Ok(Cached {
            format: format.ok_or_else(|| missing("format"))?,
            snapshot_len: snapshot_len.ok_or_else(|| missing("snapshot_len"))?,
            log_len: log_len.ok_or_else(|| missing("log_len"))?,
            view: view.ok_or_else(|| missing("view"))?,
        })
    }
}

const VIEW_FORMAT: u32 = 1;

/// A kind's card as stored (`card.json`), with the files it was made from, like the view.
#[derive(Debug, Serialize, serde::Deserialize)]
struct CachedCard<T> {
    format: u32,
    snapshot_len: u64,
    log_len: u64,
    card: T,
}

#[derive(Debug)]
pub struct DocStore {
    dir: PathBuf,
    log_records: usize,
    log_len: u64,
    /// Heads of what is on disk. `AutoCommit::load` starts with an empty save cursor, so
    /// `save_incremental()` right after a load would write the whole document again; we save
    /// what came after these heads instead.
    saved: Vec<ChangeHash>,
    /// An append failed part-way and could not be cut back: the log may end in a torn record,
    /// after which nothing appended would be read. Until a snapshot replaces it, batches go into
    /// snapshots instead.
    torn: bool,
    /// Something new reached the disk since [`DocStore::take_written`] was last asked.
    written: bool,
    /// The same, for [`DocStore::take_unshared`]: the folder exchange's own flag.
    unshared: bool,
    /// Told of every batch that reaches the disk (live peer sessions wait on it).
    changes: Option<tokio::sync::watch::Sender<()>>,
}

fn len_of(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

impl DocStore {
    pub fn new(dir: PathBuf) -> DocStore {
        DocStore {
            dir,
            log_records: 0,
            log_len: 0,
            saved: Vec::new(),
            torn: false,
            written: false,
            unshared: false,
            changes: None,
        }
    }

    /// Tells `changes` of every batch written from now on.
    pub fn notify(&mut self, changes: tokio::sync::watch::Sender<()>) {
        self.changes = Some(changes);
    }

    /// Something new reached the disk.
    fn wrote(&mut self) {
        self.written = true;
        self.unshared = true;
        if let Some(c) = &self.changes {
            c.send_replace(());
        }
    }

    /// Whether something new reached the disk since the last call (for the search index).
    pub fn take_written(&mut self) -> bool {
        std::mem::take(&mut self.written)
    }

    /// Something new reached the disk since this was last asked: what the shared folder may lack.
    pub fn take_unshared(&mut self) -> bool {
        std::mem::take(&mut self.unshared)
    }

    fn snapshot_path(&self) -> PathBuf {
        self.dir.join("snapshot.bin")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("changes.log")
    }

    fn view_path(&self) -> PathBuf {
        self.dir.join("view.json")
    }

    fn card_path(&self) -> PathBuf {
        self.dir.join("card.json")
    }

    /// Writes a brand-new document: its first snapshot and an empty log.
    pub fn create(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        create_dir_durable(&self.dir)?;
        self.write_snapshot(doc)?;
        if self.torn {
            // A new document must start with a readable log.
            return Err(StoreError::Damaged {
                path: self.log_path(),
                reason: "its change log could not be started".into(),
            });
        }
        Ok(())
    }

    /// Writes the whole document as the new snapshot, then empties the log (whose batches the
    /// snapshot holds). If the snapshot cannot be written, nothing on disk changed.
    fn write_snapshot(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        let mut framed = Vec::new();
        frame::encode(&doc.save(), &mut framed).map_err(|reason| StoreError::Damaged {
            path: self.snapshot_path(),
            reason,
        })?;
        write_atomic(&self.snapshot_path(), &framed)?;
        self.saved = doc.get_heads();
        self.wrote();
        // Emptying the log is housekeeping now: if it fails, its batches are applied twice
        // (harmlessly) and appends go on after them, unless it may be torn.
        match write_atomic(&self.log_path(), &[]) {
            Ok(()) => {
                self.log_records = 0;
                self.log_len = 0;
                self.torn = false;
            }
            Err(e) => tracing::warn!(error = %e, "could not empty the change log after a snapshot"),
        }
        Ok(())
    }

    /// Loads the document: the snapshot, then every intact batch of the log. With `repair`, a torn
    /// tail is cut off so later appends are readable.
    pub fn load(&mut self, repair: bool) -> Result<AutoCommit, StoreError> {
        let snap_path = self.snapshot_path();
        let snap = fs::read(&snap_path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound(self.id()),
            _ => StoreError::io("read", &snap_path)(e),
        })?;
        let decoded = frame::decode(&snap);
        let [payload] = decoded.records.as_slice() else {
            return Err(StoreError::Damaged {
                path: snap_path,
                reason: decoded
                    .stopped
                    .unwrap_or_else(|| "no snapshot record".into()),
            });
        };
        let options = LoadOptions::new().text_encoding(tandem_core::text_encoding());
        let mut doc =
            AutoCommit::load_with_options(payload, options).map_err(|e| StoreError::Damaged {
                path: snap_path.clone(),
                reason: e.to_string(),
            })?;

        let log_path = self.log_path();
        let log = match fs::read(&log_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(StoreError::io("read", &log_path)(e)),
        };
        let decoded = frame::decode(&log);
        for record in &decoded.records {
            doc.load_incremental(record)
                .map_err(|e| StoreError::Damaged {
                    path: log_path.clone(),
                    reason: e.to_string(),
                })?;
        }
        if let Some(why) = &decoded.stopped {
            tracing::warn!(path = %log_path.display(), %why, "dropping the torn tail of the change log");
            if repair {
                truncate(&log_path, decoded.valid_len as u64)?;
            }
        }
        self.log_records = decoded.records.len();
        self.log_len = decoded.valid_len as u64;
        self.saved = doc.get_heads();
        Ok(doc)
    }

    /// Saves the batches committed since the last save: appended to the log and on disk before
    /// this returns. Folds the log into a new snapshot when it has grown large (or may be torn).
    /// When this fails (a full disk), nothing is half-written and the batches are still unsaved:
    /// the next call writes them.
    pub fn persist(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        let batch = doc.save_after(&self.saved);
        if batch.is_empty() {
            return Ok(());
        }
        if self.torn || self.log_records + 1 >= COMPACT_RECORDS || self.log_len >= COMPACT_BYTES {
            return self.write_snapshot(doc);
        }
        let mut framed = Vec::with_capacity(batch.len() + 12);
        frame::encode(&batch, &mut framed).map_err(|reason| StoreError::Damaged {
            path: self.log_path(),
            reason,
        })?;
        match append_durable(&self.log_path(), self.log_len, &framed) {
            Ok(()) => {}
            Err(AppendError::Failed(e)) => return Err(e),
            Err(AppendError::Torn(e)) => {
                self.torn = true;
                return Err(e);
            }
        }
        self.log_records += 1;
        self.log_len += framed.len() as u64;
        self.saved = doc.get_heads();
        self.wrote();
        Ok(())
    }

    fn id(&self) -> String {
        self.dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string()
    }

    /// Which state of its files the document is in: changes with every persisted batch (the log
    /// only grows, and a new snapshot is a new file). What the search index compares with.
    pub fn fingerprint(&self) -> String {
        let of = |p: &Path| {
            fs::symlink_metadata(p).map_or((0, 0), |m| {
                let at = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                (m.len(), at)
            })
        };
        let (sl, st) = of(&self.snapshot_path());
        let (ll, lt) = of(&self.log_path());
        format!("{sl}.{st}.{ll}.{lt}")
    }

    /// Writes the view cache for the document as it is on disk now: the view, and the kind's
    /// card (what a listing shows) when it has one. Each records the files it was made from, so a
    /// crash between the two leaves one stale, never wrong.
    pub fn write_view(&self, heads: &[ChangeHash], view: &DocView) -> Result<(), StoreError> {
        let json = view.to_json();
        let json = std::str::from_utf8(&json)
            .ok()
            .and_then(|v| RawValue::from_string(v.to_string()).ok())
            .ok_or_else(|| StoreError::Damaged {
                path: self.view_path(),
                reason: "the view to cache is not JSON".into(),
            })?;
        let cached = CachedView {
            format: VIEW_FORMAT,
            heads: heads.iter().map(ToString::to_string).collect(),
            snapshot_len: len_of(&self.snapshot_path()),
            log_len: len_of(&self.log_path()),
            view: json,
        };
        write_atomic(
            &self.view_path(),
            &serde_json::to_vec(&cached).unwrap_or_default(),
        )?;
        match view.card() {
            Some(card) => self.write_card(&card),
            None => Ok(()),
        }
    }

    /// Writes the kind's card (see [`DocStore::write_view`]) for the files on disk now.
    pub fn write_card(&self, card: &impl Serialize) -> Result<(), StoreError> {
        let cached = CachedCard {
            format: VIEW_FORMAT,
            snapshot_len: len_of(&self.snapshot_path()),
            log_len: len_of(&self.log_path()),
            card,
        };
        write_atomic(
            &self.card_path(),
            &serde_json::to_vec(&cached).unwrap_or_default(),
        )
    }

    /// The kind's card of this document (see [`DocStore::write_view`]), if it was made from
    /// exactly the files on disk now.
    pub fn read_card<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let bytes = fs::read(self.card_path()).ok()?;
        let cached: CachedCard<T> = serde_json::from_slice(&bytes).ok()?;
        let fresh = cached.format == VIEW_FORMAT
            && cached.snapshot_len == len_of(&self.snapshot_path())
            && cached.log_len == len_of(&self.log_path());
        fresh.then_some(cached.card)
    }

    /// The cached view of this document (of kind `kind`), if it was made from exactly the files
    /// on disk now.
    pub fn read_view(&self, kind: Kind) -> Option<DocView> {
        use serde::de::DeserializeSeed as _;
        let bytes = fs::read(self.view_path()).ok()?;
        let cached = CacheReader(kind)
            .deserialize(&mut serde_json::Deserializer::from_slice(&bytes))
            .ok()?;
        let fresh = cached.format == VIEW_FORMAT
            && cached.snapshot_len == len_of(&self.snapshot_path())
            && cached.log_len == len_of(&self.log_path());
        fresh.then_some(cached.view)
    }
}
