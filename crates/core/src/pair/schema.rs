//! Schema v1 of the pair document, mapped onto Automerge with autosurgeon.
//!
//! Rules that keep the document mergeable and long-lived:
//! - Collections that two people add to concurrently are maps keyed by ULID, never lists.
//! - Free text that two people type into (agenda, notes, feedback, rationale) is Automerge `Text`,
//!   so concurrent typing merges by character.
//! - Numbers are i64 (a JS peer writes Int); dates are ISO-8601 strings; enums are their strings.
//! - Every field added after v1 carries `#[autosurgeon(missing = "Default::default")]`, so a
//!   document written by an older version still hydrates (an `Option` alone is not enough:
//!   autosurgeon wants an explicit null for `None`).

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};

/// The schema version written at the root of every document this version creates.
pub const SCHEMA_VERSION: i64 = 1;

/// The whole pair: everything a mentor and a mentee keep together.
#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct PairDoc {
    pub schema_version: i64,
    pub pair: PairInfo,
    /// People in the pair, keyed by person id (ULID).
    pub people: BTreeMap<String, Person>,
    /// Automerge actor id (hex) → person id: who wrote which change.
    pub actors: BTreeMap<String, String>,
    pub sessions: BTreeMap<String, Session>,
    pub goals: BTreeMap<String, Goal>,
    pub schedule: Option<Schedule>,
    pub feedback: BTreeMap<String, Feedback>,
    pub evidence: BTreeMap<String, Evidence>,
    pub readiness_reviews: BTreeMap<String, ReadinessReview>,
    /// The pair's adjustments to each programme template's graduation bar, keyed by template id
    /// (see [`crate::templates`]).
    #[autosurgeon(missing = "Default::default")]
    pub bars: BTreeMap<String, BarSettings>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate, PartialEq)]
pub struct PairInfo {
    pub id: String,
    pub title: String,
    /// A [`crate::vocab::Programme`] string.
    pub programme: String,
    /// The role the mentee is working towards, e.g. "Kubernetes SIG Docs reviewer".
    pub target_role: String,
    /// A [`crate::vocab::PairStatus`] string.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    pub created_by: String,
    /// Why the status last changed (paused, ended, graduated, handed off), who changed it, when.
    #[autosurgeon(missing = "Default::default")]
    pub status_reason: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub status_changed_by: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub status_changed_at: Option<String>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate, PartialEq)]
pub struct Person {
    pub name: String,
    /// A [`crate::vocab::Role`] string.
    pub role: String,
    /// IANA time zone, e.g. "Europe/Berlin", when known.
    pub time_zone: Option<String>,
    /// RFC 3339 time the person left the pair (a mentor who handed off); absent while in it.
    #[autosurgeon(missing = "Default::default")]
    pub left_at: Option<String>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Session {
    /// ISO date of the session, e.g. "2026-11-20".
    pub date: String,
    /// Local start time "HH:MM" and its IANA zone, when known.
    pub time: Option<String>,
    pub time_zone: Option<String>,
    pub minutes: i64,
    /// [`crate::vocab::Method`] strings. A small set, replaced whole.
    pub methods: Vec<String>,
    pub agenda: Text,
    pub notes: Text,
    pub action_items: BTreeMap<String, ActionItem>,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate, PartialEq)]
pub struct ActionItem {
    pub text: String,
    /// Person id.
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
    #[autosurgeon(missing = "Default::default")]
    pub done_at: Option<String>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Goal {
    pub title: String,
    pub specific: Text,
    pub measurable: Text,
    pub achievable: Text,
    pub relevant: Text,
    /// ISO due date: the "time-bound" of SMART.
    pub due: Option<String>,
    /// A [`crate::vocab::GoalStatus`] string.
    pub status: String,
    pub proposed_by: String,
    /// Person ids who agreed to the goal as it stands; an edit clears it.
    pub agreed_by: BTreeMap<String, String>,
    pub evaluations: BTreeMap<String, Evaluation>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Evaluation {
    pub date: String,
    /// 0–100.
    pub progress: i64,
    pub note: Text,
    pub by: String,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate, PartialEq)]
pub struct Schedule {
    /// A [`crate::vocab::Cadence`] string.
    pub cadence: String,
    /// For custom cadences: days between sessions.
    pub every_days: Option<i64>,
    /// "HH:MM" local time and its IANA zone.
    pub time: Option<String>,
    pub time_zone: Option<String>,
    pub minutes: i64,
    /// ISO date from which the schedule runs.
    pub start: String,
    /// A [`crate::vocab::Weekday`] string: sessions fall on this day, from the first one on or
    /// after `start`. Absent: the weekday of `start`.
    #[autosurgeon(missing = "Default::default")]
    pub weekday: Option<String>,
    pub sessions: Option<i64>,
    pub end: Option<String>,
    pub reassess: Option<String>,
    /// Person id → RFC 3339 time they agreed to the schedule as it stands.
    pub agreed_by: BTreeMap<String, String>,
    #[autosurgeon(missing = "Default::default")]
    pub proposed_by: Option<String>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Feedback {
    /// A [`crate::vocab::FeedbackKind`] string.
    pub kind: String,
    pub session: Option<String>,
    pub from: String,
    pub to: Option<String>,
    pub date: String,
    pub rating: Option<i64>,
    pub text: Text,
    /// Whether it may appear in an exported summary.
    pub shareable: bool,
    /// For check-ins: "all is well" (one click). Anything else raises a concern shown on the pair
    /// page until someone marks it resolved.
    #[autosurgeon(missing = "Default::default")]
    pub all_well: Option<bool>,
    #[autosurgeon(missing = "Default::default")]
    pub resolved_at: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Evidence {
    /// A [`crate::vocab::EvidenceKind`] string.
    pub kind: String,
    pub link: String,
    pub date: String,
    pub note: Text,
    pub primary_reviewer: bool,
    pub by: String,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct ReadinessReview {
    pub date: String,
    pub by: String,
    pub ready: bool,
    pub rationale: Text,
}

/// A pair's adjustments to one template's bar: thresholds, dates, lines met by attestation, lines
/// that do not apply, and lines of its own. Written whole per line, so two people adjusting
/// different lines merge.
#[derive(
    Debug, Clone, Default, Reconcile, Hydrate, PartialEq, serde::Serialize, serde::Deserialize,
)]
pub struct BarSettings {
    /// ISO date the programme started, from which week-numbered checkpoints count; absent: the
    /// start of the summary's period.
    #[autosurgeon(missing = "Default::default")]
    pub start: Option<String>,
    /// Built-in line id → its adjustment.
    #[autosurgeon(missing = "Default::default")]
    pub lines: BTreeMap<String, BarLine>,
    /// Lines the pair added, keyed by ULID (so they sort by when they were added).
    #[autosurgeon(missing = "Default::default")]
    pub custom: BTreeMap<String, CustomLine>,
}

/// The adjustment of one built-in bar line.
#[derive(
    Debug, Clone, Default, Reconcile, Hydrate, PartialEq, serde::Serialize, serde::Deserialize,
)]
pub struct BarLine {
    /// Replaces the template's threshold ("≥ 20 PRs").
    #[autosurgeon(missing = "Default::default")]
    pub min: Option<i64>,
    /// ISO date a status began ("member since"), for lines that count months from it.
    #[autosurgeon(missing = "Default::default")]
    pub since: Option<String>,
    /// For lines only a person can attest (sponsors, a nomination): met or not.
    #[autosurgeon(missing = "Default::default")]
    pub met: Option<bool>,
    /// The pair's own words of evidence, shown beside the line.
    #[autosurgeon(missing = "Default::default")]
    pub evidence: Option<String>,
    /// Does not apply to this pair; shown struck through and not counted.
    #[autosurgeon(missing = "Default::default")]
    pub excluded: bool,
}

/// A bar line the pair added.
#[derive(
    Debug, Clone, Default, Reconcile, Hydrate, PartialEq, serde::Serialize, serde::Deserialize,
)]
pub struct CustomLine {
    pub requirement: String,
    #[autosurgeon(missing = "Default::default")]
    pub met: bool,
    #[autosurgeon(missing = "Default::default")]
    pub evidence: String,
}
