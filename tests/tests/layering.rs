//! The layering every crate keeps: its modules, and the modules inside the larger ones, refer to
//! each other without cycles, so each can be read (and changed) knowing only what is below it.
//! A cycle fails this test with its path.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The modules directly in `dir` (a crate's src, or a module's folder): name → its files.
fn modules(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            out.entry(name).or_default().extend(rust_files(&path));
        } else if let Some(stem) = name.strip_suffix(".rs")
            && !matches!(stem, "lib" | "main" | "mod")
        {
            out.entry(stem.to_string()).or_default().push(path);
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The names `text` reaches through `prefix` (e.g. `crate::` or `crate::pair::`), including the
/// ones inside a `prefix{a, b::c}` group.
fn reached(text: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        // `super::crate::` and the like do not occur; a `prefix` inside a longer path does.
        if text[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for c in group.char_indices() {
                match c.1 {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c2 if start && !c2.is_whitespace() => {
                        out.insert(ident(&group[c.0..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|n| !n.is_empty() && n != "self");
    out
}

/// A cycle in `edges`, as the path around it, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for next in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

/// Checks the modules of `dir`, where a file reaches a sibling through `prefix` (and, for a
/// module's own folder, through `super::` from the files directly in it).
fn acyclic(dir: &Path, prefix: &str) {
    let mods = modules(dir);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, files) in &mods {
        for file in files {
            // Code only: a doc link to a module above is a pointer for the reader, not a use.
            let text: String = fs::read_to_string(file)
                .unwrap_or_default()
                .lines()
                .map(|l| l.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            let mut to = reached(&text, prefix);
            if prefix != "crate::" && file.parent() == Some(dir) {
                to.extend(reached(&text, "super::"));
            }
            to.retain(|t| t != name && mods.contains_key(t));
            edges.entry(name.clone()).or_default().extend(to);
        }
    }
    if let Some(c) = cycle(&edges) {
        panic!(
            "{}: the modules refer to each other in a cycle: {}",
            dir.display(),
            c.join(" → ")
        );
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_modules_of_every_crate_refer_to_each_other_without_cycles() {
    let r = root();
    for src in [
        "crates/core/src",
        "crates/sync/src",
        "src-tauri/src",
        "ui/src",
    ] {
        acyclic(&r.join(src), "crate::");
    }
    for (dir, prefix) in [
        ("crates/core/src/pair", "crate::pair::"),
        ("crates/sync/src/library", "crate::library::"),
        ("crates/sync/src/service", "crate::service::"),
        ("crates/sync/src/p2p", "crate::p2p::"),
        ("src-tauri/src/cli", "crate::cli::"),
        ("src-tauri/src/commands", "crate::commands::"),
        ("ui/src/routes/pair", "crate::routes::pair::"),
    ] {
        acyclic(&r.join(dir), prefix);
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let edges = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(cycle(&edges).map(|c| c.len()), Some(4));
    assert_eq!(
        reached("use crate::{pair::{x, y}, doc::Ctx, self};", "crate::"),
        BTreeSet::from(["pair".to_string(), "doc".to_string()])
    );
}
