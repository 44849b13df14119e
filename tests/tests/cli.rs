//! The headless CLI, run as a real process against real folders: two homes stand for two devices.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use tandem_tests::{log_session, show_json, tandem, tandem_bin, tandem_ok};

fn new_pair(home: &std::path::Path, title: &str, me: &str, partner: &str) -> String {
    tandem_tests::pair_new(
        home,
        &[
            "--title",
            title,
            "--me",
            me,
            "--role",
            "mentor",
            "--partner",
            partner,
            "--programme",
            "kubernetes",
            "--target-role",
            "reviewer",
            "--cadence",
            "weekly",
            "--start",
            "2026-11-02",
            "--minutes",
            "30",
        ],
    )
}

fn session_count(home: &std::path::Path, pair: &str) -> usize {
    show_json(home, pair)["sessions"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn two_homes_keep_separate_libraries() {
    let a = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let b = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pa = new_pair(a.path(), "Alex → reviewer", "Sam", "Alex");
    let pb = new_pair(b.path(), "Kim → approver", "Lee", "Kim");
    assert_ne!(pa, pb);

    let session = tandem_ok(
        a.path(),
        &[
            "session",
            "add",
            &pa,
            "--date",
            "2026-11-20",
            "--minutes",
            "45",
            "--methods",
            "qa,review",
            "--notes",
            "Went through the OWNERS file.",
        ],
    );
    tandem_ok(
        b.path(),
        &[
            "session",
            "add",
            "kim",
            "--date",
            "2026-11-21",
            "--minutes",
            "30",
        ],
    );

    let va = show_json(a.path(), &pa);
    assert_eq!(va["title"], "Alex → reviewer");
    assert_eq!(va["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(va["sessions"][0]["notes"], "Went through the OWNERS file.");
    assert_eq!(
        va["sessions"][0]["id"],
        session.trim(),
        "session add prints the new session's id"
    );
    assert_eq!(va["sessions"][0]["methods"][1]["key"], "review");
    assert_eq!(va["total_minutes"], 45);

    let list_a = tandem_ok(a.path(), &["pair", "list", "--json"]);
    let list_a: serde_json::Value = serde_json::from_str(&list_a).unwrap_or_default();
    assert_eq!(
        list_a["pairs"].as_array().map(Vec::len),
        Some(1),
        "{list_a}"
    );
    assert_eq!(list_a["pairs"][0]["partner"], "Alex");
    assert_eq!(list_a["pairs"][0]["last_session"], "2026-11-20");

    // Pair B is not in home A.
    let out = tandem(a.path(), &["show", &pb]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No pair matches"));
}

#[test]
fn bad_input_gets_a_sentence_and_a_failing_exit_code() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pair = new_pair(home.path(), "Alex → reviewer", "Sam", "Alex");
    let cases: &[(&[&str], &str)] = &[
        (
            &["session", "add", &pair, "--minutes", "0"],
            "between 1 and 720 minutes",
        ),
        (
            &[
                "session",
                "add",
                &pair,
                "--minutes",
                "30",
                "--date",
                "tomorrow",
            ],
            "is not a date",
        ),
        (
            &[
                "session",
                "add",
                &pair,
                "--minutes",
                "30",
                "--methods",
                "juggling",
            ],
            "not a mentoring method",
        ),
        (
            &["session", "add", "no-such-pair", "--minutes", "30"],
            "No pair matches",
        ),
        (
            &["pair", "new", "--title", " ", "--me", "A", "--partner", "B"],
            "Enter a title for the pair.",
        ),
        (
            &[
                "pair",
                "new",
                "--title",
                "T",
                "--me",
                "A",
                "--partner",
                "B",
                "--programme",
                "gsok",
            ],
            "Choose a programme",
        ),
    ];
    for (args, expected) in cases {
        let out = tandem(home.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // Nothing was lost or half-written by the failures.
    assert_eq!(session_count(home.path(), &pair), 0);
}

#[test]
fn a_huge_paste_is_refused_and_loses_nothing() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pair = new_pair(home.path(), "p", "Sam", "Alex");
    let mut child = Command::new(tandem_bin())
        .args(["--home"])
        .arg(home.path())
        .args(["session", "add", &pair, "--minutes", "30", "--notes", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(&vec![b'x'; 10 * 1024 * 1024])
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 100000 characters"));
    assert_eq!(session_count(home.path(), &pair), 0);
}

#[test]
fn the_window_mode_without_a_display_explains_itself() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tandem(home.path(), &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A window asked for while a headless `tandem sync` holds the library says so and exits: no
/// panic, no second writer. (A window holding it would instead get the launch handed over; see
/// the invite link tests.)
#[test]
fn the_window_on_a_library_a_sync_holds_explains_itself() {
    let Some(display) = std::env::var_os("DISPLAY") else {
        panic!("this test needs a display; run it with `cargo xtask test` (Xvfb)");
    };
    let (home, share) = (
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    );
    tandem_ok(
        home.path(),
        &["share", "set", &share.path().to_string_lossy()],
    );
    let mut sync = std::process::Command::new(tandem_tests::tandem_bin())
        .arg("--home")
        .arg(home.path())
        .args(["sync", "--every", "1"])
        .env_remove("DISPLAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Wait until the sync holds the lock (a second writer is refused).
    let held = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        !tandem(
            home.path(),
            &["pair", "new", "--title", "T", "--me", "A", "--partner", "B"],
        )
        .status
        .success()
    });
    // Started from the desktop's menu nobody sees standard error: the reason is also in a
    // dialog, which waits for OK (pressed here as a person would), and in the log file.
    let mut window = std::process::Command::new(tandem_tests::tandem_bin())
        .arg("--home")
        .arg(home.path())
        .env("DISPLAY", display)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let dialog = tandem_tests::x_window("^Tandem could not start$", Duration::from_secs(30));
    let still_waiting = matches!(window.try_wait(), Ok(None));
    let answered = dialog
        .as_ref()
        .map_err(ToString::to_string)
        .and_then(|d| tandem_tests::press(d, "Return").map_err(|e| e.to_string()));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while matches!(window.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = window.kill();
    let window = window.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let _ = sync.kill();
    let _ = sync.wait();
    assert!(held, "the sync never held the library");
    let stderr = String::from_utf8_lossy(&window.stderr);
    assert!(dialog.is_ok(), "no dialog: {dialog:?} ({stderr})");
    assert!(
        still_waiting,
        "the window exited before its dialog was answered"
    );
    assert_eq!(answered, Ok(()));
    assert_eq!(window.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("already using the library"), "{stderr}");
    let logs: String = std::fs::read_dir(home.path().join("logs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(logs.contains("could not start"), "{logs}");
    assert!(logs.contains("already using the library"), "{logs}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Kill `tandem session add` with SIGKILL at random moments across its whole run: every session
/// whose command reported success is there afterwards, and the library still opens and takes writes.
#[test]
fn sigkill_never_loses_a_saved_session() {
    let _alone = tandem_tests::exclusive();
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pair = new_pair(home.path(), "p", "Sam", "Alex");
    let add = |note: &str| {
        Command::new(tandem_bin())
            .args(["--home"])
            .arg(home.path())
            .args(["session", "add", &pair, "--minutes", "30", "--notes", note])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // How long one uninterrupted run takes here, so the kills land before, during and after the write.
    let started = Instant::now();
    let first = add("baseline")
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.status.success());
    let run = started.elapsed();

    let mut rng = rand::rng();
    let mut saved = vec!["baseline".to_string()];
    let mut killed = 0;
    for i in 0..60 {
        let note = format!("note {i}");
        let mut child = add(&note);
        let delay = run.mul_f64(rng.random_range(0.0..2.0));
        std::thread::sleep(delay);
        let _ = child.kill();
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        if out.status.success() {
            saved.push(note);
        } else {
            killed += 1;
        }
    }
    let notes = |view: serde_json::Value| -> Vec<String> {
        view["sessions"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s["notes"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let on_disk = notes(show_json(home.path(), &pair));
    for note in &saved {
        assert!(
            on_disk.contains(note),
            "{note} was reported saved but is missing"
        );
    }
    assert!(
        saved.len() > 1 && killed > 0,
        "the kills must land both before and after saving ({} saved, {killed} killed)",
        saved.len()
    );
    // And the library still takes writes after all those kills.
    log_session(home.path(), &pair, "after");
    assert!(notes(show_json(home.path(), &pair)).contains(&"after".to_string()));
    eprintln!(
        "one run takes up to {run:?}; {} of 63 commands reported success, {killed} were killed; {} sessions on disk",
        saved.len(),
        on_disk.len()
    );
}
