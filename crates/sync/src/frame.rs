//! Framing for every byte Tandem writes to its own disk: `magic | length | crc32 | payload`.
//!
//! Automerge's `load_incremental` applies the valid prefix of a damaged chunk and silently drops
//! the rest, so nothing reaches it unless its checksum matches: a torn or damaged write is detected
//! and skipped, never half-applied.

const RECORD_MAGIC: [u8; 4] = *b"TNDC";
const HEADER: usize = 12;
/// Largest record we accept; anything bigger is damage, not data.
pub const MAX_RECORD: usize = 512 * 1024 * 1024;

/// Appends one framed record to `out`; refuses a payload [`decode`] would not read back.
pub fn encode(payload: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
    if payload.len() > MAX_RECORD {
        return Err(format!(
            "a record of {} MB is larger than Tandem stores ({} MB)",
            payload.len() >> 20,
            MAX_RECORD >> 20
        ));
    }
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&RECORD_MAGIC);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// What reading a sequence of records found.
#[derive(Debug, Default)]
pub struct Decoded<'a> {
    pub records: Vec<&'a [u8]>,
    /// Bytes of `input` covered by whole, valid records.
    pub valid_len: usize,
    /// Why reading stopped before the end, if it did.
    pub stopped: Option<String>,
}

/// Reads records until the end or the first one that is torn or fails its checksum.
pub fn decode(input: &[u8]) -> Decoded<'_> {
    let mut out = Decoded::default();
    let mut at = 0;
    while at < input.len() {
        let rest = &input[at..];
        if rest.len() < HEADER {
            out.stopped = Some(format!("{} stray bytes at the end", rest.len()));
            break;
        }
        if rest[..4] != RECORD_MAGIC {
            out.stopped = Some(format!("no record marker at byte {at}"));
            break;
        }
        let len = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let crc = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
        if len > MAX_RECORD || rest.len() - HEADER < len {
            out.stopped = Some(format!("the record at byte {at} is cut short"));
            break;
        }
        let payload = &rest[HEADER..HEADER + len];
        if crc32fast::hash(payload) != crc {
            out.stopped = Some(format!("the record at byte {at} fails its checksum"));
            break;
        }
        out.records.push(payload);
        at += HEADER + len;
        out.valid_len = at;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_torn_tail() {
        let mut buf = Vec::new();
        for r in [&b"one"[..], b"two"] {
            encode(r, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        }
        let whole = buf.len();
        encode(b"three", &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let d = decode(&buf);
        assert_eq!(d.records, [&b"one"[..], b"two", b"three"]);
        assert_eq!(d.stopped, None);

        for cut in whole + 1..buf.len() {
            let d = decode(&buf[..cut]);
            assert_eq!(d.records.len(), 2, "cut at {cut}");
            assert_eq!(d.valid_len, whole);
            assert!(d.stopped.is_some());
        }
    }

    #[test]
    fn a_flipped_byte_is_detected() {
        let mut buf = Vec::new();
        encode(b"hello", &mut buf).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..buf.len() {
            let mut bad = buf.clone();
            bad[i] ^= 0x40;
            let d = decode(&bad);
            assert!(
                d.records.is_empty() || d.records[0] == b"hello" && i < 4,
                "byte {i}"
            );
            assert!(d.stopped.is_some(), "byte {i}");
        }
    }
}
