//! Progress summaries: `tandem export`, `tandem bar` (show or adjust a template's bar for the
//! pair) and `tandem templates`.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use tandem_core::pair::input::BarLineChange;
use tandem_core::pair::{BarEdit, Edit, Pair};
use tandem_core::summary::Format;
use tandem_sync::Mode;

use super::{CliError, Ctx, Out, print_json, write_out};

#[derive(Debug, ClapArgs)]
pub struct ExportArgs {
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

fn date_arg(
    field: &'static str,
    what: &str,
    value: Option<String>,
) -> Result<Option<chrono::NaiveDate>, CliError> {
    Ok(tandem_core::validate::optional_date(
        field,
        what,
        value.as_deref().unwrap_or_default(),
    )?)
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> Result<(), CliError> {
    use std::io::IsTerminal;
    let format = Format::parse(&a.format).ok_or_else(|| {
        CliError::said(format!("Export as md, html or pdf (not “{}”).", a.format))
    })?;
    let from = date_arg("from", "the first day", a.from)?;
    let to = date_arg("to", "the last day", a.to)?;
    if format == Format::Pdf && a.out.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::said(
            "A PDF is not for a terminal: write it with --out FILE.pdf.",
        ));
    }
    let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
    let bytes = lib.export_summary(&id, a.template.as_deref(), format, from, to, ctx.today)?;
    write_out(a.out.as_deref(), &bytes)
}

impl BarArgs {
    /// The edit these arguments make to the bar of `template`, if they adjust it (else the bar is
    /// shown). `settings` is how the bar stands, which a line change starts from.
    fn edit(
        &self,
        template: &str,
        settings: &tandem_core::pair::schema::BarSettings,
    ) -> Option<Edit> {
        let template = template.to_string();
        let edit = if let Some(requirement) = self.add.clone() {
            BarEdit::AddLine {
                template,
                requirement,
            }
        } else if let Some(line) = self.remove.clone() {
            BarEdit::RemoveLine { template, line }
        } else if let Some(start) = self.start.clone() {
            BarEdit::SetStart { template, start }
        } else {
            let line = self.line.clone()?;
            let change = BarLineChange {
                min: self.min.clone(),
                since: self.since.clone(),
                met: (self.met || self.not_met).then_some(self.met),
                evidence: self.evidence.clone(),
                excluded: (self.exclude || self.include).then_some(self.exclude),
            };
            let input = change.over(settings, &line);
            BarEdit::SetLine {
                template,
                line,
                input,
            }
        };
        Some(edit.into())
    }
}

pub fn bar(ctx: &Ctx, a: BarArgs) -> Result<(), CliError> {
    let (mut lib, id) = ctx.pair(Mode::ReadOnly, &a.pair)?;
    let summary = lib.summary(&id, a.template.as_deref(), None, None, ctx.today)?;
    let settings = lib
        .view::<Pair>(&id)?
        .bars
        .remove(&summary.template)
        .unwrap_or_default();
    drop(lib);
    if let Some(edit) = a.edit(&summary.template, &settings) {
        return ctx.edit(&a.pair, edit, &a.out);
    }
    if a.out.json {
        return print_json(&summary.bar);
    }
    let (met, total) = summary.score();
    println!("{}: {met} of {total} met", summary.template_name);
    for r in &summary.bar {
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
    Ok(())
}

pub fn templates() -> Result<(), CliError> {
    for t in tandem_core::templates::TEMPLATES {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Command;

    fn bar_args(args: &[&str]) -> BarArgs {
        match crate::cli::parse(args) {
            Command::Bar(b) => *b,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn bar_arguments_choose_the_edit_and_a_bare_bar_shows_it() {
        let settings = Default::default();
        let t = "kubernetes-reviewer";
        assert_eq!(
            bar_args(&["tandem", "bar", "alex"]).edit(t, &settings),
            None
        );
        assert_eq!(
            bar_args(&["tandem", "bar", "alex", "--add", "Gave a talk"]).edit(t, &settings),
            Some(Edit::from(BarEdit::AddLine {
                template: t.into(),
                requirement: "Gave a talk".into()
            }))
        );
        let Some(Edit::Bar(BarEdit::SetLine { input, .. })) =
            bar_args(&["tandem", "bar", "alex", "--line", "sponsor", "--met"]).edit(t, &settings)
        else {
            panic!("not a line")
        };
        assert_eq!(input.met, Some(true));
        assert!(!input.excluded);
    }
}
