//! Sealed files for a shared folder: whoever runs the share sees only random bytes.
//!
//! ```text
//! "TNDS" | version u8 | kind u8 | name_len u16 | name | nonce[24] | XChaCha20-Poly1305(payload)
//! ```
//! The associated data is the header (magic through name) plus the pair id, so a file moved to
//! another pair, a renamed kind, or a flipped byte anywhere fails to open. The name inside the header
//! is the file's own name as its writer chose it; readers never trust the name on disk (Dropbox and
//! Syncthing rename conflicting copies).
//!
//! Format 2 (written since device keys) is sealed with the document key's sealing subkey
//! ([`DocKey::subkey`]); format 1, sealed with the document key itself, is still read, so what a
//! partner wrote before upgrading keeps arriving. A Tandem that reads only format 1 says of a
//! format 2 file that it was "written by a newer Tandem … update Tandem to read it": a partner
//! who has not upgraded is asked to, never silently left behind.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// A document's 32-byte secret key (a pair's, and every synced kind's). Its `Debug` never prints
/// the key, and its bytes are zeroed when it is dropped. It is used only through subkeys
/// ([`DocKey::subkey`]), one per purpose, except where a name or format from before subkeys must
/// stay readable (the document's share folder, the local key check, format 1 files).
#[derive(Clone, PartialEq, Eq)]
pub struct DocKey(pub [u8; 32]);

impl Drop for DocKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for DocKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocKey(…)")
    }
}

/// What a subkey of a document key is for. Each use has its own, so what one use shows (a
/// folder's name, a hello's tag) says nothing about another's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Sealing share files (format 2).
    Sealing,
    /// Naming device folders in the share.
    Naming,
    /// Tags that let a partner find the document (mDNS advertisements, the peer hello).
    Finding,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Sealing => b"sealing",
            Purpose::Naming => b"naming",
            Purpose::Finding => b"finding",
        }
    }
}

impl DocKey {
    /// A fresh random key.
    pub fn random() -> DocKey {
        DocKey(rand::random())
    }

    /// The subkey for `purpose`: HKDF-SHA256 of the key, salt "tandem subkey v2", info the
    /// purpose's name. Zeroed when dropped.
    pub fn subkey(&self, purpose: Purpose) -> Zeroizing<[u8; 32]> {
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"tandem subkey v2"), &self.0);
        let mut out = Zeroizing::new([0u8; 32]);
        hk.expand(purpose.label(), out.as_mut())
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        out
    }

    /// HMAC-SHA256 of the concatenated `parts` under the subkey for `purpose`.
    pub fn tag(&self, purpose: Purpose, parts: &[&[u8]]) -> [u8; 32] {
        let sub = self.subkey(purpose);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(sub.as_ref())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }
}

const MAGIC: &[u8; 4] = b"TNDS";
/// The sealed format this version writes; a higher one is "from a newer Tandem".
pub const VERSION: u8 = 2;
/// The format of releases before subkeys, sealed with the document key itself.
const LEGACY: u8 = 1;
const NONCE: usize = 24;

/// What a sealed file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Automerge changes (a `save_after` of what the writer had not yet written).
    Changes,
    /// A whole document (`save`), after which its writer deletes its own older files.
    Snapshot,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Changes => 1,
            Kind::Snapshot => 2,
        }
    }

    fn from_byte(b: u8) -> Option<Kind> {
        match b {
            1 => Some(Kind::Changes),
            2 => Some(Kind::Snapshot),
            _ => None,
        }
    }
}

/// Why a sealed file could not be used. Each is a reason shown to a person, never a data loss: the
/// file is skipped and the pair keeps working.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsealed {
    #[error("it is not a Tandem file")]
    Foreign,
    #[error("it is incomplete (still being copied, or cut short)")]
    Truncated,
    #[error("it was written by a newer Tandem (format {0}); update Tandem to read it")]
    Newer(u8),
    #[error("it does not open with this pair's key (another pair's file, or damaged)")]
    WrongKeyOrDamaged,
}

fn header(version: u8, kind: Kind, name: &str) -> Vec<u8> {
    let name = name.as_bytes();
    let len = u16::try_from(name.len()).unwrap_or(u16::MAX);
    let mut h = Vec::with_capacity(8 + name.len());
    h.extend_from_slice(MAGIC);
    h.push(version);
    h.push(kind.byte());
    h.extend_from_slice(&len.to_le_bytes());
    h.extend_from_slice(&name[..usize::from(len)]);
    h
}

fn aad(header: &[u8], pair_id: &str) -> Vec<u8> {
    let mut a = header.to_vec();
    a.extend_from_slice(pair_id.as_bytes());
    a
}

/// Seals `payload` as file `name` of pair `pair_id`.
pub fn seal(key: &DocKey, pair_id: &str, kind: Kind, name: &str, payload: &[u8]) -> Vec<u8> {
    seal_as(VERSION, key, pair_id, kind, name, payload)
}

/// The key that seals format `version` (1: the document key itself; 2: its sealing subkey).
fn cipher(version: u8, key: &DocKey) -> XChaCha20Poly1305 {
    if version == LEGACY {
        XChaCha20Poly1305::new((&key.0).into())
    } else {
        XChaCha20Poly1305::new(key.subkey(Purpose::Sealing).as_ref().into())
    }
}

fn seal_as(
    version: u8,
    key: &DocKey,
    pair_id: &str,
    kind: Kind,
    name: &str,
    payload: &[u8],
) -> Vec<u8> {
    let header = header(version, kind, name);
    let nonce: [u8; NONCE] = rand::random();
    let cipher = cipher(version, key);
    // Encryption with a 24-byte nonce and an in-memory payload cannot fail.
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: payload,
                aad: &aad(&header, pair_id),
            },
        )
        .unwrap_or_default();
    let mut out = header;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// An opened file: what it holds, its writer's name for it, and the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub kind: Kind,
    pub name: String,
    pub payload: Vec<u8>,
}

/// Opens a sealed file of pair `pair_id`, or says why it cannot be used.
pub fn open(key: &DocKey, pair_id: &str, bytes: &[u8]) -> Result<Opened, Unsealed> {
    if bytes.len() < 4 {
        return Err(if MAGIC.starts_with(bytes) {
            Unsealed::Truncated
        } else {
            Unsealed::Foreign
        });
    }
    if &bytes[..4] != MAGIC {
        return Err(Unsealed::Foreign);
    }
    let fixed = bytes.get(4..8).ok_or(Unsealed::Truncated)?;
    let version = fixed[0];
    if version > VERSION {
        return Err(Unsealed::Newer(version));
    }
    if version < LEGACY {
        return Err(Unsealed::Foreign);
    }
    let kind = Kind::from_byte(fixed[1]).ok_or(Unsealed::WrongKeyOrDamaged)?;
    let name_len = usize::from(u16::from_le_bytes([fixed[2], fixed[3]]));
    let header_end = 8 + name_len;
    let name = bytes.get(8..header_end).ok_or(Unsealed::Truncated)?;
    let nonce = bytes
        .get(header_end..header_end + NONCE)
        .ok_or(Unsealed::Truncated)?;
    let sealed = &bytes[header_end + NONCE..];
    // The 16-byte tag: anything shorter was cut off.
    if sealed.len() < 16 {
        return Err(Unsealed::Truncated);
    }
    let payload = cipher(version, key)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: &aad(&bytes[..header_end], pair_id),
            },
        )
        .map_err(|_| Unsealed::WrongKeyOrDamaged)?;
    Ok(Opened {
        kind,
        name: String::from_utf8_lossy(name).into_owned(),
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> DocKey {
        DocKey([n; 32])
    }

    #[test]
    fn a_sealed_file_opens_with_its_key_and_pair_only() {
        let sealed = seal(&key(1), "PAIR", Kind::Changes, "0001.tch", b"changes");
        let opened = open(&key(1), "PAIR", &sealed);
        assert_eq!(
            opened,
            Ok(Opened {
                kind: Kind::Changes,
                name: "0001.tch".into(),
                payload: b"changes".to_vec()
            })
        );
        assert!(!sealed.windows(7).any(|w| w == b"changes"));
        assert_eq!(
            open(&key(2), "PAIR", &sealed),
            Err(Unsealed::WrongKeyOrDamaged)
        );
        assert_eq!(
            open(&key(1), "OTHER", &sealed),
            Err(Unsealed::WrongKeyOrDamaged)
        );
    }

    #[test]
    fn every_flipped_byte_and_every_cut_is_refused() {
        let sealed = seal(
            &key(1),
            "PAIR",
            Kind::Snapshot,
            "snap.tsn",
            b"a whole document",
        );
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(open(&key(1), "PAIR", &bad).is_err(), "byte {i}");
        }
        for n in 0..sealed.len() {
            let e = open(&key(1), "PAIR", &sealed[..n]);
            assert!(
                matches!(e, Err(Unsealed::Truncated | Unsealed::WrongKeyOrDamaged)),
                "{n}: {e:?}"
            );
        }
    }

    #[test]
    fn foreign_and_future_files_say_so() {
        assert_eq!(open(&key(1), "P", b"hello world"), Err(Unsealed::Foreign));
        let mut future = seal(&key(1), "P", Kind::Changes, "x", b"y");
        future[4] = VERSION + 1;
        assert_eq!(
            open(&key(1), "P", &future),
            Err(Unsealed::Newer(VERSION + 1))
        );
    }

    #[test]
    fn files_of_the_release_before_subkeys_still_open_and_new_ones_need_the_subkey() {
        let legacy = seal_as(LEGACY, &key(1), "P", Kind::Changes, "old.tch", b"old");
        assert_eq!(legacy[4], 1);
        assert_eq!(
            open(&key(1), "P", &legacy).map(|o| o.payload),
            Ok(b"old".to_vec())
        );
        let new = seal(&key(1), "P", Kind::Changes, "new.tch", b"new");
        assert_eq!(new[4], 2);
        // Format 2 is not sealed with the document key itself: a reader that tried it (as the
        // release before did, had it not stopped at the version) would fail.
        let mut as_legacy = new.clone();
        as_legacy[4] = LEGACY;
        assert_eq!(
            open(&key(1), "P", &as_legacy),
            Err(Unsealed::WrongKeyOrDamaged)
        );
        let mut zero = new;
        zero[4] = 0;
        assert_eq!(open(&key(1), "P", &zero), Err(Unsealed::Foreign));
    }

    #[test]
    fn subkeys_differ_by_purpose_and_key() {
        let k = key(1);
        let all = [Purpose::Sealing, Purpose::Naming, Purpose::Finding].map(|p| *k.subkey(p));
        assert_ne!(all[0], all[1]);
        assert_ne!(all[1], all[2]);
        assert_ne!(all[0], all[2]);
        assert!(all.iter().all(|s| s != &k.0));
        assert_ne!(*key(2).subkey(Purpose::Sealing), all[0]);
        assert_ne!(
            k.tag(Purpose::Naming, &[b"a"]),
            k.tag(Purpose::Finding, &[b"a"])
        );
    }

    #[test]
    fn the_key_never_prints() {
        assert_eq!(format!("{:?}", key(7)), "DocKey(…)");
    }
}
