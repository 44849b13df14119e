//! Three devices (three homes) that edit one pair offline and exchange only through copies of a
//! shared folder, carried by a deliberately bad "sync client": files arrive late, out of order,
//! twice, half-written then whole, as Dropbox and Syncthing conflict copies, and some delivered
//! files are deleted. Every seeded run must converge with every edit present.
//!
//! Over 600 lines: the bad copy tool, the scenario it drives, and the headless and window tests of
//! sharing all use the same device builders.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tandem_core::pair::input::{NewGoal, NewPair, NewSession, TextSplice};
use tandem_core::pair::{Edit, GoalEdit, Pair};
use tandem_sync::seal::{self, DocKey, Kind};
use tandem_sync::{DocId, Library, Mode, pair_folder};

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// Every file under `root`, by path relative to it.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), fs::read(&p)) {
                out.insert(rel.to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The device folder a share file belongs to (its writer).
fn owner(rel: &Path) -> String {
    rel.components()
        .nth(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A copy tool with every bad habit, between the share copies of the devices.
struct SyncClient {
    rng: StdRng,
    /// Device folder name (as the pair's key names the device's folder) → its own copy of the
    /// share.
    copies: Vec<(String, PathBuf)>,
}

impl SyncClient {
    /// One round of unreliable delivery.
    fn shuffle(&mut self) {
        for (from_dev, from) in self.copies.clone() {
            let source = files(&from);
            for (to_dev, to) in self.copies.clone() {
                if to_dev == from_dev {
                    continue;
                }
                for (rel, bytes) in &source {
                    // Only a file's writer is the source of truth for it.
                    if owner(rel) != from_dev {
                        continue;
                    }
                    let dest = to.join(rel);
                    let roll: f64 = self.rng.random();
                    if roll < 0.3 {
                        continue; // late: not this round
                    }
                    ok(fs::create_dir_all(dest.parent().unwrap_or(&to)));
                    if roll < 0.4 {
                        // Half-written, as a copy tool shows a file it is still receiving.
                        let cut = self.rng.random_range(0..bytes.len());
                        ok(fs::write(&dest, &bytes[..cut]));
                        continue;
                    }
                    ok(fs::write(&dest, bytes));
                    let extra: f64 = self.rng.random();
                    let name = dest
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
                    if extra < 0.1 {
                        let copy = dest.with_file_name(format!(
                            "{stem} (Alex's conflicted copy 2026-11-24).{ext}"
                        ));
                        ok(fs::write(copy, bytes));
                    } else if extra < 0.2 {
                        let copy = dest.with_file_name(format!(
                            "{stem}.sync-conflict-20261124-101010-ABCDEFG.{ext}"
                        ));
                        ok(fs::write(copy, bytes));
                    } else if extra < 0.3 {
                        // Delivered, then deleted again on this side (a later round brings it back).
                        ok(fs::remove_file(&dest));
                    }
                }
                // Deletions by a file's writer (after its snapshot) reach the other copies, late.
                for (rel, _) in files(&to) {
                    let writer = owner(&rel);
                    let ours = self.copies.iter().find(|(d, _)| *d == writer);
                    if writer == from_dev
                        && ours.is_some()
                        && !source.contains_key(&strip_conflict(&rel))
                        && self.rng.random_bool(0.5)
                    {
                        let _ = fs::remove_file(to.join(&rel));
                    }
                }
            }
        }
    }

    /// What a copy tool does once it catches up: every copy equals its writers' folders.
    fn settle(&mut self) {
        for (from_dev, from) in self.copies.clone() {
            let source = files(&from);
            for (to_dev, to) in self.copies.clone() {
                if to_dev == from_dev {
                    continue;
                }
                for (rel, _) in files(&to) {
                    if owner(&rel) == from_dev && !source.contains_key(&rel) {
                        ok(fs::remove_file(to.join(&rel)));
                    }
                }
                for (rel, bytes) in &source {
                    if owner(rel) == from_dev {
                        let dest = to.join(rel);
                        ok(fs::create_dir_all(dest.parent().unwrap_or(&to)));
                        ok(fs::write(dest, bytes));
                    }
                }
            }
        }
    }
}

/// The name a conflict copy was made from.
fn strip_conflict(rel: &Path) -> PathBuf {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean = name
        .replace(" (Alex's conflicted copy 2026-11-24)", "")
        .replace(".sync-conflict-20261124-101010-ABCDEFG", "");
    rel.with_file_name(clean)
}

struct Device {
    lib: Option<Library>,
    share: PathBuf,
    home: tempfile::TempDir,
}

impl Device {
    fn lib(&mut self) -> &mut Library {
        let home = self.home.path().to_path_buf();
        self.lib.get_or_insert_with(|| {
            // Other tests fork processes all the time; a child holds a copy of the lock file's
            // descriptor for the instant between fork and exec, so a lock just released in this
            // process can look taken for a moment. (Two app processes never meet this.)
            for _ in 0..100 {
                match Library::open(&home, Mode::ReadWrite) {
                    Err(tandem_sync::StoreError::Busy(_)) => {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    other => return ok(other),
                }
            }
            ok(Library::open(&home, Mode::ReadWrite))
        })
    }

    /// The app quits and starts again: only what is on disk survives.
    fn restart(&mut self) {
        self.lib = None;
    }
}

/// What a run went through, to check the chaos was real.
#[derive(Default)]
struct Seen {
    problems: usize,
    waiting: usize,
    compactions: usize,
    conflicts: usize,
}

fn scenario(seed: u64, seen: &mut Seen) {
    let mut rng = StdRng::seed_from_u64(seed);
    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let key = DocKey(rng.random());
    let shares = ok(tempfile::tempdir());
    let mut devices: Vec<Device> = (0..3)
        .map(|i| {
            let home = ok(tempfile::tempdir());
            let lib = ok(Library::open(home.path(), Mode::ReadWrite));
            let share = shares.path().join(format!("copy-{i}"));
            ok(fs::create_dir_all(&share));
            Device {
                lib: Some(lib),
                share,
                home,
            }
        })
        .collect();
    let mut client = SyncClient {
        rng: StdRng::seed_from_u64(seed ^ 0xD15EA5E),
        copies: devices
            .iter_mut()
            .map(|d| {
                let folder = tandem_sync::device_folder(Path::new(""), &d.lib().device().id, &key);
                (folder.display().to_string(), d.share.clone())
            })
            .collect(),
    };

    // Sam creates the pair on laptop 0; Alex joins on laptop 1, Sam's second laptop 2 joins too.
    let input = NewPair {
        title: format!("Seed {seed}"),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "kubernetes".into(),
        ..NewPair::default()
    };
    let view = ok(devices[0].lib().create_pair(&input, t0));
    let pair = view.id.clone();
    let alex = view
        .people
        .iter()
        .find(|p| p.name == "Alex")
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let sam = view
        .people
        .iter()
        .find(|p| p.name == "Sam")
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let goal = NewGoal {
        title: "Review 20 PRs".into(),
        ..NewGoal::default()
    };
    let (applied, _) =
        ok(devices[0]
            .lib()
            .apply::<Pair>(&pair, &Edit::Goal(GoalEdit::Propose(goal)), t0));
    let goal = applied.created.unwrap_or_default();
    let (first, _) = ok(devices[0].lib().log_session(
        &pair,
        &NewSession {
            date: "2026-11-02".into(),
            minutes: "30".into(),
            ..NewSession::default()
        },
        t0,
    ));
    let share0 = devices[0].share.clone();
    ok(devices[0]
        .lib()
        .sync_share(&DocId::pair(pair.clone()), &key, &share0, t0));
    client.settle();
    for (i, person) in [(1, &alex), (2, &sam)] {
        let share = devices[i].share.clone();
        ok(devices[i]
            .lib()
            .join_from_share(&pair, person, &key, &share, t0));
    }

    // Offline editing and unreliable exchange.
    let mut sessions = BTreeSet::from([first.clone()]);
    let mut tokens = Vec::new();
    let rounds = rng.random_range(4..48);
    for round in 0..rounds {
        for (i, d) in devices.iter_mut().enumerate() {
            let now = t0 + Duration::hours(i64::from(round) * 3 + i as i64);
            for _ in 0..rng.random_range(0..3) {
                match rng.random_range(0..4) {
                    0 => {
                        let date = format!("2026-11-{:02}", 3 + (round % 20));
                        let s = NewSession {
                            date,
                            minutes: "30".into(),
                            ..NewSession::default()
                        };
                        sessions.insert(ok(d.lib().log_session(&pair, &s, now)).0);
                    }
                    1 => {
                        let token = format!("<{seed}-{round}-{i}>");
                        let edit = TextSplice {
                            session_id: first.clone(),
                            field: "notes".into(),
                            pos: 0,
                            delete: 0,
                            insert: token.clone(),
                        };
                        ok(d.lib().splice_text(&pair, &edit, now));
                        tokens.push(token);
                    }
                    2 => {
                        let status = ["achieved", "dropped"][rng.random_range(0..2)];
                        // Setting the status it already has is refused; that is fine here.
                        let _ = d.lib().apply::<Pair>(
                            &pair,
                            &Edit::Goal(GoalEdit::SetStatus {
                                goal_id: goal.clone(),
                                status: status.into(),
                            }),
                            now,
                        );
                    }
                    _ => {}
                }
            }
            if rng.random_bool(0.1) {
                d.restart();
            }
            if rng.random_bool(0.8) {
                let share = d.share.clone();
                let report = ok(d
                    .lib()
                    .sync_share(&DocId::pair(pair.clone()), &key, &share, now));
                seen.problems += report.problems.len();
                seen.waiting += usize::from(report.waiting);
                seen.compactions += usize::from(report.compacted);
            }
        }
        client.shuffle();
    }

    // The copy tool catches up; everyone syncs until nothing changes.
    let end = t0 + Duration::days(30);
    for _ in 0..3 {
        for d in &mut devices {
            let share = d.share.clone();
            ok(d.lib()
                .sync_share(&DocId::pair(pair.clone()), &key, &share, end));
        }
        client.settle();
    }
    for d in &mut devices {
        let share = d.share.clone();
        let report = ok(d
            .lib()
            .sync_share(&DocId::pair(pair.clone()), &key, &share, end));
        assert!(
            report.problems.is_empty(),
            "seed {seed}: {:?}",
            report.problems
        );
        assert!(
            !report.waiting,
            "seed {seed}: changes still wait for missing ones"
        );
    }
    let views: Vec<_> = devices
        .iter_mut()
        .map(|d| {
            let mut v = ok(d.lib().view::<Pair>(&pair));
            v.me = None;
            v
        })
        .collect();
    assert_eq!(views[0], views[1], "seed {seed}: devices 0 and 1 differ");
    assert_eq!(views[0], views[2], "seed {seed}: devices 0 and 2 differ");
    let ids: BTreeSet<String> = views[0].sessions.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, sessions, "seed {seed}: a session is missing");
    let notes = &views[0]
        .sessions
        .iter()
        .find(|s| s.id == first)
        .map(|s| s.notes.clone())
        .unwrap_or_default();
    for t in &tokens {
        assert!(notes.contains(t.as_str()), "seed {seed}: lost {t}");
    }
    assert_eq!(views[0].people.len(), 2);
    seen.conflicts += views[0].conflicts.len();
}

#[test]
fn three_devices_converge_through_a_bad_copy_tool_in_every_seeded_run() {
    let mut seen = Seen::default();
    for seed in 0..50 {
        scenario(seed, &mut seen);
    }
    // The runs met what they are meant to survive.
    eprintln!(
        "50 runs: {} unusable files met on the way, {} syncs waiting for earlier changes, {} compactions, {} goal-status conflicts kept",
        seen.problems, seen.waiting, seen.compactions, seen.conflicts
    );
    assert!(seen.problems > 0 && seen.waiting > 0 && seen.compactions > 0);
}

#[test]
fn damaged_foreign_and_future_files_are_reported_and_skipped() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let key = DocKey([7; 32]);
    let (home_a, home_b, share) = (
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
    );
    let mut a = ok(Library::open(home_a.path(), Mode::ReadWrite));
    let input = NewPair {
        title: "Damage".into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "generic".into(),
        ..NewPair::default()
    };
    let view = ok(a.create_pair(&input, t0));
    let pair = view.id.clone();
    let alex = view
        .people
        .iter()
        .find(|p| p.name == "Alex")
        .map(|p| p.id.clone())
        .unwrap_or_default();
    ok(a.sync_share(&DocId::pair(pair.clone()), &key, share.path(), t0));
    let mut b = ok(Library::open(home_b.path(), Mode::ReadWrite));
    ok(b.join_from_share(&pair, &alex, &key, share.path(), t0));

    // A stranger's folder in the pair's share folder, with four bad files.
    let folder = pair_folder(share.path(), &pair, &key).join("STRANGER");
    ok(fs::create_dir_all(&folder));
    let good = seal::seal(&key, &pair, Kind::Changes, "g.tch", b"not automerge");
    let mut tampered = seal::seal(&key, &pair, Kind::Changes, "t.tch", b"x");
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let mut future = seal::seal(&key, &pair, Kind::Changes, "f.tch", b"x");
    future[4] = seal::VERSION + 1;
    for (name, bytes) in [
        (
            "other-key.tch",
            seal::seal(&DocKey([8; 32]), &pair, Kind::Changes, "o.tch", b"x"),
        ),
        ("tampered.tch", tampered),
        ("truncated.tch", good[..good.len() / 2].to_vec()),
        ("future.tch", future),
    ] {
        ok(fs::write(folder.join(name), bytes));
    }
    let session = NewSession {
        date: "2026-11-03".into(),
        minutes: "30".into(),
        ..NewSession::default()
    };
    ok(a.log_session(&pair, &session, t0));
    ok(a.sync_share(&DocId::pair(pair.clone()), &key, share.path(), t0));
    let report = ok(b.sync_share(&DocId::pair(pair.clone()), &key, share.path(), t0));
    let mut reasons: Vec<(String, String)> = report
        .problems
        .iter()
        .map(|p| {
            let file = Path::new(&p.file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (file, p.reason.clone())
        })
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            (
                "future.tch".to_string(),
                "it was written by a newer Tandem (format 3); update Tandem to read it".to_string()
            ),
            (
                "other-key.tch".to_string(),
                "it does not open with this pair's key (another pair's file, or damaged)"
                    .to_string()
            ),
            (
                "tampered.tch".to_string(),
                "it does not open with this pair's key (another pair's file, or damaged)"
                    .to_string()
            ),
            (
                "truncated.tch".to_string(),
                "it is incomplete (still being copied, or cut short)".to_string()
            ),
        ]
    );
    // …and the pair keeps working: A's new session arrived beside them.
    assert_eq!(ok(b.view::<Pair>(&pair)).sessions.len(), 1);
    // Nothing in the share is readable without the key.
    for (_, bytes) in files(share.path()) {
        assert!(!String::from_utf8_lossy(&bytes).contains("Damage"));
    }
}

/// The headless flow with the real keychain (GNOME Keyring in `cargo xtask test`): Sam invites,
/// Alex joins through the shared folder, each logs a session, and both see both.
#[test]
fn invite_join_and_sync_headless_with_the_real_keychain() {
    use tandem_tests::{log_session, show_json, tandem, tandem_ok};
    let (a, b, share) = (
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
    );
    let pair = tandem_tests::new_pair(a.path());
    let share_arg = share.path().to_string_lossy().into_owned();
    tandem_ok(a.path(), &["share", "set", &share_arg]);
    let link = tandem_ok(a.path(), &["invite", &pair]).trim().to_string();
    assert!(link.starts_with("tandem://join/"), "{link}");

    // A mistyped invite is a sentence; the real one joins.
    let typo = format!("{}x", &link[..link.len() - 1]);
    let out = tandem(b.path(), &["join", &typo, "--share", &share_arg]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("incomplete or mistyped"));
    // The link pasted on standard input (`join -`): never in the command line or shell history.
    let joined = {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        let mut child = ok(Command::new(tandem_tests::tandem_bin())
            .arg("--home")
            .arg(b.path())
            .args(["join", "-", "--share", &share_arg])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn());
        if let Some(mut stdin) = child.stdin.take() {
            ok(writeln!(stdin, "\n{link}"));
        }
        ok(child.wait_with_output())
    };
    let said = String::from_utf8_lossy(&joined.stdout);
    assert!(
        joined.status.success() && said.contains("Joined “Alex → reviewer”"),
        "{said}{}",
        String::from_utf8_lossy(&joined.stderr)
    );

    for (home, notes) in [
        (a.path(), "from Sam's laptop"),
        (b.path(), "from Alex's laptop"),
    ] {
        log_session(home, &pair, notes);
        tandem_ok(home, &["sync", "--once"]);
    }
    tandem_ok(a.path(), &["sync", "--once"]);
    for home in [a.path(), b.path()] {
        let v = show_json(home, &pair);
        let mut notes: Vec<String> = v["sessions"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s["notes"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        notes.sort();
        assert_eq!(notes, ["from Alex's laptop", "from Sam's laptop"]);
    }
    // Alex's device acts as Alex.
    let v = show_json(b.path(), &pair);
    let me = v["me"].as_str().unwrap_or_default();
    let alex = v["people"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Alex"));
    assert_eq!(alex.map(|p| p["id"].as_str().unwrap_or_default()), Some(me));

    // The key is in no file: not in either library, not in the share.
    let invite = ok(tandem_sync::invite::Invite::parse(&link));
    for root in [a.path(), b.path(), share.path()] {
        for (path, bytes) in files(root) {
            assert!(
                !bytes.windows(32).any(|w| w == invite.key.0),
                "the key is in {}",
                path.display()
            );
        }
    }
}

/// A join that fails — nothing in the folder for the pair, or no laptop at the peer address —
/// leaves no key in the keychain (the invite's key was stored before the join was tried).
#[test]
fn a_join_that_fails_leaves_no_key_behind() {
    use tandem_sync::keys::Keychain;
    use tandem_sync::{DocId, invite::Invite, seal::DocKey};
    use tandem_tests::tandem;
    let (home, share) = (ok(tempfile::tempdir()), ok(tempfile::tempdir()));
    let share_arg = share.path().to_string_lossy().into_owned();
    let keychain = ok(Keychain::open());
    for (n, how) in [
        ["--share", share_arg.as_str()],
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        ["--peer", "127.0.0.1:9"],
    ]
    .into_iter()
    .enumerate()
    {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let id = format!("01FAILEDJOIN{n}X{nanos}");
        let link = Invite {
            pair_id: id.clone(),
            person: "01ALEX".into(),
            key: DocKey::random(),
        }
        .link();
        let out = tandem(home.path(), &["join", &link, how[0], how[1]]);
        assert!(
            !out.status.success(),
            "{how:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let left = ok(keychain.get(&DocId::pair(id)));
        assert!(left.is_none(), "{how:?}: the failed join left its key");
    }
}

/// Every file under `dir` and its bytes (a library's or a share's whole state on disk).
fn snapshot_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in ok(fs::read_dir(&d)).flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.insert(path.clone(), ok(fs::read(&path)));
            }
        }
    }
    out
}

/// A link made for a pair a laptop already has, with another key (pair ids leak, e.g. in a
/// calendar file's UID), changes nothing there: not the key in the keychain, not a file of the
/// library or the share. With the key lost from the keychain, only the pair's own key is taken
/// back; a crafted one is refused and the keychain stays without one.
#[test]
fn a_crafted_link_for_a_pair_already_held_changes_nothing() {
    use tandem_sync::invite::Invite;
    use tandem_sync::keys::Keychain;
    use tandem_tests::{tandem, tandem_ok};
    let (a, b, share) = (
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
    );
    let pair = tandem_tests::new_pair(a.path());
    let share_arg = share.path().to_string_lossy().into_owned();
    tandem_ok(a.path(), &["share", "set", &share_arg]);
    let link = tandem_ok(a.path(), &["invite", &pair]).trim().to_string();
    tandem_ok(b.path(), &["join", &link, "--share", &share_arg]);
    tandem_ok(a.path(), &["sync", "--once"]);
    let genuine = ok(Invite::parse(&link));
    let keychain = ok(Keychain::open());
    let d = DocId::pair(pair.clone());
    let key_before = ok(keychain.get(&d));
    assert_eq!(key_before.as_ref(), Some(&genuine.key));
    let crafted = Invite {
        key: DocKey::random(),
        ..genuine.clone()
    }
    .link();
    let (library_before, share_before) = (snapshot_of(b.path()), snapshot_of(share.path()));

    // Held, key and all: refused with a sentence, nothing touched.
    for how in [["--share", share_arg.as_str()], ["--peer", "127.0.0.1:9"]] {
        let out = tandem(b.path(), &["join", &crafted, how[0], how[1]]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && said.contains("already"),
            "{how:?}: {said}"
        );
        assert_eq!(ok(keychain.get(&d)), key_before, "{how:?}: the key changed");
        assert!(
            snapshot_of(b.path()) == library_before,
            "{how:?}: the library changed"
        );
        assert!(
            snapshot_of(share.path()) == share_before,
            "{how:?}: the share changed"
        );
    }

    // Held, key lost (the kernel keyring forgets at a reboot): the crafted key is refused and not
    // kept; the pair's own invite brings its key back.
    ok(keychain.delete(&d));
    let out = tandem(b.path(), &["join", &crafted, "--share", &share_arg]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("carries a different key"),
        "a crafted key was taken: {said}"
    );
    assert_eq!(
        ok(keychain.get(&d)),
        None,
        "the crafted key was left in the keychain"
    );
    assert!(
        snapshot_of(b.path()) == library_before,
        "the library changed"
    );
    let restored = tandem_ok(b.path(), &["join", &link, "--share", &share_arg]);
    assert!(restored.contains("is back in the keychain"), "{restored}");
    assert_eq!(ok(keychain.get(&d)), key_before);
}

/// A pair shared with one partner through a folder of its own (`share set --pair`), beside the
/// library's folder the other pairs use; joining from another folder keeps the joiner's other
/// pairs where they are.
#[test]
fn a_pair_syncs_through_a_folder_of_its_own_headless() {
    use tandem_tests::{log_session, show_json, tandem, tandem_ok};
    let dirs: Vec<tempfile::TempDir> = (0..5).map(|_| ok(tempfile::tempdir())).collect();
    let (a, b) = (dirs[0].path(), dirs[1].path());
    let canon = |p: &std::path::Path| ok(std::fs::canonicalize(p)).to_string_lossy().into_owned();
    let (library, own, alex_library) = (
        canon(dirs[2].path()),
        canon(dirs[3].path()),
        canon(dirs[4].path()),
    );
    let new_pair = |title: &str| tandem_tests::new_pair_titled(a, title);
    let (team, private) = (new_pair("Cohort pair"), new_pair("Just us"));
    tandem_ok(a, &["share", "set", &library]);
    let set = tandem_ok(a, &["share", "set", &own, "--pair", &private]);
    assert!(set.contains("its own folder"), "{set}");
    let shown = tandem_ok(a, &["share", "show"]);
    assert!(
        shown.starts_with(&library) && shown.contains(&format!("Just us: {own}")),
        "{shown}"
    );
    // An unknown pair or a missing folder is a sentence, and changes nothing.
    assert!(
        !tandem(a, &["share", "set", &own, "--pair", "nobody"])
            .status
            .success()
    );
    let missing = format!("{own}/missing");
    let out = tandem(a, &["share", "set", &missing, "--pair", &private]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing"),
        "{out:?}"
    );
    assert_eq!(tandem_ok(a, &["share", "show"]), shown);
    // A word that is neither a command nor a link is not taken for an invite.
    let out = tandem(a, &["shar"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("neither a command nor a tandem:// link"),
        "{out:?}"
    );

    let link = tandem_ok(a, &["invite", &private]).trim().to_string();
    tandem_ok(a, &["invite", &team]);
    let folders = |root: &str| ok(std::fs::read_dir(format!("{root}/tandem-v1"))).count();
    // Each pair went to its folder only.
    assert_eq!((folders(&library), folders(&own)), (1, 1));

    // Alex already syncs through a folder of his own; he joins "Just us" from the pair's folder.
    tandem_ok(b, &["share", "set", &alex_library]);
    tandem_ok(b, &["join", &link, "--share", &own]);
    let alex_shown = tandem_ok(b, &["share", "show"]);
    assert!(
        alex_shown.starts_with(&alex_library) && alex_shown.contains(&format!("Just us: {own}")),
        "{alex_shown}"
    );
    log_session(b, &private, "from Alex");
    tandem_ok(b, &["sync", "--once"]);
    tandem_ok(a, &["sync", "--once"]);
    let v = show_json(a, &private);
    assert_eq!(v["sessions"][0]["notes"], "from Alex");
    assert_eq!(
        folders(&alex_library),
        0,
        "nothing of “Just us” went to Alex's other folder"
    );

    // Back to the library's folder: the next exchange writes the pair there.
    let unset = tandem_ok(a, &["share", "unset", "--pair", &private]);
    assert!(unset.contains(&library), "{unset}");
    tandem_ok(a, &["sync", "--once"]);
    assert_eq!(folders(&library), 2);
}

/// Two real app windows (two homes) under Xvfb: an invite made in one is joined in the other, a
/// session is logged on each, and both windows show both sessions.
#[test]
fn two_windows_share_a_pair_through_a_folder() -> anyhow::Result<()> {
    crate::journal::alone(two_windows())
}

/// The notes of every session the window shows (textarea values are not element text).
pub(crate) async fn notes_shown(app: &fantoccini::Client) -> String {
    app.execute(
        "return Array.from(document.querySelectorAll('[data-testid=session-notes]')).map(e => e.value).join('\\n');",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(String::from))
    .unwrap_or_default()
}

/// The notes editor whose text starts with `start`.
async fn notes_editor(
    app: &fantoccini::Client,
    start: &str,
) -> anyhow::Result<fantoccini::elements::Element> {
    for el in app
        .find_all(fantoccini::Locator::Css("[data-testid=session-notes]"))
        .await?
    {
        if el
            .prop("value")
            .await?
            .is_some_and(|v| v.starts_with(start))
        {
            return Ok(el);
        }
    }
    anyhow::bail!("no notes start with “{start}”")
}

async fn two_windows() -> anyhow::Result<()> {
    use crate::journal::{WAIT, click, css, shot, text_with, type_into};
    use anyhow::Context;
    use tandem_tests::{Driver, eventually};
    let (a, b, share) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let folder = share.path().to_string_lossy().into_owned();
    tandem_tests::new_pair(a.path());

    // Sam's window: pick the folder, make the invite.
    let driver_a = Driver::start(a.path())?;
    let sam = driver_a.open_app().await?;
    click(&sam, "[data-testid=pair-card]").await?;
    type_into(&sam, "#share-folder", &folder).await?;
    click(&sam, "#set-share-folder").await?;
    click(&sam, "#invite-partner").await?;
    let link = css(&sam, "#invite-link")
        .await?
        .prop("value")
        .await?
        .context("the invite link is empty")?;
    assert!(link.starts_with("tandem://join/"), "{link}");
    text_with(&sam, "#invite", "Anyone holding this link can read").await?;
    shot(&sam, "#sharing", "share-01-invite").await?;

    // Alex's window: it registered tandem:// with the desktop when it started.
    let driver_b = Driver::start(b.path())?;
    let alex = driver_b.open_app().await?;
    let handler = driver_b
        .xdg_data()
        .join("applications/tandem-handler.desktop");
    // Registration runs off the start-up path (xdg-mime is slow): wait until the handler file
    // exists and mimeapps.list makes it the default, as `gio open` needs.
    let defaults = driver_b.xdg_config().join("mimeapps.list");
    let desktop = eventually(WAIT, "the window to register tandem://", || async {
        let desktop = std::fs::read_to_string(&handler).ok()?;
        let defaults = std::fs::read_to_string(&defaults).ok()?;
        defaults
            .contains("x-scheme-handler/tandem=tandem-handler.desktop")
            .then_some(desktop)
    })
    .await?;
    assert!(
        desktop.contains("MimeType=x-scheme-handler/tandem"),
        "{desktop}"
    );
    assert!(
        desktop.contains(&format!(
            "Exec=\"{}\" %u",
            std::fs::canonicalize(tandem_tests::tandem_bin())?.display()
        )),
        "{desktop}"
    );
    // Alex clicks the link Sam sent: the desktop (GIO, as GNOME and browsers do) starts
    // `tandem LINK`, which hands the link to Alex's open window and exits; the window shows the
    // join form with it.
    let opened = std::process::Command::new("gio")
        .args(["open", &link])
        .env("XDG_DATA_HOME", driver_b.xdg_data())
        .env("XDG_CONFIG_HOME", driver_b.xdg_config())
        .env("TANDEM_HOME", b.path())
        .output()
        .context("could not run gio (cargo xtask test installs libglib2.0-bin)")?;
    assert!(
        opened.status.success(),
        "gio open: {}",
        String::from_utf8_lossy(&opened.stderr)
    );
    eventually(WAIT, "the clicked link in Alex's join form", || async {
        let v = alex
            .find(fantoccini::Locator::Css("#join-invite"))
            .await
            .ok()?;
        (v.prop("value").await.ok()?? == link).then_some(())
    })
    .await?;
    // Handed over through a file, not a command line every local user can read.
    let code = link.trim_start_matches("tandem://join/");
    let showing = tandem_tests::processes_showing(code);
    assert!(showing.is_empty(), "the invite is readable in: {showing:?}");
    type_into(&alex, "#join-share", &folder).await?;
    shot(&alex, "#join-form", "share-02-join").await?;
    click(&alex, "#join").await?;
    text_with(&alex, "#pair-title", "Alex → reviewer").await?;

    // A session on each laptop; both windows come to show both.
    for (app, notes) in [
        (&sam, "Logged on Sam's laptop"),
        (&alex, "Logged on Alex's laptop"),
    ] {
        click(app, "#open-log-session").await?;
        type_into(app, "#session-minutes", "30").await?;
        type_into(app, "#session-notes", notes).await?;
        click(app, "#log-session").await?;
        eventually(WAIT, "the session to be logged", || async {
            notes_shown(app).await.contains(notes).then_some(())
        })
        .await?;
    }
    for app in [&sam, &alex] {
        eventually(WAIT * 2, "both sessions in both windows", || async {
            let text = notes_shown(app).await;
            (text.contains("Logged on Sam's laptop") && text.contains("Logged on Alex's laptop"))
                .then_some(())
        })
        .await?;
    }
    text_with(&alex, "#sync-status", "up to date").await?;
    shot(&sam, "#session-list", "share-03-sam-sees-both").await?;

    // Alex is typing in Sam's notes when Sam's addition arrives: the page redraws with it, and
    // Alex's editor keeps the focus (the caret position across the redraw is not yet reliable in
    // WebKit, so it is not asserted here; see the issue note).
    let sams = "Logged on Sam's laptop";
    let focus_end = format!(
        "const t = [...document.querySelectorAll('[data-testid=session-notes]')].find(e => e.value.startsWith(\"{sams}\")); \
         t.focus(); t.setSelectionRange(t.value.length, t.value.length); return t.value;"
    );
    alex.execute(&focus_end, vec![]).await?;
    notes_editor(&sam, sams)
        .await?
        .send_keys(" Agreed.")
        .await?;
    let state = "const t = [...document.querySelectorAll('[data-testid=session-notes]')].find(e => e.value.startsWith(\"Logged on Sam\")); \
                 return [t.value, document.activeElement === t];";
    eventually(
        WAIT * 2,
        "Sam's addition in Alex's still-focused editor",
        || async {
            let v = alex.execute(state, vec![]).await.ok()?;
            (v[0].as_str()?.ends_with(" Agreed.") && v[1] == true).then_some(())
        },
    )
    .await?;
    sam.close().await?;
    alex.close().await?;
    Ok(())
}

/// `tandem sync` killed (SIGKILL) at random points while it writes to the share, 100 times: every
/// session saved before is still in the library, reaches the share, and reaches the partner.
#[test]
fn sigkill_while_writing_to_the_share_loses_no_saved_change() {
    use std::process::{Command, Stdio};
    use std::time::Instant;
    use tandem_tests::{log_session, show_json, tandem_bin, tandem_ok};
    let _alone = tandem_tests::exclusive();
    let (a, b, share) = (
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
        ok(tempfile::tempdir()),
    );
    let share_arg = share.path().to_string_lossy().into_owned();
    let pair = tandem_ok(
        a.path(),
        &[
            "pair",
            "new",
            "--title",
            "Kills",
            "--me",
            "Sam",
            "--partner",
            "Alex",
        ],
    )
    .trim()
    .to_string();
    tandem_ok(a.path(), &["share", "set", &share_arg]);
    let link = tandem_ok(a.path(), &["invite", &pair]).trim().to_string();
    tandem_ok(b.path(), &["join", &link, "--share", &share_arg]);

    let sync = || {
        Command::new(tandem_bin())
            .arg("--home")
            .arg(a.path())
            .args(["sync", "--once"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let started = Instant::now();
    assert!(ok(sync().wait()).success());
    let run = started.elapsed();
    let mut rng = rand::rng();
    let mut saved = Vec::new();
    let mut killed = 0;
    for i in 0..100 {
        let note = format!("saved {i}");
        log_session(a.path(), &pair, &note);
        saved.push(note);
        let mut child = sync();
        std::thread::sleep(run.mul_f64(rng.random_range(0.0..1.5)));
        let _ = child.kill();
        if !ok(child.wait()).success() {
            killed += 1;
        }
    }
    assert!(killed > 10, "too few kills landed mid-run ({killed})");
    // A clean run after all the kills, then the partner reads the share.
    tandem_ok(a.path(), &["sync", "--once"]);
    tandem_ok(b.path(), &["sync", "--once"]);
    for home in [a.path(), b.path()] {
        let v = show_json(home, &pair);
        let notes: Vec<String> = v["sessions"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s["notes"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        for note in &saved {
            assert!(
                notes.contains(note),
                "{note} is missing in {}",
                home.display()
            );
        }
    }
    // Killed writers leave at most temp files, which readers skip; no file is reported unusable.
    let out = tandem_ok(b.path(), &["sync", "--once", "--json"]);
    assert!(!out.contains("\"problems\": [\n"), "{out}");
}

/// The sharing panel is told only when an exchange comes out differently from the one before (the
/// window no longer polls it): a rescan that finds nothing new wakes nobody, and the panel's time
/// stays when things became as they are.
#[test]
fn an_exchange_that_changes_nothing_tells_the_window_nothing() {
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Told(Mutex<Vec<Option<String>>>);
    impl tandem_sync::service::Reporter for Told {
        fn sharing(&self, doc: Option<&DocId>) {
            if let Ok(mut v) = self.0.lock() {
                v.push(doc.map(|d| d.id.clone()));
            }
        }
    }

    let (home, folder) = (ok(tempfile::tempdir()), ok(tempfile::tempdir()));
    let pair = tandem_tests::new_pair(home.path());
    tandem_tests::tandem_ok(
        home.path(),
        &["share", "set", &folder.path().to_string_lossy()],
    );
    // Invited: the pair has its key in the (real) keychain and goes into the folder.
    tandem_tests::tandem_ok(home.path(), &["invite", &pair]);
    let lib = Arc::new(Mutex::new(ok(Library::open(home.path(), Mode::ReadWrite))));
    let rt = ok(tokio::runtime::Runtime::new());
    let told = Arc::new(Told::default());
    let service = tandem_sync::service::Service::new(
        lib.clone(),
        tandem_sync::service::Options::default(),
        told.clone(),
        rt.handle().clone(),
    );
    let exchange = || {
        let results = ok(service.exchange_all());
        assert!(
            results.len() == 1 && results.iter().all(|(_, r)| r.is_ok()),
            "the exchange failed: {results:?}"
        );
        std::mem::take(&mut *ok(told.0.lock()))
    };
    let me = [Some(pair.clone())];
    // (The invite already put the pair in the folder: the first exchange finds it there.)
    assert_eq!(exchange(), me.clone(), "the first exchange is news");
    let since = ok(service.sharing_view(&pair)).last_exchange;
    assert!(since.is_some());
    for _ in 0..3 {
        assert_eq!(
            exchange(),
            [],
            "an exchange like the one before is not told"
        );
    }
    assert_eq!(
        ok(service.sharing_view(&pair)).last_exchange,
        since,
        "and keeps the time things became as they are"
    );
    // A session logged here goes out: told, and once more when all is quiet again.
    ok(ok(lib.lock()).apply::<Pair>(
        &pair,
        &Edit::Session(tandem_core::pair::SessionEdit::Log(NewSession {
            date: "2026-11-30".into(),
            minutes: "30".into(),
            ..NewSession::default()
        })),
        Utc::now(),
    ));
    assert_eq!(exchange(), me.clone());
    assert_eq!(exchange(), me);
    assert_eq!(exchange(), []);
}
