//! Field rules every document kind shares: one-line and free text, dates, times, time zones,
//! lengths and numbers. Every rule produces one sentence that tells the person what to fix, and
//! names the form field it belongs to; nothing the person typed is thrown away by a failed
//! validation. Rules about one kind's forms live beside that kind (e.g. [`crate::pair::validate`]).

use chrono::{NaiveDate, NaiveTime};

/// Longest title or name we accept, in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest notes, agenda or other free text we accept, in characters. Beyond this a paste is almost
/// certainly a mistake (a log file, a binary) and would slow every peer that syncs the pair.
pub const MAX_LONG_TEXT: usize = 100_000;
/// Longest session we accept, in minutes (a full day).
pub const MAX_SESSION_MINUTES: i64 = 720;

/// `url` when it is safe to show as a link: a web address (http or https) with nothing that
/// could break out of a link. Evidence links are checked when added, but a document synced from
/// a partner's laptop (or an older Tandem) may hold anything: every place that makes a link —
/// the window, the summaries — checks again, and shows anything else as plain text.
pub fn web_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !url.contains(|c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\'' | '`')
    });
    (web && clean && url.len() > "https://".len()).then_some(url)
}

/// A rule that the input broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The form field at fault (the DTO's field name).
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn err(field: &'static str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        field,
        message: message.into(),
    }
}

/// A required one-line text, trimmed.
pub fn short_text(field: &'static str, what: &str, value: &str) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(err(field, format!("Enter {what}.")));
    }
    optional_short_text(field, what, v)
}

/// An optional one-line text, trimmed.
pub fn optional_short_text(
    field: &'static str,
    what: &str,
    value: &str,
) -> Result<String, ValidationError> {
    let v = value.trim();
    let n = v.chars().count();
    if n > MAX_SHORT_TEXT {
        return Err(err(
            field,
            format!("Shorten {what} to at most {MAX_SHORT_TEXT} characters (it has {n})."),
        ));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(err(
            field,
            format!("Keep {what} on one line, without control characters."),
        ));
    }
    Ok(v.to_string())
}

/// Free text (notes, agenda): kept exactly as typed, up to [`MAX_LONG_TEXT`] characters.
pub fn long_text(field: &'static str, what: &str, value: &str) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n > MAX_LONG_TEXT {
        return Err(err(
            field,
            format!(
                "{what} can hold at most {MAX_LONG_TEXT} characters; this has {n}. \
                 Link to long material instead of pasting it."
            ),
        ));
    }
    Ok(())
}

/// An ISO date (YYYY-MM-DD).
pub fn date(field: &'static str, what: &str, value: &str) -> Result<NaiveDate, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(err(
            field,
            format!("Enter {what} as YYYY-MM-DD, e.g. 2026-11-20."),
        ));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
        err(
            field,
            format!("“{v}” is not a date; enter {what} as YYYY-MM-DD, e.g. 2026-11-20."),
        )
    })
}

/// A session or meeting length in minutes.
pub fn minutes(field: &'static str, value: &str) -> Result<i64, ValidationError> {
    let v = value.trim();
    let n: i64 = v.parse().map_err(|_| {
        err(
            field,
            format!("Enter the length in whole minutes, e.g. 30 (not “{v}”)."),
        )
    })?;
    if !(1..=MAX_SESSION_MINUTES).contains(&n) {
        return Err(err(
            field,
            format!(
                "A session lasts between 1 and {MAX_SESSION_MINUTES} minutes; you entered {n}."
            ),
        ));
    }
    Ok(n)
}

/// The allowed values of a vocabulary, for a sentence listing them.
pub(crate) fn listing<T: Copy>(all: &[T], s: fn(T) -> &'static str) -> String {
    all.iter().map(|v| s(*v)).collect::<Vec<_>>().join(", ")
}

/// An optional ISO date: empty is `None`.
pub fn optional_date(
    field: &'static str,
    what: &str,
    value: &str,
) -> Result<Option<NaiveDate>, ValidationError> {
    match value.trim() {
        "" => Ok(None),
        v => date(field, what, v).map(Some),
    }
}

/// An optional local time "HH:MM".
pub fn time(field: &'static str, value: &str) -> Result<Option<NaiveTime>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(v, "%H:%M")
        .map(Some)
        .map_err(|_| {
            err(
                field,
                format!("“{v}” is not a time; enter it as HH:MM on a 24-hour clock, e.g. 17:30."),
            )
        })
}

/// An optional IANA time zone name, checked against the time zone database.
pub fn time_zone(field: &'static str, value: &str) -> Result<Option<String>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<chrono_tz::Tz>()
        .map(|tz| Some(tz.name().to_string()))
        .map_err(|_| {
            err(
                field,
                format!(
                    "“{v}” is not a time zone Tandem knows; use an IANA name such as \
                     Europe/Berlin, America/New_York or UTC."
                ),
            )
        })
}

/// A whole number in `range`, or `None` when empty.
pub(crate) fn optional_number(
    field: &'static str,
    what: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let (lo, hi) = (*range.start(), *range.end());
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(err(
            field,
            format!("Enter {what} as a whole number from {lo} to {hi} (not “{v}”)."),
        )),
    }
}

#[cfg(test)]
mod link_tests {
    use super::web_link;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            web_link(" https://github.com/a/b/pull/1 "),
            Some("https://github.com/a/b/pull/1")
        );
        assert_eq!(
            web_link("HTTP://example.org/x"),
            Some("HTTP://example.org/x")
        );
        for bad in [
            "file:///etc/passwd",
            "tandem://join/abc",
            "javascript:alert(1)",
            "https://x\"onclick=\"y",
            "https://a b",
            "https://",
            "",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }
}
