//! The pair as the window draws it and the CLI prints it: plain, serialisable state derived from
//! the document ([`derive`]). A pair's [`PairView`] is also what the library caches on disk, so a
//! pair opens without waiting for the CRDT to load; what depends on today's date is filled in by
//! [`PairView::refresh`] ([`refresh`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::schedule::{Rule, Terms};
use super::schema::BarSettings;
use crate::conflicts::Conflict;

mod derive;
mod patch;
mod refresh;

pub use derive::{pair_view, view_of};
pub use patch::patch_typing;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub role_label: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Handed the pair to someone else; kept for the record.
    #[serde(default)]
    pub left: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodView {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItemView {
    pub id: String,
    pub text: String,
    /// The owner's name.
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
}

/// An action item not yet done, carried forward onto the next session's agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenItemView {
    pub session_id: String,
    pub session_date: String,
    pub item: ActionItemView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub date: String,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub minutes: i64,
    pub methods: Vec<MethodView>,
    pub agenda: String,
    pub notes: String,
    pub action_items: Vec<ActionItemView>,
    /// Name of the person who logged it.
    pub logged_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalView {
    pub id: String,
    pub title: String,
    pub specific: String,
    pub measurable: String,
    pub achievable: String,
    pub relevant: String,
    pub due: Option<String>,
    pub status: String,
    pub status_label: String,
    pub proposed_by: String,
    /// Latest evaluation's progress, 0–100.
    pub progress: Option<i64>,
    /// Names of the people who agreed to the goal as it stands.
    #[serde(default)]
    pub agreed_by: Vec<String>,
    /// Person ids who agreed (the UI compares with `me`).
    #[serde(default)]
    pub agreed_ids: Vec<String>,
    /// Newest first.
    #[serde(default)]
    pub evaluations: Vec<EvaluationView>,
    /// Active and not evaluated for more than a month; set by [`PairView::refresh`].
    #[serde(default)]
    pub due_for_review: bool,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub id: String,
    pub date: String,
    pub progress: i64,
    pub note: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub session: Option<String>,
    /// Names.
    pub from: String,
    pub from_id: String,
    pub to: Option<String>,
    pub date: String,
    pub rating: Option<i64>,
    pub text: String,
    pub shareable: bool,
    /// For check-ins.
    pub all_well: Option<bool>,
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub link: String,
    pub date: String,
    pub note: String,
    pub primary_reviewer: bool,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: String,
    pub date: String,
    pub by: String,
    pub ready: bool,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub cadence: String,
    pub every_days: Option<i64>,
    #[serde(default)]
    pub weekday: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub minutes: i64,
    pub start: String,
    pub sessions: Option<i64>,
    pub end: Option<String>,
    pub reassess: Option<String>,
    /// e.g. "30 min every week from 2026-11-02".
    pub summary: String,
    pub weekly_minutes: i64,
    /// Person ids who agreed to the schedule as it stands.
    #[serde(default)]
    pub agreed_ids: Vec<String>,
    /// Names of current people who have not agreed yet; empty when it is agreed.
    #[serde(default)]
    pub awaiting: Vec<String>,
}

/// Everything the pair page draws. Cached on disk by the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairView {
    pub id: String,
    pub title: String,
    pub programme: String,
    pub programme_label: String,
    pub target_role: String,
    pub status: String,
    pub status_label: String,
    /// Why the status last changed, by whom and when.
    #[serde(default)]
    pub status_reason: Option<String>,
    #[serde(default)]
    pub status_changed: Option<String>,
    pub people: Vec<PersonView>,
    /// Person id of this device's person, when it has joined.
    pub me: Option<String>,
    /// Newest first.
    pub sessions: Vec<SessionView>,
    pub goals: Vec<GoalView>,
    pub schedule: Option<ScheduleView>,
    pub total_minutes: i64,
    /// Action items not done yet, oldest session first: the next session's agenda.
    #[serde(default)]
    pub open_items: Vec<OpenItemView>,
    /// Newest first.
    #[serde(default)]
    pub feedback: Vec<FeedbackView>,
    #[serde(default)]
    pub evidence: Vec<EvidenceView>,
    #[serde(default)]
    pub reviews: Vec<ReviewView>,
    /// Fields edited concurrently on two devices; see [`crate::conflicts`].
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Derived from the schedule and today's date; filled in by [`PairView::refresh`].
    #[serde(default)]
    pub next_session: Option<String>,
    /// What needs attention today (goals due for review, a check-in or review that is due, an
    /// open concern); filled in by [`PairView::refresh`].
    #[serde(default)]
    pub reminders: Vec<String>,
    /// The pair's adjustments to the programme templates' bars, by template id.
    #[serde(default)]
    pub bars: BTreeMap<String, BarSettings>,
    /// ISO date the pair was created.
    #[serde(default)]
    pub created: String,
    /// Why the pair cannot be edited here (a newer Tandem changed it), if it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
}

/// One row of the library screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    pub id: String,
    pub title: String,
    pub programme_label: String,
    pub target_role: String,
    pub status_label: String,
    /// The other people's names, joined ("Alex" or "Alex, Kim").
    pub partner: String,
    pub last_session: Option<String>,
    pub next_session: Option<String>,
    pub session_count: usize,
}

/// A pair's library row as it is cached beside its view (`card.json`): the row without the
/// date-dependent next session, and the schedule to compute it from. Listing a library reads
/// these small cards instead of parsing every pair's whole view (10 MB for the bench's
/// 100-pair library).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairCard {
    pub summary: PairSummary,
    pub schedule: Option<ScheduleView>,
}

impl ScheduleView {
    /// The schedule as a date rule, when it can be read as one.
    pub fn rule(&self) -> Option<Rule> {
        Rule::new(Terms {
            cadence: &self.cadence,
            every_days: self.every_days,
            weekday: self.weekday.as_deref(),
            start: &self.start,
            sessions: self.sessions,
            end: self.end.as_deref(),
        })
    }
}
