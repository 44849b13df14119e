//! Widgets the screens share: the form kit, the error banner, "show more" for long lists, the notes
//! editor, a saved file, the search.

pub mod error;
pub mod form;
pub mod more;
pub mod notes_editor;
pub mod saved;
pub mod search;
