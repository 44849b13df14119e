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
    listen_at(home, "127.0.0.1:0")
}

fn listen_at(home: &Path, addr: &str) -> Listener {
    listen_in(None, home, addr)
}

/// A command for `tandem`, inside network namespace `ns` when given.
fn tandem_cmd(ns: Option<&str>) -> Command {
    match ns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns]).arg(tandem_bin());
            c
        }
        None => Command::new(tandem_bin()),
    }
}

fn tandem_in(ns: Option<&str>, home: &Path, args: &[&str]) -> String {
    let out = tandem_cmd(ns)
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run tandem: {e}"));
    assert!(
        out.status.success(),
        "tandem {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn listen_in(ns: Option<&str>, home: &Path, addr: &str) -> Listener {
    let mut child = tandem_cmd(ns)
        .arg("--home")
        .arg(home)
        .args(["sync", "--listen", addr])
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

/// Two network namespaces joined by a veth pair (Sam's laptop at .1, Alex's at .2), removed when
/// dropped; None where the machine does not allow them (then the test runs on loopback).
struct Namespaces {
    names: [String; 2],
    net: String,
}

impl Namespaces {
    fn create() -> Option<Namespaces> {
        let id = std::process::id() % 200 + 20;
        let names = [format!("tnd{id}a"), format!("tnd{id}b")];
        let net = format!("10.{id}.0");
        let ip = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let (a, b) = (names[0].as_str(), names[1].as_str());
        let (va, vb) = (format!("{a}v"), format!("{b}v"));
        let ns = Namespaces {
            names: names.clone(),
            net: net.clone(),
        };
        let ok = ip(&["netns", "add", a])
            && ip(&["netns", "add", b])
            && ip(&["link", "add", &va, "type", "veth", "peer", "name", &vb])
            && ip(&["link", "set", &va, "netns", a])
            && ip(&["link", "set", &vb, "netns", b])
            && ip(&["-n", a, "addr", "add", &format!("{net}.1/24"), "dev", &va])
            && ip(&["-n", b, "addr", "add", &format!("{net}.2/24"), "dev", &vb])
            && ip(&["-n", a, "link", "set", &va, "up"])
            && ip(&["-n", b, "link", "set", &vb, "up"])
            && ip(&["-n", a, "link", "set", "lo", "up"])
            && ip(&["-n", b, "link", "set", "lo", "up"]);
        ok.then_some(ns)
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = Command::new("ip")
                .args(["netns", "del", n])
                .stderr(Stdio::null())
                .status();
        }
    }
}

#[test]
fn three_processes_join_edit_offline_and_converge_over_tcp() {
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let (a, b, c) = (dirs[0].path(), dirs[1].path(), dirs[2].path());
    // Sam's laptop and Alex's two laptops on separate network stacks where the machine allows.
    let spaces = Namespaces::create();
    let (sam_ns, alex_ns, sam_at) = match &spaces {
        Some(n) => (
            Some(n.names[0].as_str()),
            Some(n.names[1].as_str()),
            format!("{}.1:0", n.net),
        ),
        None => (None, None, "127.0.0.1:0".to_string()),
    };
    eprintln!(
        "{}",
        if spaces.is_some() {
            "peers on two network namespaces joined by a veth pair"
        } else {
            "network namespaces are not allowed here: peers on loopback"
        }
    );
    let pair = tandem_tests::new_pair(a);
    session(a, &pair, "2026-11-02", "sam before the invite");
    let link = tandem_ok(a, &["invite", &pair]).trim().to_string();
    let sam = listen_in(sam_ns, a, &sam_at);

    // Both of Alex's laptops join straight from Sam's, by the invite.
    for home in [b, c] {
        let out = tandem_in(alex_ns, home, &["join", &link, "--peer", &sam.addr]);
        assert!(out.contains("Joined"), "{out}");
        assert_eq!(notes(home, &pair), ["sam before the invite"]);
    }

    // Offline edits on the two joined laptops, then one-off syncs through Sam's.
    session(b, &pair, "2026-11-09", "alex laptop");
    session(c, &pair, "2026-11-10", "alex desktop");
    for home in [b, c, b] {
        let out = tandem_in(alex_ns, home, &["sync", "--peer", &sam.addr, "--once"]);
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

#[test]
fn two_windows_sync_live_over_tcp() -> anyhow::Result<()> {
    crate::journal::alone(two_windows_live())
}

use crate::share::notes_shown;

async fn two_windows_live() -> anyhow::Result<()> {
    use crate::journal::{WAIT, click, shot, text_with, type_into};
    use anyhow::Context;
    use tandem_tests::{Driver, eventually};
    let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let pair = tandem_tests::new_pair(a.path());
    session(a.path(), &pair, "2026-11-16", "Logged on Sam's laptop");
    let link = tandem_ok(a.path(), &["invite", &pair]).trim().to_string();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.port()
    };
    let at = format!("127.0.0.1:{port}");
    {
        let sam = listen_at(a.path(), &at);
        tandem_ok(b.path(), &["join", &link, "--peer", &sam.addr]);
    }

    // Sam's window accepts peers; Alex's connects by address from the pair page.
    let listen_env = std::path::PathBuf::from(&at);
    let driver_a = Driver::start_with(a.path(), &[("TANDEM_LISTEN", listen_env.as_path())])?;
    let sam = driver_a.open_app().await?;
    click(&sam, "[data-testid=pair-card]").await?;
    text_with(&sam, "#listening", &at).await?;
    let driver_b = Driver::start(b.path())?;
    let alex = driver_b.open_app().await?;
    click(&alex, "[data-testid=pair-card]").await?;
    type_into(&alex, "#peer-addr", "not an address").await?;
    click(&alex, "#connect-peer").await?;
    text_with(&alex, "#sharing-error", "HOST:PORT").await?;
    type_into(&alex, "#peer-addr", &at).await?;
    click(&alex, "#connect-peer").await?;
    text_with(&alex, "#peers", "connected, edits flow live").await?;
    shot(&alex, "#sharing", "peer-01-connected").await?;

    // Sam logs a session: it appears in Alex's window by itself.
    click(&sam, "#open-log-session").await?;
    type_into(&sam, "#session-minutes", "30").await?;
    type_into(&sam, "#session-notes", "Logged live by Sam").await?;
    let start = std::time::Instant::now();
    click(&sam, "#log-session").await?;
    eventually(WAIT, "Sam's new session in Alex's window", || async {
        notes_shown(&alex)
            .await
            .contains("Logged live by Sam")
            .then_some(())
    })
    .await?;
    eprintln!(
        "a session logged in one window showed in the other in {:?}",
        start.elapsed()
    );

    // Alex has the cursor in the middle of the first session's notes while Sam types at their
    // end: the text arrives in Alex's editor in place, and Alex keeps the focus and the cursor.
    let first = "Logged on Sam's laptop";
    let focus_mid = format!(
        "const t = [...document.querySelectorAll('[data-testid=session-notes]')].find(e => e.value.startsWith(\"{first}\")); \
         t.focus(); t.setSelectionRange(6, 6); return t.value;"
    );
    alex.execute(&focus_mid, vec![]).await?;
    let mut editor = None;
    for el in sam
        .find_all(fantoccini::Locator::Css("[data-testid=session-notes]"))
        .await?
    {
        if el
            .prop("value")
            .await?
            .is_some_and(|v| v.starts_with(first))
        {
            editor = Some(el);
        }
    }
    let start = std::time::Instant::now();
    editor
        .context("Sam's window lacks the first session")?
        .send_keys(" Agreed live.")
        .await?;
    let state = "const t = [...document.querySelectorAll('[data-testid=session-notes]')].find(e => e.value.startsWith(\"Logged on Sam\")); \
                 return [t.value, document.activeElement === t, t.selectionStart, t.selectionEnd];";
    eventually(
        WAIT,
        "Sam's typing in Alex's editor, focus and cursor kept",
        || async {
            let v = alex.execute(state, vec![]).await.ok()?;
            (v[0].as_str()?.ends_with(" Agreed live.") && v[1] == true && v[2] == 6 && v[3] == 6)
                .then_some(())
        },
    )
    .await?;
    eprintln!(
        "typing in one window showed in the other in {:?}",
        start.elapsed()
    );
    // Alex types on, at the cursor, into the merged text.
    alex.active_element().await?.send_keys("X").await?;
    let v = alex
        .execute("return document.activeElement.value;", vec![])
        .await?;
    assert_eq!(
        v.as_str(),
        Some("LoggedX on Sam's laptop Agreed live."),
        "{v}"
    );
    text_with(&alex, "#peers", "last exchange").await?;
    shot(&alex, "#session-list", "peer-02-live").await?;
    sam.close().await?;
    alex.close().await?;
    Ok(())
}

/// Two laptops of a pair that only listen find each other with mDNS and sync, with no address
/// typed anywhere.
#[test]
fn two_listening_laptops_find_each_other_on_the_network() {
    let _alone = tandem_tests::exclusive();
    let (a, b) = (
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    );
    let pair = tandem_ok(
        a.path(),
        &[
            "pair",
            "new",
            "--title",
            "Found",
            "--me",
            "Sam",
            "--partner",
            "Alex",
        ],
    )
    .trim()
    .to_string();
    let link = tandem_ok(a.path(), &["invite", &pair]).trim().to_string();
    {
        let sam = listen(a.path());
        tandem_ok(b.path(), &["join", &link, "--peer", &sam.addr]);
    }
    session(b.path(), &pair, "2026-11-20", "found on the network");
    let start = Instant::now();
    let _sam = listen_at(a.path(), "0.0.0.0:0");
    let _alex = listen_at(b.path(), "0.0.0.0:0");
    while !notes(a.path(), &pair).contains(&"found on the network".to_string()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the laptops did not find each other (is multicast blocked on this network?)"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("found and synced over mDNS in {:?}", start.elapsed());
}
