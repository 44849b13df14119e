//! Fuzzes what a peer can send before and after the handshake: the frame splitter, the hello
//! parser and the message reassembler (pure decoders), and the responder's whole handshake
//! (`Channel::accept`) fed arbitrary bytes over an in-memory stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_sync::p2p::channel::Channel;
use tandem_sync::p2p::wire::{self, Reassembler};
use tandem_sync::DocId;
use tandem_sync::seal::DocKey;
use tokio::io::AsyncWriteExt;

const KEY: DocKey = DocKey([5; 32]);

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        // Frames and hellos: never panic, consume only whole frames.
        0 => {
            if let Ok((frames, used)) = wire::split_frames(rest) {
                assert!(used <= rest.len());
                for f in frames {
                    let _ = wire::parse_hello(f);
                }
            }
        }
        // Decrypted plaintexts, cut at every size the bytes say.
        1 => {
            let mut r = Reassembler::default();
            let cut = usize::from(rest.first().copied().unwrap_or(1)).max(1);
            for piece in rest.chunks(cut) {
                if r.push(piece).is_err() {
                    break;
                }
            }
        }
        // The responder's handshake, from a peer that knows the document's finding subkey (so the bytes reach
        // Noise), or not.
        _ => {
            let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(_) => return,
            };
            rt.block_on(async {
                let (peer, ours) = tokio::io::duplex(1 << 17);
                let (mut from_us, mut to_us) = tokio::io::split(peer);
                // Whatever the responder answers is read and dropped, so it gets as far as the
                // bytes let it.
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_us, &mut tokio::io::sink()).await;
                });
                let mut input = Vec::new();
                if rest.first().is_some_and(|b| b % 2 == 0) {
                    input.extend_from_slice(&[0, wire::HELLO_LEN as u8]);
                    let finder = wire::Finder::new("01PAIR", &KEY);
                    input.extend_from_slice(&wire::hello(&wire::Tagged::fresh(&finder)));
                }
                input.extend_from_slice(rest);
                let finder = wire::Finder::new("01PAIR", &KEY);
                let lookup = move |t: &wire::Tagged| {
                    finder.names(&t.nonce, &t.tag).then(|| (DocId::pair("01PAIR"), KEY))
                };
                let accept = tokio::spawn(async move {
                    let _ = Channel::accept(ours, "FUZZ", lookup).await;
                });
                let _ = to_us.write_all(&input).await;
                let _ = to_us.shutdown().await;
                let _ = accept.await;
            });
        }
    }
});
