//! Tandem's local library: every pair the person keeps, stored under one home folder, written so
//! that a crash or a kill loses at most the current unsaved batch of keystrokes.
//!
//! Layout of a home folder:
//! ```text
//! <home>/device.json            this device's id and Automerge actor
//! <home>/.lock                  held while a process writes to the library
//! <home>/pairs/<pair-id>/snapshot.bin   framed `save()` of the document
//! <home>/pairs/<pair-id>/changes.log    framed `save_incremental()` batches since the snapshot
//! <home>/pairs/<pair-id>/view.json      materialised view + what it was made from
//! <home>/private/<pair-id>/             this person's private notes on the pair: a separate
//!                                       document, stored the same way, never synced
//! ```

mod error;
mod frame;
pub mod fsutil;
mod home;
pub mod ics;
pub mod invite;
pub mod keys;
mod library;
pub mod p2p;
pub mod seal;
mod store;
pub mod watch;

pub use error::StoreError;
pub use home::{Device, resolve_home};
pub use library::{
    BATCH_AGE_MS, BATCH_EDITS, COMPACT_FILES, FileProblem, Library, Mode, PairExchange, PairShare,
    Progress, Received, ShareReport, pair_folder, render,
};
pub use store::{COMPACT_BYTES, COMPACT_RECORDS};
