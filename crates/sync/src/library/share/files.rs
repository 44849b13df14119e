//! The files of a document in a shared folder, read as a hostile folder could hold them: where the
//! document's folder is, which entries are share files (whatever a copy tool renamed them to), and
//! reading them safely.
//!
//! A share file is a regular file exactly at `<document folder>/<device folder>/<name>`. Nothing
//! else is read: links are never followed (a link to `/dev/zero` or out of the share), FIFOs,
//! sockets and device files are refused without opening them for a blocking read, a file over
//! [`MAX_FILE`] is refused, and at most [`MAX_FILES`] are considered per document. Every refusal
//! is reported, never fatal: the rest of the folder is still read. An unreadable device folder is
//! one problem, not a failed exchange.
//!
//! Which files were already read is remembered by (path, length, modification time, inode) in a
//! [`ReadCache`], so a rescan reads only what is new or changed, and a file that failed is tried
//! again later, less and less often, rather than at every rescan.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::seal::DocKey;

/// The largest share file read. A whole five-year pair is a 0.2 MB snapshot; anything near this is
/// not a Tandem file worth reading whole into memory.
pub const MAX_FILE: u64 = 64 << 20;
/// The most share files considered per document and exchange. A device folds its own change files
/// into a snapshot at 64, so a genuine folder holds a few per device.
pub const MAX_FILES: usize = 4096;
/// A file that failed is tried again after 1, 2, 4 … exchanges, at most this many apart.
const MAX_BACKOFF: u32 = 64;

/// A file in the share that could not be used, and why (shown, never fatal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub file: String,
    pub reason: String,
}

/// Tandem's own folder inside a shared folder; the rest of the share is never read or watched.
pub const SHARE_ROOT: &str = "tandem-v1";

/// The folder of a document in a share: an HMAC of its id, so the folder name reveals nothing.
pub fn pair_folder(share: &Path, doc_id: &str, key: &DocKey) -> PathBuf {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"tandem share folder\0");
    mac.update(doc_id.as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag[..16].iter().map(|b| format!("{b:02x}")).collect();
    share.join(SHARE_ROOT).join(hex)
}

/// A device's folder inside document folder `doc_folder`: an HMAC of the device id under the
/// document's naming subkey. The share's host cannot tell that folders of two documents belong to
/// one device, nor when the device was set up (device ids are ULIDs, which start with their time).
/// Releases before subkeys named it by the raw device id; an upgraded device moves its files out
/// of that folder with its next snapshot ([`super::Exchange`]).
pub fn device_folder(doc_folder: &Path, device_id: &str, key: &DocKey) -> PathBuf {
    let tag = key.tag(
        crate::seal::Purpose::Naming,
        &[b"tandem device folder\0", device_id.as_bytes()],
    );
    doc_folder.join(
        tag[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    )
}

/// Whether `name` is a Tandem share file, whatever a copy tool appended or inserted.
pub(super) fn is_share_file(name: &str) -> bool {
    !name.starts_with('.') && (name.contains(".tch") || name.contains(".tsn"))
}

pub(super) fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What identifies a file's contents without reading them: if none of these changed, neither did
/// the file (a copy tool writes a new file or changes its length or time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub len: u64,
    modified_ns: i128,
    inode: u64,
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Stamp {
        let modified_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: m.len(),
            modified_ns,
            inode,
        }
    }
}

/// A share file found in a listing.
#[derive(Debug, Clone)]
pub(super) struct Listed {
    pub path: PathBuf,
    pub stamp: Stamp,
}

/// What became of a file the last time it was read.
#[derive(Debug, Clone)]
enum Verdict {
    /// Its bytes have this digest (applied, or the device's own).
    Read(String),
    /// It could not be used; try again after `wait` more exchanges (then wait twice as long).
    Failed {
        reason: String,
        wait: u32,
        next: u32,
    },
}

/// What this process remembers of a document's share files between exchanges.
#[derive(Debug, Default)]
pub struct ReadCache {
    files: HashMap<PathBuf, (Stamp, Verdict)>,
    /// This device's own change files weigh as much as a snapshot: fold them next time.
    pub(super) compact_due: bool,
}

/// The relative name of `file` in `share`, as problems show it.
pub(super) fn shown(share: &Path, file: &Path) -> String {
    file.strip_prefix(share)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Whether `name` is a share file named as Tandem names them (`<16 hex>-<8 hex>.tch|tsn`), not a
/// copy tool's rename or anything else.
fn canonical(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    matches!(ext, "tch" | "tsn")
        && stem
            .split_once('-')
            .is_some_and(|(seq, rand)| hex(seq, 16) && hex(rand, 8))
}

/// Every share file of the document folder `folder`: regular files exactly one device folder
/// down, at most [`MAX_FILES`]; everything refused on the way is reported. A missing folder has
/// no files. When there are more, each device folder gets its turn (a flood in one folder cannot
/// crowd out the others), and files named as Tandem names them come before anything else (a
/// copy tool's renames, junk with odd names). Only the files taken are looked at (stat); the
/// names are only listed.
pub(super) fn list(share: &Path, folder: &Path) -> (Vec<Listed>, Vec<FileProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let problem = |problems: &mut Vec<FileProblem>, path: &Path, reason: &str| {
        problems.push(FileProblem {
            file: shown(share, path),
            reason: reason.to_string(),
        })
    };
    let devices = match fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (files, problems),
        Err(e) => {
            problem(
                &mut problems,
                folder,
                &format!("it could not be listed ({e})"),
            );
            return (files, problems);
        }
    };
    let mut device_dirs: Vec<PathBuf> = Vec::new();
    for entry in devices.flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => device_dirs.push(entry.path()),
            Ok(t) if t.is_symlink() => problem(
                &mut problems,
                &entry.path(),
                "it is a link, which Tandem never follows",
            ),
            // Stray files beside the device folders are none of Tandem's.
            _ => {}
        }
    }
    device_dirs.sort();
    // Each device folder's share-file names, Tandem's own names first.
    let mut queues: Vec<std::vec::IntoIter<PathBuf>> = Vec::new();
    let mut found = 0usize;
    for dir in device_dirs {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                problem(
                    &mut problems,
                    &dir,
                    &format!("it could not be listed ({e})"),
                );
                continue;
            }
        };
        let mut names: Vec<(bool, String)> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_share_file(n))
            .map(|n| (!canonical(&n), n))
            .collect();
        found += names.len();
        names.sort();
        names.truncate(MAX_FILES);
        queues.push(
            names
                .into_iter()
                .map(|(_, n)| dir.join(n))
                .collect::<Vec<_>>()
                .into_iter(),
        );
    }
    // In turns, one file of each device folder, until every folder is done or the cap is met.
    let mut taken = 0usize;
    'turns: loop {
        let mut any = false;
        for queue in &mut queues {
            let Some(path) = queue.next() else { continue };
            any = true;
            if taken == MAX_FILES {
                break 'turns;
            }
            taken += 1;
            match fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_file() => files.push(Listed {
                    path,
                    stamp: Stamp::of(&m),
                }),
                Ok(m) if m.file_type().is_symlink() => problem(
                    &mut problems,
                    &path,
                    "it is a link, which Tandem never follows",
                ),
                Ok(_) => problem(&mut problems, &path, "it is not a regular file"),
                // Gone since the listing (a writer compacted it away): next time.
                Err(_) => {}
            }
        }
        if !any {
            break;
        }
    }
    if found > MAX_FILES {
        problems.push(FileProblem {
            file: shown(share, folder),
            reason: format!(
                "it holds {found} share files; only {MAX_FILES} were read (each device's folder in turn, files named as Tandem names them first)"
            ),
        });
    }
    // A stable order for applying: by path.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, problems)
}

/// This device's own share files, in its own folder (a snapshot covers them all).
pub(super) fn list_own(mine: &Path) -> Vec<PathBuf> {
    fs::read_dir(mine)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_share_file(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect()
}

/// Reads a share file whole, refusing what is not a regular file no larger than [`MAX_FILE`]
/// (see [`crate::fsutil::read_capped`]).
pub(super) fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    crate::fsutil::read_capped(path, MAX_FILE).map_err(|e| match e {
        crate::fsutil::ReadError::TooLarge(len, _) => format!(
            "it is {} MB, larger than any Tandem file ({} MB at most)",
            len >> 20,
            MAX_FILE >> 20
        ),
        e => e.to_string(),
    })
}

/// What [`read_into`] found.
pub(super) struct ShareRead {
    /// Digests of the files applied.
    pub applied: Vec<String>,
    pub problems: Vec<FileProblem>,
    /// The document's view, when every file read together: deriving it is the check that the
    /// document reads, so the join does not read the whole document twice.
    pub view: Option<tandem_core::DocView>,
}

/// Opens the bytes of a share file of document `id`: authenticated with its key, and known not
/// to inflate past [`crate::inflate::MAX_INFLATED`]. The payload goes to Automerge; anything
/// else is a reason shown to the person. (Fuzzed: `fuzz/fuzz_targets/share_file.rs`.)
pub fn open_share_file(
    key: &DocKey,
    id: &str,
    bytes: &[u8],
) -> Result<crate::seal::Opened, String> {
    let opened = crate::seal::open(key, id, bytes).map_err(|e| e.to_string())?;
    crate::inflate::check_chunks(&opened.payload).map_err(|e| e.to_string())?;
    Ok(opened)
}

/// Reads every share file of document `d` in `folder` into `doc` (a document being joined, so
/// nothing is known of the folder yet), telling `progress` after each file; a file that does not
/// authenticate or does not read is reported. What arrived is checked as [`check_changes`]
/// checks an exchange: files that would leave the document unreadable here are left out (each
/// alone, as an exchange does), so one bad file cannot keep a new device from joining.
///
/// [`check_changes`]: tandem_core::Kind::check_changes
pub(super) fn read_into(
    doc: &mut automerge::AutoCommit,
    share: &Path,
    folder: &Path,
    d: &crate::DocId,
    key: &DocKey,
    progress: &mut dyn FnMut(super::Progress),
) -> ShareRead {
    let (listed, problems) = list(share, folder);
    let mut out = ShareRead {
        applied: Vec::new(),
        problems,
        view: None,
    };
    let mut read = super::Progress {
        files: listed.len(),
        bytes: listed.iter().map(|l| l.stamp.len).sum(),
        ..super::Progress::default()
    };
    let mut good = Vec::new();
    for file in listed {
        read.files_done += 1;
        read.bytes_done += file.stamp.len;
        let result = read_capped(&file.path)
            .and_then(|bytes| {
                let opened = open_share_file(key, &d.id, &bytes)?;
                Ok((digest(&bytes), opened.payload))
            })
            .and_then(|(digest, payload)| {
                doc.load_incremental(&payload)
                    .map(|_| (digest, payload))
                    .map_err(|e| format!("its contents could not be read ({e})"))
            });
        match result {
            Ok((digest, payload)) => good.push((file, digest, payload)),
            Err(_) if !file.path.exists() => {}
            Err(reason) => out.problems.push(FileProblem {
                file: shown(share, &file.path),
                reason,
            }),
        }
        progress(read);
    }
    // The whole document's view reads it whole, as `check_changes(doc, &[])` would (and a newer
    // schema's passes read-only, as it does there), and is kept for the join.
    if let Ok(view) = d.kind.view(doc) {
        out.applied = good.into_iter().map(|(_, digest, _)| digest).collect();
        out.view = Some(view);
        return out;
    }
    // Some file breaks it: again from nothing, file by file, each kept only if the document
    // still reads; a file waiting for another's changes is tried again after the others.
    *doc = tandem_core::new_document();
    let mut left = good;
    loop {
        let mut later = Vec::new();
        let kept_before = out.applied.len();
        for (file, digest, payload) in left {
            let mut trial = doc.fork();
            let before = trial.get_heads();
            if trial.load_incremental(&payload).is_err() {
                continue;
            }
            if !trial.get_missing_deps(&[]).is_empty() {
                later.push((file, digest, payload));
                continue;
            }
            match d.kind.check_changes(&mut trial, &before) {
                Ok(()) => {
                    *doc = trial;
                    out.applied.push(digest);
                }
                Err(e) => out.problems.push(FileProblem {
                    file: shown(share, &file.path),
                    reason: format!(
                        "a change in it would make the {} unreadable here ({e}); it was not applied",
                        d.kind
                    ),
                }),
            }
        }
        left = later;
        if left.is_empty() || out.applied.len() == kept_before {
            break;
        }
    }
    out
}

/// What [`ReadCache::check`] says of a listed file.
pub(super) enum Known {
    /// Read before, unchanged: its digest.
    Read(String),
    /// Failed before and not due for another try: why.
    Failed(String),
    /// New, changed, or due: read it.
    Unknown,
}

impl ReadCache {
    /// What is known of `file`; a failed file's wait counts down with each call.
    pub(super) fn check(&mut self, file: &Listed) -> Known {
        match self.files.get_mut(&file.path) {
            Some((stamp, verdict)) if *stamp == file.stamp => match verdict {
                Verdict::Read(d) => Known::Read(d.clone()),
                Verdict::Failed { reason, next, .. } if *next > 0 => {
                    *next -= 1;
                    Known::Failed(reason.clone())
                }
                Verdict::Failed { .. } => Known::Unknown,
            },
            _ => Known::Unknown,
        }
    }

    /// Remembers that `file` was read and has `digest`.
    pub(super) fn read(&mut self, file: &Listed, digest: &str) {
        self.files.insert(
            file.path.clone(),
            (file.stamp, Verdict::Read(digest.into())),
        );
    }

    /// Remembers that `file` could not be used, backing off if it failed before unchanged.
    pub(super) fn failed(&mut self, file: &Listed, reason: &str) {
        let wait = match self.files.get(&file.path) {
            Some((stamp, Verdict::Failed { wait, .. })) if *stamp == file.stamp => {
                (wait * 2).min(MAX_BACKOFF)
            }
            _ => 1,
        };
        self.files.insert(
            file.path.clone(),
            (
                file.stamp,
                Verdict::Failed {
                    reason: reason.into(),
                    wait,
                    next: wait,
                },
            ),
        );
    }

    /// Forgets files no longer listed (deleted by their writers).
    pub(super) fn keep_only(&mut self, listed: &[Listed]) {
        let present: std::collections::HashSet<&PathBuf> = listed.iter().map(|l| &l.path).collect();
        self.files.retain(|p, _| present.contains(p));
    }
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
        let a = pair_folder(share, "01PAIR", &DocKey([1; 32]));
        let b = pair_folder(share, "01PAIR", &DocKey([2; 32]));
        assert_ne!(a, b);
        assert!(!a.to_string_lossy().contains("01PAIR"));
    }

    #[test]
    fn a_failed_file_is_tried_again_less_and_less_often_until_it_changes() {
        let mut cache = ReadCache::default();
        let file = Listed {
            path: PathBuf::from("/s/d/1.tch"),
            stamp: Stamp {
                len: 3,
                modified_ns: 1,
                inode: 7,
            },
        };
        let mut tried = Vec::new();
        for round in 0..40 {
            if matches!(cache.check(&file), Known::Unknown) {
                tried.push(round);
                cache.failed(&file, "junk");
            }
        }
        assert_eq!(tried, [0, 2, 5, 10, 19, 36]);
        let changed = Listed {
            stamp: Stamp {
                len: 4,
                ..file.stamp
            },
            ..file.clone()
        };
        assert!(matches!(cache.check(&changed), Known::Unknown));
        cache.read(&changed, "d1");
        assert!(matches!(cache.check(&changed), Known::Read(d) if d == "d1"));
        cache.keep_only(&[]);
        assert!(matches!(cache.check(&changed), Known::Unknown));
    }

    #[test]
    fn a_flood_in_one_device_folder_crowds_out_no_genuine_file() {
        let share = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = share.path().join("tandem-v1").join("pair");
        let (flooded, other) = (folder.join("00AAAA"), folder.join("01BBBB"));
        for d in [&flooded, &other] {
            fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        // Junk with odd names that sort before Tandem's, more than the cap.
        for i in 0..MAX_FILES + 500 {
            fs::write(flooded.join(format!("0-junk-{i:05}.tch")), b"x").unwrap_or_default();
        }
        let genuine = [
            flooded.join("0000000000000007-0a0b0c0d.tch"),
            other.join("0000000000000001-01020304.tsn"),
        ];
        for g in &genuine {
            fs::write(g, b"sealed").unwrap_or_default();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/dev/zero", other.join("900-zero.tch")).unwrap_or_default();
        }
        let (listed, problems) = list(share.path(), &folder);
        // The cap counts every file looked at, the refused link too.
        assert_eq!(
            listed.len(),
            if cfg!(unix) { MAX_FILES - 1 } else { MAX_FILES }
        );
        for g in &genuine {
            assert!(
                listed.iter().any(|l| &l.path == g),
                "{} was crowded out",
                g.display()
            );
        }
        let reasons: Vec<&str> = problems.iter().map(|p| p.reason.as_str()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("only 4096 were read")),
            "{reasons:?}"
        );
        #[cfg(unix)]
        assert!(
            reasons.iter().any(|r| r.contains("never follows")),
            "{reasons:?}"
        );
    }
}
