//! Peer sync between libraries on real TCP over loopback: join, offline edits that converge, live
//! edits, and hostile peers refused while a real one still syncs.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tandem_core::pair::input::{NewPair, NewSession, TextSplice};
use tandem_core::pair::{Edit, Pair, SessionEdit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;
use crate::p2p::wire::WireError;
use crate::{Library, Mode as LibMode};

const KEY: DocKey = DocKey([9; 32]);

fn library(dir: &std::path::Path) -> Shared {
    Arc::new(Mutex::new(
        Library::open(dir, LibMode::ReadWrite).unwrap_or_else(|e| panic!("{e}")),
    ))
}

fn session(date: &str, notes: &str) -> Edit {
    Edit::Session(SessionEdit::Log(NewSession {
        date: date.into(),
        minutes: "30".into(),
        notes: notes.into(),
        ..NewSession::default()
    }))
}

fn apply(lib: &Shared, pair: &DocId, edit: &Edit) -> String {
    let mut l = lib.lock().unwrap_or_else(|e| panic!("{e}"));
    let (applied, _) = l
        .apply::<Pair>(&pair.id, edit, Utc::now())
        .unwrap_or_else(|e| panic!("{e}"));
    applied.created.unwrap_or_default()
}

fn notes(lib: &Shared, pair: &DocId) -> Vec<String> {
    let mut l = lib.lock().unwrap_or_else(|e| panic!("{e}"));
    let mut n: Vec<String> = l
        .view::<Pair>(&pair.id)
        .unwrap_or_else(|e| panic!("{e}"))
        .sessions
        .into_iter()
        .map(|s| s.notes)
        .collect();
    n.sort();
    n
}

/// Sam's library with a pair, served on a loopback port; returns (library, pair id, Alex's person
/// id, address, what the server reported).
async fn serving(
    dir: &std::path::Path,
) -> (Shared, DocId, String, SocketAddr, Arc<Mutex<Vec<String>>>) {
    let lib = library(dir);
    let view = lib
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .create_pair(
            &NewPair {
                title: "Alex → reviewer".into(),
                my_name: "Sam".into(),
                my_role: "mentor".into(),
                partner_name: "Alex".into(),
                programme: "kubernetes".into(),
                ..NewPair::default()
            },
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let alex = view
        .people
        .iter()
        .find(|p| p.name == "Alex")
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    tokio::spawn(serve(
        listener,
        lib.clone(),
        docs([(DocId::pair(view.id.clone()), KEY)]),
        Arc::new(|_: &DocId| {}),
        Arc::new(move |e: Event| {
            if let Ok(mut l) = log.lock() {
                l.push(format!("{e:?}"));
            }
        }),
    ));
    (lib, DocId::pair(view.id), alex, addr, events)
}

/// Types `text` into session `session`'s notes at `pos`, as keystrokes are applied.
fn type_notes(lib: &Shared, pair: &DocId, session: &str, pos: usize, text: &str) {
    lib.lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .splice_text(
            &pair.id,
            &TextSplice {
                session_id: session.to_string(),
                field: "notes".into(),
                pos,
                delete: 0,
                insert: text.to_string(),
            },
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_edit_offline_converge_then_see_live_edits() {
    let dirs = (
        tempfile::tempdir(),
        tempfile::tempdir(),
        tempfile::tempdir(),
    );
    let (Ok(a_dir), Ok(b_dir), Ok(c_dir)) = dirs else {
        panic!("no temp dirs")
    };
    let (sam, pair, alex, addr, _) = serving(a_dir.path()).await;
    apply(
        &sam,
        &pair,
        &session("2026-11-02", "first, before Alex joined"),
    );

    // Alex joins from the invite's key, straight from Sam's laptop; Kim (a second mentee device)
    // joins too, so three laptops hold the pair.
    let alex_lib = library(b_dir.path());
    let joined = join(&alex_lib, addr, &pair, &alex, &KEY)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let tandem_core::DocView::Pair(joined) = joined else {
        panic!("joined a pair, got another kind")
    };
    assert_eq!(joined.sessions.len(), 1);
    assert_eq!(joined.me.as_deref(), Some(alex.as_str()));
    let third = library(c_dir.path());
    join(&third, addr, &pair, &alex, &KEY)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Offline, each logs a session; then they connect once and converge.
    apply(&sam, &pair, &session("2026-11-09", "sam offline"));
    apply(&alex_lib, &pair, &session("2026-11-10", "alex offline"));
    apply(&third, &pair, &session("2026-11-11", "third offline"));
    let quiet = |_: &DocId| {};
    for lib in [&alex_lib, &third, &alex_lib] {
        let r = connect(lib, addr, &pair, &KEY, Mode::Once, &quiet)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.rounds >= 2, "{r:?}");
    }
    let all = notes(&sam, &pair);
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(notes(&alex_lib, &pair), all);
    assert_eq!(notes(&third, &pair), all);

    // A reconnect with nothing new costs one idle round each way (the state was kept).
    let again = connect(&alex_lib, addr, &pair, &KEY, Mode::Once, &quiet)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.bytes_sent < 300, "{again:?}");

    // Live: Alex stays connected; a session and then typing reach Sam without any other step.
    let live_lib = alex_lib.clone();
    let live_pair = pair.clone();
    let live = tokio::spawn(async move {
        let none = |_: &DocId| {};
        connect(&live_lib, addr, &live_pair, &KEY, Mode::Live, &none).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Edits are pushed as they are made: each arrives long before the next keep-alive round
    // would have carried it (a session kept polling would need up to LIVE_KEEPALIVE).
    let pushed = LIVE_KEEPALIVE / 2;
    let s = apply(&alex_lib, &pair, &session("2026-11-17", "live"));
    let took = wait_until("the live session at Sam's", pushed, || {
        notes(&sam, &pair).iter().any(|n| n == "live")
    })
    .await;
    eprintln!("a logged session reached the peer in {took:?}");
    for (i, c) in " and typed".chars().enumerate() {
        type_notes(&alex_lib, &pair, &s, 4 + i, &c.to_string());
    }
    let took = wait_until("the typing at Sam's", pushed, || {
        notes(&sam, &pair).iter().any(|n| n == "live and typed")
    })
    .await;
    eprintln!("typing reached the peer in {took:?}");
    // The other way: Sam's laptop (which accepted the connection) pushes Sam's typing too.
    tokio::time::sleep(LIVE_KEEPALIVE / 4).await;
    type_notes(&sam, &pair, &s, 0, "Sam: ");
    let took = wait_until("Sam's typing at Alex's", pushed, || {
        notes(&alex_lib, &pair)
            .iter()
            .any(|n| n == "Sam: live and typed")
    })
    .await;
    eprintln!("typing reached the connecting peer in {took:?}");
    live.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_peers_are_refused_while_a_real_one_still_syncs() {
    let (Ok(a_dir), Ok(b_dir)) = (tempfile::tempdir(), tempfile::tempdir()) else {
        panic!("no temp dirs")
    };
    let (sam, pair, alex, addr, events) = serving(a_dir.path()).await;
    let alex_lib = library(b_dir.path());
    join(&alex_lib, addr, &pair, &alex, &KEY)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let quiet = |_: &DocId| {};

    // A peer with another key learns so at once, from the initiator's side.
    let wrong = connect(&alex_lib, addr, &pair, &DocKey([1; 32]), Mode::Once, &quiet).await;
    assert!(
        matches!(wrong, Err(PeerError::Channel(ChannelError::WrongKey))),
        "{wrong:?}"
    );
    // The right hello tag with the wrong PSK fails Noise's last message at the responder, and
    // the initiator hears it through the missing confirmation.
    let stream = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let spoof = Channel::connect_with(
        stream,
        &pair,
        wire::Tagged::fresh(&wire::Finder::new(&pair.id, &KEY)),
        wire::psk(&pair.id, &DocKey([2; 32])),
        "SPOOF",
    )
    .await;
    assert!(matches!(spoof, Err(ChannelError::WrongKey)), "{spoof:?}");

    // Garbage, and a frame header promising more than a Noise message can be.
    for junk in [&b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..], &[0xff; 3000][..]] {
        let mut s = TcpStream::connect(addr)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = s.write_all(junk).await;
        let mut buf = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(8), s.read(&mut buf)).await;
        assert!(
            matches!(n, Ok(Ok(0)) | Ok(Err(_))),
            "garbage was not refused: {n:?}"
        );
    }

    // A message announcing more than the limit, after a valid handshake, ends the session.
    let stream = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut big = Channel::connect(stream, &pair, &KEY, "BIGSENDER")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = big.send_announcing(Kind::Sync, wire::MAX_MESSAGE + 1).await;
    // (The responder's first round may already be on its way; after it, the line goes dead.)
    let mut cut_off = false;
    for _ in 0..3 {
        if big.recv(Duration::from_secs(8)).await.is_err() {
            cut_off = true;
            break;
        }
    }
    assert!(cut_off, "an oversized message was accepted");

    // A slow-loris peer (half a hello, then nothing) is cut off by the handshake deadline.
    let mut slow = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = slow.write_all(&[0, 21, b'T']).await;
    let start = Instant::now();
    let mut buf = [0u8; 8];
    let n = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut buf)).await;
    assert!(matches!(n, Ok(Ok(0)) | Ok(Err(_))), "{n:?}");
    assert!(start.elapsed() <= channel::HANDSHAKE_TIMEOUT + Duration::from_secs(2));

    // 100 connections at once from another host on the network (127.0.0.2), held open without a
    // word: each is refused or timed out; meanwhile Alex's edit reaches Sam at the first try, as
    // one host can hold only a few handshake slots.
    let mut flood = Vec::new();
    for _ in 0..100 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap_or_else(|e| panic!("{e}"));
        socket
            .bind("127.0.0.2:0".parse().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        if let Ok(s) = socket.connect(addr).await {
            flood.push(s);
        }
    }
    assert_eq!(flood.len(), 100);
    apply(
        &alex_lib,
        &pair,
        &session("2026-11-18", "through the flood"),
    );
    let through = connect(&alex_lib, addr, &pair, &KEY, Mode::Once, &quiet).await;
    assert!(
        through.is_ok(),
        "a flood from one host locked the partner out: {through:?}"
    );
    assert!(notes(&sam, &pair).iter().any(|n| n == "through the flood"));
    let mut closed = 0;
    for mut s in flood {
        let mut buf = [0u8; 8];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_secs(8), s.read(&mut buf)).await
        {
            closed += 1;
        }
    }
    assert_eq!(closed, 100, "every flood connection is closed");
    let log = events.lock().map(|l| l.join("\n")).unwrap_or_default();
    assert!(log.contains("connections from this address"), "{log}");
    assert!(log.contains("no answer within"), "{log}");
    assert!(log.contains("TooLarge"), "{log}");
}

/// A channel pair over real loopback TCP for document `pair`.
async fn channel_pair() -> (Channel<TcpStream>, Channel<TcpStream>) {
    let pair = DocId::pair("01BIG");
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let served = pair.clone();
    let responder = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap_or_else(|e| panic!("{e}"));
        Channel::accept(stream, "SAM", |_| Some((served.clone(), KEY)))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let stream = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let initiator = Channel::connect(stream, &pair, &KEY, "ALEX")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let responder = responder.await.unwrap_or_else(|e| panic!("{e}"));
    (initiator, responder)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_large_messages_sent_at_once_both_arrive() {
    // Far more than the sockets buffer: sent one after the other, each side would wait, writing,
    // for the other to read.
    let (mut a, mut b) = channel_pair().await;
    let (from_a, from_b) = (vec![0xa5u8; 12 << 20], vec![0x5au8; 12 << 20]);
    let (ga, gb) = (from_a.clone(), from_b.clone());
    let left =
        tokio::spawn(async move { a.exchange(Kind::Sync, &ga, Duration::from_secs(60)).await });
    let right =
        tokio::spawn(async move { b.exchange(Kind::Sync, &gb, Duration::from_secs(60)).await });
    let (left, right) = tokio::join!(left, right);
    let (Ok(Ok((Kind::Sync, at_a))), Ok(Ok((Kind::Sync, at_b)))) = (left, right) else {
        panic!("a round of two large messages failed")
    };
    assert!(
        at_a == from_b && at_b == from_a,
        "the messages arrived changed"
    );
}

#[tokio::test]
async fn a_message_over_the_limit_is_refused_by_its_sender() {
    let (mut a, mut b) = channel_pair().await;
    let huge = vec![0u8; wire::MAX_MESSAGE];
    let sent = a.send(Kind::Sync, &huge).await;
    assert!(
        matches!(sent, Err(ChannelError::Wire(WireError::TooLarge(_)))),
        "{sent:?}"
    );
    // Nothing went out: the channel still works, both ways.
    a.send(Kind::Idle, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let got = b
        .recv(Duration::from_secs(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, (Kind::Idle, Vec::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_the_peer_and_giving_up_loses_no_byte_of_its_message() {
    // A live session waits on the peer and on its own edits at once and drops whichever loses;
    // here the wait is dropped over and over while a large message is on its way.
    let (mut a, mut b) = channel_pair().await;
    let big: Vec<u8> = (0..(3 << 20)).map(|i: u32| (i % 251) as u8).collect();
    let sent = big.clone();
    let sender = tokio::spawn(async move { a.send(Kind::Sync, &sent).await.map(|()| a) });
    let mut woke = 0;
    let mut gave_up = 0;
    while woke < 50 {
        tokio::select! {
            r = b.peer_sent() => {
                r.unwrap_or_else(|e| panic!("{e}"));
                woke += 1;
            }
            () = tokio::time::sleep(Duration::from_micros(50)) => gave_up += 1,
        }
    }
    let got = b
        .recv(Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        got.0 == Kind::Sync && got.1 == big,
        "the message arrived changed"
    );
    let mut a = sender
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Still in step both ways afterwards.
    a.send(Kind::Idle, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    b.peer_sent().await.unwrap_or_else(|e| panic!("{e}"));
    let got = b
        .recv(Duration::from_secs(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, (Kind::Idle, Vec::new()));
    eprintln!("the wait was given up {gave_up} times");
    // The peer hanging up ends the wait with an error, not a hang.
    drop(a);
    let closed = b.peer_sent().await;
    assert!(matches!(closed, Err(ChannelError::Closed)), "{closed:?}");
}
