//! The library's side of peer-to-peer sync: Automerge's sync protocol for one document (of any
//! synced kind) and one peer, with the protocol state kept per peer on disk
//! (`<kind folder>/<id>/peers/<device>.sync`), so a reconnect sends only what is new.

use automerge::sync::{Message, State, SyncDoc};
use chrono::{DateTime, Utc};

use super::{DocId, Library, valid_id};
use crate::StoreError;
use crate::fsutil::write_atomic;

/// What receiving one sync message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Received {
    /// The pair's document changed (and is durable).
    pub changed: bool,
}

impl Library {
    fn peer_state_path(&self, d: &DocId, peer: &str) -> Option<std::path::PathBuf> {
        (valid_id(&d.id) && valid_id(peer) && d.kind.synced())
            .then(|| self.dir(d).join("peers").join(format!("{peer}.sync")))
    }

    /// The sync state this device keeps for `peer` on document `d` (fresh when there is none, or
    /// it does not decode: the protocol recovers from a fresh state at the cost of one more round).
    pub fn peer_state(&self, d: &DocId, peer: &str) -> State {
        self.peer_state_path(d, peer)
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| State::decode(&b).ok())
            .unwrap_or_default()
    }

    /// Keeps the sync state for `peer` (only its durable part: the heads both sides share).
    pub fn save_peer_state(&self, d: &DocId, peer: &str, state: &State) -> Result<(), StoreError> {
        let Some(path) = self.peer_state_path(d, peer) else {
            return Err(StoreError::NotFound(format!("{}/{peer}", d.id)));
        };
        if let Some(dir) = path.parent() {
            crate::fsutil::create_dir_durable(dir)?;
        }
        write_atomic(&path, &state.encode())
    }

    /// The next message for the peer, if it lacks anything (typing not yet committed goes out as
    /// its own batch first, so the partner sees it live).
    pub fn sync_message(
        &mut self,
        d: &DocId,
        state: &mut State,
        now: DateTime<Utc>,
    ) -> Result<Option<Message>, StoreError> {
        Self::synced(d)?;
        self.commit_typing(d, now)?;
        let open = self.load(d)?;
        Ok(open.doc.sync().generate_sync_message(state))
    }

    /// Applies a message from the peer; what it brought is durable before this returns.
    pub fn receive_sync(
        &mut self,
        d: &DocId,
        state: &mut State,
        message: Message,
    ) -> Result<Received, StoreError> {
        self.writable()?;
        Self::synced(d)?;
        // This device's typing goes to disk first: a refused batch is undone by going back to
        // what is on disk.
        self.commit_typing(d, Utc::now())?;
        if self.holds_unsaved(d) {
            return Err(StoreError::Peer(
                "its changes wait until this laptop's own edits are saved (the disk is full)"
                    .into(),
            ));
        }
        let pair = self.load(d)?;
        let before = pair.doc.get_heads();
        pair.doc
            .sync()
            .receive_sync_message(state, message)
            .map_err(|e| StoreError::Peer(format!("its changes could not be applied ({e})")))?;
        if let Err(e) = d.kind.check_changes(&mut pair.doc, &before) {
            self.roll_back(d);
            return Err(StoreError::Peer(format!(
                "it sent changes that would make the {} unreadable here ({e}); they were refused",
                d.kind
            )));
        }
        let pair = self.load(d)?;
        let changed = pair.doc.get_heads() != before;
        if changed {
            // Durable now; the view is patched (typing) or derived again when someone asks for
            // it, and its cache on disk is rewritten by the flush timer (re-deriving a long
            // pair's view after every message of a sync would cost more than the sync).
            pair.store.persist(&mut pair.doc)?;
            pair.received(d.kind, &before);
            pair.cache_stale_since.get_or_insert_with(Utc::now);
        }
        Ok(Received { changed })
    }
}
