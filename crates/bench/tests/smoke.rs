//! The whole bench at a tiny scale, as a real process, so it cannot rot: it must run end to end and
//! report every measure. No timing is asserted (the bench is where timings live).

use std::process::Command;

#[test]
fn the_bench_runs_end_to_end_at_smoke_scale() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = Command::new(env!("CARGO_BIN_EXE_tandem-bench"))
        .arg("--smoke")
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.path().join("results-smoke.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    let rows = json["rows"].as_array().cloned().unwrap_or_default();
    // Every measure but the JS peer and the two window rows (those need --js, --app, --bare).
    // …plus the share's bytes per session and watcher latency (the rescan latency is full runs only),
    // the progress summary in its three formats, and the five peer-to-peer rows; and search: the
    // build, four kinds of query, the update after typing, the commit and the size (its memory:
    // full runs).
    assert_eq!(rows.len(), 29, "{json}");
    for row in rows {
        assert!(
            row["tandem"]
                .as_f64()
                .is_some_and(|v| v.is_finite() && v > 0.0),
            "{row}"
        );
    }
}
