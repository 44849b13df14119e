//! Sync through any folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick).
//!
//! ```text
//! <share>/tandem-v1/<pair-hash>/<device-id>/<seq>-<random>.tch   sealed changes
//! <share>/tandem-v1/<pair-hash>/<device-id>/<seq>-<random>.tsn   sealed snapshot
//! ```
//! - `pair-hash` is an HMAC of the pair id under the pair key: the share's host learns nothing.
//! - A device writes only into its own folder, only new names (a temp name, fsync, rename), and
//!   deletes only its own files, after a snapshot that covers them.
//! - A reader takes every file whose name contains `.tch` or `.tsn` from every device folder,
//!   whatever the copy tool renamed it to ("… (conflicted copy).tch", `….sync-conflict-….tch`),
//!   skips names starting with `.` (temp files), trusts no name and no clock, and uses a file only
//!   after it authenticates. A file that does not authenticate is reported and retried next time;
//!   it never costs data.
//! - Which files were applied is remembered by content digest, and only once the document has no
//!   missing dependencies (changes that arrived before the ones they build on are re-read later).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use automerge::ChangeHash;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use tandem_core::view::PairView;

use crate::invite::Invite;
use crate::keys::Keychain;

use super::{Library, OpenPair};
use crate::StoreError;
use crate::fsutil::write_atomic;
use crate::seal::{self, Kind, PairKey};

/// A device folds its own change files into one snapshot (and deletes them) once it has this many…
pub const COMPACT_FILES: usize = 64;
/// …or at least this many whose bytes add up to a whole snapshot's, so what it writes stays within
/// about twice the least it could, and readers scan few files.
pub const COMPACT_MIN_FILES: usize = 8;

/// A file in the share that could not be used, and why (shown, never fatal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub file: String,
    pub reason: String,
}

/// What one exchange with the share did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareReport {
    /// Files this device wrote, and their bytes.
    pub written: usize,
    pub bytes_written: u64,
    /// Files from the share newly applied.
    pub applied: usize,
    /// Whether the pair changed because of them.
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
    /// The `share-progress` event's payload for pair `pair`.
    pub fn of_pair(self, pair: &str) -> tandem_core::view::SyncProgress {
        tandem_core::view::SyncProgress {
            pair: pair.to_string(),
            files_done: self.files_done,
            files: self.files,
            bytes_done: self.bytes_done,
            bytes: self.bytes,
        }
    }
}

/// The share files under `folder` with their sizes, and the progress of reading none of them.
fn files_to_read(folder: &Path) -> Result<(Vec<PathBuf>, Progress), StoreError> {
    let files = share_files(folder)?;
    let bytes = files
        .iter()
        .map(|f| fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let progress = Progress {
        files: files.len(),
        bytes,
        ..Progress::default()
    };
    Ok((files, progress))
}

/// What [`read_share`] found.
struct ShareRead {
    /// Digests of every file present.
    present: BTreeSet<String>,
    /// Digests of the files newly applied.
    applied: Vec<String>,
    problems: Vec<FileProblem>,
}

/// Reads every file in the pair folder `folder` of `share`, telling `progress` after each, and
/// applies to `doc` each one not in `skip` that authenticates. A file that does not is reported.
fn read_share(
    doc: &mut automerge::AutoCommit,
    share: &Path,
    folder: &Path,
    id: &str,
    key: &PairKey,
    skip: &BTreeSet<String>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ShareRead, StoreError> {
    let mut out = ShareRead {
        present: BTreeSet::new(),
        applied: Vec::new(),
        problems: Vec::new(),
    };
    let (files, mut read) = files_to_read(folder)?;
    for file in files {
        read.files_done += 1;
        // A file gone (deleted by its writer after a snapshot) or not there yet: next time.
        if let Ok(bytes) = fs::read(&file) {
            read.bytes_done = (read.bytes_done + bytes.len() as u64).min(read.bytes);
            let d = digest(&bytes);
            out.present.insert(d.clone());
            if !skip.contains(&d) {
                let why = match seal::open(key, id, &bytes) {
                    Ok(opened) => match doc.load_incremental(&opened.payload) {
                        Ok(_) => None,
                        Err(e) => Some(format!("its contents could not be read ({e})")),
                    },
                    Err(why) => Some(why.to_string()),
                };
                match why {
                    None => out.applied.push(d),
                    Some(reason) => out.problems.push(FileProblem {
                        file: file
                            .strip_prefix(share)
                            .unwrap_or(&file)
                            .display()
                            .to_string(),
                        reason,
                    }),
                }
            }
        }
        progress(read);
    }
    Ok(out)
}

/// One pair's exchange in [`Library::sync_all`]: its id and what happened.
pub type PairExchange = (String, Result<ShareReport, StoreError>);

/// What this device remembers about a pair's share, in `pairs/<id>/share.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ShareState {
    /// The pair's folder in the share these records are about: a pair moved to another folder
    /// starts over there (everything is written again, every file read again).
    #[serde(default)]
    folder: Option<PathBuf>,
    /// The heads already in the share (written by this device, or read from it).
    exported: Vec<String>,
    next_seq: u64,
    /// Digests of the share files already applied.
    applied: BTreeSet<String>,
}

fn heads_hex(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ToString::to_string).collect()
}

fn heads_of(hex: &[String]) -> Vec<ChangeHash> {
    hex.iter().filter_map(|h| h.parse().ok()).collect()
}

/// The folder of a pair in a share: an HMAC of its id, so the folder name reveals nothing.
pub fn pair_folder(share: &Path, pair_id: &str, key: &PairKey) -> PathBuf {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"tandem share folder\0");
    mac.update(pair_id.as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag[..16].iter().map(|b| format!("{b:02x}")).collect();
    share.join("tandem-v1").join(hex)
}

/// Whether `name` is a Tandem share file, whatever a copy tool appended or inserted.
fn is_share_file(name: &str) -> bool {
    !name.starts_with('.') && (name.contains(".tch") || name.contains(".tsn"))
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Library-wide settings, in `<home>/settings.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Settings {
    /// The folder pairs sync through, when one was picked.
    share: Option<PathBuf>,
    /// Pairs that sync through a folder of their own instead (pair id → folder).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pair_shares: BTreeMap<String, PathBuf>,
}

/// Where one pair syncs through, and whether that folder is the pair's own or the library's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairShare {
    pub folder: PathBuf,
    /// Picked for this pair alone (else it is the library's folder).
    pub own: bool,
}

impl Library {
    fn settings(&self) -> Settings {
        fs::read(self.home.join("settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The shared folder picked for this library, if any.
    pub fn share_folder(&self) -> Option<PathBuf> {
        self.settings().share
    }

    /// Picks the shared folder (Dropbox, Syncthing, a network drive, a USB stick) the pairs sync
    /// through. It must exist and be writable.
    pub fn set_share_folder(&mut self, folder: &Path) -> Result<PathBuf, StoreError> {
        self.writable()?;
        let folder = usable_folder(folder)?;
        let mut settings = self.settings();
        settings.share = Some(folder.clone());
        self.write_settings(&settings)?;
        Ok(folder)
    }

    /// The folder pair `id` syncs through: its own when one was picked for it, else the
    /// library's.
    pub fn pair_share(&self, id: &str) -> Option<PairShare> {
        let settings = self.settings();
        match settings.pair_shares.get(id) {
            Some(f) => Some(PairShare {
                folder: f.clone(),
                own: true,
            }),
            None => settings
                .share
                .map(|folder| PairShare { folder, own: false }),
        }
    }

    /// Gives pair `id` a shared folder of its own (a folder shared with this partner only), or
    /// with `None` returns it to the library's folder.
    pub fn set_pair_share_folder(
        &mut self,
        id: &str,
        folder: Option<&Path>,
    ) -> Result<Option<PathBuf>, StoreError> {
        self.writable()?;
        if !self.pair_ids()?.iter().any(|p| p == id) {
            return Err(StoreError::NotFound(id.to_string()));
        }
        let folder = folder.map(usable_folder).transpose()?;
        let mut settings = self.settings();
        match &folder {
            Some(f) => settings.pair_shares.insert(id.to_string(), f.clone()),
            None => settings.pair_shares.remove(id),
        };
        self.write_settings(&settings)?;
        Ok(folder)
    }

    /// Every folder some pair syncs through (the library's and the pairs' own), for the watcher.
    pub fn share_folders(&self) -> BTreeSet<PathBuf> {
        let settings = self.settings();
        settings
            .share
            .into_iter()
            .chain(settings.pair_shares.into_values())
            .collect()
    }

    fn write_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        write_atomic(
            &self.home.join("settings.json"),
            &serde_json::to_vec_pretty(settings).unwrap_or_default(),
        )
    }

    fn share_state_path(&self, id: &str) -> PathBuf {
        self.pairs_dir().join(id).join("share.json")
    }

    fn read_share_state(&self, id: &str) -> ShareState {
        fs::read(self.share_state_path(id))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn write_share_state(&self, id: &str, state: &ShareState) -> Result<(), StoreError> {
        let json = serde_json::to_vec(state).unwrap_or_default();
        write_atomic(&self.share_state_path(id), &json)
    }

    /// Exchanges pair `id` with the share at `share`: writes what this device has that the share
    /// lacks, then applies every new file the other devices wrote. Durable before it returns.
    pub fn sync_share(
        &mut self,
        id: &str,
        key: &PairKey,
        share: &Path,
        now: DateTime<Utc>,
    ) -> Result<ShareReport, StoreError> {
        self.sync_share_with(id, key, share, now, &mut |_| {})
    }

    /// [`Library::sync_share`], telling `progress` after each file it reads from the share.
    pub fn sync_share_with(
        &mut self,
        id: &str,
        key: &PairKey,
        share: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ShareReport, StoreError> {
        self.writable()?;
        // Typing not yet committed goes out as its own batch.
        self.commit(id, "Edit notes", now, true)?;
        let mut state = self.read_share_state(id);
        let folder = pair_folder(share, id, key);
        if state.folder.as_ref() != Some(&folder) {
            state.exported.clear();
            state.applied.clear();
            state.folder = Some(folder.clone());
        }
        let mine = folder.join(&self.device.id);
        fs::create_dir_all(&mine).map_err(StoreError::io("create", &mine))?;
        let mut report = ShareReport::default();

        // 1. Write what the share lacks.
        let pair = self.load(id)?;
        let heads = pair.doc.get_heads();
        if heads_hex(&heads) != state.exported {
            // The first time, the whole pair goes in as a snapshot: compressed, and loaded in one
            // step by a partner's first sync (a chunk of every change since the start is larger
            // and takes several times as long to apply).
            let first = state.exported.is_empty();
            let (bytes, kind, ext) = if first {
                (pair.doc.save(), Kind::Snapshot, "tsn")
            } else {
                let after = pair.doc.save_after(&heads_of(&state.exported));
                (after, Kind::Changes, "tch")
            };
            if !bytes.is_empty() {
                let name = format!(
                    "{:016x}-{:08x}.{ext}",
                    state.next_seq,
                    rand::random::<u32>()
                );
                let sealed = seal::seal(key, id, kind, &name, &bytes);
                write_atomic(&mine.join(&name), &sealed)?;
                state.applied.insert(digest(&sealed));
                state.next_seq += 1;
                report.written += 1;
                report.bytes_written += sealed.len() as u64;
            }
            state.exported = heads_hex(&heads);
            // Recorded before reading, so a crash now never writes the same changes twice.
            self.write_share_state(id, &state)?;
        }

        // 2. Read every new file of every device.
        let pair = self.load(id)?;
        let before = pair.doc.get_heads();
        let read = read_share(
            &mut pair.doc,
            share,
            &folder,
            id,
            key,
            &state.applied,
            progress,
        )?;
        report.problems = read.problems;
        report.waiting = !pair.doc.get_missing_deps(&[]).is_empty();
        if !report.waiting {
            report.applied = read.applied.len();
            state.applied.extend(read.applied);
        }
        // Forget files that are gone from the share (compacted away by their writers).
        state.applied.retain(|d| read.present.contains(d));
        let after = pair.doc.get_heads();
        report.changed = after != before;
        if report.changed {
            Self::persist_imported(pair)?;
            state.exported = heads_hex(&after);
        }

        // 3. Fold this device's own change files into one snapshot once they cost as much as one.
        let own: Vec<PathBuf> = share_files(&mine)?;
        let chunks: Vec<u64> = own
            .iter()
            .filter(|p| p.to_string_lossy().contains(".tch"))
            .map(|p| fs::metadata(p).map_or(0, |m| m.len()))
            .collect();
        // The local snapshot's size is a cheap estimate of a whole document's.
        let whole =
            fs::metadata(self.pairs_dir().join(id).join("snapshot.bin")).map_or(0, |m| m.len());
        if chunks.len() >= COMPACT_FILES
            || (chunks.len() >= COMPACT_MIN_FILES && chunks.iter().sum::<u64>() >= whole)
        {
            let pair = self.load(id)?;
            let name = format!("{:016x}-{:08x}.tsn", state.next_seq, rand::random::<u32>());
            let sealed = seal::seal(key, id, Kind::Snapshot, &name, &pair.doc.save());
            write_atomic(&mine.join(&name), &sealed)?;
            state.applied.insert(digest(&sealed));
            state.next_seq += 1;
            state.exported = heads_hex(&pair.doc.get_heads());
            report.written += 1;
            report.bytes_written += sealed.len() as u64;
            self.write_share_state(id, &state)?;
            for old in own {
                // Only after the snapshot is durable; a failed delete is retried next time.
                let _ = fs::remove_file(old);
            }
            report.compacted = true;
        }
        self.write_share_state(id, &state)?;
        Ok(report)
    }

    /// How many of this device's changes to pair `id` are not in the shared folder yet, for the
    /// sharing panel.
    pub fn share_pending(&mut self, id: &str) -> Result<usize, StoreError> {
        if self.mode == super::Mode::ReadWrite {
            // Typing not yet committed is counted as the batch it becomes.
            self.commit(id, "Edit notes", Utc::now(), true)?;
        }
        let state = self.read_share_state(id);
        let pair = self.load(id)?;
        Ok(pair.doc.get_changes(&heads_of(&state.exported)).len())
    }

    /// An invite for the partner (or for the person named `for_name`, when the pair has more): the
    /// pair's key is made and put in the keychain the first time.
    pub fn invite(
        &mut self,
        id: &str,
        keychain: &Keychain,
        for_name: Option<&str>,
    ) -> Result<Invite, StoreError> {
        let view = self.view(id)?;
        let others: Vec<_> = view
            .people
            .iter()
            .filter(|p| !p.left && Some(&p.id) != view.me.as_ref())
            .filter(|p| for_name.is_none_or(|n| p.name.eq_ignore_ascii_case(n.trim())))
            .collect();
        let person = match others.as_slice() {
            [one] => one.id.clone(),
            [] => {
                return Err(StoreError::NoSuchPerson(
                    for_name.unwrap_or_default().to_string(),
                ));
            }
            many => {
                return Err(StoreError::WhichPerson(
                    many.iter()
                        .map(|p| p.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
            }
        };
        Ok(Invite {
            pair_id: id.to_string(),
            person,
            key: keychain.get_or_create(id)?,
        })
    }

    /// Exchanges every pair whose key is in the keychain with its shared folder (its own, else
    /// the library's).
    pub fn sync_all(
        &mut self,
        keychain: &Keychain,
        now: DateTime<Utc>,
    ) -> Result<Vec<PairExchange>, StoreError> {
        self.sync_all_with(keychain, now, &mut |_, _| {})
    }

    /// [`Library::sync_all`], telling `progress` which pair it is reading and how far it is.
    pub fn sync_all_with(
        &mut self,
        keychain: &Keychain,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(&str, Progress),
    ) -> Result<Vec<PairExchange>, StoreError> {
        if self.share_folders().is_empty() {
            return Err(StoreError::NoShareFolder);
        }
        let mut out = Vec::new();
        for id in self.pair_ids()? {
            let Some(PairShare { folder: share, .. }) = self.pair_share(&id) else {
                continue;
            };
            let key = match keychain.get(&id) {
                Ok(Some(k)) => k,
                Ok(None) => continue,
                Err(e) => {
                    out.push((id, Err(e.into())));
                    continue;
                }
            };
            let r = self.sync_share_with(&id, &key, &share, now, &mut |p| progress(&id, p));
            out.push((id, r));
        }
        Ok(out)
    }

    /// Joins a pair from the shared folder `folder`, or the library's when none is given. A folder
    /// given when the library has none becomes the library's; one that differs from the library's
    /// becomes this pair's own, so joining never moves the other pairs.
    pub fn join_via_share(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &PairKey,
        folder: Option<&Path>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.writable()?;
        let library = self.share_folder();
        let (share, own) = match (folder, library) {
            (None, Some(l)) => (l, false),
            (None, None) => return Err(StoreError::NoShareFolder),
            (Some(f), None) => (self.set_share_folder(f)?, false),
            (Some(f), Some(l)) => {
                let f = usable_folder(f)?;
                let own = f != l;
                (f, own)
            }
        };
        let joined = self.join_from_share_with(pair_id, person, key, &share, now, progress)?;
        if own {
            let mut settings = self.settings();
            settings.pair_shares.insert(pair_id.to_string(), share);
            self.write_settings(&settings)?;
        }
        Ok(joined)
    }

    /// Joins a pair this library does not have yet, from what its other devices wrote into the
    /// share, acting as `person` (the invite says who). Then writes this device's own folder.
    pub fn join_from_share(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &PairKey,
        share: &Path,
        now: DateTime<Utc>,
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.join_from_share_with(pair_id, person, key, share, now, &mut |_| {})
    }

    /// [`Library::join_from_share`], telling `progress` after each file it reads.
    pub fn join_from_share_with(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &PairKey,
        share: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.writable()?;
        if !super::valid_id(pair_id) {
            return Err(StoreError::NotFound(pair_id.to_string()));
        }
        if self
            .pairs_dir()
            .join(pair_id)
            .join("snapshot.bin")
            .is_file()
        {
            return Err(StoreError::AlreadyJoined(pair_id.to_string()));
        }
        let folder = pair_folder(share, pair_id, key);
        let mut doc = tandem_core::new_document();
        let read = read_share(
            &mut doc,
            share,
            &folder,
            pair_id,
            key,
            &BTreeSet::new(),
            progress,
        )?;
        if doc.get_heads().is_empty() {
            return Err(StoreError::NothingInShare {
                folder: share.to_path_buf(),
                problems: read.problems.len(),
            });
        }
        // What was just read is in the share and applied: the exchange below then writes only this
        // device's joining and does not read (and load) the whole share a second time. Unusable
        // files are read again there, and reported once, by it.
        if doc.get_missing_deps(&[]).is_empty() {
            let state = ShareState {
                folder: Some(folder.clone()),
                exported: heads_hex(&doc.get_heads()),
                next_seq: 0,
                applied: read.applied.into_iter().collect(),
            };
            self.adopt(pair_id, person, doc, now)?;
            self.write_share_state(pair_id, &state)?;
        } else {
            self.adopt(pair_id, person, doc, now)?;
        }
        let report = self.sync_share(pair_id, key, share, now)?;
        Ok((self.view(pair_id)?, report))
    }

    /// Takes in a pair's document received from the partner (through the share or a peer) as this
    /// device's copy, acting as `person`: checks it is the pair asked for and a version this
    /// Tandem reads, records this device as the person's, and stores it.
    pub fn adopt(
        &mut self,
        pair_id: &str,
        person: &str,
        mut doc: automerge::AutoCommit,
        now: DateTime<Utc>,
    ) -> Result<PairView, StoreError> {
        self.writable()?;
        if self
            .pairs_dir()
            .join(pair_id)
            .join("snapshot.bin")
            .is_file()
        {
            return Err(StoreError::AlreadyJoined(pair_id.to_string()));
        }
        if tandem_core::ops::pair_id(&doc)? != pair_id {
            return Err(StoreError::NotFound(pair_id.to_string()));
        }
        doc.set_actor(self.device.actor_id());
        tandem_core::ops::register_device(&mut doc, person)?;
        doc.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message("Join the pair on a new device")
                .with_time(now.timestamp()),
        );
        self.import(doc)
    }

    /// Makes changes that arrived from elsewhere durable locally and refreshes the view cache.
    pub(super) fn persist_imported(pair: &mut OpenPair) -> Result<(), StoreError> {
        pair.store.persist(&mut pair.doc)?;
        pair.view = None;
        Self::refresh_cache(pair)
    }
}

/// `folder`, made absolute, once it is known to be a folder Tandem can write into.
fn usable_folder(folder: &Path) -> Result<PathBuf, StoreError> {
    let folder = fs::canonicalize(folder).map_err(StoreError::io("open", folder))?;
    if !folder.is_dir() {
        return Err(StoreError::NotAFolder(folder));
    }
    let probe = folder.join("tandem-v1");
    fs::create_dir_all(&probe).map_err(StoreError::io("write into", &folder))?;
    Ok(folder)
}

/// Every share file under `dir` (one level of device folders, or the files of one folder), in a
/// stable order. A missing folder has no files.
fn share_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(StoreError::io("read", dir)(e)),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            out.extend(share_files(&path)?);
        } else if is_share_file(&name) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_tools_renames_are_still_share_files_and_temp_files_are_not() {
        for name in [
            "0000000000000001-1a2b3c4d.tch",
            "0000000000000001-1a2b3c4d (Sam's conflicted copy 2026-11-24).tch",
            "0000000000000001-1a2b3c4d.sync-conflict-20261124-101010-ABCDEFG.tch",
            "0000000000000002-00000000.tsn",
        ] {
            assert!(is_share_file(name), "{name}");
        }
        for name in [".0001.tch.tmp-123", "notes.txt", "desktop.ini", ".DS_Store"] {
            assert!(!is_share_file(name), "{name}");
        }
    }

    #[test]
    fn the_pair_folder_depends_on_the_key_and_hides_the_id() {
        let share = Path::new("/s");
        let a = pair_folder(share, "01PAIR", &PairKey([1; 32]));
        let b = pair_folder(share, "01PAIR", &PairKey([2; 32]));
        assert_ne!(a, b);
        assert!(!a.to_string_lossy().contains("01PAIR"));
    }
}
