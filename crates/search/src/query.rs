//! What a person types, made into a tantivy query: every word must match (in the title or the
//! body, stemmed: "reviews" finds "reviewing"), words in double quotes must match as a phrase, and
//! the last word, while still being typed, also matches as a prefix ("etiq" finds "etiquette").
//! Prefixes are expanded into the index's own terms (at most [`MAX_EXPANSIONS`]), so snippets
//! highlight them like any other word.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::index::Fields;
use crate::recent::Need;
pub use tandem_core::search::SearchQuery;

/// A prefix stands for at most this many of the index's words (the most common prefixes of one
/// or two letters would otherwise make the query as big as the dictionary).
pub const MAX_EXPANSIONS: usize = 50;

/// One piece of what was typed.
#[derive(Debug, PartialEq)]
enum Part {
    Word(String),
    /// The last word, still being typed.
    Prefix(String),
    Phrase(String),
}

fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            if !chunk.trim().is_empty() {
                out.push(Part::Phrase(chunk.to_string()));
            }
            continue;
        }
        out.extend(chunk.split_whitespace().map(|w| Part::Word(w.to_string())));
    }
    // Still being typed: the last word, unless a space or a closing quote followed it.
    let open_end = !text.ends_with(char::is_whitespace) && !text.ends_with('"');
    if open_end && let Some(Part::Word(w)) = out.last_mut() {
        let w = std::mem::take(w);
        out.pop();
        out.push(Part::Prefix(w));
    }
    out
}

/// The words `text` makes under the field's analyzer (lower-cased, stemmed).
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The index's words starting with `prefix` in `field`, across every segment.
fn expand(searcher: &Searcher, field: Field, prefix: &str) -> tantivy::Result<Vec<String>> {
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        while stream.advance() {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !word.starts_with(prefix) || found.len() >= MAX_EXPANSIONS {
                break;
            }
            found.insert(word.to_string());
        }
    }
    Ok(found.into_iter().collect())
}

/// A word in the title (counted double) or the body.
fn either(f: &Fields, word: &str) -> Box<dyn Query> {
    let title = TermQuery::new(
        Term::from_field_text(f.title, word),
        IndexRecordOption::WithFreqs,
    );
    let body = TermQuery::new(
        Term::from_field_text(f.body, word),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(title), 2.0)),
        ),
        (Occur::Should, Box::new(body)),
    ]))
}

fn day_number(date: &str) -> Option<u64> {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 8).then(|| digits.parse().ok()).flatten()
}

/// Why a query cannot run.
pub(crate) fn bad_date(date: &str) -> String {
    format!("“{date}” is not a date: write it as YYYY-MM-DD")
}

/// The tantivy query (`None` when nothing searchable was typed) and what a staged unit must hold.
pub(crate) type Built = (Option<Box<dyn Query>>, Vec<Need>);

/// The first and last day `q` asks for, as numbers (20260304).
pub(crate) fn days(q: &SearchQuery) -> Result<(Option<u64>, Option<u64>), String> {
    let day = |d: &Option<String>| -> Result<Option<u64>, String> {
        d.as_ref()
            .map(|d| day_number(d).ok_or_else(|| bad_date(d)))
            .transpose()
    };
    Ok((day(&q.from)?, day(&q.to)?))
}

/// The tantivy query for `q` (`None` when nothing searchable was typed), and what a unit not yet
/// committed must hold to match it. `recent_words` gives the words starting with a prefix among
/// those units, so that a prefix finds a word only they hold.
pub(crate) fn build(
    searcher: &Searcher,
    f: &Fields,
    analyzer: &mut TextAnalyzer,
    q: &SearchQuery,
    recent_words: &dyn Fn(&str) -> Vec<String>,
) -> Result<Built, String> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut needs = Vec::new();
    for part in parts(&q.text) {
        match part {
            Part::Word(w) => {
                for t in tokens(analyzer, &w) {
                    must.push((Occur::Must, either(f, &t)));
                    needs.push(Need::AnyOf(vec![t]));
                }
            }
            Part::Prefix(w) => {
                let stemmed = tokens(analyzer, &w);
                let raw = w.to_lowercase();
                let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut any = stemmed.clone();
                for t in &stemmed {
                    options.push((Occur::Should, either(f, t)));
                }
                // A word the analyzer drops entirely (punctuation) matches nothing by itself.
                if raw.chars().any(char::is_alphanumeric) {
                    let mut words = expand(searcher, f.body, &raw).map_err(|e| e.to_string())?;
                    words.extend(expand(searcher, f.title, &raw).map_err(|e| e.to_string())?);
                    words.extend(recent_words(&raw));
                    words.sort();
                    words.dedup();
                    for t in words.iter().take(MAX_EXPANSIONS) {
                        if !stemmed.contains(t) {
                            options.push((Occur::Should, either(f, t)));
                            any.push(t.clone());
                        }
                    }
                }
                if options.is_empty() {
                    continue;
                }
                must.push((Occur::Must, Box::new(BooleanQuery::new(options))));
                needs.push(Need::AnyOf(any));
            }
            Part::Phrase(p) => {
                let words = tokens(analyzer, &p);
                match words.len() {
                    0 => {}
                    1 => {
                        must.push((Occur::Must, either(f, &words[0])));
                        needs.push(Need::AnyOf(words));
                    }
                    _ => {
                        let phrase = |field: Field| -> Box<dyn Query> {
                            Box::new(PhraseQuery::new(
                                words
                                    .iter()
                                    .map(|w| Term::from_field_text(field, w))
                                    .collect(),
                            ))
                        };
                        must.push((
                            Occur::Must,
                            Box::new(BooleanQuery::new(vec![
                                (Occur::Should, phrase(f.title)),
                                (Occur::Should, phrase(f.body)),
                            ])),
                        ));
                        needs.push(Need::Phrase(words));
                    }
                }
            }
        }
    }
    if must.is_empty() {
        return Ok((None, needs));
    }
    if let Some(pair) = &q.pair {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.pair, pair),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(kind) = &q.kind {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, kind),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let (from, to) = days(q)?;
    if from.is_some() || to.is_some() {
        let bound = |d: Option<u64>| match d {
            None => Bound::Unbounded,
            Some(n) => Bound::Included(Term::from_field_u64(f.day, n)),
        };
        must.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(from), bound(to))),
        ));
    }
    Ok((Some(Box::new(BooleanQuery::new(must))), needs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_word_is_a_prefix_until_a_space_follows() {
        assert_eq!(
            parts("lgtm etiq"),
            vec![Part::Word("lgtm".into()), Part::Prefix("etiq".into())]
        );
        assert_eq!(
            parts("lgtm etiquette "),
            vec![Part::Word("lgtm".into()), Part::Word("etiquette".into())]
        );
        assert_eq!(
            parts("\"release notes\" sig"),
            vec![
                Part::Phrase("release notes".into()),
                Part::Prefix("sig".into())
            ]
        );
        assert_eq!(
            parts("\"release notes\""),
            vec![Part::Phrase("release notes".into())]
        );
        // An unclosed quote is a phrase being typed.
        assert_eq!(
            parts("\"release no"),
            vec![Part::Phrase("release no".into())]
        );
        assert_eq!(parts("   "), vec![]);
    }

    #[test]
    fn dates_are_days() {
        assert_eq!(day_number("2026-03-04"), Some(20260304));
        assert_eq!(day_number("yesterday"), None);
        assert_eq!(day_number("2026-3-4"), None);
    }
}
