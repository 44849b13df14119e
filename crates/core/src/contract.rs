//! The contract between the window (tandem-ui) and the app (src-tauri): every command's name,
//! argument and reply type, and every event's name and payload type, written once and imported by
//! both sides. The list of commands is `contract/commands.rs`; the app's build script reads the
//! same file for the permissions, and a test in the app checks the handler list and the
//! capabilities against [`COMMANDS`].
//!
//! Every command takes one argument, `args`: the window invokes `name` with `{ "args": … }`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::history::HistoryEntry;
use crate::pair::edit::Edit;
use crate::pair::input::{NewPair, TextSplice};
use crate::pair::view::PairView;
use crate::search::{Hit, SearchQuery};
use crate::summary::Preview;
use crate::views::{InviteView, LibraryView, SharingView, SyncProgress};

/// A command the window calls.
pub trait Command {
    const NAME: &'static str;
    type Args: Serialize + DeserializeOwned;
    type Reply: Serialize + DeserializeOwned;
}

/// An event the app sends the window.
pub trait Event {
    const NAME: &'static str;
    type Payload: Serialize + DeserializeOwned + Clone;
}

macro_rules! commands {
    ($($(#[$doc:meta])* $name:ident => $ty:ident($args:ty) -> $reply:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $ty;
            impl Command for $ty {
                const NAME: &'static str = stringify!($name);
                type Args = $args;
                type Reply = $reply;
            }
        )*
        /// Every command's name, in the order of `contract/commands.rs`.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

include!("contract/commands.rs");

macro_rules! events {
    ($($(#[$doc:meta])* $name:literal => $ty:ident($payload:ty);)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $ty;
            impl Event for $ty {
                const NAME: &'static str = $name;
                type Payload = $payload;
            }
        )*
        /// Every event's name.
        pub const EVENTS: &[&str] = &[$($name),*];
    };
}

events! {
    /// A pair changed by itself (the partner's edits arrived): its id.
    "pair-changed" => PairChanged(String);
    /// How far a long exchange with the shared folder (a large first sync) has got.
    "share-progress" => ShareProgress(SyncProgress);
    /// A tandem://join/… link was opened while the window runs: the link.
    "invite-opened" => InviteOpened(String);
    /// Edits could not be written to disk (why), or are all on disk again (`None`).
    "save-problem" => SaveProblem(Option<String>);
    /// The search index was found damaged and rebuilt (the page takes why with
    /// `take_search_notice`).
    "search-rebuilt" => SearchRebuilt(NoArgs);
    /// An item of the window's menu (or its shortcut) was chosen: its id (`new-pair`,
    /// `new-session`, `export`, `sync-now`, `library`, `search`).
    "menu-chosen" => MenuChosen(String);
    /// What a pair's sharing panel shows has changed (its id; empty: every pair's): the panel
    /// asks for it again instead of polling.
    "sharing-changed" => SharingChanged(String);
}

/// Whether the page shows a pair (its page or its summary): the menu's pair items follow it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MenuContextArgs {
    pub pair: bool,
}

/// An exported file (as `export_summary` or `export_schedule` replied), opened with the desktop's
/// handler or, with `reveal`, shown in its folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OpenExportArgs {
    pub path: String,
    pub reveal: bool,
}

/// No arguments.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoArgs {}

/// A document's id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Id {
    pub id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewPairArgs {
    pub input: NewPair,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditArgs {
    pub id: String,
    pub edit: Edit,
}

/// What an edit returns: the id it created, if any, and the pair as it now is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Edited {
    pub created: Option<String>,
    pub pair: PairView,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpliceArgs {
    pub id: String,
    pub edit: TextSplice,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrivateNotesArgs {
    pub id: String,
    pub text: String,
}

/// Where pair `id` (`scope` "pair") or every pair (`scope` "library") syncs; an empty folder with
/// "pair" returns the pair to the library's folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShareFolderArgs {
    pub id: String,
    pub folder: String,
    pub scope: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinArgs {
    pub invite: String,
    /// The shared folder, or empty for the library's.
    pub share: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeerArgs {
    pub id: String,
    /// host:port of the partner's laptop.
    pub addr: String,
}

/// A summary's template ("" for the pair's programme's) and period ("" for the pair's start and
/// today).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PeriodArgs {
    pub id: String,
    pub template: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExportArgs {
    #[serde(flatten)]
    pub period: PeriodArgs,
    /// md, html or pdf.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FolderPickerArgs {
    pub title: String,
    /// Where the picker opens, when it is a folder.
    pub start: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in COMMANDS {
            assert!(seen.insert(*name), "{name} twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(GetPair::NAME, "get_pair");
        assert_eq!(PairChanged::NAME, "pair-changed");
        assert_eq!(SearchRebuilt::NAME, "search-rebuilt");
        assert_eq!(EVENTS.len(), 7);
    }
}
