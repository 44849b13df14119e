//! Keeping a clicked link out of the process list. A link clicked in a mail starts
//! `tandem tandem://join/…`, and a process's command line is readable by every local user
//! (`/proc/<pid>/cmdline`) for as long as it runs: the invite's secret would stay there while the
//! window is open. So, before anything else, the link goes into a file only this user can read
//! (`<library>/handoff/<random>`, mode 0600), and the process replaces itself (exec: the same
//! process, the same pid) with one whose command line carries only `tandem://handoff/<random>`.
//! The window, or the window already open that a second launch hands its arguments to, reads the
//! file and deletes it.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a command line carries instead of a link.
pub const PREFIX: &str = "tandem://handoff/";
/// A handed-off link nobody took (the process died first) is deleted after this long.
const STALE: Duration = Duration::from_secs(600);
/// Links are short; a handoff file larger than this is not one.
const MAX_LINK: u64 = 8 << 10;

fn folder(home: &Path) -> PathBuf {
    home.join("handoff")
}

/// The name in a handoff link, if it is one Tandem made (32 hex digits).
fn name_of(link: &str) -> Option<&str> {
    let name = link.strip_prefix(PREFIX)?;
    (name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())).then_some(name)
}

/// Writes `link` to a new handoff file in `home`, and returns the link that names it.
fn put(home: &Path, link: &str) -> std::io::Result<String> {
    use std::io::Write as _;
    let dir = folder(home);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    let name: String = rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let path = dir.join(&name);
    let mut file = options.open(&path)?;
    if let Err(e) = file
        .write_all(link.as_bytes())
        .and_then(|()| file.sync_all())
    {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(format!("{PREFIX}{name}"))
}

/// The link a handoff link stands for, read from its file (deleted as it is read, so it opens
/// once), or `None` when it is gone (already taken) or not a handoff link Tandem made. Older
/// handoff files nobody took are deleted on the way.
pub fn take(home: &Path, handoff: &str) -> Option<String> {
    let name = name_of(handoff)?;
    let dir = folder(home);
    let path = dir.join(name);
    let link = tandem_sync::fsutil::read_capped(&path, MAX_LINK)
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let _ = std::fs::remove_file(&path);
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    link
}

/// Replaces this process by one whose command line carries a handoff link instead of `link`
/// (which must be in the arguments). Returns only if that could not be done, saying why; the
/// caller then carries on with the link as it is.
#[cfg(unix)]
pub fn hide(home: &Path, link: &str) -> String {
    use std::os::unix::process::CommandExt as _;
    let handoff = match put(home, link) {
        Ok(h) => h,
        Err(e) => return format!("could not write the link for the window ({e})"),
    };
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| "tandem".into());
    let rest: Vec<std::ffi::OsString> = args
        .map(|a| if a == link { handoff.clone().into() } else { a })
        .collect();
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            let _ = take(home, &handoff);
            return format!("could not find this program to restart it ({e})");
        }
    };
    // `exec` returns only on failure.
    let e = std::process::Command::new(exe).arg0(arg0).args(rest).exec();
    let _ = take(home, &handoff);
    format!("could not restart without the link in the command line ({e})")
}

#[cfg(not(unix))]
pub fn hide(_home: &Path, _link: &str) -> String {
    "command lines are not shown to other users here".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handed_off_link_opens_once_and_only_from_its_own_file() {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let link = "tandem://join/SECRET";
        let handoff = put(home.path(), link).unwrap_or_else(|e| panic!("{e}"));
        assert!(!handoff.contains("SECRET"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let name = name_of(&handoff).unwrap_or_default();
            let meta =
                std::fs::metadata(folder(home.path()).join(name)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
            let dir = std::fs::metadata(folder(home.path())).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(dir.permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(take(home.path(), &handoff).as_deref(), Some(link));
        assert_eq!(take(home.path(), &handoff), None, "a second time");
        // Nothing outside the handoff folder can be named.
        assert_eq!(take(home.path(), "tandem://handoff/../device.json"), None);
        assert_eq!(take(home.path(), "tandem://join/x"), None);
    }
}
