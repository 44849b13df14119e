//! Peers while the service runs: the listener, mDNS discovery, and live connections to every
//! laptop found, configured or typed — each (document, address) dialled once — and what each
//! connection is doing, for the sharing panel.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Utc;

use super::{Service, stamp};
use crate::p2p::{self, Event};
use crate::seal::DocKey;
use crate::{DocId, StoreError};
use tandem_core::Kind;

impl Service {
    /// Every synced document that has a key on this device.
    pub fn shared_docs(&self) -> Result<Vec<(DocId, DocKey)>, StoreError> {
        let lib = self.lock()?;
        let mut ids = Vec::new();
        for kind in Kind::ALL.iter().copied().filter(|k| k.synced()) {
            ids.extend(lib.ids(kind)?.into_iter().map(|id| DocId::new(kind, id)));
        }
        // A lost or wrong key is never offered to peers; the exchange reports it.
        self.with_keychain(|k| {
            ids.into_iter()
                .filter_map(|d| lib.key_for(k, &d).ok().flatten().map(|key| (d, key)))
                .collect()
        })
        .map_err(StoreError::NoKeychain)
    }

    /// Notes what a peer connection did, for the sharing panel, and tells the reporter.
    fn peer_event(&self, event: Event) {
        if let Ok(mut status) = self.status.lock() {
            match &event {
                Event::Connected { addr, peer } => {
                    let v = status
                        .peers
                        .entry(peer.doc.clone())
                        .or_default()
                        .entry(addr.ip().to_string())
                        .or_default();
                    v.addr = addr.to_string();
                    v.connected = true;
                    v.error = None;
                }
                Event::Ended { addr, result } => {
                    for by_doc in status.peers.values_mut() {
                        for v in by_doc.values_mut().filter(|v| v.addr == addr.to_string()) {
                            v.connected = false;
                            if let Err(e) = result {
                                v.error = Some(e.to_string());
                            }
                        }
                    }
                }
                Event::Refused { .. } => {}
            }
        }
        self.reporter.peer(&event);
        if !matches!(event, Event::Refused { .. }) {
            self.reporter.sharing(None);
        }
    }

    /// Records that `d` exchanged changes with the laptop at `addr`, or (None: the listener does
    /// not know which) with every laptop connected for it; tells the reporter it changed.
    fn peer_changed(&self, d: &DocId, addr: Option<SocketAddr>) {
        if let Ok(mut status) = self.status.lock() {
            let at = Some(stamp(Utc::now()));
            let by_doc = status.peers.entry(d.clone()).or_default();
            match addr {
                Some(addr) => {
                    let v = by_doc.entry(addr.ip().to_string()).or_default();
                    if v.addr.is_empty() {
                        v.addr = addr.to_string();
                    }
                    v.connected = true;
                    v.last_exchange = at;
                }
                None => {
                    for v in by_doc.values_mut().filter(|v| v.connected) {
                        v.last_exchange = at.clone();
                    }
                }
            }
        }
        self.reporter.changed(d);
        self.reporter.sharing(Some(d));
    }

    fn on_change(self: &Arc<Self>, addr: Option<SocketAddr>) -> p2p::OnChange {
        let me = self.clone();
        Arc::new(move |d: &DocId| me.peer_changed(d, addr))
    }

    fn on_event(self: &Arc<Self>) -> p2p::OnEvent {
        let me = self.clone();
        Arc::new(move |e| me.peer_event(e))
    }
}

/// Keeps `d` connected to the laptop at `addr`, live, from now on (once per address; an address
/// found on the network only until it keeps failing, then it may be found again).
pub(super) fn dial(
    service: &Arc<Service>,
    d: &DocId,
    addr: SocketAddr,
    how: p2p::Dial,
) -> Result<(), String> {
    let key = {
        let lib = service.lock().map_err(|e| e.to_string())?;
        service.with_keychain(|k| lib.key_for(k, d))?
    }
    .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            "This pair has no key on this laptop yet: invite your partner first (or join with their invite).".to_string()
        })?;
    let fresh = service
        .dialing
        .lock()
        .map(|mut set| set.insert((d.clone(), addr)))
        .unwrap_or(false);
    if !fresh {
        return Ok(());
    }
    if let Ok(mut status) = service.status.lock() {
        let v = status
            .peers
            .entry(d.clone())
            .or_default()
            .entry(addr.ip().to_string())
            .or_default();
        v.addr = addr.to_string();
    }
    let dialing = p2p::keep_connected(
        service.lib.clone(),
        addr,
        p2p::docs([(d.clone(), key)]),
        how,
        service.on_change(Some(addr)),
        service.on_event(),
    );
    let (me, d) = (service.clone(), d.clone());
    service.runtime.spawn(async move {
        dialing.await;
        // Given up: the address is no longer dialled, nor shown.
        if let Ok(mut set) = me.dialing.lock() {
            set.remove(&(d.clone(), addr));
        }
        if let Ok(mut status) = me.status.lock()
            && let Some(by_doc) = status.peers.get_mut(&d)
        {
            by_doc.retain(|_, v| v.connected || v.addr != addr.to_string());
        }
        me.reporter.sharing(Some(&d));
    });
    Ok(())
}

/// Listens where the options say (advertising on the network with mDNS unless told not to), and
/// keeps every shared document connected to the configured laptops.
pub(super) fn start(service: &Arc<Service>) {
    if service.options.listen.is_none() && service.options.peers.is_empty() {
        return;
    }
    let me = service.clone();
    service.runtime.spawn(async move {
        let job = me.clone();
        let docs = match tokio::task::spawn_blocking(move || job.shared_docs()).await {
            Ok(Ok(d)) => d,
            Ok(Err(e)) => {
                me.reporter
                    .problem("finding the shared pairs", &e.to_string());
                return;
            }
            Err(_) => return,
        };
        if let Some(listen) = me.options.listen.clone() {
            listen_on(&me, &listen, &docs).await;
        }
        for peer in me.options.peers.clone() {
            let Ok(Some(addr)) = tokio::net::lookup_host(peer.trim())
                .await
                .map(|mut a| a.next())
            else {
                me.reporter.problem(
                    &format!("connecting to {peer}"),
                    "it is not an address; give HOST:PORT, e.g. 192.168.1.20:7890",
                );
                continue;
            };
            for (d, _) in &docs {
                if let Err(e) = dial(&me, d, addr, p2p::Dial::Given) {
                    me.reporter.problem(&format!("connecting to {addr}"), &e);
                }
            }
        }
    });
}

async fn listen_on(service: &Arc<Service>, listen: &str, docs: &[(DocId, DocKey)]) {
    let listener = match tokio::net::TcpListener::bind(listen.trim()).await {
        Ok(l) => l,
        Err(e) => {
            service
                .reporter
                .problem(&format!("accepting peers on {listen}"), &e.to_string());
            return;
        }
    };
    let Ok(local) = listener.local_addr() else {
        return;
    };
    if let Ok(mut status) = service.status.lock() {
        status.listening = Some(local.to_string());
    }
    service.reporter.listening(local);
    service.reporter.sharing(None);
    let served = p2p::docs(docs.to_vec());
    if service.options.mdns {
        let me = service.clone();
        let found = move |d: DocId, addr: SocketAddr| {
            if let Err(e) = dial(&me, &d, addr, p2p::Dial::Discovered) {
                me.reporter.problem(&format!("connecting to {addr}"), &e);
            }
        };
        match p2p::discover::Discovery::start(local.port(), served.clone(), found) {
            Ok(d) => {
                if let Ok(mut slot) = service.discovery.lock() {
                    *slot = Some(d);
                }
            }
            Err(e) => service
                .reporter
                .problem("finding partners on this network", &e),
        }
    }
    let me = service.clone();
    service.runtime.spawn(async move {
        let result = p2p::serve(
            listener,
            me.lib.clone(),
            served,
            me.on_change(None),
            me.on_event(),
        )
        .await;
        if let Err(e) = result {
            me.reporter.problem("accepting peers", &e.to_string());
        }
    });
}
