//! Peer-to-peer sync: laptop to laptop over TCP, with no share and no server.
//!
//! One TCP connection carries one document (a pair, or any synced kind): a hello naming it by its
//! token, Noise XXpsk3 keyed by its key, the responder's confirmation ([`channel`]), then
//! Automerge's sync protocol in rounds. In each round both sides send one message (a sync message, or "idle" when they have
//! nothing new) and read the other's; the protocol state is kept per peer on disk, so a reconnect
//! sends only what is new. Two idle messages crossing mean both have everything: a one-off session
//! ends there; a live one then waits for whichever comes first — a change to the document here
//! (a keystroke included: [`Library::watch_changes`]), a message from the peer, or
//! [`LIVE_KEEPALIVE`] — and goes round again. So an edit is pushed to the partner as it is made
//! (the other side wakes on its arrival and answers), an idle session costs a round every few
//! seconds, and a silent peer is noticed within [`LIVE_KEEPALIVE`] + [`channel::IDLE_TIMEOUT`].
//! Both sides still send exactly one message per round, so the rounds never drift apart.

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

use crate::seal::DocKey;
use crate::{DocId, Library, StoreError};

/// The longest pause between rounds of a live session once both sides are up to date (an edit
/// on either side starts a round at once).
pub const LIVE_KEEPALIVE: Duration = Duration::from_secs(5);
/// Sessions served at once; more are closed at once (a flood cannot starve a real peer of
/// memory).
pub const MAX_PEERS: usize = 16;
/// Connections being authenticated at once (each bounded by the handshake deadline)…
pub const MAX_HANDSHAKES: usize = 16;
/// …and from one address.
pub const MAX_HANDSHAKES_PER_HOST: usize = 4;
/// How long connecting to a peer's address may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A library shared between the window (or the CLI) and its peer sessions.
pub type Shared = Arc<Mutex<Library>>;

/// A document this library can sync with a peer: its id, key and [`wire::Finder`].
#[derive(Debug, Clone)]
pub struct Served {
    pub doc: DocId,
    pub key: DocKey,
    pub finder: wire::Finder,
}

/// The documents this library can sync with a peer.
pub type Docs = Arc<Vec<Served>>;

/// Builds the served documents from (document, key) pairs.
pub fn docs(keys: impl IntoIterator<Item = (DocId, DocKey)>) -> Docs {
    Arc::new(
        keys.into_iter()
            .map(|(doc, key)| Served {
                finder: wire::Finder::new(&doc.id, &key),
                doc,
                key,
            })
            .collect(),
    )
}

/// The served document a nonce and tag (a hello's, an advertisement's) name, if any: one HMAC per
/// document, a few microseconds each.
pub fn find<'a>(docs: &'a [Served], t: &wire::Tagged) -> Option<&'a Served> {
    docs.iter().find(|s| s.finder.names(&t.nonce, &t.tag))
}

/// Called with the document whenever a peer's changes to it arrived (the window redraws it).
pub type OnChange = Arc<dyn Fn(&DocId) + Send + Sync>;
/// Told what each connection does.
pub type OnEvent = Arc<dyn Fn(Event) + Send + Sync>;

/// Whether a session ends once both sides are up to date, or stays for live edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Once,
    Live,
}

/// What a session did.
#[derive(Debug, Clone)]
pub struct SessionReport {
    pub doc: DocId,
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

/// A sync message from the peer, once it is known not to inflate past the bound.
fn decode(body: &[u8]) -> Result<Message, PeerError> {
    crate::inflate::check_sync_message(body).map_err(|e| PeerError::BadSync(e.to_string()))?;
    Message::decode(body).map_err(|e| PeerError::BadSync(e.to_string()))
}

fn lock(lib: &Shared) -> Result<MutexGuard<'_, Library>, PeerError> {
    lib.lock().map_err(|_| PeerError::Poisoned)
}

/// Runs Automerge's sync protocol with the peer on `ch` until both are up to date (`Once`) or the
/// connection ends (`Live`). `on_change` is called with the document whenever the peer's changes
/// arrived (the window redraws it).
pub async fn run_session<S: AsyncRead + AsyncWrite + Unpin>(
    lib: &Shared,
    ch: &mut Channel<S>,
    mode: Mode,
    on_change: &(dyn Fn(&DocId) + Send + Sync),
) -> Result<SessionReport, PeerError> {
    let doc = ch.peer.doc.clone();
    let peer = ch.peer.device.clone();
    let (mut state, mut changes) = {
        let mut l = lock(lib)?;
        (l.peer_state(&doc, &peer), l.watch_changes(&doc))
    };
    let mut report = SessionReport {
        doc: doc.clone(),
        peer: peer.clone(),
        rounds: 0,
        changed: false,
        bytes_sent: 0,
        bytes_received: 0,
    };
    loop {
        // Whatever changes after this is in a later round's message.
        changes.borrow_and_update();
        let out = lock(lib)?.sync_message(&doc, &mut state, Utc::now())?;
        let sent_something = out.is_some();
        let (kind, body) = match out.map(Message::encode) {
            Some(m) => ch.exchange(Kind::Sync, &m, channel::IDLE_TIMEOUT).await?,
            None => ch.exchange(Kind::Idle, &[], channel::IDLE_TIMEOUT).await?,
        };
        report.rounds += 1;
        let got_something = match kind {
            Kind::Sync => {
                let m = decode(&body)?;
                let mut l = lock(lib)?;
                let r = l.receive_sync(&doc, &mut state, m)?;
                l.save_peer_state(&doc, &peer, &state)?;
                drop(l);
                if r.changed {
                    report.changed = true;
                    on_change(&doc);
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
                Mode::Live => {
                    let changed = async {
                        // Err: the library is gone (never while a session holds it).
                        if changes.changed().await.is_err() {
                            std::future::pending::<()>().await
                        }
                    };
                    tokio::select! {
                        r = ch.peer_sent() => r?,
                        () = changed => {}
                        () = tokio::time::sleep(LIVE_KEEPALIVE) => {}
                    }
                }
            }
        }
    }
    report.bytes_sent = ch.sent;
    report.bytes_received = ch.received;
    lock(lib)?.save_peer_state(&doc, &peer, &state)?;
    Ok(report)
}

/// Opens an authenticated channel for document `doc` to the peer at `addr`.
pub async fn open(
    lib: &Shared,
    addr: SocketAddr,
    doc: &DocId,
    key: &DocKey,
) -> Result<Channel<TcpStream>, PeerError> {
    let device = lock(lib)?.device().id.clone();
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr))
        .await
        .map_err(|_| ChannelError::Timeout(CONNECT_TIMEOUT))?
        .map_err(ChannelError::Io)?;
    let _ = stream.set_nodelay(true);
    Ok(Channel::connect(stream, doc, key, &device).await?)
}

/// Connects to a peer at `addr` and syncs document `doc`.
pub async fn connect(
    lib: &Shared,
    addr: SocketAddr,
    doc: &DocId,
    key: &DocKey,
    mode: Mode,
    on_change: &(dyn Fn(&DocId) + Send + Sync),
) -> Result<SessionReport, PeerError> {
    let mut ch = open(lib, addr, doc, key).await?;
    run_session(lib, &mut ch, mode, on_change).await
}

/// Joins document `d` as `member` (from an invite) by fetching it from a peer at `addr` that has
/// it: the whole document arrives over the sync protocol, then becomes this device's copy.
pub async fn join(
    lib: &Shared,
    addr: SocketAddr,
    d: &DocId,
    member: &str,
    key: &DocKey,
) -> Result<tandem_core::DocView, PeerError> {
    use automerge::sync::SyncDoc;
    let mut ch = open(lib, addr, d, key).await?;
    let mut doc = tandem_core::new_document();
    let mut state = automerge::sync::State::new();
    loop {
        let out = doc.sync().generate_sync_message(&mut state);
        let sent = out.is_some();
        let (kind, body) = match out.map(Message::encode) {
            Some(m) => ch.exchange(Kind::Sync, &m, channel::IDLE_TIMEOUT).await?,
            None => ch.exchange(Kind::Idle, &[], channel::IDLE_TIMEOUT).await?,
        };
        let got = match kind {
            Kind::Sync => {
                let m = decode(&body)?;
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
    let view = l.adopt(d, member, doc, Utc::now())?;
    l.remember_key(d, key)?;
    l.save_peer_state(d, &ch.peer.device, &state)?;
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
/// against `docs`, then synced live. Handshakes and sessions have slots of their own: at most
/// [`MAX_HANDSHAKES`] connections not yet authenticated (and [`MAX_HANDSHAKES_PER_HOST`] from
/// one address, so one host reconnecting in a loop cannot lock the partner out), and at most
/// [`MAX_PEERS`] sessions. A failed accept (out of file descriptors, an aborted connection)
/// never ends listening: it is retried after a pause.
pub async fn serve(
    listener: TcpListener,
    lib: Shared,
    docs: Docs,
    on_change: OnChange,
    on_event: OnEvent,
) -> std::io::Result<()> {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    let sessions = Arc::new(Semaphore::new(MAX_PEERS));
    let per_host: Arc<Mutex<HashMap<std::net::IpAddr, usize>>> = Arc::default();
    let device = lib
        .lock()
        .map(|l| l.device().id.clone())
        .map_err(|_| std::io::Error::other("the library lock is poisoned"))?;
    let mut pause = ACCEPT_PAUSE;
    loop {
        let (stream, addr) = match listener.accept().await {
            Ok(accepted) => {
                pause = ACCEPT_PAUSE;
                accepted
            }
            Err(_) => {
                // EMFILE and ENFILE last until connections close; the others are one
                // connection's own. Either way, wait a little and keep listening.
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let Some(host) = HostSlot::take(&per_host, addr.ip()) else {
            on_event(Event::Refused {
                addr,
                why: format!("already {MAX_HANDSHAKES_PER_HOST} connections from this address"),
            });
            continue;
        };
        let Ok(handshake) = handshakes.clone().try_acquire_owned() else {
            on_event(Event::Refused {
                addr,
                why: format!("already {MAX_HANDSHAKES} connections being set up"),
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (lib, docs, device, sessions) =
            (lib.clone(), docs.clone(), device.clone(), sessions.clone());
        let (on_change, on_event) = (on_change.clone(), on_event.clone());
        tokio::spawn(async move {
            let lookup = |t: &wire::Tagged| find(&docs, t).map(|s| (s.doc.clone(), s.key.clone()));
            let accepted = Channel::accept(stream, &device, lookup).await;
            drop((handshake, host));
            match accepted {
                Ok(mut ch) => {
                    let Ok(_session) = sessions.try_acquire_owned() else {
                        on_event(Event::Refused {
                            addr,
                            why: format!("already serving {MAX_PEERS} connections"),
                        });
                        return;
                    };
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

/// The first pause after a failed accept; it doubles up to a second while accepts keep failing.
const ACCEPT_PAUSE: Duration = Duration::from_millis(10);

/// One of the handshake slots of a host, given back when dropped.
struct HostSlot {
    hosts: Arc<Mutex<HashMap<std::net::IpAddr, usize>>>,
    ip: std::net::IpAddr,
}

impl HostSlot {
    fn take(
        hosts: &Arc<Mutex<HashMap<std::net::IpAddr, usize>>>,
        ip: std::net::IpAddr,
    ) -> Option<HostSlot> {
        let mut map = hosts.lock().ok()?;
        let n = map.entry(ip).or_default();
        if *n >= MAX_HANDSHAKES_PER_HOST {
            return None;
        }
        *n += 1;
        Some(HostSlot {
            hosts: hosts.clone(),
            ip,
        })
    }
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.hosts.lock()
            && let Some(n) = map.get_mut(&self.ip)
        {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// How long [`keep_connected`] keeps trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dial {
    /// An address the person gave: for as long as the app runs.
    Given,
    /// An address found on the network (anyone can advertise one): given up after
    /// [`DISCOVERED_TRIES`] failures in a row.
    Discovered,
}

/// Failed connections in a row after which a discovered address is given up.
pub const DISCOVERED_TRIES: u32 = 5;

/// Keeps connecting to `addr` for every document in `docs`, live, reconnecting with back-off
/// (1 s doubling to 30 s) when the connection fails or ends. Runs until dropped, or (a
/// [`Dial::Discovered`] address) until it failed [`DISCOVERED_TRIES`] times in a row.
pub async fn keep_connected(
    lib: Shared,
    addr: SocketAddr,
    docs: Docs,
    dial: Dial,
    on_change: OnChange,
    on_event: OnEvent,
) {
    let mut tasks = Vec::new();
    for served in docs.iter() {
        let (id, key) = (served.doc.clone(), served.key.clone());
        let (lib, on_change, on_event) = (lib.clone(), on_change.clone(), on_event.clone());
        tasks.push(tokio::spawn(async move {
            let mut wait = Duration::from_secs(1);
            let mut failed = 0;
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
                    failed = 0;
                } else {
                    failed += 1;
                }
                on_event(Event::Ended { addr, result });
                if dial == Dial::Discovered && failed >= DISCOVERED_TRIES {
                    return;
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}
