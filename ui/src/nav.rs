//! What every screen shares, provided as context by the app shell: which screen is showing, a long
//! exchange's progress, and an invite link the window was asked to open. Screens are plain state,
//! not URLs: the window has no address bar, and a signal is all the routing it needs.

use leptos::prelude::*;
use tandem_core::views::SyncProgress;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Library,
    NewPair,
    Pair(String),
    /// The progress summary of a pair.
    Summary(String),
}

/// Moves between screens.
#[derive(Debug, Clone, Copy)]
pub struct Nav(pub RwSignal<Screen>);

impl Nav {
    pub fn go(self, screen: Screen) {
        self.0.set(screen);
    }
}

/// The latest progress of a long exchange with the shared folder (a large first sync), for the
/// sharing card and the join form.
#[derive(Debug, Clone, Copy)]
pub struct ShareProgress(pub RwSignal<Option<SyncProgress>>);

/// The latest word that a pair's sharing panel shows something new: the pair's id (empty: every
/// pair's), numbered so that the same id twice still counts. The panel asks again only then.
#[derive(Debug, Clone, Copy)]
pub struct SharingNews(pub RwSignal<(String, u64)>);

/// An invite link the app was asked to open (a clicked `tandem://join/…`), for the join form.
#[derive(Debug, Clone, Copy)]
pub struct OpenedInvite(pub RwSignal<Option<String>>);

/// Where on the next pair page to look: the element id of the entry a search opened (a session,
/// a goal, a card). The pair page brings it into view, marks it, and clears this.
#[derive(Debug, Clone, Copy)]
pub struct Focus(pub RwSignal<Option<String>>);

impl Focus {
    /// The id of the item of one kind a search asked to show (`prefix` names the kind, e.g.
    /// "goal-"), tracked: a list that draws only some of its items draws down to it.
    pub fn wanted(self, prefix: &str) -> Option<String> {
        self.0.with(|f| {
            f.as_deref()
                .and_then(|f| f.strip_prefix(prefix))
                .map(str::to_string)
        })
    }
}

/// Whether the search (Ctrl+K) is open.
#[derive(Debug, Clone, Copy)]
pub struct SearchOpen(pub RwSignal<bool>);

/// What the window's menu (or its shortcut) asked of the screen that can do it: `new-session`
/// (the pair page opens its form) or `sync-now` (its sharing card syncs). The screen takes it.
#[derive(Debug, Clone, Copy)]
pub struct MenuAsk(pub RwSignal<Option<&'static str>>);

impl MenuAsk {
    /// Whether `action` was asked for; it is then taken, so it is done once.
    pub fn take(self, action: &str) -> bool {
        let asked = self.0.with(|a| *a == Some(action));
        if asked {
            self.0.set(None);
        }
        asked
    }
}
