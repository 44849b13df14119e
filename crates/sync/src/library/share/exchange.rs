//! One exchange of a document with its shared folder, in three steps so that the library is locked
//! only while the document itself is touched:
//!
//! 1. [`Library::exchange_prepare`] (locked, quick): commits pending typing, takes what the share
//!    lacks out of the document (the changes since the last export, or a whole snapshot the first
//!    time and when this device folds its own files into one);
//! 2. [`Exchange::transfer`] (no lock): seals and writes that file, lists the folder, reads and
//!    authenticates every new file (slow on a network mount; never blocks typing);
//! 3. [`Library::exchange_finish`] (locked, quick): applies what authenticated, makes it durable,
//!    and records what is now in the share.
//!
//! [`Library::sync_share`] runs the three at once, for callers that hold the library anyway.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::files::{self, Known, Listed, ReadCache, digest, shown};
use super::{
    COMPACT_FILES, COMPACT_MIN_FILES, FileProblem, Progress, ShareReport, ShareState,
    device_folder, heads_hex, heads_of, pair_folder,
};
use crate::StoreError;
use crate::fsutil::write_shared;
use crate::library::{DocId, Library};
use crate::seal::{self, DocKey, Kind as SealKind};

/// What this device writes into the share in this exchange, before it is sealed.
struct Outgoing {
    name: String,
    kind: SealKind,
    bytes: Vec<u8>,
    /// A snapshot that folds this device's earlier files: they are deleted once it is durable.
    compacts: bool,
}

/// A file that authenticated, waiting to be applied.
struct Incoming {
    file: Listed,
    digest: String,
    payload: Vec<u8>,
}

/// An exchange of one document with its folder, between its steps.
pub struct Exchange {
    d: DocId,
    key: DocKey,
    share: PathBuf,
    folder: PathBuf,
    mine: PathBuf,
    /// Where releases before subkeys wrote this device's files.
    legacy: PathBuf,
    state: ShareState,
    outgoing: Option<Outgoing>,
    /// The document's heads when the exchange was prepared…
    prepared: Vec<String>,
    /// …and they are what the outgoing file brings the share to, when they differ from what it
    /// had.
    exported: Option<Vec<String>>,
    cache: ReadCache,
    report: ShareReport,
    incoming: Vec<Incoming>,
    /// Digests of every file present (to forget applied ones their writers deleted).
    present: BTreeSet<String>,
    /// This device's own change files in the folder, and their sizes (for folding them).
    own_chunks: Vec<u64>,
    /// Why this device's own file could not be written (a full share), if it could not.
    write_error: Option<StoreError>,
}

impl Library {
    /// Step 1 (holding the library): what the share lacks of document `d`. `share` is the folder
    /// it syncs through.
    pub fn exchange_prepare(
        &mut self,
        d: &DocId,
        key: &DocKey,
        share: &Path,
        now: DateTime<Utc>,
    ) -> Result<Exchange, StoreError> {
        self.writable()?;
        Self::synced(d)?;
        // Typing not yet committed goes out as its own batch.
        self.commit_typing(d, now)?;
        let mut state = self.read_share_state(d);
        let folder = pair_folder(share, &d.id, key);
        if state.folder.as_ref() != Some(&folder) {
            state.exported.clear();
            state.applied.clear();
            state.folder = Some(folder.clone());
        }
        let mut cache = self.caches.remove(d).unwrap_or_default();
        // Files in the folder named by the raw device id (releases before subkeys) are folded
        // into a snapshot in the device's own folder, then deleted.
        let compact = std::mem::take(&mut cache.compact_due) || !state.named;
        let open = self.load(d)?;
        let heads = open.doc.get_heads();
        let prepared = heads_hex(&heads);
        let exported = (prepared != state.exported || compact).then(|| prepared.clone());
        let outgoing = if exported.is_some() {
            // The first time, the whole document goes in as a snapshot: compressed, and loaded in
            // one step by a partner's first sync; and once this device's own change files weigh
            // as much as one, a snapshot folds them.
            let snapshot = state.exported.is_empty() || compact;
            let (bytes, kind, ext) = if snapshot {
                (open.doc.save(), SealKind::Snapshot, "tsn")
            } else {
                let after = open.doc.save_after(&heads_of(&state.exported));
                (after, SealKind::Changes, "tch")
            };
            let name = format!(
                "{:016x}-{:08x}.{ext}",
                state.next_seq,
                rand::random::<u32>()
            );
            (!bytes.is_empty()).then_some(Outgoing {
                name,
                kind,
                bytes,
                compacts: compact,
            })
        } else {
            None
        };
        Ok(Exchange {
            d: d.clone(),
            key: key.clone(),
            share: share.to_path_buf(),
            mine: device_folder(&folder, &self.device.id, key),
            legacy: folder.join(&self.device.id),
            folder,
            state,
            outgoing,
            prepared,
            exported,
            cache,
            report: ShareReport::default(),
            incoming: Vec::new(),
            present: BTreeSet::new(),
            own_chunks: Vec::new(),
            write_error: None,
        })
    }

    /// Step 3 (holding the library): applies what authenticated in `ex`, makes it durable, and
    /// records what is now in the share.
    pub fn exchange_finish(&mut self, mut ex: Exchange) -> Result<ShareReport, StoreError> {
        let d = ex.d.clone();
        // Typing since the exchange was prepared goes into its own change, and is not in the
        // share: it must not be counted as exported below.
        self.commit_typing(&d, Utc::now())?;
        if self.holds_unsaved(&d) {
            // This device's own edits are not on disk yet (a full disk): a bad file could not be
            // refused by going back to what is on disk, so what arrived waits for the next round.
            ex.report.problems.push(FileProblem {
                file: shown(&ex.share, &ex.folder),
                reason: "new files wait until this laptop's own edits are saved".into(),
            });
            self.caches.insert(d, ex.cache);
            return Ok(ex.report);
        }
        let before = self.load(&d)?.doc.get_heads();
        let untouched = heads_hex(&before) == ex.prepared;
        let incoming = std::mem::take(&mut ex.incoming);
        let mut applied = self.apply_incoming(&d, &mut ex, &incoming, &before)?;
        if applied.is_none() {
            // Together they would make the document unreadable here: back to what is on disk,
            // then each file on its own, keeping the ones that leave it readable.
            self.roll_back(&d);
            applied = Some(self.apply_one_by_one(&d, &mut ex, &incoming)?);
        }
        let applied = applied.unwrap_or_default();
        let open = self.load(&d)?;
        ex.report.waiting = !open.doc.get_missing_deps(&[]).is_empty();
        // Applied only once nothing waits for a missing change: Automerge keeps waiting changes
        // in memory only, so until then their files are read again.
        if !ex.report.waiting {
            ex.report.applied = applied.len();
            for inc in applied {
                ex.cache.read(&inc.file, &inc.digest);
                ex.state.applied.insert(inc.digest.clone());
            }
        }
        let after = open.doc.get_heads();
        ex.report.changed = after != before;
        if ex.report.changed {
            Self::persist_imported(d.kind, open)?;
        }
        // Everything this device had is in the share now, and so is what it just read.
        if let Some(heads) = ex.exported.take() {
            ex.state.exported = heads;
        }
        if ex.report.changed && untouched && ex.write_error.is_none() {
            ex.state.exported = heads_hex(&after);
        }
        // Forget files that are gone from the share (compacted away by their writers).
        let present = &ex.present;
        ex.state.applied.retain(|digest| present.contains(digest));
        // Fold this device's own change files into one snapshot next time, once they cost as
        // much as one (the local snapshot's size is a cheap estimate of a whole document's).
        let whole = fs::metadata(self.dir(&d).join("snapshot.bin")).map_or(0, |m| m.len());
        let (n, bytes) = (ex.own_chunks.len(), ex.own_chunks.iter().sum::<u64>());
        ex.cache.compact_due = n >= COMPACT_FILES || (n >= COMPACT_MIN_FILES && bytes >= whole);
        self.write_share_state(&d, &ex.state)?;
        self.caches.insert(d, ex.cache);
        // What arrived is applied and durable; this device's own changes did not go out.
        match ex.write_error {
            Some(e) => Err(e),
            None => Ok(ex.report),
        }
    }

    /// Applies `incoming` to `d`; `Ok(None)` when the changes (since `before`) would make it
    /// unreadable here, with a single such file reported and remembered as refused (the caller
    /// rolls back). Otherwise the files applied.
    fn apply_incoming<'a>(
        &mut self,
        d: &DocId,
        ex: &mut Exchange,
        incoming: &'a [Incoming],
        before: &[automerge::ChangeHash],
    ) -> Result<Option<Vec<&'a Incoming>>, StoreError> {
        let open = self.load(d)?;
        let mut applied = Vec::new();
        for inc in incoming {
            match open.doc.load_incremental(&inc.payload) {
                Ok(_) => applied.push(inc),
                Err(e) => {
                    let reason = format!("its contents could not be read ({e})");
                    ex.cache.failed(&inc.file, &reason);
                    ex.report.problems.push(FileProblem {
                        file: shown(&ex.share, &inc.file.path),
                        reason,
                    });
                }
            }
        }
        if let Err(e) = d.kind.check_changes(&mut open.doc, before) {
            if let [one] = incoming {
                let reason = format!(
                    "a change in it would make the {} unreadable here ({e}); it was not applied",
                    d.kind
                );
                ex.cache.failed(&one.file, &reason);
                ex.report.problems.push(FileProblem {
                    file: shown(&ex.share, &one.file.path),
                    reason,
                });
            }
            return Ok(None);
        }
        Ok(Some(applied))
    }

    /// Applies `incoming` file by file (after a batch failed its check), each made durable before
    /// the next is tried, so a roll-back keeps it. A file whose changes wait for another file's
    /// is tried again after the others, for as long as some file goes in: the one that breaks
    /// the document is the one refused, whatever order the files came in.
    fn apply_one_by_one<'a>(
        &mut self,
        d: &DocId,
        ex: &mut Exchange,
        incoming: &'a [Incoming],
    ) -> Result<Vec<&'a Incoming>, StoreError> {
        let mut kept = Vec::new();
        let mut left: Vec<&Incoming> = incoming.iter().collect();
        loop {
            let mut later = Vec::new();
            let before_round = kept.len();
            for inc in left {
                let b = self.load(d)?.doc.get_heads();
                match self.apply_incoming(d, ex, std::slice::from_ref(inc), &b)? {
                    Some(ok) if !self.load(d)?.doc.get_missing_deps(&[]).is_empty() => {
                        // Waiting for changes in a file not applied yet.
                        drop(ok);
                        self.roll_back(d);
                        later.push(inc);
                    }
                    Some(ok) => {
                        let open = self.load(d)?;
                        open.store.persist(&mut open.doc)?;
                        open.received(d.kind, &b);
                        kept.extend(ok);
                    }
                    None => self.roll_back(d),
                }
            }
            left = later;
            if left.is_empty() || kept.len() == before_round {
                break;
            }
        }
        Ok(kept)
    }

    /// Exchanges document `d` with the share at `share`: writes what this device has that the
    /// share lacks, then applies every new file the other devices wrote. Durable before it
    /// returns.
    pub fn sync_share(
        &mut self,
        d: &DocId,
        key: &DocKey,
        share: &Path,
        now: DateTime<Utc>,
    ) -> Result<ShareReport, StoreError> {
        self.sync_share_with(d, key, share, now, &mut |_| {})
    }

    /// [`Library::sync_share`], telling `progress` after each file it reads from the share.
    pub fn sync_share_with(
        &mut self,
        d: &DocId,
        key: &DocKey,
        share: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ShareReport, StoreError> {
        let mut ex = self.exchange_prepare(d, key, share, now)?;
        ex.transfer(progress)?;
        self.exchange_finish(ex)
    }
}

impl Exchange {
    /// The document exchanged.
    pub fn doc(&self) -> &DocId {
        &self.d
    }

    /// Step 2 (without the library): writes the outgoing file, then lists the folder and reads
    /// every new file that authenticates, telling `progress` after each.
    pub fn transfer(&mut self, progress: &mut dyn FnMut(Progress)) -> Result<(), StoreError> {
        if let Err(e) = fs::create_dir_all(&self.mine) {
            self.outgoing = None;
            self.exported = None;
            self.write_error = Some(StoreError::io("create", &self.mine)(e));
        }
        let own_before = if self.outgoing.as_ref().is_some_and(|o| o.compacts) {
            let mut own = files::list_own(&self.mine);
            own.extend(files::list_own(&self.legacy));
            own
        } else {
            Vec::new()
        };
        if let Some(out) = self.outgoing.take() {
            let sealed = seal::seal(&self.key, &self.d.id, out.kind, &out.name, &out.bytes);
            match write_shared(&self.mine.join(&out.name), &sealed) {
                Ok(()) => {
                    self.state.applied.insert(digest(&sealed));
                    self.state.next_seq += 1;
                    self.report.written += 1;
                    self.report.bytes_written += sealed.len() as u64;
                    if out.compacts {
                        for old in own_before {
                            // Only after the snapshot is durable; a failed delete is retried
                            // next time.
                            let _ = fs::remove_file(old);
                        }
                        // Empty now, unless a copy tool left something of its own there.
                        let _ = fs::remove_dir(&self.legacy);
                        self.state.named = true;
                        self.report.compacted = true;
                    }
                }
                // A full share: what the others wrote is still read; the exchange fails after.
                Err(e) => {
                    self.exported = None;
                    self.write_error = Some(e);
                }
            }
        }
        let (listed, problems) = files::list(&self.share, &self.folder);
        self.report.problems.extend(problems);
        self.cache.keep_only(&listed);
        let mut read = Progress {
            files: listed.len(),
            bytes: listed.iter().map(|l| l.stamp.len).sum(),
            ..Progress::default()
        };
        for file in listed {
            read.files_done += 1;
            read.bytes_done += file.stamp.len;
            if file.path.parent() == Some(&self.mine)
                && file.path.to_string_lossy().contains(".tch")
            {
                self.own_chunks.push(file.stamp.len);
            }
            self.take(file);
            progress(read);
        }
        Ok(())
    }

    /// Reads one listed file unless it is known: applied before, or failed and not due again.
    fn take(&mut self, file: Listed) {
        let problem = |file: &Listed, reason: &str| FileProblem {
            file: shown(&self.share, &file.path),
            reason: reason.to_string(),
        };
        match self.cache.check(&file) {
            Known::Read(d) => {
                self.present.insert(d);
                return;
            }
            Known::Failed(reason) => {
                self.report.problems.push(problem(&file, &reason));
                return;
            }
            Known::Unknown => {}
        }
        let bytes = match files::read_capped(&file.path) {
            Ok(b) => b,
            // Gone since the listing (deleted by its writer after a snapshot): next time.
            Err(_) if !file.path.exists() => return,
            Err(reason) => {
                self.cache.failed(&file, &reason);
                self.report.problems.push(problem(&file, &reason));
                return;
            }
        };
        let d = digest(&bytes);
        self.present.insert(d.clone());
        if self.state.applied.contains(&d) {
            self.cache.read(&file, &d);
            return;
        }
        let opened = files::open_share_file(&self.key, &self.d.id, &bytes);
        match opened {
            Ok(opened) => self.incoming.push(Incoming {
                file,
                digest: d,
                payload: opened.payload,
            }),
            Err(reason) => {
                self.cache.failed(&file, &reason);
                self.report.problems.push(problem(&file, &reason));
            }
        }
    }
}
