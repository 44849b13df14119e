//! The headless command line, one module per group of subcommands (as cargo does it): each module
//! has its clap arguments, a pure function from them to the domain value (an [`Edit`], a
//! [`tandem_core::pair::input::NewPair`]), and `exec`, which calls the library once and prints
//! plain text, or JSON with `--json`. Errors are [`CliError`]s, each a sentence.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, Utc};
use clap::{Args as ClapArgs, Parser, Subcommand};
use tandem_core::pair::{Edit, Pair};
use tandem_sync::{Library, Mode, StoreError, resolve_home};

/// Prints like `println!`, but a closed standard output (`tandem show … | head`) is not an error
/// worth a panic: the output is simply no longer wanted.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

// After the macro, so every module below prints through it.
mod feedback;
mod goal;
mod pair;
mod schedule;
mod search;
mod session;
mod share;
mod show;
mod summary;
mod sync;

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
    Pair(pair::PairCommand),
    /// Log and edit sessions.
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// Action items agreed in a session (open ones carry forward to the next agenda).
    #[command(subcommand)]
    Item(session::ItemCommand),
    /// SMART goals: propose, edit, agree, evaluate, mark achieved or dropped.
    #[command(subcommand)]
    Goal(goal::GoalCommand),
    /// The agreed schedule: propose, agree, export as .ics.
    #[command(subcommand)]
    Schedule(schedule::ScheduleCommand),
    /// Feedback, check-ins and concerns.
    #[command(subcommand)]
    Feedback(feedback::FeedbackCommand),
    /// The mentor's readiness review (every 3 months).
    Review(feedback::ReviewArgs),
    /// Add to the evidence log: pull requests reviewed or authored, issues triaged, talks, docs.
    Evidence(feedback::EvidenceArgs),
    /// Fields edited on two devices at once: list them, or keep one value.
    Conflicts(show::ConflictsArgs),
    /// Who changed what and when.
    History(show::HistoryArgs),
    /// Your private notes on a pair: never synced to your partner.
    Private(show::PrivateArgs),
    /// Export a progress summary for a nomination or an evaluation, as Markdown (for a GitHub
    /// issue or PR), a self-contained HTML page, or a PDF.
    Export(summary::ExportArgs),
    /// A template's graduation bar for this pair: show it, or adjust it (thresholds, dates, lines
    /// met by attestation, lines that do not apply, lines of your own).
    Bar(Box<summary::BarArgs>),
    /// The built-in programme templates and their bars.
    Templates,
    /// Print an invite (a tandem://join/… link and a code) for your partner. Anyone holding it can
    /// read the pair: send it privately.
    Invite(share::InviteArgs),
    /// Join a pair from an invite link or code, through the shared folder.
    Join(share::JoinArgs),
    /// The folder both laptops see (Dropbox, Syncthing, a network drive, a USB stick).
    #[command(subcommand)]
    Share(share::ShareCommand),
    /// Exchange every pair with the shared folder: once, or every few seconds until stopped.
    Sync(sync::SyncArgs),
    /// Show one pair: its people, schedule, sessions, goals, feedback and evidence.
    Show(show::ShowArgs),
    /// Search everything written in the library (sessions, goals, feedback, evidence, reviews,
    /// your private notes), best matches first, grouped by pair.
    Search(search::SearchArgs),
}

/// Why a command failed: each a sentence for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] tandem_sync::keys::KeyError),
    #[error(transparent)]
    Invite(#[from] tandem_sync::invite::InviteError),
    #[error(transparent)]
    Invalid(#[from] tandem_core::ValidationError),
    #[error(transparent)]
    Peer(#[from] tandem_sync::p2p::PeerError),
    /// Something about the arguments or the situation, already a sentence.
    #[error("{0}")]
    Said(String),
}

impl CliError {
    pub fn said(s: impl Into<String>) -> CliError {
        CliError::Said(s.into())
    }
}

/// What every command needs: the library folder asked for, and today's date.
#[derive(Debug, Clone)]
pub struct Ctx {
    home: Option<PathBuf>,
    today: NaiveDate,
}

impl Ctx {
    /// Opens the library; read-only commands take no lock, so they work beside an open window.
    fn open(&self, mode: Mode) -> Result<Library, CliError> {
        Ok(Library::open(&resolve_home(self.home.clone())?, mode)?)
    }

    /// Opens the library and finds the pair `query` names (its id, the start of it, or its title).
    fn pair(&self, mode: Mode, query: &str) -> Result<(Library, String), CliError> {
        let mut lib = self.open(mode)?;
        let id = lib.resolve(query)?;
        Ok((lib, id))
    }

    /// Applies one edit to a pair and prints what it created (or its message), or JSON.
    fn edit(&self, pair: &str, edit: Edit, out: &Out) -> Result<(), CliError> {
        let (mut lib, id) = self.pair(Mode::ReadWrite, pair)?;
        let (applied, mut view) = lib.apply::<Pair>(&id, &edit, Utc::now())?;
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
}

/// Output of an edit: the id it created (plain), or `{created, message, pair}` (with --json).
#[derive(Debug, ClapArgs)]
pub struct Out {
    #[arg(long)]
    json: bool,
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::said(format!("could not write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// `value`, or standard input when it is `-`.
fn read_stdin_if_dash(value: String, what: &str) -> Result<String, CliError> {
    if value != "-" {
        return Ok(value);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| CliError::said(format!("could not read {what} from standard input: {e}")))?;
    Ok(s)
}

/// Writes `bytes` to a new file at `path` (whole or not at all, never over an existing file),
/// saying where; or to standard output without one.
fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write as _;
    match path {
        Some(path) => {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            tandem_sync::fsutil::write_new(&path, bytes)
                .map_err(|e| CliError::said(format!("Could not write {}: {e}.", path.display())))?;
            eprintln!("Wrote {}", path.display());
            Ok(())
        }
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| CliError::said(format!("Could not write the output: {e}."))),
    }
}

/// Runs one subcommand against the library in `home`.
pub fn run(home: Option<PathBuf>, command: Command) -> Result<(), CliError> {
    let ctx = Ctx {
        home,
        today: Local::now().date_naive(),
    };
    match command {
        Command::Pair(c) => pair::exec(&ctx, c),
        Command::Session(c) => session::exec(&ctx, c),
        Command::Item(c) => session::exec_item(&ctx, c),
        Command::Goal(c) => goal::exec(&ctx, c),
        Command::Schedule(c) => schedule::exec(&ctx, c),
        Command::Feedback(c) => feedback::exec(&ctx, c),
        Command::Review(a) => feedback::review(&ctx, a),
        Command::Evidence(a) => feedback::evidence(&ctx, a),
        Command::Conflicts(a) => show::conflicts(&ctx, a),
        Command::History(a) => show::history(&ctx, a),
        Command::Private(a) => show::private(&ctx, a),
        Command::Show(a) => show::show(&ctx, a),
        Command::Export(a) => summary::export(&ctx, a),
        Command::Bar(a) => summary::bar(&ctx, *a),
        Command::Templates => summary::templates(),
        Command::Invite(a) => share::invite(&ctx, a),
        Command::Join(a) => share::join(&ctx, a),
        Command::Share(c) => share::exec(&ctx, c),
        Command::Sync(a) => sync::exec(&ctx, a),
        Command::Search(a) => search::search(&ctx, a),
    }
}

/// The command `args` parse to; panics, naming them, when they do not (a test helper).
#[cfg(test)]
pub(crate) fn parse(args: &[&str]) -> Command {
    match Args::try_parse_from(args) {
        Ok(Args {
            command: Some(c), ..
        }) => c,
        other => panic!("{args:?}: {other:?}"),
    }
}

#[cfg(test)]
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
}
