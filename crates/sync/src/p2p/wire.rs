//! What travels on a peer connection, as pure functions (no IO), so they can be fuzzed:
//!
//! - On TCP, every Noise message is a frame: `length u16 BE | bytes` (1..=65535 bytes).
//! - The initiator opens with a hello frame in the clear: `TNDM | version | nonce(8) | tag(8)`, a
//!   fresh random nonce and its tag under the document's finding subkey ([`Finder`]): the
//!   responder finds the document whose tag matches, and no two hellos share a byte that would let
//!   an onlooker follow a laptop or match partners. (Protocol 1 sent a fixed token instead; both
//!   are 21 bytes, so a Tandem of either protocol names the other's version in its refusal.)
//! - After the handshake, a message of any length up to [`MAX_MESSAGE`] is sent as one or more
//!   encrypted frames whose plaintexts concatenate to `length u32 BE | kind u8 | body`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::seal::{DocKey, Purpose};

/// Noise's own limit on one message.
pub const MAX_FRAME: usize = 65535;
/// The most plaintext one encrypted frame carries (Noise adds a 16-byte tag).
pub const MAX_PLAINTEXT: usize = MAX_FRAME - 16;
/// The largest message a peer may send (a whole pair's history fits many times over); a peer
/// announcing more is cut off.
pub const MAX_MESSAGE: usize = 32 << 20;
pub const HELLO_MAGIC: &[u8; 4] = b"TNDM";
pub const VERSION: u8 = 2;
pub const HELLO_LEN: usize = 4 + 1 + NONCE + TAG;
/// A hello's (and an advertisement's) nonce and tag, in bytes.
pub const NONCE: usize = 8;
pub const TAG: usize = 8;

/// Why bytes from a peer were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("it sent an empty frame")]
    EmptyFrame,
    #[error("it announced a message of {0} bytes, over the limit of {MAX_MESSAGE}")]
    TooLarge(usize),
    #[error("it is not a Tandem peer (no hello)")]
    NotTandem,
    #[error(
        "it runs a newer Tandem (peer protocol {0}; this one speaks {VERSION}): update Tandem on this laptop"
    )]
    Version(u8),
    #[error(
        "it runs an older Tandem (peer protocol {0}; this one speaks {VERSION}): ask your partner to update Tandem"
    )]
    Older(u8),
    #[error("it sent a message of an unknown kind ({0})")]
    UnknownKind(u8),
    #[error("it sent a message that ends early")]
    Truncated,
}

/// What finds one document on the network: its id and finding subkey ([`Purpose::Finding`]),
/// which tags a random nonce. A tag is meaningless without the document key, and a fresh nonce
/// gives a fresh tag, so hellos and advertisements cannot be linked to each other.
#[derive(Clone)]
pub struct Finder {
    doc_id: String,
    subkey: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Finder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finder")
            .field("doc_id", &self.doc_id)
            .finish_non_exhaustive()
    }
}

impl Finder {
    pub fn new(doc_id: &str, key: &DocKey) -> Finder {
        Finder {
            doc_id: doc_id.to_string(),
            subkey: key.subkey(Purpose::Finding),
        }
    }

    /// The first 8 bytes of HMAC-SHA256(finding subkey, "tandem find\0" | document id | nonce).
    pub fn tag(&self, nonce: &[u8; NONCE]) -> [u8; TAG] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.subkey.as_ref())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"tandem find\0");
        mac.update(self.doc_id.as_bytes());
        mac.update(nonce);
        let mut out = [0u8; TAG];
        out.copy_from_slice(&mac.finalize().into_bytes()[..TAG]);
        out
    }

    /// Whether `tag` is this document's tag of `nonce` (compared in constant time).
    pub fn names(&self, nonce: &[u8; NONCE], tag: &[u8; TAG]) -> bool {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.subkey.as_ref())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"tandem find\0");
        mac.update(self.doc_id.as_bytes());
        mac.update(nonce);
        mac.verify_truncated_left(tag).is_ok()
    }
}

/// A nonce and its tag: what a hello or an advertisement carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged {
    pub nonce: [u8; NONCE],
    pub tag: [u8; TAG],
}

impl Tagged {
    /// A fresh random nonce, tagged for `finder`'s document.
    pub fn fresh(finder: &Finder) -> Tagged {
        let nonce = rand::random();
        Tagged {
            nonce,
            tag: finder.tag(&nonce),
        }
    }
}

/// The Noise pre-shared key for a pair: HKDF-SHA256 of the pair key.
pub fn psk(pair_id: &str, key: &DocKey) -> Zeroizing<[u8; 32]> {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(b"tandem p2p v1"), &key.0);
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(pair_id.as_bytes(), out.as_mut())
        .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
    out
}

/// A hello frame carrying `t`.
pub fn hello(t: &Tagged) -> Vec<u8> {
    let mut out = Vec::with_capacity(HELLO_LEN);
    out.extend_from_slice(HELLO_MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&t.nonce);
    out.extend_from_slice(&t.tag);
    out
}

/// The nonce and tag of a hello frame.
pub fn parse_hello(frame: &[u8]) -> Result<Tagged, WireError> {
    if frame.len() != HELLO_LEN || !frame.starts_with(HELLO_MAGIC) {
        return Err(WireError::NotTandem);
    }
    match frame[4] {
        VERSION => {}
        v if v < VERSION => return Err(WireError::Older(v)),
        v => return Err(WireError::Version(v)),
    }
    let mut t = Tagged {
        nonce: [0; NONCE],
        tag: [0; TAG],
    };
    t.nonce.copy_from_slice(&frame[5..5 + NONCE]);
    t.tag.copy_from_slice(&frame[5 + NONCE..]);
    Ok(t)
}

/// The length a frame header announces (errors for an empty frame).
pub fn frame_len(header: [u8; 2]) -> Result<usize, WireError> {
    match u16::from_be_bytes(header) as usize {
        0 => Err(WireError::EmptyFrame),
        n => Ok(n),
    }
}

/// Splits a buffer into the frames it holds: `(frames, bytes consumed)`; a partial frame at the
/// end is left for later.
pub fn split_frames(buf: &[u8]) -> Result<(Vec<&[u8]>, usize), WireError> {
    let mut frames = Vec::new();
    let mut at = 0;
    while buf.len() >= at + 2 {
        let n = frame_len([buf[at], buf[at + 1]])?;
        if buf.len() < at + 2 + n {
            break;
        }
        frames.push(&buf[at + 2..at + 2 + n]);
        at += 2 + n;
    }
    Ok((frames, at))
}

/// The kinds of message after the handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The responder's confirmation that the handshake (and so the key) was right; the body is its
    /// device id.
    Confirm = 1,
    /// An Automerge sync message.
    Sync = 2,
    /// Nothing to send this round.
    Idle = 3,
    /// The sender is closing the connection.
    Bye = 4,
}

impl Kind {
    fn from_u8(b: u8) -> Result<Kind, WireError> {
        Ok(match b {
            1 => Kind::Confirm,
            2 => Kind::Sync,
            3 => Kind::Idle,
            4 => Kind::Bye,
            other => return Err(WireError::UnknownKind(other)),
        })
    }
}

/// A message's plaintext pieces, each at most [`MAX_PLAINTEXT`] bytes.
pub fn chunks(kind: Kind, body: &[u8]) -> Vec<Vec<u8>> {
    let mut whole = Vec::with_capacity(body.len() + 5);
    whole.extend_from_slice(&((body.len() + 1) as u32).to_be_bytes());
    whole.push(kind as u8);
    whole.extend_from_slice(body);
    whole.chunks(MAX_PLAINTEXT).map(<[u8]>::to_vec).collect()
}

/// Reassembles messages from decrypted frame plaintexts.
#[derive(Debug, Default)]
pub struct Reassembler {
    want: Option<usize>,
    buf: Vec<u8>,
}

impl Reassembler {
    /// Adds one frame's plaintext; returns every message it completed.
    pub fn push(&mut self, mut piece: &[u8]) -> Result<Vec<(Kind, Vec<u8>)>, WireError> {
        let mut done = Vec::new();
        while !piece.is_empty() {
            let want = match self.want {
                Some(w) => w,
                None => {
                    // The 4-byte length may itself arrive split across frames.
                    let need = 4 - self.buf.len();
                    let take = need.min(piece.len());
                    self.buf.extend_from_slice(&piece[..take]);
                    piece = &piece[take..];
                    if self.buf.len() < 4 {
                        break;
                    }
                    let n = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]])
                        as usize;
                    if n == 0 {
                        return Err(WireError::Truncated);
                    }
                    if n > MAX_MESSAGE {
                        return Err(WireError::TooLarge(n));
                    }
                    self.buf.clear();
                    self.want = Some(n);
                    n
                }
            };
            let take = (want - self.buf.len()).min(piece.len());
            self.buf.extend_from_slice(&piece[..take]);
            piece = &piece[take..];
            if self.buf.len() == want {
                let kind = Kind::from_u8(self.buf[0])?;
                let body = self.buf[1..].to_vec();
                self.buf.clear();
                self.want = None;
                done.push((kind, body));
            }
        }
        Ok(done)
    }

    /// Whether a message is half received.
    pub fn partial(&self) -> bool {
        self.want.is_some() || !self.buf.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_hello_round_trips_and_names_its_document_only() {
        let key = DocKey([7; 32]);
        let finder = Finder::new("01PAIR", &key);
        let t = Tagged::fresh(&finder);
        let parsed = parse_hello(&hello(&t));
        assert_eq!(parsed, Ok(t));
        assert!(finder.names(&t.nonce, &t.tag));
        assert!(!Finder::new("01OTHER", &key).names(&t.nonce, &t.tag));
        assert!(!Finder::new("01PAIR", &DocKey([8; 32])).names(&t.nonce, &t.tag));
        let mut other_nonce = t.nonce;
        other_nonce[0] ^= 1;
        assert!(!finder.names(&other_nonce, &t.tag));
        assert_eq!(
            parse_hello(b"GET / HTTP/1.1\r\n"),
            Err(WireError::NotTandem)
        );
        assert_ne!(*psk("01PAIR", &key), key.0);
    }

    #[test]
    fn two_hellos_of_one_document_share_no_field() {
        let finder = Finder::new("01PAIR", &DocKey([7; 32]));
        let (a, b) = (Tagged::fresh(&finder), Tagged::fresh(&finder));
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.tag, b.tag);
        // Nothing fixed of the document is in a hello: not its id, nor protocol 1's token.
        let h = hello(&a);
        assert!(!h.windows(6).any(|w| w == b"01PAIR"));
        assert_eq!(&h[..5], b"TNDM\x02");
    }

    #[test]
    fn each_side_of_an_upgrade_names_the_one_to_update() {
        let mut old = hello(&Tagged::fresh(&Finder::new("P", &DocKey([1; 32]))));
        old[4] = 1;
        let e = parse_hello(&old);
        assert_eq!(e, Err(WireError::Older(1)));
        assert!(
            WireError::Older(1)
                .to_string()
                .contains("ask your partner to update Tandem")
        );
        old[4] = 3;
        assert_eq!(parse_hello(&old), Err(WireError::Version(3)));
        assert!(
            WireError::Version(3)
                .to_string()
                .contains("update Tandem on this laptop")
        );
        // Protocol 1's hello had the same length: a laptop not yet upgraded reads this one's
        // version byte and says "it speaks version 2 of Tandem's peer protocol" rather than
        // "not a Tandem peer".
        assert_eq!(HELLO_LEN, 4 + 1 + 16);
    }

    #[test]
    fn oversized_and_unknown_messages_are_refused() {
        let mut r = Reassembler::default();
        let huge = ((MAX_MESSAGE + 1) as u32).to_be_bytes();
        assert_eq!(r.push(&huge), Err(WireError::TooLarge(MAX_MESSAGE + 1)));
        let mut r = Reassembler::default();
        assert_eq!(r.push(&[0, 0, 0, 1, 9]), Err(WireError::UnknownKind(9)));
        assert_eq!(frame_len([0, 0]), Err(WireError::EmptyFrame));
    }

    proptest! {
        #[test]
        fn messages_survive_any_chunking(
            bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200_000), 1..4),
            cut in 1usize..70_000,
        ) {
            // Every message's pieces, concatenated and re-cut at arbitrary frame sizes.
            let stream: Vec<u8> = bodies.iter().flat_map(|b| chunks(Kind::Sync, b).concat()).collect();
            let mut r = Reassembler::default();
            let mut got = Vec::new();
            for piece in stream.chunks(cut) {
                got.extend(r.push(piece).map_err(|e| TestCaseError::fail(e.to_string()))?);
            }
            prop_assert!(!r.partial());
            prop_assert_eq!(got.len(), bodies.len());
            for ((kind, body), want) in got.iter().zip(&bodies) {
                prop_assert_eq!(*kind, Kind::Sync);
                prop_assert_eq!(body, want);
            }
        }

        #[test]
        fn frames_split_whatever_arrives(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
            // Never panics; consumes only whole frames.
            if let Ok((frames, used)) = split_frames(&data) {
                prop_assert!(used <= data.len());
                prop_assert_eq!(frames.iter().map(|f| f.len() + 2).sum::<usize>(), used);
            }
        }
    }
}
