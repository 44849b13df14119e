//! Logging: standard error as before (`TANDEM_LOG`, default warnings), and for the window also a
//! log file in the library's folder, `logs/tandem.<date>.log`, a new one each day and the last
//! seven kept, with what the library and the sync service did (info) and every panic with its
//! backtrace.

use std::path::{Path, PathBuf};

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _, fmt};

/// Where the window's log files go in library `home`.
pub fn folder(home: &Path) -> PathBuf {
    home.join("logs")
}

/// What the log file keeps unless `TANDEM_LOG` says otherwise: Tandem's own information, and only
/// warnings from the libraries under it (WebKit, GTK and Tauri are chatty).
const FILE_DEFAULT: &str = "warn,tandem=info,tandem_sync=info,tandem_search=info,tandem_core=info";

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("TANDEM_LOG").unwrap_or_else(|_| EnvFilter::new(default))
}

/// The file appender for `folder`: daily files, a week of them kept.
fn appender(folder: &Path) -> Result<tracing_appender::rolling::RollingFileAppender, String> {
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("tandem")
        .filename_suffix("log")
        .max_log_files(7)
        .build(folder)
        .map_err(|e| e.to_string())
}

/// Sets up logging for this process: standard error, and the log file in `file_folder` when given
/// (the window). A log folder that cannot be made is said on standard error and the window still
/// opens. Installs the panic hook either way.
pub fn init(file_folder: Option<&Path>) {
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter("warn"));
    let file = file_folder.and_then(|folder| match appender(folder) {
        Ok(a) => Some(
            fmt::layer()
                .with_ansi(false)
                .with_writer(a)
                .with_filter(filter(FILE_DEFAULT)),
        ),
        Err(e) => {
            eprintln!("tandem: could not keep a log in {}: {e}", folder.display());
            None
        }
    });
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    install_panic_hook();
}

/// Panics go to the log (with a backtrace) as well as to standard error, so a crash of a window
/// started from the menu leaves a trace someone can send.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log_panic(info);
        previous(info);
    }));
}

/// Writes one panic to the log: where, what, on which thread, and the backtrace.
pub fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    let place = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    let thread = std::thread::current();
    let backtrace = std::backtrace::Backtrace::force_capture();
    tracing::error!(
        target: "tandem::panic",
        "Tandem panicked on thread {} at {place}: {what}\n{backtrace}",
        thread.name().unwrap_or("unnamed"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic on a thread writes its message, place and a backtrace into the log file (the hook
    /// is called as the process-wide one would be; the subscriber is this thread's own).
    #[test]
    fn a_panic_is_written_to_the_log_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let logs = folder(dir.path());
        let file = appender(&logs).unwrap_or_else(|e| panic!("{e}"));
        let subscriber = tracing_subscriber::registry().with(
            fmt::layer()
                .with_ansi(false)
                .with_writer(file)
                .with_filter(EnvFilter::new(FILE_DEFAULT)),
        );
        let outcome = std::thread::Builder::new()
            .name("worker".into())
            .spawn(move || {
                tracing::subscriber::with_default(subscriber, || {
                    std::panic::catch_unwind(|| {
                        // Only this thread's panic goes through log_panic; others keep the default hook.
                        let previous = std::panic::take_hook();
                        std::panic::set_hook(Box::new(move |info| {
                            if std::thread::current().name() == Some("worker") {
                                log_panic(info);
                            } else {
                                previous(info);
                            }
                        }));
                        panic!("the share vanished mid-write");
                    })
                })
            })
            .unwrap_or_else(|e| panic!("{e}"))
            .join();
        let _ = std::panic::take_hook();
        assert!(
            matches!(outcome, Ok(Err(_))),
            "the closure should have panicked"
        );
        let written: String = std::fs::read_dir(&logs)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("tandem."))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        assert!(written.contains("ERROR"), "{written}");
        assert!(
            written.contains("Tandem panicked on thread worker at src-tauri/src/desktop/log.rs:"),
            "{written}"
        );
        assert!(
            written.contains("the share vanished mid-write"),
            "{written}"
        );
        // The backtrace names this very test.
        assert!(
            written.contains("a_panic_is_written_to_the_log_file"),
            "{written}"
        );
    }
}
