//! Fuzzes the document-acceptance path with well-formed changes of any shape: the input is a
//! program of edits (put a value of any type at any key of the pair's schema or below, delete,
//! insert into lists, splice text) that a partner's laptop — or a newer or hostile Tandem — could
//! make. The changes go through the same steps as a share file (inflation bound, load, the
//! acceptance check), and the property is the one the check exists for: whatever it accepts
//! still gives the pair's view, so one member can never make the pair unloadable for the others.
#![no_main]

mod common;

use automerge::transaction::Transactable as _;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use libfuzzer_sys::fuzz_target;
use common::base;
use tandem_core::Kind;

const KEYS: &[&str] = &[
    "schema_version", "pair", "people", "actors", "sessions", "goals", "schedule", "feedback",
    "evidence", "check_ins", "review", "bar", "items", "title", "notes", "agenda", "date",
    "minutes", "status", "name", "role", "left", "methods", "time", "tz", "kind", "link", "id",
    "programme", "target_role", "created_at", "agreed_by", "0", "1",
];

/// Every object in the document, for the program to pick from.
fn objects(doc: &automerge::AutoCommit) -> Vec<(ObjId, ObjType)> {
    let mut out = vec![(ROOT, ObjType::Map)];
    let mut i = 0;
    while i < out.len() && out.len() < 256 {
        let (obj, _) = out[i].clone();
        for item in doc.map_range(&obj, ..) {
            if let automerge::ValueRef::Object(t) = item.value {
                out.push((item.id(), t));
            }
        }
        for item in doc.list_range(&obj, ..) {
            if let automerge::ValueRef::Object(t) = item.value {
                out.push((item.id(), t));
            }
        }
        i += 1;
    }
    out
}

fn scalar(kind: u8, arg: u8) -> ScalarValue {
    match kind % 7 {
        0 => ScalarValue::Str(KEYS[usize::from(arg) % KEYS.len()].into()),
        1 => ScalarValue::Int(i64::from(arg as i8) * 1_000_003),
        2 => ScalarValue::Uint(u64::from(arg)),
        3 => ScalarValue::F64(f64::from(arg) / 3.0),
        4 => ScalarValue::Boolean(arg % 2 == 0),
        5 => ScalarValue::Null,
        _ => ScalarValue::Timestamp(i64::from(arg) << 20),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(mut doc) = automerge::AutoCommit::load(base()) else {
        return;
    };
    let before = doc.get_heads();
    let mut theirs = doc.fork();
    for op in data.chunks(4).take(64) {
        let [what, target, key, arg] = [op[0], *op.get(1).unwrap_or(&0), *op.get(2).unwrap_or(&0), *op.get(3).unwrap_or(&0)];
        let objs = objects(&theirs);
        let (obj, ty) = objs[usize::from(target) % objs.len()].clone();
        let k = KEYS[usize::from(key) % KEYS.len()];
        let len = theirs.length(&obj);
        let at = if len == 0 { 0 } else { usize::from(key) % (len + 1) };
        let _ = match (ty, what % 6) {
            (ObjType::Map, 0..=2) => theirs.put(&obj, k, scalar(what / 6, arg)).map(drop),
            (ObjType::Map, 3) => theirs
                .put_object(&obj, k, [ObjType::Map, ObjType::List, ObjType::Text][usize::from(arg) % 3])
                .map(drop),
            (ObjType::Map, 4) => theirs.delete(&obj, k),
            (ObjType::Map, _) => theirs.increment(&obj, k, 1),
            (ObjType::List, 0..=2) => theirs.insert(&obj, at, scalar(what / 6, arg)).map(drop),
            (ObjType::List, 3) => theirs.insert_object(&obj, at, ObjType::Map).map(drop),
            (ObjType::List, _) if len > 0 => theirs.delete(&obj, at.min(len - 1)),
            (ObjType::Text, _) => {
                let at = at.min(len);
                let del = isize::from(arg % 3).min((len - at) as isize);
                theirs.splice_text(&obj, at, del, k).map(drop)
            }
            _ => Ok(()),
        };
    }
    theirs.commit();
    let changes = theirs.save_after(&before);
    if tandem_sync::inflate::check_chunks(&changes).is_err() || doc.load_incremental(&changes).is_err() {
        return;
    }
    if Kind::Pair.check_changes(&mut doc, &before).is_ok() {
        if let Err(e) = Kind::Pair.view(&doc) {
            panic!("accepted changes that leave the pair unviewable: {e}");
        }
    }
});
