//! A bound on what Automerge inflates. automerge 0.12 decompresses a compressed change chunk, and
//! every DEFLATE-compressed column of a document or bundle chunk, with an unbounded
//! `read_to_end`: a few kilobytes from a share file or a peer can expand to gigabytes. Before any
//! bytes from outside reach Automerge, this walks their chunks the way Automerge will (the chunk
//! header, then each chunk kind's column layout) and inflates every compressed part into a
//! counter, refusing the bytes once the total passes [`MAX_INFLATED`]. Parsing is lenient:
//! whatever this cannot follow it passes on, for Automerge to refuse as damaged; it only ever
//! refuses on size.
//!
//! Chunk layout (automerge's storage format): `magic[4] | checksum[4] | type u8 | len uleb |
//! data[len]`; type 0 document, 1 change, 2 compressed change (its data is DEFLATE), 3 bundle.
//! A column list is `count uleb | (spec uleb, len uleb)*`; bit 3 of a spec marks DEFLATE.

use std::io::Read;

/// The most a payload (one share file, one sync message) may inflate to. A five-year pair's whole
/// document inflates to a few megabytes.
pub const MAX_INFLATED: u64 = 256 << 20;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DEFLATE: u64 = 0b1000;

/// Bytes from outside that would inflate past the bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its contents would expand to more than {} MB", MAX_INFLATED >> 20)]
pub struct TooLarge;

/// Checks a concatenation of Automerge chunks (a share file's payload, a save).
pub fn check_chunks(bytes: &[u8]) -> Result<(), TooLarge> {
    chunks_inflated(bytes).map(drop)
}

/// What the compressed parts of a concatenation of chunks inflate to, in bytes.
pub fn chunks_inflated(bytes: &[u8]) -> Result<u64, TooLarge> {
    let mut budget = MAX_INFLATED;
    let mut c = Cursor(bytes);
    while !c.0.is_empty() {
        if chunk(&mut c, &mut budget)?.is_none() {
            break;
        }
    }
    Ok(MAX_INFLATED - budget)
}

/// Checks an encoded sync message: `version u8 | heads | need | have | changes (count uleb,
/// (len uleb, chunk)*) | flags?`, each change a chunk.
pub fn check_sync_message(bytes: &[u8]) -> Result<(), TooLarge> {
    sync_message_inflated(bytes).map(drop)
}

/// What the compressed parts of a sync message's changes inflate to, in bytes.
pub fn sync_message_inflated(bytes: &[u8]) -> Result<u64, TooLarge> {
    let mut budget = MAX_INFLATED;
    let mut c = Cursor(bytes);
    let lenient = (|| {
        c.take(1)?;
        c.hashes()?;
        c.hashes()?;
        for _ in 0..c.leb()? {
            c.hashes()?;
            let bloom = c.leb()?;
            c.take(bloom)?;
        }
        c.leb()
    })();
    let Some(changes) = lenient else {
        return Ok(0);
    };
    for _ in 0..changes {
        let Some(one) = c.leb().and_then(|len| c.take(len)) else {
            break;
        };
        if chunk(&mut Cursor(one), &mut budget)?.is_none() {
            break;
        }
    }
    Ok(MAX_INFLATED - budget)
}

/// Reads one chunk, inflating what it compresses into `budget`. `Ok(None)`: it could not be
/// followed (Automerge will refuse it).
fn chunk(c: &mut Cursor<'_>, budget: &mut u64) -> Result<Option<()>, TooLarge> {
    let Some(header) = c.take(4) else {
        return Ok(None);
    };
    if header != MAGIC {
        return Ok(None);
    }
    let (Some(_checksum), Some(kind)) = (c.take(4), c.take(1)) else {
        return Ok(None);
    };
    let Some(data) = c.leb().and_then(|len| c.take(len)) else {
        return Ok(None);
    };
    let mut d = Cursor(data);
    match kind[0] {
        0 => document(&mut d, budget),
        1 => change(&mut d, budget),
        2 => {
            let inflated = inflate(data, budget)?;
            change(&mut Cursor(&inflated), budget)
        }
        3 => bundle(&mut d, budget),
        _ => Ok(None),
    }
}

/// A document chunk: actors, heads, change columns, op columns, then their data.
fn document(d: &mut Cursor<'_>, budget: &mut u64) -> Result<Option<()>, TooLarge> {
    let Some((changes, ops)) = (|| {
        d.actors()?;
        d.hashes()?;
        Some((d.columns()?, d.columns()?))
    })() else {
        return Ok(None);
    };
    columns_data(d, &changes, budget)?;
    columns_data(d, &ops, budget)
}

/// A change chunk: deps, actor, seq, start op, time, message, other actors, op columns, data.
fn change(d: &mut Cursor<'_>, budget: &mut u64) -> Result<Option<()>, TooLarge> {
    let Some(ops) = (|| {
        d.hashes()?;
        let actor = d.leb()?;
        d.take(actor)?;
        d.leb()?;
        d.leb()?;
        d.leb()?;
        let message = d.leb()?;
        d.take(message)?;
        d.actors()?;
        d.columns()
    })() else {
        return Ok(None);
    };
    columns_data(d, &ops, budget)
}

/// A bundle chunk: deps, actors, change columns and their data, op columns and their data.
fn bundle(d: &mut Cursor<'_>, budget: &mut u64) -> Result<Option<()>, TooLarge> {
    let Some(changes) = (|| {
        d.hashes()?;
        d.actors()?;
        d.columns()
    })() else {
        return Ok(None);
    };
    if columns_data(d, &changes, budget)?.is_none() {
        return Ok(None);
    }
    let Some(ops) = d.columns() else {
        return Ok(None);
    };
    columns_data(d, &ops, budget)
}

/// Takes each column's data in turn, inflating the compressed ones.
fn columns_data(
    d: &mut Cursor<'_>,
    columns: &[(u64, u64)],
    budget: &mut u64,
) -> Result<Option<()>, TooLarge> {
    for &(spec, len) in columns {
        let Some(data) = d.take(len) else {
            return Ok(None);
        };
        if spec & DEFLATE != 0 {
            count_inflated(data, budget)?;
        }
    }
    Ok(Some(()))
}

/// Inflates a compressed change (whose inner columns are then followed too), counting what it
/// expands to against `budget`.
fn inflate(data: &[u8], budget: &mut u64) -> Result<Vec<u8>, TooLarge> {
    let mut out = Vec::new();
    let mut decoder = flate2::bufread::DeflateDecoder::new(data).take(*budget + 1);
    // A corrupt stream is Automerge's to refuse; only the size is judged here.
    let _ = decoder.read_to_end(&mut out);
    spend(out.len() as u64, budget)?;
    Ok(out)
}

/// Counts what `data` inflates to against `budget`, without keeping it.
fn count_inflated(data: &[u8], budget: &mut u64) -> Result<(), TooLarge> {
    let mut decoder = flate2::bufread::DeflateDecoder::new(data).take(*budget + 1);
    let n = std::io::copy(&mut decoder, &mut std::io::sink()).unwrap_or(*budget + 1);
    spend(n, budget)
}

fn spend(n: u64, budget: &mut u64) -> Result<(), TooLarge> {
    if n > *budget {
        return Err(TooLarge);
    }
    *budget -= n;
    Ok(())
}

/// A cursor over bytes; every read is checked, `None` once the bytes run out.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    /// An unsigned (or, for skipping, signed) LEB128 number of at most 10 bytes.
    fn leb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for i in 0..10 {
            let b = *self.0.first()?;
            self.0 = &self.0[1..];
            value |= u64::from(b & 0x7f).checked_shl(7 * i).unwrap_or(0);
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// `count uleb | hash[32]*`.
    fn hashes(&mut self) -> Option<()> {
        let n = self.leb()?;
        self.take(n.checked_mul(32)?).map(drop)
    }

    /// `count uleb | (len uleb, bytes)*`.
    fn actors(&mut self) -> Option<()> {
        for _ in 0..self.leb()? {
            let len = self.leb()?;
            self.take(len)?;
        }
        Some(())
    }

    /// `count uleb | (spec uleb, len uleb)*`.
    fn columns(&mut self) -> Option<Vec<(u64, u64)>> {
        let n = self.leb()?;
        // Each column takes at least two bytes: a count past that is damage.
        if n > self.0.len() as u64 / 2 {
            return None;
        }
        (0..n).map(|_| Some((self.leb()?, self.leb()?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use automerge::transaction::Transactable as _;

    use super::*;

    fn uleb(n: u64, out: &mut Vec<u8>) {
        let _ = leb128::write::unsigned(out, n);
    }

    /// `n` bytes of `byte`, deflated (written in pieces: a bomb costs the test no memory).
    fn deflate(byte: u8, n: usize) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let piece = vec![byte; 1 << 20];
        let mut left = n;
        while left > 0 {
            let k = left.min(piece.len());
            let _ = e.write_all(&piece[..k]);
            left -= k;
        }
        e.finish().unwrap_or_default()
    }

    fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[0; 4]);
        out.push(kind);
        uleb(data.len() as u64, &mut out);
        out.extend_from_slice(data);
        out
    }

    /// A compressed change chunk that inflates to `n` zero bytes.
    fn bomb(n: usize) -> Vec<u8> {
        chunk(2, &deflate(0, n))
    }

    #[test]
    fn real_documents_changes_and_sync_messages_pass() {
        use automerge::sync::SyncDoc as _;
        let mut doc = automerge::AutoCommit::new();
        for i in 0..300 {
            let text = format!("a line of session notes, number {i}, long enough to compress well");
            let _ = doc.put(automerge::ROOT, format!("k{i}"), text);
        }
        let notes: String = (0..2000).map(|i| format!("word{i} ")).collect();
        let _ = doc.put(automerge::ROOT, "notes", notes);
        doc.commit();
        let saved = doc.save();
        // The parser follows a real document into its compressed columns.
        assert!(
            chunks_inflated(&saved).is_ok_and(|n| n > 1000),
            "{:?}",
            chunks_inflated(&saved)
        );
        let mut other = automerge::AutoCommit::new();
        let _ = other.put(automerge::ROOT, "x", 1);
        other.commit();
        let changes = other.save_after(&[]);
        assert_eq!(check_chunks(&changes), Ok(()));
        let mut state = automerge::sync::State::new();
        let mut peer = automerge::sync::State::new();
        let mut empty = automerge::AutoCommit::new();
        let mut followed = 0;
        // Run the protocol far enough that a message carries changes.
        for _ in 0..3 {
            if let Some(m) = doc.sync().generate_sync_message(&mut state) {
                let bytes = m.encode();
                assert_eq!(check_sync_message(&bytes), Ok(()));
                followed = followed.max(sync_message_inflated(&bytes).unwrap_or(0));
                let m = automerge::sync::Message::decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
                let _ = empty.sync().receive_sync_message(&mut peer, m);
            }
            if let Some(m) = empty.sync().generate_sync_message(&mut peer) {
                let m =
                    automerge::sync::Message::decode(&m.encode()).unwrap_or_else(|e| panic!("{e}"));
                let _ = doc.sync().receive_sync_message(&mut state, m);
            }
        }
        assert_eq!(empty.get_heads(), doc.get_heads());
        assert!(
            followed > 1000,
            "a sync message's compressed change was not followed ({followed})"
        );
    }

    #[test]
    fn a_compressed_bomb_is_refused_in_a_file_and_in_a_sync_message() {
        let small = bomb(1 << 20);
        assert_eq!(check_chunks(&small), Ok(()));
        let big = bomb((MAX_INFLATED + 1) as usize);
        assert!(big.len() < 1 << 20, "{} bytes", big.len());
        assert_eq!(check_chunks(&big), Err(TooLarge));
        // Many small bombs add up.
        let many: Vec<u8> = (0..300).flat_map(|_| bomb(1 << 20)).collect();
        assert_eq!(check_chunks(&many), Err(TooLarge));
        let mut msg = vec![0x42, 0, 0, 0, 1];
        uleb(big.len() as u64, &mut msg);
        msg.extend_from_slice(&big);
        assert_eq!(check_sync_message(&msg), Err(TooLarge));
    }

    #[test]
    fn a_deflated_column_of_a_document_counts_too() {
        // A document chunk with no actors or heads, one change column deflated.
        let column = deflate(7, (MAX_INFLATED + 1) as usize);
        let mut data = vec![0, 0];
        data.push(1);
        uleb(0b1000, &mut data);
        uleb(column.len() as u64, &mut data);
        data.push(0);
        data.extend_from_slice(&column);
        assert_eq!(check_chunks(&chunk(0, &data)), Err(TooLarge));
    }

    #[test]
    fn garbage_passes_through_for_automerge_to_refuse() {
        for bytes in [
            &b""[..],
            b"\x85\x6f\x4a",
            b"not automerge at all",
            &[0xff; 64],
        ] {
            assert_eq!(check_chunks(bytes), Ok(()));
            assert_eq!(check_sync_message(bytes), Ok(()));
        }
    }
}
