//! `tandem`: with no arguments, opens the window; with a subcommand, runs headless (no display, no
//! GTK) against the library in `--home` / `$TANDEM_HOME` / the platform data folder.

// No console window on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

mod cli;
mod commands;
mod desktop;
mod events;
mod state;
mod window;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    // The window also keeps a log file in its library (set up once it knows where that is).
    if args.command.is_some() {
        desktop::log::init(None);
    }
    // Headless commands run before anything touches GTK, so they work without a display.
    let result = match (args.command, args.link) {
        (Some(_), Some(link)) if link.starts_with(window::LINK_PREFIX) => {
            Err("give either a command or a tandem:// link, not both.".into())
        }
        (Some(_), Some(link)) => Err(format!(
            "“{link}” is neither a command nor a tandem:// link; see `tandem --help`."
        )),
        (Some(command), None) => cli::run(args.home, command).map_err(|e| e.to_string()),
        (None, Some(link)) if !link.starts_with(window::LINK_PREFIX) => Err(format!(
            "“{link}” is neither a command nor a tandem:// link; see `tandem --help`."
        )),
        // A clicked link starts this process with the invite in its command line, which every
        // local user can read: it goes to the window through a file instead, and this process
        // restarts (the same pid) without it.
        (None, Some(link)) if !link.starts_with(desktop::handoff::PREFIX) => {
            if let Ok(home) = tandem_sync::resolve_home(args.home.clone()) {
                let why = desktop::handoff::hide(&home, &link);
                eprintln!("tandem: {why}; opening the link as it is");
            }
            window::run(args.home, Some(link))
        }
        (None, link) => window::run(args.home, link),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tandem: {message}");
            ExitCode::FAILURE
        }
    }
}
