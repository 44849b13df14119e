//! Fuzzes the decoder of Tandem's own files (the change log's framed records): any bytes — a torn
//! or damaged log — decode to a valid prefix that encodes back to exactly those bytes, and
//! decoding never reads past the end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_sync::frame;

fuzz_target!(|data: &[u8]| {
    let decoded = frame::decode(data);
    assert!(decoded.valid_len <= data.len());
    assert_eq!(decoded.stopped.is_none(), decoded.valid_len == data.len());
    let mut again = Vec::new();
    for r in &decoded.records {
        frame::encode(r, &mut again).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(&again[..], &data[..decoded.valid_len]);
});
