//! Fuzzes the invite parser (a tandem://join/… link or a code pasted by a person): arbitrary
//! text never panics, and what parses reads back the same from its own link and code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_sync::invite::Invite;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(invite) = Invite::parse(text) else {
        return;
    };
    for again in [invite.link(), invite.code()] {
        let back = Invite::parse(&again).unwrap_or_else(|e| panic!("{again}: {e}"));
        assert_eq!(back.pair_id, invite.pair_id);
        assert_eq!(back.person, invite.person);
        assert_eq!(back.key, invite.key);
    }
});
