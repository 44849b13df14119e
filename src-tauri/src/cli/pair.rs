//! `tandem pair new|list|status|hand-off|time-zone`.

use chrono::Utc;
use clap::{Args as ClapArgs, Subcommand};
use tandem_core::pair::input::NewPair;
use tandem_core::pair::{Edit, LifecycleEdit};
use tandem_sync::Mode;

use super::{CliError, Ctx, Out, print_json};

#[derive(Debug, Subcommand)]
pub enum PairCommand {
    /// Create a pair; prints its id.
    New(Box<NewPairArgs>),
    /// List the pairs in the library.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Pause, resume (active), end or graduate a pair.
    Status {
        pair: String,
        /// active, paused, ended or graduated.
        status: String,
        /// Why (required to end a pair).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        out: Out,
    },
    /// Hand the pair to a new mentor.
    HandOff {
        pair: String,
        /// The new mentor's name.
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        out: Out,
    },
    /// Set your time zone in this pair (an IANA name such as Europe/Berlin).
    TimeZone {
        pair: String,
        zone: String,
        #[command(flatten)]
        out: Out,
    },
}

#[derive(Debug, ClapArgs)]
pub struct NewPairArgs {
    #[arg(long)]
    title: String,
    /// Your name.
    #[arg(long = "me", value_name = "NAME")]
    my_name: String,
    /// Your role: mentor, mentee, lead-mentor or mentor-mentee.
    #[arg(long = "role", default_value = "mentor")]
    my_role: String,
    /// Your partner's name.
    #[arg(long = "partner", value_name = "NAME")]
    partner_name: String,
    /// kubernetes, astropy, learnteachcode, sourcegraph, gsoc, lfx, outreachy or generic.
    #[arg(long, default_value = "generic")]
    programme: String,
    /// The role the mentee is working towards.
    #[arg(long, default_value = "")]
    target_role: String,
    /// How often you meet: weekly, fortnightly or monthly.
    #[arg(long, default_value = "")]
    cadence: String,
    /// First scheduled session (YYYY-MM-DD), with --cadence.
    #[arg(long, default_value = "")]
    start: String,
    /// Minutes per scheduled session, with --cadence.
    #[arg(long, default_value = "")]
    minutes: String,
    #[arg(long)]
    json: bool,
}

impl NewPairArgs {
    /// The "New pair" form as these arguments fill it in (the partner's role is the counterpart).
    fn input(&self) -> NewPair {
        NewPair {
            title: self.title.clone(),
            my_name: self.my_name.clone(),
            my_role: self.my_role.clone(),
            partner_name: self.partner_name.clone(),
            partner_role: None,
            programme: self.programme.clone(),
            target_role: self.target_role.clone(),
            cadence: self.cadence.clone(),
            start: self.start.clone(),
            minutes: self.minutes.clone(),
        }
    }
}

impl PairCommand {
    /// The edit a lifecycle subcommand makes, with the pair it names and its output options.
    fn edit(self) -> Option<(String, Edit, Out)> {
        let (pair, edit, out) = match self {
            PairCommand::Status {
                pair,
                status,
                reason,
                out,
            } => (pair, LifecycleEdit::SetStatus { status, reason }, out),
            PairCommand::HandOff {
                pair,
                to,
                reason,
                out,
            } => (
                pair,
                LifecycleEdit::HandOff {
                    new_mentor: to,
                    reason,
                },
                out,
            ),
            PairCommand::TimeZone { pair, zone, out } => {
                (pair, LifecycleEdit::SetMyTimeZone { time_zone: zone }, out)
            }
            PairCommand::New(_) | PairCommand::List { .. } => return None,
        };
        Some((pair, edit.into(), out))
    }
}

pub fn exec(ctx: &Ctx, command: PairCommand) -> Result<(), CliError> {
    match command {
        PairCommand::New(a) => {
            let mut lib = ctx.open(Mode::ReadWrite)?;
            let v = lib.create_pair(&a.input(), Utc::now())?;
            if a.json {
                print_json(&v)
            } else {
                println!("{}", v.id);
                Ok(())
            }
        }
        PairCommand::List { json } => {
            let mut lib = ctx.open(Mode::ReadOnly)?;
            let rows = lib.list(ctx.today)?;
            if json {
                return print_json(&rows);
            }
            if rows.pairs.is_empty() && rows.problems.is_empty() {
                println!(
                    "No pairs yet. Create one with `tandem pair new --title … --me … --partner …`."
                );
            }
            for p in &rows.pairs {
                println!(
                    "{}  {}  with {}  last: {}  next: {}",
                    p.id,
                    p.title,
                    p.partner,
                    p.last_session.as_deref().unwrap_or("—"),
                    p.next_session.as_deref().unwrap_or("—")
                );
            }
            for p in &rows.problems {
                eprintln!("tandem: could not read pair {}: {}", p.id, p.message);
            }
            Ok(())
        }
        other => match other.edit() {
            Some((pair, edit, out)) => ctx.edit(&pair, edit, &out),
            None => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Command;

    fn parse(args: &[&str]) -> PairCommand {
        match crate::cli::parse(args) {
            Command::Pair(c) => c,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn lifecycle_arguments_become_lifecycle_edits() {
        let (pair, edit, _) = parse(&[
            "tandem", "pair", "status", "alex", "ended", "--reason", "moved on",
        ])
        .edit()
        .unwrap_or_else(|| panic!("no edit"));
        assert_eq!(pair, "alex");
        assert_eq!(
            edit,
            Edit::from(LifecycleEdit::SetStatus {
                status: "ended".into(),
                reason: "moved on".into()
            })
        );
        let (_, edit, _) = parse(&["tandem", "pair", "hand-off", "alex", "--to", "Kim"])
            .edit()
            .unwrap_or_else(|| panic!("no edit"));
        assert_eq!(
            edit,
            Edit::from(LifecycleEdit::HandOff {
                new_mentor: "Kim".into(),
                reason: String::new()
            })
        );
        assert!(parse(&["tandem", "pair", "list"]).edit().is_none());
    }

    #[test]
    fn a_new_pair_leaves_the_partners_role_to_the_counterpart_rule() {
        let PairCommand::New(a) = parse(&[
            "tandem",
            "pair",
            "new",
            "--title",
            "T",
            "--me",
            "Sam",
            "--partner",
            "Alex",
            "--role",
            "lead-mentor",
        ]) else {
            panic!("not new")
        };
        let input = a.input();
        assert_eq!(input.my_role, "lead-mentor");
        assert_eq!(input.partner_role, None);
        assert_eq!(input.programme, "generic");
    }
}
