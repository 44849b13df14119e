//! Private notes: one person's notes on a pair, in a document of their own that never leaves this
//! device (the library keeps it under `private/<pair-id>/`; no sync reads that folder).
//!
//! Schema: `{ schema_version, notes: Text }`. Documents written before kinds existed have only
//! `notes`; a missing `schema_version` reads as that first version.

use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, hydrate_prop, reconcile_prop};
use serde::{Deserialize, Serialize};

use crate::doc::Applied;
use crate::error::OpError;

/// The schema version this version writes.
pub const SCHEMA_VERSION: i64 = 1;

/// The private document.
#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct PrivateDoc {
    #[autosurgeon(missing = "Default::default")]
    pub schema_version: i64,
    #[autosurgeon(missing = "Default::default")]
    pub notes: Text,
}

/// What the window shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrivateView {
    pub notes: String,
}

/// The one edit: replace the notes with what the person typed (written as the splices that turn
/// the old text into the new, so it merges by character with itself on a restored backup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PrivateEdit {
    SetNotes { text: String },
}

/// Refuses private notes written by a newer Tandem.
pub fn check_version(doc: &AutoCommit) -> Result<(), OpError> {
    match doc.get(ROOT, "schema_version")? {
        None => Ok(()),
        Some(_) => {
            let v: i64 = hydrate_prop(doc, ROOT, "schema_version")?;
            if v > SCHEMA_VERSION {
                Err(OpError::NewerSchema(v))
            } else {
                Ok(())
            }
        }
    }
}

pub fn view_of(doc: &AutoCommit) -> Result<PrivateView, OpError> {
    check_version(doc)?;
    let d: PrivateDoc = autosurgeon::hydrate(doc)?;
    Ok(PrivateView {
        notes: d.notes.as_str().to_string(),
    })
}

/// Private notes as a document kind (`library.view::<Private>(pair_id)`; see
/// [`crate::kind::Document`]).
#[derive(Debug, Clone, Copy)]
pub struct Private;

/// Applies one edit to the private notes.
pub fn apply(doc: &mut AutoCommit, edit: &PrivateEdit) -> Result<Applied, OpError> {
    check_version(doc)?;
    match edit {
        PrivateEdit::SetNotes { text } => {
            crate::validate::long_text("notes", "Private notes", text)?;
            let mut notes: Text = match doc.get(ROOT, "notes")? {
                Some(_) => hydrate_prop(&*doc, ROOT, "notes")?,
                None => Text::default(),
            };
            notes.update(text);
            reconcile_prop(doc, ROOT, "notes", &notes)?;
            Ok(Applied {
                created: None,
                message: "Edit private notes".into(),
            })
        }
    }
}

/// Writes what a new private document holds before its first edit.
pub fn init(doc: &mut AutoCommit) -> Result<(), OpError> {
    reconcile_prop(doc, ROOT, "schema_version", SCHEMA_VERSION)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_set_and_read_back_and_a_newer_schema_is_refused() {
        let mut doc = crate::new_document();
        init(&mut doc).unwrap_or_else(|e| panic!("{e}"));
        let set = |t: &str| PrivateEdit::SetNotes { text: t.into() };
        apply(&mut doc, &set("Ask about the KEP")).unwrap_or_else(|e| panic!("{e}"));
        apply(&mut doc, &set("Ask Alex about the KEP")).unwrap_or_else(|e| panic!("{e}"));
        let v = view_of(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.notes, "Ask Alex about the KEP");
        let too_long = "x".repeat(crate::validate::MAX_LONG_TEXT + 1);
        assert!(matches!(
            apply(&mut doc, &set(&too_long)),
            Err(OpError::Invalid(_))
        ));
        reconcile_prop(&mut doc, ROOT, "schema_version", SCHEMA_VERSION + 1)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(view_of(&doc), Err(OpError::NewerSchema(2))));
    }

    #[test]
    fn notes_written_before_kinds_existed_still_read() {
        // What the first release wrote: only `notes`, no schema version.
        let mut doc = crate::new_document();
        reconcile_prop(&mut doc, ROOT, "notes", Text::with_value("old words"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            view_of(&doc).map(|v| v.notes).ok().as_deref(),
            Some("old words")
        );
    }
}
