//! The progress summary: its preview (exactly what each format exports) and the export itself.

use chrono::Local;
use tandem_core::contract::{ExportSummary, PeriodArgs, SummaryPreview};
use tandem_core::pair::Pair;
use tandem_core::summary::{Format, Preview, Summary};
use tandem_core::{IpcError, validate};
use tauri::State;

use super::{Args, Reply, invalid};
use crate::state::AppState;

/// The summary for the period's template (the pair's programme's when empty) over `from..=to`
/// (empty: the pair's start, today).
fn summary(state: &AppState, p: &PeriodArgs) -> Result<Summary, IpcError> {
    let bad = |e: validate::ValidationError| invalid(e.field, e.message);
    let from = validate::optional_date("from", "the first day", &p.from).map_err(bad)?;
    let to = validate::optional_date("to", "the last day", &p.to).map_err(bad)?;
    let template = Some(p.template.as_str()).filter(|t| !t.trim().is_empty());
    super::library(state)?
        .summary(&p.id, template, from, to, Local::now().date_naive())
        .map_err(|e| e.to_ipc())
}

/// The summary rendered as it will be exported.
#[tauri::command(async)]
pub fn summary_preview(
    state: State<'_, AppState>,
    args: Args<SummaryPreview>,
) -> Reply<SummaryPreview> {
    let summary = summary(&state, &args)?;
    let view = super::library(&state)?
        .view::<Pair>(&args.id)
        .map_err(|e| e.to_ipc())?;
    Ok(Preview::of(summary, &view))
}

/// Renders the summary as `format` (md, html or pdf) and saves it where the person chooses (see
/// [`super::save_export`]); returns where, or `None` when they cancelled.
#[tauri::command]
pub async fn export_summary(
    app: tauri::AppHandle,
    window: tauri::Window,
    state: State<'_, AppState>,
    args: Args<ExportSummary>,
) -> Reply<ExportSummary> {
    let format = Format::parse(&args.format).ok_or_else(|| {
        invalid(
            "format",
            format!("Export as md, html or pdf (not “{}”).", args.format),
        )
    })?;
    let summary = summary(&state, &args.period)?;
    let bytes = tandem_sync::render(&summary, format).map_err(|e| IpcError {
        code: tandem_core::ErrorCode::Internal,
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
    let kind = match format {
        Format::Md => "Markdown",
        Format::Html => "Web page",
        Format::Pdf => "PDF",
    };
    let export = super::Export {
        title: "Save the progress summary",
        name: &name,
        kind,
        extension: format.extension(),
    };
    super::save_export(&app, &window, &state, export, &bytes).await
}
