//! Noticing a share change at once: a file watcher on the shared folder. Only the events that can
//! mean a new or removed share file count (inotify also reports reads, and a reader would wake
//! itself); network and cloud folders may send no events at all, so callers rescan on a timer too.

use std::path::Path;

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How often an open app rescans the shared folder whether or not events came.
pub const RESCAN: std::time::Duration = std::time::Duration::from_secs(3);

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
