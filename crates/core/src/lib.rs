//! Tandem's core: the documents a person keeps (a pair, private notes; programmes next), each one
//! Automerge document with a schema, the pure operations that change it, the rules that validate
//! input, and the views the window draws; progress summaries; and the IPC contract between the
//! window and the app.
//!
//! Architecture invariant: nothing here does IO, reads the clock or draws randomness. Time, ids and
//! the acting device are passed in, so every rule is testable natively and the crate builds for
//! wasm32.

pub mod conflicts;
pub mod contract;
pub mod doc;
pub mod error;
pub mod history;
pub mod kind;
pub mod pair;
pub mod private;
pub mod search;
pub mod summary;
pub mod templates;
pub mod text;
pub mod validate;
pub mod views;
pub mod vocab;

pub use doc::{Applied, Ctx, new_document, text_encoding};
pub use error::{ErrorCode, IpcError, OpError};
pub use kind::{DocView, Document, Kind};
pub use validate::ValidationError;
