//! Noticing a share change at once: a file watcher on the shared folder. Only the events that can
//! mean a new or removed share file count (inotify also reports reads, and a reader would wake
//! itself); network and cloud folders may send no events at all, so callers rescan on a timer too.

use std::path::Path;

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How often an open app rescans a shared folder whose events may not come (a network or FUSE
/// mount: a partner's write on the server sends no event here).
pub const RESCAN: std::time::Duration = std::time::Duration::from_secs(3);

/// How often it rescans a watched folder on a local disk, whose every change the watcher reports
/// (Dropbox and Syncthing write there too): only a safety net, so a laptop on battery is not woken
/// every few seconds for nothing.
pub const RESCAN_WATCHED: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether the watcher sees every change to `folder`: it is on a local file system (a disk, a USB
/// stick, tmpfs), not a network or FUSE mount, where another machine's writes send no event.
/// Unknown file systems, and other systems than Linux, count as not (the rescan stays quick).
pub fn events_reliable(folder: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(st) = rustix::fs::statfs(folder) else {
            return false;
        };
        // The magic numbers of statfs(2): ext2/3/4, btrfs, xfs, tmpfs, f2fs, zfs, overlayfs,
        // vfat, exfat, ntfs3.
        const LOCAL: &[i64] = &[
            0xEF53,
            0x9123_683E,
            0x5846_5342,
            0x0102_1994,
            0xF2F5_2010,
            0x2FC1_2FC1,
            0x794C_7630,
            0x4D44,
            0x2011_BAB0,
            0x7366_746E,
        ];
        #[allow(clippy::unnecessary_cast, clippy::cast_lossless)]
        let kind = st.f_type as i64;
        LOCAL.contains(&kind)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = folder;
        false
    }
}

/// Whether an event may mean a share file appeared, changed or went away.
fn relevant(event: &notify::Event) -> bool {
    let kind = matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    );
    kind && event.paths.iter().any(|p| {
        p.file_name()
            .map(|n| n.to_string_lossy())
            .is_some_and(|n| !n.starts_with('.') && (n.contains(".tch") || n.contains(".tsn")))
    })
}

/// Watches Tandem's own folder in the shared folder `folder` (`tandem-v1`, recursively: never the
/// whole share, where a Dropbox root would cost a watch per folder) and calls `on_change` for
/// each relevant event. Keep the returned watcher alive as long as the watch should last.
pub fn watch_share(
    folder: &Path,
    on_change: impl Fn() + Send + 'static,
) -> notify::Result<RecommendedWatcher> {
    let own = folder.join(crate::library::SHARE_ROOT);
    // Made when the folder was picked; made again if someone removed it.
    let _ = std::fs::create_dir(&own);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res
            && relevant(&event)
        {
            on_change();
        }
    })?;
    watcher.watch(&own, RecursiveMode::Recursive)?;
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_local_folder_sends_its_events_and_a_proc_or_missing_one_does_not_count() {
        // /dev/shm is tmpfs on every Linux this runs on; /proc is not a disk; a folder that is
        // not there cannot be trusted either.
        assert!(events_reliable(Path::new("/dev/shm")));
        assert!(!events_reliable(Path::new("/proc")));
        assert!(!events_reliable(Path::new("/no/such/folder")));
    }

    #[test]
    fn a_new_share_file_is_noticed_and_a_read_or_a_temp_file_is_not() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (tx, rx) = mpsc::channel();
        let _w = watch_share(dir.path(), move || {
            let _ = tx.send(());
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let own = dir.path().join("tandem-v1");
        let file = own.join("0001-ab.tch");
        std::fs::write(own.join(".0001-ab.tch.tmp-1"), b"x").unwrap_or_default();
        std::fs::write(own.join("notes.txt"), b"x").unwrap_or_default();
        // The rest of the share is not Tandem's: not watched.
        std::fs::write(dir.path().join("9999-ff.tch"), b"x").unwrap_or_default();
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        std::fs::write(&file, b"sealed").unwrap_or_default();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
        while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
        let _ = std::fs::read(&file);
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "a read woke the watcher"
        );
    }
}
