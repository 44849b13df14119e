//! The measures. Each compares Tandem with a baseline doing the same work on the same data in the
//! same run, as medians (or percentiles) over repeated runs. Nothing is cached between compared
//! runs unless the app caches it too.
//!
//! One file on purpose (over 600 lines): the rows of the table in the order they print, each beside
//! its baseline; the window, share and peer rows are in their own modules.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use automerge::AutoCommit;
use automerge::sync::{Message, State, SyncDoc};
use chrono::{TimeZone, Utc};
use serde::Serialize;
use tandem_core::pair::input::TextSplice;
use tandem_core::pair::{Pair, PairView};
use tandem_core::summary::Format;
use tandem_sync::{DocId, Library, Mode};

use crate::generate::{self, PairShape};

/// One row of the results table.
#[derive(Debug, Serialize)]
pub struct Row {
    pub measure: String,
    pub tandem: f64,
    pub baseline: Option<f64>,
    pub unit: String,
    /// tandem / baseline.
    pub ratio: Option<f64>,
    pub target: String,
    pub met: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    smoke: bool,
    data: serde_json::Value,
    rows: Vec<Row>,
    not_measured: Vec<&'static str>,
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median of `runs` timings of `f`.
fn median_ms(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut t = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        t.push(ms(start.elapsed()));
    }
    t.sort_by(f64::total_cmp);
    Ok(t[t.len() / 2])
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(crate) fn ratio_row(
    measure: &str,
    tandem: f64,
    baseline: f64,
    unit: &str,
    max_ratio: f64,
) -> Row {
    let ratio = tandem / baseline;
    Row {
        measure: measure.into(),
        tandem,
        baseline: Some(baseline),
        unit: unit.into(),
        ratio: Some(ratio),
        target: format!("≤ {max_ratio}×"),
        met: ratio <= max_ratio,
    }
}

impl Row {
    /// A measure the issue asks to report, without a target.
    pub fn report(measure: &str, tandem: f64, unit: &str) -> Row {
        Row {
            measure: measure.into(),
            tandem,
            baseline: None,
            unit: unit.into(),
            ratio: None,
            target: "report".into(),
            met: true,
        }
    }
}

/// Median of `runs` durations measured by `f` itself (when setup must stay outside the timing).
pub fn median_of(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<f64> {
    let mut t = Vec::with_capacity(runs);
    for _ in 0..runs {
        t.push(ms(f()?));
    }
    t.sort_by(f64::total_cmp);
    Ok(t[t.len() / 2])
}

pub(crate) fn limit_row(measure: &str, tandem: f64, unit: &str, max: f64) -> Row {
    Row {
        measure: measure.into(),
        tandem,
        baseline: None,
        unit: unit.into(),
        ratio: None,
        target: format!("≤ {max} {unit}"),
        met: tandem <= max,
    }
}

/// The 5-year pair: 260 weekly sessions of ~1,500 typed characters.
const FULL_SHAPE: PairShape = PairShape {
    sessions: 260,
    notes_chars: 1500,
    goals: 40,
    feedback: 120,
};
const SMOKE_SHAPE: PairShape = PairShape {
    sessions: 8,
    notes_chars: 200,
    goals: 3,
    feedback: 4,
};

pub fn run(
    smoke: bool,
    out: &Path,
    js: Option<&Path>,
    windows: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Result<()> {
    let (shape, library_pairs, diverge, keystrokes, runs) = if smoke {
        (SMOKE_SHAPE, 6, 30, 200, 3)
    } else {
        (FULL_SHAPE, 100, 500, 2000, 7)
    };
    let work = tempfile::tempdir()?;
    let t0 = Instant::now();
    let big = generate::typed_pair(5, shape);
    eprintln!(
        "generated the {}-session pair: {} keystrokes, {} changes, in {:.1} s",
        shape.sessions,
        big.keystrokes,
        big.changes,
        t0.elapsed().as_secs_f64()
    );
    let id = big.id.clone();
    let mut doc = big.doc;
    let snapshot = doc.save();
    let year_shape = PairShape {
        sessions: (shape.sessions / 5).max(1),
        notes_chars: shape.notes_chars,
        goals: (shape.goals / 5).max(1),
        feedback: (shape.feedback / 5).max(1),
    };
    let year = generate::typed_pair(1, year_shape);

    let mut rows = Vec::new();
    let home = work.path().join("five-year");
    rows.extend(open_rows(
        &home,
        &work.path().join("five.automerge"),
        doc.fork(),
        &id,
        "5-year",
        runs,
    )?);
    rows.push(crate::share::first_sync_row(
        &home,
        &id,
        &work.path().join("five.automerge"),
        "5-year",
        runs.min(5),
    )?);
    let year_home = work.path().join("one-year");
    let mut year_doc = year.doc;
    rows.extend(open_rows(
        &year_home,
        &work.path().join("one.automerge"),
        year_doc.fork(),
        &year.id,
        "1-year",
        runs,
    )?);

    // 3 and 4. Keystrokes into the open notes (memory only), and the flush ticks that commit and
    //    fsync a batch, as the app's timer runs them.
    let mut keys = Vec::new();
    let mut committing = Vec::new();
    {
        let mut lib = Library::open(&home, Mode::ReadWrite)?;
        lib.preload(&DocId::pair(id.to_string()))?;
        type_at_end(
            &mut lib,
            &id,
            keystrokes,
            |d| keys.push(ms(d)),
            |d| committing.push(ms(d)),
        )?;
    }
    keys.sort_by(f64::total_cmp);
    committing.sort_by(f64::total_cmp);
    rows.push(limit_row(
        "apply one keystroke to the open notes, p99",
        percentile(&keys, 0.99),
        "ms",
        1.0,
    ));
    rows.push(limit_row(
        "commit + durable persist of a batch, p99",
        percentile(&committing, 0.99),
        "ms",
        10.0,
    ));
    eprintln!(
        "commit + persist: p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms over {} batches",
        percentile(&committing, 0.5),
        percentile(&committing, 0.9),
        percentile(&committing, 1.0),
        committing.len()
    );

    // 5. Two replicas that synced, then diverged by `diverge` changes each; sync protocol in memory
    //    with each side's saved sync state.
    let diverged = diverged_replicas(&mut doc, diverge)?;
    if let Some(keep) = std::env::var_os("TANDEM_BENCH_KEEP") {
        write_inputs(Path::new(&keep), &diverged)?;
        eprintln!(
            "kept the convergence inputs in {} (replay: tandem-bench converge-once DIR [RUNS])",
            Path::new(&keep).display()
        );
    }
    let (rust_ms, bytes, trips) = converge(&diverged, runs)?;
    rows.push(ratio_row(
        &format!("sync bytes to converge ({diverge}+{diverge} changes)"),
        bytes as f64,
        diverged.missing as f64,
        "B",
        1.3,
    ));
    rows.push(limit_row(
        "sync round trips to converge",
        trips as f64,
        "trips",
        3.0,
    ));
    // 5a. The same convergence between two libraries over the real peer transport, and live typing.
    rows.extend(crate::peer::rows(
        &diverged.a,
        &diverged.b,
        &diverged.sa,
        &diverged.sb,
        diverge,
        diverged.missing,
        rust_ms,
        runs,
    )?);
    let mut not_measured = Vec::new();
    match js {
        Some(js) => {
            let (js_ms, js_bytes, js_trips) = converge_js(js, &diverged, work.path(), runs)?;
            eprintln!("JS peer: {js_ms:.1} ms, {js_bytes} B, {js_trips} round trips; Tandem: {rust_ms:.1} ms");
            let ratio = js_ms / rust_ms;
            rows.push(Row {
                measure: "converge in @automerge/automerge (Node) ÷ Tandem".into(),
                tandem: rust_ms,
                baseline: Some(js_ms),
                unit: "ms".into(),
                ratio: Some(ratio),
                // A cross-check only: both sides run the same Rust engine (the JS package is
                // automerge compiled to wasm), so it cannot move; Tandem's own cost is the
                // "Tandem's exchange vs the bare Automerge exchange" row.
                target: "report".into(),
                met: true,
            });
        }
        None => not_measured
            .push("convergence by @automerge/automerge in Node (run with --js DIR; cargo xtask bench does)"),
    }

    // 5b. The progress summary of the 5-year pair, in each format, as the app makes it: from the
    //     open library (the pair's view), built and rendered.
    {
        let mut lib = Library::open(&home, Mode::ReadOnly)?;
        let today = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap_or_default()
            .date_naive();
        for (format, name) in [
            (Format::Md, "Markdown"),
            (Format::Html, "HTML"),
            (Format::Pdf, "PDF"),
        ] {
            let mut size = 0;
            let t = median_ms(runs, || {
                let bytes = lib.export_summary(
                    &id,
                    Some("kubernetes-approver"),
                    format,
                    None,
                    None,
                    today,
                )?;
                size = bytes.len();
                std::hint::black_box(bytes);
                Ok(())
            })?;
            rows.push(limit_row(
                &format!(
                    "progress summary of the 5-year pair, {name} ({} KB)",
                    size / 1024
                ),
                t,
                "ms",
                100.0,
            ));
        }
    }

    // 6. List the library of pairs of mixed ages (+ the 5-year pair) vs reading every view cache.
    let lib_home = work.path().join("library");
    fill_library(&lib_home, library_pairs - 2)?;
    {
        let mut lib = Library::open(&lib_home, Mode::ReadWrite)?;
        lib.import(year_doc.fork())?;
        lib.import(doc.fork())?;
    }
    let today = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap_or_default()
        .date_naive();
    let tandem = median_ms(runs, || {
        let mut lib = Library::open(&lib_home, Mode::ReadOnly)?;
        std::hint::black_box(lib.list(today)?);
        Ok(())
    })?;
    let baseline = median_ms(runs, || {
        for entry in fs::read_dir(lib_home.join("pairs"))? {
            let v: serde_json::Value =
                serde_json::from_slice(&fs::read(entry?.path().join("view.json"))?)?;
            std::hint::black_box(v);
        }
        Ok(())
    })?;
    rows.push(ratio_row(
        &format!("list {library_pairs}-pair library"),
        tandem,
        baseline,
        "ms",
        1.5,
    ));

    // 7. Peak memory of a headless process with the library listed and the 5-year pair loaded.
    let exe = std::env::current_exe()?;
    let out_probe = Command::new(exe)
        .arg("probe-memory")
        .arg(&lib_home)
        .arg(&id)
        .output()?;
    if !out_probe.status.success() {
        bail!(
            "the memory probe failed: {}",
            String::from_utf8_lossy(&out_probe.stderr)
        );
    }
    let kb: f64 = String::from_utf8_lossy(&out_probe.stdout)
        .trim()
        .parse()
        .context("memory probe output")?;
    rows.push(limit_row(
        "headless peak RSS, library listed + 5-year pair open",
        kb / 1024.0,
        "MB",
        150.0,
    ));

    // 8 and 9. The window: cold start to its first frame, and its anonymous memory (app + WebKit
    //    processes), with the library above listed, vs a bare Tauri window measured the same way.
    match windows {
        Some((app, bare)) => {
            let (bare_start, bare_mem) = crate::window::measure(&bare, None, runs)?;
            let (app_start, app_mem) = crate::window::measure(&app, Some(&lib_home), runs)?;
            rows.push(ratio_row("cold start to first frame (library listed)", app_start, bare_start, "ms", 1.3));
            rows.push(ratio_row("window anonymous memory (app + WebKit)", app_mem, bare_mem, "MB", 1.5));
            rows.extend(crate::drive::rows(&crate::drive::Setup {
                app: &app,
                bare: &bare,
                library: &lib_home,
                big_title: BIG_TITLE,
                big_id: &id,
                empty_title: EMPTY_TITLE,
                runs,
                idle: if smoke { Duration::from_secs(3) } else { Duration::from_secs(30) },
            })?);
        }
        None => not_measured.push("cold start and window memory vs a bare Tauri window (run with --app BIN --bare BIN; cargo xtask bench does)"),
    }

    // 10. The shared folder: bytes per session, and propagation to the partner's library.
    rows.extend(crate::share::rows(smoke, runs)?);

    // 11. Search: building the index of a 100-pair library, queries, updates after typing.
    rows.extend(crate::search::rows(
        &work.path().join("search-library"),
        smoke,
    )?);

    let report = Report {
        smoke,
        data: serde_json::json!({
            "sessions": shape.sessions, "notes_chars": shape.notes_chars, "goals": shape.goals,
            "feedback": shape.feedback, "keystrokes": big.keystrokes, "changes": big.changes,
            "snapshot_bytes": snapshot.len(), "library_pairs": library_pairs, "runs": runs,
        }),
        rows,
        not_measured: [not_measured, Vec::new()].concat(),
    };
    print_table(&report);
    fs::create_dir_all(out)?;
    let path = out.join(if smoke {
        "results-smoke.json"
    } else {
        "results.json"
    });
    fs::write(&path, serde_json::to_vec_pretty(&report)?)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Titles of the 5-year pair and of an empty pair ([`fill_library`]'s first) in the library.
pub(crate) const BIG_TITLE: &str = "Generated pair 5";
pub(crate) const EMPTY_TITLE: &str = "Library pair 0";

/// `pairs` pairs of mixed ages, the first of them empty.
pub(crate) fn fill_library(home: &Path, pairs: usize) -> Result<()> {
    let mut lib = Library::open(home, Mode::ReadWrite)?;
    for i in 0..pairs {
        lib.import(generate::quick_pair(i as u64, (i * 37) % 261))?;
    }
    Ok(())
}

/// `tandem-bench window --app BIN --bare BIN [--smoke]`: the window rows alone, on a library of
/// the 5-year pair and 98 others (6 at smoke scale).
pub fn window_alone(smoke: bool, app: &Path, bare: &Path) -> Result<()> {
    let (shape, pairs, runs) = if smoke {
        (SMOKE_SHAPE, 5, 3)
    } else {
        (FULL_SHAPE, 98, 7)
    };
    // TANDEM_BENCH_LIBRARY=DIR keeps the library there and uses it again next time (profiling).
    let work = tempfile::tempdir()?;
    let home = std::env::var_os("TANDEM_BENCH_LIBRARY")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| work.path().join("library"));
    let id = generate::typed_pair_id(5);
    if !home.join("pairs").join(&id).is_dir() {
        fill_library(&home, pairs)?;
        let big = generate::typed_pair(5, shape);
        Library::open(&home, Mode::ReadWrite)?.import(big.doc)?;
    }
    let mut rows = vec![];
    let (bare_start, bare_mem) = crate::window::measure(bare, None, runs)?;
    let (app_start, app_mem) = crate::window::measure(app, Some(&home), runs)?;
    rows.push(ratio_row(
        "cold start to first frame (library listed)",
        app_start,
        bare_start,
        "ms",
        1.3,
    ));
    rows.push(ratio_row(
        "window anonymous memory (app + WebKit)",
        app_mem,
        bare_mem,
        "MB",
        1.5,
    ));
    rows.extend(crate::drive::rows(&crate::drive::Setup {
        app,
        bare,
        library: &home,
        big_title: BIG_TITLE,
        big_id: &id,
        empty_title: EMPTY_TITLE,
        runs,
        idle: if smoke {
            Duration::from_secs(3)
        } else {
            Duration::from_secs(30)
        },
    })?);
    print_table(&Report {
        smoke,
        data: serde_json::json!({}),
        rows,
        not_measured: vec![],
    });
    Ok(())
}

/// Rows 1 and 2 for one pair: `doc` is imported into a library at `home` with a realistic tail of
/// typed batches in its change log; then (1) opening it to its first view is compared with reading
/// and parsing the same view, and (2) the full CRDT with automerge `load` of one saved snapshot.
fn open_rows(
    home: &Path,
    snapshot_file: &Path,
    doc: AutoCommit,
    id: &str,
    label: &str,
    runs: usize,
) -> Result<Vec<Row>> {
    {
        let mut lib = Library::open(home, Mode::ReadWrite)?;
        lib.import(doc)?;
        type_at_end(
            &mut lib,
            id,
            8 * generate::KEYSTROKES_PER_COMMIT,
            |_| {},
            |_| {},
        )?;
        lib.flush_all(Utc::now())?;
    }
    let view_file = home.join("pairs").join(id).join("view-baseline.json");
    let plain_view: PairView = Library::open(home, Mode::ReadOnly)?.view::<Pair>(id)?;
    fs::write(&view_file, serde_json::to_vec(&plain_view)?)?;
    // The snapshot is of the document as stored, typed tail included.
    let mut lib = Library::open(home, Mode::ReadOnly)?;
    fs::write(snapshot_file, lib.save(&DocId::pair(id.to_string()))?)?;
    drop(lib);

    let tandem = median_ms(runs, || {
        let mut lib = Library::open(home, Mode::ReadOnly)?;
        std::hint::black_box(lib.view::<Pair>(id)?);
        Ok(())
    })?;
    let baseline = median_ms(runs, || {
        let v: PairView = serde_json::from_slice(&fs::read(&view_file)?)?;
        std::hint::black_box(v);
        Ok(())
    })?;
    let first = ratio_row(
        &format!("open {label} pair to first view"),
        tandem,
        baseline,
        "ms",
        2.0,
    );

    let tandem = median_ms(runs, || {
        let mut lib = Library::open(home, Mode::ReadOnly)?;
        lib.preload(&DocId::pair(id.to_string()))?;
        std::hint::black_box(&lib);
        Ok(())
    })?;
    let baseline = median_ms(runs, || {
        let d = AutoCommit::load(&fs::read(snapshot_file)?)?;
        std::hint::black_box(d);
        Ok(())
    })?;
    let full = ratio_row(
        &format!("full CRDT ready ({label} pair)"),
        tandem,
        baseline,
        "ms",
        1.2,
    );
    Ok(vec![first, full])
}

/// Appends `n` keystrokes to the newest session's notes through the library, running the app's
/// flush tick after each one. Reports each keystroke's time, and each tick that committed a batch.
pub(crate) fn type_at_end(
    lib: &mut Library,
    id: &str,
    n: usize,
    mut keystroke: impl FnMut(Duration),
    mut commit: impl FnMut(Duration),
) -> Result<()> {
    let view = lib.view::<Pair>(id)?;
    let session = view.sessions.first().context("the pair has no session")?;
    let end = session.notes.chars().count();
    let base = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap_or_default();
    for i in 0..n {
        let edit = TextSplice {
            session_id: session.id.clone(),
            field: "notes".into(),
            pos: end + i,
            delete: 0,
            insert: if i % 6 == 5 { " ".into() } else { "a".into() },
        };
        // 120 ms between keystrokes: fast typing, so batches close by count, not by age.
        let now = base + chrono::Duration::milliseconds(120 * i as i64);
        let start = Instant::now();
        lib.splice_text(id, &edit, now)?;
        keystroke(start.elapsed());
        let pending = lib.pending_edits(&DocId::pair(id.to_string()));
        let start = Instant::now();
        lib.flush_due(now)?;
        if lib.pending_edits(&DocId::pair(id.to_string())) < pending {
            commit(start.elapsed());
        }
    }
    Ok(())
}

/// Two forks of `doc` that synced, then diverged by `n` one-splice changes each, with the sync
/// states each saved from that first exchange, as bytes (so Rust and JS start from the same files).
struct Diverged {
    a: Vec<u8>,
    b: Vec<u8>,
    sa: Vec<u8>,
    sb: Vec<u8>,
    /// Bytes of the changes each side is missing.
    missing: usize,
}

fn diverged_replicas(doc: &mut AutoCommit, n: usize) -> Result<Diverged> {
    let mut a = doc
        .fork()
        .with_actor(automerge::ActorId::from(vec![7u8; 16]));
    let mut b = doc
        .fork()
        .with_actor(automerge::ActorId::from(vec![8u8; 16]));
    let (mut sa, mut sb) = (State::new(), State::new());
    exchange(&mut a, &mut sa, &mut b, &mut sb)?;
    let session = tandem_core::pair::read::hydrate(&a)?
        .sessions
        .keys()
        .next()
        .cloned()
        .context("no session")?;
    for (i, replica) in [&mut a, &mut b].into_iter().enumerate() {
        for k in 0..n {
            let edit = TextSplice {
                session_id: session.clone(),
                field: "notes".into(),
                pos: 0,
                delete: 0,
                insert: format!("{i}{k} "),
            };
            tandem_core::pair::ops::splice_text(replica, &edit)?;
            replica.commit();
        }
    }
    let missing = missing_bytes(&mut a, &mut b);
    Ok(Diverged {
        a: a.save(),
        b: b.save(),
        sa: sa.encode(),
        sb: sb.encode(),
        missing,
    })
}

/// Converges the diverged replicas `runs` times (loading outside the timer). Returns (median ms,
/// bytes sent, round trips).
fn converge(d: &Diverged, runs: usize) -> Result<(f64, usize, usize)> {
    let mut times = Vec::new();
    let (mut bytes, mut trips) = (0, 0);
    for _ in 0..runs {
        let mut a = AutoCommit::load(&d.a)?;
        let mut b = AutoCommit::load(&d.b)?;
        let mut sa = State::decode(&d.sa)?;
        let mut sb = State::decode(&d.sb)?;
        let start = Instant::now();
        (bytes, trips) = exchange(&mut a, &mut sa, &mut b, &mut sb)?;
        times.push(ms(start.elapsed()));
        if a.get_heads() != b.get_heads() {
            bail!("the replicas did not converge");
        }
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], bytes, trips))
}

/// The same convergence by @automerge/automerge in Node, from the same files.
fn converge_js(js: &Path, d: &Diverged, work: &Path, runs: usize) -> Result<(f64, usize, usize)> {
    let dir = work.join("js-input");
    write_inputs(&dir, d)?;
    let out = Command::new("node")
        .arg(js.join("converge.mjs"))
        .arg(&dir)
        .arg(runs.to_string())
        .output()
        .context("could not run node (cargo xtask bench installs the JS peer)")?;
    if !out.status.success() {
        bail!(
            "the JS peer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let num = |k: &str| {
        v[k].as_f64()
            .with_context(|| format!("JS peer output lacks {k}: {v}"))
    };
    Ok((num("ms")?, num("bytes")? as usize, num("trips")? as usize))
}

/// The files a convergence starts from, as the JS peer reads them.
const INPUTS: [&str; 4] = ["a.automerge", "b.automerge", "sa.bin", "sb.bin"];

fn write_inputs(dir: &Path, d: &Diverged) -> Result<()> {
    fs::create_dir_all(dir)?;
    for (name, bytes) in INPUTS.iter().zip([&d.a, &d.b, &d.sa, &d.sb]) {
        fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// Hidden subcommand for profiling: `tandem-bench converge-once DIR [RUNS]` converges the inputs
/// kept by a run with `TANDEM_BENCH_KEEP=DIR` (loading outside the timer, as the bench does) and
/// prints `{ms, bytes, trips}` like the JS peer.
pub fn converge_once(args: &[String]) -> Result<()> {
    let Some(dir) = args.first() else {
        bail!("usage: tandem-bench converge-once DIR [RUNS]")
    };
    let runs = args.get(1).map_or(Ok(1), |r| r.parse())?;
    let (ms, bytes, trips) = converge(&read_inputs(Path::new(dir))?, runs)?;
    println!(
        "{}",
        serde_json::json!({ "ms": ms, "bytes": bytes, "trips": trips })
    );
    Ok(())
}

/// `tandem-bench peer DIR [RUNS]`: only the peer rows (convergence over TCP and live typing) on
/// convergence inputs kept by an earlier run (`TANDEM_BENCH_KEEP=DIR`), printed as JSON.
pub fn peer_once(args: &[String]) -> Result<()> {
    let Some(dir) = args.first() else {
        bail!("usage: tandem-bench peer DIR [RUNS]")
    };
    let runs = args.get(1).map_or(Ok(5), |r| r.parse())?;
    let d = read_inputs(Path::new(dir))?;
    // Each side's changes the other lacks: the same number on both sides, as generated.
    let n = AutoCommit::load(&d.a)?
        .get_changes_added(&mut AutoCommit::load(&d.b)?)
        .len();
    let (memory_ms, _, _) = converge(&d, runs)?;
    for row in crate::peer::rows(&d.a, &d.b, &d.sa, &d.sb, n, d.missing, memory_ms, runs)? {
        println!("{}", serde_json::to_string(&row)?);
    }
    Ok(())
}

/// The convergence inputs kept in `dir` by [`write_inputs`].
fn read_inputs(dir: &Path) -> Result<Diverged> {
    let [a, b, sa, sb] = INPUTS.map(|name| {
        let path = dir.join(name);
        fs::read(&path).with_context(|| format!("could not read {}", path.display()))
    });
    let (a, b) = (a?, b?);
    let missing = missing_bytes(&mut AutoCommit::load(&a)?, &mut AutoCommit::load(&b)?);
    Ok(Diverged {
        a,
        b,
        sa: sa?,
        sb: sb?,
        missing,
    })
}

/// Bytes of the changes each of `a` and `b` lacks from the other.
fn missing_bytes(a: &mut AutoCommit, b: &mut AutoCommit) -> usize {
    a.get_changes_added(b)
        .iter()
        .chain(b.get_changes_added(a).iter())
        .map(|c| c.raw_bytes().len())
        .sum()
}

/// Runs the sync protocol between two documents until neither has anything to send.
fn exchange(
    a: &mut AutoCommit,
    sa: &mut State,
    b: &mut AutoCommit,
    sb: &mut State,
) -> Result<(usize, usize)> {
    let mut bytes = 0;
    let mut trips = 0;
    loop {
        let mut sent = false;
        if let Some(m) = a.sync().generate_sync_message(sa) {
            let wire = m.encode();
            bytes += wire.len();
            b.sync().receive_sync_message(sb, Message::decode(&wire)?)?;
            sent = true;
        }
        if let Some(m) = b.sync().generate_sync_message(sb) {
            let wire = m.encode();
            bytes += wire.len();
            a.sync().receive_sync_message(sa, Message::decode(&wire)?)?;
            sent = true;
        }
        if !sent {
            return Ok((bytes, trips));
        }
        trips += 1;
        if trips > 50 {
            bail!("sync did not settle in 50 round trips");
        }
    }
}

/// Child process: list the library, load one pair, print peak RSS in kB.
pub fn probe_memory(args: &[String]) -> Result<()> {
    let [home, pair] = args else {
        bail!("usage: tandem-bench probe-memory HOME PAIR")
    };
    let mut lib = Library::open(Path::new(home), Mode::ReadOnly)?;
    std::hint::black_box(lib.list(Utc::now().date_naive())?);
    lib.preload(&DocId::pair(pair.to_string()))?;
    std::hint::black_box(lib.view::<Pair>(pair)?);
    let status = fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .context("no VmHWM in /proc/self/status")?;
    println!("{hwm}");
    Ok(())
}

fn print_table(report: &Report) {
    println!(
        "{:<58} {:>12} {:>12} {:>8} {:>10}  ",
        "measure", "Tandem", "baseline", "ratio", "target"
    );
    for r in &report.rows {
        let base = r
            .baseline
            .map_or_else(|| "—".to_string(), |b| format!("{b:.3}"));
        let ratio = r
            .ratio
            .map_or_else(|| "—".to_string(), |x| format!("{x:.2}×"));
        println!(
            "{:<58} {:>9.3} {:<2} {:>12} {:>8} {:>10}  {}",
            r.measure,
            r.tandem,
            r.unit,
            base,
            ratio,
            r.target,
            if r.met { "✓" } else { "✗" }
        );
    }
    for m in &report.not_measured {
        println!("not measured: {m}");
    }
}
