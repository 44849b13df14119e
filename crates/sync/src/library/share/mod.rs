//! Sync through any folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick),
//! for a document of any synced kind.
//!
//! ```text
//! <share>/tandem-v1/<doc-hash>/<device-hash>/<seq>-<random>.tch   sealed changes
//! <share>/tandem-v1/<doc-hash>/<device-hash>/<seq>-<random>.tsn   sealed snapshot
//! ```
//! - `doc-hash` is an HMAC of the document id under its key: the share's host learns nothing. (For
//!   a pair it is the same folder the first release wrote, so both keep syncing, and a laptop not
//!   yet upgraded sees the new files and is told to update Tandem.)
//! - `device-hash` is an HMAC of the device id under the document's naming subkey
//!   ([`device_folder`]): one device's folders in two documents do not match. Releases before
//!   subkeys used the raw device id; an upgraded device folds its files from there into one
//!   snapshot in its new folder on its first exchange (and deletes them once that is durable).
//! - A device writes only into its own folder, only new names (a temp name, fsync, rename), and
//!   deletes only its own files, after a snapshot that covers them.
//! - A reader takes every file whose name contains `.tch` or `.tsn` from every device folder,
//!   whatever the copy tool renamed it to ("… (conflicted copy).tch", `….sync-conflict-….tch`),
//!   skips names starting with `.` (temp files), trusts no name and no clock, and uses a file only
//!   after it authenticates. A file that does not authenticate is reported and retried next time;
//!   it never costs data.
//! - Which files were applied is remembered by content digest, and only once the document has no
//!   missing dependencies (changes that arrived before the ones they build on are re-read later).
//! - What a hostile folder may hold (links, FIFOs, devices, huge files, thousands of files) is
//!   refused and reported, never read blindly ([`files`]); an exchange holds the library's lock
//!   only while it touches the document, never while it lists, reads or decrypts ([`exchange`]).

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use automerge::ChangeHash;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tandem_core::Kind;

use super::{DocId, Library, OpenDoc};
use crate::StoreError;
use crate::fsutil::write_atomic;
use crate::keys::Keychain;
use crate::seal::DocKey;

mod exchange;
mod files;
mod join;
mod settings;

pub use exchange::Exchange;
pub use files::{
    FileProblem, MAX_FILE, MAX_FILES, ReadCache, SHARE_ROOT, device_folder, open_share_file,
    pair_folder,
};
pub use join::KeyTaken;
pub use settings::PairShare;

/// A document to exchange, with its key and shared folder (or why it cannot be exchanged).
pub type Target = (DocId, Result<(DocKey, PathBuf), StoreError>);

/// A device folds its own change files into one snapshot (and deletes them) once it has this many…
pub const COMPACT_FILES: usize = 64;
/// …or at least this many whose bytes add up to a whole snapshot's, so what it writes stays within
/// about twice the least it could, and readers scan few files.
pub const COMPACT_MIN_FILES: usize = 8;

/// What one exchange with the share did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareReport {
    /// Files this device wrote, and their bytes.
    pub written: usize,
    pub bytes_written: u64,
    /// Files from the share newly applied.
    pub applied: usize,
    /// Whether the document changed because of them.
    pub changed: bool,
    /// Changes waiting for earlier ones that have not arrived yet.
    pub waiting: bool,
    pub compacted: bool,
    pub problems: Vec<FileProblem>,
}

/// How far an exchange has read the shared folder, for a progress bar during a large first sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub files_done: usize,
    pub files: usize,
    pub bytes_done: u64,
    pub bytes: u64,
}

impl Progress {
    /// The `share-progress` event's payload for document `id`.
    pub fn of_pair(self, id: &str) -> tandem_core::views::SyncProgress {
        tandem_core::views::SyncProgress {
            pair: id.to_string(),
            files_done: self.files_done,
            files: self.files,
            bytes_done: self.bytes_done,
            bytes: self.bytes,
        }
    }
}

/// One document's exchange in [`Library::sync_all`]: which, and what happened.
pub type PairExchange = (DocId, Result<ShareReport, StoreError>);

/// What this device remembers about a document's share, in `<its folder>/share.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ShareState {
    /// The document's folder in the share these records are about: a document moved to another
    /// folder starts over there (everything is written again, every file read again).
    #[serde(default)]
    folder: Option<PathBuf>,
    /// The heads already in the share (written by this device, or read from it).
    exported: Vec<String>,
    next_seq: u64,
    /// Digests of the share files already applied.
    applied: BTreeSet<String>,
    /// Whether this device writes into its folder named by [`device_folder`] (false: it may still
    /// have files in the folder named by its raw id, as releases before subkeys wrote).
    #[serde(default)]
    named: bool,
}

fn heads_hex(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ToString::to_string).collect()
}

fn heads_of(hex: &[String]) -> Vec<ChangeHash> {
    hex.iter().filter_map(|h| h.parse().ok()).collect()
}

impl Library {
    fn share_state_path(&self, d: &DocId) -> PathBuf {
        self.dir(d).join("share.json")
    }

    fn read_share_state(&self, d: &DocId) -> ShareState {
        fs::read(self.share_state_path(d))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn write_share_state(&self, d: &DocId, state: &ShareState) -> Result<(), StoreError> {
        let json = serde_json::to_vec(state).unwrap_or_default();
        write_atomic(&self.share_state_path(d), &json)
    }

    /// How many of this device's changes to document `d` are not in the shared folder yet, for
    /// the sharing panel.
    pub fn share_pending(&mut self, d: &DocId) -> Result<usize, StoreError> {
        // Typing not yet committed is counted as the batch it becomes.
        self.commit_typing(d, Utc::now())?;
        let state = self.read_share_state(d);
        let open = self.load(d)?;
        Ok(open.doc.get_changes(&heads_of(&state.exported)).len())
    }

    /// Exchanges every document of a synced kind whose key is in the keychain with its shared
    /// folder (its own, else the library's).
    pub fn sync_all(
        &mut self,
        keychain: &Keychain,
        now: DateTime<Utc>,
    ) -> Result<Vec<PairExchange>, StoreError> {
        self.sync_all_with(keychain, now, &mut |_, _| {})
    }

    /// [`Library::sync_all`], telling `progress` which document it is reading and how far it is.
    pub fn sync_all_with(
        &mut self,
        keychain: &Keychain,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(&DocId, Progress),
    ) -> Result<Vec<PairExchange>, StoreError> {
        let mut out = Vec::new();
        for (d, target) in self.exchange_targets(keychain)? {
            let r = target.and_then(|(key, share)| {
                self.sync_share_with(&d, &key, &share, now, &mut |p| progress(&d, p))
            });
            out.push((d, r));
        }
        Ok(out)
    }

    /// Every document of a synced kind that has a folder to sync through, with its key and that
    /// folder (or why it cannot be exchanged: its key could not be read, or is lost). Documents
    /// never shared from this device are left out.
    pub fn exchange_targets(&self, keychain: &Keychain) -> Result<Vec<Target>, StoreError> {
        if self.share_folders().is_empty() {
            return Err(StoreError::NoShareFolder);
        }
        let mut out = Vec::new();
        for kind in Kind::ALL.iter().copied().filter(|k| k.synced()) {
            for id in self.ids(kind)? {
                let d = DocId::new(kind, id);
                let Some(PairShare { folder, .. }) = self.pair_share(&d.id) else {
                    continue;
                };
                match self.key_for(keychain, &d) {
                    Ok(Some(key)) => out.push((d, Ok((key, folder)))),
                    Ok(None) => {}
                    Err(e) => out.push((d, Err(e))),
                }
            }
        }
        Ok(out)
    }

    /// Makes changes that arrived from elsewhere durable locally and refreshes the view cache.
    fn persist_imported(kind: Kind, open: &mut OpenDoc) -> Result<(), StoreError> {
        open.store.persist(&mut open.doc)?;
        open.view = None;
        Self::refresh_cache(kind, open)
    }
}
