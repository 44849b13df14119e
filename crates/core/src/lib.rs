//! Tandem's core: the pair document (one Automerge document per mentor–mentee pair), the pure
//! operations that change it, the rules that validate input, and the views and DTOs the UI draws.
//!
//! Architecture invariant: nothing here does IO, reads the clock or draws randomness. Time, ids and
//! the acting person are passed in, so every rule is testable natively and the crate builds for wasm32.

pub mod conflicts;
pub mod doc;
pub mod dto;
pub mod history;
pub mod ops;
pub mod schedule;
pub mod schema;
pub mod summary;
pub mod text;
pub mod validate;
pub mod view;
pub mod vocab;

pub use doc::{new_document, text_encoding};
pub use ops::{OpError, TextField};
pub use schema::{PairDoc, SCHEMA_VERSION};
pub use validate::ValidationError;
