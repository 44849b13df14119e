//! A library and a shared folder written by the first release (tests/fixtures/release-0.1, made by
//! `make-release-0.1.sh` with that release's binary) open in this one and keep syncing: with a
//! partner who upgrades later (the first release's other library, opened here). A partner who has
//! not upgraded yet is asked to: what this release writes is format 2, sealed with a subkey, which
//! the first release refuses with "written by a newer Tandem … update Tandem to read it".

use std::fs;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::Utc;
use tandem_core::pair::{Pair, PairView};
use tandem_core::private::Private;
use tandem_sync::invite::Invite;
use tandem_sync::{DocId, Library, Mode, device_folder, pair_folder};

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/release-0.1")
}

fn read(path: &Path) -> String {
    ok(fs::read_to_string(path)).trim().to_string()
}

/// Copies the fixture folder `from` to `to`, with the paths its files record moved from
/// `old_root` to `new_root` (as if the libraries and the share had stayed where the first release
/// wrote them).
fn copy(from: &Path, to: &Path, old_root: &str, new_root: &str) {
    for entry in ok(fs::read_dir(from)).flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            ok(fs::create_dir_all(&target));
            copy(&entry.path(), &target, old_root, new_root);
        } else {
            let bytes = ok(fs::read(entry.path()));
            let bytes = if entry.file_name().to_string_lossy().ends_with(".json") {
                String::from_utf8_lossy(&bytes)
                    .replace(old_root, new_root)
                    .into_bytes()
            } else {
                bytes
            };
            ok(fs::write(target, bytes));
        }
    }
}

struct Laptops {
    _dir: tempfile::TempDir,
    root: PathBuf,
    pair: String,
    invite: Invite,
}

impl Laptops {
    fn new() -> Laptops {
        let dir = ok(tempfile::tempdir());
        let root = dir.path().join("release-0.1");
        ok(fs::create_dir_all(&root));
        let old_share = read(&fixture().join("share-path.txt"));
        let old_root = old_share.trim_end_matches("/share").to_string();
        copy(&fixture(), &root, &old_root, &root.display().to_string());
        Laptops {
            pair: read(&root.join("pair.txt")),
            invite: ok(Invite::parse(&read(&root.join("invite.txt")))),
            root,
            _dir: dir,
        }
    }

    fn open(&self, who: &str) -> Library {
        ok(Library::open(&self.root.join(who), Mode::ReadWrite))
    }

    fn share(&self) -> PathBuf {
        self.root.join("share")
    }

    fn sync(&self, lib: &mut Library) -> tandem_sync::ShareReport {
        ok(lib.sync_share(
            &DocId::pair(self.pair.clone()),
            &self.invite.key,
            &self.share(),
            Utc::now(),
        ))
    }
}

fn notes(v: &PairView) -> Vec<String> {
    let mut n: Vec<String> = v.sessions.iter().map(|s| s.notes.clone()).collect();
    n.sort();
    n
}

#[test]
fn a_library_of_the_first_release_opens_with_everything_in_it() {
    let l = Laptops::new();
    let mut sam = l.open("sam");
    assert_eq!(ok(sam.pair_ids()), std::slice::from_ref(&l.pair));
    // Served from the first release's view cache…
    let cached = ok(sam.view::<Pair>(&l.pair));
    assert_eq!(cached.title, "Alex → SIG Docs reviewer");
    assert_eq!(cached.sessions.len(), 3);
    assert_eq!(cached.goals[0].status, "active", "Alex's agreement arrived");
    assert_eq!(cached.goals[0].progress, Some(40));
    assert_eq!(cached.evidence.len(), 1);
    assert_eq!(cached.reviews.len(), 1);
    assert_eq!(
        cached.bars["kubernetes-reviewer"].lines["primary-reviews"].min,
        Some(8)
    );
    // …and the same from the document itself.
    ok(fs::remove_file(
        l.root.join("sam/pairs").join(&l.pair).join("view.json"),
    ));
    drop(sam);
    let mut sam = l.open("sam");
    assert_eq!(ok(sam.view::<Pair>(&l.pair)), cached);
    assert_eq!(
        ok(sam.view::<Private>(&l.pair)).notes,
        "Only on Sam's laptop"
    );
    let history = ok(sam.history(&DocId::pair(l.pair.clone()), 50));
    assert!(
        history
            .iter()
            .any(|h| h.who == "Alex" && h.what.starts_with("Agree to goal"))
    );
    let rows = ok(sam.list(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()));
    assert_eq!(rows.pairs.len(), 1);
    assert_eq!(rows.pairs[0].partner, "Alex");
    assert_eq!(sam.pair_share(&l.pair).map(|s| s.folder), Some(l.share()));
}

#[test]
fn an_upgraded_laptop_keeps_syncing_with_one_that_upgrades_later() {
    let l = Laptops::new();
    let mut sam = l.open("sam");
    // Sam's offline session from before the upgrade goes out as a change, not the whole pair
    // again: the first release's record of what is in the folder still holds.
    let r = l.sync(&mut sam);
    assert_eq!(r.written, 1, "{r:?}");
    assert!(r.problems.is_empty(), "{r:?}");
    ok(sam.apply::<Pair>(
        &l.pair,
        &tandem_core::pair::Edit::from(tandem_core::pair::SessionEdit::Log(
            tandem_core::pair::input::NewSession {
                date: "2026-11-24".into(),
                minutes: "30".into(),
                notes: "Written after the upgrade.".into(),
                ..Default::default()
            },
        )),
        Utc::now(),
    ));
    l.sync(&mut sam);
    // Alex's library, written by the first release, upgrades later and takes it all in.
    let mut alex = l.open("alex");
    let r = l.sync(&mut alex);
    assert!(r.changed && r.problems.is_empty(), "{r:?}");
    let seen = notes(&ok(alex.view::<Pair>(&l.pair)));
    assert!(
        seen.contains(&"Sam wrote this offline before upgrading.".to_string()),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"Written after the upgrade.".to_string()),
        "{seen:?}"
    );
    assert_eq!(seen, notes(&ok(sam.view::<Pair>(&l.pair))));
    // A third laptop joins from the first release's invite and folder.
    let third = ok(tempfile::tempdir());
    let mut kim = ok(Library::open(third.path(), Mode::ReadWrite));
    let (view, _) = ok(kim.join_from_share(
        &l.pair,
        &l.invite.person,
        &l.invite.key,
        &l.share(),
        Utc::now(),
    ));
    assert_eq!(notes(&view), seen);
}

/// Opens a share file as the first release does, from the format's description rather than this
/// release's code: `TNDS | version 1 | kind | name length (u16 LE) | name | nonce[24] |
/// XChaCha20-Poly1305(payload)`, the header and the pair id as associated data.
fn open_as_first_release(key: &[u8; 32], pair: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    assert_eq!(&bytes[..4], b"TNDS", "not a share file");
    assert_eq!(bytes[4], 1, "a format the first release does not read");
    assert!(
        matches!(bytes[5], 1 | 2),
        "a kind the first release does not know"
    );
    let name_len = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let header_end = 8 + name_len;
    let nonce = &bytes[header_end..header_end + 24];
    let mut aad = bytes[..header_end].to_vec();
    aad.extend_from_slice(pair.as_bytes());
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: &bytes[header_end + 24..],
                aad: &aad,
            },
        )
        .map_err(|_| "does not open with the pair key".to_string())
}

#[test]
fn a_laptop_not_yet_upgraded_is_asked_to_update_never_silently_left_behind() {
    let l = Laptops::new();
    let mut sam = l.open("sam");
    let r = l.sync(&mut sam);
    assert!(r.compacted && r.problems.is_empty(), "{r:?}");
    // Sam's files moved out of the folder named by the raw device id (a ULID: it tells the share's
    // host when the laptop was set up, and is the same in every pair) into one snapshot in the
    // folder the pair's naming subkey names.
    let folder = pair_folder(&l.share(), &l.pair, &l.invite.key);
    let sam_id = sam.device().id.clone();
    assert!(!folder.join(&sam_id).exists());
    let mine = device_folder(&folder, &sam_id, &l.invite.key);
    let names = |dir: &Path| -> Vec<String> {
        let mut n: Vec<String> = ok(fs::read_dir(dir))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let files = names(&mine);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with(".tsn"), "{files:?}");
    let folders = names(&folder);
    assert_eq!(
        folders.len(),
        2,
        "Alex's (first release) and Sam's: {folders:?}"
    );
    assert!(folders.iter().all(|f| f != &sam_id));
    // Alex's first-release laptop still reads the files it knows (its own)…
    let alex_id = read_device_id(&l.root.join("alex"));
    for file in ok(fs::read_dir(folder.join(&alex_id))).flatten() {
        ok(open_as_first_release(
            &l.invite.key.0,
            &l.pair,
            &ok(fs::read(file.path())),
        ));
    }
    // …and of Sam's new snapshot it sees format 2, which the first release refuses with "it was
    // written by a newer Tandem (format 2); update Tandem to read it" (its reader stops at a
    // version above 1). Read as format 1 anyway, it would not open: there is no way to take it
    // in wrongly.
    let bytes = ok(fs::read(mine.join(&files[0])));
    assert_eq!(&bytes[..4], b"TNDS");
    assert_eq!(bytes[4], 2);
    let mut as_first = bytes.clone();
    as_first[4] = 1;
    assert!(
        open_as_first_release(&l.invite.key.0, &l.pair, &as_first).is_err(),
        "format 2 opened with the pair key itself"
    );
    // Once Alex upgrades, Alex's laptop reads it all (see the test above), and Alex's own files
    // move out of the raw id's folder too.
    let mut alex = l.open("alex");
    let r = l.sync(&mut alex);
    assert!(r.changed && r.problems.is_empty(), "{r:?}");
    assert!(!folder.join(&alex_id).exists());
    assert_eq!(
        notes(&ok(alex.view::<Pair>(&l.pair))),
        notes(&ok(sam.view::<Pair>(&l.pair)))
    );
}

/// The device id a library's `device.json` records.
fn read_device_id(home: &Path) -> String {
    let json: serde_json::Value = ok(serde_json::from_slice(&ok(fs::read(
        home.join("device.json"),
    ))));
    json["id"].as_str().unwrap_or_default().to_string()
}
