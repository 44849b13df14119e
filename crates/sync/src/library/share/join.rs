//! Joining a pair on a new device: the invite for the partner, taking in the pair from the shared
//! folder (or, through [`Library::adopt`], from a peer), and recording this device as the person
//! the invite names.

use std::path::Path;

use chrono::{DateTime, Utc};
use tandem_core::DocView;
use tandem_core::pair::PairView;

use super::files::{pair_folder, read_into};
use super::settings::usable_folder;
use super::{Progress, ShareReport, ShareState, heads_hex};
use crate::StoreError;
use crate::invite::Invite;
use crate::keys::Keychain;
use crate::library::{DocId, Library, valid_id};
use crate::seal::DocKey;

/// What [`Library::take_key`] did with an invite's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTaken {
    /// Stored for a document to join next.
    ForJoin,
    /// Restored the lost key of a document this library has: nothing to join, it syncs again.
    Restored,
}

impl Library {
    /// An invite for the partner (or for the person named `for_name`, when the pair has more): the
    /// pair's key is made and put in the keychain the first time.
    pub fn invite(
        &mut self,
        id: &str,
        keychain: &Keychain,
        for_name: Option<&str>,
    ) -> Result<Invite, StoreError> {
        let view = self.view::<tandem_core::pair::Pair>(id)?;
        let others: Vec<_> = view
            .people
            .iter()
            .filter(|p| !p.left && Some(&p.id) != view.me.as_ref())
            .filter(|p| for_name.is_none_or(|n| p.name.eq_ignore_ascii_case(n.trim())))
            .collect();
        let person = match others.as_slice() {
            [one] => one.id.clone(),
            [] => {
                return Err(StoreError::NoSuchPerson(
                    for_name.unwrap_or_default().to_string(),
                ));
            }
            many => {
                return Err(StoreError::WhichPerson(
                    many.iter()
                        .map(|p| p.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
            }
        };
        Ok(Invite {
            pair_id: id.to_string(),
            person,
            key: self.key_or_create(keychain, &DocId::pair(id))?,
        })
    }

    /// Joins a pair from the shared folder `folder`, or the library's when none is given. A folder
    /// given when the library has none becomes the library's; one that differs from the library's
    /// becomes this pair's own, so joining never moves the other pairs.
    pub fn join_via_share(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &DocKey,
        folder: Option<&Path>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.writable()?;
        let library = self.share_folder();
        let (share, own) = match (folder, library) {
            (None, Some(l)) => (l, false),
            (None, None) => return Err(StoreError::NoShareFolder),
            (Some(f), None) => (self.set_share_folder(f)?, false),
            (Some(f), Some(l)) => {
                let f = usable_folder(f)?;
                let own = f != l;
                (f, own)
            }
        };
        let joined = self.join_from_share_with(pair_id, person, key, &share, now, progress)?;
        if own {
            let mut settings = self.read_settings()?;
            settings.pair_shares.insert(pair_id.to_string(), share);
            self.write_settings(&settings)?;
        }
        Ok(joined)
    }

    /// Joins a pair this library does not have yet, from what its other devices wrote into the
    /// share, acting as `person` (the invite says who). Then writes this device's own folder.
    pub fn join_from_share(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &DocKey,
        share: &Path,
        now: DateTime<Utc>,
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.join_from_share_with(pair_id, person, key, share, now, &mut |_| {})
    }

    /// [`Library::join_from_share`], telling `progress` after each file it reads.
    pub fn join_from_share_with(
        &mut self,
        pair_id: &str,
        person: &str,
        key: &DocKey,
        share: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(PairView, ShareReport), StoreError> {
        self.writable()?;
        let d = DocId::pair(pair_id);
        if !valid_id(pair_id) {
            return Err(StoreError::NotFound(pair_id.to_string()));
        }
        if self.exists(&d) {
            return Err(StoreError::AlreadyJoined(pair_id.to_string()));
        }
        let folder = pair_folder(share, pair_id, key);
        let mut doc = tandem_core::new_document();
        let read = read_into(&mut doc, share, &folder, &d, key, progress);
        if doc.get_heads().is_empty() {
            return Err(StoreError::NothingInShare {
                folder: share.to_path_buf(),
                problems: read.problems.len(),
            });
        }
        // What was just read is in the share and applied: the exchange below then writes only this
        // device's joining and does not read (and load) the whole share a second time. Unusable
        // files are read again there, and reported once, by it.
        if doc.get_missing_deps(&[]).is_empty() {
            let state = ShareState {
                folder: Some(folder.clone()),
                exported: heads_hex(&doc.get_heads()),
                next_seq: 0,
                applied: read.applied.into_iter().collect(),
                // A device that joins now never wrote into a folder named by its raw id.
                named: true,
            };
            self.adopt_viewed(&d, person, doc, now, read.view)?;
            self.write_share_state(&d, &state)?;
        } else {
            self.adopt_viewed(&d, person, doc, now, read.view)?;
        }
        self.remember_key(&d, key)?;
        let report = self.sync_share(&d, key, share, now)?;
        Ok((self.view::<tandem_core::pair::Pair>(pair_id)?, report))
    }

    /// Puts the key from an invite for `d` in the keychain, before joining. When `d` is already in
    /// this library the invite can only restore its lost key: one that is not the key it was
    /// shared with is refused, and a key that is there is never overwritten.
    pub fn take_key(
        &self,
        keychain: &Keychain,
        d: &DocId,
        key: &DocKey,
    ) -> Result<KeyTaken, StoreError> {
        if !self.exists(d) {
            keychain.set(d, key)?;
            return Ok(KeyTaken::ForJoin);
        }
        match self.key_for(keychain, d) {
            Err(StoreError::KeyLost { .. }) if self.key_matches(d, key) => {
                keychain.set(d, key)?;
                Ok(KeyTaken::Restored)
            }
            Err(StoreError::KeyLost { .. }) => Err(StoreError::ForeignInviteKey(d.kind)),
            Err(e) => Err(e),
            Ok(_) => Err(StoreError::AlreadyJoined(d.id.clone())),
        }
    }

    /// After a join that failed before the document was stored here: forgets the key
    /// [`Library::take_key`] put in the keychain for it, so a failed (or crafted) invite leaves
    /// nothing behind. A document that was stored keeps its key (the join failed later, e.g. in
    /// its first exchange, and the document syncs with it).
    pub fn forget_failed_join(&self, keychain: &Keychain, d: &DocId) {
        if !self.exists(d)
            && let Err(e) = keychain.delete(d)
        {
            tracing::warn!(error = %e, "could not remove the key of a failed join");
        }
    }

    /// Takes in a document received from a partner (through the share or a peer) as this device's
    /// copy, acting as `member`: checks it is the document asked for and a version this Tandem
    /// reads, records this device as the member's, and stores it.
    pub fn adopt(
        &mut self,
        d: &DocId,
        member: &str,
        doc: automerge::AutoCommit,
        now: DateTime<Utc>,
    ) -> Result<DocView, StoreError> {
        self.adopt_viewed(d, member, doc, now, None)
    }

    /// [`Library::adopt`], given the document's view as read before this device was registered
    /// (then only who "me" is changes: registering writes nothing else a view shows).
    fn adopt_viewed(
        &mut self,
        d: &DocId,
        member: &str,
        mut doc: automerge::AutoCommit,
        now: DateTime<Utc>,
        view: Option<DocView>,
    ) -> Result<DocView, StoreError> {
        self.writable()?;
        if self.exists(d) {
            return Err(StoreError::AlreadyJoined(d.id.clone()));
        }
        d.kind.opens(&doc)?;
        if d.kind.id_in(&doc)?.is_some_and(|id| id != d.id) || !d.kind.synced() {
            return Err(StoreError::NotFound(d.id.clone()));
        }
        doc.set_actor(self.device.actor_id());
        d.kind.register(&mut doc, member)?;
        doc.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message("Join the pair on a new device")
                .with_time(now.timestamp()),
        );
        let view = view.map(|mut v| {
            d.kind.registered(&mut v, member);
            v
        });
        self.create_open(d, doc, view)
    }
}
