//! A deterministic generator of realistic pairs, written the way the app writes them: sessions
//! logged as discrete actions, notes typed character by character with typos and corrections and
//! committed every 25 keystrokes, two devices that alternate and merge every four weeks.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Text, reconcile_prop};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tandem_core::pair::input::{NewGoal, NewPair, NewSession, TextSplice};
use tandem_core::pair::ops::{self, PairIds};
use tandem_core::pair::schema::{Evaluation, Evidence, Feedback, ReadinessReview};

/// How big a generated pair is.
#[derive(Debug, Clone, Copy)]
pub struct PairShape {
    pub sessions: usize,
    pub notes_chars: usize,
    pub goals: usize,
    pub feedback: usize,
}

/// Edits per commit while typing, as the app batches them.
pub const KEYSTROKES_PER_COMMIT: usize = 25;

const WORDS: &[&str] = &[
    "review",
    "the",
    "PR",
    "approver",
    "owners",
    "file",
    "docs",
    "we",
    "talked",
    "about",
    "next",
    "week",
    "test",
    "flaky",
    "CI",
    "SIG",
    "meeting",
    "agenda",
    "triage",
    "issue",
    "label",
    "release",
    "notes",
    "kubectl",
    "API",
    "design",
    "proposal",
    "KEP",
    "feedback",
    "pairing",
    "shadowed",
    "LGTM",
    "nit",
    "rebase",
    "squash",
    "merge",
    "blocked",
    "unblocked",
    "goal",
    "progress",
    "plan",
    "reviewer",
];

fn date(start: NaiveDate, week: usize) -> NaiveDate {
    start
        .checked_add_days(Days::new(7 * week as u64))
        .unwrap_or(start)
}

fn at(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(16, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn commit(doc: &mut AutoCommit, message: &str, now: DateTime<Utc>) {
    doc.commit_with(
        CommitOptions::default()
            .with_message(message)
            .with_time(now.timestamp()),
    );
}

fn sentence(rng: &mut StdRng, chars: usize) -> String {
    let mut s = String::new();
    while s.len() < chars {
        if !s.is_empty() {
            s.push(if rng.random_bool(0.08) { '\n' } else { ' ' });
        }
        s.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    s
}

/// Types `text` at the end of a session's notes, one splice per keystroke, with typos corrected
/// by backspace, committing every [`KEYSTROKES_PER_COMMIT`] edits. Returns the keystrokes made.
fn type_notes(
    doc: &mut AutoCommit,
    rng: &mut StdRng,
    session: &str,
    text: &str,
    now: DateTime<Utc>,
) -> usize {
    let mut len = 0usize;
    let mut edits = 0usize;
    let splice =
        |doc: &mut AutoCommit, pos: usize, delete: usize, insert: &str, edits: &mut usize| {
            let edit = TextSplice {
                session_id: session.into(),
                field: "notes".into(),
                pos,
                delete,
                insert: insert.into(),
            };
            if let Err(e) = ops::splice_text(doc, &edit) {
                panic!("generator splice failed: {e}");
            }
            *edits += 1;
            if edits.is_multiple_of(KEYSTROKES_PER_COMMIT) {
                commit(doc, "Edit notes", now);
            }
        };
    for c in text.chars() {
        if rng.random_bool(0.03) {
            splice(doc, len, 0, "x", &mut edits);
            splice(doc, len, 1, "", &mut edits);
        }
        splice(doc, len, 0, c.encode_utf8(&mut [0; 4]), &mut edits);
        len += 1;
        if rng.random_bool(0.004) && len > 6 {
            // Rethink the last few characters: delete them one by one and type them again.
            let back: usize = rng.random_range(2..6);
            let retype: String = text.chars().skip(len - back).take(back).collect();
            for _ in 0..back {
                len -= 1;
                splice(doc, len, 1, "", &mut edits);
            }
            for c in retype.chars() {
                splice(doc, len, 0, c.encode_utf8(&mut [0; 4]), &mut edits);
                len += 1;
            }
        }
    }
    commit(doc, "Edit notes", now);
    edits
}

fn map(doc: &mut AutoCommit, parent: &automerge::ObjId, key: &str) -> automerge::ObjId {
    match doc.get(parent, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => id,
        _ => doc
            .put_object(parent, key, ObjType::Map)
            .unwrap_or_else(|e| panic!("{e}")),
    }
}

/// A generated pair document and what it took to make it.
#[derive(Debug)]
pub struct Generated {
    pub doc: AutoCommit,
    pub id: String,
    pub keystrokes: usize,
    pub changes: usize,
}

/// The id of [`typed_pair`]'s pair for `seed`.
pub fn typed_pair_id(seed: u64) -> String {
    format!("BENCH{seed:05}")
}

/// A pair of `shape`, typed on two devices that alternate sessions and merge every four weeks.
pub fn typed_pair(seed: u64, shape: PairShape) -> Generated {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2021, 11, 1).unwrap_or_default();
    let id = typed_pair_id(seed);
    let ids = PairIds {
        pair: id.clone(),
        me: "MENTOR".into(),
        partner: "MENTEE".into(),
    };
    let mut a = tandem_core::new_document().with_actor(ActorId::from(vec![1u8; 16]));
    let input = NewPair {
        title: format!("Generated pair {seed}"),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: "kubernetes".into(),
        target_role: "approver".into(),
        cadence: "weekly".into(),
        start: start.to_string(),
        minutes: "30".into(),
        ..NewPair::default()
    };
    ops::create_pair(&mut a, &ids, &input, at(start)).unwrap_or_else(|e| panic!("{e}"));
    commit(&mut a, "Create pair", at(start));
    let mut b = a.fork().with_actor(ActorId::from(vec![2u8; 16]));
    ops::register_device(&mut b, "MENTEE").unwrap_or_else(|e| panic!("{e}"));
    commit(&mut b, "Join pair", at(start));

    let goal_every = (shape.sessions / shape.goals.max(1)).max(1);
    let feedback_every = (shape.sessions / shape.feedback.max(1)).max(1);
    let mut keystrokes = 0;
    let mut goals: Vec<(String, usize)> = Vec::new();
    for week in 0..shape.sessions {
        if week % 4 == 0 && week > 0 {
            // The devices meet every four weeks (before that month's evaluations, so nobody
            // evaluates a goal their laptop has not received yet).
            a.merge(&mut b).unwrap_or_else(|e| panic!("{e}"));
            b.merge(&mut a).unwrap_or_else(|e| panic!("{e}"));
        }
        let day = date(start, week);
        let now = at(day);
        let (doc, by) = if week % 2 == 0 {
            (&mut a, "MENTOR")
        } else {
            (&mut b, "MENTEE")
        };
        let session = format!("S{seed:03}W{week:04}");
        let input = NewSession {
            date: day.to_string(),
            minutes: ["30", "45", "60"][week % 3].into(),
            methods: vec![["qa", "review", "pairing", "planning"][week % 4].into()],
            ..NewSession::default()
        };
        ops::log_session(doc, &session, &input, now, day).unwrap_or_else(|e| panic!("{e}"));
        commit(doc, "Log session", now);
        let text = sentence(&mut rng, shape.notes_chars);
        keystrokes += type_notes(doc, &mut rng, &session, &text, now);

        if week % goal_every == 0 && goals.len() < shape.goals {
            let goal = format!("G{seed:03}N{:03}", goals.len());
            let input = NewGoal {
                title: sentence(&mut rng, 30).replace('\n', " "),
                due: date(day, 26).to_string(),
                ..NewGoal::default()
            };
            ops::add_goal(doc, &goal, &input, now).unwrap_or_else(|e| panic!("{e}"));
            commit(doc, "Propose goal", now);
            goals.push((goal, week));
        }
        if week % 4 == 0 && week > 0 {
            // Monthly evaluations of goals younger than a year.
            for (goal, since) in goals.iter().filter(|(_, since)| week - since < 52) {
                let root = map(doc, &ROOT, "goals");
                let g = map(doc, &root, goal);
                let evals = map(doc, &g, "evaluations");
                let eval = Evaluation {
                    date: day.to_string(),
                    progress: i64::try_from(((week - since) * 2).min(100)).unwrap_or(100),
                    note: Text::with_value(sentence(&mut rng, 60)),
                    by: by.into(),
                };
                reconcile_prop(doc, &evals, format!("E{week:04}").as_str(), &eval)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            commit(doc, "Evaluate goals", now);
        }
        if week % feedback_every == 0 {
            let fb = Feedback {
                kind: "session".into(),
                session: Some(session.clone()),
                from: by.into(),
                to: None,
                date: day.to_string(),
                rating: Some(i64::from(rng.random_range(3..=5u8))),
                text: Text::with_value(sentence(&mut rng, 120)),
                shareable: rng.random_bool(0.5),
                ..Feedback::default()
            };
            let root = map(doc, &ROOT, "feedback");
            reconcile_prop(doc, &root, format!("F{week:04}").as_str(), &fb)
                .unwrap_or_else(|e| panic!("{e}"));
            commit(doc, "Feedback", now);
        }
        if week % 2 == 1 {
            // The mentee logs the fortnight's review or pull request in the evidence log.
            let kind = ["pr-reviewed", "pr-reviewed", "pr-authored", "issue-triaged"][week / 2 % 4];
            let e = Evidence {
                kind: kind.into(),
                link: format!(
                    "https://github.com/kubernetes/kubernetes/pull/{}",
                    90_000 + week
                ),
                date: day.to_string(),
                note: Text::with_value(sentence(&mut rng, 80).replace('\n', " ")),
                primary_reviewer: week % 3 == 0,
                by: by.into(),
            };
            let root = map(doc, &ROOT, "evidence");
            reconcile_prop(doc, &root, format!("V{week:04}").as_str(), &e)
                .unwrap_or_else(|e| panic!("{e}"));
            commit(doc, "Add evidence", now);
        }
        if week % 13 == 12 && by == "MENTOR" {
            // A readiness review about every three months.
            let r = ReadinessReview {
                date: day.to_string(),
                by: by.into(),
                ready: week > shape.sessions * 3 / 4,
                rationale: Text::with_value(sentence(&mut rng, 200)),
            };
            let root = map(doc, &ROOT, "readiness_reviews");
            reconcile_prop(doc, &root, format!("R{week:04}").as_str(), &r)
                .unwrap_or_else(|e| panic!("{e}"));
            commit(doc, "Readiness review", now);
        }
    }
    a.merge(&mut b).unwrap_or_else(|e| panic!("{e}"));
    let changes = a.get_changes(&[]).len();
    Generated {
        doc: a,
        id,
        keystrokes,
        changes,
    }
}

/// A pair whose notes arrive whole (as `tandem session add --notes` writes them): used to fill a
/// library of many pairs quickly.
pub fn quick_pair(seed: u64, sessions: usize) -> AutoCommit {
    quick_pair_with(seed, sessions, 600)
}

/// [`quick_pair`] with notes of about `notes_chars` characters.
pub fn quick_pair_with(seed: u64, sessions: usize, notes_chars: usize) -> AutoCommit {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap_or_default();
    let ids = PairIds {
        pair: format!("LIB{seed:05}"),
        me: "MENTOR".into(),
        partner: "MENTEE".into(),
    };
    let mut doc = tandem_core::new_document().with_actor(ActorId::from(vec![3u8; 16]));
    let input = NewPair {
        title: format!("Library pair {seed}"),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: format!("Mentee {seed}"),
        programme: "generic".into(),
        cadence: "fortnightly".into(),
        start: start.to_string(),
        minutes: "45".into(),
        ..NewPair::default()
    };
    ops::create_pair(&mut doc, &ids, &input, at(start)).unwrap_or_else(|e| panic!("{e}"));
    commit(&mut doc, "Create pair", at(start));
    for week in 0..sessions {
        let day = date(start, 2 * week);
        let input = NewSession {
            date: day.to_string(),
            minutes: "45".into(),
            notes: sentence(&mut rng, notes_chars),
            ..NewSession::default()
        };
        ops::log_session(&mut doc, &format!("Q{week:04}"), &input, at(day), day)
            .unwrap_or_else(|e| panic!("{e}"));
        commit(&mut doc, "Log session", at(day));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_pair_is_complete_and_deterministic() {
        let shape = PairShape {
            sessions: 9,
            notes_chars: 80,
            goals: 3,
            feedback: 4,
        };
        let g = typed_pair(5, shape);
        let doc = tandem_core::pair::read::hydrate(&g.doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.sessions.len(), 9);
        assert_eq!(doc.goals.len(), 3);
        assert!(doc.goals.values().any(|g| !g.evaluations.is_empty()));
        assert!(doc.sessions.values().all(|s| s.notes.as_str().len() >= 80));
        assert!(g.keystrokes >= 9 * 80);
        let again = typed_pair(5, shape);
        assert_eq!(
            tandem_core::pair::read::hydrate(&again.doc)
                .map(|d| d
                    .sessions
                    .values()
                    .map(|s| s.notes.as_str().to_string())
                    .collect::<Vec<_>>())
                .ok(),
            Some(
                doc.sessions
                    .values()
                    .map(|s| s.notes.as_str().to_string())
                    .collect::<Vec<_>>()
            )
        );
    }
}
