//! Widgets the screens share: the form kit, the error banner, the notes editor, the search.

pub mod error;
pub mod form;
pub mod notes_editor;
pub mod search;
