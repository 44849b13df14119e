//! Peer-to-peer over the real transport (TCP on loopback, Noise, frames), between two libraries on
//! disk: bytes and time to converge after `n` concurrent changes each, against the in-memory sync
//! protocol on the same replicas; and how long typing takes to reach a live peer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use automerge::AutoCommit;
use automerge::sync::State;
use chrono::Utc;
use tandem_core::pair::input::TextSplice;
use tandem_sync::p2p::{self, Mode as PeerMode};
use tandem_sync::seal::DocKey;
use tandem_sync::{DocId, Library, Mode};
use tokio::net::TcpListener;

use crate::measure::{Row, limit_row, ms, ratio_row};

const KEY: DocKey = DocKey([42; 32]);

struct Pair {
    _dir: tempfile::TempDir,
    a: p2p::Shared,
    b: p2p::Shared,
    id: String,
}

/// Two libraries holding the diverged replicas, each with the sync state of their last exchange.
fn libraries(a: &[u8], b: &[u8], sa: &[u8], sb: &[u8]) -> Result<Pair> {
    let dir = tempfile::tempdir()?;
    let mut la = Library::open(&dir.path().join("a"), Mode::ReadWrite)?;
    let mut lb = Library::open(&dir.path().join("b"), Mode::ReadWrite)?;
    let id = la.import(AutoCommit::load(a)?)?.id;
    lb.import(AutoCommit::load(b)?)?;
    let (da, db) = (la.device().id.clone(), lb.device().id.clone());
    la.save_peer_state(&DocId::pair(id.clone()), &db, &State::decode(sa)?)?;
    lb.save_peer_state(&DocId::pair(id.clone()), &da, &State::decode(sb)?)?;
    // As in the app, where a pair being synced is open: loading its CRDT from disk (about 0.3 s
    // for the 5-year pair) is measured by the "full CRDT ready" row, not here.
    la.preload(&DocId::pair(id.to_string()))?;
    lb.preload(&DocId::pair(id.to_string()))?;
    Ok(Pair {
        _dir: dir,
        a: Arc::new(Mutex::new(la)),
        b: Arc::new(Mutex::new(lb)),
        id,
    })
}

async fn serve(lib: &p2p::Shared, id: &str) -> Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(p2p::serve(
        listener,
        lib.clone(),
        p2p::docs([(DocId::pair(id), KEY)]),
        Arc::new(|_: &DocId| {}),
        Arc::new(|_| {}),
    ));
    Ok(addr)
}

fn heads(lib: &p2p::Shared, id: &str) -> Result<Vec<automerge::ChangeHash>> {
    let mut l = lib.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok(AutoCommit::load(&l.save(&DocId::pair(id.to_string()))?)?.get_heads())
}

/// Rows: converge over the transport (bytes vs the missing changes, time vs in memory), and the
/// live typing latency. `memory_ms` is the in-memory convergence of the same replicas.
#[allow(clippy::too_many_arguments)]
pub fn rows(
    a: &[u8],
    b: &[u8],
    sa: &[u8],
    sb: &[u8],
    n: usize,
    missing: usize,
    memory_ms: f64,
    runs: usize,
) -> Result<Vec<Row>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut times = Vec::new();
    let mut bytes = 0;
    let mut rounds = 0;
    for _ in 0..runs.clamp(1, 5) {
        let p = libraries(a, b, sa, sb)?;
        let (t, r) = rt.block_on(async {
            let addr = serve(&p.a, &p.id).await?;
            let start = Instant::now();
            let r = p2p::connect(
                &p.b,
                addr,
                &DocId::pair(p.id.clone()),
                &KEY,
                PeerMode::Once,
                &|_| {},
            )
            .await?;
            anyhow::Ok((start.elapsed(), r))
        })?;
        // Converged: both now hold the same changes.
        if heads(&p.a, &p.id)? != heads(&p.b, &p.id)? {
            bail!("the peers did not converge");
        }
        times.push(ms(t));
        bytes = r.bytes_sent + r.bytes_received;
        rounds = r.rounds;
    }
    times.sort_by(f64::total_cmp);
    let t = times[times.len() / 2];
    eprintln!("peer convergence: {t:.1} ms, {bytes} B on the wire, {rounds} rounds");

    // Live: the partner types into a session's notes; time until it is in this side's view.
    let p = libraries(a, b, sa, sb)?;
    let session = {
        let mut l = p.b.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        l.view::<tandem_core::pair::Pair>(&p.id)?
            .sessions
            .first()
            .map(|s| s.id.clone())
            .context("no session")?
    };
    let mut latencies = rt.block_on(async {
        let addr = serve(&p.a, &p.id).await?;
        let (b, id) = (p.b.clone(), p.id.clone());
        let live = tokio::spawn(async move {
            p2p::connect(
                &b,
                addr,
                &DocId::pair(id.clone()),
                &KEY,
                PeerMode::Live,
                &|_| {},
            )
            .await
        });
        // Let the first rounds bring the two up to date.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let mut out = Vec::new();
        for i in 0..10 {
            let marker = format!("live{i}x");
            let start = Instant::now();
            {
                let mut l = p.b.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
                l.splice_text(
                    &p.id,
                    &TextSplice {
                        session_id: session.clone(),
                        field: "notes".into(),
                        pos: 0,
                        delete: 0,
                        insert: marker.clone(),
                    },
                    Utc::now(),
                )?;
            }
            loop {
                let seen = {
                    let mut l = p.a.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
                    l.view::<tandem_core::pair::Pair>(&p.id)?
                        .sessions
                        .iter()
                        .any(|s| s.id == session && s.notes.starts_with(&marker))
                };
                if seen {
                    break;
                }
                if start.elapsed() > Duration::from_secs(10) {
                    bail!("typing did not reach the live peer");
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            out.push(ms(start.elapsed()));
            tokio::time::sleep(Duration::from_millis(137)).await;
        }
        live.abort();
        anyhow::Ok(out)
    })?;
    latencies.sort_by(f64::total_cmp);

    // Tandem's exchange without the transport: the same messages, as a session handles them
    // (typing committed first, the kind's check of the changes, durable before it returns, the
    // sync state saved), against the bare Automerge exchange of the same replicas.
    let mut own = Vec::new();
    for _ in 0..runs.clamp(1, 5) {
        let p = libraries(a, b, sa, sb)?;
        own.push(exchange_in_memory(&p)?);
        if heads(&p.a, &p.id)? != heads(&p.b, &p.id)? {
            bail!("the libraries did not converge");
        }
    }
    own.sort_by(f64::total_cmp);
    let own = own[own.len() / 2];
    eprintln!("Tandem's exchange in memory: {own:.1} ms; bare Automerge: {memory_ms:.1} ms");

    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    let time = ratio_row(
        &format!("peer sync time ({n}+{n} changes; TCP, Noise, fsync; pair open) vs in memory"),
        t,
        memory_ms,
        "ms",
        1.2,
    );
    Ok(vec![
        ratio_row(
            &format!("peer sync bytes on the wire ({n}+{n} changes, Noise + frames)"),
            bytes as f64,
            missing as f64,
            "B",
            1.3,
        ),
        time,
        ratio_row(
            &format!(
                "Tandem's exchange ({n}+{n} changes; checked, fsync, sync state kept) vs the bare Automerge exchange, in memory"
            ),
            own,
            memory_ms,
            "ms",
            1.1,
        ),
        limit_row(
            "live typing reaches the connected peer, median",
            median,
            "ms",
            100.0,
        ),
        limit_row(
            "live typing reaches the connected peer, worst of 10",
            worst,
            "ms",
            250.0,
        ),
    ])
}

/// Converges the two libraries by handing each one's sync messages to the other, as a peer
/// session does but with no transport. Returns milliseconds.
fn exchange_in_memory(p: &Pair) -> Result<f64> {
    use automerge::sync::Message;
    let d = DocId::pair(p.id.clone());
    let mut la = p.a.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut lb = p.b.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let (da, db) = (la.device().id.clone(), lb.device().id.clone());
    let (mut sa, mut sb) = (la.peer_state(&d, &db), lb.peer_state(&d, &da));
    let start = Instant::now();
    for _ in 0..50 {
        let now = Utc::now();
        let (ma, mb) = (
            la.sync_message(&d, &mut sa, now)?,
            lb.sync_message(&d, &mut sb, now)?,
        );
        if ma.is_none() && mb.is_none() {
            return Ok(ms(start.elapsed()));
        }
        if let Some(m) = ma {
            lb.receive_sync(&d, &mut sb, Message::decode(&m.encode())?)?;
            lb.save_peer_state(&d, &da, &sb)?;
        }
        if let Some(m) = mb {
            la.receive_sync(&d, &mut sa, Message::decode(&m.encode())?)?;
            la.save_peer_state(&d, &db, &sa)?;
        }
    }
    bail!("the libraries' exchange did not settle in 50 rounds")
}
