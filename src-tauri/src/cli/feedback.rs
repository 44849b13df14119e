//! `tandem feedback add|check-in|resolve`, `tandem review` and `tandem evidence`: what the pair
//! records about how it is going and what the mentee has done.

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use tandem_core::pair::input::{NewEvidence, NewFeedback, NewReview};
use tandem_core::pair::{Edit, FeedbackEdit};

use super::{CliError, Ctx, Out};

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Give feedback: on a session, a closing survey, or "how is this going" (pulse).
    Add {
        pair: String,
        /// session, closing or pulse (check-ins: `tandem feedback check-in`).
        #[arg(long)]
        kind: String,
        /// For session feedback: the session's id.
        #[arg(long, default_value = "")]
        session: String,
        /// 1–5.
        #[arg(long, default_value = "")]
        rating: String,
        #[arg(long, default_value = "")]
        text: String,
        /// May appear in an exported progress summary.
        #[arg(long)]
        shareable: bool,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// A monthly (or --midpoint) check-in: --all-well, or --concern TEXT raises a visible item.
    CheckIn {
        pair: String,
        #[arg(long, conflicts_with = "concern", required_unless_present = "concern")]
        all_well: bool,
        #[arg(long)]
        concern: Option<String>,
        #[arg(long)]
        midpoint: bool,
        #[arg(long)]
        shareable: bool,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// Mark a concern raised in a check-in as resolved.
    Resolve {
        pair: String,
        feedback_id: String,
        #[command(flatten)]
        out: Out,
    },
}

#[derive(Debug, ClapArgs)]
pub struct ReviewArgs {
    pair: String,
    /// The mentee is ready for the role.
    #[arg(long, conflicts_with = "not_yet", required_unless_present = "not_yet")]
    ready: bool,
    /// Not yet ready.
    #[arg(long)]
    not_yet: bool,
    #[arg(long)]
    rationale: String,
    /// YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    out: Out,
}

#[derive(Debug, ClapArgs)]
pub struct EvidenceArgs {
    pair: String,
    /// pr-reviewed, pr-authored, issue-triaged, talk, docs or other.
    #[arg(long)]
    kind: String,
    #[arg(long)]
    link: String,
    /// YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
    /// For a reviewed pull request: the mentee was the primary reviewer.
    #[arg(long)]
    primary: bool,
    #[command(flatten)]
    out: Out,
}

fn dated(date: Option<String>, today: NaiveDate) -> String {
    date.unwrap_or_else(|| today.to_string())
}

/// The edit a feedback subcommand makes, with the pair it names and its output options.
fn feedback_edit(command: FeedbackCommand, today: NaiveDate) -> (String, Edit, Out) {
    let (pair, edit, out) = match command {
        FeedbackCommand::Add {
            pair,
            kind,
            session,
            rating,
            text,
            shareable,
            date,
            out,
        } => (
            pair,
            FeedbackEdit::Give(NewFeedback {
                kind,
                session,
                date: dated(date, today),
                rating,
                text,
                all_well: false,
                shareable,
            }),
            out,
        ),
        FeedbackCommand::CheckIn {
            pair,
            all_well,
            concern,
            midpoint,
            shareable,
            date,
            out,
        } => (
            pair,
            FeedbackEdit::Give(NewFeedback {
                kind: if midpoint { "midpoint" } else { "check-in" }.into(),
                date: dated(date, today),
                text: concern.unwrap_or_default(),
                all_well,
                shareable,
                ..NewFeedback::default()
            }),
            out,
        ),
        FeedbackCommand::Resolve {
            pair,
            feedback_id,
            out,
        } => (pair, FeedbackEdit::ResolveConcern { feedback_id }, out),
    };
    (pair, edit.into(), out)
}

pub fn exec(ctx: &Ctx, command: FeedbackCommand) -> Result<(), CliError> {
    let (pair, edit, out) = feedback_edit(command, ctx.today);
    ctx.edit(&pair, edit, &out)
}

impl ReviewArgs {
    fn review(self, today: NaiveDate) -> (String, Edit, Out) {
        let input = NewReview {
            date: dated(self.date, today),
            ready: self.ready,
            rationale: self.rationale,
        };
        (
            self.pair,
            FeedbackEdit::ReviewReadiness(input).into(),
            self.out,
        )
    }
}

impl EvidenceArgs {
    fn evidence(self, today: NaiveDate) -> (String, Edit, Out) {
        let input = NewEvidence {
            kind: self.kind,
            link: self.link,
            date: dated(self.date, today),
            note: self.note,
            primary_reviewer: self.primary,
        };
        (self.pair, FeedbackEdit::AddEvidence(input).into(), self.out)
    }
}

pub fn review(ctx: &Ctx, a: ReviewArgs) -> Result<(), CliError> {
    let (pair, edit, out) = a.review(ctx.today);
    ctx.edit(&pair, edit, &out)
}

pub fn evidence(ctx: &Ctx, a: EvidenceArgs) -> Result<(), CliError> {
    let (pair, edit, out) = a.evidence(ctx.today);
    ctx.edit(&pair, edit, &out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Command, parse, today};

    #[test]
    fn a_concern_is_a_check_in_that_is_not_all_well() {
        let Command::Feedback(c) = parse(&[
            "tandem",
            "feedback",
            "check-in",
            "alex",
            "--concern",
            "too much at once",
            "--midpoint",
        ]) else {
            panic!("not feedback")
        };
        let (_, edit, _) = feedback_edit(c, today());
        let Edit::Feedback(FeedbackEdit::Give(f)) = edit else {
            panic!("{edit:?}")
        };
        assert_eq!(f.kind, "midpoint");
        assert!(!f.all_well);
        assert_eq!(f.text, "too much at once");
        assert_eq!(f.date, "2026-11-24");
    }

    #[test]
    fn not_yet_is_a_review_that_is_not_ready_and_primary_marks_the_reviewer() {
        let Command::Review(r) = parse(&[
            "tandem",
            "review",
            "alex",
            "--not-yet",
            "--rationale",
            "two more reviews",
        ]) else {
            panic!("not a review")
        };
        let (_, edit, _) = r.review(today());
        assert!(matches!(
            edit,
            Edit::Feedback(FeedbackEdit::ReviewReadiness(NewReview {
                ready: false,
                ..
            }))
        ));
        let Command::Evidence(e) = parse(&[
            "tandem",
            "evidence",
            "alex",
            "--kind",
            "pr-reviewed",
            "--link",
            "https://x.test/1",
            "--primary",
        ]) else {
            panic!("not evidence")
        };
        let (_, edit, _) = e.evidence(today());
        assert!(matches!(
            edit,
            Edit::Feedback(FeedbackEdit::AddEvidence(NewEvidence {
                primary_reviewer: true,
                ..
            }))
        ));
    }
}
