//! Opening a file or folder with the desktop's own handler (the file manager for a folder), for
//! "Show the log folder" and for exports. Started and left to run: Tandem never waits on it.

use std::path::Path;
use std::process::{Command, Stdio};

/// Opens `path` as a double click in the file manager would.
pub fn open(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "macos")]
    let mut cmd = Command::new("open");
    #[cfg(windows)]
    let mut cmd = {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", windows)))]
    let mut cmd = Command::new("xdg-open");
    cmd.arg(path);
    detach(cmd)
}

/// Shows `file` in its folder (selected where the desktop can: macOS and Windows; on Linux the
/// folder is opened).
pub fn reveal(file: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "macos")]
    {
        let mut cmd = Command::new("open");
        cmd.arg("-R").arg(file);
        detach(cmd)
    }
    #[cfg(windows)]
    {
        let mut cmd = Command::new("explorer");
        cmd.arg(format!("/select,{}", file.display()));
        detach(cmd)
    }
    #[cfg(not(any(target_os = "macos", windows)))]
    {
        open(file.parent().unwrap_or(file))
    }
}

fn detach(mut cmd: Command) -> std::io::Result<()> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reaped off the caller's thread, so no zombie is left behind.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
