//! Sharing a pair with the partner's laptop: `tandem invite`, `tandem join` (through the shared
//! folder or straight from a peer) and `tandem share set|unset|show`.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args as ClapArgs, Subcommand};
use tandem_core::DocView;
use tandem_sync::invite::Invite;
use tandem_sync::keys::Keychain;
use tandem_sync::{DocId, KeyTaken, Mode, StoreError};

use super::{CliError, Ctx};

#[derive(Debug, ClapArgs)]
pub struct InviteArgs {
    pair: String,
    /// Whom it is for, when the pair has more than one other person.
    #[arg(long = "for", value_name = "NAME")]
    for_name: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub struct JoinArgs {
    /// The tandem://join/… link, or the code; `-` reads it from standard input, so it stays out
    /// of the shell's history and the process list (`tandem join - < invite.txt`, or paste it and
    /// press Ctrl-D).
    invite: String,
    /// The shared folder (default: the one set with `tandem share set`). One that differs
    /// from the library's becomes this pair's own; the other pairs stay where they are.
    #[arg(long, conflicts_with = "peer")]
    share: Option<PathBuf>,
    /// Fetch the pair straight from the partner's laptop at HOST:PORT (where
    /// `tandem sync --listen` or the app runs) instead of the shared folder.
    #[arg(long, value_name = "HOST:PORT")]
    peer: Option<String>,
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

pub fn invite(ctx: &Ctx, a: InviteArgs) -> Result<(), CliError> {
    let keychain = Keychain::open()?;
    let (mut lib, id) = ctx.pair(Mode::ReadWrite, &a.pair)?;
    let invite = lib.invite(&id, &keychain, a.for_name.as_deref())?;
    // Put the pair in the shared folder, so the partner can join from it.
    let shared = match lib.pair_share(&id) {
        Some(share) => {
            lib.sync_share(&DocId::pair(id), &invite.key, &share.folder, Utc::now())?;
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

pub fn join(ctx: &Ctx, a: JoinArgs) -> Result<(), CliError> {
    let invite = if a.invite == "-" {
        Invite::parse(&invite_from(std::io::stdin().lock())?)?
    } else {
        Invite::parse(&a.invite)?
    };
    let keychain = Keychain::open()?;
    let pair = DocId::pair(invite.pair_id.clone());
    if let Some(peer) = a.peer {
        let lib = ctx.open(Mode::ReadWrite)?;
        if lib.take_key(&keychain, &pair, &invite.key)? == KeyTaken::Restored {
            return restored(lib, &invite.pair_id);
        }
        let shared = std::sync::Arc::new(std::sync::Mutex::new(lib));
        let joined = super::sync::runtime().and_then(|rt| {
            rt.block_on(async {
                let addr = super::sync::resolve(&peer).await?;
                Ok::<_, CliError>(
                    tandem_sync::p2p::join(&shared, addr, &pair, &invite.person, &invite.key)
                        .await?,
                )
            })
        });
        if joined.is_err()
            && let Ok(lib) = shared.lock()
        {
            lib.forget_failed_join(&keychain, &pair);
        }
        let view = joined?;
        let DocView::Pair(view) = view else {
            return Err(CliError::said(
                "The invite named a pair, and something else came.",
            ));
        };
        println!("Joined “{}” ({}) from {peer}.", view.title, view.id);
        return Ok(());
    }
    let mut lib = ctx.open(Mode::ReadWrite)?;
    if a.share.is_none() && lib.share_folder().is_none() {
        return Err(StoreError::NoShareFolder.into());
    }
    if lib.take_key(&keychain, &pair, &invite.key)? == KeyTaken::Restored {
        return restored(lib, &invite.pair_id);
    }
    let mut bar = ProgressLine::new();
    let joined = lib.join_via_share(
        &invite.pair_id,
        &invite.person,
        &invite.key,
        a.share.as_deref(),
        Utc::now(),
        &mut |p| bar.show(p),
    );
    if joined.is_err() {
        lib.forget_failed_join(&keychain, &pair);
    }
    let (view, report) = joined?;
    bar.done();
    for p in &report.problems {
        eprintln!("tandem: skipped {}: {}", p.file, p.reason);
    }
    println!("Joined “{}” ({}).", view.title, view.id);
    Ok(())
}

/// An invite for a pair this library has brought back its lost key.
fn restored(mut lib: tandem_sync::Library, id: &str) -> Result<(), CliError> {
    let view = lib.view::<tandem_core::pair::Pair>(id)?;
    println!(
        "The key of “{}” ({}) is back in the keychain: it syncs again (`tandem sync --once`).",
        view.title, view.id
    );
    Ok(())
}

pub fn exec(ctx: &Ctx, command: ShareCommand) -> Result<(), CliError> {
    match command {
        ShareCommand::Set { folder, pair: None } => {
            let mut lib = ctx.open(Mode::ReadWrite)?;
            let folder = lib.set_share_folder(&folder)?;
            println!("Pairs sync through {}.", folder.display());
        }
        ShareCommand::Set {
            folder,
            pair: Some(pair),
        } => {
            let (mut lib, id) = ctx.pair(Mode::ReadWrite, &pair)?;
            let folder = lib
                .set_pair_share_folder(&id, Some(&folder))?
                .unwrap_or_default();
            println!(
                "“{pair}” syncs through {} (its own folder).",
                folder.display()
            );
        }
        ShareCommand::Unset { pair } => {
            let (mut lib, id) = ctx.pair(Mode::ReadWrite, &pair)?;
            lib.set_pair_share_folder(&id, None)?;
            match lib.share_folder() {
                Some(f) => println!(
                    "“{pair}” syncs through the library's folder, {}.",
                    f.display()
                ),
                None => println!(
                    "“{pair}” has no folder of its own now, and the library has none: pick one with `tandem share set <folder>`."
                ),
            }
        }
        ShareCommand::Show => {
            let mut lib = ctx.open(Mode::ReadOnly)?;
            match lib.share_folder() {
                Some(f) => println!("{}", f.display()),
                None => println!("No shared folder is set."),
            }
            for summary in lib.list(ctx.today)?.pairs {
                if let Some(share) = lib.pair_share(&summary.id).filter(|s| s.own) {
                    println!("{}: {}", summary.title, share.folder.display());
                }
            }
        }
    }
    Ok(())
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

/// The longest standard input `tandem join -` reads: an invite is a few hundred characters.
const MAX_INVITE_INPUT: u64 = 4096;

/// The invite on `input` (`tandem join -`): its first line that is not blank.
fn invite_from(input: impl std::io::Read) -> Result<String, CliError> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    input
        .take(MAX_INVITE_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            CliError::said(format!(
                "The invite could not be read from standard input ({e})."
            ))
        })?;
    if bytes.len() as u64 > MAX_INVITE_INPUT {
        return Err(CliError::said(format!(
            "Standard input holds more than an invite (over {MAX_INVITE_INPUT} bytes): give `tandem join -` \
             only the tandem://join/… link or the code."
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::said("Standard input is not text: give `tandem join -` the tandem://join/… link or the code.")
    })?;
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(String::from)
        .ok_or_else(|| {
            CliError::said(
                "No invite came on standard input: paste the tandem://join/… link or the code, then \
                 press Ctrl-D (or `tandem join - < invite.txt`).",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invite_on_standard_input_is_its_first_line_and_anything_else_a_sentence() {
        let got = invite_from(&b"\n  tandem://join/abc  \nsecond line\n"[..]);
        assert_eq!(got.ok().as_deref(), Some("tandem://join/abc"));
        for (input, says) in [
            (&b""[..], "No invite came"),
            (&b" \n\t\n"[..], "No invite came"),
            (&b"\xff\xfe"[..], "not text"),
            (&[b'a'; 5000][..], "more than an invite"),
        ] {
            let e = invite_from(input)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(says), "{input:?}: {e}");
        }
    }
}
