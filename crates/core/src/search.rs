//! What the window and the CLI ask the search index, and what it answers (the index itself is
//! tandem-search; these types are here so that the window, which cannot link tantivy, shares them).

use serde::{Deserialize, Serialize};

/// The kinds of entry a search can be narrowed to.
pub const KINDS: [&str; 6] = [
    "session", "goal", "feedback", "evidence", "review", "private",
];

/// A search: the words typed and the filters chosen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    /// Only this pair's entries.
    #[serde(default)]
    pub pair: Option<String>,
    /// Only entries of this kind (see [`KINDS`]).
    #[serde(default)]
    pub kind: Option<String>,
    /// Only entries dated on or after (`YYYY-MM-DD`)…
    #[serde(default)]
    pub from: Option<String>,
    /// …and on or before.
    #[serde(default)]
    pub to: Option<String>,
    /// At most this many results (0: the default, 20).
    #[serde(default)]
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub pair: String,
    pub pair_title: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// The session's or goal's id within the pair (empty for private notes), to open it.
    pub entry: String,
    pub date: String,
    pub title: String,
    /// Part of the text around the match…
    pub snippet: String,
    /// …and where in it (byte ranges) the words that matched are.
    pub marks: Vec<(usize, usize)>,
    pub score: f32,
}

impl Hit {
    /// The snippet cut into pieces, each marked (a matched word) or not, for drawing.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(start, end) in &self.marks {
            let (Some(before), Some(word)) =
                (self.snippet.get(at..start), self.snippet.get(start..end))
            else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((word, true));
            at = end;
        }
        if let Some(rest) = self.snippet.get(at..).filter(|r| !r.is_empty()) {
            out.push((rest, false));
        }
        out
    }
}

/// Hits grouped by pair (its title and its hits, each with its place in `hits`), the pairs in
/// the order of their best hit: how the window and the CLI show results.
pub fn by_pair(hits: &[Hit]) -> Vec<(&str, Vec<(usize, &Hit)>)> {
    let mut groups: Vec<(&str, Vec<(usize, &Hit)>)> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        match groups.iter_mut().find(|(_, g)| g[0].1.pair == h.pair) {
            Some((_, g)) => g.push((i, h)),
            None => groups.push((h.pair_title.as_str(), vec![(i, h)])),
        }
    }
    groups
}

/// `hits` in the order [`by_pair`] shows them, so that moving down the list moves down the screen.
pub fn in_drawn_order(hits: Vec<Hit>) -> Vec<Hit> {
    let order: Vec<usize> = by_pair(&hits)
        .into_iter()
        .flat_map(|(_, g)| g.into_iter().map(|(i, _)| i))
        .collect();
    let mut slots: Vec<Option<Hit>> = hits.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

impl Hit {
    /// The element of the pair page that shows what this hit found (the window scrolls to it).
    pub fn anchor(&self) -> String {
        match self.kind.as_str() {
            "session" => format!("session-{}", self.entry),
            "goal" => format!("goal-{}", self.entry),
            "feedback" => "check-in".into(),
            "evidence" | "review" => "evidence".into(),
            _ => "private".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(pair: &str, entry: &str) -> Hit {
        Hit {
            pair: pair.into(),
            pair_title: format!("Pair {pair}"),
            kind: "session".into(),
            entry: entry.into(),
            date: String::new(),
            title: String::new(),
            snippet: String::new(),
            marks: Vec::new(),
            score: 0.0,
        }
    }

    #[test]
    fn hits_are_grouped_by_pair_and_walked_in_drawn_order() {
        let hits = vec![hit("b", "1"), hit("a", "2"), hit("b", "3")];
        let g = by_pair(&hits);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].0, "Pair b");
        assert_eq!(g[0].1.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 2]);
        let drawn = in_drawn_order(hits);
        let order: Vec<&str> = drawn.iter().map(|h| h.entry.as_str()).collect();
        assert_eq!(order, ["1", "3", "2"]);
        // Drawn in that order, each hit's place is its place on the screen.
        let places: Vec<usize> = by_pair(&drawn)
            .into_iter()
            .flat_map(|(_, g)| g.into_iter().map(|(i, _)| i))
            .collect();
        assert_eq!(places, [0, 1, 2]);
    }

    #[test]
    fn each_kind_opens_where_it_is_drawn() {
        let mut h = hit("a", "S1");
        assert_eq!(h.anchor(), "session-S1");
        h.kind = "goal".into();
        assert_eq!(h.anchor(), "goal-S1");
        h.kind = "review".into();
        assert_eq!(h.anchor(), "evidence");
        h.kind = "private".into();
        assert_eq!(h.anchor(), "private");
    }

    #[test]
    fn pieces_mark_the_matched_words_and_skip_ranges_that_do_not_fit() {
        let hit = Hit {
            pair: "P".into(),
            pair_title: "T".into(),
            kind: "session".into(),
            entry: "S".into(),
            date: String::new(),
            title: String::new(),
            snippet: "about lgtm etiquette".into(),
            marks: vec![(6, 10), (11, 20), (15, 99)],
            score: 1.0,
        };
        assert_eq!(
            hit.pieces(),
            [
                ("about ", false),
                ("lgtm", true),
                (" ", false),
                ("etiquette", true)
            ]
        );
    }
}
