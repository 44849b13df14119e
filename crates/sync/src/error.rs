//! Errors of the local library, each a sentence that says what happened and what to do.

use std::path::PathBuf;

use tandem_core::{ErrorCode, IpcError, OpError, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Could not {action} {}: {source}.", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "Another Tandem is already using the library in {}. Close it, or pass --home to use another folder.",
        .0.display()
    )]
    Busy(PathBuf),
    #[error("Could not find a folder for Tandem's data; set TANDEM_HOME or pass --home.")]
    NoHome,
    #[error("No pair matches “{0}”. `tandem pair list` shows the pairs in this library.")]
    NotFound(String),
    #[error("“{query}” matches more than one pair ({}); give more of the pair's id.", matches.join(", "))]
    Ambiguous { query: String, matches: Vec<String> },
    #[error("{} is damaged ({reason}); Tandem left it untouched.", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error("{} already exists; Tandem does not replace it: choose another name, or move that file first.", .0.display())]
    Exists(PathBuf),
    #[error("This library is open read-only; close the other Tandem to make changes.")]
    ReadOnly,
    /// Boxed: Automerge's errors are large, and this travels through every `?`.
    #[error("{} is not a folder; pick the folder both laptops see.", .0.display())]
    NotAFolder(PathBuf),
    #[error(
        "No shared folder is set; pick one first (`tandem share set <folder>`, or Settings in the window)."
    )]
    NoShareFolder,
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
    #[error(transparent)]
    Invite(#[from] crate::invite::InviteError),
    #[error("No one called “{0}” is in this pair.")]
    NoSuchPerson(String),
    #[error("This pair has several people to invite ({0}); say which with --for NAME.")]
    WhichPerson(String),
    #[error("This library already has pair {0}.")]
    AlreadyJoined(String),
    #[error(
        "Nothing of this pair could be read from {} yet{}. Ask your partner to sync to the same folder, then try again.",
        folder.display(),
        if *problems > 0 { format!(" ({problems} file(s) there did not open with the invite's key)") } else { String::new() }
    )]
    NothingInShare { folder: PathBuf, problems: usize },
    #[error(transparent)]
    Ics(#[from] crate::ics::IcsError),
    /// A peer connection failed; the sentence says why (wrong key, timeout, a bad message).
    #[error("The connection to the other laptop failed: {0}.")]
    Peer(String),
    #[error(transparent)]
    Summary(#[from] tandem_core::summary::SummaryError),
    #[error(transparent)]
    Pdf(#[from] tandem_core::summary::pdf::PdfError),
    #[error(transparent)]
    Op(Box<OpError>),
    #[error("{0}")]
    NoKeychain(String),
    #[error(
        "The key of this {kind} is missing from the keychain ({keychain}; the kernel keyring forgets keys when the computer restarts). Tandem will not make a new one, which would split the {kind} in two: ask your partner for a new invite to restore it."
    )]
    KeyLost {
        kind: tandem_core::Kind,
        keychain: &'static str,
    },
    #[error(
        "The keychain holds a different key for this {0} than the one it was shared with (perhaps from another invite); Tandem does not use it. Ask your partner for a new invite."
    )]
    KeyMismatch(tandem_core::Kind),
    #[error(
        "This invite carries a different key for this {0} than the one it was shared with, so it was not made for it by your partner's Tandem; nothing was changed. Ask your partner for a new invite."
    )]
    ForeignInviteKey(tandem_core::Kind),
    /// A change was made but could not be written to disk (a full disk); the library keeps it in
    /// memory and writes it as soon as it can, while this process runs.
    #[error(
        "Your change could not be written to disk ({source}). Free some space and try again; nothing saved before is lost."
    )]
    Unsaved {
        created: Option<String>,
        source: Box<StoreError>,
    },
    #[error(
        "Tandem hit an internal error (a lock was poisoned); restart it. Your saved work is safe."
    )]
    Poisoned,
    #[error("This document is kept on this device only ({0}); it is never synced or shared.")]
    LocalOnly(tandem_core::Kind),
    #[error(transparent)]
    Search(#[from] tandem_search::SearchError),
}

impl From<OpError> for StoreError {
    fn from(e: OpError) -> StoreError {
        StoreError::Op(Box::new(e))
    }
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io {
            action,
            path,
            source,
        }
    }

    /// The validation error inside, if the input was at fault.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            StoreError::Op(op) => match op.as_ref() {
                OpError::Invalid(v) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The error as the UI receives it.
    pub fn to_ipc(&self) -> IpcError {
        let code = match self {
            StoreError::Op(op) => match op.as_ref() {
                OpError::Invalid(_) | OpError::NotMember => ErrorCode::InvalidInput,
                OpError::NotFound(_) => ErrorCode::NotFound,
                OpError::NewerSchema(_) => ErrorCode::Unsupported,
                _ => ErrorCode::Internal,
            },
            StoreError::NotFound(_) => ErrorCode::NotFound,
            StoreError::Ics(_)
            | StoreError::Summary(_)
            | StoreError::AlreadyJoined(_)
            | StoreError::NotAFolder(_)
            | StoreError::NoShareFolder
            | StoreError::Invite(_)
            | StoreError::NoSuchPerson(_)
            | StoreError::WhichPerson(_) => ErrorCode::InvalidInput,
            StoreError::Key(_)
            | StoreError::NoKeychain(_)
            | StoreError::KeyLost { .. }
            | StoreError::KeyMismatch(_)
            | StoreError::ForeignInviteKey(_) => ErrorCode::Storage,
            StoreError::Poisoned => ErrorCode::Internal,
            StoreError::Pdf(_) => ErrorCode::Internal,
            StoreError::LocalOnly(_) => ErrorCode::InvalidInput,
            StoreError::Peer(_) => ErrorCode::Storage,
            StoreError::NothingInShare { .. } => ErrorCode::NotFound,
            StoreError::Ambiguous { .. } => ErrorCode::InvalidInput,
            StoreError::Busy(_) | StoreError::ReadOnly => ErrorCode::Busy,
            StoreError::Search(tandem_search::SearchError::Query(_)) => ErrorCode::InvalidInput,
            StoreError::Search(_) => ErrorCode::Storage,
            StoreError::Io { .. }
            | StoreError::NoHome
            | StoreError::Damaged { .. }
            | StoreError::Exists(_)
            | StoreError::Unsaved { .. } => ErrorCode::Storage,
        };
        IpcError {
            code,
            message: self.to_string(),
            field: match self {
                StoreError::Summary(tandem_core::summary::SummaryError::NoTemplate(_)) => {
                    Some("template".into())
                }
                StoreError::Search(tandem_search::SearchError::Query(_)) => Some("query".into()),
                StoreError::Summary(tandem_core::summary::SummaryError::Backwards { .. }) => {
                    Some("to".into())
                }
                _ => self.validation().map(|v| v.field.to_string()),
            },
        }
    }
}
