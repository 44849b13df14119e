//! `tandem sync`: the sync service's face in a terminal. `--once` exchanges with the shared folder
//! (and the `--peer` laptops) and exits; without it the service runs until stopped, watching the
//! folder, rescanning it, and keeping the peers connected, printing what happens.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args as ClapArgs;
use tandem_sync::p2p::{self, Event};
use tandem_sync::service::{Options, Reporter, Service};
use tandem_sync::{DocId, Mode, PairExchange, StoreError};

use super::{CliError, Ctx, print_json};

#[derive(Debug, ClapArgs)]
pub struct SyncArgs {
    #[arg(long)]
    once: bool,
    /// Seconds between rescans (network and cloud folders send no change events).
    #[arg(long, default_value_t = 5)]
    every: u64,
    #[arg(long)]
    json: bool,
    /// Sync directly with the partner's laptop at HOST:PORT (repeatable). Without --once it stays
    /// connected, live, reconnecting as needed.
    #[arg(long, value_name = "HOST:PORT")]
    peer: Vec<String>,
    /// Accept the partner's laptop connecting here, e.g. 0.0.0.0:7890 (runs until stopped).
    #[arg(long, value_name = "ADDR:PORT", conflicts_with = "once")]
    listen: Option<String>,
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::said(format!("could not start networking: {e}")))
}

/// The first address `host:port` names.
pub(super) async fn resolve(peer: &str) -> Result<SocketAddr, CliError> {
    tokio::net::lookup_host(peer)
        .await
        .map_err(|e| CliError::said(format!("“{peer}” is not an address Tandem can reach ({e}); give HOST:PORT, e.g. 192.168.1.20:7890.")))?
        .next()
        .ok_or_else(|| CliError::said(format!("“{peer}” names no address; give HOST:PORT, e.g. 192.168.1.20:7890.")))
}

/// The terminal as the service's reporter: what arrived on standard output (JSON with --json),
/// everything else on standard error.
struct Printer {
    json: bool,
    /// How many pairs a listener serves, for its first line.
    serving: AtomicUsize,
}

impl Reporter for Printer {
    fn changed(&self, doc: &DocId) {
        if !self.json {
            println!("{}: changes arrived", doc.id);
        }
    }

    fn exchanged(&self, results: &[PairExchange]) {
        let mut out = Vec::new();
        for (d, r) in results {
            let id = &d.id;
            match r {
                Ok(report) => {
                    for p in &report.problems {
                        eprintln!("tandem: {id}: skipped {}: {}", p.file, p.reason);
                    }
                    if !self.json && (report.written > 0 || report.applied > 0) {
                        println!(
                            "{id}: wrote {} file(s), {} B; applied {} file(s){}",
                            report.written,
                            report.bytes_written,
                            report.applied,
                            if report.waiting {
                                "; waiting for earlier changes"
                            } else {
                                ""
                            }
                        );
                    }
                    out.push(serde_json::json!({ "pair": id, "report": report }));
                }
                Err(e) => {
                    eprintln!("tandem: could not sync {id}: {e}");
                    out.push(serde_json::json!({ "pair": id, "error": e.to_string() }));
                }
            }
        }
        if self.json {
            let _ = print_json(&out);
        }
    }

    fn peer(&self, event: &Event) {
        match event {
            Event::Connected { addr, peer } => {
                eprintln!("tandem: {} connected from {addr}", peer.doc.id);
            }
            Event::Ended {
                addr,
                result: Err(e),
            } => eprintln!("tandem: {addr}: {e}"),
            Event::Ended { .. } => {}
            Event::Refused { addr, why } => eprintln!("tandem: refused {addr}: {why}"),
        }
    }

    fn listening(&self, addr: SocketAddr) {
        let n = self.serving.load(Ordering::Relaxed);
        println!("Listening on {addr} for {n} pair(s)");
    }

    fn problem(&self, what: &str, error: &str) {
        eprintln!("tandem: {what}: {error}");
    }
}

pub fn exec(ctx: &Ctx, a: SyncArgs) -> Result<(), CliError> {
    let rt = runtime()?;
    let mut peers = Vec::new();
    for p in &a.peer {
        peers.push((p.clone(), rt.block_on(resolve(p))?));
    }
    let lib = ctx.open(Mode::ReadWrite)?;
    // A damaged settings file is reported, not taken as "no shared folder".
    lib.check_settings()?;
    let folders = !lib.share_folders().is_empty();
    let peer_to_peer = !peers.is_empty() || a.listen.is_some();
    if !folders && !peer_to_peer {
        return Err(StoreError::NoShareFolder.into());
    }
    let options = Options {
        rescan_every: Duration::from_secs(a.every.max(1)),
        // `--every` is what the person asked for, watched folder or not.
        rescan_watched: Duration::from_secs(a.every.max(1)),
        listen: a.listen.clone(),
        peers: peers.iter().map(|(_, addr)| addr.to_string()).collect(),
        mdns: std::env::var("TANDEM_MDNS").as_deref() != Ok("0"),
        ..Options::default()
    };
    let printer = Arc::new(Printer {
        json: a.json,
        serving: AtomicUsize::new(0),
    });
    let shared = Arc::new(Mutex::new(lib));
    let service = Service::new(
        shared.clone(),
        options,
        printer.clone(),
        rt.handle().clone(),
    );
    // Without a keychain nothing can be exchanged: say so now rather than at every round.
    service.with_keychain(|_| ()).map_err(CliError::Said)?;
    let docs = if peer_to_peer {
        let docs = service.shared_docs()?;
        if docs.is_empty() {
            return Err(CliError::said(
                "No pair in this library has a key yet: invite your partner (`tandem invite PAIR`) or join with their invite first.",
            ));
        }
        docs
    } else {
        Vec::new()
    };
    printer.serving.store(docs.len(), Ordering::Relaxed);
    if a.once {
        // Each failure was printed as it happened; the exit code says whether any pair failed.
        let failed = if folders {
            service
                .exchange_all()?
                .iter()
                .filter(|(_, r)| r.is_err())
                .count()
        } else {
            0
        };
        rt.block_on(once(&shared, &peers, &docs))?;
        return match failed {
            0 => Ok(()),
            n => Err(CliError::said(format!(
                "{n} pair(s) could not be exchanged with the shared folder"
            ))),
        };
    }
    service.start();
    rt.block_on(std::future::pending::<()>());
    Ok(())
}

/// One exchange with each peer for each shared pair; fails if any did not sync.
async fn once(
    lib: &p2p::Shared,
    peers: &[(String, SocketAddr)],
    docs: &[(DocId, tandem_sync::seal::DocKey)],
) -> Result<(), CliError> {
    let mut failed = 0;
    for (name, addr) in peers {
        for (d, key) in docs {
            match p2p::connect(lib, *addr, d, key, p2p::Mode::Once, &|_| {}).await {
                Ok(r) => println!(
                    "{} with {name}: {} round(s), sent {} B, received {} B{}",
                    d.id,
                    r.rounds,
                    r.bytes_sent,
                    r.bytes_received,
                    if r.changed { "; changes arrived" } else { "" }
                ),
                Err(e) => {
                    failed += 1;
                    eprintln!("tandem: {} with {name}: {e}", d.id);
                }
            }
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(CliError::said(format!("{failed} pair(s) did not sync")))
    }
}
