//! Knowing a document's key is the right one, and noticing when it is gone. The library keeps,
//! beside each shared document, a check value of its key (an HMAC of the document id under the
//! key: it reveals nothing of the key). The keychain can forget a key (the kernel keyring does at
//! every restart) or hold a different one (a crafted invite): with the check value, a missing key
//! is reported as lost — never replaced by a fresh one, which would silently fork the document —
//! and a wrong one is refused.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{DocId, Library};
use crate::StoreError;
use crate::fsutil::write_atomic;
use crate::keys::Keychain;
use crate::seal::DocKey;

#[derive(Debug, Serialize, Deserialize)]
struct KeyCheck {
    check: String,
}

/// The check value of `key` for document `id`.
fn check_of(id: &str, key: &DocKey) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"tandem key check\0");
    mac.update(id.as_bytes());
    mac.finalize().into_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Library {
    fn key_check_path(&self, d: &DocId) -> std::path::PathBuf {
        self.dir(d).join("key.json")
    }

    fn key_check(&self, d: &DocId) -> Option<String> {
        let bytes = std::fs::read(self.key_check_path(d)).ok()?;
        serde_json::from_slice::<KeyCheck>(&bytes)
            .ok()
            .map(|k| k.check)
    }

    /// Whether `key` is the one document `d` was shared with (false when none was recorded).
    pub(crate) fn key_matches(&self, d: &DocId, key: &DocKey) -> bool {
        self.key_check(d).as_deref() == Some(check_of(&d.id, key).as_str())
    }

    /// Records that `key` is document `d`'s key (after an invite or a join).
    pub fn remember_key(&self, d: &DocId, key: &DocKey) -> Result<(), StoreError> {
        if self.key_matches(d, key) {
            return Ok(());
        }
        let json = serde_json::to_vec(&KeyCheck {
            check: check_of(&d.id, key),
        })
        .unwrap_or_default();
        write_atomic(&self.key_check_path(d), &json)
    }

    /// Document `d`'s key from the keychain: `None` when it was never shared from this device; an
    /// error when it was but the key is gone or is not the one it was shared with.
    pub fn key_for(&self, keychain: &Keychain, d: &DocId) -> Result<Option<DocKey>, StoreError> {
        let found = keychain.get(d)?;
        match (found, self.key_check(d)) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(StoreError::KeyLost {
                kind: d.kind,
                keychain: keychain.kind,
            }),
            (Some(key), Some(check)) if check != check_of(&d.id, &key) => {
                Err(StoreError::KeyMismatch(d.kind))
            }
            (Some(key), Some(_)) => Ok(Some(key)),
            // Shared before check values were kept: record it now.
            (Some(key), None) => {
                self.remember_key(d, &key)?;
                Ok(Some(key))
            }
        }
    }

    /// Document `d`'s key, made and stored the first time it is shared — but never made again
    /// once it was: a lost key is an error to resolve with the partner, not a new key.
    pub fn key_or_create(&self, keychain: &Keychain, d: &DocId) -> Result<DocKey, StoreError> {
        if let Some(key) = self.key_for(keychain, d)? {
            return Ok(key);
        }
        let key = keychain.get_or_create(d)?;
        self.remember_key(d, &key)?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock_keychain() -> Keychain {
        Keychain::with_store(
            keyring_core::mock::Store::new().unwrap_or_else(|e| panic!("{e}")),
            "mock",
        )
    }

    #[test]
    fn a_lost_key_is_reported_and_never_replaced_and_a_wrong_one_is_refused() {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut lib = Library::open(home.path(), super::super::Mode::ReadWrite)
            .unwrap_or_else(|e| panic!("{e}"));
        let input = tandem_core::pair::input::NewPair {
            title: "p".into(),
            my_name: "Sam".into(),
            my_role: "mentor".into(),
            partner_name: "Alex".into(),
            programme: "generic".into(),
            ..Default::default()
        };
        let id = lib
            .create_pair(&input, chrono::Utc::now())
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        let d = DocId::pair(id);
        let keychain = mock_keychain();
        assert!(
            matches!(lib.key_for(&keychain, &d), Ok(None)),
            "not shared yet"
        );
        let key = lib
            .key_or_create(&keychain, &d)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lib.key_for(&keychain, &d).ok().flatten(), Some(key.clone()));
        // The keychain forgets it (a restart with the kernel keyring).
        keychain.delete(&d).unwrap_or_else(|e| panic!("{e}"));
        let lost = lib
            .key_or_create(&keychain, &d)
            .err()
            .map(|e| e.to_string());
        assert!(
            lost.as_deref()
                .is_some_and(|e| e.contains("missing from the keychain")),
            "{lost:?}"
        );
        assert!(matches!(keychain.get(&d), Ok(None)), "no new key was made");
        // Another key under the pair's name is not used.
        keychain
            .set(&d, &DocKey([9; 32]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            lib.key_for(&keychain, &d),
            Err(StoreError::KeyMismatch(_))
        ));
        keychain.set(&d, &key).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lib.key_for(&keychain, &d).ok().flatten(), Some(key.clone()));
        // An invite restores a lost key, only the right one, and never overwrites one.
        keychain.delete(&d).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            lib.take_key(&keychain, &d, &DocKey([9; 32])),
            Err(StoreError::ForeignInviteKey(_))
        ));
        assert!(matches!(keychain.get(&d), Ok(None)));
        assert!(matches!(
            lib.take_key(&keychain, &d, &key),
            Ok(super::super::KeyTaken::Restored)
        ));
        assert_eq!(lib.key_for(&keychain, &d).ok().flatten(), Some(key.clone()));
        assert!(matches!(
            lib.take_key(&keychain, &d, &DocKey([9; 32])),
            Err(StoreError::AlreadyJoined(_))
        ));
        assert_eq!(keychain.get(&d).ok().flatten(), Some(key));
    }
}
