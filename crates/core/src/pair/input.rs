//! The pair's form inputs as the person typed them: what the window sends and the CLI builds.
//!
//! Inputs keep dates and numbers as the strings that were typed, so the same validation in
//! [`super::validate`] produces the same sentence for the window and for the command line.

use serde::{Deserialize, Serialize};

/// The "New pair" form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPair {
    pub title: String,
    pub my_name: String,
    /// A [`crate::vocab::Role`] string.
    pub my_role: String,
    pub partner_name: String,
    /// Defaults to the counterpart of `my_role`.
    pub partner_role: Option<String>,
    /// A [`crate::vocab::Programme`] string.
    pub programme: String,
    pub target_role: String,
    /// Empty for "not scheduled yet", else a [`crate::vocab::Cadence`] string.
    pub cadence: String,
    /// ISO date of the first scheduled session; required with a cadence.
    pub start: String,
    /// Minutes per scheduled session; required with a cadence.
    pub minutes: String,
}

/// The "Log session" form (and "Edit session", which ignores agenda and notes: those are edited
/// in place as text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSession {
    pub date: String,
    /// Local start time "HH:MM", or empty.
    pub time: String,
    /// IANA time zone of `time`, e.g. "Europe/Berlin", or empty.
    pub time_zone: String,
    pub minutes: String,
    /// [`crate::vocab::Method`] strings.
    pub methods: Vec<String>,
    pub agenda: String,
    pub notes: String,
}

/// The "Add goal" form: a SMART goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewGoal {
    pub title: String,
    pub specific: String,
    pub measurable: String,
    pub achievable: String,
    pub relevant: String,
    /// ISO due date, or empty.
    pub due: String,
}

/// The "Agree a schedule" form: "30 min weekly on Tuesdays at 17:00 Europe/Berlin for 6 weeks,
/// then reassess".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSchedule {
    /// A [`crate::vocab::Cadence`] string.
    pub cadence: String,
    /// For a custom cadence: days between sessions.
    pub every_days: String,
    /// A [`crate::vocab::Weekday`] string, or empty for the weekday of `start`.
    pub weekday: String,
    /// "HH:MM" or empty.
    pub time: String,
    pub time_zone: String,
    pub minutes: String,
    pub start: String,
    /// How many sessions, or empty.
    pub sessions: String,
    /// ISO end date, or empty.
    pub end: String,
    /// ISO date to reassess the schedule, or empty.
    pub reassess: String,
}

/// An action item agreed in a session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewActionItem {
    pub text: String,
    /// Person id; empty for "me".
    pub owner: String,
    pub due: String,
}

/// A dated evaluation of a goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEvaluation {
    pub date: String,
    /// 0–100.
    pub progress: String,
    pub note: String,
}

/// Feedback or a check-in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewFeedback {
    /// A [`crate::vocab::FeedbackKind`] string.
    pub kind: String,
    /// For session feedback: the session's id.
    pub session: String,
    pub date: String,
    /// 1–5, or empty.
    pub rating: String,
    pub text: String,
    /// For check-ins: "all is well".
    pub all_well: bool,
    /// May appear in an exported summary.
    pub shareable: bool,
}

/// A mentor's readiness review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewReview {
    pub date: String,
    pub ready: bool,
    pub rationale: String,
}

/// An entry in the evidence log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEvidence {
    /// A [`crate::vocab::EvidenceKind`] string.
    pub kind: String,
    pub link: String,
    pub date: String,
    pub note: String,
    /// For reviewed pull requests: was the mentee the primary reviewer?
    pub primary_reviewer: bool,
}

/// One line of a programme template's bar as the pair adjusts it (the "Progress summary" form).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BarLineInput {
    /// The threshold, for lines that have one; empty for the template's.
    pub min: String,
    /// ISO date a status began ("member since"), for lines counted from it; or empty.
    pub since: String,
    /// For lines only a person can attest, and lines the pair added.
    pub met: Option<bool>,
    /// The pair's own words of evidence.
    pub evidence: String,
    /// Does not apply to this pair.
    pub excluded: bool,
}

/// One edit of a session's notes or agenda: delete `delete` characters at `pos`, then insert.
/// Positions count Unicode code points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextSplice {
    pub session_id: String,
    /// "notes" or "agenda".
    pub field: String,
    pub pos: usize,
    pub delete: usize,
    pub insert: String,
}

/// A change to one line of a bar where only what was given changes (`tandem bar --line …`): the
/// rest of the line stays as it stands, since a line is always set whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarLineChange {
    pub min: Option<String>,
    pub since: Option<String>,
    pub met: Option<bool>,
    pub evidence: Option<String>,
    pub excluded: Option<bool>,
}

impl BarLineChange {
    /// The whole line as it will be set: this change over how line `line` stands in `settings`
    /// (a built-in line's adjustment, or a line the pair added).
    pub fn over(self, settings: &super::schema::BarSettings, line: &str) -> BarLineInput {
        let adj = settings.lines.get(line.trim()).cloned().unwrap_or_default();
        let custom = settings.custom.get(line.trim());
        BarLineInput {
            min: self
                .min
                .unwrap_or_else(|| adj.min.map(|n| n.to_string()).unwrap_or_default()),
            since: self
                .since
                .unwrap_or_else(|| adj.since.clone().unwrap_or_default()),
            met: self.met.or_else(|| custom.map(|c| c.met).or(adj.met)),
            evidence: self.evidence.unwrap_or_else(|| {
                custom
                    .map(|c| c.evidence.clone())
                    .or(adj.evidence.clone())
                    .unwrap_or_default()
            }),
            excluded: self.excluded.unwrap_or(adj.excluded),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::pair::schema::{BarLine, BarSettings, CustomLine};

    #[test]
    fn a_bar_line_change_keeps_what_was_not_given() {
        let settings = BarSettings {
            start: None,
            lines: BTreeMap::from([(
                "primary-reviews".to_string(),
                BarLine {
                    min: Some(8),
                    since: None,
                    met: None,
                    evidence: Some("see the PR list".into()),
                    excluded: false,
                },
            )]),
            custom: BTreeMap::from([(
                "01CUSTOM".to_string(),
                CustomLine {
                    requirement: "Gave a talk".into(),
                    met: true,
                    evidence: "KubeCon".into(),
                },
            )]),
        };
        let excluded = BarLineChange {
            excluded: Some(true),
            ..BarLineChange::default()
        }
        .over(&settings, "primary-reviews");
        assert_eq!(excluded.min, "8");
        assert_eq!(excluded.evidence, "see the PR list");
        assert!(excluded.excluded);
        let cleared = BarLineChange {
            min: Some(String::new()),
            ..BarLineChange::default()
        }
        .over(&settings, "primary-reviews");
        assert_eq!(cleared.min, "");
        let custom = BarLineChange {
            evidence: Some("KubeCon EU".into()),
            ..BarLineChange::default()
        }
        .over(&settings, "01CUSTOM");
        assert_eq!(custom.met, Some(true));
        assert_eq!(custom.evidence, "KubeCon EU");
        let fresh = BarLineChange::default().over(&settings, "sponsor");
        assert_eq!(fresh, BarLineInput::default());
    }
}
