//! The window's size and place, remembered per library in `<home>/window.json` and restored at the
//! next start. Per library rather than per app (tauri-plugin-window-state keeps one file in the
//! app's config folder): each `--home` is a window of its own, and tests on separate libraries
//! must not move each other's windows.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{LogicalPosition, LogicalSize, Manager as _, WebviewWindow};

/// Sizes are in logical pixels (what the window was set up with in tauri.conf.json).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    /// Where its outer top-left corner was; none when the desktop did not say.
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub maximized: bool,
}

/// The smallest window the layout works in (tauri.conf.json's minimum) and the largest believed.
const MIN: (f64, f64) = (720.0, 520.0);
const MAX: f64 = 20_000.0;

impl Geometry {
    /// A file from an older or damaged write, or from a much larger screen, never makes an
    /// unusable window: sizes out of range are refused (the default size is kept).
    pub fn usable(self) -> Option<Geometry> {
        let ok = |v: f64, min: f64| v.is_finite() && (min..=MAX).contains(&v);
        let place = |v: Option<f64>| v.filter(|v| v.is_finite() && v.abs() <= MAX);
        (ok(self.width, MIN.0) && ok(self.height, MIN.1)).then_some(Geometry {
            x: place(self.x),
            y: place(self.y),
            ..self
        })
    }
}

pub fn path(home: &Path) -> PathBuf {
    home.join("window.json")
}

/// What was saved, if it is there, a regular file, small, and usable.
pub fn load(home: &Path) -> Option<Geometry> {
    let bytes = tandem_sync::fsutil::read_capped(&path(home), 4096).ok()?;
    serde_json::from_slice::<Geometry>(&bytes)
        .ok()
        .and_then(Geometry::usable)
}

/// Saves `g`; a failure is logged, never shown (the window opens at its default size next time).
pub fn save(home: &Path, g: Geometry) {
    let json = serde_json::to_vec_pretty(&g).unwrap_or_default();
    if let Err(e) = tandem_sync::fsutil::write_atomic(&path(home), &json) {
        tracing::warn!(error = %e, "could not remember the window's size");
    }
}

/// The window's geometry now.
pub fn capture(window: &WebviewWindow) -> Option<Geometry> {
    let scale = window.scale_factor().ok()?;
    let size = window.inner_size().ok()?.to_logical::<f64>(scale);
    let place = window
        .outer_position()
        .ok()
        .map(|p| p.to_logical::<f64>(scale));
    Some(Geometry {
        width: size.width,
        height: size.height,
        x: place.map(|p| p.x),
        y: place.map(|p| p.y),
        maximized: window.is_maximized().unwrap_or(false),
    })
}

/// Gives `window` the saved geometry; a place off every screen (a monitor since unplugged) is
/// left to the desktop.
pub fn restore(window: &WebviewWindow, g: Geometry) {
    let _ = window.set_size(LogicalSize::new(g.width, g.height));
    if let (Some(x), Some(y)) = (g.x, g.y)
        && on_a_screen(window, x, y)
    {
        let _ = window.set_position(LogicalPosition::new(x, y));
    }
    if g.maximized {
        let _ = window.maximize();
    }
}

fn on_a_screen(window: &WebviewWindow, x: f64, y: f64) -> bool {
    let Ok(monitors) = window.available_monitors() else {
        return false;
    };
    monitors.iter().any(|m| {
        let scale = m.scale_factor();
        let at = m.position().to_logical::<f64>(scale);
        let size = m.size().to_logical::<f64>(scale);
        // The title bar's corner must be on the screen, with room to grab it.
        x >= at.x - 50.0
            && y >= at.y
            && x < at.x + size.width - 100.0
            && y < at.y + size.height - 50.0
    })
}

/// Remembers the main window's geometry in `home` (on close and on quit).
pub fn remember(app: &tauri::AppHandle, home: &Path) {
    if let Some(g) = app.get_webview_window("main").as_ref().and_then(capture) {
        save(home, g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(width: f64, height: f64) -> Geometry {
        Geometry {
            width,
            height,
            x: Some(10.0),
            y: Some(20.0),
            maximized: false,
        }
    }

    #[test]
    fn only_usable_sizes_are_restored() {
        assert_eq!(g(1200.0, 800.0).usable(), Some(g(1200.0, 800.0)));
        assert_eq!(g(100.0, 800.0).usable(), None);
        assert_eq!(g(1200.0, f64::NAN).usable(), None);
        assert_eq!(g(1e9, 800.0).usable(), None);
        let far = Geometry {
            x: Some(f64::INFINITY),
            ..g(1200.0, 800.0)
        };
        assert_eq!(far.usable().map(|g| g.x), Some(None));
    }

    #[test]
    fn a_damaged_or_hostile_file_is_ignored() {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(home.path()), None);
        std::fs::write(path(home.path()), b"{\"width\": 12").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(home.path()), None);
        std::fs::remove_file(path(home.path())).unwrap_or_else(|e| panic!("{e}"));
        // A FIFO would block a plain read for ever.
        let made = std::process::Command::new("mkfifo")
            .arg(path(home.path()))
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(made.success());
        assert_eq!(load(home.path()), None);
        std::fs::remove_file(path(home.path())).unwrap_or_else(|e| panic!("{e}"));
        save(home.path(), g(1300.0, 900.0));
        assert_eq!(load(home.path()), Some(g(1300.0, 900.0)));
    }
}
