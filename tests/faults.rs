//! The fault matrix: every way a hostile shared folder, a full disk, a poisoned document, a lost
//! key or a hostile peer was found to break Tandem's promise, one row each, run against the real
//! `tandem` binary (and, for the window's saving path, the real sync service in-process).
//!
//! Every row starts from two laptops (two homes: Sam's and Alex's) sharing a pair through a
//! folder, each with a session the other has. Alex then logs a genuine session and writes it to
//! the folder; the fault is planted; Sam syncs, under a deadline and an address-space cap. Each
//! row then asserts:
//!
//! 1. what the row expects (the file refused and the reason shown, the pair opened read-only…);
//! 2. that the app keeps working: Alex's genuine session reached Sam, and an edit Sam makes
//!    afterwards saves and reaches Alex, each sync within the deadline;
//! 3. that nothing acknowledged is lost: every session a command reported as saved is still
//!    there, on both laptops.
//!
//! The matrix prints a table (fault, outcome, seconds) and fails if any row did not survive.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tandem_sync::invite::Invite;
use tandem_sync::seal::{self, DocKey};
use tandem_sync::{DocId, pair_folder};
use tandem_tests::{new_pair, tandem_bin, tandem_ok};

/// How long one sync may take before the row fails (the hangs this matrix guards against were
/// forever).
const DEADLINE: Duration = Duration::from_secs(60);
/// The address space a sync may use: the app maps ~0.6 GB of libraries; a symlink to /dev/zero
/// once took 8.4 GB.
const ADDRESS_SPACE: u64 = 2 << 30;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `tandem --home home args…` under the deadline and the address-space cap; killed (and the row
/// failed) past the deadline.
fn bounded(home: &Path, args: &[&str]) -> Output {
    bounded_as(&[], home, args)
}

/// [`bounded`], run through `wrap` (e.g. `setpriv` with fewer capabilities).
fn bounded_as(wrap: &[&str], home: &Path, args: &[&str]) -> Output {
    let mut child = Command::new("prlimit")
        .arg(format!("--as={ADDRESS_SPACE}"))
        .args(wrap)
        .arg(tandem_bin())
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("TANDEM_MDNS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not run prlimit tandem: {e}"));
    // Drained as it runs: a full pipe would block the child (thousands of "skipped" lines).
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = ok(child.try_wait()) {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            let err = stderr.join().unwrap_or_default();
            panic!(
                "tandem {args:?} hung: killed after {DEADLINE:?}\n{}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Two laptops sharing a pair through a folder, and every session either was told is saved.
struct Laptops {
    sam: tempfile::TempDir,
    alex: tempfile::TempDir,
    share: PathBuf,
    _share_dir: Option<tempfile::TempDir>,
    pair: String,
    link: String,
    key: DocKey,
    /// Every session a command acknowledged as saved, and on whose laptop.
    acknowledged: Vec<(Who, String)>,
}

impl Laptops {
    /// Sam's pair, shared through `share` (a fresh folder when `None`), joined by Alex; each has
    /// logged a session the other has.
    fn new(share: Option<&Path>) -> Laptops {
        Laptops::with_sam(ok(tempfile::tempdir()), share)
    }

    /// [`Laptops::new`] with Sam's home in `sam`.
    fn with_sam(sam: tempfile::TempDir, share: Option<&Path>) -> Laptops {
        let (share_dir, share) = match share {
            Some(s) => (None, s.to_path_buf()),
            None => {
                let d = ok(tempfile::tempdir());
                let p = d.path().to_path_buf();
                (Some(d), p)
            }
        };
        let alex = ok(tempfile::tempdir());
        let pair = new_pair(sam.path());
        let share_arg = share.to_string_lossy().into_owned();
        tandem_ok(sam.path(), &["share", "set", &share_arg]);
        let link = tandem_ok(sam.path(), &["invite", &pair]).trim().to_string();
        let key = ok(Invite::parse(&link)).key;
        tandem_ok(alex.path(), &["join", &link, "--share", &share_arg]);
        let mut l = Laptops {
            sam,
            alex,
            share,
            _share_dir: share_dir,
            pair,
            link,
            key,
            acknowledged: Vec::new(),
        };
        l.log(Who::Sam, "sam before the fault");
        l.log(Who::Alex, "alex before the fault");
        l.sync(Who::Alex);
        l.sync(Who::Sam);
        l.sync(Who::Alex);
        l.log(Who::Alex, "alex genuine, written just before the fault");
        l.sync(Who::Alex);
        l
    }

    fn home(&self, who: Who) -> &Path {
        match who {
            Who::Sam => self.sam.path(),
            Who::Alex => self.alex.path(),
        }
    }

    /// Logs a session; it must save.
    fn log(&mut self, who: Who, notes: &str) {
        let out = bounded(
            self.home(who),
            &[
                "session",
                "add",
                &self.pair,
                "--minutes",
                "30",
                "--notes",
                notes,
            ],
        );
        assert!(out.status.success(), "logging failed: {}", text(&out));
        self.acknowledged.push((who, notes.to_string()));
    }

    /// Syncs once with the folder; it must finish, and succeed.
    fn sync(&self, who: Who) -> String {
        let out = bounded(self.home(who), &["sync", "--once"]);
        assert!(out.status.success(), "sync failed: {}", text(&out));
        text(&out)
    }

    /// The notes of every session on `who`'s laptop.
    fn notes(&self, who: Who) -> Vec<String> {
        let out = bounded(self.home(who), &["show", &self.pair, "--json"]);
        assert!(out.status.success(), "show failed: {}", text(&out));
        let v: serde_json::Value = ok(serde_json::from_slice(&out.stdout));
        v["sessions"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s["notes"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The pair's folder in the share.
    fn folder(&self) -> PathBuf {
        pair_folder(&self.share, &self.pair, &self.key)
    }

    /// `who`'s device folder in the share.
    fn device_folder(&self, who: Who) -> PathBuf {
        let device: serde_json::Value = ok(serde_json::from_slice(&ok(fs::read(
            self.home(who).join("device.json"),
        ))));
        tandem_sync::device_folder(
            &self.folder(),
            device["id"].as_str().unwrap_or_default(),
            &self.key,
        )
    }

    /// A folder for a device the pair does not know (a hostile folder's, or a member's other
    /// laptop).
    fn stranger_folder(&self) -> PathBuf {
        let dir = self.folder().join("01HOSTILE0000000000000000X");
        ok(fs::create_dir_all(&dir));
        dir
    }

    /// Writes `payload` sealed with the pair's key (a member's doing) as a new share file.
    fn plant_sealed(&self, kind: seal::Kind, payload: &[u8]) -> PathBuf {
        let ext = if kind == seal::Kind::Snapshot {
            "tsn"
        } else {
            "tch"
        };
        let name = format!("{:016x}-{:08x}.{ext}", 1, rand::random::<u32>());
        let path = self.stranger_folder().join(&name);
        ok(fs::write(
            &path,
            seal::seal(&self.key, &self.pair, kind, &name, payload),
        ));
        path
    }

    /// Alex's whole document as Alex's library has it.
    fn alex_document(&self) -> automerge::AutoCommit {
        let mut lib = ok(tandem_sync::Library::open(
            self.alex.path(),
            tandem_sync::Mode::ReadOnly,
        ));
        let bytes = ok(lib.save(&DocId::pair(self.pair.clone())));
        ok(automerge::AutoCommit::load(&bytes))
    }

    /// The row's common ending: Alex's genuine session reached Sam, Sam can still edit and sync,
    /// the edit reaches Alex, and every acknowledged session is on both laptops.
    fn keeps_working(&mut self, row: &str) {
        let at_sam = self.notes(Who::Sam);
        assert!(
            at_sam
                .iter()
                .any(|n| n == "alex genuine, written just before the fault"),
            "Alex's genuine session did not reach Sam: {at_sam:?}"
        );
        let after = format!("sam after: {row}");
        self.log(Who::Sam, &after);
        self.sync(Who::Sam);
        self.sync(Who::Alex);
        self.sync(Who::Sam);
        self.nothing_lost(true);
    }

    /// Every session acknowledged on a laptop is still on it; with `everywhere`, every
    /// acknowledged session is on both (once they have synced).
    fn nothing_lost(&self, everywhere: bool) {
        for who in [Who::Sam, Who::Alex] {
            let have = self.notes(who);
            for (on, n) in &self.acknowledged {
                if everywhere || on.same(who) {
                    assert!(have.contains(n), "{who:?} lost “{n}”: has {have:?}");
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Sam,
    Alex,
}

impl Who {
    fn same(self, other: Who) -> bool {
        self == other
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A tmpfs of `size` at a fresh folder (unmounted when dropped). Needs root with the right to
/// mount, as CI and this project's machines have; where mounting is refused, the full-disk rows
/// say "NOT TRIED" in the table and the count, never "survived".
struct SmallDisk {
    dir: tempfile::TempDir,
}

/// `SmallDisk::mount`, or the row's "NOT TRIED" outcome when a tmpfs cannot be mounted here.
macro_rules! small_disk {
    ($size:expr) => {
        match SmallDisk::mount($size) {
            Ok(disk) => disk,
            Err(why) => return format!("NOT TRIED: {why}"),
        }
    };
}

impl SmallDisk {
    fn mount(size: &str) -> Result<SmallDisk, String> {
        let dir = ok(tempfile::tempdir());
        let out = ok(Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tandem-full",
            ])
            .arg(dir.path())
            .output());
        if !out.status.success() {
            return Err(format!(
                "could not mount a small tmpfs to fill ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk: one file takes every free byte.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut f = ok(fs::File::create(&filler));
        let block = vec![0xabu8; 64 << 10];
        use std::io::Write as _;
        while f.write_all(&block).is_ok() {}
        // Smaller pieces, to the last byte.
        while f.write_all(&[0]).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Files whose name holds `.tmp-` anywhere under `dir`: a failed write must not leave any.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if e.file_name().to_string_lossy().contains(".tmp-") {
                out.push(p);
            }
        }
    }
    out
}

// ---- Automerge chunks, for the decompression bomb (the storage format, from its description).

fn uleb(n: u64, out: &mut Vec<u8>) {
    ok(leb128::write::unsigned(out, n));
}

/// A compressed change chunk whose data inflates to `n` zero bytes (a few hundred kilobytes).
fn bomb(n: u64) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let piece = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(piece.len() as u64) as usize;
        ok(e.write_all(&piece[..k]));
        left -= k as u64;
    }
    let data = ok(e.finish());
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    uleb(data.len() as u64, &mut out);
    out.extend_from_slice(&data);
    out
}

// ---- The rows.

type Row = (&'static str, fn(&str) -> String);

fn rows() -> Vec<Row> {
    vec![
        ("a FIFO named 2-fifo.tch", fifo),
        ("a symlink 900-zero.tch → /dev/zero", symlink_to_zero),
        ("a 3 GB sparse file 3-sparse.tch", sparse_file),
        (
            "3,000 junk files with odd names, a folder named .tch, a link loop, replayed files",
            junk,
        ),
        (
            "4,600 junk files crowding a device folder past the file cap",
            flood_past_cap,
        ),
        ("a device folder that is a link to /", device_folder_link),
        ("a device folder that cannot be listed", unlistable_folder),
        (
            "forged files: another pair's key, cut short, garbage",
            forged,
        ),
        ("a decompression bomb in a sealed share file", bomb_file),
        (
            "a member's change making a field the wrong type",
            wrong_type,
        ),
        ("a member's change to a newer schema version", newer_schema),
        (
            "a full disk under the library (CLI edits)",
            full_disk_library,
        ),
        (
            "a full disk under the library while the window types",
            full_disk_window,
        ),
        ("a full disk under the shared folder", full_disk_share),
        (
            "a torn record at the end of the change log (a crash mid-write)",
            torn_log,
        ),
        ("a damaged settings.json", damaged_settings),
        (
            "the key lost from the keychain (a restart with the kernel keyring)",
            lost_key,
        ),
        (
            "another key under the pair's name in the keychain",
            wrong_key,
        ),
        (
            "a library restored from a backup, then edited",
            restored_backup,
        ),
        (
            "a flood of 100 silent connections from one host",
            peer_flood,
        ),
        ("a peer announcing a message over 32 MiB", peer_oversized),
        ("a decompression bomb in a peer's sync message", peer_bomb),
        (
            "a listener out of file descriptors",
            peer_out_of_descriptors,
        ),
    ]
}

fn fifo(row: &str) -> String {
    let mut l = Laptops::new(None);
    let fifo = l.device_folder(Who::Alex).join("2-fifo.tch");
    assert!(ok(Command::new("mkfifo").arg(&fifo).status()).success());
    let out = l.sync(Who::Sam);
    assert!(out.contains("not a regular file"), "{out}");
    l.keeps_working(row);
    "skipped and reported: “it is not a regular file”".into()
}

fn symlink_to_zero(row: &str) -> String {
    let mut l = Laptops::new(None);
    ok(std::os::unix::fs::symlink(
        "/dev/zero",
        l.device_folder(Who::Alex).join("900-zero.tch"),
    ));
    let out = l.sync(Who::Sam);
    assert!(out.contains("never follows"), "{out}");
    l.keeps_working(row);
    "skipped and reported: a link is never followed".into()
}

fn sparse_file(row: &str) -> String {
    let mut l = Laptops::new(None);
    let f = ok(fs::File::create(
        l.device_folder(Who::Alex).join("3-sparse.tch"),
    ));
    ok(f.set_len(3 << 30));
    let out = l.sync(Who::Sam);
    assert!(out.contains("larger than any Tandem file"), "{out}");
    l.keeps_working(row);
    "skipped unread (its size alone), reported".into()
}

fn junk(row: &str) -> String {
    let mut l = Laptops::new(None);
    let stranger = l.stranger_folder();
    let odd = ["é", " ", "(1)", "~", "#", "ünïcödé", "..", "-"];
    for i in 0..3000 {
        let name = format!("{}{i}{}.tch", odd[i % odd.len()], "x".repeat(i % 200));
        let bytes: Vec<u8> = (0..(i % 700)).map(|_| rand::random::<u8>()).collect();
        ok(fs::write(stranger.join(name), bytes));
    }
    let alex = l.device_folder(Who::Alex);
    ok(fs::create_dir_all(alex.join("folder.tch")));
    ok(std::os::unix::fs::symlink(
        "loop.tch",
        alex.join("loop.tch"),
    ));
    // Alex's genuine files, replayed under other names.
    for e in ok(fs::read_dir(&alex)).flatten() {
        if e.file_type().is_ok_and(|t| t.is_file()) {
            let name = e.file_name().to_string_lossy().into_owned();
            ok(fs::copy(e.path(), stranger.join(format!("replay-{name}"))));
        }
    }
    let out = l.sync(Who::Sam);
    let skipped = out.matches("skipped").count();
    // Every junk file but the hidden ones (a leading dot: a copy tool's temp files, not read),
    // the folder and the loop.
    let hidden = (0..3000)
        .filter(|i| odd[i % odd.len()].starts_with('.'))
        .count();
    assert_eq!(skipped, 3000 - hidden + 2, "{out}");
    // Reported again on a second sync in a new process (nothing is remembered between
    // processes), and still finishes.
    l.sync(Who::Sam);
    l.keeps_working(row);
    format!("{skipped} files skipped and reported; replays applied as no-ops")
}

fn flood_past_cap(row: &str) -> String {
    let mut l = Laptops::new(None);
    let alex = l.device_folder(Who::Alex);
    // Names that sort before Tandem's own, in Alex's own folder.
    for i in 0..(tandem_sync::MAX_FILES + 500) {
        ok(fs::write(alex.join(format!("0-{i:05}.tch")), b"junk"));
    }
    let out = l.sync(Who::Sam);
    assert!(
        out.contains(&format!("only {} were read", tandem_sync::MAX_FILES)),
        "{out}"
    );
    l.keeps_working(row);
    format!(
        "at most {} files read; Tandem-named files first, so the genuine one arrived",
        tandem_sync::MAX_FILES
    )
}

fn device_folder_link(row: &str) -> String {
    let mut l = Laptops::new(None);
    ok(std::os::unix::fs::symlink(
        "/",
        l.folder().join("01ROOTLINK000000000000000X"),
    ));
    let out = l.sync(Who::Sam);
    assert!(out.contains("never follows"), "{out}");
    l.keeps_working(row);
    "skipped and reported".into()
}

fn unlistable_folder(row: &str) -> String {
    let mut l = Laptops::new(None);
    let locked = l.stranger_folder();
    ok(fs::write(
        locked.join("0000000000000001-00000000.tch"),
        b"x",
    ));
    use std::os::unix::fs::PermissionsExt as _;
    ok(fs::set_permissions(
        &locked,
        fs::Permissions::from_mode(0o000),
    ));
    // Root reads every folder whatever its mode: as root, Sam's sync runs without the
    // capabilities that allow that (it still owns its home).
    let wrap: &[&str] = if is_root() {
        &["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    } else {
        &[]
    };
    let out = bounded_as(wrap, l.sam.path(), &["sync", "--once"]);
    ok(fs::set_permissions(
        &locked,
        fs::Permissions::from_mode(0o755),
    ));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("could not be listed"), "{}", text(&out));
    l.keeps_working(row);
    "skipped and reported; the other folders read".into()
}

fn forged(row: &str) -> String {
    let mut l = Laptops::new(None);
    let stranger = l.stranger_folder();
    let name = "0000000000000009-00000009.tch";
    ok(fs::write(
        stranger.join(name),
        seal::seal(
            &DocKey([7; 32]),
            &l.pair,
            seal::Kind::Changes,
            name,
            b"changes",
        ),
    ));
    let genuine = ok(fs::read_dir(l.device_folder(Who::Alex)))
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_file())
        .unwrap_or_default();
    let bytes = ok(fs::read(&genuine));
    // Cut short inside its header, as a copy tool shows a file it has only begun to receive.
    ok(fs::write(
        stranger.join("0000000000000010-00000010.tch"),
        &bytes[..3],
    ));
    // Cut short after it: the seal no longer opens.
    ok(fs::write(
        stranger.join("0000000000000012-00000012.tch"),
        &bytes[..bytes.len() / 2],
    ));
    ok(fs::write(
        stranger.join("0000000000000011-00000011.tsn"),
        b"PK\x03\x04 not ours",
    ));
    let out = l.sync(Who::Sam);
    for why in [
        "does not open with this pair's key",
        "incomplete",
        "not a Tandem file",
    ] {
        assert!(out.contains(why), "{why}: {out}");
    }
    l.keeps_working(row);
    "each skipped with its reason".into()
}

fn bomb_file(row: &str) -> String {
    let mut l = Laptops::new(None);
    let payload = bomb(1 << 30);
    l.plant_sealed(seal::Kind::Changes, &payload);
    let out = l.sync(Who::Sam);
    assert!(out.contains("would expand to more than"), "{out}");
    l.keeps_working(row);
    format!(
        "a {} KB file that inflates to 1 GiB refused before Automerge saw it",
        payload.len() >> 10
    )
}

fn wrong_type(row: &str) -> String {
    use automerge::transaction::Transactable as _;
    let mut l = Laptops::new(None);
    let mut doc = l.alex_document();
    let before = doc.get_heads();
    doc.set_actor(automerge::ActorId::random());
    ok(doc.put(automerge::ROOT, "sessions", "not a map of sessions"));
    doc.commit();
    let change = doc.save_after(&before);
    l.plant_sealed(seal::Kind::Changes, &change);
    let out = l.sync(Who::Sam);
    assert!(out.contains("would make the pair unreadable here"), "{out}");
    // A new laptop joining through the same folder leaves it out too.
    let third = ok(tempfile::tempdir());
    let joined = bounded(
        third.path(),
        &["join", &l.link, "--share", &l.share.to_string_lossy()],
    );
    assert!(joined.status.success(), "{}", text(&joined));
    assert!(
        text(&joined).contains("would make the pair unreadable here"),
        "{}",
        text(&joined)
    );
    let v = tandem_tests::show_json(third.path(), &l.pair);
    assert!(
        v["sessions"].as_array().is_some_and(|s| s.len() == 3),
        "{v}"
    );
    l.keeps_working(row);
    "refused (checked before it is kept), by the laptops that have the pair and by one joining"
        .into()
}

fn newer_schema(_row: &str) -> String {
    use automerge::transaction::Transactable as _;
    let l = Laptops::new(None);
    let mut doc = l.alex_document();
    let before = doc.get_heads();
    doc.set_actor(automerge::ActorId::random());
    ok(doc.put(automerge::ROOT, "schema_version", 99_i64));
    doc.commit();
    l.plant_sealed(seal::Kind::Changes, &doc.save_after(&before));
    l.sync(Who::Sam);
    let shown = bounded(l.sam.path(), &["show", &l.pair]);
    assert!(shown.status.success(), "{}", text(&shown));
    assert!(
        text(&shown).contains("Read-only: A newer Tandem changed this pair"),
        "{}",
        text(&shown)
    );
    let at_sam = l.notes(Who::Sam);
    assert!(
        at_sam
            .iter()
            .any(|n| n == "alex genuine, written just before the fault")
    );
    // Edits wait for an update, with a sentence; nothing is lost, and syncing goes on.
    let edit = bounded(
        l.sam.path(),
        &[
            "session",
            "add",
            &l.pair,
            "--minutes",
            "30",
            "--notes",
            "refused",
        ],
    );
    assert!(!edit.status.success());
    assert!(text(&edit).contains("newer Tandem"), "{}", text(&edit));
    l.sync(Who::Sam);
    l.sync(Who::Alex);
    l.nothing_lost(false);
    "opened read-only with a sentence; edits refused until an update; syncing goes on".into()
}

fn full_disk_library(row: &str) -> String {
    let disk = small_disk!("24m");
    let mut l = Laptops::with_sam(ok(tempfile::tempdir_in(disk.path())), None);
    let filler = disk.fill();
    let mut refused = 0;
    // Long notes: a short record may still fit in the last page of the log.
    let long = "notes long enough to need a page of their own on the disk. ".repeat(100);
    for i in 0..5 {
        let notes = format!("disk full {i}: {long}");
        let out = bounded(
            l.sam.path(),
            &[
                "session",
                "add",
                &l.pair,
                "--minutes",
                "30",
                "--notes",
                &notes,
            ],
        );
        if out.status.success() {
            l.acknowledged.push((Who::Sam, notes));
        } else {
            refused += 1;
            assert!(text(&out).contains("No space left"), "{}", text(&out));
        }
    }
    assert!(refused > 0, "the disk was not full");
    // Reading still works, and shows everything saved.
    l.nothing_lost(false);
    assert!(
        temp_files(l.sam.path()).is_empty(),
        "{:?}",
        temp_files(l.sam.path())
    );
    ok(fs::remove_file(filler));
    l.sync(Who::Sam);
    l.keeps_working(row);
    format!("{refused} of 5 edits refused with a sentence, none half-written; the rest kept")
}

fn full_disk_window(_row: &str) -> String {
    use std::sync::{Arc, Mutex};
    use tandem_core::pair::input::{NewSession, TextSplice};
    use tandem_core::pair::{Edit, Pair, SessionEdit};

    #[derive(Default)]
    struct Saving(Mutex<Vec<Option<String>>>);
    impl tandem_sync::service::Reporter for Saving {
        fn saving(&self, problem: Option<&str>) {
            if let Ok(mut v) = self.0.lock() {
                v.push(problem.map(str::to_string));
            }
        }
    }

    let disk = small_disk!("16m");
    let home = disk.path().join("home");
    let pair = new_pair(&home);
    let lib = Arc::new(Mutex::new(ok(tandem_sync::Library::open(
        &home,
        tandem_sync::Mode::ReadWrite,
    ))));
    let rt = ok(tokio::runtime::Runtime::new());
    let saving = Arc::new(Saving::default());
    let service = tandem_sync::service::Service::new(
        lib.clone(),
        tandem_sync::service::Options::default(),
        saving.clone(),
        rt.handle().clone(),
    );
    let apply = |edit: Edit| {
        let mut l = ok(lib.lock());
        l.apply::<Pair>(&pair, &edit, chrono::Utc::now())
            .map(|(a, _)| a)
    };
    let created = ok(apply(Edit::Session(SessionEdit::Log(NewSession {
        date: "2026-11-30".into(),
        minutes: "30".into(),
        ..NewSession::default()
    }))))
    .created
    .unwrap_or_default();
    let filler = disk.fill();
    // Typing while the disk is full: each keystroke is taken in memory (the window shows it at
    // once); the batch fails to save, stays in memory, and the service says so.
    // (Enough of it to need new pages on the disk: the last page of a file may have room.)
    let line = "typed while the disk was full, a line of notes long enough to fill a page. ";
    let typed = line.repeat(256);
    for (i, piece) in typed.as_bytes().chunks(line.len()).enumerate() {
        ok(ok(lib.lock()).splice_text(
            &pair,
            &TextSplice {
                session_id: created.clone(),
                field: "notes".into(),
                pos: i * line.len(),
                delete: 0,
                insert: String::from_utf8_lossy(piece).into_owned(),
            },
            chrono::Utc::now(),
        ));
    }
    std::thread::sleep(Duration::from_millis(1100));
    service.flush();
    let told = ok(saving.0.lock()).clone();
    assert!(
        matches!(told.as_slice(), [Some(why)] if why.contains("No space left")),
        "{told:?}"
    );
    assert!(ok(lib.lock()).unsaved());
    // Room again: the next flush writes it all, and says so.
    ok(fs::remove_file(filler));
    service.flush();
    let told = ok(saving.0.lock()).clone();
    assert!(matches!(told.as_slice(), [Some(_), None]), "{told:?}");
    assert!(!ok(lib.lock()).unsaved());
    drop(service);
    drop(lib);
    // On disk: a new process reads it back.
    let v = tandem_tests::show_json(&home, &pair);
    let notes = v["sessions"][0]["notes"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        notes == typed,
        "the typing was not all saved ({} of {} bytes)",
        notes.len(),
        typed.len()
    );
    assert!(temp_files(&home).is_empty(), "{:?}", temp_files(&home));
    "typing kept in memory, the banner event sent, everything written once there was room".into()
}

fn full_disk_share(row: &str) -> String {
    let disk = small_disk!("8m");
    let share = disk.path().join("share");
    ok(fs::create_dir_all(&share));
    let mut l = Laptops::new(Some(&share));
    let filler = disk.fill();
    l.log(Who::Sam, "written while the share was full");
    let out = bounded(l.sam.path(), &["sync", "--once"]);
    assert!(
        !out.status.success(),
        "a full share went unnoticed: {}",
        text(&out)
    );
    assert!(text(&out).contains("could not sync"), "{}", text(&out));
    assert!(temp_files(&share).is_empty(), "{:?}", temp_files(&share));
    l.nothing_lost(false);
    ok(fs::remove_file(filler));
    l.keeps_working(row);
    let at_alex = l.notes(Who::Alex);
    assert!(
        at_alex
            .iter()
            .any(|n| n == "written while the share was full")
    );
    "the sync failed with a sentence and wrote nothing half; the next one delivered it".into()
}

fn torn_log(row: &str) -> String {
    let mut l = Laptops::new(None);
    l.sync(Who::Sam);
    let log = l.sam.path().join("pairs").join(&l.pair).join("changes.log");
    let before = fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    // Half a record: its header promises 1000 bytes, three follow.
    {
        use std::io::Write as _;
        let mut f = ok(fs::OpenOptions::new().append(true).create(true).open(&log));
        let mut torn = b"TNDC".to_vec();
        torn.extend_from_slice(&1000u32.to_le_bytes());
        torn.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef, 1, 2, 3]);
        ok(f.write_all(&torn));
    }
    l.nothing_lost(false);
    l.keeps_working(row);
    let after = fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    format!("the torn tail ignored and cut off; log {before} → {after} B, every session kept")
}

fn damaged_settings(row: &str) -> String {
    let mut l = Laptops::new(None);
    let settings = l.sam.path().join("settings.json");
    let good = ok(fs::read(&settings));
    ok(fs::write(&settings, b"{\"share\": \"/half-writ"));
    let out = bounded(l.sam.path(), &["sync", "--once"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("is damaged"), "{}", text(&out));
    let set = bounded(l.sam.path(), &["share", "set", &l.share.to_string_lossy()]);
    assert!(!set.status.success(), "{}", text(&set));
    assert_eq!(
        ok(fs::read(&settings)),
        b"{\"share\": \"/half-writ",
        "overwritten"
    );
    ok(fs::write(&settings, good));
    l.sync(Who::Sam);
    l.keeps_working(row);
    "reported, never overwritten with empty settings".into()
}

fn lost_key(row: &str) -> String {
    let mut l = Laptops::new(None);
    let keychain = ok(tandem_sync::keys::Keychain::open());
    let d = DocId::pair(l.pair.clone());
    ok(keychain.delete(&d));
    let out = bounded(l.sam.path(), &["sync", "--once"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("missing from the keychain"),
        "{}",
        text(&out)
    );
    let invite = bounded(l.sam.path(), &["invite", &l.pair]);
    assert!(
        !invite.status.success(),
        "a new key was minted: {}",
        text(&invite)
    );
    assert!(matches!(keychain.get(&d), Ok(None)), "a new key was made");
    // The partner's invite brings it back.
    let back = bounded(l.sam.path(), &["join", &l.link.clone()]);
    assert!(back.status.success(), "{}", text(&back));
    assert!(text(&back).contains("is back"), "{}", text(&back));
    l.sync(Who::Sam);
    l.keeps_working(row);
    "reported as lost, never replaced; the invite restored it".into()
}

fn wrong_key(row: &str) -> String {
    let mut l = Laptops::new(None);
    let keychain = ok(tandem_sync::keys::Keychain::open());
    let d = DocId::pair(l.pair.clone());
    ok(keychain.set(&d, &DocKey([5; 32])));
    let out = bounded(l.sam.path(), &["sync", "--once"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("holds a different key"),
        "{}",
        text(&out)
    );
    ok(keychain.set(&d, &l.key));
    l.sync(Who::Sam);
    l.keeps_working(row);
    "refused with a sentence, nothing written under it".into()
}

fn restored_backup(row: &str) -> String {
    let mut l = Laptops::new(None);
    let backup = ok(tempfile::tempdir());
    let copy = |from: &Path, to: &Path| {
        assert!(
            ok(Command::new("cp")
                .arg("-a")
                .arg(format!("{}/.", from.display()))
                .arg(to)
                .status())
            .success()
        );
    };
    copy(l.sam.path(), backup.path());
    l.log(Who::Sam, "after the backup, before the restore");
    l.sync(Who::Sam);
    l.sync(Who::Alex);
    // The laptop is restored from the backup: its last session is gone from it, not from Alex's.
    ok(fs::remove_dir_all(l.sam.path()));
    ok(fs::create_dir_all(l.sam.path()));
    copy(backup.path(), l.sam.path());
    l.log(Who::Sam, "after the restore");
    l.sync(Who::Sam);
    l.sync(Who::Alex);
    l.sync(Who::Sam);
    l.keeps_working(row);
    "a new actor per run: no reused change numbers, both laptops converge".into()
}

/// `tandem sync --listen` on Sam's laptop, under `limits` (prlimit options).
struct Listening {
    child: Child,
    addr: std::net::SocketAddr,
}

impl Listening {
    fn start(home: &Path, limits: &[&str]) -> Listening {
        let mut child = Command::new("prlimit")
            .args(limits)
            .arg(tandem_bin())
            .arg("--home")
            .arg(home)
            .args(["sync", "--listen", "127.0.0.1:0"])
            .env_remove("DISPLAY")
            .env("TANDEM_MDNS", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut reader = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
        let mut line = String::new();
        ok(reader.read_line(&mut line));
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let addr = line
            .strip_prefix("Listening on ")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        Listening { child, addr }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Alex syncs with Sam's listener directly, and Sam's library (held by the listener) shows
/// Alex's new session.
fn alex_gets_through(l: &mut Laptops, sam: &Listening, notes: &str) {
    l.log(Who::Alex, notes);
    let out = bounded(
        l.alex.path(),
        &["sync", "--peer", &sam.addr.to_string(), "--once"],
    );
    assert!(
        out.status.success(),
        "Alex could not sync with Sam: {}",
        text(&out)
    );
    let start = Instant::now();
    while !l.notes(Who::Sam).iter().any(|n| n == notes) {
        assert!(start.elapsed() < DEADLINE, "never reached Sam");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts Sam's listener (under `limits`), runs `attack` on it (what it returns stays alive, e.g.
/// connections held open, until Alex has synced through), then checks the partner gets through
/// and everything keeps working.
fn peer_row<T>(
    row: &str,
    limits: &[&str],
    attack: impl FnOnce(&Laptops, std::net::SocketAddr) -> T,
) -> T {
    let mut l = Laptops::new(None);
    let sam = Listening::start(l.sam.path(), limits);
    let held = attack(&l, sam.addr);
    alex_gets_through(&mut l, &sam, &format!("alex through: {row}"));
    drop(sam);
    l.keeps_working(row);
    held
}

/// A TCP connection to `addr` from `ip` (another host on the loopback network).
fn connect_from(ip: &str, addr: std::net::SocketAddr) -> std::io::Result<std::net::TcpStream> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let ip: std::net::IpAddr = ip.parse().map_err(std::io::Error::other)?;
    rt.block_on(async move {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(std::net::SocketAddr::new(ip, 0))?;
        let stream = tokio::time::timeout(Duration::from_secs(2), socket.connect(addr))
            .await
            .map_err(|_| std::io::Error::other("timed out"))??;
        stream.into_std()
    })
}

fn peer_flood(row: &str) -> String {
    let held = peer_row(row, &[], |_, addr| {
        (0..100)
            .filter_map(|_| connect_from("127.0.0.2", addr).ok())
            .collect::<Vec<_>>()
    });
    assert_eq!(held.len(), 100);
    format!(
        "{} silent connections held open from one host; the partner got through",
        held.len()
    )
}

/// Opens an authenticated channel to Sam's listener (the attacker holds the pair's key: a
/// member's laptop gone bad) and runs `f` on it.
fn as_member<F>(l: &Laptops, addr: std::net::SocketAddr, f: F)
where
    F: AsyncFnOnce(&mut tandem_sync::p2p::Channel<tokio::net::TcpStream>),
{
    let rt = ok(tokio::runtime::Runtime::new());
    let d = DocId::pair(l.pair.clone());
    let key = l.key.clone();
    rt.block_on(async move {
        let stream = ok(tokio::net::TcpStream::connect(addr).await);
        let mut ch = ok(tandem_sync::p2p::Channel::connect(stream, &d, &key, "BADMEMBER").await);
        f(&mut ch).await;
    });
}

/// Whether Sam ends the session within three reads (his idle rounds keep coming otherwise).
async fn hung_up(ch: &mut tandem_sync::p2p::Channel<tokio::net::TcpStream>) -> bool {
    for _ in 0..3 {
        if ch.recv(Duration::from_secs(10)).await.is_err() {
            return true;
        }
    }
    false
}

fn peer_oversized(row: &str) -> String {
    peer_row(row, &[], |l, addr| {
        as_member(l, addr, async |ch| {
            let _ = ch
                .send_announcing(
                    tandem_sync::p2p::wire::Kind::Sync,
                    tandem_sync::p2p::wire::MAX_MESSAGE + 1,
                )
                .await;
            assert!(hung_up(ch).await, "an oversized message was accepted");
        });
    });
    "the session cut off; the listener and the partner unaffected".into()
}

fn peer_bomb(row: &str) -> String {
    peer_row(row, &[], |l, addr| {
        as_member(l, addr, async |ch| {
            let b = bomb(1 << 30);
            // A sync message: type 0x42, no heads, no needs, no haves, one change.
            let mut msg = vec![0x42, 0, 0, 0, 1];
            uleb(b.len() as u64, &mut msg);
            msg.extend_from_slice(&b);
            let _ = ch.send(tandem_sync::p2p::wire::Kind::Sync, &msg).await;
            assert!(hung_up(ch).await, "a bomb was taken in");
        });
    });
    "refused before decoding; the session cut off, the listener unaffected".into()
}

fn peer_out_of_descriptors(row: &str) -> String {
    let held = peer_row(row, &["--nofile=64"], |_, addr| {
        // More connections than the listener has descriptors: its accepts fail with EMFILE.
        let held: Vec<_> = (0..80)
            .filter_map(|_| {
                std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()
            })
            .collect();
        // Past the handshake deadline of the ones it did accept, then let them all go.
        std::thread::sleep(Duration::from_secs(6));
        held.len()
    });
    format!("{held} connections against 64 descriptors; listening went on and the partner synced")
}

#[test]
fn fault_matrix() {
    let mut table = Vec::new();
    let mut failed = 0;
    let mut not_tried = 0;
    let only = std::env::var("TANDEM_FAULT").ok();
    for (name, row) in rows() {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| row(name));
        let secs = start.elapsed().as_secs_f64();
        let outcome = match result {
            Ok(how) if how.starts_with("NOT TRIED") => {
                not_tried += 1;
                how
            }
            Ok(how) => format!("survived: {how}"),
            Err(e) => {
                failed += 1;
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("FAILED: {}", why.lines().next().unwrap_or_default())
            }
        };
        eprintln!("| {name} | {outcome} | {secs:.1} s |");
        table.push((name, outcome, secs));
    }
    let tried = table.len() - not_tried;
    eprintln!(
        "fault matrix: {} faults, {tried} tried, {} survived, {failed} failed, {not_tried} not tried",
        table.len(),
        tried - failed
    );
    assert_eq!(failed, 0, "{failed} fault(s) not survived (table above)");
}
