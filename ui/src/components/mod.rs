//! Widgets shared by the screens.

pub mod error;
pub mod notes_editor;
