//! Peer-to-peer sync between real `tandem` processes on loopback TCP, with the real keychain:
//! one listens, two join from it by invite, all three edit offline, then converge.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tandem_tests::{show_json, tandem, tandem_bin, tandem_ok};

/// A `tandem sync --listen` process, killed when dropped.
struct Listener {
    child: Child,
    addr: String,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn listen(home: &Path) -> Listener {
    let mut child = Command::new(tandem_bin())
        .arg("--home")
        .arg(home)
        .args(["sync", "--listen", "127.0.0.1:0"])
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start tandem sync --listen: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{e}"));
    // Keep reading what it prints, as a terminal would.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    let addr = line
        .strip_prefix("Listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    Listener { child, addr }
}

fn session(home: &Path, pair: &str, date: &str, notes: &str) {
    tandem_ok(
        home,
        &[
            "session",
            "add",
            pair,
            "--date",
            date,
            "--minutes",
            "30",
            "--notes",
            notes,
        ],
    );
}

fn notes(home: &Path, pair: &str) -> Vec<String> {
    let mut n: Vec<String> = show_json(home, pair)["sessions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s["notes"].as_str().map(String::from))
        .collect();
    n.sort();
    n
}

#[test]
fn three_processes_join_edit_offline_and_converge_over_tcp() {
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let (a, b, c) = (dirs[0].path(), dirs[1].path(), dirs[2].path());
    let pair = tandem_ok(
        a,
        &[
            "pair",
            "new",
            "--title",
            "Alex → reviewer",
            "--me",
            "Sam",
            "--partner",
            "Alex",
        ],
    )
    .trim()
    .to_string();
    session(a, &pair, "2026-11-02", "sam before the invite");
    let link = tandem_ok(a, &["invite", &pair]).trim().to_string();
    let sam = listen(a);

    // Both of Alex's laptops join straight from Sam's, by the invite.
    for home in [b, c] {
        let out = tandem_ok(home, &["join", &link, "--peer", &sam.addr]);
        assert!(out.contains("Joined"), "{out}");
        assert_eq!(notes(home, &pair), ["sam before the invite"]);
    }

    // Offline edits on the two joined laptops, then one-off syncs through Sam's.
    session(b, &pair, "2026-11-09", "alex laptop");
    session(c, &pair, "2026-11-10", "alex desktop");
    for home in [b, c, b] {
        let out = tandem_ok(home, &["sync", "--peer", &sam.addr, "--once"]);
        assert!(out.contains("round(s)"), "{out}");
    }
    let all = ["alex desktop", "alex laptop", "sam before the invite"];
    // Sam's library is held by the listener; a read-only look sees what arrived.
    let start = Instant::now();
    while notes(a, &pair) != all {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            notes(a, &pair)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(notes(b, &pair), all);
    assert_eq!(notes(c, &pair), all);

    // A peer that is not listening, and an address that is no address, are sentences.
    drop(sam);
    let out = tandem(b, &["sync", "--peer", "127.0.0.1:9", "--once"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did not sync"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tandem(b, &["sync", "--peer", "nowhere", "--once"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOST:PORT"));
}
