//! Errors shared by every document kind: why an operation did not apply ([`OpError`]), and an
//! error as the window receives it ([`IpcError`]: a code to branch on and a sentence to show).

use autosurgeon::{HydrateError, ReconcileError};
use serde::{Deserialize, Serialize};

pub use crate::validate::ValidationError;

/// Why an operation did not apply. The document is unchanged when an operation fails validation.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("That {0} does not exist in this pair (it may have been removed on another device).")]
    NotFound(&'static str),
    #[error("This device has not joined the pair as one of its people, so it cannot edit it.")]
    NotMember,
    #[error(
        "This pair was written by a newer Tandem (schema version {0}); update Tandem to edit it."
    )]
    NewerSchema(i64),
    #[error("The pair document is damaged: {0}.")]
    Malformed(String),
    // Boxed: these are large and every operation returns this error type.
    #[error("The pair document could not be changed: {0}.")]
    Automerge(Box<automerge::AutomergeError>),
    #[error("The pair document could not be written: {0}.")]
    Reconcile(Box<ReconcileError>),
    #[error("The pair document could not be read: {0}.")]
    Hydrate(Box<HydrateError>),
}

impl From<automerge::AutomergeError> for OpError {
    fn from(e: automerge::AutomergeError) -> OpError {
        OpError::Automerge(Box::new(e))
    }
}

impl From<ReconcileError> for OpError {
    fn from(e: ReconcileError) -> OpError {
        OpError::Reconcile(Box::new(e))
    }
}

impl From<HydrateError> for OpError {
    fn from(e: HydrateError) -> OpError {
        OpError::Hydrate(Box::new(e))
    }
}

/// Machine-readable error kinds; the UI matches on these, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input needs fixing; `field` says which.
    InvalidInput,
    NotFound,
    /// Another Tandem is using this library.
    Busy,
    /// The disk or a file on it failed; the message says which and what to do.
    Storage,
    /// A pair written by a newer Tandem.
    Unsupported,
    Internal,
}

/// An error as the UI receives it: a code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For [`ErrorCode::InvalidInput`]: the form field to highlight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}
