//! What makes the window at home on a desktop: its log file and panic hook (`log`), a start-up
//! failure shown in a dialog (`dialog`), its size and place remembered (`geometry`) and its menu
//! with keyboard shortcuts (`menu`). Nobody sees standard error when Tandem is started from the
//! desktop's menu, so everything a person must know goes into the window or a dialog, and
//! everything a helper must know goes into the log.

pub mod dialog;
pub mod geometry;
pub mod handoff;
pub mod log;
pub mod menu;
pub mod reveal;
