//! Finding the partner's laptop on the local network with mDNS (`_tandem._tcp`).
//!
//! Each shared document is advertised under an instance name made of a fresh random nonce and its
//! tag under the document's finding subkey ([`wire::Finder`]), on a host name as random, and every
//! [`ROTATE`] all of them are replaced by new ones. An onlooker sees names that never repeat and
//! match nothing: it cannot follow a laptop from network to network, nor tell which laptops share
//! a document. A laptop holding the key recognises the document by its tag. Of two laptops that
//! find each other, only the one whose own nonce for the document is smaller connects, so a pair
//! gets one connection, not two; each ignores its own advertisements. Many networks block
//! multicast: a typed host:port always works too.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};

use super::wire::{NONCE, TAG, Tagged};
use super::{Docs, Served};
use crate::DocId;

pub const SERVICE: &str = "_tandem._tcp.local.";
/// Advertisements are replaced by fresh ones this often.
pub const ROTATE: Duration = Duration::from_secs(60);
/// A laptop found again at the same address after this long is connected to again.
const REDISCOVER: Duration = Duration::from_secs(120);
/// How many rotations' nonces are still recognised as this laptop's own (other laptops' caches
/// may resolve an advertisement after it was replaced).
const OWN_KEPT: usize = 4;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The instance name advertising `t`: its nonce and tag in hex.
fn instance_name(t: &Tagged) -> String {
    format!("{}{}", hex(&t.nonce), hex(&t.tag))
}

/// One rotation's advertisements: a host name, and one tagged nonce per served document (in the
/// order of `docs`).
#[derive(Debug, Clone)]
struct Round {
    host: String,
    tagged: Vec<Tagged>,
}

impl Round {
    fn fresh(docs: &[Served]) -> Round {
        Round {
            host: format!("t{}.local.", hex(&rand::random::<[u8; 8]>())),
            tagged: docs.iter().map(|s| Tagged::fresh(&s.finder)).collect(),
        }
    }
}

/// The served document an instance name advertises (its index in `docs`), and the nonce and tag.
fn parse_instance(fullname: &str, docs: &[Served]) -> Option<(usize, Tagged)> {
    let instance = fullname.strip_suffix(SERVICE)?.strip_suffix('.')?;
    if instance.len() != 2 * (NONCE + TAG) {
        return None;
    }
    let t = Tagged {
        nonce: unhex::<NONCE>(instance.get(..2 * NONCE)?)?,
        tag: unhex::<TAG>(instance.get(2 * NONCE..)?)?,
    };
    let i = docs.iter().position(|s| s.finder.names(&t.nonce, &t.tag))?;
    Some((i, t))
}

/// What this laptop advertises now, and the nonces it advertised lately.
#[derive(Debug, Default)]
struct Ours {
    current: Option<Round>,
    /// Instance full names registered, to withdraw at the next rotation.
    registered: Vec<String>,
    recent: VecDeque<[u8; NONCE]>,
}

impl Ours {
    fn is_ours(&self, nonce: &[u8; NONCE]) -> bool {
        self.recent.contains(nonce)
    }

    /// Our nonce for served document `i` now.
    fn nonce_for(&self, i: usize) -> Option<[u8; NONCE]> {
        self.current.as_ref()?.tagged.get(i).map(|t| t.nonce)
    }
}

/// Advertising and browsing; both stop when this is dropped.
pub struct Discovery {
    daemon: ServiceDaemon,
    /// Dropped with this: ends the rotation thread.
    _stop: mpsc::Sender<()>,
}

impl std::fmt::Debug for Discovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discovery").finish_non_exhaustive()
    }
}

impl Drop for Discovery {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}

/// Withdraws the previous round's advertisements and registers a fresh round.
fn advertise(
    daemon: &ServiceDaemon,
    port: u16,
    docs: &[Served],
    ours: &Mutex<Ours>,
) -> Result<(), String> {
    let round = Round::fresh(docs);
    let old = ours
        .lock()
        .map(|mut o| std::mem::take(&mut o.registered))
        .unwrap_or_default();
    for fullname in old {
        let _ = daemon.unregister(&fullname);
    }
    let mut registered = Vec::with_capacity(docs.len());
    for t in &round.tagged {
        let info = ServiceInfo::new(
            SERVICE,
            &instance_name(t),
            &round.host,
            "",
            port,
            &[("v", "2")][..],
        )
        .map_err(|e| format!("cannot advertise on the network ({e})"))?
        .enable_addr_auto();
        registered.push(info.get_fullname().to_string());
        daemon
            .register(info)
            .map_err(|e| format!("cannot advertise on the network ({e})"))?;
    }
    if let Ok(mut o) = ours.lock() {
        for t in &round.tagged {
            o.recent.push_back(t.nonce);
        }
        while o.recent.len() > OWN_KEPT * docs.len().max(1) {
            o.recent.pop_front();
        }
        o.current = Some(round);
        o.registered = registered;
    }
    Ok(())
}

impl Discovery {
    /// Advertises every document in `docs` as served on `port` (afresh every [`ROTATE`]), and
    /// calls `found(document, address)` for each laptop holding one of them that this one should
    /// connect to.
    pub fn start(
        port: u16,
        docs: Docs,
        found: impl Fn(DocId, SocketAddr) + Send + 'static,
    ) -> Result<Discovery, String> {
        Self::start_renewing(port, docs, ROTATE, found)
    }

    /// [`Discovery::start`], renewing the advertisements every `every`.
    pub fn start_renewing(
        port: u16,
        docs: Docs,
        every: Duration,
        found: impl Fn(DocId, SocketAddr) + Send + 'static,
    ) -> Result<Discovery, String> {
        let daemon = ServiceDaemon::new().map_err(|e| format!("mDNS is unavailable ({e})"))?;
        let ours = Arc::new(Mutex::new(Ours::default()));
        advertise(&daemon, port, &docs, &ours)?;
        let (stop, stopped) = mpsc::channel::<()>();
        {
            let (daemon, docs, ours) = (daemon.clone(), docs.clone(), ours.clone());
            std::thread::Builder::new()
                .name("tandem-mdns-rotate".into())
                .spawn(move || {
                    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                        if let Err(e) = advertise(&daemon, port, &docs, &ours) {
                            tracing::warn!(error = %e, "could not renew the advertisements");
                        }
                    }
                })
                .map_err(|e| format!("cannot advertise on the network ({e})"))?;
        }
        let events = daemon
            .browse(SERVICE)
            .map_err(|e| format!("cannot look for peers on the network ({e})"))?;
        std::thread::Builder::new()
            .name("tandem-mdns".into())
            .spawn(move || {
                // A laptop resolves once per network interface and once per rotation: connect
                // to an address once, and again only when it is found there again later (a
                // discovered address that keeps failing is given up).
                let mut seen: HashMap<(usize, SocketAddr), Instant> = HashMap::new();
                while let Ok(event) = events.recv() {
                    let ServiceEvent::ServiceResolved(r) = event else {
                        continue;
                    };
                    let Some((i, theirs)) = parse_instance(&r.fullname, &docs) else {
                        continue;
                    };
                    let mine = match ours.lock() {
                        Ok(o) if !o.is_ours(&theirs.nonce) => o.nonce_for(i),
                        _ => continue,
                    };
                    // The laptop whose turn it is to connect.
                    if mine.is_none_or(|m| theirs.nonce <= m) {
                        continue;
                    }
                    let mut addrs: Vec<IpAddr> =
                        r.get_addresses().iter().map(|a| a.to_ip_addr()).collect();
                    // IPv4 first: link-local IPv6 needs a scope the address does not carry.
                    addrs.sort_by_key(|a| (!a.is_ipv4(), a.is_loopback()));
                    let Some(ip) = addrs.first() else {
                        continue;
                    };
                    let addr = SocketAddr::new(*ip, r.get_port());
                    let now = Instant::now();
                    seen.retain(|_, at| now.duration_since(*at) < REDISCOVER);
                    if seen.insert((i, addr), now).is_some() {
                        continue;
                    }
                    found(docs[i].doc.clone(), addr);
                }
            })
            .map_err(|e| format!("cannot look for peers on the network ({e})"))?;
        Ok(Discovery {
            daemon,
            _stop: stop,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::DocKey;

    fn served() -> Docs {
        super::super::docs([
            (DocId::pair("01PAIR"), DocKey([3; 32])),
            (DocId::pair("01OTHER"), DocKey([5; 32])),
        ])
    }

    #[test]
    fn instance_names_name_the_document_only_to_those_with_its_key() {
        let docs = served();
        let round = Round::fresh(&docs);
        for (i, t) in round.tagged.iter().enumerate() {
            let name = format!("{}.{SERVICE}", instance_name(t));
            assert_eq!(parse_instance(&name, &docs), Some((i, *t)));
        }
        let strangers = super::super::docs([(DocId::pair("01PAIR"), DocKey([4; 32]))]);
        let name = format!("{}.{SERVICE}", instance_name(&round.tagged[0]));
        assert_eq!(parse_instance(&name, &strangers), None);
        assert_eq!(parse_instance("printer._ipp._tcp.local.", &docs), None);
        assert_eq!(
            parse_instance(&format!("{}.{SERVICE}", "zz".repeat(NONCE + TAG)), &docs),
            None
        );
    }

    #[test]
    fn two_rounds_of_advertisements_share_no_field() {
        let docs = served();
        let (a, b) = (Round::fresh(&docs), Round::fresh(&docs));
        assert_ne!(a.host, b.host);
        for (x, y) in a.tagged.iter().zip(&b.tagged) {
            assert_ne!(x.nonce, y.nonce);
            assert_ne!(x.tag, y.tag);
        }
        // Within a round, two documents of one laptop share nothing either.
        assert_ne!(a.tagged[0].nonce, a.tagged[1].nonce);
        // Nothing fixed about a document or a laptop: not the id, not the key's old token.
        for t in a.tagged.iter().chain(&b.tagged) {
            let name = instance_name(t);
            assert!(!name.contains("01PAIR") && !name.contains("01OTHER"));
        }
    }

    /// What another laptop on the network sees: the real daemon's advertisements, browsed with
    /// a daemon of its own, renewed (here every 2 s instead of every minute).
    #[test]
    fn advertisements_seen_on_the_network_are_renewed_and_share_no_field() {
        let docs = served();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let _ours =
            Discovery::start_renewing(port, docs.clone(), Duration::from_secs(2), |_, _| {})
                .unwrap_or_else(|e| panic!("{e}"));
        let onlooker = ServiceDaemon::new().unwrap_or_else(|e| panic!("{e}"));
        let events = onlooker.browse(SERVICE).unwrap_or_else(|e| panic!("{e}"));
        let mut seen: Vec<(Tagged, String)> = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while seen.len() < 2 && Instant::now() < deadline {
            let Ok(ServiceEvent::ServiceResolved(r)) = events.recv_timeout(Duration::from_secs(1))
            else {
                continue;
            };
            if r.get_port() != port {
                continue;
            }
            if let Some((0, t)) = parse_instance(&r.fullname, &docs)
                && !seen.iter().any(|(s, _)| s.nonce == t.nonce)
            {
                seen.push((t, r.get_hostname().to_string()));
            }
        }
        let _ = onlooker.shutdown();
        assert_eq!(
            seen.len(),
            2,
            "two advertisements of the document were not seen within 30 s (is multicast blocked?)"
        );
        let ((a, host_a), (b, host_b)) = (&seen[0], &seen[1]);
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.tag, b.tag);
        assert_ne!(host_a, host_b);
    }

    #[test]
    fn a_laptop_knows_its_own_recent_advertisements() {
        let docs = served();
        let mut ours = Ours::default();
        let first = Round::fresh(&docs);
        ours.recent.extend(first.tagged.iter().map(|t| t.nonce));
        ours.current = Some(first.clone());
        assert!(ours.is_ours(&first.tagged[1].nonce));
        assert_eq!(ours.nonce_for(0), Some(first.tagged[0].nonce));
        assert!(!ours.is_ours(&Round::fresh(&docs).tagged[0].nonce));
    }
}
