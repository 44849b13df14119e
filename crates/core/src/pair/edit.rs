//! Every discrete change a person makes to a pair, as one value, nested by the aggregate it
//! changes: the window sends it as JSON, the CLI builds it from arguments, and
//! [`super::ops::apply`] validates and writes it.
//!
//! On the wire an edit is one flat object: `{"on": "goal", "op": "agree", "goal_id": "01J…"}`.

use serde::{Deserialize, Serialize};

use super::input::{
    BarLineInput, NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewReview,
    NewSchedule, NewSession,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Edit {
    Session(SessionEdit),
    Goal(GoalEdit),
    Schedule(ScheduleEdit),
    Feedback(FeedbackEdit),
    Lifecycle(LifecycleEdit),
    Bar(BarEdit),
    /// Chooses one of the values two people wrote concurrently to the same field.
    Conflict(ResolveConflict),
}

/// Sessions and their action items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SessionEdit {
    Log(NewSession),
    /// Date, time, length and methods (notes and agenda are edited in place as text).
    Edit {
        session_id: String,
        #[serde(flatten)]
        session: NewSession,
    },
    AddItem {
        session_id: String,
        #[serde(flatten)]
        item: NewActionItem,
    },
    SetItemDone {
        session_id: String,
        item_id: String,
        done: bool,
    },
    /// Deletes a session logged by mistake (its notes, agenda and action items with it). Either
    /// person may; the history keeps who did and when.
    Delete {
        session_id: String,
    },
}

/// SMART goals: proposed, agreed, evaluated, achieved or dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GoalEdit {
    Propose(NewGoal),
    Edit {
        goal_id: String,
        #[serde(flatten)]
        goal: NewGoal,
    },
    Agree {
        goal_id: String,
    },
    SetStatus {
        goal_id: String,
        status: String,
    },
    Evaluate {
        goal_id: String,
        #[serde(flatten)]
        evaluation: NewEvaluation,
    },
}

/// The agreed schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
// An edit lives for one call; boxing the proposal would only complicate building one.
#[allow(clippy::large_enum_variant)]
pub enum ScheduleEdit {
    Propose(NewSchedule),
    Agree,
}

/// Feedback, check-ins and their concerns, the mentor's readiness reviews, and the evidence log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FeedbackEdit {
    Give(NewFeedback),
    ResolveConcern { feedback_id: String },
    ReviewReadiness(NewReview),
    AddEvidence(NewEvidence),
}

/// The pair itself: its status, a hand-off, a person's time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum LifecycleEdit {
    /// Pause, resume, end or graduate, with a reason.
    SetStatus {
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
}

/// The pair's adjustments to a programme template's bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BarEdit {
    /// Adjusts one line (the whole line at once).
    SetLine {
        template: String,
        line: String,
        #[serde(flatten)]
        input: BarLineInput,
    },
    /// Adds a line of the pair's own.
    AddLine {
        template: String,
        requirement: String,
    },
    /// Removes a line the pair added.
    RemoveLine { template: String, line: String },
    /// The date the programme started, from which week-numbered checkpoints count; empty for the
    /// start of each summary's period.
    SetStart {
        template: String,
        #[serde(default)]
        start: String,
    },
}

/// Keeps one of a field's concurrent values: `choice` is the option's id from the pair view's
/// conflict list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveConflict {
    pub path: Vec<String>,
    pub choice: String,
}

macro_rules! into_edit {
    ($($t:ident => $v:ident),* $(,)?) => {
        $(impl From<$t> for Edit {
            fn from(e: $t) -> Edit {
                Edit::$v(e)
            }
        })*
    };
}

into_edit!(
    SessionEdit => Session,
    GoalEdit => Goal,
    ScheduleEdit => Schedule,
    FeedbackEdit => Feedback,
    LifecycleEdit => Lifecycle,
    BarEdit => Bar,
    ResolveConflict => Conflict,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_one_flat_object_that_reads_back() {
        let edits: Vec<Edit> = vec![
            GoalEdit::Agree {
                goal_id: "01G".into(),
            }
            .into(),
            ScheduleEdit::Agree.into(),
            SessionEdit::SetItemDone {
                session_id: "S".into(),
                item_id: "I".into(),
                done: true,
            }
            .into(),
            BarEdit::SetLine {
                template: "kubernetes-reviewer".into(),
                line: "primary-reviews".into(),
                input: BarLineInput {
                    min: "8".into(),
                    ..BarLineInput::default()
                },
            }
            .into(),
            ResolveConflict {
                path: vec!["goals".into(), "01G".into(), "status".into()],
                choice: "3@ab".into(),
            }
            .into(),
        ];
        for e in edits {
            let json = serde_json::to_value(&e).unwrap_or_default();
            assert!(json.get("on").is_some(), "{json}");
            let back: Edit =
                serde_json::from_value(json.clone()).unwrap_or_else(|err| panic!("{json}: {err}"));
            assert_eq!(back, e);
        }
        let agree = serde_json::to_string(&Edit::from(GoalEdit::Agree {
            goal_id: "01G".into(),
        }))
        .unwrap_or_default();
        assert_eq!(agree, r#"{"on":"goal","op":"agree","goal_id":"01G"}"#);
    }
}
