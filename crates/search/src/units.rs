//! What is indexed: a document's view cut into units, each one thing a person would want to land
//! on (a session, a goal, a piece of feedback…), with the words that belong to it.
//!
//! After each typing batch every unit of the document is compared with what the index holds, so a
//! unit is first a [`Draft`]: pieces borrowed from the view, digested without being copied; only a
//! unit that changed is built.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};
use tandem_core::DocView;
use tandem_core::pair::view::PairView;

/// One searchable thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A digest of fields, each given as the pieces it is made of: the same text gives the same digest
/// however it is cut into pieces, in every run and on every machine (xxh3 without a seed, so an
/// index made before an upgrade stays valid).
fn digest_of(fields: &[&[&str]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for pieces in fields {
        for p in *pieces {
            h.write(p.as_bytes());
        }
        h.write_u8(0xff);
    }
    h.finish()
}

impl Unit {
    /// A digest of everything indexed, to tell whether the unit changed since it was indexed.
    pub fn digest(&self) -> u64 {
        digest_of(&[
            &[&self.key],
            &[&self.doc],
            &[&self.pair],
            &[&self.pair_title],
            &[&self.kind],
            &[&self.entry],
            &[&self.date],
            &[&self.title],
            &[&self.body],
        ])
    }
}

/// What the index can be given: a built [`Unit`], or a [`Draft`] built only if it changed.
pub trait ToUnit {
    fn key(&self) -> String;
    fn digest(&self) -> u64;
    fn to_unit(&self) -> Unit;
}

impl ToUnit for Unit {
    fn key(&self) -> String {
        self.key.clone()
    }
    fn digest(&self) -> u64 {
        Unit::digest(self)
    }
    fn to_unit(&self) -> Unit {
        self.clone()
    }
}

impl ToUnit for Draft<'_> {
    fn key(&self) -> String {
        Draft::key(self)
    }
    fn digest(&self) -> u64 {
        Draft::digest(self)
    }
    fn to_unit(&self) -> Unit {
        self.build()
    }
}

/// A unit not yet built: its text as pieces borrowed from the view.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    doc: &'a str,
    pair: &'a str,
    pair_title: &'a str,
    kind: &'static str,
    entry: &'a str,
    date: &'a str,
    title: Vec<&'a str>,
    body: Vec<&'a str>,
}

impl Draft<'_> {
    /// The unit's key (see [`Unit::key`]).
    pub fn key(&self) -> String {
        self.key_pieces().concat()
    }

    /// `<doc>/<kind>/<entry>`, or `<doc>/<kind>` for a document's one unit (private notes).
    fn key_pieces(&self) -> Vec<&str> {
        if self.entry.is_empty() {
            vec![self.doc, "/", self.kind]
        } else {
            vec![self.doc, "/", self.kind, "/", self.entry]
        }
    }

    /// The digest of the unit this draft builds, without building it.
    pub fn digest(&self) -> u64 {
        digest_of(&[
            &self.key_pieces(),
            &[self.doc],
            &[self.pair],
            &[self.pair_title],
            &[self.kind],
            &[self.entry],
            &[self.date],
            &self.title,
            &self.body,
        ])
    }

    pub fn build(&self) -> Unit {
        Unit {
            key: self.key(),
            doc: self.doc.to_string(),
            pair: self.pair.to_string(),
            pair_title: self.pair_title.to_string(),
            kind: self.kind.to_string(),
            entry: self.entry.to_string(),
            date: self.date.to_string(),
            title: self.title.concat(),
            body: self.body.concat(),
        }
    }
}

pub use tandem_core::search::KINDS;

/// The units of document `doc` (its folder and id, as the library names it).
pub fn units(doc: &str, pair: &str, view: &DocView, pair_title: &str) -> Vec<Unit> {
    drafts(doc, pair, view, pair_title)
        .iter()
        .map(Draft::build)
        .collect()
}

/// The units of document `doc`, as drafts.
pub fn drafts<'a>(
    doc: &'a str,
    pair: &'a str,
    view: &'a DocView,
    pair_title: &'a str,
) -> Vec<Draft<'a>> {
    match view {
        DocView::Pair(p) => pair_drafts(doc, p),
        DocView::Private(v) if v.notes.trim().is_empty() => Vec::new(),
        DocView::Private(v) => vec![Draft {
            doc,
            pair,
            pair_title,
            kind: "private",
            entry: "",
            date: "",
            title: vec!["Private notes"],
            body: vec![v.notes.as_str()],
        }],
    }
}

/// The `YYYY-MM-DD` a date or time starts with.
fn day(s: &str) -> &str {
    s.get(..10).unwrap_or("")
}

/// The parts that are not blank, each followed by a line break; then the lines.
fn lines<'a>(parts: &[&'a String], lines: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for part in parts {
        if !part.trim().is_empty() {
            out.push(part.as_str());
            out.push("\n");
        }
    }
    for line in lines {
        out.push(line.as_str());
        out.push("\n");
    }
    out
}

fn pair_drafts<'a>(doc: &'a str, p: &'a PairView) -> Vec<Draft<'a>> {
    let draft = |kind: &'static str, entry: &'a str, date: &'a str, title, body| Draft {
        doc,
        pair: &p.id,
        pair_title: &p.title,
        kind,
        entry,
        date: day(date),
        title,
        body,
    };
    let mut out = Vec::new();
    for s in &p.sessions {
        out.push(draft(
            "session",
            &s.id,
            &s.date,
            vec!["Session ", s.date.as_str()],
            lines(
                &[&s.agenda, &s.notes],
                s.action_items.iter().map(|i| &i.text),
            ),
        ));
    }
    for g in &p.goals {
        out.push(draft(
            "goal",
            &g.id,
            &g.created_at,
            vec![g.title.as_str()],
            lines(
                &[&g.specific, &g.measurable, &g.achievable, &g.relevant],
                g.evaluations.iter().map(|e| &e.note),
            ),
        ));
    }
    for f in &p.feedback {
        out.push(draft(
            "feedback",
            &f.id,
            &f.date,
            vec![f.kind_label.as_str(), " from ", f.from.as_str()],
            vec![f.text.as_str()],
        ));
    }
    for e in &p.evidence {
        out.push(draft(
            "evidence",
            &e.id,
            &e.date,
            vec![e.kind_label.as_str()],
            vec![e.link.as_str(), "\n", e.note.as_str()],
        ));
    }
    for r in &p.reviews {
        out.push(draft(
            "review",
            &r.id,
            &r.date,
            vec!["Readiness review by ", r.by.as_str()],
            vec![r.rationale.as_str()],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_of_the_text_not_of_how_it_is_cut() {
        let whole = digest_of(&[&["Session 2026-01-05"], &["notes\n"]]);
        assert_eq!(
            whole,
            digest_of(&[&["Session ", "2026-01-05"], &["notes", "\n"]])
        );
        // Moving text from one field to the next is a change.
        assert_ne!(whole, digest_of(&[&["Session 2026-01-05notes"], &["\n"]]));
        let draft = Draft {
            doc: "private/P1",
            pair: "P1",
            pair_title: "Alex",
            kind: "private",
            entry: "",
            date: "",
            title: vec!["Private notes"],
            body: vec!["worries about ", "kubelet"],
        };
        let unit = draft.build();
        assert_eq!(unit.key, "private/P1/private");
        assert_eq!(unit.body, "worries about kubelet");
        assert_eq!(draft.digest(), unit.digest());
    }
}
