//! `tandem-bench`: generates realistic data and measures Tandem against baselines that do the same
//! work on the same data in the same run. Prints a table and writes target/bench/results.json.
//!
//! Usage: `tandem-bench [--smoke] [--out DIR] [--js DIR] [--app BIN --bare BIN]` (normally through
//! `cargo xtask bench`, which installs the JS peer, builds the app and the bare window, and runs
//! this under Xvfb), and
//! `tandem-bench probe-memory HOME PAIR` (run by the bench itself as a separate process), and
//! `tandem-bench search [--smoke]` (only the search rows),
//! `tandem-bench peer DIR [RUNS]` (only the peer rows, on inputs kept by `TANDEM_BENCH_KEEP=DIR`),
//! `tandem-bench window --app BIN --bare BIN [--smoke]` (only the window rows), and
//! `tandem-bench converge-once DIR [RUNS]` (profiling: replays the convergence from the inputs a run
//! with `TANDEM_BENCH_KEEP=DIR` kept).

mod drive;
mod generate;
mod measure;
mod peer;
mod search;
mod share;
mod window;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let smoke = args.iter().any(|a| a == "--smoke");
    let windows = flag("--app").zip(flag("--bare"));
    let result = match args.first().map(String::as_str) {
        Some("probe-memory") => measure::probe_memory(&args[1..]),
        Some("converge-once") => measure::converge_once(&args[1..]),
        Some("peer") => measure::peer_once(&args[1..]),
        Some("search") => search::alone(smoke),
        Some("window") => match windows {
            Some((app, bare)) => measure::window_alone(smoke, &app, &bare),
            None => Err(anyhow::anyhow!(
                "usage: tandem-bench window --app BIN --bare BIN [--smoke]"
            )),
        },
        _ => {
            let out = flag("--out").unwrap_or_else(|| PathBuf::from("target/bench"));
            measure::run(smoke, &out, flag("--js").as_deref(), windows)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tandem-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
