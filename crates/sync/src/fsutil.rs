//! Crash-safe file writes: a temp file in the same folder, fsync, rename over the target, fsync the
//! folder. A reader sees the old file or the new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::StoreError;

/// Replaces `path` with `bytes` atomically and durably.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let mut f = File::create(&tmp).map_err(StoreError::io("create", &tmp))?;
    f.write_all(bytes).map_err(StoreError::io("write", &tmp))?;
    f.sync_all()
        .map_err(StoreError::io("flush to disk", &tmp))?;
    drop(f);
    fs::rename(&tmp, path).map_err(StoreError::io("replace", path))?;
    sync_dir(dir)
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io("flush to disk", dir))
}

/// Appends `bytes` to `path` and waits until they are on disk.
pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut f = OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(StoreError::io("open", path))?;
    f.write_all(bytes)
        .map_err(StoreError::io("append to", path))?;
    f.sync_data().map_err(StoreError::io("flush to disk", path))
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
