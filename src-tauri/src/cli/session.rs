//! `tandem session add|edit|delete` and `tandem item add|done`.

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use tandem_core::pair::input::{NewActionItem, NewSession};
use tandem_core::pair::{Edit, SessionEdit};

use super::{CliError, Ctx, Out, read_stdin_if_dash};

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Log a session; prints its id.
    Add {
        /// Pair id, the start of it, or its title.
        pair: String,
        #[command(flatten)]
        session: SessionArgs,
        #[arg(long, default_value = "")]
        agenda: String,
        /// The notes; `-` reads them from standard input.
        #[arg(long, default_value = "")]
        notes: String,
        #[command(flatten)]
        out: Out,
    },
    /// Change a session's date, time, length or methods.
    Edit {
        pair: String,
        session: String,
        #[command(flatten)]
        fields: SessionArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Delete a session logged by mistake, with its notes, agenda and action items.
    Delete {
        pair: String,
        session: String,
        #[command(flatten)]
        out: Out,
    },
}

/// A session's date, time and length.
#[derive(Debug, ClapArgs)]
pub struct SessionArgs {
    /// YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    /// HH:MM, local to --tz.
    #[arg(long, default_value = "")]
    time: String,
    /// IANA time zone, e.g. Europe/Berlin.
    #[arg(long = "tz", default_value = "")]
    time_zone: String,
    #[arg(long)]
    minutes: String,
    /// Comma-separated: instruction, shadowing, qa, planning, practice, self-study,
    /// perspective, pairing, review.
    #[arg(long, value_delimiter = ',')]
    methods: Vec<String>,
}

impl SessionArgs {
    fn into_session(self, today: NaiveDate) -> NewSession {
        NewSession {
            date: self.date.unwrap_or_else(|| today.to_string()),
            time: self.time,
            time_zone: self.time_zone,
            minutes: self.minutes,
            methods: self.methods,
            ..NewSession::default()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an action item to a session; prints its id.
    Add {
        pair: String,
        session: String,
        text: String,
        /// The owner's person id (default: you).
        #[arg(long, default_value = "")]
        owner: String,
        /// YYYY-MM-DD.
        #[arg(long, default_value = "")]
        due: String,
        #[command(flatten)]
        out: Out,
    },
    /// Mark an action item done (or not done again with --undo).
    Done {
        pair: String,
        session: String,
        item: String,
        #[arg(long)]
        undo: bool,
        #[command(flatten)]
        out: Out,
    },
}

/// The edit `session add` makes (with the notes already read) or `session edit` makes.
fn session_edit(command: SessionCommand, today: NaiveDate, notes: String) -> (String, Edit, Out) {
    match command {
        SessionCommand::Add {
            pair,
            session,
            agenda,
            out,
            ..
        } => {
            let input = NewSession {
                agenda,
                notes,
                ..session.into_session(today)
            };
            (pair, SessionEdit::Log(input).into(), out)
        }
        SessionCommand::Edit {
            pair,
            session,
            fields,
            out,
        } => (
            pair,
            SessionEdit::Edit {
                session_id: session,
                session: fields.into_session(today),
            }
            .into(),
            out,
        ),
        SessionCommand::Delete { pair, session, out } => (
            pair,
            SessionEdit::Delete {
                session_id: session,
            }
            .into(),
            out,
        ),
    }
}

fn item_edit(command: ItemCommand) -> (String, Edit, Out) {
    match command {
        ItemCommand::Add {
            pair,
            session,
            text,
            owner,
            due,
            out,
        } => (
            pair,
            SessionEdit::AddItem {
                session_id: session,
                item: NewActionItem { text, owner, due },
            }
            .into(),
            out,
        ),
        ItemCommand::Done {
            pair,
            session,
            item,
            undo,
            out,
        } => (
            pair,
            SessionEdit::SetItemDone {
                session_id: session,
                item_id: item,
                done: !undo,
            }
            .into(),
            out,
        ),
    }
}

pub fn exec(ctx: &Ctx, command: SessionCommand) -> Result<(), CliError> {
    let notes = match &command {
        SessionCommand::Add { notes, .. } => read_stdin_if_dash(notes.clone(), "the notes")?,
        SessionCommand::Edit { .. } | SessionCommand::Delete { .. } => String::new(),
    };
    let (pair, edit, out) = session_edit(command, ctx.today, notes);
    ctx.edit(&pair, edit, &out)
}

pub fn exec_item(ctx: &Ctx, command: ItemCommand) -> Result<(), CliError> {
    let (pair, edit, out) = item_edit(command);
    ctx.edit(&pair, edit, &out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Command, parse, today};

    #[test]
    fn a_session_without_a_date_is_today_and_methods_split_on_commas() {
        let Command::Session(c) = parse(&[
            "tandem",
            "session",
            "add",
            "alex",
            "--minutes",
            "45",
            "--methods",
            "qa,review",
        ]) else {
            panic!("not a session")
        };
        let (pair, edit, _) = session_edit(c, today(), "typed".into());
        assert_eq!(pair, "alex");
        let Edit::Session(SessionEdit::Log(s)) = edit else {
            panic!("{edit:?}")
        };
        assert_eq!(s.date, "2026-11-24");
        assert_eq!(s.minutes, "45");
        assert_eq!(s.methods, ["qa", "review"]);
        assert_eq!(s.notes, "typed");
    }

    #[test]
    fn undo_marks_an_item_not_done() {
        let Command::Item(c) = parse(&["tandem", "item", "done", "alex", "S1", "I1", "--undo"])
        else {
            panic!("not an item")
        };
        let (_, edit, _) = item_edit(c);
        assert_eq!(
            edit,
            Edit::from(SessionEdit::SetItemDone {
                session_id: "S1".into(),
                item_id: "I1".into(),
                done: false
            })
        );
    }
}
