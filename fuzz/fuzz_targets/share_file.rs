//! Fuzzes the share-file reader: whatever bytes a shared folder holds go through
//! `open_share_file` (the seal, then the inflation bound), and whatever opens goes into a real
//! pair document through the acceptance check, as an exchange does. Half the inputs are sealed
//! with the pair's key first, so the fuzzer reaches the payload (Automerge's chunk parser and the
//! inflation pre-check) and not only the seal.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tandem_core::Kind;
use tandem_sync::open_share_file;
use tandem_sync::seal::{self, DocKey};

const KEY: DocKey = DocKey([5; 32]);
const ID: &str = "01PAIR";

fn base() -> &'static [u8] {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut doc = tandem_core::new_document();
        let ids = tandem_core::pair::ops::PairIds {
            pair: ID.into(),
            me: "01SAM".into(),
            partner: "01ALEX".into(),
        };
        let input = tandem_core::pair::input::NewPair {
            title: "Alex → reviewer".into(),
            my_name: "Sam".into(),
            my_role: "mentor".into(),
            partner_name: "Alex".into(),
            programme: "kubernetes".into(),
            ..Default::default()
        };
        let _ = tandem_core::pair::ops::create_pair(&mut doc, &ids, &input, chrono::Utc::now());
        doc.commit();
        doc.save()
    })
}

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
