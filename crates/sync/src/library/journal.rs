//! Reading a pair beyond its view: its history, its schedule as a calendar file, and the private
//! notes kept beside it.

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Text, hydrate_prop, reconcile_prop};
use chrono::{DateTime, NaiveDate, Utc};
use tandem_core::history::HistoryEntry;
use tandem_core::summary::{self, Format, Summary, SummaryError};
use tandem_core::{ops, validate};

use super::{Library, valid_id};
use crate::StoreError;
use crate::store::PairStore;

impl Library {
    /// The pair's timeline, newest first (at most `limit` lines).
    pub fn history(&mut self, id: &str, limit: usize) -> Result<Vec<HistoryEntry>, StoreError> {
        if self.mode == super::Mode::ReadWrite {
            // Typing not yet committed shows as the batch it will become.
            self.commit(id, "Edit notes", Utc::now(), true)?;
        }
        let pair = self.load(id)?;
        Ok(tandem_core::history::history(&mut pair.doc, limit)?)
    }

    /// The pair's agreed schedule as the text of an .ics calendar file.
    pub fn schedule_ics(&mut self, id: &str) -> Result<String, StoreError> {
        let pair = self.load(id)?;
        let doc = ops::hydrate(&pair.doc)?;
        Ok(crate::ics::schedule_ics(&doc)?)
    }

    /// The pair's progress summary for `template` (its programme's by default) over
    /// `from..=to` (the pair's start and `today` by default). Built from the pair's view, so it
    /// never waits for the CRDT and never sees private notes.
    pub fn summary(
        &mut self,
        id: &str,
        template: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Summary, StoreError> {
        let view = self.view(id)?;
        let t = match template.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => summary::templates::template(t)
                .ok_or_else(|| SummaryError::NoTemplate(t.to_string()))?,
            None => summary::templates::default_for(&view.programme, &view.target_role),
        };
        Ok(summary::build(&view, t, from, to, today)?)
    }

    /// The summary rendered in `format`: UTF-8 text for Markdown and HTML, bytes for PDF.
    pub fn export_summary(
        &mut self,
        id: &str,
        template: Option<&str>,
        format: Format,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Vec<u8>, StoreError> {
        let s = self.summary(id, template, from, to, today)?;
        Ok(render(&s, format)?)
    }

    fn private_store(&self, id: &str) -> Result<PairStore, StoreError> {
        if !valid_id(id) || !self.pairs_dir().join(id).is_dir() {
            return Err(StoreError::NotFound(id.to_string()));
        }
        Ok(PairStore::new(self.home.join("private").join(id)))
    }

    fn load_private(&self, store: &mut PairStore) -> Result<Option<AutoCommit>, StoreError> {
        if !store.exists() {
            return Ok(None);
        }
        let mut doc = store.load(self.mode == super::Mode::ReadWrite)?;
        doc.set_actor(self.device.actor_id());
        Ok(Some(doc))
    }

    /// This person's private notes on the pair ("" when there are none). They live in a separate
    /// document under `private/`, which no sync ever reads.
    pub fn private_notes(&mut self, id: &str) -> Result<String, StoreError> {
        let mut store = self.private_store(id)?;
        Ok(match self.load_private(&mut store)? {
            Some(doc) => notes_of(&doc)?.as_str().to_string(),
            None => String::new(),
        })
    }

    /// Replaces the private notes with `text`, written as the splices that turn the old text into
    /// the new, durably before returning.
    pub fn set_private_notes(
        &mut self,
        id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        validate::long_text("notes", "Private notes", text)
            .map_err(|e| StoreError::Op(Box::new(e.into())))?;
        let mut store = self.private_store(id)?;
        let existing = self.load_private(&mut store)?;
        let is_new = existing.is_none();
        let mut doc = existing
            .unwrap_or_else(|| tandem_core::new_document().with_actor(self.device.actor_id()));
        let op = |e: autosurgeon::ReconcileError| StoreError::Op(Box::new(e.into()));
        let mut notes = notes_of(&doc)?;
        notes.update(text);
        reconcile_prop(&mut doc, &ROOT, "notes", &notes).map_err(op)?;
        doc.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message("Edit private notes")
                .with_time(now.timestamp()),
        );
        if is_new {
            store.create(&mut doc)
        } else {
            store.persist(&mut doc)
        }
    }
}

/// The private document's notes ("" in a new document).
fn notes_of(doc: &AutoCommit) -> Result<Text, StoreError> {
    use automerge::ReadDoc;
    if doc.get(ROOT, "notes").ok().flatten().is_none() {
        return Ok(Text::default());
    }
    hydrate_prop(doc, &ROOT, "notes").map_err(|e| StoreError::Op(Box::new(e.into())))
}

/// Renders a summary in `format`.
pub fn render(s: &Summary, format: Format) -> Result<Vec<u8>, summary::pdf::PdfError> {
    Ok(match format {
        Format::Md => summary::markdown(s).into_bytes(),
        Format::Html => summary::html(s).into_bytes(),
        Format::Pdf => summary::pdf::pdf(s)?,
    })
}
