//! Peer-to-peer sync: laptop to laptop over TCP, with no share and no server.
//!
//! One TCP connection carries one pair: a hello naming the pair by its token, Noise XXpsk3 keyed by
//! the pair key, the responder's confirmation ([`channel`]), then Automerge's sync protocol in
//! rounds. In each round both sides send one message (a sync message, or "idle" when they have
//! nothing new) and read the other's; the protocol state is kept per peer on disk, so a reconnect
//! sends only what is new. Two idle messages crossing mean both have everything: a one-off session
//! ends there; a live one keeps a round every [`LIVE_ROUND`], so an edit on one laptop reaches the
//! other well within a second, and a silent peer is noticed within [`channel::IDLE_TIMEOUT`].

pub mod channel;
pub mod discover;
pub mod wire;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use automerge::sync::Message;
use chrono::Utc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

pub use channel::{Channel, ChannelError, Peer};
use wire::Kind;

use crate::seal::PairKey;
use crate::{Library, StoreError};

/// The pause between rounds of a live session once both sides are up to date.
pub const LIVE_ROUND: Duration = Duration::from_millis(200);
/// Connections served at once; more are closed at once (a flood cannot starve a real peer of
/// memory, and every accepted one is bounded by the handshake deadline).
pub const MAX_PEERS: usize = 16;
/// How long connecting to a peer's address may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A library shared between the window (or the CLI) and its peer sessions.
pub type Shared = Arc<Mutex<Library>>;

/// The pairs this library can sync with a peer: pair token → (pair id, key).
pub type Pairs = Arc<HashMap<[u8; 16], (String, PairKey)>>;

/// Builds the token table from (pair id, key) pairs.
pub fn pairs(keys: impl IntoIterator<Item = (String, PairKey)>) -> Pairs {
    Arc::new(
        keys.into_iter()
            .map(|(id, key)| (wire::pair_token(&id, &key), (id, key)))
            .collect(),
    )
}

/// Whether a session ends once both sides are up to date, or stays for live edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Once,
    Live,
}

/// What a session did.
#[derive(Debug, Clone, Default)]
pub struct SessionReport {
    pub pair_id: String,
    pub peer: String,
    pub rounds: usize,
    /// This side's pair changed.
    pub changed: bool,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the other laptop sent a sync message that does not decode ({0})")]
    BadSync(String),
    #[error("Tandem hit an internal error (a lock was poisoned); restart it")]
    Poisoned,
}

fn lock(lib: &Shared) -> Result<MutexGuard<'_, Library>, PeerError> {
    lib.lock().map_err(|_| PeerError::Poisoned)
}

/// Runs Automerge's sync protocol with the peer on `ch` until both are up to date (`Once`) or the
/// connection ends (`Live`). `on_change` is called with the pair id whenever the peer's changes
/// arrived (the window redraws the pair).
pub async fn run_session<S: AsyncRead + AsyncWrite + Unpin>(
    lib: &Shared,
    ch: &mut Channel<S>,
    mode: Mode,
    on_change: &(dyn Fn(&str) + Send + Sync),
) -> Result<SessionReport, PeerError> {
    let pair = ch.peer.pair_id.clone();
    let peer = ch.peer.device.clone();
    let mut state = lock(lib)?.peer_state(&pair, &peer);
    let mut report = SessionReport {
        pair_id: pair.clone(),
        peer: peer.clone(),
        ..SessionReport::default()
    };
    loop {
        let out = lock(lib)?.sync_message(&pair, &mut state, Utc::now())?;
        let sent_something = out.is_some();
        match out {
            Some(m) => ch.send(Kind::Sync, &m.encode()).await?,
            None => ch.send(Kind::Idle, &[]).await?,
        }
        let (kind, body) = ch.recv(channel::IDLE_TIMEOUT).await?;
        report.rounds += 1;
        let got_something = match kind {
            Kind::Sync => {
                let m = Message::decode(&body).map_err(|e| PeerError::BadSync(e.to_string()))?;
                let mut l = lock(lib)?;
                let r = l.receive_sync(&pair, &mut state, m)?;
                l.save_peer_state(&pair, &peer, &state)?;
                drop(l);
                if r.changed {
                    report.changed = true;
                    on_change(&pair);
                }
                true
            }
            Kind::Idle => false,
            Kind::Bye => break,
            Kind::Confirm => return Err(ChannelError::Wire(wire::WireError::UnknownKind(1)).into()),
        };
        if !sent_something && !got_something {
            match mode {
                Mode::Once => {
                    // Both up to date; the peer may already be gone, so a failed goodbye is fine.
                    let _ = ch.send(Kind::Bye, &[]).await;
                    break;
                }
                Mode::Live => tokio::time::sleep(LIVE_ROUND).await,
            }
        }
    }
    report.bytes_sent = ch.sent;
    report.bytes_received = ch.received;
    lock(lib)?.save_peer_state(&pair, &peer, &state)?;
    Ok(report)
}

/// Opens an authenticated channel for pair `pair_id` to the peer at `addr`.
pub async fn open(
    lib: &Shared,
    addr: SocketAddr,
    pair_id: &str,
    key: &PairKey,
) -> Result<Channel<TcpStream>, PeerError> {
    let device = lock(lib)?.device().id.clone();
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr))
        .await
        .map_err(|_| ChannelError::Timeout(CONNECT_TIMEOUT))?
        .map_err(ChannelError::Io)?;
    let _ = stream.set_nodelay(true);
    Ok(Channel::connect(stream, pair_id, key, &device).await?)
}

/// Connects to a peer at `addr` and syncs pair `pair_id`.
pub async fn connect(
    lib: &Shared,
    addr: SocketAddr,
    pair_id: &str,
    key: &PairKey,
    mode: Mode,
    on_change: &(dyn Fn(&str) + Send + Sync),
) -> Result<SessionReport, PeerError> {
    let mut ch = open(lib, addr, pair_id, key).await?;
    run_session(lib, &mut ch, mode, on_change).await
}

/// Joins pair `pair_id` as `person` (from an invite) by fetching it from a peer at `addr` that has
/// it: the whole document arrives over the sync protocol, then becomes this device's copy.
pub async fn join(
    lib: &Shared,
    addr: SocketAddr,
    pair_id: &str,
    person: &str,
    key: &PairKey,
) -> Result<tandem_core::view::PairView, PeerError> {
    use automerge::sync::SyncDoc;
    let mut ch = open(lib, addr, pair_id, key).await?;
    let mut doc = tandem_core::new_document();
    let mut state = automerge::sync::State::new();
    loop {
        let out = doc.sync().generate_sync_message(&mut state);
        let sent = out.is_some();
        match out {
            Some(m) => ch.send(Kind::Sync, &m.encode()).await?,
            None => ch.send(Kind::Idle, &[]).await?,
        }
        let (kind, body) = ch.recv(channel::IDLE_TIMEOUT).await?;
        let got = match kind {
            Kind::Sync => {
                let m = Message::decode(&body).map_err(|e| PeerError::BadSync(e.to_string()))?;
                doc.sync()
                    .receive_sync_message(&mut state, m)
                    .map_err(|e| PeerError::BadSync(e.to_string()))?;
                true
            }
            Kind::Idle => false,
            Kind::Bye | Kind::Confirm => break,
        };
        if !sent && !got {
            let _ = ch.send(Kind::Bye, &[]).await;
            break;
        }
    }
    let mut l = lock(lib)?;
    let view = l.adopt(pair_id, person, doc, Utc::now())?;
    l.save_peer_state(pair_id, &ch.peer.device, &state)?;
    Ok(view)
}

/// What the listener reports about each connection.
#[derive(Debug)]
pub enum Event {
    Connected {
        addr: SocketAddr,
        peer: Peer,
    },
    Ended {
        addr: SocketAddr,
        result: Result<SessionReport, PeerError>,
    },
    /// Refused before any session: no hello, an unknown pair, a wrong key, too slow, too many.
    Refused {
        addr: SocketAddr,
        why: String,
    },
}

/// Serves peers on `listener` until the task is dropped: each connection is authenticated
/// against `pairs`, then synced live. At most [`MAX_PEERS`] at once.
pub async fn serve(
    listener: TcpListener,
    lib: Shared,
    pairs: Pairs,
    on_change: Arc<dyn Fn(&str) + Send + Sync>,
    on_event: Arc<dyn Fn(Event) + Send + Sync>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_PEERS));
    let device = lib
        .lock()
        .map(|l| l.device().id.clone())
        .map_err(|_| std::io::Error::other("the library lock is poisoned"))?;
    loop {
        let (stream, addr) = listener.accept().await?;
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            on_event(Event::Refused {
                addr,
                why: format!("already serving {MAX_PEERS} connections"),
            });
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (lib, pairs, device) = (lib.clone(), pairs.clone(), device.clone());
        let (on_change, on_event) = (on_change.clone(), on_event.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let lookup = |t: &[u8; 16]| pairs.get(t).cloned();
            match Channel::accept(stream, &device, lookup).await {
                Ok(mut ch) => {
                    on_event(Event::Connected {
                        addr,
                        peer: ch.peer.clone(),
                    });
                    let result = run_session(&lib, &mut ch, Mode::Live, &*on_change).await;
                    on_event(Event::Ended { addr, result });
                }
                Err(e) => on_event(Event::Refused {
                    addr,
                    why: e.to_string(),
                }),
            }
        });
    }
}

/// Keeps connecting to `addr` for every pair in `pairs`, live, reconnecting with back-off
/// (1 s doubling to 30 s) when the connection fails or ends. Runs until dropped.
pub async fn keep_connected(
    lib: Shared,
    addr: SocketAddr,
    pairs: Pairs,
    on_change: Arc<dyn Fn(&str) + Send + Sync>,
    on_event: Arc<dyn Fn(Event) + Send + Sync>,
) {
    let mut tasks = Vec::new();
    for (id, key) in pairs.values() {
        let (id, key) = (id.clone(), key.clone());
        let (lib, on_change, on_event) = (lib.clone(), on_change.clone(), on_event.clone());
        tasks.push(tokio::spawn(async move {
            let mut wait = Duration::from_secs(1);
            loop {
                let result = match open(&lib, addr, &id, &key).await {
                    Ok(mut ch) => {
                        on_event(Event::Connected {
                            addr,
                            peer: ch.peer.clone(),
                        });
                        run_session(&lib, &mut ch, Mode::Live, &*on_change).await
                    }
                    Err(e) => Err(e),
                };
                if result.as_ref().is_ok_and(|r| r.rounds > 2) {
                    wait = Duration::from_secs(1);
                }
                on_event(Event::Ended { addr, result });
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}
