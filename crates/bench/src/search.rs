//! Search rows: a library of 100 pairs (ten of them five years of weekly sessions, ~4 million
//! typed characters in all; smoke: a handful of small pairs) indexed from nothing, queried, and
//! updated after typing batches, as the sync service's index job does it.

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::Utc;
use tandem_core::DocView;
use tandem_search::{SearchIndex, SearchQuery};
use tandem_sync::{DocId, Library, Mode};

use crate::generate;
use crate::measure::{Row, limit_row, ms, percentile, type_at_end};

/// Characters of text the index would hold for the library (what a person wrote).
fn text_chars(lib: &Mutex<Library>) -> Result<usize> {
    let mut lib = lib.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut chars = 0;
    for id in lib.ids(tandem_core::Kind::Pair)? {
        let d = DocId::pair(id.clone());
        if let DocView::Pair(p) = lib.view_of(&d)? {
            let (doc, view) = (format!("pairs/{id}"), DocView::Pair(p));
            for draft in tandem_search::drafts(&doc, &id, &view, "") {
                let u = draft.build();
                // The index skips a unit whose draft digests as it did: a draft must digest as
                // the unit it builds, or every batch would rewrite (or never rewrite) it.
                anyhow::ensure!(
                    draft.digest() == u.digest(),
                    "{}: its draft digests differently from the unit it builds",
                    u.key
                );
                chars += u.title.chars().count() + u.body.chars().count();
            }
        }
    }
    Ok(chars)
}

fn rss_kb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(f64::NAN)
}

pub fn rows(home: &Path, smoke: bool) -> Result<Vec<Row>> {
    // (pairs, sessions and note size of the long pairs, runs of each query, typing batches)
    let (small, long, long_sessions, long_chars, query_runs, batches) = if smoke {
        (4, 2, 12, 300, 5, 5)
    } else {
        (90, 10, 261, 1_100, 200, 200)
    };
    {
        let mut lib = Library::open(home, Mode::ReadWrite)?;
        for i in 0..small {
            lib.import(generate::quick_pair_with(
                1_000 + i as u64,
                (i * 7) % 53,
                600,
            ))?;
        }
        for i in 0..long {
            lib.import(generate::quick_pair_with(
                2_000 + i as u64,
                long_sessions,
                long_chars,
            ))?;
        }
    }
    let lib = Mutex::new(Library::open(home, Mode::ReadWrite)?);
    let chars = text_chars(&lib)?;
    let pairs = small + long;
    let mut rows = Vec::new();

    // Building the index from nothing: what a first start (or a damaged index) costs.
    let dir = home.join(tandem_search::FOLDER);
    let rss_before = rss_kb();
    let start = Instant::now();
    let (ix, _) = SearchIndex::open(&dir)?;
    tandem_sync::search::catch_up(&lib, &ix)?;
    let built = start.elapsed().as_secs_f64();
    rows.push(limit_row(
        &format!(
            "build the search index of a {pairs}-pair library ({:.1} M characters)",
            chars as f64 / 1e6
        ),
        built,
        "s",
        10.0,
    ));

    // Queries, as the window asks them while the person types (20 results, snippets).
    let queries: [(&str, &[&str]); 4] = [
        ("one-word", &["flaky ", "approver ", "kubectl ", "triage "]),
        (
            "two-word",
            &[
                "flaky test ",
                "release notes ",
                "owners file ",
                "design proposal ",
            ],
        ),
        (
            "phrase",
            &["\"release notes\"", "\"flaky test\"", "\"owners file\""],
        ),
        (
            "typing (last word a prefix)",
            &["release no", "appr", "kubec", "flaky te"],
        ),
    ];
    for (what, texts) in queries {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..query_runs {
            for text in texts {
                let q = SearchQuery {
                    text: (*text).to_string(),
                    limit: 20,
                    ..SearchQuery::default()
                };
                let start = Instant::now();
                let hits = ix.search(&q)?;
                times.push(ms(start.elapsed()));
                found = found.max(hits.len());
            }
        }
        anyhow::ensure!(
            found > 0,
            "the {what} queries found nothing: the bench data is wrong"
        );
        times.sort_by(f64::total_cmp);
        rows.push(limit_row(
            &format!("search, {what} query, p99"),
            percentile(&times, 0.99),
            "ms",
            10.0,
        ));
    }
    let rss_after = rss_kb();

    // Updating after a typing batch: 25 keystrokes made durable in the 5-year pair, then what
    // the service's index job does (take what was written, re-index it: searchable at once).
    // The commit to disk follows every COMMIT_AFTER (5 s, about 25 batches of steady typing),
    // timed on its own.
    let long_id = format!("LIB{:05}", 2_000);
    let mut updates = Vec::new();
    let mut commits = Vec::new();
    let mut commit = |ix: &SearchIndex| -> anyhow::Result<()> {
        let start = Instant::now();
        ix.commit()?;
        commits.push(ms(start.elapsed()));
        Ok(())
    };
    for batch in 0..batches {
        if batch > 0 && batch % 25 == 0 {
            commit(&ix)?;
        }
        {
            let mut l = lib.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            type_at_end(
                &mut l,
                &long_id,
                generate::KEYSTROKES_PER_COMMIT,
                |_| {},
                |_| {},
            )?;
            l.flush_all(Utc::now())?;
        }
        let start = Instant::now();
        let changed = tandem_sync::search::index_written(&lib, &ix)?;
        updates.push(ms(start.elapsed()));
        anyhow::ensure!(changed > 0, "a typing batch changed nothing in the index");
        anyhow::ensure!(
            ix.has_uncommitted(),
            "a typing batch was not staged for the commit"
        );
    }
    commit(&ix)?;
    updates.sort_by(f64::total_cmp);
    commits.sort_by(f64::total_cmp);
    eprintln!(
        "search index update after a batch: p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        percentile(&updates, 0.5),
        percentile(&updates, 0.9),
        percentile(&updates, 1.0)
    );
    rows.push(limit_row(
        "search index update after a typing batch (searchable at once, off the typing path), p99",
        percentile(&updates, 0.99),
        "ms",
        5.0,
    ));
    rows.push(Row::report(
        &format!(
            "search index commit of what was staged (every 5 s while typing; {} commits), p50",
            commits.len()
        ),
        percentile(&commits, 0.5),
        "ms",
    ));

    let size = ix.size_on_disk() as f64;
    rows.push(Row::report(
        &format!(
            "search index on disk ÷ text indexed ({:.1} MB for {:.1} M characters)",
            size / 1e6,
            chars as f64 / 1e6
        ),
        size / chars.max(1) as f64,
        "B/char",
    ));
    // At smoke scale the allocator may hand back what the build took: only full runs report it.
    if !smoke {
        rows.push(Row::report(
            "memory added by building and querying the index (RSS)",
            (rss_after - rss_before) / 1024.0,
            "MB",
        ));
    }
    drop(ix);
    let _ = std::fs::remove_dir_all(&dir).context("clearing the bench index");
    Ok(rows)
}

/// Only the search rows, printed (`tandem-bench search [--smoke]`): for working on the index
/// without the whole bench.
pub fn alone(smoke: bool) -> Result<()> {
    let work = tempfile::tempdir()?;
    for row in rows(&work.path().join("library"), smoke)? {
        println!(
            "{:<90} {:>10.3} {:<6} {:<10} {}",
            row.measure,
            row.tandem,
            row.unit,
            row.target,
            if row.met { "met" } else { "NOT MET" }
        );
    }
    Ok(())
}
