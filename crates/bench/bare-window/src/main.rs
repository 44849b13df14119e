//! A bare Tauri window: the baseline Tandem's cold start and window memory are compared with.

/// Prints `ready` when the page has its first frame, like Tandem's `app_ready`.
#[tauri::command]
fn app_ready() {
    if std::env::var_os("TANDEM_REPORT_READY").is_some_and(|v| v == "1") {
        println!("ready");
    }
}

fn main() {
    let app = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_ready])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => eprintln!("bare-window: {e}"),
    }
}
