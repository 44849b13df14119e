//! The bar, line by line: what each line of a programme's bar counts in the pair's record over
//! the period, whether it is met, and the evidence shown beside it.

use chrono::NaiveDate;

use super::*;
use crate::pair::schema::{BarLine, BarSettings};
use crate::pair::view::PairView;
use crate::templates::{LineDef, Measure};

pub(super) struct BarCtx<'a> {
    pub(super) view: &'a PairView,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) started: NaiveDate,
    pub(super) settings: &'a BarSettings,
    pub(super) evidence: &'a [EvidenceLine],
    pub(super) feedback: &'a [FeedbackLine],
    pub(super) reviews: &'a [ReviewLine],
    pub(super) sessions: &'a [NaiveDate],
    pub(super) minutes: i64,
    pub(super) goals_achieved: usize,
}

/// "PRs reviewed", "issue triaged": an evidence kind after a count.
fn counted(kind: EvidenceKind, n: usize) -> &'static str {
    let one = n == 1;
    match kind {
        EvidenceKind::PrReviewed if one => "PR reviewed",
        EvidenceKind::PrReviewed => "PRs reviewed",
        EvidenceKind::PrAuthored if one => "PR authored",
        EvidenceKind::PrAuthored => "PRs authored",
        EvidenceKind::IssueTriaged if one => "issue triaged",
        EvidenceKind::IssueTriaged => "issues triaged",
        EvidenceKind::Docs if one => "docs contribution",
        EvidenceKind::Docs => "docs contributions",
        EvidenceKind::Talk if one => "talk",
        EvidenceKind::Talk => "talks",
        EvidenceKind::Other if one => "other contribution",
        EvidenceKind::Other => "other contributions",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl BarCtx<'_> {
    pub(super) fn row(&self, def: &LineDef) -> BarRow {
        let adj = self
            .settings
            .lines
            .get(def.id)
            .cloned()
            .unwrap_or_else(BarLine::default);
        let n = adj.min.unwrap_or(def.min);
        let (met, evidence) = self.measure(def, n, &adj);
        let note = adj.evidence.clone().filter(|e| !e.trim().is_empty());
        let evidence = match (&note, def.measure) {
            (Some(words), Measure::Attested) => words.trim().to_string(),
            (Some(words), _) => format!("{evidence}. {}", words.trim()),
            (None, _) => evidence,
        };
        BarRow {
            id: def.id.into(),
            requirement: def.text.replace("{n}", &n.to_string()),
            evidence,
            met,
            excluded: adj.excluded,
            custom: false,
            min: def.has_threshold().then_some(n),
            needs_since: def.measure == Measure::MonthsSince,
            since: adj.since.clone(),
            attested: def.measure == Measure::Attested,
            note,
        }
    }

    fn measure(&self, def: &LineDef, n: i64, adj: &BarLine) -> (bool, String) {
        let at_least = |count: usize| count as i64 >= n;
        match def.measure {
            Measure::Evidence(kinds) => {
                let mut parts = Vec::new();
                let mut total = 0;
                for kind in kinds {
                    let c = self
                        .evidence
                        .iter()
                        .filter(|e| EvidenceKind::parse(&e.kind) == Some(*kind))
                        .count();
                    if c > 0 {
                        parts.push(format!("{c} {}", counted(*kind, c)));
                    }
                    total += c;
                }
                let text = if parts.is_empty() {
                    "Nothing in the evidence log yet".to_string()
                } else {
                    format!("{} logged: {}", total, parts.join(", "))
                };
                (at_least(total), text)
            }
            Measure::PrimaryReviews => {
                let c = self
                    .evidence
                    .iter()
                    .filter(|e| {
                        e.primary_reviewer
                            && EvidenceKind::parse(&e.kind) == Some(EvidenceKind::PrReviewed)
                    })
                    .count();
                (
                    at_least(c),
                    format!(
                        "{} as primary reviewer in the evidence log",
                        plural(c, "PR", "PRs")
                    ),
                )
            }
            Measure::MonthsSince => match adj.since.as_deref().and_then(date_of) {
                Some(since) => {
                    let m = whole_months(since, self.to);
                    (
                        m >= n,
                        format!("Since {since}: {}", plural(m as usize, "month", "months")),
                    )
                }
                None => (false, "The date it began is not recorded yet".into()),
            },
            Measure::MonthsInProgramme => {
                let m = whole_months(self.started, self.to);
                (
                    m >= n,
                    format!(
                        "Since {}: {}",
                        self.started,
                        plural(m as usize, "month", "months")
                    ),
                )
            }
            Measure::Sessions => {
                let c = self.sessions.len();
                (
                    at_least(c),
                    format!("{} held", plural(c, "session", "sessions")),
                )
            }
            Measure::Hours => (
                self.minutes >= n * 60,
                format!("{} hours of sessions", hours(self.minutes)),
            ),
            Measure::GoalsAchieved => (
                at_least(self.goals_achieved),
                format!("{} achieved", plural(self.goals_achieved, "goal", "goals")),
            ),
            Measure::GoalsEvaluatedMonthly => {
                let dates: Vec<NaiveDate> = self
                    .view
                    .goals
                    .iter()
                    .flat_map(|g| g.evaluations.iter().filter_map(|e| date_of(&e.date)))
                    .collect();
                self.every_month(&dates, "evaluations")
            }
            Measure::MonthlyCheckIns => {
                let mut dates: Vec<NaiveDate> = self.sessions.to_vec();
                dates.extend(
                    self.feedback
                        .iter()
                        .filter(|f| {
                            FeedbackKind::parse(&f.kind).is_some_and(|k| k != FeedbackKind::Session)
                        })
                        .filter_map(|f| date_of(&f.date)),
                );
                self.every_month(&dates, "check-ins")
            }
            Measure::ReadinessReviews => {
                let dates: Vec<NaiveDate> = self
                    .reviews
                    .iter()
                    .filter_map(|r| date_of(&r.date))
                    .collect();
                let mut marks = vec![self.from];
                marks.extend(dates.iter().copied());
                marks.push(self.to);
                let longest = marks
                    .windows(2)
                    .map(|w| whole_months(w[0], w[1]))
                    .max()
                    .unwrap_or(0);
                let text = if dates.is_empty() {
                    "No readiness review in the period".to_string()
                } else {
                    format!(
                        "{}: {}",
                        plural(dates.len(), "review", "reviews"),
                        dates
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                (!dates.is_empty() && longest < n, text)
            }
            Measure::Ready => match self.reviews.last() {
                Some(r) => (
                    r.ready,
                    format!(
                        "{} ({}): {}",
                        r.date,
                        r.by,
                        if r.ready { "ready" } else { "not ready yet" }
                    ),
                ),
                None => (false, "No readiness review in the period".into()),
            },
            Measure::Feedback(kinds) => {
                let found: Vec<&FeedbackLine> = self
                    .feedback
                    .iter()
                    .filter(|f| FeedbackKind::parse(&f.kind).is_some_and(|k| kinds.contains(&k)))
                    .collect();
                let text = if found.is_empty() {
                    "None marked shareable in the period".to_string()
                } else {
                    found
                        .iter()
                        .map(|f| format!("{} by {}", f.date, f.from))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                (at_least(found.len()), text)
            }
            Measure::Week => {
                let start = self
                    .settings
                    .start
                    .as_deref()
                    .and_then(date_of)
                    .unwrap_or(self.from);
                let lo = start + chrono::Duration::days(7 * (n - 2).max(0));
                let hi = start + chrono::Duration::days(7 * (n + 1) - 1);
                let mut dates: Vec<NaiveDate> = self
                    .feedback
                    .iter()
                    .filter(|f| FeedbackKind::parse(&f.kind) != Some(FeedbackKind::Session))
                    .filter_map(|f| date_of(&f.date))
                    .collect();
                dates.extend(
                    self.view
                        .goals
                        .iter()
                        .flat_map(|g| g.evaluations.iter().filter_map(|e| date_of(&e.date))),
                );
                dates.sort();
                dates.dedup();
                let hits: Vec<String> = dates
                    .iter()
                    .filter(|d| **d >= lo && **d <= hi)
                    .map(ToString::to_string)
                    .collect();
                let text = if hits.is_empty() {
                    format!("Nothing recorded between {lo} and {hi}")
                } else {
                    format!("Recorded {} (week {n} is {lo} to {hi})", hits.join(", "))
                };
                (!hits.is_empty(), text)
            }
            Measure::Attested => (adj.met.unwrap_or(false), "Not yet recorded".to_string()),
        }
    }

    /// Met when every calendar month of the period holds one of `dates`.
    fn every_month(&self, dates: &[NaiveDate], what: &str) -> (bool, String) {
        let months = months_of(self.from, self.to);
        let have: BTreeSet<(i32, u32)> = dates
            .iter()
            .filter(|d| **d >= self.from && **d <= self.to)
            .map(|d| (d.year(), d.month()))
            .collect();
        let missing: Vec<String> = months
            .iter()
            .filter(|m| !have.contains(m))
            .map(|(y, m)| month_name(*y, *m))
            .collect();
        let covered = months.len() - missing.len();
        let mut text = format!("{what} in {covered} of {} months", months.len());
        if let Some(first) = text.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
            text.push_str(&format!(" (none in {}", shown.join(", ")));
            if missing.len() > shown.len() {
                text.push_str(&format!(" and {} more", missing.len() - shown.len()));
            }
            text.push(')');
        }
        (missing.is_empty(), text)
    }
}
