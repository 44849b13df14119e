//! Each synced document's 32-byte key (a pair's, and every kind's to come), kept in the OS
//! keychain and nowhere else: not in the document, not in the share, not in a log or an error
//! message. Entries are filed under the kind's service ([`tandem_core::Kind::key_service`]; a
//! pair's is `tandem-pair-key`, as the first release filed it) with the document id as the user.
//!
//! On Linux the Secret Service (GNOME Keyring, KWallet) comes first and the kernel's keyutils store
//! is the fallback; on macOS it is the login keychain, on Windows the Credential Manager (both
//! keyring-core stores). With no usable keychain Tandem says so and what to do, and never falls
//! back to a plaintext file.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error};

use crate::doc_id::DocId;
use crate::seal::DocKey;

/// Why a key could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "Tandem keeps each pair's key in the system keychain, and none is usable here ({0}). \
         On Linux, start GNOME Keyring or KWallet (log in to a desktop session, or run \
         `gnome-keyring-daemon --unlock` over SSH); on macOS and Windows, log in to the desktop \
         as yourself. Then try again. Tandem never stores the key in a plain file."
    )]
    NoKeychain(String),
    #[error("The system keychain is locked or refused access ({0}); unlock it and try again.")]
    Locked(String),
    #[error(
        "The keychain entry for pair {0} is not a Tandem key. Ask your partner for a new invite."
    )]
    Damaged(String),
    #[error("The system keychain failed: {0}.")]
    Platform(String),
}

impl From<Error> for KeyError {
    fn from(e: Error) -> KeyError {
        match e {
            Error::NoStorageAccess(inner) => KeyError::Locked(inner.to_string()),
            Error::NoDefaultStore => KeyError::NoKeychain(e.to_string()),
            other => KeyError::Platform(other.to_string()),
        }
    }
}

/// The name of the kernel's keyutils store, the fallback when no Secret Service runs.
pub const KERNEL_KEYRING: &str = "kernel keyring";

/// The keychain this process uses.
pub struct Keychain {
    store: Arc<CredentialStore>,
    /// e.g. "Secret Service", for the status line and the note in errors.
    pub kind: &'static str,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("kind", &self.kind)
            .finish()
    }
}

impl Keychain {
    /// The system keychain: the Secret Service, else (Linux) the kernel keyring if it accepts a
    /// probe write. Blocking: call it off the UI thread.
    pub fn open() -> Result<Keychain, KeyError> {
        #[cfg(target_os = "linux")]
        {
            let secret_service = match zbus_secret_service_keyring_store::Store::new() {
                Ok(store) => return Ok(Keychain::with_store(store, "Secret Service")),
                Err(e) => e.to_string(),
            };
            let keyutils = match linux_keyutils_keyring_store::Store::new() {
                Ok(store) => {
                    let k = Keychain::with_store(store, KERNEL_KEYRING);
                    match k.probe() {
                        Ok(()) => return Ok(k),
                        Err(e) => e.to_string(),
                    }
                }
                Err(e) => e.to_string(),
            };
            Err(KeyError::NoKeychain(format!(
                "Secret Service: {secret_service}; kernel keyring: {keyutils}"
            )))
        }
        #[cfg(target_os = "macos")]
        {
            let store = apple_native_keyring_store::keychain::Store::new()
                .map_err(|e| KeyError::NoKeychain(format!("macOS keychain: {e}")))?;
            Ok(Keychain::with_store(store, "macOS keychain"))
        }
        #[cfg(target_os = "windows")]
        {
            let store = windows_native_keyring_store::Store::new()
                .map_err(|e| KeyError::NoKeychain(format!("Windows Credential Manager: {e}")))?;
            Ok(Keychain::with_store(store, "Windows Credential Manager"))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        {
            Err(KeyError::NoKeychain(
                "Tandem knows no keychain on this system".into(),
            ))
        }
    }

    /// Whether keys kept here survive a restart. The kernel keyring forgets them at every reboot:
    /// each shared document then needs its invite again (the key check reports it as lost).
    pub fn durable(&self) -> bool {
        self.kind != KERNEL_KEYRING
    }

    /// A keychain over a given store (keyring-core's mock store in unit tests).
    pub fn with_store(store: Arc<CredentialStore>, kind: &'static str) -> Keychain {
        Keychain { store, kind }
    }

    fn entry(&self, d: &DocId) -> Result<Entry, KeyError> {
        Ok(self.store.build(d.kind.key_service(), &d.id, None)?)
    }

    /// Writes, reads back and deletes a throwaway entry.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn probe(&self) -> Result<(), Error> {
        let e = self
            .store
            .build(tandem_core::Kind::Pair.key_service(), "probe", None)?;
        e.set_secret(&[0u8; 32])?;
        e.get_secret()?;
        e.delete_credential()?;
        Ok(())
    }

    /// The document's key, if this keychain has it.
    pub fn get(&self, d: &DocId) -> Result<Option<DocKey>, KeyError> {
        match self.entry(d)?.get_secret() {
            Ok(bytes) => {
                // The keychain's copy is zeroed once the key is taken out of it.
                let bytes = zeroize::Zeroizing::new(bytes);
                if bytes.len() != 32 {
                    return Err(KeyError::Damaged(d.id.clone()));
                }
                let mut key = DocKey([0; 32]);
                key.0.copy_from_slice(&bytes);
                Ok(Some(key))
            }
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub fn set(&self, d: &DocId, key: &DocKey) -> Result<(), KeyError> {
        Ok(self.entry(d)?.set_secret(&key.0)?)
    }

    /// The document's key, made (randomly) and stored the first time it is needed.
    pub fn get_or_create(&self, d: &DocId) -> Result<DocKey, KeyError> {
        if let Some(k) = self.get(d)? {
            return Ok(k);
        }
        let key = DocKey::random();
        self.set(d, &key)?;
        Ok(key)
    }

    pub fn delete(&self, d: &DocId) -> Result<(), KeyError> {
        match self.entry(d)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn mock_keychain() -> Keychain {
        Keychain::with_store(mock::Store::new().unwrap_or_else(|e| panic!("{e}")), "mock")
    }

    #[test]
    fn a_key_is_made_once_and_read_back() {
        let k = mock_keychain();
        let (p1, p2) = (DocId::pair("P1"), DocId::pair("P2"));
        assert!(matches!(k.get(&p1), Ok(None)));
        let made = k.get_or_create(&p1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.get_or_create(&p1).ok(), Some(made.clone()));
        assert_eq!(k.get(&p2).ok(), Some(None));
        k.delete(&p1).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(k.get(&p1), Ok(None)));
    }

    #[test]
    fn a_locked_keychain_and_a_foreign_entry_are_sentences_without_the_key() {
        let k = mock_keychain();
        let p1 = DocId::pair("P1");
        let entry = k.entry(&p1).unwrap_or_else(|e| panic!("{e}"));
        entry.set_secret(b"short").unwrap_or_else(|e| panic!("{e}"));
        let e = k.get(&p1).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "The keychain entry for pair P1 is not a Tandem key. Ask your partner for a new invite."
            )
        );
        let cred: Option<&mock::Cred> = entry.as_any().downcast_ref();
        if let Some(c) = cred {
            c.set_error(Error::NoStorageAccess("locked".into()));
        }
        let e = k.get(&p1).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("The system keychain is locked"), "{e}");
    }
}
