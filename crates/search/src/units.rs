//! What is indexed: a document's view cut into units, each one thing a person would want to land
//! on (a session, a goal, a piece of feedback…), with the words that belong to it.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};
use tandem_core::DocView;
use tandem_core::pair::view::PairView;

/// One searchable thing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unit {
    /// Unique in the index: `<doc>/<what>/<entry id>`.
    pub key: String,
    /// The document it comes from (`pairs/<id>` or `private/<id>`).
    pub doc: String,
    /// The pair it belongs to (private notes belong to their pair).
    pub pair: String,
    pub pair_title: String,
    /// `session`, `goal`, `feedback`, `evidence`, `review`, `private`.
    pub kind: String,
    /// The entry's id within the pair (a session or goal id), to open it.
    pub entry: String,
    /// `YYYY-MM-DD`, or empty when the entry has no date.
    pub date: String,
    pub title: String,
    pub body: String,
}

impl Unit {
    /// A digest of everything indexed, to tell whether the unit changed since it was indexed.
    pub fn digest(&self) -> u64 {
        // SipHash with fixed keys: the same text gives the same digest in every run.
        let mut h = std::hash::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }
}

pub use tandem_core::search::KINDS;

/// The units of document `doc` (its folder and id, as the library names it).
pub fn units(doc: &str, pair: &str, view: &DocView, pair_title: &str) -> Vec<Unit> {
    match view {
        DocView::Pair(p) => pair_units(doc, p),
        DocView::Private(v) if v.notes.trim().is_empty() => Vec::new(),
        DocView::Private(v) => vec![Unit {
            key: format!("{doc}/private"),
            doc: doc.to_string(),
            pair: pair.to_string(),
            pair_title: pair_title.to_string(),
            kind: "private".into(),
            entry: String::new(),
            date: String::new(),
            title: "Private notes".into(),
            body: v.notes.clone(),
        }],
    }
}

fn day(s: &str) -> String {
    s.get(..10).unwrap_or("").to_string()
}

fn pair_units(doc: &str, p: &PairView) -> Vec<Unit> {
    let unit = |kind: &str, entry: &str, date: &str, title: String, body: String| Unit {
        key: format!("{doc}/{kind}/{entry}"),
        doc: doc.to_string(),
        pair: p.id.clone(),
        pair_title: p.title.clone(),
        kind: kind.to_string(),
        entry: entry.to_string(),
        date: day(date),
        title,
        body,
    };
    let mut out = Vec::new();
    for s in &p.sessions {
        let mut body = String::new();
        for part in [&s.agenda, &s.notes] {
            if !part.trim().is_empty() {
                body.push_str(part);
                body.push('\n');
            }
        }
        for item in &s.action_items {
            body.push_str(&item.text);
            body.push('\n');
        }
        out.push(unit(
            "session",
            &s.id,
            &s.date,
            format!("Session {}", s.date),
            body,
        ));
    }
    for g in &p.goals {
        let mut body = String::new();
        for part in [&g.specific, &g.measurable, &g.achievable, &g.relevant] {
            if !part.trim().is_empty() {
                body.push_str(part);
                body.push('\n');
            }
        }
        for e in &g.evaluations {
            body.push_str(&e.note);
            body.push('\n');
        }
        out.push(unit("goal", &g.id, &g.created_at, g.title.clone(), body));
    }
    for f in &p.feedback {
        out.push(unit(
            "feedback",
            &f.id,
            &f.date,
            format!("{} from {}", f.kind_label, f.from),
            f.text.clone(),
        ));
    }
    for e in &p.evidence {
        out.push(unit(
            "evidence",
            &e.id,
            &e.date,
            e.kind_label.clone(),
            format!("{}\n{}", e.link, e.note),
        ));
    }
    for r in &p.reviews {
        out.push(unit(
            "review",
            &r.id,
            &r.date,
            format!("Readiness review by {}", r.by),
            r.rationale.clone(),
        ));
    }
    out
}
