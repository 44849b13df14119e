//! What was written since the last commit, searchable at once.
//!
//! A tantivy commit costs 10–20 ms even when nothing reaches the disk (a new segment, its term
//! dictionary and fast fields, the merge policy), more than the 5 ms an update after a typing batch
//! may take. So an update only stages its units: the writer gets them at once (to be committed a
//! few seconds later, [`crate::COMMIT_AFTER`]), and this overlay holds them, tokenised by the
//! index's own analyzer, so that a search sees them the moment the update returns. A search runs
//! on the committed index, hides what the overlay replaced or removed, scores the overlay's units
//! with BM25 against the committed statistics, and merges the two.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

use tantivy::tokenizer::TextAnalyzer;

use crate::units::Unit;

/// BM25's parameters, as tantivy sets them.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A word in the title counts double, as in the committed query.
pub(crate) const TITLE_BOOST: f32 = 2.0;

/// What a unit must match, as the query says it (the overlay's side of [`crate::query::build`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Need {
    /// At least one of these words, in the title or the body.
    AnyOf(Vec<String>),
    /// These words in a row, in the title or the body.
    Phrase(Vec<String>),
}

/// A field's words, as the analyzer made them.
#[derive(Debug, Default)]
pub(crate) struct Words {
    /// In order (a word's place is its position).
    pub seq: Vec<String>,
    /// Word → how often.
    pub freq: HashMap<String, u32>,
}

impl Words {
    pub fn of(analyzer: &mut TextAnalyzer, text: &str) -> Words {
        let mut w = Words::default();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token().text.clone();
            *w.freq.entry(t.clone()).or_default() += 1;
            w.seq.push(t);
        }
        w
    }

    fn has_phrase(&self, words: &[String]) -> bool {
        !words.is_empty() && self.seq.windows(words.len()).any(|win| win == words)
    }
}

/// A unit staged since the last commit.
#[derive(Debug)]
pub(crate) struct Staged {
    pub unit: Unit,
    pub day: u64,
    pub title: Words,
    pub body: Words,
}

impl Staged {
    fn matches(&self, need: &Need) -> bool {
        match need {
            Need::AnyOf(words) => words
                .iter()
                .any(|w| self.title.freq.contains_key(w) || self.body.freq.contains_key(w)),
            Need::Phrase(words) => self.title.has_phrase(words) || self.body.has_phrase(words),
        }
    }

    /// The words of `needs` this unit holds (each once).
    pub fn matched<'a>(&self, needs: &'a [Need]) -> BTreeSet<&'a str> {
        let mut out = BTreeSet::new();
        for need in needs {
            let words = match need {
                Need::AnyOf(w) | Need::Phrase(w) => w,
            };
            for w in words {
                if self.title.freq.contains_key(w) || self.body.freq.contains_key(w) {
                    out.insert(w.as_str());
                }
            }
        }
        out
    }
}

/// The committed index's statistics a staged unit is scored against.
pub(crate) struct Stats<'a> {
    /// Units in the committed index and the overlay.
    pub docs: u64,
    /// Average number of words in a title and in a body.
    pub avg_title: f32,
    pub avg_body: f32,
    /// A word's number of units in the committed index, title and body (looked up by the index).
    pub doc_freq: &'a dyn Fn(&str) -> (u64, u64),
}

fn bm25(tf: u32, len: usize, avg: f32, df: u64, docs: u64) -> f32 {
    if tf == 0 {
        return 0.0;
    }
    let docs = docs.max(df);
    let idf = (1.0 + ((docs - df) as f32 + 0.5) / (df as f32 + 0.5)).ln();
    let tf = tf as f32;
    let avg = if avg > 0.0 { avg } else { 1.0 };
    idf * (tf * (K1 + 1.0)) / (tf + K1 * (1.0 - B + B * len as f32 / avg))
}

/// Everything staged since the last commit.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    /// Unit key → its staged state.
    pub staged: HashMap<String, Staged>,
    /// Unit keys whose committed state is out of date (changed or removed since): hidden from
    /// the committed index's results.
    pub hidden: HashSet<String>,
    /// When the oldest thing not yet committed was staged.
    pub since: Option<Instant>,
}

impl Recent {
    pub fn touch(&mut self) {
        self.since.get_or_insert_with(Instant::now);
    }

    pub fn stage(&mut self, analyzer: &mut TextAnalyzer, unit: &Unit) {
        let day: String = unit.date.chars().filter(char::is_ascii_digit).collect();
        let staged = Staged {
            day: day.parse().unwrap_or(0),
            title: Words::of(analyzer, &unit.title),
            body: Words::of(analyzer, &unit.body),
            unit: unit.clone(),
        };
        self.hidden.insert(unit.key.clone());
        self.staged.insert(unit.key.clone(), staged);
        self.touch();
    }

    pub fn unstage(&mut self, key: &str) {
        self.hidden.insert(key.to_string());
        self.staged.remove(key);
        self.touch();
    }

    /// Drops a unit's staged state without hiding its committed one (it is being loaded, to be
    /// committed at once).
    pub fn forget(&mut self, key: &str) {
        self.staged.remove(key);
        self.touch();
    }

    /// How many units wait for the commit.
    pub fn len(&self) -> usize {
        self.hidden.len()
    }

    pub fn clear(&mut self) {
        self.staged.clear();
        self.hidden.clear();
        self.since = None;
    }

    /// The staged words starting with `prefix`, in titles and bodies.
    pub fn words_starting(&self, prefix: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        for s in self.staged.values() {
            for w in s.title.freq.keys().chain(s.body.freq.keys()) {
                if w.starts_with(prefix) {
                    out.insert(w.clone());
                }
            }
        }
        out.into_iter().collect()
    }

    /// The staged units matching every need and the filters, with their scores.
    pub fn search(
        &self,
        needs: &[Need],
        pair: Option<&str>,
        kind: Option<&str>,
        days: (Option<u64>, Option<u64>),
        stats: &Stats<'_>,
    ) -> Vec<(f32, &Staged)> {
        if needs.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for s in self.staged.values() {
            if pair.is_some_and(|p| p != s.unit.pair)
                || kind.is_some_and(|k| k != s.unit.kind)
                || days.0.is_some_and(|from| s.day < from)
                || days.1.is_some_and(|to| s.day > to)
                || !needs.iter().all(|n| s.matches(n))
            {
                continue;
            }
            let mut score = 0.0;
            for w in s.matched(needs) {
                let (df_title, df_body) = (stats.doc_freq)(w);
                let tf_title = s.title.freq.get(w).copied().unwrap_or(0);
                let tf_body = s.body.freq.get(w).copied().unwrap_or(0);
                score += TITLE_BOOST
                    * bm25(
                        tf_title,
                        s.title.seq.len(),
                        stats.avg_title,
                        df_title + u64::from(tf_title > 0),
                        stats.docs,
                    );
                score += bm25(
                    tf_body,
                    s.body.seq.len(),
                    stats.avg_body,
                    df_body + u64::from(tf_body > 0),
                    stats.docs,
                );
            }
            out.push((score, s));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_prefers_rarer_words_and_more_of_them() {
        let common = bm25(1, 100, 100.0, 500, 1000);
        let rare = bm25(1, 100, 100.0, 2, 1000);
        assert!(rare > common, "{rare} > {common}");
        assert!(bm25(3, 100, 100.0, 2, 1000) > rare);
        assert!(
            bm25(1, 20, 100.0, 2, 1000) > rare,
            "a shorter field scores higher"
        );
        assert_eq!(bm25(0, 100, 100.0, 2, 1000), 0.0);
        // No committed statistics yet (an empty index): still a positive score.
        assert!(bm25(1, 10, 0.0, 1, 1) > 0.0);
    }

    #[test]
    fn phrases_are_words_in_a_row() {
        let w = Words {
            seq: ["releas", "note", "for", "sig"].map(String::from).to_vec(),
            freq: HashMap::new(),
        };
        assert!(w.has_phrase(&["releas".into(), "note".into()]));
        assert!(!w.has_phrase(&["note".into(), "releas".into()]));
        assert!(!w.has_phrase(&[]));
    }
}
