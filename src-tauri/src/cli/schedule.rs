//! `tandem schedule set|agree|ics`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};
use tandem_core::pair::input::NewSchedule;
use tandem_core::pair::{Edit, ScheduleEdit};
use tandem_sync::Mode;

use super::{CliError, Ctx, Out};

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Propose the schedule ("30 min weekly for 6 weeks, then reassess"); your partner agrees.
    Set(Box<ScheduleSetArgs>),
    /// Agree to the proposed schedule.
    Agree {
        pair: String,
        #[command(flatten)]
        out: Out,
    },
    /// Write the schedule as an .ics calendar file (to standard output, or --out FILE).
    Ics {
        pair: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, ClapArgs)]
pub struct ScheduleSetArgs {
    pair: String,
    /// weekly, fortnightly, monthly or custom.
    #[arg(long)]
    cadence: String,
    /// With --cadence custom: days between sessions.
    #[arg(long, default_value = "")]
    every_days: String,
    /// mon … sun (default: the weekday of --start).
    #[arg(long, default_value = "")]
    weekday: String,
    /// HH:MM.
    #[arg(long, default_value = "")]
    time: String,
    /// IANA time zone, e.g. Europe/Berlin.
    #[arg(long = "tz", default_value = "")]
    time_zone: String,
    #[arg(long)]
    minutes: String,
    /// YYYY-MM-DD.
    #[arg(long)]
    start: String,
    /// Number of sessions.
    #[arg(long, default_value = "")]
    sessions: String,
    /// YYYY-MM-DD.
    #[arg(long, default_value = "")]
    end: String,
    /// YYYY-MM-DD: when to reassess.
    #[arg(long, default_value = "")]
    reassess: String,
    #[command(flatten)]
    out: Out,
}

impl ScheduleSetArgs {
    /// The "Agree a schedule" form as these arguments fill it in.
    fn proposal(self) -> (String, Edit, Out) {
        let input = NewSchedule {
            cadence: self.cadence,
            every_days: self.every_days,
            weekday: self.weekday,
            time: self.time,
            time_zone: self.time_zone,
            minutes: self.minutes,
            start: self.start,
            sessions: self.sessions,
            end: self.end,
            reassess: self.reassess,
        };
        (self.pair, ScheduleEdit::Propose(input).into(), self.out)
    }
}

pub fn exec(ctx: &Ctx, command: ScheduleCommand) -> Result<(), CliError> {
    match command {
        ScheduleCommand::Set(a) => {
            let (pair, edit, out) = a.proposal();
            ctx.edit(&pair, edit, &out)
        }
        ScheduleCommand::Agree { pair, out } => ctx.edit(&pair, ScheduleEdit::Agree.into(), &out),
        ScheduleCommand::Ics { pair, out } => {
            let (mut lib, id) = ctx.pair(Mode::ReadOnly, &pair)?;
            let ics = lib.schedule_ics(&id)?;
            super::write_out(out.as_deref(), ics.as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Command;

    #[test]
    fn a_proposal_keeps_what_was_typed_for_validation_to_judge() {
        let args = [
            "tandem",
            "schedule",
            "set",
            "alex",
            "--cadence",
            "weekly",
            "--weekday",
            "tue",
            "--minutes",
            "30",
            "--start",
            "2026-12-01",
            "--sessions",
            "6",
        ];
        let Command::Schedule(ScheduleCommand::Set(a)) = crate::cli::parse(&args) else {
            panic!("not a schedule")
        };
        let (pair, edit, _) = a.proposal();
        assert_eq!(pair, "alex");
        let Edit::Schedule(ScheduleEdit::Propose(s)) = edit else {
            panic!("{edit:?}")
        };
        assert_eq!(
            (s.weekday.as_str(), s.sessions.as_str(), s.reassess.as_str()),
            ("tue", "6", "")
        );
    }
}
