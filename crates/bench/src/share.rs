//! The shared folder: bytes written to it per session logged, and how long an edit takes to reach
//! the partner's library, with the file watcher and with the rescan alone.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use rand::Rng;
use tandem_core::pair::input::{NewPair, NewSession, TextSplice};
use tandem_sync::seal::DocKey;
use tandem_sync::watch::{RESCAN, watch_share};
use tandem_sync::{DocId, Library, Mode};

use crate::measure::{Row, median_of};

/// Keystrokes of notes typed into each session, committed every 25 as the app does.
const NOTES: usize = 1_500;
/// The app exchanges with the share every few seconds while typing: about every 150 keystrokes.
const EXCHANGE_EVERY: usize = 150;

struct Pair {
    a: Library,
    b: Library,
    id: String,
    key: DocKey,
    share: tempfile::TempDir,
    _homes: (tempfile::TempDir, tempfile::TempDir),
}

impl Pair {
    /// One exchange of A's copy with the share, as the app's sync does; the bytes A wrote.
    fn sync_a(&mut self) -> Result<u64> {
        let d = DocId::pair(self.id.clone());
        Ok(self
            .a
            .sync_share(&d, &self.key, self.share.path(), Utc::now())?
            .bytes_written)
    }

    /// One exchange of B's copy with the share; whether B now has session `sid`.
    fn sync_b_has(&mut self, sid: &str) -> Result<bool> {
        let d = DocId::pair(self.id.clone());
        self.b
            .sync_share(&d, &self.key, self.share.path(), Utc::now())?;
        Ok(self
            .b
            .view::<tandem_core::pair::Pair>(&self.id)?
            .sessions
            .iter()
            .any(|s| s.id == sid))
    }
}

fn pair() -> Result<Pair> {
    let (ha, hb, share) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let mut a = Library::open(ha.path(), Mode::ReadWrite)?;
    let input = NewPair {
        title: "Bench share".into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "generic".into(),
        ..NewPair::default()
    };
    let view = a.create_pair(&input, Utc::now())?;
    let alex = view
        .people
        .iter()
        .find(|p| p.name == "Alex")
        .map(|p| p.id.clone())
        .context("no partner")?;
    let key = DocKey::random();
    a.sync_share(
        &DocId::pair(view.id.to_string()),
        &key,
        share.path(),
        Utc::now(),
    )?;
    let mut b = Library::open(hb.path(), Mode::ReadWrite)?;
    b.join_from_share(&view.id, &alex, &key, share.path(), Utc::now())?;
    Ok(Pair {
        a,
        b,
        id: view.id,
        key,
        share,
        _homes: (ha, hb),
    })
}

fn session(date: &str) -> NewSession {
    NewSession {
        date: date.into(),
        minutes: "30".into(),
        ..NewSession::default()
    }
}

/// Logs `sessions` sessions with typed notes on A, exchanging as the app would; the bytes A wrote
/// into the share per session.
fn bytes_per_session(p: &mut Pair, sessions: usize) -> Result<f64> {
    let mut bytes = 0u64;
    for _ in 0..sessions {
        let (sid, _) = p.a.log_session(&p.id, &session("2026-11-20"), Utc::now())?;
        bytes += p.sync_a()?;
        for k in 0..NOTES {
            let edit = TextSplice {
                session_id: sid.clone(),
                field: "notes".into(),
                pos: k,
                delete: 0,
                insert: if k % 6 == 5 { " ".into() } else { "n".into() },
            };
            p.a.splice_text(&p.id, &edit, Utc::now())?;
            if (k + 1) % tandem_sync::BATCH_EDITS == 0 {
                p.a.flush_all(Utc::now())?;
            }
            if (k + 1) % EXCHANGE_EVERY == 0 {
                bytes += p.sync_a()?;
            }
        }
    }
    Ok(bytes as f64 / sessions as f64)
}

/// From A's exchange to the session showing in B's library, B woken by the file watcher.
fn watcher_latency(p: &mut Pair, runs: usize) -> Result<f64> {
    let (tx, rx) = mpsc::channel();
    let _watch = watch_share(p.share.path(), move || {
        let _ = tx.send(());
    })?;
    let mut n = 0;
    median_of(runs, || {
        n += 1;
        while rx.try_recv().is_ok() {}
        let start = Instant::now();
        let (sid, _) = p.a.log_session(&p.id, &session("2026-11-21"), Utc::now())?;
        p.sync_a()?;
        loop {
            rx.recv_timeout(Duration::from_secs(10))
                .context("the watcher never fired")?;
            if p.sync_b_has(&sid)? {
                return Ok(start.elapsed());
            }
        }
    })
}

/// The same, with B only rescanning every [`RESCAN`] (network folders send no events): A's write
/// lands at a random moment of B's cycle.
fn poll_latency(p: &mut Pair, runs: usize) -> Result<f64> {
    let mut rng = rand::rng();
    median_of(runs, || {
        let phase = RESCAN.mul_f64(rng.random_range(0.0..1.0));
        let cycle = Instant::now();
        std::thread::sleep(phase);
        let start = Instant::now();
        let (sid, _) = p.a.log_session(&p.id, &session("2026-11-22"), Utc::now())?;
        p.sync_a()?;
        let mut next = cycle + RESCAN;
        loop {
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
            if p.sync_b_has(&sid)? {
                return Ok(start.elapsed());
            }
            next += RESCAN;
        }
    })
}

pub fn rows(smoke: bool, runs: usize) -> Result<Vec<Row>> {
    let mut p = pair()?;
    let per_session = bytes_per_session(&mut p, if smoke { 1 } else { 10 })?;
    let watcher = watcher_latency(&mut p, runs)?;
    let poll = if smoke {
        None
    } else {
        Some(poll_latency(&mut p, runs)?)
    };
    let mut rows = vec![
        Row::report(
            &format!("bytes written to the share per session ({NOTES} typed chars of notes)"),
            per_session,
            "B",
        ),
        Row::report("share propagation, file watcher", watcher, "ms"),
    ];
    if let Some(poll) = poll {
        rows.push(Row::report(
            &format!(
                "share propagation, rescan every {} s only",
                RESCAN.as_secs()
            ),
            poll,
            "ms",
        ));
    }
    Ok(rows)
}

/// A large first sync: the partner joins the pair at `home` from the shared folder its owner
/// wrote when inviting them (the whole history in the share), against loading the same document
/// from one saved snapshot in `snapshot_file` (the least any first sync must do).
pub fn first_sync_row(
    home: &std::path::Path,
    id: &str,
    snapshot_file: &std::path::Path,
    label: &str,
    runs: usize,
) -> Result<Row> {
    let share = tempfile::tempdir()?;
    let key = DocKey::random();
    let person = {
        let mut lib = Library::open(home, Mode::ReadWrite)?;
        lib.sync_share(&DocId::pair(id.to_string()), &key, share.path(), Utc::now())?;
        let v = lib.view::<tandem_core::pair::Pair>(id)?;
        v.people
            .iter()
            .rev()
            .find(|p| Some(&p.id) != v.me.as_ref())
            .map(|p| p.id.clone())
            .context("the pair has no partner")?
    };
    let mut files = 0;
    let mut bytes = 0;
    for dev in std::fs::read_dir(share.path().join("tandem-v1"))? {
        for d in std::fs::read_dir(dev?.path())? {
            for f in std::fs::read_dir(d?.path())? {
                files += 1;
                bytes += f?.metadata()?.len();
            }
        }
    }
    let tandem = median_of(runs, || {
        let joiner = tempfile::tempdir()?;
        let mut lib = Library::open(joiner.path(), Mode::ReadWrite)?;
        let mut steps = 0;
        let start = Instant::now();
        lib.join_from_share_with(id, &person, &key, share.path(), Utc::now(), &mut |_| {
            steps += 1
        })?;
        let took = start.elapsed();
        anyhow::ensure!(steps == files, "progress told {steps} of {files} files");
        // The next run joins from the share as the owner wrote it.
        let mine = tandem_sync::device_folder(
            &tandem_sync::pair_folder(share.path(), id, &key),
            &lib.device().id,
            &key,
        );
        std::fs::remove_dir_all(mine)?;
        Ok(took)
    })?;
    let snapshot = std::fs::read(snapshot_file)?;
    let baseline = median_of(runs, || {
        let start = Instant::now();
        std::hint::black_box(automerge::AutoCommit::load(&snapshot)?);
        Ok(start.elapsed())
    })?;
    Ok(Row {
        measure: format!(
            "first sync: join the {label} pair from the share ({files} file(s), {:.1} MB), progress per file",
            bytes as f64 / 1e6
        ),
        tandem,
        baseline: Some(baseline),
        unit: "ms".into(),
        ratio: Some(tandem / baseline),
        target: "≤ 1.5×".into(),
        met: tandem / baseline <= 1.5,
    })
}
