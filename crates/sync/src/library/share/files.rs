//! The files of a document in a shared folder: where its folder is, which names are share files
//! (whatever a copy tool renamed them to), and reading them: each file authenticates before its
//! changes reach the document, and one that does not is reported, never applied.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Progress;
use crate::StoreError;
use crate::seal::{self, DocKey};

/// A file in the share that could not be used, and why (shown, never fatal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub file: String,
    pub reason: String,
}

/// The folder of a document in a share: an HMAC of its id, so the folder name reveals nothing.
pub fn pair_folder(share: &Path, doc_id: &str, key: &DocKey) -> PathBuf {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"tandem share folder\0");
    mac.update(doc_id.as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag[..16].iter().map(|b| format!("{b:02x}")).collect();
    share.join("tandem-v1").join(hex)
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

/// Every share file under `dir` (one level of device folders, or the files of one folder), in a
/// stable order. A missing folder has no files.
pub(super) fn share_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
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
pub(super) struct ShareRead {
    /// Digests of every file present.
    pub present: BTreeSet<String>,
    /// Digests of the files newly applied.
    pub applied: Vec<String>,
    pub problems: Vec<FileProblem>,
}

/// Reads every file in the document folder `folder` of `share`, telling `progress` after each, and
/// applies to `doc` each one not in `skip` that authenticates. A file that does not is reported.
pub(super) fn read_share(
    doc: &mut automerge::AutoCommit,
    share: &Path,
    folder: &Path,
    id: &str,
    key: &DocKey,
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
}
