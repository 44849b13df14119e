//! Adjusting a programme template's bar for one pair: thresholds, dates, attested lines, lines
//! that do not apply, and lines of the pair's own.

use automerge::AutoCommit;
use autosurgeon::{hydrate_prop, reconcile_prop};

use super::{Applied, Ctx, collection, created, done, invalid, require_me};
use crate::error::OpError;
use crate::pair::input::BarLineInput;
use crate::pair::schema::{BarLine, BarSettings, CustomLine};
use crate::templates::{self, Measure, Template};
use crate::validate;

fn template_of(id: &str) -> Result<&'static Template, OpError> {
    templates::template(id.trim()).ok_or_else(|| {
        invalid(
            "template",
            format!(
                "There is no template “{}”. Templates: {}.",
                id.trim(),
                templates::TEMPLATES
                    .iter()
                    .map(|t| t.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

fn settings(doc: &AutoCommit, template: &str) -> Result<BarSettings, OpError> {
    // hydrate_prop of an Option wants an explicit null, so look for the key first.
    let Some(bars) = super::collection_if_any(doc, "bars")? else {
        return Ok(BarSettings::default());
    };
    if crate::doc::child(doc, &bars, template, automerge::ObjType::Map)?.is_none() {
        return Ok(BarSettings::default());
    }
    Ok(hydrate_prop(doc, &bars, template)?)
}

fn save(doc: &mut AutoCommit, template: &str, s: &BarSettings) -> Result<(), OpError> {
    let bars = collection(doc, "bars")?;
    reconcile_prop(doc, &bars, template, s)?;
    Ok(())
}

fn evidence(value: &str) -> Result<Option<String>, OpError> {
    validate::long_text("evidence", "The evidence", value)?;
    let v = value.trim();
    Ok((!v.is_empty()).then(|| v.to_string()))
}

pub(super) fn set_line(
    doc: &mut AutoCommit,
    template: &str,
    line: &str,
    input: &BarLineInput,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let t = template_of(template)?;
    let mut s = settings(doc, t.id)?;
    let line = line.trim();
    if let Some(custom) = s.custom.get_mut(line) {
        if !input.min.trim().is_empty() || !input.since.trim().is_empty() {
            return Err(invalid(
                "min",
                "A line you added is met by saying so; it has no number or date to set.",
            ));
        }
        custom.met = input.met.unwrap_or(false);
        custom.evidence = evidence(&input.evidence)?.unwrap_or_default();
        let what = custom.requirement.clone();
        save(doc, t.id, &s)?;
        return done(format!("Adjust the {} bar: “{what}”", t.name));
    }
    let def = t
        .lines
        .iter()
        .find(|l| l.id == line)
        .ok_or(OpError::NotFound("bar line"))?;
    let min = match input.min.trim() {
        "" => None,
        v if def.has_threshold() => match v.parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => Some(n),
            _ => {
                return Err(invalid(
                    "min",
                    format!("Enter the number as a whole number from 0 to 1000 (not “{v}”)."),
                ));
            }
        },
        _ => {
            return Err(invalid("min", "This line has no number to change."));
        }
    };
    let since = match input.since.trim() {
        "" => None,
        v if def.measure == Measure::MonthsSince => {
            Some(validate::date("since", "the date it began", v)?.to_string())
        }
        _ => {
            return Err(invalid("since", "This line is not counted from a date."));
        }
    };
    let met = match input.met {
        Some(m) if def.measure == Measure::Attested => Some(m),
        Some(_) => {
            return Err(invalid(
                "met",
                "Tandem works this line out from the pair's record; it cannot be ticked by hand. \
                 Change its number, add evidence, or mark it as not applying.",
            ));
        }
        None => None,
    };
    let adjusted = BarLine {
        min,
        since,
        met,
        evidence: evidence(&input.evidence)?,
        excluded: input.excluded,
    };
    if adjusted == BarLine::default() {
        s.lines.remove(def.id);
    } else {
        s.lines.insert(def.id.to_string(), adjusted);
    }
    save(doc, t.id, &s)?;
    done(format!(
        "Adjust the {} bar: “{}”",
        t.name,
        def.text.replace("{n}", &min.unwrap_or(def.min).to_string())
    ))
}

pub(super) fn add_line(
    doc: &mut AutoCommit,
    template: &str,
    requirement: &str,
    ctx: &Ctx,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let t = template_of(template)?;
    let requirement = validate::short_text("requirement", "the requirement", requirement)?;
    let mut s = settings(doc, t.id)?;
    s.custom.insert(
        ctx.new_id.clone(),
        CustomLine {
            requirement: requirement.clone(),
            met: false,
            evidence: String::new(),
        },
    );
    save(doc, t.id, &s)?;
    created(
        &ctx.new_id,
        format!("Add to the {} bar: “{requirement}”", t.name),
    )
}

pub(super) fn remove_line(
    doc: &mut AutoCommit,
    template: &str,
    line: &str,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let t = template_of(template)?;
    let mut s = settings(doc, t.id)?;
    if t.lines.iter().any(|l| l.id == line.trim()) {
        return Err(invalid(
            "line",
            "A template's own line cannot be removed; mark it as not applying instead.",
        ));
    }
    let gone = s
        .custom
        .remove(line.trim())
        .ok_or(OpError::NotFound("bar line"))?;
    save(doc, t.id, &s)?;
    done(format!(
        "Remove from the {} bar: “{}”",
        t.name, gone.requirement
    ))
}

pub(super) fn set_start(
    doc: &mut AutoCommit,
    template: &str,
    start: &str,
) -> Result<Applied, OpError> {
    require_me(doc)?;
    let t = template_of(template)?;
    let start = validate::optional_date("start", "the programme's start", start)?;
    let mut s = settings(doc, t.id)?;
    s.start = start.map(|d| d.to_string());
    save(doc, t.id, &s)?;
    done(match &s.start {
        Some(d) => format!("The {} programme started on {d}", t.name),
        None => format!("The {} weeks count from each summary's start", t.name),
    })
}
