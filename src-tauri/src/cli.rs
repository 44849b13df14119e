//! The headless command line: every subcommand prints plain text, or JSON with `--json`.

use std::io::Read;
use std::path::PathBuf;

use chrono::{Local, Utc};
use clap::{Args as ClapArgs, Parser, Subcommand};
use tandem_core::dto::{NewGoal, NewPair, NewSession};
use tandem_core::view::PairView;
use tandem_sync::{Library, Mode, StoreError, resolve_home};

/// Tandem: a mentor–mentee pair journal that syncs without a server.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about)]
pub struct Args {
    /// The library folder (default: $TANDEM_HOME, else the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create and list pairs.
    #[command(subcommand)]
    Pair(PairCommand),
    /// Log sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Propose SMART goals.
    #[command(subcommand)]
    Goal(GoalCommand),
    /// Show one pair: its people, schedule, sessions and goals.
    Show {
        /// Pair id, the start of it, or its title.
        pair: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PairCommand {
    /// Create a pair; prints its id.
    New(Box<NewPairArgs>),
    /// List the pairs in the library.
    List {
        #[arg(long)]
        json: bool,
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

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Log a session; prints its id.
    Add {
        /// Pair id, the start of it, or its title.
        pair: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        minutes: String,
        /// Comma-separated: instruction, shadowing, qa, planning, practice, self-study,
        /// perspective, pairing, review.
        #[arg(long, value_delimiter = ',')]
        methods: Vec<String>,
        #[arg(long, default_value = "")]
        agenda: String,
        /// The notes; `-` reads them from standard input.
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Propose a SMART goal.
    Add {
        pair: String,
        #[command(flatten)]
        goal: GoalArgs,
        #[arg(long)]
        json: bool,
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

fn open(home: Option<PathBuf>, mode: Mode) -> Result<Library, StoreError> {
    Library::open(&resolve_home(home)?, mode)
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("could not write JSON: {e}"))?;
    println!("{text}");
    Ok(())
}

fn print_pair(v: &PairView) {
    println!("{}  ({})", v.title, v.id);
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

pub fn run(home: Option<PathBuf>, command: Command) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let today = Local::now().date_naive();
    match command {
        Command::Pair(PairCommand::New(a)) => {
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let input = NewPair {
                title: a.title,
                my_name: a.my_name,
                my_role: a.my_role,
                partner_name: a.partner_name,
                partner_role: None,
                programme: a.programme,
                target_role: a.target_role,
                cadence: a.cadence,
                start: a.start,
                minutes: a.minutes,
            };
            let v = lib.create_pair(&input, Utc::now()).map_err(err)?;
            if a.json {
                print_json(&v)
            } else {
                println!("{}", v.id);
                Ok(())
            }
        }
        Command::Pair(PairCommand::List { json }) => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            let rows = lib.list(today).map_err(err)?;
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
        Command::Session(SessionCommand::Add {
            pair,
            date,
            minutes,
            methods,
            agenda,
            notes,
            json,
        }) => {
            let notes = if notes == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| format!("could not read the notes from standard input: {e}"))?;
                s
            } else {
                notes
            };
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let input = NewSession {
                date: date.unwrap_or_else(|| today.to_string()),
                minutes,
                methods,
                agenda,
                notes,
            };
            let (session, mut v) = lib.log_session(&id, &input, Utc::now()).map_err(err)?;
            v.refresh(today);
            if json {
                print_json(&v)
            } else {
                println!("{session}");
                Ok(())
            }
        }
        Command::Goal(GoalCommand::Add { pair, goal, json }) => {
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let input = NewGoal::from(goal);
            let v = lib.add_goal(&id, &input, Utc::now()).map_err(err)?;
            if json {
                print_json(&v)
            } else {
                println!("Goal proposed in {}.", v.title);
                Ok(())
            }
        }
        Command::Show { pair, json } => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let mut v = lib.view(&id).map_err(err)?;
            v.refresh(today);
            if json {
                print_json(&v)
            } else {
                print_pair(&v);
                Ok(())
            }
        }
    }
}
