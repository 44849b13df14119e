//! `tandem-bench`: generates realistic data and measures Tandem against baselines that do the same
//! work on the same data in the same run. Prints a table and writes target/bench/results.json.
//!
//! Usage: `tandem-bench [--smoke] [--out DIR] [--js DIR]` (normally through `cargo xtask bench`,
//! which installs the JS peer in crates/bench/js and passes `--js`), and
//! `tandem-bench probe-memory HOME PAIR` (run by the bench itself as a separate process).

mod generate;
mod measure;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("probe-memory") {
        measure::probe_memory(&args[1..])
    } else {
        let smoke = args.iter().any(|a| a == "--smoke");
        let out = args
            .iter()
            .position(|a| a == "--out")
            .and_then(|i| args.get(i + 1))
            .map_or_else(|| PathBuf::from("target/bench"), PathBuf::from);
        let js = args
            .iter()
            .position(|a| a == "--js")
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from);
        measure::run(smoke, &out, js.as_deref())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tandem-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
