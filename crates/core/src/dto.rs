//! What crosses the IPC boundary and the CLI: form inputs as the person typed them, and errors.
//!
//! Inputs keep dates and numbers as the strings that were typed, so the same validation in
//! [`crate::validate`] produces the same sentence for the window and for the command line.

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

/// Every discrete change a person makes to a pair, as one value: the window sends it as JSON, the
/// CLI builds it from arguments, and [`crate::ops::apply`] validates and writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    LogSession(NewSession),
    EditSession {
        session_id: String,
        #[serde(flatten)]
        session: NewSession,
    },
    AddActionItem {
        session_id: String,
        #[serde(flatten)]
        item: NewActionItem,
    },
    SetActionItemDone {
        session_id: String,
        item_id: String,
        done: bool,
    },
    ProposeGoal(NewGoal),
    EditGoal {
        goal_id: String,
        #[serde(flatten)]
        goal: NewGoal,
    },
    AgreeGoal {
        goal_id: String,
    },
    SetGoalStatus {
        goal_id: String,
        status: String,
    },
    EvaluateGoal {
        goal_id: String,
        #[serde(flatten)]
        evaluation: NewEvaluation,
    },
    ProposeSchedule(NewSchedule),
    AgreeSchedule,
    AddFeedback(NewFeedback),
    ResolveConcern {
        feedback_id: String,
    },
    ReviewReadiness(NewReview),
    AddEvidence(NewEvidence),
    /// Pause, resume, end or graduate, with a reason.
    SetPairStatus {
        status: String,
        #[serde(default)]
        reason: String,
    },
    /// The mentor hands the pair to a new mentor, who joins as a new person.
    HandOff {
        new_mentor: String,
        #[serde(default)]
        reason: String,
    },
    SetMyTimeZone {
        time_zone: String,
    },
    /// Chooses one of the values two people wrote concurrently to the same field: `choice` is
    /// the option's id from the pair view's conflict list.
    ResolveConflict {
        path: Vec<String>,
        choice: String,
    },
    /// Adjusts one line of a programme template's bar for this pair (the whole line at once).
    SetBarLine {
        template: String,
        line: String,
        #[serde(flatten)]
        input: BarLineInput,
    },
    /// Adds a line of the pair's own to a template's bar.
    AddBarLine {
        template: String,
        requirement: String,
    },
    /// Removes a line the pair added.
    RemoveBarLine {
        template: String,
        line: String,
    },
    /// The date the programme started, from which week-numbered checkpoints count; empty for the
    /// start of each summary's period.
    SetBarStart {
        template: String,
        #[serde(default)]
        start: String,
    },
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

/// Machine-readable error kinds; the UI matches on these, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input needs fixing; `field` says which.
    InvalidInput,
    NotFound,
    /// Another Tandem is using this library.
    Busy,
    /// The disk or a file on it failed; the message says which and what to do.
    Storage,
    /// A pair written by a newer Tandem.
    Unsupported,
    Internal,
}

/// An error as the UI receives it: a code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For [`ErrorCode::InvalidInput`]: the form field to highlight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}
