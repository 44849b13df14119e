//! `tandem search`: everything written in the library, ranked, grouped by pair, with the matching
//! words marked. Without a window open, the command brings the index up to date first (making it,
//! or rebuilding it if damaged); beside an open window, it reads the index the window keeps.

use std::io::IsTerminal as _;
use std::sync::Mutex;

use clap::Args as ClapArgs;
use tandem_search::{Hit, KINDS, Opened, SearchIndex, SearchQuery};
use tandem_sync::{Library, Mode, StoreError};

use super::{CliError, Ctx, print_json};

#[derive(Debug, ClapArgs)]
pub struct SearchArgs {
    /// The words to find ("…" for a phrase; the last word also finds words it begins).
    query: String,
    /// Only this pair (its id, the start of it, or its title).
    #[arg(long)]
    pair: Option<String>,
    /// Only entries of this kind: session, goal, feedback, evidence, review or private.
    #[arg(long)]
    kind: Option<String>,
    /// Only entries dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only entries dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

/// The index, up to date if this process may write it.
fn index(ctx: &Ctx) -> Result<(SearchIndex, Library), CliError> {
    let home = tandem_sync::resolve_home(ctx.home.clone())?;
    let dir = home.join(tandem_search::FOLDER);
    match Library::open(&home, Mode::ReadWrite) {
        Ok(lib) => {
            let (ix, opened) = SearchIndex::open(&dir).map_err(StoreError::from)?;
            if let Opened::Rebuilt(why) = &opened {
                eprintln!(
                    "The search index was damaged ({why}); it is being rebuilt from your documents."
                );
            }
            let lib = Mutex::new(lib);
            tandem_sync::search::catch_up(&lib, &ix)?;
            let lib = lib.into_inner().map_err(|_| StoreError::Poisoned)?;
            Ok((ix, lib))
        }
        // The window holds the library and keeps the index up to date: read what it wrote.
        Err(StoreError::Busy(_)) => {
            let ix = SearchIndex::open_read_only(&dir).map_err(StoreError::from)?;
            Ok((ix, Library::open(&home, Mode::ReadOnly)?))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn search(ctx: &Ctx, a: SearchArgs) -> Result<(), CliError> {
    if let Some(kind) = &a.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(CliError::said(format!(
            "There is no kind '{kind}' to search: use one of {}.",
            KINDS.join(", ")
        )));
    }
    if a.limit == 0 {
        return Err(CliError::said("--limit must be at least 1."));
    }
    let (ix, mut lib) = index(ctx)?;
    let pair = a.pair.as_deref().map(|p| lib.resolve(p)).transpose()?;
    let q = SearchQuery {
        text: a.query,
        pair,
        kind: a.kind,
        from: a.from,
        to: a.to,
        limit: a.limit,
    };
    let hits = ix.search(&q).map_err(StoreError::from)?;
    if a.json {
        return print_json(&hits);
    }
    if hits.is_empty() {
        println!("Nothing found for {:?}.", q.text);
        return Ok(());
    }
    let bold = std::io::stdout().is_terminal();
    for (title, group) in tandem_core::search::by_pair(&hits) {
        println!("{title}");
        for (_, h) in group {
            let date = if h.date.is_empty() { "" } else { &h.date };
            println!("  {date:<10}  {:<8}  {}", h.kind, h.title);
            println!("      {}", marked(h, bold));
        }
    }
    Ok(())
}

/// The snippet on one line, the matched words in bold on a terminal, else between `[` `]`.
fn marked(h: &Hit, bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let out: String = h
        .pieces()
        .into_iter()
        .map(|(text, mark)| {
            if mark {
                format!("{open}{text}{close}")
            } else {
                text.to_string()
            }
        })
        .collect();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(pair: &str, snippet: &str, marks: Vec<(usize, usize)>) -> Hit {
        Hit {
            pair: pair.into(),
            pair_title: format!("Pair {pair}"),
            kind: "session".into(),
            entry: "s".into(),
            date: "2026-01-01".into(),
            title: "t".into(),
            snippet: snippet.into(),
            marks,
            score: 1.0,
        }
    }

    #[test]
    fn marks_the_matched_words_and_keeps_one_line() {
        let h = hit(
            "a",
            "we talked\nabout lgtm etiquette",
            vec![(16, 20), (21, 30)],
        );
        assert_eq!(marked(&h, false), "we talked about [lgtm] [etiquette]");
        assert_eq!(
            marked(&h, true),
            "we talked about \x1b[1mlgtm\x1b[0m \x1b[1metiquette\x1b[0m"
        );
    }

    #[test]
    fn parses_filters() {
        let c = super::super::parse(&[
            "tandem",
            "search",
            "lgtm etiquette",
            "--pair",
            "Sam",
            "--kind",
            "session",
            "--from",
            "2026-01-01",
            "--json",
        ]);
        let super::super::Command::Search(a) = c else {
            panic!("{c:?}")
        };
        assert_eq!(a.query, "lgtm etiquette");
        assert_eq!(a.pair.as_deref(), Some("Sam"));
        assert_eq!(a.kind.as_deref(), Some("session"));
        assert!(a.json);
    }
}
