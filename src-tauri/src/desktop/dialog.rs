//! A start-up failure in a dialog: started from the desktop's menu, Tandem has no terminal, and a
//! window that never opens with the reason only on standard error looks like nothing happened.

/// The dialog's title; tests find the dialog by it.
pub const TITLE: &str = "Tandem could not start";

/// Whether dialogs are wanted: not without a display, and not when `TANDEM_NO_DIALOG=1` (scripts
/// that start the window and read standard error).
fn wanted() -> bool {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    let display = !cfg!(target_os = "linux") || set("DISPLAY") || set("WAYLAND_DISPLAY");
    display && std::env::var_os("TANDEM_NO_DIALOG").is_none_or(|v| v != "1")
}

/// Shows why the window could not start, with the log's place, and waits for OK. Called on the
/// main thread, before Tauri or from its set-up (GTK is then already running on this thread).
pub fn startup_failed(why: &str, log: Option<&std::path::Path>) {
    if !wanted() {
        return;
    }
    let mut text = why.to_string();
    if let Some(log) = log {
        text.push_str(&format!("\n\nThe log is in {}.", log.display()));
    }
    show(&text);
}

#[cfg(target_os = "linux")]
fn show(text: &str) {
    use gtk::prelude::*;
    if gtk::init().is_err() {
        return;
    }
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Ok,
        TITLE,
    );
    dialog.set_title(TITLE);
    dialog.set_secondary_text(Some(text));
    dialog.run();
    dialog.close();
    while gtk::events_pending() {
        gtk::main_iteration();
    }
}

#[cfg(not(target_os = "linux"))]
fn show(text: &str) {
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(TITLE)
        .set_description(text)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}
