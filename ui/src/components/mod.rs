//! Widgets the screens share: the form kit, the error banner, the notes editor.

pub mod error;
pub mod form;
pub mod notes_editor;
