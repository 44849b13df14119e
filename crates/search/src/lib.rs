//! Search everything a person has written: a local full-text index (tantivy: BM25 ranking, English
//! stemming, phrases, prefixes while typing, snippets) of every document in the library.
//!
//! The index lives in the library's own folder (`<home>/search/`), never in a shared folder, and
//! only repeats what the documents hold: it can be thrown away at any time and is rebuilt from
//! them, by itself when it is missing, damaged or of another format. The sync service keeps it up
//! to date after each persisted batch and each sync (tandem-sync's `service::index`), off the
//! typing path; this crate knows nothing of files, keys or sync.

mod cache_dir;
mod index;
mod query;
mod recent;
mod units;

pub use index::{COMMIT_AFTER, Hit, MAX_RECENT, Opened, SearchError, SearchIndex};
pub use query::{MAX_EXPANSIONS, SearchQuery};
pub use units::{Draft, KINDS, ToUnit, Unit, drafts, units};

/// Where a library keeps its index, relative to its home folder.
pub const FOLDER: &str = "search";

#[cfg(test)]
mod tests;
