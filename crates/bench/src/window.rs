//! Window measures: cold start to first frame, and the window's anonymous memory, for Tandem and
//! for a bare Tauri window built with the same toolchain, measured the same way.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Median cold start (ms) and median anonymous memory of the process tree (MB) over `runs`.
pub fn measure(binary: &Path, home: Option<&Path>, runs: usize) -> Result<(f64, f64)> {
    let mut starts = Vec::new();
    let mut memory = Vec::new();
    for _ in 0..runs {
        let mut cmd = Command::new(binary);
        cmd.env("TANDEM_REPORT_READY", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(home) = home {
            cmd.env("TANDEM_HOME", home);
        }
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        let ready = wait_ready(&mut child, Duration::from_secs(30));
        let elapsed = started.elapsed();
        if let Err(e) = ready {
            stop(&mut child);
            return Err(e);
        }
        starts.push(elapsed.as_secs_f64() * 1000.0);
        // Let the page settle before reading memory.
        std::thread::sleep(Duration::from_millis(1500));
        memory.push(tree_anonymous_kb(child.id()) as f64 / 1024.0);
        stop(&mut child);
    }
    starts.sort_by(f64::total_cmp);
    memory.sort_by(f64::total_cmp);
    Ok((starts[starts.len() / 2], memory[memory.len() / 2]))
}

fn wait_ready(child: &mut Child, limit: Duration) -> Result<()> {
    let stdout = child.stdout.take().context("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            match line {
                Ok(l) if l.trim() == "ready" => {
                    let _ = tx.send(());
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    match rx.recv_timeout(limit) {
        Ok(()) => Ok(()),
        Err(_) => bail!(
            "the window did not report its first frame within {limit:?} (is there a display?)"
        ),
    }
}

fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Sum of `Anonymous:` over a process and all its descendants.
pub(crate) fn tree_anonymous_kb(root: u32) -> u64 {
    tandem_tests::descendants(root)
        .into_iter()
        .map(anonymous_kb)
        .sum()
}

/// `Anonymous:` of one process (0 once it is gone).
pub(crate) fn anonymous_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Anonymous:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .unwrap_or(0)
}
