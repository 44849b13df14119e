//! The progress summary: its preview (exactly what each format exports) and the export itself.

use chrono::Local;
use tandem_core::dto::IpcError;
use tandem_core::summary::{Format, Preview};
use tandem_core::validate;
use tauri::State;

use crate::window::AppState;

fn period(
    from: &str,
    to: &str,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), IpcError> {
    let bad = |e: validate::ValidationError| IpcError {
        code: tandem_core::dto::ErrorCode::InvalidInput,
        message: e.message,
        field: Some(e.field.to_string()),
    };
    Ok((
        validate::optional_date("from", "the first day", from).map_err(bad)?,
        validate::optional_date("to", "the last day", to).map_err(bad)?,
    ))
}

/// The summary for `template` (the pair's programme's when empty) over `from..=to` (empty: the
/// pair's start, today), rendered as it will be exported.
#[tauri::command(async)]
pub fn summary_preview(
    state: State<'_, AppState>,
    id: String,
    template: String,
    from: String,
    to: String,
) -> Result<Preview, IpcError> {
    let (from, to) = period(&from, &to)?;
    let mut lib = super::library(&state)?;
    let template = Some(template.as_str()).filter(|t| !t.trim().is_empty());
    let summary = lib
        .summary(&id, template, from, to, Local::now().date_naive())
        .map_err(|e| e.to_ipc())?;
    let view = lib.view(&id).map_err(|e| e.to_ipc())?;
    Ok(Preview::of(summary, &view))
}

/// Writes the summary as `format` (md, html or pdf) into the export folder and returns where.
#[tauri::command(async)]
pub fn export_summary(
    state: State<'_, AppState>,
    id: String,
    template: String,
    format: String,
    from: String,
    to: String,
) -> Result<String, IpcError> {
    let (from, to) = period(&from, &to)?;
    let format = Format::parse(&format).ok_or_else(|| IpcError {
        code: tandem_core::dto::ErrorCode::InvalidInput,
        message: format!("Export as md, html or pdf (not “{format}”)."),
        field: Some("format".into()),
    })?;
    let mut lib = super::library(&state)?;
    let template = Some(template.as_str()).filter(|t| !t.trim().is_empty());
    let summary = lib
        .summary(&id, template, from, to, Local::now().date_naive())
        .map_err(|e| e.to_ipc())?;
    drop(lib);
    let bytes = tandem_sync::render(&summary, format).map_err(|e| IpcError {
        code: tandem_core::dto::ErrorCode::Internal,
        message: e.to_string(),
        field: None,
    })?;
    let name = format!(
        "{} {} {}.{}",
        summary.pair_title,
        summary.template_name,
        summary.to,
        format.extension()
    );
    super::save_export(&name, &bytes)
}
