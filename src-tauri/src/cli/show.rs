//! Reading a pair: `tandem show`, `tandem history`, `tandem conflicts` (and keeping one value),
//! and `tandem private` (this person's notes, never synced).

use chrono::Utc;
use clap::Args as ClapArgs;
use tandem_core::pair::{Pair, PairView, ResolveConflict};
use tandem_core::private::{Private, PrivateEdit};
use tandem_sync::{DocId, Mode};

use super::{CliError, Ctx, Out, print_json, read_stdin_if_dash};

#[derive(Debug, ClapArgs)]
pub struct ShowArgs {
    /// Pair id, the start of it, or its title.
    pair: String,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, ClapArgs)]
pub struct HistoryArgs {
    pair: String,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, ClapArgs)]
pub struct ConflictsArgs {
    pair: String,
    /// The field to resolve, as shown by the listing (e.g. goals.01J….status).
    #[arg(long, requires = "keep")]
    path: Option<String>,
    /// The id of the value to keep, as shown by the listing.
    #[arg(long, requires = "path")]
    keep: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, ClapArgs)]
pub struct PrivateArgs {
    pair: String,
    /// Replace the notes with this text; `-` reads it from standard input. Without it, prints
    /// the notes.
    #[arg(long)]
    set: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn show(ctx: &Ctx, a: ShowArgs) -> Result<(), CliError> {
    let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
    let mut v = lib.view::<Pair>(&id)?;
    v.refresh(ctx.today);
    if a.json {
        print_json(&v)
    } else {
        print_pair(&v);
        Ok(())
    }
}

fn print_pair(v: &PairView) {
    println!("{}  ({})", v.title, v.id);
    if let Some(why) = &v.read_only {
        println!("  Read-only: {why}");
    }
    println!(
        "  {} · {} · {}",
        v.programme_label, v.status_label, v.target_role
    );
    for p in &v.people {
        let me = if Some(&p.id) == v.me.as_ref() {
            " (you)"
        } else {
            ""
        };
        println!("  {}: {}{me}", p.role_label, p.name);
    }
    if let Some(s) = &v.schedule {
        println!("  Schedule: {}", s.summary);
    }
    if let Some(next) = &v.next_session {
        println!("  Next session: {next}");
    }
    let plural = if v.sessions.len() == 1 { "" } else { "s" };
    println!(
        "  {} session{plural}, {} minutes in all",
        v.sessions.len(),
        v.total_minutes
    );
    for s in &v.sessions {
        let methods: Vec<&str> = s.methods.iter().map(|m| m.label.as_str()).collect();
        println!(
            "  - {} · {} min · {} · logged by {}",
            s.date,
            s.minutes,
            methods.join(", "),
            s.logged_by
        );
        for line in s.notes.lines() {
            println!("      {line}");
        }
    }
    for g in &v.goals {
        println!(
            "  Goal: {} [{}]{}",
            g.title,
            g.status_label,
            g.due
                .as_ref()
                .map(|d| format!(" due {d}"))
                .unwrap_or_default()
        );
    }
}

pub fn history(ctx: &Ctx, a: HistoryArgs) -> Result<(), CliError> {
    let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
    let lines = lib.history(&DocId::pair(id), a.limit)?;
    if a.json {
        return print_json(&lines);
    }
    for l in &lines {
        let times = if l.changes > 1 {
            format!(" (×{})", l.changes)
        } else {
            String::new()
        };
        println!("{}  {}: {}{times}", l.time, l.who, l.what);
    }
    Ok(())
}

/// The choice `--path a.b.c --keep ID` makes, if both were given.
fn choice(a: &ConflictsArgs) -> Option<ResolveConflict> {
    Some(ResolveConflict {
        path: a.path.as_ref()?.split('.').map(str::to_string).collect(),
        choice: a.keep.clone()?,
    })
}

pub fn conflicts(ctx: &Ctx, a: ConflictsArgs) -> Result<(), CliError> {
    if let Some(resolve) = choice(&a) {
        return ctx.edit(&a.pair, resolve.into(), &Out { json: a.json });
    }
    let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
    let v = lib.view::<Pair>(&id)?;
    if a.json {
        return print_json(&v.conflicts);
    }
    if v.conflicts.is_empty() {
        println!("No conflicting edits.");
    }
    for c in &v.conflicts {
        println!("{}  ({})", c.label, c.path.join("."));
        for o in &c.options {
            println!("  keep {}: “{}” by {}", o.id, o.value, o.by);
        }
    }
    Ok(())
}

pub fn private(ctx: &Ctx, a: PrivateArgs) -> Result<(), CliError> {
    match a.set {
        Some(text) => {
            let text = read_stdin_if_dash(text, "the notes")?;
            let (mut lib, id) = ctx.pair(Mode::ReadWrite, &a.pair)?;
            let edit = PrivateEdit::SetNotes { text: text.clone() };
            lib.apply::<Private>(&id, &edit, Utc::now())?;
            if a.json {
                print_json(&serde_json::json!({ "notes": text }))
            } else {
                println!("Private notes saved.");
                Ok(())
            }
        }
        None => {
            let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
            let notes = lib.view::<Private>(&id)?.notes;
            if a.json {
                print_json(&serde_json::json!({ "notes": notes }))
            } else {
                use std::io::Write as _;
                let _ = std::io::stdout().write_all(notes.as_bytes());
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::cli::{Args, Command};

    #[test]
    fn a_dotted_path_is_the_conflicts_keys() {
        let Command::Conflicts(a) = crate::cli::parse(&[
            "tandem",
            "conflicts",
            "alex",
            "--path",
            "goals.01G.status",
            "--keep",
            "3@ab",
        ]) else {
            panic!("not conflicts")
        };
        assert_eq!(
            choice(&a),
            Some(ResolveConflict {
                path: vec!["goals".into(), "01G".into(), "status".into()],
                choice: "3@ab".into()
            })
        );
        assert!(Args::try_parse_from(["tandem", "conflicts", "alex", "--path", "x"]).is_err());
    }
}
