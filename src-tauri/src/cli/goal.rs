//! `tandem goal add|edit|agree|status|evaluate`.

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use tandem_core::pair::input::{NewEvaluation, NewGoal};
use tandem_core::pair::{Edit, GoalEdit};

use super::{CliError, Ctx, Out};

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Propose a SMART goal; prints its id.
    Add {
        pair: String,
        #[command(flatten)]
        goal: GoalArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Change a goal; it then needs your partner's agreement again.
    Edit {
        pair: String,
        goal_id: String,
        #[command(flatten)]
        goal: GoalArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Agree to a proposed goal; it becomes active once both have agreed.
    Agree {
        pair: String,
        goal_id: String,
        #[command(flatten)]
        out: Out,
    },
    /// Mark a goal achieved, dropped or active again.
    Status {
        pair: String,
        goal_id: String,
        status: String,
        #[command(flatten)]
        out: Out,
    },
    /// Record a dated evaluation: progress in % and a note.
    Evaluate {
        pair: String,
        goal_id: String,
        #[arg(long)]
        progress: String,
        #[arg(long, default_value = "")]
        note: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        out: Out,
    },
}

/// The SMART goal fields, as `NewGoal` takes them.
#[derive(Debug, ClapArgs)]
pub struct GoalArgs {
    #[arg(long)]
    title: String,
    #[arg(long, default_value = "")]
    specific: String,
    #[arg(long, default_value = "")]
    measurable: String,
    #[arg(long, default_value = "")]
    achievable: String,
    #[arg(long, default_value = "")]
    relevant: String,
    /// YYYY-MM-DD.
    #[arg(long, default_value = "")]
    due: String,
}

impl From<GoalArgs> for NewGoal {
    fn from(g: GoalArgs) -> NewGoal {
        NewGoal {
            title: g.title,
            specific: g.specific,
            measurable: g.measurable,
            achievable: g.achievable,
            relevant: g.relevant,
            due: g.due,
        }
    }
}

/// The edit a goal subcommand makes, with the pair it names and its output options.
fn goal_edit(command: GoalCommand, today: NaiveDate) -> (String, Edit, Out) {
    let (pair, edit, out) = match command {
        GoalCommand::Add { pair, goal, out } => (pair, GoalEdit::Propose(goal.into()), out),
        GoalCommand::Edit {
            pair,
            goal_id,
            goal,
            out,
        } => (
            pair,
            GoalEdit::Edit {
                goal_id,
                goal: goal.into(),
            },
            out,
        ),
        GoalCommand::Agree { pair, goal_id, out } => (pair, GoalEdit::Agree { goal_id }, out),
        GoalCommand::Status {
            pair,
            goal_id,
            status,
            out,
        } => (pair, GoalEdit::SetStatus { goal_id, status }, out),
        GoalCommand::Evaluate {
            pair,
            goal_id,
            progress,
            note,
            date,
            out,
        } => (
            pair,
            GoalEdit::Evaluate {
                goal_id,
                evaluation: NewEvaluation {
                    date: date.unwrap_or_else(|| today.to_string()),
                    progress,
                    note,
                },
            },
            out,
        ),
    };
    (pair, edit.into(), out)
}

pub fn exec(ctx: &Ctx, command: GoalCommand) -> Result<(), CliError> {
    let (pair, edit, out) = goal_edit(command, ctx.today);
    ctx.edit(&pair, edit, &out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Command, today};

    fn goal(args: &[&str]) -> GoalCommand {
        match crate::cli::parse(args) {
            Command::Goal(c) => c,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn an_evaluation_is_dated_today_unless_given() {
        let (_, edit, _) = goal_edit(
            goal(&[
                "tandem",
                "goal",
                "evaluate",
                "alex",
                "G1",
                "--progress",
                "40",
            ]),
            today(),
        );
        let Edit::Goal(GoalEdit::Evaluate { evaluation, .. }) = edit else {
            panic!("{edit:?}")
        };
        assert_eq!(evaluation.date, "2026-11-24");
        assert_eq!(evaluation.progress, "40");
    }

    #[test]
    fn a_goal_carries_every_smart_term() {
        let (_, edit, _) = goal_edit(
            goal(&[
                "tandem",
                "goal",
                "add",
                "alex",
                "--title",
                "Review",
                "--measurable",
                "5 PRs",
                "--due",
                "2027-02-01",
            ]),
            today(),
        );
        let Edit::Goal(GoalEdit::Propose(g)) = edit else {
            panic!("{edit:?}")
        };
        assert_eq!(
            (g.title.as_str(), g.measurable.as_str(), g.due.as_str()),
            ("Review", "5 PRs", "2027-02-01")
        );
    }
}
