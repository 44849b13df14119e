//! Crash-safe, full-disk-safe file writes.
//!
//! - [`write_atomic`]: a fresh temp file in the same folder (created new, never through a link),
//!   fsync, rename over the target, fsync the folder. A reader sees the old file or the new one,
//!   never a mix; a failed write (a full disk) removes its temp file and leaves the old file as
//!   it was.
//! - [`append_durable`]: appends and fsyncs; a short append is cut back off, so a failed append
//!   never leaves a torn record in front of later ones.
//! - [`create_dir_durable`]: creates missing folders and makes each new entry durable in its
//!   parent.
//! - [`read_capped`]: reads a file that must be a regular file no larger than a limit, without
//!   following a link or blocking on a FIFO.
//!
//! Files of the library are private to the person (folders 0700, files 0600 on Unix); files Tandem
//! writes for others to read (the shared folder, exports) keep the usual permissions.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use crate::StoreError;

/// Who may read a file Tandem writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only this person (the library's own files).
    Private,
    /// As the folder allows (the shared folder, exports).
    Shared,
}

fn options(access: Access) -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        if access == Access::Private {
            o.mode(0o600);
        }
        o.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = access;
    o
}

/// Why [`read_capped`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it could not be opened ({0})")]
    Open(std::io::Error),
    #[error("it could not be read ({0})")]
    Read(std::io::Error),
    #[error("it is not a regular file")]
    NotAFile,
    #[error("it is {} MB, larger than expected ({} MB at most)", .0 >> 20, .1 >> 20)]
    TooLarge(u64, u64),
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn not_found(&self) -> bool {
        matches!(self, ReadError::Open(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Reads `path` whole, refusing what is not a regular file of at most `max` bytes: opened
/// without following a link and without blocking (a FIFO would block forever), checked again
/// once open, and read no further than the limit (a file growing meanwhile, or a device).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(windows)]
    {
        // FILE_FLAG_OPEN_REPARSE_POINT: a symbolic link or junction is opened as itself (and then
        // refused below as not a file), not followed. Windows has no FIFOs in the file system.
        use std::os::windows::fs::OpenOptionsExt as _;
        options.custom_flags(0x0020_0000);
    }
    let file = options.open(path).map_err(ReadError::Open)?;
    let m = file.metadata().map_err(ReadError::Read)?;
    if !m.file_type().is_file() {
        return Err(ReadError::NotAFile);
    }
    if m.len() > max {
        return Err(ReadError::TooLarge(m.len(), max));
    }
    let mut bytes = Vec::with_capacity(m.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Read)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// Replaces `path` with `bytes` atomically and durably, readable by this person only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_as(path, bytes, Access::Private)
}

/// Replaces `path` with `bytes` atomically and durably, readable as the folder allows.
pub fn write_shared(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_as(path, bytes, Access::Shared)
}

fn write_atomic_as(path: &Path, bytes: &[u8], access: Access) -> Result<(), StoreError> {
    write_placed(path, bytes, access, |tmp| {
        fs::rename(tmp, path).map_err(StoreError::io("replace", path))
    })
}

/// Writes `bytes` to a fresh temp file beside `path`, makes it durable, then lets `place` put it
/// at `path`; the temp file never outlives a failure.
fn write_placed(
    path: &Path,
    bytes: &[u8],
    access: Access,
    place: impl FnOnce(&Path) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let written = (|| {
        let mut f = options(access)
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(StoreError::io("create", &tmp))?;
        f.write_all(bytes).map_err(StoreError::io("write", &tmp))?;
        f.sync_all()
            .map_err(StoreError::io("flush to disk", &tmp))?;
        drop(f);
        place(&tmp)
    })();
    if written.is_err() {
        // Never leave a half-written temp file behind (a full disk would keep them).
        let _ = fs::remove_file(&tmp);
    }
    written?;
    sync_dir(dir)
}

/// Writes a new file at `path` (readable as the folder allows), whole or not at all, and never
/// over an existing one: [`StoreError::Exists`] then. For exports, which must not silently replace
/// a file of the same name.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_placed(path, bytes, Access::Shared, |tmp| {
        // A hard link fails when the name is taken, where a rename would replace it.
        let linked = fs::hard_link(tmp, path);
        let _ = fs::remove_file(tmp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(StoreError::Exists(path.to_path_buf()))
            }
            // No hard links here (a FAT USB stick): create the name, refusing a taken one.
            Err(_) => {
                let placed = (|| {
                    let mut f = options(Access::Shared)
                        .write(true)
                        .create_new(true)
                        .open(path)?;
                    f.write_all(bytes)?;
                    f.sync_all()
                })();
                match placed {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Err(StoreError::Exists(path.to_path_buf()))
                    }
                    Err(e) => {
                        let _ = fs::remove_file(path);
                        Err(StoreError::io("write", path)(e))
                    }
                }
            }
        }
    })
}

/// Writes `bytes` as a new file named `name` in `dir`, or, when that name is taken, "name (2)",
/// "name (3)"…; returns where it went. Nothing is ever replaced.
pub fn write_unique(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<std::path::PathBuf, StoreError> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    for n in 1..=1000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match write_new(&candidate, bytes) {
            Err(StoreError::Exists(_)) => continue,
            other => return other.map(|()| candidate),
        }
    }
    Err(StoreError::Exists(dir.join(name)))
}

/// Makes a rename or a new entry in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io("flush to disk", dir))
}

/// Creates `dir` and any missing parents (private to this person), making each new folder
/// durable in its parent.
pub fn create_dir_durable(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent()
        && !parent.as_os_str().is_empty()
    {
        create_dir_durable(parent)?;
    }
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    match b.create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(StoreError::io("create", dir)(e)),
    }
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
        _ => Ok(()),
    }
}

/// Appends `bytes` to `path` (`len` long before) and waits until they are on disk. If the append
/// fails part-way (a full disk), the file is cut back to `len`, so the next append starts at a
/// record boundary; if even that fails, the error says the file needs rewriting.
pub fn append_durable(path: &Path, len: u64, bytes: &[u8]) -> Result<(), AppendError> {
    let mut f = options(Access::Private)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| AppendError::Failed(StoreError::io("open", path)(e)))?;
    let result = f
        .write_all(bytes)
        .and_then(|()| f.sync_data())
        .map_err(StoreError::io("append to", path));
    match result {
        Ok(()) => Ok(()),
        Err(e) => match f.set_len(len).and_then(|()| f.sync_all()) {
            Ok(()) => Err(AppendError::Failed(e)),
            Err(_) => Err(AppendError::Torn(e)),
        },
    }
}

/// Why an append did not happen.
#[derive(Debug)]
pub enum AppendError {
    /// Nothing was added: the file is as it was.
    Failed(StoreError),
    /// Part of the bytes may be in the file and could not be cut off.
    Torn(StoreError),
}

/// Cuts a file back to its first `len` bytes (a torn tail left by a crash).
pub fn truncate(path: &Path, len: u64) -> Result<(), StoreError> {
    let f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(StoreError::io("open", path))?;
    f.set_len(len).map_err(StoreError::io("truncate", path))?;
    f.sync_all().map_err(StoreError::io("flush to disk", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = dir.path().join("Summary.pdf");
        fs::write(&first, b"the person's own file").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            write_new(&first, b"export"),
            Err(StoreError::Exists(_))
        ));
        let went =
            write_unique(dir.path(), "Summary.pdf", b"export").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(went, dir.path().join("Summary (2).pdf"));
        let again =
            write_unique(dir.path(), "Summary.pdf", b"export").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, dir.path().join("Summary (3).pdf"));
        assert_eq!(
            fs::read(&first).unwrap_or_default(),
            b"the person's own file"
        );
        assert_eq!(fs::read(&went).unwrap_or_default(), b"export");
        // No temp file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn a_write_never_goes_through_a_link_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("settings.json");
        write_atomic(&target, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&target, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&target).unwrap_or_default(), b"two");
        let names: Vec<String> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["settings.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&target).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
            let nested = dir.path().join("a/b/c");
            create_dir_durable(&nested).unwrap_or_else(|e| panic!("{e}"));
            let mode = fs::metadata(dir.path().join("a")).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o700));
        }
    }
}
