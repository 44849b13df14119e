//! The headless command line: every subcommand prints plain text, or JSON with `--json`.

use std::io::Read;
use std::path::PathBuf;

use chrono::{Local, NaiveDate, Utc};
use clap::{Args as ClapArgs, Parser, Subcommand};
use tandem_core::dto::{
    BarLineInput, Edit, NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewPair,
    NewReview, NewSchedule, NewSession,
};
use tandem_core::summary::Format;
use tandem_core::view::PairView;
use tandem_sync::invite::Invite;
use tandem_sync::keys::Keychain;
use tandem_sync::{Library, Mode, StoreError, resolve_home};

/// Prints like `println!`, but a closed standard output (`tandem show … | head`) is not an error
/// worth a panic: the output is simply no longer wanted.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Tandem: a mentor–mentee pair journal that syncs without a server.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about)]
pub struct Args {
    /// The library folder (default: $TANDEM_HOME, else the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// A tandem://join/… invite to open in the window (what a clicked link runs; a window already
    /// open on the library gets it).
    #[arg(value_name = "LINK")]
    pub link: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, list, pause, end, graduate and hand off pairs.
    #[command(subcommand)]
    Pair(PairCommand),
    /// Log and edit sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Action items agreed in a session (open ones carry forward to the next agenda).
    #[command(subcommand)]
    Item(ItemCommand),
    /// SMART goals: propose, edit, agree, evaluate, mark achieved or dropped.
    #[command(subcommand)]
    Goal(GoalCommand),
    /// The agreed schedule: propose, agree, export as .ics.
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// Feedback, check-ins and concerns.
    #[command(subcommand)]
    Feedback(FeedbackCommand),
    /// The mentor's readiness review (every 3 months).
    Review {
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
    },
    /// Add to the evidence log: pull requests reviewed or authored, issues triaged, talks, docs.
    Evidence {
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
    },
    /// Fields edited on two devices at once: list them, or keep one value.
    Conflicts {
        pair: String,
        /// The field to resolve, as shown by the listing (e.g. goals.01J….status).
        #[arg(long, requires = "keep")]
        path: Option<String>,
        /// The id of the value to keep, as shown by the listing.
        #[arg(long, requires = "path")]
        keep: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who changed what and when.
    History {
        pair: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Your private notes on a pair: never synced to your partner.
    Private {
        pair: String,
        /// Replace the notes with this text; `-` reads it from standard input. Without it, prints
        /// the notes.
        #[arg(long)]
        set: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export a progress summary for a nomination or an evaluation, as Markdown (for a GitHub
    /// issue or PR), a self-contained HTML page, or a PDF.
    Export {
        pair: String,
        /// kubernetes-member, kubernetes-reviewer, kubernetes-approver, astropy, gsoc, lfx,
        /// outreachy or generic (default: the pair's programme's).
        #[arg(long)]
        template: Option<String>,
        /// md, html or pdf.
        #[arg(long, default_value = "md")]
        format: String,
        /// First day of the period, YYYY-MM-DD (default: the pair's start).
        #[arg(long)]
        from: Option<String>,
        /// Last day of the period, YYYY-MM-DD (default: today).
        #[arg(long)]
        to: Option<String>,
        /// Write to FILE (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A template's graduation bar for this pair: show it, or adjust it (thresholds, dates, lines
    /// met by attestation, lines that do not apply, lines of your own).
    Bar(Box<BarArgs>),
    /// The built-in programme templates and their bars.
    Templates,
    /// Print an invite (a tandem://join/… link and a code) for your partner. Anyone holding it can
    /// read the pair: send it privately.
    Invite {
        pair: String,
        /// Whom it is for, when the pair has more than one other person.
        #[arg(long = "for", value_name = "NAME")]
        for_name: Option<String>,
    },
    /// Join a pair from an invite link or code, through the shared folder.
    Join {
        /// The tandem://join/… link, or the code.
        invite: String,
        /// The shared folder (default: the one set with `tandem share set`). One that differs
        /// from the library's becomes this pair's own; the other pairs stay where they are.
        #[arg(long, conflicts_with = "peer")]
        share: Option<PathBuf>,
        /// Fetch the pair straight from the partner's laptop at HOST:PORT (where
        /// `tandem sync --listen` or the app runs) instead of the shared folder.
        #[arg(long, value_name = "HOST:PORT")]
        peer: Option<String>,
    },
    /// The folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick).
    #[command(subcommand)]
    Share(ShareCommand),
    /// Exchange every pair with the shared folder: once, or every few seconds until stopped.
    Sync {
        #[arg(long)]
        once: bool,
        /// Seconds between rescans (network and cloud folders send no change events).
        #[arg(long, default_value_t = 5)]
        every: u64,
        #[arg(long)]
        json: bool,
        /// Sync directly with the partner's laptop at HOST:PORT (repeatable), instead of the
        /// shared folder. Without --once it stays connected, live, reconnecting as needed.
        #[arg(long, value_name = "HOST:PORT")]
        peer: Vec<String>,
        /// Accept the partner's laptop connecting here, e.g. 0.0.0.0:7890 (runs until stopped).
        #[arg(long, value_name = "ADDR:PORT", conflicts_with = "once")]
        listen: Option<String>,
    },
    /// Show one pair: its people, schedule, sessions, goals, feedback and evidence.
    Show {
        /// Pair id, the start of it, or its title.
        pair: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShareCommand {
    /// Pick the shared folder for this library, or with --pair for that pair alone.
    Set {
        folder: PathBuf,
        /// Only this pair syncs through the folder (one shared with this partner only).
        #[arg(long)]
        pair: Option<String>,
    },
    /// Return a pair that has a folder of its own to the library's shared folder.
    Unset {
        #[arg(long)]
        pair: String,
    },
    /// Print the shared folder (and the pairs that have their own).
    Show,
}

/// Output of an edit: the id it created (plain), or `{created, message, pair}` (with --json).
#[derive(Debug, ClapArgs)]
pub struct Out {
    #[arg(long)]
    json: bool,
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

#[derive(Debug, ClapArgs)]
pub struct BarArgs {
    pair: String,
    /// The template (default: the pair's programme's).
    #[arg(long)]
    template: Option<String>,
    /// The line to adjust, by its id (as `tandem bar PAIR` lists them).
    #[arg(long)]
    line: Option<String>,
    /// The line's threshold; "" for the template's.
    #[arg(long, requires = "line")]
    min: Option<String>,
    /// For lines counted from a date ("member since"): YYYY-MM-DD, or "" to clear.
    #[arg(long, requires = "line")]
    since: Option<String>,
    /// Mark an attested line (sponsors, a nomination) or a line you added as met.
    #[arg(long, requires = "line", conflicts_with = "not_met")]
    met: bool,
    #[arg(long, requires = "line")]
    not_met: bool,
    /// Your words of evidence for the line ("" to clear).
    #[arg(long, requires = "line")]
    evidence: Option<String>,
    /// The line does not apply to this pair.
    #[arg(long, requires = "line", conflicts_with = "include")]
    exclude: bool,
    /// The line applies again.
    #[arg(long, requires = "line")]
    include: bool,
    /// Add a line of your own with this requirement.
    #[arg(long, conflicts_with = "line")]
    add: Option<String>,
    /// Remove a line you added, by its id.
    #[arg(long, conflicts_with_all = ["line", "add"])]
    remove: Option<String>,
    /// The programme's start (YYYY-MM-DD, or "" to clear), from which week-numbered checkpoints
    /// count.
    #[arg(long, conflicts_with_all = ["line", "add", "remove"])]
    start: Option<String>,
    #[command(flatten)]
    out: Out,
}

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

fn read_stdin_if_dash(value: String, what: &str) -> Result<String, String> {
    if value != "-" {
        return Ok(value);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| format!("could not read {what} from standard input: {e}"))?;
    Ok(s)
}

/// Applies one edit to a pair and prints what it created (or its message), or JSON.
fn edit(home: Option<PathBuf>, pair: &str, edit: Edit, out: &Out) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
    let id = lib.resolve(pair).map_err(err)?;
    let (applied, mut view) = lib.apply(&id, &edit, Utc::now()).map_err(err)?;
    view.refresh(Local::now().date_naive());
    if out.json {
        return print_json(&serde_json::json!({
            "created": applied.created,
            "message": applied.message,
            "pair": view,
        }));
    }
    match applied.created {
        Some(created) => println!("{created}"),
        None => println!("{}.", applied.message),
    }
    Ok(())
}

pub fn run(home: Option<PathBuf>, command: Command) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let today = Local::now().date_naive();
    let or_today = |d: Option<String>| d.unwrap_or_else(|| today.to_string());
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
        Command::Pair(PairCommand::Status {
            pair,
            status,
            reason,
            out,
        }) => edit(home, &pair, Edit::SetPairStatus { status, reason }, &out),
        Command::Pair(PairCommand::HandOff {
            pair,
            to,
            reason,
            out,
        }) => edit(
            home,
            &pair,
            Edit::HandOff {
                new_mentor: to,
                reason,
            },
            &out,
        ),
        Command::Pair(PairCommand::TimeZone { pair, zone, out }) => {
            edit(home, &pair, Edit::SetMyTimeZone { time_zone: zone }, &out)
        }
        Command::Session(SessionCommand::Add {
            pair,
            session,
            agenda,
            notes,
            out,
        }) => {
            let input = NewSession {
                agenda,
                notes: read_stdin_if_dash(notes, "the notes")?,
                ..session.into_session(today)
            };
            edit(home, &pair, Edit::LogSession(input), &out)
        }
        Command::Session(SessionCommand::Edit {
            pair,
            session,
            fields,
            out,
        }) => edit(
            home,
            &pair,
            Edit::EditSession {
                session_id: session,
                session: fields.into_session(today),
            },
            &out,
        ),
        Command::Item(ItemCommand::Add {
            pair,
            session,
            text,
            owner,
            due,
            out,
        }) => edit(
            home,
            &pair,
            Edit::AddActionItem {
                session_id: session,
                item: NewActionItem { text, owner, due },
            },
            &out,
        ),
        Command::Item(ItemCommand::Done {
            pair,
            session,
            item,
            undo,
            out,
        }) => edit(
            home,
            &pair,
            Edit::SetActionItemDone {
                session_id: session,
                item_id: item,
                done: !undo,
            },
            &out,
        ),
        Command::Goal(GoalCommand::Add { pair, goal, out }) => {
            edit(home, &pair, Edit::ProposeGoal(goal.into()), &out)
        }
        Command::Goal(GoalCommand::Edit {
            pair,
            goal_id,
            goal,
            out,
        }) => edit(
            home,
            &pair,
            Edit::EditGoal {
                goal_id,
                goal: goal.into(),
            },
            &out,
        ),
        Command::Goal(GoalCommand::Agree { pair, goal_id, out }) => {
            edit(home, &pair, Edit::AgreeGoal { goal_id }, &out)
        }
        Command::Goal(GoalCommand::Status {
            pair,
            goal_id,
            status,
            out,
        }) => edit(home, &pair, Edit::SetGoalStatus { goal_id, status }, &out),
        Command::Goal(GoalCommand::Evaluate {
            pair,
            goal_id,
            progress,
            note,
            date,
            out,
        }) => edit(
            home,
            &pair,
            Edit::EvaluateGoal {
                goal_id,
                evaluation: NewEvaluation {
                    date: or_today(date),
                    progress,
                    note,
                },
            },
            &out,
        ),
        Command::Schedule(ScheduleCommand::Set(a)) => {
            let a = *a;
            edit(
                home,
                &a.pair,
                Edit::ProposeSchedule(NewSchedule {
                    cadence: a.cadence,
                    every_days: a.every_days,
                    weekday: a.weekday,
                    time: a.time,
                    time_zone: a.time_zone,
                    minutes: a.minutes,
                    start: a.start,
                    sessions: a.sessions,
                    end: a.end,
                    reassess: a.reassess,
                }),
                &a.out,
            )
        }
        Command::Schedule(ScheduleCommand::Agree { pair, out }) => {
            edit(home, &pair, Edit::AgreeSchedule, &out)
        }
        Command::Export {
            pair,
            template,
            format,
            from,
            to,
            out,
        } => export(home, &pair, template.as_deref(), &format, from, to, out),
        Command::Bar(a) => bar(home, *a),
        Command::Templates => {
            for t in tandem_core::summary::templates::TEMPLATES {
                println!("{}  ({})", t.id, t.name);
                for l in t.lines {
                    println!(
                        "  {:<20} {}",
                        l.id,
                        l.text.replace("{n}", &l.min.to_string())
                    );
                }
            }
            Ok(())
        }
        Command::Schedule(ScheduleCommand::Ics { pair, out }) => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let ics = lib.schedule_ics(&id).map_err(err)?;
            match out {
                Some(path) => std::fs::write(&path, ics)
                    .map_err(|e| format!("could not write {}: {e}", path.display())),
                None => {
                    use std::io::Write as _;
                    let _ = std::io::stdout().write_all(ics.as_bytes());
                    Ok(())
                }
            }
        }
        Command::Feedback(FeedbackCommand::Add {
            pair,
            kind,
            session,
            rating,
            text,
            shareable,
            date,
            out,
        }) => edit(
            home,
            &pair,
            Edit::AddFeedback(NewFeedback {
                kind,
                session,
                date: or_today(date),
                rating,
                text,
                all_well: false,
                shareable,
            }),
            &out,
        ),
        Command::Feedback(FeedbackCommand::CheckIn {
            pair,
            all_well,
            concern,
            midpoint,
            shareable,
            date,
            out,
        }) => edit(
            home,
            &pair,
            Edit::AddFeedback(NewFeedback {
                kind: if midpoint { "midpoint" } else { "check-in" }.into(),
                date: or_today(date),
                text: concern.unwrap_or_default(),
                all_well,
                shareable,
                ..NewFeedback::default()
            }),
            &out,
        ),
        Command::Feedback(FeedbackCommand::Resolve {
            pair,
            feedback_id,
            out,
        }) => edit(home, &pair, Edit::ResolveConcern { feedback_id }, &out),
        Command::Review {
            pair,
            ready,
            not_yet: _,
            rationale,
            date,
            out,
        } => edit(
            home,
            &pair,
            Edit::ReviewReadiness(NewReview {
                date: or_today(date),
                ready,
                rationale,
            }),
            &out,
        ),
        Command::Evidence {
            pair,
            kind,
            link,
            date,
            note,
            primary,
            out,
        } => edit(
            home,
            &pair,
            Edit::AddEvidence(NewEvidence {
                kind,
                link,
                date: or_today(date),
                note,
                primary_reviewer: primary,
            }),
            &out,
        ),
        Command::Conflicts {
            pair,
            path: Some(path),
            keep: Some(choice),
            json,
        } => edit(
            home,
            &pair,
            Edit::ResolveConflict {
                path: path.split('.').map(str::to_string).collect(),
                choice,
            },
            &Out { json },
        ),
        Command::Conflicts { pair, json, .. } => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let v = lib.view(&id).map_err(err)?;
            if json {
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
        Command::History { pair, limit, json } => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let lines = lib.history(&id, limit).map_err(err)?;
            if json {
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
        Command::Private { pair, set, json } => match set {
            Some(text) => {
                let text = read_stdin_if_dash(text, "the notes")?;
                let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
                let id = lib.resolve(&pair).map_err(err)?;
                lib.set_private_notes(&id, &text, Utc::now()).map_err(err)?;
                if json {
                    print_json(&serde_json::json!({ "notes": text }))
                } else {
                    println!("Private notes saved.");
                    Ok(())
                }
            }
            None => {
                let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
                let id = lib.resolve(&pair).map_err(err)?;
                let notes = lib.private_notes(&id).map_err(err)?;
                if json {
                    print_json(&serde_json::json!({ "notes": notes }))
                } else {
                    use std::io::Write as _;
                    let _ = std::io::stdout().write_all(notes.as_bytes());
                    Ok(())
                }
            }
        },
        Command::Invite { pair, for_name } => {
            let keychain = Keychain::open().map_err(|e| e.to_string())?;
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let invite = lib
                .invite(&id, &keychain, for_name.as_deref())
                .map_err(err)?;
            // Put the pair in the shared folder, so the partner can join from it.
            let shared = match lib.pair_share(&id) {
                Some(share) => {
                    lib.sync_share(&id, &invite.key, &share.folder, Utc::now())
                        .map_err(err)?;
                    true
                }
                None => false,
            };
            println!("{}", invite.link());
            eprintln!(
                "Send this link (or the code after tandem://join/) privately: anyone holding it can read the pair."
            );
            if !shared {
                eprintln!(
                    "No shared folder is set yet: pick one with `tandem share set <folder>` and run `tandem sync --once`, or run `tandem sync --listen 0.0.0.0:7890` and have your partner join with `tandem join LINK --peer <this laptop's address>:7890`."
                );
            }
            Ok(())
        }
        Command::Join {
            invite,
            peer: Some(peer),
            ..
        } => {
            let invite = Invite::parse(&invite).map_err(|e| e.to_string())?;
            let keychain = Keychain::open().map_err(|e| e.to_string())?;
            let lib = open(home, Mode::ReadWrite).map_err(err)?;
            keychain
                .set(&invite.pair_id, &invite.key)
                .map_err(|e| e.to_string())?;
            let shared = std::sync::Arc::new(std::sync::Mutex::new(lib));
            let view = runtime()?.block_on(async {
                let addr = resolve(&peer).await?;
                tandem_sync::p2p::join(&shared, addr, &invite.pair_id, &invite.person, &invite.key)
                    .await
                    .map_err(|e| e.to_string())
            })?;
            println!("Joined “{}” ({}) from {peer}.", view.title, view.id);
            Ok(())
        }
        Command::Join { invite, share, .. } => {
            let invite = Invite::parse(&invite).map_err(|e| e.to_string())?;
            let keychain = Keychain::open().map_err(|e| e.to_string())?;
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            if share.is_none() && lib.share_folder().is_none() {
                return Err(err(StoreError::NoShareFolder));
            }
            keychain
                .set(&invite.pair_id, &invite.key)
                .map_err(|e| e.to_string())?;
            let mut bar = ProgressLine::new();
            let (view, report) = lib
                .join_via_share(
                    &invite.pair_id,
                    &invite.person,
                    &invite.key,
                    share.as_deref(),
                    Utc::now(),
                    &mut |p| bar.show(p),
                )
                .map_err(err)?;
            bar.done();
            for p in &report.problems {
                eprintln!("tandem: skipped {}: {}", p.file, p.reason);
            }
            println!("Joined “{}” ({}).", view.title, view.id);
            Ok(())
        }
        Command::Share(ShareCommand::Set { folder, pair: None }) => {
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let folder = lib.set_share_folder(&folder).map_err(err)?;
            println!("Pairs sync through {}.", folder.display());
            Ok(())
        }
        Command::Share(ShareCommand::Set {
            folder,
            pair: Some(pair),
        }) => {
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            let folder = lib.set_pair_share_folder(&id, Some(&folder)).map_err(err)?;
            let folder = folder.unwrap_or_default();
            println!(
                "“{pair}” syncs through {} (its own folder).",
                folder.display()
            );
            Ok(())
        }
        Command::Share(ShareCommand::Unset { pair }) => {
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            let id = lib.resolve(&pair).map_err(err)?;
            lib.set_pair_share_folder(&id, None).map_err(err)?;
            match lib.share_folder() {
                Some(f) => println!(
                    "“{pair}” syncs through the library's folder, {}.",
                    f.display()
                ),
                None => println!(
                    "“{pair}” has no folder of its own now, and the library has none: pick one with `tandem share set <folder>`."
                ),
            }
            Ok(())
        }
        Command::Share(ShareCommand::Show) => {
            let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
            match lib.share_folder() {
                Some(f) => println!("{}", f.display()),
                None => println!("No shared folder is set."),
            }
            for summary in lib.list(today).map_err(err)?.pairs {
                if let Some(share) = lib.pair_share(&summary.id).filter(|s| s.own) {
                    println!("{}: {}", summary.title, share.folder.display());
                }
            }
            Ok(())
        }
        Command::Sync {
            peer, listen, once, ..
        } if !peer.is_empty() || listen.is_some() => peer_sync(home, listen, peer, once),
        Command::Sync {
            once, every, json, ..
        } => {
            let keychain = Keychain::open().map_err(|e| e.to_string())?;
            let mut lib = open(home, Mode::ReadWrite).map_err(err)?;
            loop {
                let results = lib.sync_all(&keychain, Utc::now()).map_err(err)?;
                let mut out = Vec::new();
                for (id, r) in results {
                    match r {
                        Ok(report) => {
                            for p in &report.problems {
                                eprintln!("tandem: {id}: skipped {}: {}", p.file, p.reason);
                            }
                            if !json && (report.written > 0 || report.applied > 0) {
                                println!(
                                    "{id}: wrote {} file(s), {} B; applied {} file(s){}",
                                    report.written,
                                    report.bytes_written,
                                    report.applied,
                                    if report.waiting {
                                        "; waiting for earlier changes"
                                    } else {
                                        ""
                                    }
                                );
                            }
                            out.push(serde_json::json!({ "pair": id, "report": report }));
                        }
                        Err(e) => {
                            eprintln!("tandem: could not sync {id}: {e}");
                            out.push(serde_json::json!({ "pair": id, "error": e.to_string() }));
                        }
                    }
                }
                if json {
                    print_json(&out)?;
                }
                if once {
                    return Ok(());
                }
                std::thread::sleep(std::time::Duration::from_secs(every.max(1)));
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

/// A one-line progress report on stderr while a join reads a large share, when stderr is a
/// terminal (a log gets nothing).
struct ProgressLine {
    tty: bool,
    shown: bool,
    started: std::time::Instant,
}

impl ProgressLine {
    fn new() -> ProgressLine {
        use std::io::IsTerminal as _;
        ProgressLine {
            tty: std::io::stderr().is_terminal(),
            shown: false,
            started: std::time::Instant::now(),
        }
    }

    fn show(&mut self, p: tandem_sync::Progress) {
        // Only a sync that takes a while is worth a line.
        if !self.tty || self.started.elapsed() < std::time::Duration::from_millis(300) {
            return;
        }
        self.shown = true;
        eprint!("\r{}\x1b[K", p.of_pair("").sentence());
    }

    fn done(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

fn date_arg(
    field: &'static str,
    what: &str,
    value: Option<String>,
) -> Result<Option<NaiveDate>, String> {
    tandem_core::validate::optional_date(field, what, value.as_deref().unwrap_or_default())
        .map_err(|e| e.message)
}

fn export(
    home: Option<PathBuf>,
    pair: &str,
    template: Option<&str>,
    format: &str,
    from: Option<String>,
    to: Option<String>,
    out: Option<PathBuf>,
) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let err = |e: StoreError| e.to_string();
    let format = Format::parse(format)
        .ok_or_else(|| format!("Export as md, html or pdf (not “{format}”)."))?;
    let from = date_arg("from", "the first day", from)?;
    let to = date_arg("to", "the last day", to)?;
    if format == Format::Pdf && out.is_none() && std::io::stdout().is_terminal() {
        return Err("A PDF is not for a terminal: write it with --out FILE.pdf.".into());
    }
    let mut lib = open(home, Mode::ReadOnly).map_err(err)?;
    let id = lib.resolve(pair).map_err(err)?;
    let bytes = lib
        .export_summary(&id, template, format, from, to, Local::now().date_naive())
        .map_err(err)?;
    match out {
        Some(path) => {
            let path = std::path::absolute(&path).unwrap_or(path);
            tandem_sync::fsutil::write_atomic(&path, &bytes)
                .map_err(|e| format!("Could not write {}: {e}.", path.display()))?;
            eprintln!("Wrote {}", path.display());
            Ok(())
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("Could not write the summary: {e}.")),
    }
}

fn bar(home: Option<PathBuf>, a: BarArgs) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let today = Local::now().date_naive();
    let template = {
        let mut lib = open(home.clone(), Mode::ReadOnly).map_err(err)?;
        let id = lib.resolve(&a.pair).map_err(err)?;
        lib.summary(&id, a.template.as_deref(), None, None, today)
            .map_err(err)?
            .template
    };
    let edit_of = |e: Edit| edit(home.clone(), &a.pair, e, &a.out);
    if let Some(requirement) = a.add {
        return edit_of(Edit::AddBarLine {
            template,
            requirement,
        });
    }
    if let Some(line) = a.remove {
        return edit_of(Edit::RemoveBarLine { template, line });
    }
    if let Some(start) = a.start {
        return edit_of(Edit::SetBarStart { template, start });
    }
    let mut lib = open(home.clone(), Mode::ReadOnly).map_err(err)?;
    let id = lib.resolve(&a.pair).map_err(err)?;
    let s = lib
        .summary(&id, Some(&template), None, None, today)
        .map_err(err)?;
    let settings = lib
        .view(&id)
        .map_err(err)?
        .bars
        .remove(&template)
        .unwrap_or_default();
    drop(lib);
    let Some(line) = a.line else {
        if a.out.json {
            return print_json(&s.bar);
        }
        let (met, total) = s.score();
        println!("{}: {met} of {total} met", s.template_name);
        for r in &s.bar {
            let mark = if r.excluded {
                "n/a"
            } else if r.met {
                "met"
            } else {
                "not yet"
            };
            println!("  [{mark:^7}] {:<28} {}", r.id, r.requirement);
            println!("            {}", r.evidence);
        }
        return Ok(());
    };
    // The line is set whole: start from how it stands and change what was asked.
    let adj = settings.lines.get(line.trim()).cloned().unwrap_or_default();
    let custom = settings.custom.get(line.trim());
    let input = BarLineInput {
        min: a
            .min
            .unwrap_or_else(|| adj.min.map(|n| n.to_string()).unwrap_or_default()),
        since: a
            .since
            .unwrap_or_else(|| adj.since.clone().unwrap_or_default()),
        met: if a.met {
            Some(true)
        } else if a.not_met {
            Some(false)
        } else {
            custom.map(|c| c.met).or(adj.met)
        },
        evidence: a.evidence.unwrap_or_else(|| {
            custom
                .map(|c| c.evidence.clone())
                .or(adj.evidence.clone())
                .unwrap_or_default()
        }),
        excluded: if a.exclude {
            true
        } else if a.include {
            false
        } else {
            adj.excluded
        },
    };
    edit_of(Edit::SetBarLine {
        template,
        line,
        input,
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start networking: {e}"))
}

/// The first address `host:port` names.
async fn resolve(peer: &str) -> Result<std::net::SocketAddr, String> {
    tokio::net::lookup_host(peer)
        .await
        .map_err(|e| format!("“{peer}” is not an address Tandem can reach ({e}); give HOST:PORT, e.g. 192.168.1.20:7890."))?
        .next()
        .ok_or_else(|| format!("“{peer}” names no address; give HOST:PORT, e.g. 192.168.1.20:7890."))
}

/// `tandem sync --peer … / --listen …`: laptop to laptop, no shared folder.
fn peer_sync(
    home: Option<PathBuf>,
    listen: Option<String>,
    peers: Vec<String>,
    once: bool,
) -> Result<(), String> {
    use std::sync::{Arc, Mutex};
    use tandem_sync::p2p::{self, Event};
    let err = |e: StoreError| e.to_string();
    let keychain = Keychain::open().map_err(|e| e.to_string())?;
    let lib = open(home, Mode::ReadWrite).map_err(err)?;
    let mut keys = Vec::new();
    for id in lib.pair_ids().map_err(err)? {
        if let Some(k) = keychain.get(&id).map_err(|e| e.to_string())? {
            keys.push((id, k));
        }
    }
    if keys.is_empty() {
        return Err("No pair in this library has a key yet: invite your partner (`tandem invite PAIR`) or join with their invite first.".into());
    }
    let pairs = p2p::pairs(keys);
    let shared = Arc::new(Mutex::new(lib));
    runtime()?.block_on(async move {
        let mut addrs = Vec::new();
        for p in &peers {
            addrs.push((p.clone(), resolve(p).await?));
        }
        if once {
            let mut failed = 0;
            for (name, addr) in &addrs {
                for (id, key) in pairs.values() {
                    match p2p::connect(&shared, *addr, id, key, p2p::Mode::Once, &|_| {}).await {
                        Ok(r) => println!(
                            "{id} with {name}: {} round(s), sent {} B, received {} B{}",
                            r.rounds,
                            r.bytes_sent,
                            r.bytes_received,
                            if r.changed { "; changes arrived" } else { "" }
                        ),
                        Err(e) => {
                            failed += 1;
                            eprintln!("tandem: {id} with {name}: {e}");
                        }
                    }
                }
            }
            return if failed == 0 {
                Ok(())
            } else {
                Err(format!("{failed} pair(s) did not sync"))
            };
        }
        let on_change: Arc<dyn Fn(&str) + Send + Sync> =
            // A closed standard output (the reader went away) must not stop the sync.
            Arc::new(|id: &str| {
                use std::io::Write;
                let _ = writeln!(std::io::stdout(), "{id}: changes arrived");
            });
        let on_event: Arc<dyn Fn(Event) + Send + Sync> = Arc::new(|e: Event| match e {
            Event::Connected { addr, peer } => {
                eprintln!("tandem: {} connected from {addr}", peer.pair_id);
            }
            Event::Ended {
                addr,
                result: Err(e),
            } => eprintln!("tandem: {addr}: {e}"),
            Event::Ended { .. } => {}
            Event::Refused { addr, why } => eprintln!("tandem: refused {addr}: {why}"),
        });
        let mut tasks = Vec::new();
        // Rewrites the view caches of pairs that changed, as the window's timer does.
        tasks.push(tokio::spawn({
            let shared = shared.clone();
            async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
                loop {
                    tick.tick().await;
                    if let Ok(mut lib) = shared.lock()
                        && let Err(e) = lib.flush_due(Utc::now())
                    {
                        eprintln!("tandem: {e}");
                    }
                }
            }
        }));
        // Kept alive while the sync runs; dropping it stops advertising.
        let mut discovery = None;
        if let Some(l) = listen {
            let listener = tokio::net::TcpListener::bind(&l)
                .await
                .map_err(|e| format!("Could not listen on {l}: {e}."))?;
            let local = listener
                .local_addr()
                .map_err(|e| format!("Could not listen on {l}: {e}."))?;
            println!("Listening on {local} for {} pair(s)", pairs.len());
            if std::env::var("TANDEM_MDNS").as_deref() != Ok("0") {
                // Partners' laptops on this network find each other; each found one is kept
                // connected like a --peer.
                let rt = tokio::runtime::Handle::current();
                let dialed = Arc::new(Mutex::new(std::collections::HashSet::new()));
                let (shared, pairs_all, on_change, on_event) = (
                    shared.clone(),
                    pairs.clone(),
                    on_change.clone(),
                    on_event.clone(),
                );
                let found = move |pair: String, addr: std::net::SocketAddr| {
                    let fresh = dialed
                        .lock()
                        .map(|mut d| d.insert((pair.clone(), addr)))
                        .unwrap_or(false);
                    let key = pairs_all
                        .values()
                        .find(|(id, _)| *id == pair)
                        .map(|(_, k)| k.clone());
                    if let (true, Some(key)) = (fresh, key) {
                        eprintln!("tandem: found {pair} at {addr} on this network");
                        rt.spawn(p2p::keep_connected(
                            shared.clone(),
                            addr,
                            p2p::pairs([(pair, key)]),
                            on_change.clone(),
                            on_event.clone(),
                        ));
                    }
                };
                match p2p::discover::Discovery::start(local.port(), pairs.clone(), found) {
                    Ok(d) => discovery = Some(d),
                    Err(e) => eprintln!("tandem: {e}; connect with --peer HOST:PORT instead"),
                }
            }
            tasks.push(tokio::spawn({
                let (shared, pairs, on_change, on_event) = (
                    shared.clone(),
                    pairs.clone(),
                    on_change.clone(),
                    on_event.clone(),
                );
                async move {
                    if let Err(e) = p2p::serve(listener, shared, pairs, on_change, on_event).await {
                        eprintln!("tandem: stopped listening: {e}");
                    }
                }
            }));
        }
        for (_, addr) in addrs {
            tasks.push(tokio::spawn(p2p::keep_connected(
                shared.clone(),
                addr,
                pairs.clone(),
                on_change.clone(),
                on_event.clone(),
            )));
        }
        for t in tasks {
            let _ = t.await;
        }
        drop(discovery);
        Ok(())
    })
}
