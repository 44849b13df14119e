//! The index on disk: one tantivy index in the library's own `search/` folder. Each commit carries
//! (as tantivy's commit payload, written atomically with it) which state of each document it
//! holds, so that an index left behind by a crash, a CLI edit made while no window ran, or a
//! partner's changes received elsewhere is brought up to date document by document.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

use crate::cache_dir::CacheDirectory;
use crate::query::{self, SearchQuery};
use crate::recent::{Need, Recent, Stats};
use crate::units::{ToUnit, Unit};
pub use tandem_core::search::Hit;

/// Bumped when the schema or what a unit holds changes: an index of another format is rebuilt.
const FORMAT: u32 = 1;
/// The writer's memory (tantivy's minimum is 15 MB; one thread: typing batches are small).
const WRITER_MEMORY: usize = 15_000_000;
/// Snippets are about this long.
const SNIPPET_CHARS: usize = 180;
/// What was staged is committed this long after the first of it ([`SearchIndex::commit_if_due`]);
/// until then it is searchable in this process from the overlay, and in others not yet.
pub const COMMIT_AFTER: std::time::Duration = std::time::Duration::from_secs(5);
/// ...or as soon as this many units wait (a sync that brought a lot).
pub const MAX_RECENT: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index in {path} could not be {what}: {reason}")]
    Index {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error("{0}")]
    Query(String),
    #[error(
        "the search index is being written by the open Tandem window; search there, or close it"
    )]
    ReadOnly,
}

/// What opening the index found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The index was there and sound.
    Ready,
    /// There was none: it starts empty and fills from the documents.
    Created,
    /// It was damaged or of another format, and was thrown away: it is rebuilt from the documents
    /// (nothing of the person's is lost; the index only repeats what the documents hold).
    Rebuilt(String),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub doc: Field,
    pub pair: Field,
    pub pair_title: Field,
    pub kind: Field,
    pub entry: Field,
    pub date: Field,
    pub day: Field,
    pub title: Field,
    pub body: Field,
    pub digest: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED),
        pair: b.add_text_field("pair", STRING | STORED),
        pair_title: b.add_text_field("pair_title", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        entry: b.add_text_field("entry", STORED),
        date: b.add_text_field("date", STORED),
        day: b.add_u64_field("day", INDEXED | FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        digest: b.add_u64_field("digest", STORED),
    };
    (b.build(), f)
}

/// The commit payload.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    format: u32,
    /// Document → the state of its files it was indexed at.
    docs: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone)]
struct DocState {
    fingerprint: String,
    /// Unit key → digest, as indexed.
    units: HashMap<String, u64>,
}

/// An index found on disk, and what it holds of each document.
type Found = (Index, HashMap<String, DocState>);

/// The local search index of one library.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Option<Mutex<IndexWriter>>,
    f: Fields,
    docs: Mutex<HashMap<String, DocState>>,
    /// What was staged since the last commit, searchable at once. Taken after the writer and
    /// before `docs` by whoever takes more than one.
    recent: Mutex<Recent>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

fn err<'a>(
    what: &'static str,
    path: &'a Path,
) -> impl Fn(tantivy::TantivyError) -> SearchError + 'a {
    move |e| SearchError::Index {
        what,
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn str_of(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

impl SearchIndex {
    /// Opens the index in `dir` to read and write it (the process holding the library's lock),
    /// creating it if there is none and rebuilding it if it is damaged.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let (schema, f) = schema();
        let opened = match Self::read_existing(dir, &schema) {
            Ok(Some(found)) => Some(found),
            Ok(None) => None,
            Err(reason) => {
                tracing::warn!(%reason, "the search index is damaged; rebuilding it");
                Self::clear(dir)?;
                let (index, docs) = Self::create(dir, &schema)?;
                return Self::finish(dir, index, docs, f, true)
                    .map(|ix| (ix, Opened::Rebuilt(reason)));
            }
        };
        match opened {
            Some((index, docs)) => {
                Self::finish(dir, index, docs, f, true).map(|ix| (ix, Opened::Ready))
            }
            None => {
                Self::clear(dir)?;
                let (index, docs) = Self::create(dir, &schema)?;
                Self::finish(dir, index, docs, f, true).map(|ix| (ix, Opened::Created))
            }
        }
    }

    /// Opens the index only to search it, beside a process that writes it (the window): nothing
    /// is created, rebuilt or brought up to date.
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, f) = schema();
        match Self::read_existing(dir, &schema) {
            Ok(Some((index, docs))) => Self::finish(dir, index, docs, f, false),
            Ok(None) => Err(SearchError::Index {
                what: "read",
                path: dir.to_path_buf(),
                reason: "there is none yet".into(),
            }),
            Err(reason) => Err(SearchError::Index {
                what: "read",
                path: dir.to_path_buf(),
                reason,
            }),
        }
    }

    fn clear(dir: &Path) -> Result<(), SearchError> {
        let io = |e: std::io::Error| SearchError::Index {
            what: "created",
            path: dir.to_path_buf(),
            reason: e.to_string(),
        };
        // Not a folder (a file or a link put there): removed, never followed.
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(dir).map_err(io)?,
            Ok(_) => std::fs::remove_file(dir).map_err(io)?,
            Err(_) => {}
        }
        std::fs::create_dir_all(dir).map_err(io)
    }

    fn create(
        dir: &Path,
        schema: &Schema,
    ) -> Result<(Index, HashMap<String, DocState>), SearchError> {
        let folder = CacheDirectory::open(dir).map_err(|e| err("created", dir)(e.into()))?;
        let index = Index::create(folder, schema.clone(), IndexSettings::default())
            .map_err(err("created", dir))?;
        Ok((index, HashMap::new()))
    }

    /// The index in `dir` and what it holds; `None` if there is none; `Err(why)` if it is
    /// damaged or of another format.
    fn read_existing(dir: &Path, schema: &Schema) -> Result<Option<Found>, String> {
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err("it is not a folder".into()),
            Err(_) => return Ok(None),
        }
        match std::fs::symlink_metadata(dir.join("meta.json")) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err("its meta.json is not a file".into()),
            Err(_) => return Ok(None),
        }
        let folder = CacheDirectory::open(dir).map_err(|e| e.to_string())?;
        let index = Index::open(folder).map_err(|e| e.to_string())?;
        if index.schema() != *schema {
            return Err("it was made by another version of Tandem".into());
        }
        let meta = index.load_metas().map_err(|e| e.to_string())?;
        let payload: Payload = match &meta.payload {
            Some(p) => serde_json::from_str(p)
                .map_err(|e| format!("its record of documents is unreadable: {e}"))?,
            None => Payload {
                format: FORMAT,
                docs: BTreeMap::new(),
            },
        };
        if payload.format != FORMAT {
            return Err("it was made by another version of Tandem".into());
        }
        let damaged = index.validate_checksum().map_err(|e| e.to_string())?;
        if let Some(file) = damaged.iter().next() {
            return Err(format!("{} is damaged", file.display()));
        }
        // Which units each document has in the index, to index only what changes.
        let (_, f) = self::schema();
        let reader = index.reader().map_err(|e| e.to_string())?;
        let searcher = reader.searcher();
        let mut docs: HashMap<String, DocState> = payload
            .docs
            .into_iter()
            .map(|(d, fingerprint)| {
                (
                    d,
                    DocState {
                        fingerprint,
                        units: HashMap::new(),
                    },
                )
            })
            .collect();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for id in segment.doc_ids_alive() {
                let stored: TantivyDocument = searcher
                    .doc(DocAddress::new(ord as u32, id))
                    .map_err(|e| e.to_string())?;
                let digest = stored
                    .get_first(f.digest)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0);
                docs.entry(str_of(&stored, f.doc).to_string())
                    .or_default()
                    .units
                    .insert(str_of(&stored, f.key).to_string(), digest);
            }
        }
        Ok(Some((index, docs)))
    }

    fn finish(
        dir: &Path,
        index: Index,
        docs: HashMap<String, DocState>,
        f: Fields,
        write: bool,
    ) -> Result<SearchIndex, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(if write {
                ReloadPolicy::Manual
            } else {
                ReloadPolicy::OnCommitWithDelay
            })
            .try_into()
            .map_err(err("read", dir))?;
        let writer = if write {
            let w: IndexWriter = index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .map_err(err("opened for writing", dir))?;
            Some(Mutex::new(w))
        } else {
            None
        };
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer,
            f,
            docs: Mutex::new(docs),
            recent: Mutex::new(Recent::default()),
        })
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<String, DocState>> {
        self.docs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The state of `doc`'s files the index holds, if it holds the document at all.
    pub fn fingerprint(&self, doc: &str) -> Option<String> {
        self.docs().get(doc).map(|d| d.fingerprint.clone())
    }

    /// Every document the index holds.
    pub fn documents(&self) -> Vec<String> {
        let mut v: Vec<String> = self.docs().keys().cloned().collect();
        v.sort();
        v
    }

    /// How many units the index holds.
    pub fn len(&self) -> usize {
        self.docs().values().map(|d| d.units.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many units were staged since the last commit.
    pub fn staged(&self) -> usize {
        self.recent().len()
    }

    /// Whether anything (units, or only a document's new state) waits for the commit.
    pub fn has_uncommitted(&self) -> bool {
        self.recent().since.is_some()
    }

    /// Commits what was staged if the first of it waits for [`COMMIT_AFTER`] or more, or
    /// [`MAX_RECENT`] units wait; returns whether it committed.
    pub fn commit_if_due(&self) -> Result<bool, SearchError> {
        let due = {
            let recent = self.recent();
            recent.len() >= MAX_RECENT || recent.since.is_some_and(|t| t.elapsed() >= COMMIT_AFTER)
        };
        if due {
            self.commit()?;
        }
        Ok(due)
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer
            .as_ref()
            .ok_or(SearchError::ReadOnly)
            .map(|w| w.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Makes the index hold `units` for document `doc`, at the state `fingerprint` of its files:
    /// only the units that changed are written. Searchable at once in this process; written to
    /// disk (and seen by other processes) at the next [`SearchIndex::commit`]. Returns how many
    /// units changed.
    pub fn update(
        &self,
        doc: &str,
        fingerprint: &str,
        units: &[impl ToUnit],
    ) -> Result<usize, SearchError> {
        self.write(doc, fingerprint, units, true)
    }

    /// As [`SearchIndex::update`], for catching up many documents with a commit right after:
    /// searchable only after that commit (the overlay would hold a second copy of everything).
    pub fn load(
        &self,
        doc: &str,
        fingerprint: &str,
        units: &[impl ToUnit],
    ) -> Result<usize, SearchError> {
        self.write(doc, fingerprint, units, false)
    }

    fn write(
        &self,
        doc: &str,
        fingerprint: &str,
        units: &[impl ToUnit],
        at_once: bool,
    ) -> Result<usize, SearchError> {
        let writer = self.writer()?;
        let mut analyzer = self
            .index
            .tokenizer_for_field(self.f.body)
            .map_err(err("written", &self.dir))?;
        // Locks in one order everywhere: writer, recent, docs (commit and remove take them so).
        let mut recent = self.recent();
        let mut docs = self.docs();
        let state = docs.entry(doc.to_string()).or_default();
        let mut changed = 0;
        let mut seen = std::collections::HashSet::new();
        for draft in units {
            let digest = draft.digest();
            let key = draft.key();
            if state.units.get(&key) == Some(&digest) {
                seen.insert(key);
                continue;
            }
            let u = draft.to_unit();
            writer.delete_term(Term::from_field_text(self.f.key, &key));
            writer
                .add_document(self.document(&u, digest))
                .map_err(err("written", &self.dir))?;
            state.units.insert(key.clone(), digest);
            if at_once {
                recent.stage(&mut analyzer, &u);
            } else {
                recent.forget(&key);
            }
            seen.insert(key);
            changed += 1;
        }
        let gone: Vec<String> = state
            .units
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        for k in gone {
            writer.delete_term(Term::from_field_text(self.f.key, &k));
            state.units.remove(&k);
            recent.unstage(&k);
            changed += 1;
        }
        if state.fingerprint != fingerprint {
            // The document's new state is recorded at the commit, even when no unit changed.
            recent.touch();
            state.fingerprint = fingerprint.to_string();
        }
        Ok(changed)
    }

    /// Forgets document `doc` (it was deleted or left): gone from results at once.
    pub fn remove(&self, doc: &str) -> Result<(), SearchError> {
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(self.f.doc, doc));
        let mut recent = self.recent();
        if let Some(state) = self.docs().remove(doc) {
            for k in state.units.keys() {
                recent.unstage(k);
            }
        }
        recent.touch();
        Ok(())
    }

    fn document(&self, u: &Unit, digest: u64) -> TantivyDocument {
        let f = &self.f;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, &u.key);
        d.add_text(f.doc, &u.doc);
        d.add_text(f.pair, &u.pair);
        d.add_text(f.pair_title, &u.pair_title);
        d.add_text(f.kind, &u.kind);
        d.add_text(f.entry, &u.entry);
        d.add_text(f.date, &u.date);
        let day: String = u.date.chars().filter(char::is_ascii_digit).collect();
        d.add_u64(f.day, day.parse().unwrap_or(0));
        d.add_text(f.title, &u.title);
        d.add_text(f.body, &u.body);
        d.add_u64(f.digest, digest);
        d
    }

    /// Writes what [`SearchIndex::update`] and [`SearchIndex::remove`] staged, with the state of
    /// every document, and makes it searchable by other processes.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        // Held until the reader sees the commit, so that a search never misses what moves from
        // the overlay to the index.
        let mut recent = self.recent();
        let payload = {
            let docs = self.docs();
            serde_json::to_string(&Payload {
                format: FORMAT,
                docs: docs
                    .iter()
                    .map(|(d, s)| (d.clone(), s.fingerprint.clone()))
                    .collect(),
            })
            .map_err(|e| SearchError::Query(e.to_string()))?
        };
        let mut prepared = writer.prepare_commit().map_err(err("written", &self.dir))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(err("written", &self.dir))?;
        self.reader.reload().map_err(err("read", &self.dir))?;
        recent.clear();
        Ok(())
    }

    /// The best matches for `q`, best first: what was committed and what was staged since.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, SearchError> {
        // Held throughout, so that a commit cannot move units between the two meanwhile.
        let recent = self.recent();
        let searcher = self.reader.searcher();
        let mut analyzer = self
            .index
            .tokenizer_for_field(self.f.body)
            .map_err(err("read", &self.dir))?;
        let recent_words = |prefix: &str| recent.words_starting(prefix);
        let (query, needs) = query::build(&searcher, &self.f, &mut analyzer, q, &recent_words)
            .map_err(SearchError::Query)?;
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let top = searcher
            .search(
                &query,
                &TopDocs::with_limit(limit + recent.hidden.len()).order_by_score(),
            )
            .map_err(err("searched", &self.dir))?;
        let snippets = self.snippets(&searcher, &needs)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(err("read", &self.dir))?;
            if recent.hidden.contains(str_of(&d, self.f.key)) {
                continue;
            }
            let unit = self.unit_of(&d);
            hits.push(hit(&unit, score, &snippets));
        }
        if !recent.staged.is_empty() {
            let doc_freq = |w: &str| {
                let df = |field| {
                    searcher
                        .doc_freq(&Term::from_field_text(field, w))
                        .unwrap_or(0)
                };
                (df(self.f.title), df(self.f.body))
            };
            let (avg_title, avg_body) = self.averages(&searcher);
            let stats = Stats {
                docs: searcher.num_docs() + recent.staged.len() as u64,
                avg_title,
                avg_body,
                doc_freq: &doc_freq,
            };
            let days = query::days(q).map_err(SearchError::Query)?;
            for (score, s) in
                recent.search(&needs, q.pair.as_deref(), q.kind.as_deref(), days, &stats)
            {
                hits.push(hit(&s.unit, score, &snippets));
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Marks the words a query needs in a body: rarer words weigh more, as in tantivy's own
    /// generator, and a word only a staged unit holds is marked too.
    fn snippets(
        &self,
        searcher: &tantivy::Searcher,
        needs: &[Need],
    ) -> Result<SnippetGenerator, SearchError> {
        let mut weights = BTreeMap::new();
        for need in needs {
            let (Need::AnyOf(words) | Need::Phrase(words)) = need;
            for w in words {
                let df = searcher
                    .doc_freq(&Term::from_field_text(self.f.body, w))
                    .map_err(err("searched", &self.dir))?;
                weights.insert(w.clone(), 1.0 / (1.0 + df as f32));
            }
        }
        let analyzer = self
            .index
            .tokenizer_for_field(self.f.body)
            .map_err(err("searched", &self.dir))?;
        Ok(SnippetGenerator::new(
            weights,
            analyzer,
            self.f.body,
            SNIPPET_CHARS,
        ))
    }

    /// The average number of words in a committed title and body.
    fn averages(&self, searcher: &tantivy::Searcher) -> (f32, f32) {
        let mut docs = 0u64;
        let (mut title, mut body) = (0u64, 0u64);
        for segment in searcher.segment_readers() {
            docs += u64::from(segment.max_doc());
            let tokens = |field| {
                segment
                    .inverted_index(field)
                    .map(|i| i.total_num_tokens())
                    .unwrap_or(0)
            };
            title += tokens(self.f.title);
            body += tokens(self.f.body);
        }
        let avg = |n: u64| {
            if docs == 0 {
                0.0
            } else {
                n as f32 / docs as f32
            }
        };
        (avg(title), avg(body))
    }

    /// A stored unit, read back.
    fn unit_of(&self, d: &TantivyDocument) -> Unit {
        let f = &self.f;
        Unit {
            key: str_of(d, f.key).to_string(),
            doc: str_of(d, f.doc).to_string(),
            pair: str_of(d, f.pair).to_string(),
            pair_title: str_of(d, f.pair_title).to_string(),
            kind: str_of(d, f.kind).to_string(),
            entry: str_of(d, f.entry).to_string(),
            date: str_of(d, f.date).to_string(),
            title: str_of(d, f.title).to_string(),
            body: str_of(d, f.body).to_string(),
        }
    }

    /// The folder the index is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(std::fs::Metadata::is_file)
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

impl Drop for SearchIndex {
    /// What was staged is not lost when the window closes (it would be caught up from the
    /// documents at the next start, but that costs a start-up).
    fn drop(&mut self) {
        if self.writer.is_some()
            && self.has_uncommitted()
            && let Err(e) = self.commit()
        {
            tracing::warn!(error = %e, "the search index could not be written on closing");
        }
    }
}

/// A result, with its snippet.
fn hit(u: &Unit, score: f32, snippets: &SnippetGenerator) -> Hit {
    let snippet = snippets.snippet(&u.body);
    let (text, marks) = if snippet.highlighted().is_empty() {
        // The title matched: the body's beginning, without marks.
        (opening(&u.body, SNIPPET_CHARS), Vec::new())
    } else {
        (
            snippet.fragment().to_string(),
            snippet
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
        )
    };
    Hit {
        pair: u.pair.clone(),
        pair_title: u.pair_title.clone(),
        kind: u.kind.clone(),
        entry: u.entry.clone(),
        date: u.date.clone(),
        title: u.title.clone(),
        snippet: text,
        marks,
        score,
    }
}

/// The first `max` characters of `text`, cut at a word.
fn opening(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.trim().to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) => format!("{}…", cut[..i].trim_end()),
        None => format!("{cut}…"),
    }
}
