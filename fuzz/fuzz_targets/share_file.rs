//! Fuzzes the share-file reader: whatever bytes a shared folder holds go through
//! `open_share_file` (the seal, then the inflation bound), and whatever opens goes into a real
//! pair document through the acceptance check, as an exchange does. Half the inputs are sealed
//! with the pair's key first, so the fuzzer reaches the payload (Automerge's chunk parser and the
//! inflation pre-check) and not only the seal.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use common::{ID, base};
use tandem_core::Kind;
use tandem_sync::open_share_file;
use tandem_sync::seal::{self, DocKey};

const KEY: DocKey = DocKey([5; 32]);

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 {
        seal::seal(&KEY, ID, seal::Kind::Changes, "0000000000000001-00000000.tch", rest)
    } else {
        rest.to_vec()
    };
    let Ok(opened) = open_share_file(&KEY, ID, &bytes) else {
        return;
    };
    let Ok(mut doc) = automerge::AutoCommit::load(base()) else {
        return;
    };
    let before = doc.get_heads();
    if doc.load_incremental(&opened.payload).is_err() {
        return;
    }
    // What the check accepts, the window can show.
    if Kind::Pair.check_changes(&mut doc, &before).is_ok() {
        assert!(
            Kind::Pair.view(&doc).is_ok(),
            "accepted changes that leave the pair unviewable"
        );
    }
});
