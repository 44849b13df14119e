//! Tandem's local library and its replication: every document the person keeps (pairs, private
//! notes, and each kind to come), stored under one home folder and written so that a crash or a
//! kill loses at most the current unsaved batch of keystrokes; sync through a shared folder and
//! peer to peer; keys in the OS keychain; and the one sync service the window and `tandem sync`
//! both run.
//!
//! Layout of a home folder:
//! ```text
//! <home>/device.json                 this device's id and Automerge actor
//! <home>/.lock                       held while a process writes to the library
//! <home>/settings.json               the shared folder, and documents with a folder of their own
//! <home>/<kind folder>/<id>/snapshot.bin   framed `save()` of the document
//! <home>/<kind folder>/<id>/changes.log    framed `save_after()` batches since the snapshot
//! <home>/<kind folder>/<id>/view.json      materialised view + the files it was made from
//! <home>/<kind folder>/<id>/share.json     what this device wrote to and read from the share
//! <home>/<kind folder>/<id>/peers/*.sync   Automerge sync state per peer device
//! <home>/search/                     the search index (tantivy; rebuilt from the documents at will)
//! ```
//! Kind folders: `pairs/` (synced), `private/` (one person's notes on a pair, never synced).

mod doc_id;
mod error;
pub mod frame;
pub mod fsutil;
mod home;
pub mod ics;
pub mod inflate;
pub mod invite;
pub mod keys;
mod library;
pub mod p2p;
pub mod seal;
pub mod search;
pub mod service;
mod store;
pub mod watch;

pub use error::StoreError;
pub use home::{Device, resolve_home};
pub use library::{
    BATCH_AGE_MS, BATCH_EDITS, COMPACT_FILES, DocId, Exchange, FileProblem, KeyTaken, Library,
    MAX_FILE, MAX_FILES, Mode, PairExchange, PairShare, Progress, Received, ShareReport,
    device_folder, open_share_file, pair_folder, render,
};
pub use store::{COMPACT_BYTES, COMPACT_RECORDS};
