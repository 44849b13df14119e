//! Views of the library and its syncing that every document kind shares: the library screen, the
//! sharing panel, a long exchange's progress, a peer's state, an invite.

use serde::{Deserialize, Serialize};

use crate::pair::view::PairSummary;

/// A pair that could not be read, reported beside the others rather than hiding them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairProblem {
    pub id: String,
    pub message: String,
}

/// The library screen: every pair's row, and any pair that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LibraryView {
    pub pairs: Vec<PairSummary>,
    pub problems: Vec<PairProblem>,
}

/// The sharing panel: the library's shared folder and keychain, and one pair's last exchange.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SharingView {
    /// The shared folder this pair syncs through, when one is picked…
    pub folder: Option<String>,
    /// …and whether it is the pair's own (else it is the library's, shared by every pair).
    #[serde(default)]
    pub folder_own: bool,
    /// The library's shared folder, when the pair has one of its own.
    #[serde(default)]
    pub library_folder: Option<String>,
    /// Which keychain holds the keys (e.g. "Secret Service")…
    pub keychain: Option<String>,
    /// …or why none is usable.
    pub keychain_error: Option<String>,
    /// Why keys kept there may not last (the kernel keyring forgets them at restart).
    #[serde(default)]
    pub keychain_warning: Option<String>,
    /// Whether this pair has a key (it was invited or joined on this device).
    pub shared: bool,
    /// RFC 3339 time of the last exchange this session, if any.
    pub last_exchange: Option<String>,
    /// Whether everything this device has is in the share.
    pub up_to_date: bool,
    /// Changes that arrived before earlier ones they build on.
    pub waiting: bool,
    /// Files that could not be used, and why: information, never data loss.
    pub problems: Vec<(String, String)>,
    /// The last exchange's error, if it failed.
    pub error: Option<String>,
    /// Changes on this device not yet in the shared folder, when one is set.
    #[serde(default)]
    pub pending: Option<usize>,
    /// Where this window accepts the partner's laptop directly ("192.168.1.20:7890"), if it does.
    #[serde(default)]
    pub listening: Option<String>,
    /// Laptops this pair syncs with directly, and how that is going.
    #[serde(default)]
    pub peers: Vec<PeerView>,
}

/// How far a long exchange with the shared folder (a large first sync) has got: the
/// `share-progress` event's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    pub pair: String,
    pub files_done: usize,
    pub files: usize,
    pub bytes_done: u64,
    pub bytes: u64,
}

impl SyncProgress {
    /// Whether the exchange has read everything.
    pub fn finished(&self) -> bool {
        self.files_done >= self.files
    }

    /// "Reading the shared folder: 3 of 40 files (1.2 of 9.8 MB)".
    pub fn sentence(&self) -> String {
        format!(
            "Reading the shared folder: {} of {} files ({:.1} of {:.1} MB)",
            self.files_done,
            self.files,
            self.bytes_done as f64 / 1e6,
            self.bytes as f64 / 1e6
        )
    }
}

/// A laptop a pair syncs with directly (peer to peer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerView {
    /// Its address as last seen.
    pub addr: String,
    /// Connected now (live: edits flow both ways within a second).
    pub connected: bool,
    /// RFC 3339 time changes were last exchanged with it.
    pub last_exchange: Option<String>,
    /// Why the last attempt failed, if it did.
    pub error: Option<String>,
}

/// An invite to show: the link, the code, and the plain warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteView {
    pub link: String,
    pub code: String,
}
