//! What the library offers for pairs beyond every kind's calls: creating one, logging a session,
//! typing into a session's notes, the library screen, finding a pair by name, its schedule as a
//! calendar file, and its progress summary.

use chrono::{DateTime, NaiveDate, Utc};
use tandem_core::pair::input::{NewPair, NewSession, TextSplice};
use tandem_core::pair::ops::{self, PairIds};
use tandem_core::pair::view::PairCard;
use tandem_core::pair::{Edit, Pair, PairView, SessionEdit};
use tandem_core::summary::{self, Format, Summary, SummaryError};
use tandem_core::views::{LibraryView, PairProblem};
use tandem_core::{DocView, Kind};

use super::{DocId, Library};
use crate::Mode;
use crate::StoreError;
use crate::store::DocStore;

impl Library {
    /// Ids of every pair, sorted.
    pub fn pair_ids(&self) -> Result<Vec<String>, StoreError> {
        self.ids(Kind::Pair)
    }

    /// Finds a pair by id, unique id prefix, or title (exact or unique part, any case).
    pub fn resolve(&mut self, query: &str) -> Result<String, StoreError> {
        let q = query.trim();
        let ids = self.pair_ids()?;
        if ids.iter().any(|id| id == q) {
            return Ok(q.to_string());
        }
        let by_prefix: Vec<&String> = ids
            .iter()
            .filter(|id| id.starts_with(&q.to_uppercase()))
            .collect();
        if q.len() >= 4 && by_prefix.len() == 1 {
            return Ok(by_prefix[0].clone());
        }
        let lower = q.to_lowercase();
        let mut exact = Vec::new();
        let mut partial = Vec::new();
        for id in &ids {
            let Ok(view) = self.view::<Pair>(id) else {
                continue;
            };
            let title = view.title.to_lowercase();
            if title == lower {
                exact.push((id.clone(), view.title.clone()));
            } else if !lower.is_empty() && title.contains(&lower) {
                partial.push((id.clone(), view.title.clone()));
            }
        }
        let found = if exact.is_empty() { partial } else { exact };
        match found.as_slice() {
            [(id, _)] => Ok(id.clone()),
            [] => Err(StoreError::NotFound(q.to_string())),
            many => Err(StoreError::Ambiguous {
                query: q.to_string(),
                matches: many.iter().map(|(id, t)| format!("{t} = {id}")).collect(),
            }),
        }
    }

    /// Every pair's library row; a pair that cannot be read is reported, not fatal.
    pub fn list(&mut self, today: NaiveDate) -> Result<LibraryView, StoreError> {
        let mut out = LibraryView::default();
        for id in self.pair_ids()? {
            match self.card(&id) {
                Ok(card) => out.pairs.push(card.summary(today)),
                Err(e) => out.problems.push(PairProblem {
                    id,
                    message: e.to_string(),
                }),
            }
        }
        // Most recently active first; never-met pairs by title.
        out.pairs.sort_by(|a, b| {
            b.last_session
                .cmp(&a.last_session)
                .then_with(|| a.title.cmp(&b.title))
        });
        Ok(out)
    }

    /// Pair `id`'s library row: from its card on disk when that matches its files and the pair is
    /// not loaded (a loaded pair may hold edits not yet on disk), else from its view (which writes
    /// the card again).
    fn card(&mut self, id: &str) -> Result<PairCard, StoreError> {
        let d = DocId::pair(id.to_string());
        self.check_owner(&d)?;
        let store = DocStore::new(self.dir(&d));
        if !self.open.contains_key(&d)
            && let Some(card) = store.read_card::<PairCard>()
        {
            return Ok(card);
        }
        let card = self.view::<Pair>(id)?.card();
        // Served from a view cache older than cards (a library from before them): write the card,
        // so the next listing reads it. (A view derived by loading the pair wrote it already.)
        // Only a speed-up: a failure costs nothing.
        if self.mode == Mode::ReadWrite
            && !self.open.contains_key(&d)
            && let Err(e) = store.write_card(&card)
        {
            tracing::warn!(error = %e, "could not write a pair's card");
        }
        Ok(card)
    }

    /// Creates a pair, with this device acting as the person who created it.
    pub fn create_pair(
        &mut self,
        input: &NewPair,
        now: DateTime<Utc>,
    ) -> Result<PairView, StoreError> {
        self.writable()?;
        let ids = PairIds {
            pair: ulid::Ulid::new().to_string(),
            me: ulid::Ulid::new().to_string(),
            partner: ulid::Ulid::new().to_string(),
        };
        let mut doc = tandem_core::new_document().with_actor(self.device.actor_id());
        ops::create_pair(&mut doc, &ids, input, now)?;
        doc.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message("Create pair")
                .with_time(now.timestamp()),
        );
        self.import(doc)
    }

    /// Stores a whole pair document made elsewhere (a generator, a partner) as a new pair of this
    /// library, under the id it carries.
    pub fn import(&mut self, mut doc: automerge::AutoCommit) -> Result<PairView, StoreError> {
        doc.commit();
        let id = tandem_core::pair::read::pair_id(&doc)?;
        match self.create(&DocId::pair(id.clone()), doc)? {
            DocView::Pair(v) => Ok(*v),
            _ => Err(StoreError::NotFound(id)),
        }
    }

    /// Logs a session; it is on disk when this returns. Returns the new session's id and the
    /// pair's view.
    pub fn log_session(
        &mut self,
        id: &str,
        input: &NewSession,
        now: DateTime<Utc>,
    ) -> Result<(String, PairView), StoreError> {
        let edit = Edit::from(SessionEdit::Log(input.clone()));
        let (applied, view) = self.apply::<Pair>(id, &edit, now)?;
        Ok((applied.created.unwrap_or_default(), view))
    }

    /// Applies one keystroke-sized edit to a session's text in memory; it becomes durable with the
    /// next batch. Never touches the disk.
    pub fn splice_text(
        &mut self,
        id: &str,
        edit: &TextSplice,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.keystroke(&DocId::pair(id), now, |doc| ops::splice_text(doc, edit))
    }

    /// The pair's agreed schedule as the text of an .ics calendar file.
    pub fn schedule_ics(&mut self, id: &str) -> Result<String, StoreError> {
        let open = self.load(&DocId::pair(id))?;
        let doc = tandem_core::pair::read::hydrate(&open.doc)?;
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
        let view = self.view::<Pair>(id)?;
        let t = match template.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => tandem_core::templates::template(t)
                .ok_or_else(|| SummaryError::NoTemplate(t.to_string()))?,
            None => tandem_core::templates::default_for(&view.programme, &view.target_role),
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
}

/// Renders a summary in `format`.
pub fn render(s: &Summary, format: Format) -> Result<Vec<u8>, summary::pdf::PdfError> {
    Ok(match format {
        Format::Md => summary::markdown(s).into_bytes(),
        Format::Html => summary::html(s).into_bytes(),
        Format::Pdf => summary::pdf::pdf(s)?,
    })
}
