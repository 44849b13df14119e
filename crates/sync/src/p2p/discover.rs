//! Finding the partner's laptop on the local network with mDNS (`_tandem._tcp`).
//!
//! Each pair is advertised under an instance name made of its pair token (an HMAC of the pair id
//! under the pair key: meaningless without the key) and a random nonce for this run, so two
//! laptops of one pair have distinct names and each can ignore its own advertisement. Of two
//! laptops that find each other, only the one with the smaller nonce connects, so a pair gets one
//! connection, not two. Many networks block multicast: a typed host:port always works too.

use std::net::{IpAddr, SocketAddr};

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};

use super::Docs;
use crate::DocId;

pub const SERVICE: &str = "_tandem._tcp.local.";
/// A laptop found again after this long is connected to again.
const REDISCOVER: std::time::Duration = std::time::Duration::from_secs(120);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Advertising and browsing; both stop when this is dropped.
pub struct Discovery {
    daemon: ServiceDaemon,
    nonce: String,
}

impl std::fmt::Debug for Discovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discovery")
            .field("nonce", &self.nonce)
            .finish()
    }
}

impl Drop for Discovery {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}

/// The document a discovered instance name belongs to, and its nonce.
fn parse_instance<'a>(fullname: &'a str, docs: &Docs) -> Option<(DocId, &'a str)> {
    let instance = fullname.strip_suffix(SERVICE)?.strip_suffix('.')?;
    let (token, nonce) = instance.split_once('-')?;
    let (d, _) = docs.iter().find(|(t, _)| hex(&t[..]) == token)?.1;
    Some((d.clone(), nonce))
}

impl Discovery {
    /// Advertises every document in `docs` as served on `port`, and calls `found(document,
    /// address)` for each laptop holding one of them that this one should connect to.
    pub fn start(
        port: u16,
        docs: Docs,
        found: impl Fn(DocId, SocketAddr) + Send + 'static,
    ) -> Result<Discovery, String> {
        let daemon = ServiceDaemon::new().map_err(|e| format!("mDNS is unavailable ({e})"))?;
        let nonce = format!("{:016x}", rand::random::<u64>());
        let host = format!("tandem-{nonce}.local.");
        for token in docs.keys() {
            let instance = format!("{}-{nonce}", hex(&token[..]));
            let info = ServiceInfo::new(SERVICE, &instance, &host, "", port, &[("v", "1")][..])
                .map_err(|e| format!("cannot advertise on the network ({e})"))?
                .enable_addr_auto();
            daemon
                .register(info)
                .map_err(|e| format!("cannot advertise on the network ({e})"))?;
        }
        let events = daemon
            .browse(SERVICE)
            .map_err(|e| format!("cannot look for peers on the network ({e})"))?;
        let mine = nonce.clone();
        std::thread::Builder::new()
            .name("tandem-mdns".into())
            .spawn(move || {
                // A laptop resolves once per network interface: connect to it once, and try
                // again only when it is found again later (a discovered address that keeps
                // failing is given up).
                let mut seen = std::collections::HashMap::new();
                while let Ok(event) = events.recv() {
                    let ServiceEvent::ServiceResolved(r) = event else {
                        continue;
                    };
                    let Some((pair, theirs)) = parse_instance(&r.fullname, &docs) else {
                        continue;
                    };
                    // Ourselves, or the laptop whose turn it is to connect.
                    if theirs <= mine.as_str() {
                        continue;
                    }
                    let now = std::time::Instant::now();
                    seen.retain(|_, at: &mut std::time::Instant| {
                        now.duration_since(*at) < REDISCOVER
                    });
                    let key = (pair.clone(), theirs.to_string());
                    if seen.contains_key(&key) {
                        continue;
                    }
                    seen.insert(key, now);
                    let mut addrs: Vec<IpAddr> =
                        r.get_addresses().iter().map(|a| a.to_ip_addr()).collect();
                    // IPv4 first: link-local IPv6 needs a scope the address does not carry.
                    addrs.sort_by_key(|a| (!a.is_ipv4(), a.is_loopback()));
                    if let Some(ip) = addrs.first() {
                        found(pair, SocketAddr::new(*ip, r.get_port()));
                    }
                }
            })
            .map_err(|e| format!("cannot look for peers on the network ({e})"))?;
        Ok(Discovery { daemon, nonce })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::DocKey;

    #[test]
    fn instance_names_name_the_pair_only_to_those_with_its_key() {
        let pairs = super::super::docs([(DocId::pair("01PAIR"), DocKey([3; 32]))]);
        let token = super::super::wire::pair_token("01PAIR", &DocKey([3; 32]));
        let name = format!("{}-00ff.{SERVICE}", hex(&token));
        assert_eq!(
            parse_instance(&name, &pairs),
            Some((DocId::pair("01PAIR"), "00ff"))
        );
        let other = super::super::wire::pair_token("01PAIR", &DocKey([4; 32]));
        assert_eq!(
            parse_instance(&format!("{}-00ff.{SERVICE}", hex(&other)), &pairs),
            None
        );
        assert_eq!(parse_instance("printer._ipp._tcp.local.", &pairs), None);
    }
}
