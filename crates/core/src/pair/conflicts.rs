//! The pair's conflicting fields: who wrote each value (the pair's actors → people), and words for
//! each field ("Goal “Review 20 PRs”: status"). The walk itself is [`crate::conflicts`].

use automerge::{AutoCommit, ROOT, ReadDoc, Value};

use crate::conflicts::{Conflict, Naming};
use crate::error::OpError;

/// Every field of the pair with more than one current value.
pub fn scan(doc: &AutoCommit) -> Result<Vec<Conflict>, OpError> {
    let authors = super::actor_names(doc)?;
    crate::conflicts::scan(
        doc,
        &Naming {
            authors: &authors,
            label: &label,
        },
    )
}

/// Words for a path, using titles and dates where the path goes through a goal or a session.
fn label(doc: &AutoCommit, path: &[String]) -> String {
    let title_of = |coll: &str, id: &str, key: &str| -> Option<String> {
        let c = doc.get(&ROOT, coll).ok()??.1;
        let e = doc.get(&c, id).ok()??.1;
        match doc.get(&e, key).ok()?? {
            (Value::Scalar(s), _) => s.as_str().map(str::to_string),
            _ => None,
        }
    };
    let field = |f: &str| f.replace('_', " ");
    match path {
        [p, f] if p == "pair" => format!("Pair: {}", field(f)),
        [s] if s == "schedule" => "The schedule".into(),
        [s, f, ..] if s == "schedule" => format!("Schedule: {}", field(f)),
        [g, id, f, ..] if g == "goals" => format!(
            "Goal “{}”: {}",
            title_of("goals", id, "title").unwrap_or_else(|| id.clone()),
            field(f)
        ),
        [s, id, f, ..] if s == "sessions" => format!(
            "Session of {}: {}",
            title_of("sessions", id, "date").unwrap_or_else(|| id.clone()),
            field(f)
        ),
        [p, id, f] if p == "people" => format!("{id}: {}", field(f)),
        other => other.join(" › "),
    }
}
