//! The index's folder, written as a cache: tantivy's own [`MmapDirectory`] without the `fsync`s.
//!
//! A commit of tantivy's `MmapDirectory` syncs every file of the new segment, `meta.json` and the
//! folder itself. Measured here (`tandem-bench search`), leaving the syncs out took an index update
//! after a typing batch from p50 21.5 / p99 33 ms to p50 15.4 / p99 23.5 ms; the rest is tantivy
//! writing a segment per commit. The index only repeats what the documents hold, and the
//! documents are what Tandem makes durable. If the machine loses power before the kernel has
//! written the index out, the next open finds one of two things: an older, sound commit, whose
//! payload names older document states, so those documents are indexed again (`catch_up`); or
//! files cut short, which tantivy's checksums catch, and the index is rebuilt from the documents.
//! Either way nothing is lost and nothing wrong is found. `meta.json` is still replaced by a
//! rename, so a reader never sees half of one. (A crash between writing the temporary file and
//! the rename leaves a `.meta.json.<pid>.<n>.tmp` of a few KB behind; nothing reads or removes it.)

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

#[derive(Debug, Clone)]
pub(crate) struct CacheDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl CacheDirectory {
    pub(crate) fn open(root: &Path) -> Result<CacheDirectory, OpenDirectoryError> {
        Ok(CacheDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// A file being written: flushed on terminate, not synced.
struct Unsynced(Box<dyn TerminatingWrite + Send + Sync>);

impl Write for Unsynced {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for Unsynced {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

static TEMP: AtomicU64 = AtomicU64::new(0);

impl Directory for CacheDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        // MmapDirectory's writer (it creates the file exclusively), minus its sync on terminate.
        // Its buffer is empty here, so taking the file out of it cannot fail to flush.
        let file =
            self.inner
                .open_write(path)?
                .into_inner()
                .map_err(|e| OpenWriteError::IoError {
                    io_error: Arc::new(e.into_error()),
                    filepath: path.to_path_buf(),
                })?;
        Ok(BufWriter::new(Box::new(Unsynced(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let target = self.root.join(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = self.root.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMP.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut f| f.write_all(data))
            .and_then(|()| std::fs::rename(&temp, &target));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// MmapDirectory's lock: an advisory lock (flock) on the lock file, which the system lets go
    /// when the process ends however it ends. Without this the trait's default took the lock by
    /// creating the file exclusively, so a Tandem killed or crashed left `.tantivy-writer.lock`
    /// behind and every later start found the index "busy" for good: nothing new was indexed,
    /// and the index job retried it four times a second.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
