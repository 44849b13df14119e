//! The window reporting that it has painted, for the cold-start benchmark.

/// Called by the UI on its first animation frame after mounting. With `TANDEM_REPORT_READY=1`
/// prints `ready` on stdout, which the benchmark times from process start; otherwise does nothing.
#[tauri::command]
pub fn app_ready() {
    if std::env::var_os("TANDEM_REPORT_READY").is_some_and(|v| v == "1") {
        println!("ready");
    }
}
