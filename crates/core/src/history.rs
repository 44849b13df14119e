//! The pair's timeline: who changed what and when, read from the document's own change metadata
//! (each change carries its author's actor, a time and a message written by the operation).

use std::collections::BTreeMap;

use automerge::AutoCommit;
use chrono::DateTime;
use serde::{Deserialize, Serialize};

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub time: String,
    /// The person's name, or "another device" for an actor the pair does not know.
    pub who: String,
    pub what: String,
    /// How many changes this line stands for (typing is committed in batches; a run of batches
    /// by one person within half an hour is one line).
    pub changes: usize,
}

/// Changes closer than this by the same person with the same message are one line.
const RUN_SECONDS: i64 = 30 * 60;

/// The newest `limit` lines, newest first. `authors` maps actor hex to a person's name (each
/// document kind knows its own); an actor it lacks is "another device".
pub fn history(
    doc: &mut AutoCommit,
    authors: &BTreeMap<String, String>,
    limit: usize,
) -> Vec<HistoryEntry> {
    let mut changes: Vec<(i64, String, String)> = doc
        .get_changes_meta(&[])
        .into_iter()
        .map(|c| {
            let who = authors
                .get(&crate::doc::device_hex(&c.actor))
                .cloned()
                .unwrap_or_else(|| "another device".to_string());
            let what = c
                .message
                .as_deref()
                .unwrap_or("Change without a description")
                .to_string();
            (c.timestamp, who, what)
        })
        .collect();
    changes.sort_by_key(|c| c.0);
    let mut lines: Vec<(i64, HistoryEntry)> = Vec::new();
    for (t, who, what) in changes {
        if let Some((last_t, last)) = lines.last_mut()
            && last.who == who
            && last.what == what
            && t - *last_t <= RUN_SECONDS
        {
            *last_t = t;
            last.changes += 1;
            last.time = stamp(t);
            continue;
        }
        lines.push((
            t,
            HistoryEntry {
                time: stamp(t),
                who,
                what,
                changes: 1,
            },
        ));
    }
    lines
        .into_iter()
        .rev()
        .take(limit)
        .map(|(_, e)| e)
        .collect()
}

fn stamp(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
