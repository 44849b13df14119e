//! What crosses the IPC boundary and the CLI: form inputs as the person typed them, and errors.
//!
//! Inputs keep dates and numbers as the strings that were typed, so the same validation in
//! [`crate::validate`] produces the same sentence for the window and for the command line.

use serde::{Deserialize, Serialize};

/// The "New pair" form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPair {
    pub title: String,
    pub my_name: String,
    /// A [`crate::vocab::Role`] string.
    pub my_role: String,
    pub partner_name: String,
    /// Defaults to the counterpart of `my_role`.
    pub partner_role: Option<String>,
    /// A [`crate::vocab::Programme`] string.
    pub programme: String,
    pub target_role: String,
    /// Empty for "not scheduled yet", else a [`crate::vocab::Cadence`] string.
    pub cadence: String,
    /// ISO date of the first scheduled session; required with a cadence.
    pub start: String,
    /// Minutes per scheduled session; required with a cadence.
    pub minutes: String,
}

/// The "Log session" form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSession {
    pub date: String,
    pub minutes: String,
    /// [`crate::vocab::Method`] strings.
    pub methods: Vec<String>,
    pub agenda: String,
    pub notes: String,
}

/// The "Add goal" form: a SMART goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewGoal {
    pub title: String,
    pub specific: String,
    pub measurable: String,
    pub achievable: String,
    pub relevant: String,
    /// ISO due date, or empty.
    pub due: String,
}

/// One edit of a session's notes or agenda: delete `delete` characters at `pos`, then insert.
/// Positions count Unicode code points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextSplice {
    pub session_id: String,
    /// "notes" or "agenda".
    pub field: String,
    pub pos: usize,
    pub delete: usize,
    pub insert: String,
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
