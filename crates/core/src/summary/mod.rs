//! Progress summaries for graduation nominations: the pair's record over a period, mapped line by
//! line onto a programme's bar, rendered as GitHub-flavoured Markdown, a self-contained HTML page
//! and (with the `pdf` feature) a PDF.
//!
//! Privacy invariant: a [`Summary`] is built from the shared pair view only, and takes from it
//! only what may leave the pair: never session notes or agendas, never feedback not marked
//! shareable. Private notes live outside the pair document and cannot reach it. Every renderer
//! draws from the [`Summary`] alone.

mod bar;
mod markdown;
#[cfg(feature = "pdf")]
pub mod pdf;

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::templates::{self, Kind, Measure, Template};
use bar::BarCtx;
pub use markdown::{html, markdown};

use crate::pair::view::{GoalView, PairView};
use crate::vocab::{EvidenceKind, FeedbackKind, GoalStatus, Role};

/// The formats a summary exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Md,
    Html,
    Pdf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "html" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// One line of the bar as it stands for this pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarRow {
    /// The template's line id, or the custom line's ULID.
    pub id: String,
    pub requirement: String,
    pub evidence: String,
    pub met: bool,
    /// Marked as not applying to this pair: shown, not counted.
    pub excluded: bool,
    /// Added by the pair rather than the template.
    pub custom: bool,
    /// The threshold in force, for lines that have one.
    pub min: Option<i64>,
    /// For lines counted from a date the pair records ("member since"): that date, if recorded.
    pub needs_since: bool,
    pub since: Option<String>,
    /// Met only by a person saying so.
    pub attested: bool,
    /// The pair's own words of evidence on the line.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationLine {
    pub date: String,
    pub progress: i64,
    pub note: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalLine {
    pub title: String,
    pub measurable: String,
    pub due: Option<String>,
    pub progress: Option<i64>,
    /// Oldest first, within the period.
    pub evaluations: Vec<EvaluationLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackLine {
    pub date: String,
    /// A [`FeedbackKind`] string.
    pub kind: String,
    pub kind_label: String,
    pub from: String,
    pub rating: Option<i64>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub date: String,
    pub by: String,
    pub ready: bool,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub date: String,
    pub kind: String,
    pub link: String,
    pub primary_reviewer: bool,
    pub note: String,
}

/// Everything a progress summary says, already filtered to what may leave the pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub template: String,
    pub template_name: String,
    pub about: String,
    pub pair_title: String,
    pub programme: String,
    pub target_role: String,
    pub mentees: Vec<String>,
    pub mentors: Vec<String>,
    pub from: String,
    pub to: String,
    pub generated: String,
    /// The first day the pair recorded anything, or was created.
    pub started: String,
    pub months_in_programme: i64,
    pub sessions: usize,
    pub minutes: i64,
    /// Method label and how many sessions used it, most used first.
    pub methods: Vec<(String, usize)>,
    pub goals_achieved: Vec<GoalLine>,
    pub goals_in_progress: Vec<GoalLine>,
    pub feedback: Vec<FeedbackLine>,
    pub reviews: Vec<ReviewLine>,
    pub evidence: Vec<EvidenceLine>,
    pub bar: Vec<BarRow>,
    pub next_steps: Vec<String>,
    /// What the Markdown is a draft of: "membership", "owners:reviewers", "nomination" or
    /// "evaluation".
    pub kind: String,
}

impl Summary {
    /// Lines met, and lines counted (not excluded).
    pub fn score(&self) -> (usize, usize) {
        let counted = self.bar.iter().filter(|r| !r.excluded);
        let total = counted.clone().count();
        (counted.filter(|r| r.met).count(), total)
    }

    /// The mentees' names for a sentence ("Alex", "Alex and Kim").
    pub fn mentee(&self) -> String {
        join_names(&self.mentees, "the mentee")
    }
}

fn join_names(names: &[String], none: &str) -> String {
    match names {
        [] => none.to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A template as a form lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub id: String,
    pub name: String,
}

/// What the "Progress summary" screen shows: the summary, exactly as each format will export it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub summary: Summary,
    pub markdown: String,
    pub html: String,
    pub templates: Vec<TemplateChoice>,
    /// The template's bar counts weeks from the programme's start, which the pair may set.
    pub uses_start: bool,
    /// The programme's start the pair set for this template, if any.
    pub start: Option<String>,
}

impl Preview {
    pub fn of(summary: Summary, view: &PairView) -> Preview {
        let t = templates::template(&summary.template);
        Preview {
            markdown: markdown(&summary),
            html: html(&summary),
            templates: templates::TEMPLATES
                .iter()
                .map(|t| TemplateChoice {
                    id: t.id.into(),
                    name: t.name.into(),
                })
                .collect(),
            uses_start: t.is_some_and(|t| t.lines.iter().any(|l| l.measure == Measure::Week)),
            start: view
                .bars
                .get(&summary.template)
                .and_then(|b| b.start.clone()),
            summary,
        }
    }
}

/// Why a summary cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    #[error(
        "There is no template “{0}”. Templates: kubernetes-member, kubernetes-reviewer, kubernetes-approver, astropy, gsoc, lfx, outreachy, generic."
    )]
    NoTemplate(String),
    #[error("The period starts on {from} but ends on {to}: the start must come first.")]
    Backwards { from: String, to: String },
}

fn date_of(s: &str) -> Option<NaiveDate> {
    s.get(..10).and_then(|d| d.parse().ok())
}

/// Whole months from `a` to `b` (0 when `b` is earlier).
pub fn whole_months(a: NaiveDate, b: NaiveDate) -> i64 {
    if b < a {
        return 0;
    }
    let mut months = (b.year() - a.year()) as i64 * 12 + b.month() as i64 - a.month() as i64;
    if b.day() < a.day() {
        months -= 1;
    }
    months.max(0)
}

/// The calendar months that `from..=to` touches, as (year, month).
fn months_of(from: NaiveDate, to: NaiveDate) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let mut d = from.with_day(1).unwrap_or(from);
    while d <= to {
        out.push((d.year(), d.month()));
        match d.checked_add_months(Months::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    out
}

fn month_name(y: i32, m: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, 1)
        .map_or_else(|| format!("{y}-{m:02}"), |d| d.format("%B %Y").to_string())
}

/// Builds the summary of `view` for `template` over `from..=to` (both inclusive; `None` for the
/// pair's start and `today`).
pub fn build(
    view: &PairView,
    template: &Template,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Summary, SummaryError> {
    // The pair started with the first thing it recorded (a session, evidence, feedback, a review
    // or an evaluation), or when it was created if that came first.
    let started = view
        .sessions
        .iter()
        .map(|s| s.date.as_str())
        .chain(view.evidence.iter().map(|e| e.date.as_str()))
        .chain(view.feedback.iter().map(|f| f.date.as_str()))
        .chain(view.reviews.iter().map(|r| r.date.as_str()))
        .chain(
            view.goals
                .iter()
                .flat_map(|g| g.evaluations.iter().map(|e| e.date.as_str())),
        )
        .chain(std::iter::once(view.created.as_str()))
        .filter_map(date_of)
        .min()
        .unwrap_or(today);
    let from = from.unwrap_or(started);
    let to = to.unwrap_or(today);
    if to < from {
        return Err(SummaryError::Backwards {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    let within = |s: &str| date_of(s).is_some_and(|d| d >= from && d <= to);

    let names = |roles: &[Role]| -> Vec<String> {
        view.people
            .iter()
            .filter(|p| !p.left && Role::parse(&p.role).is_some_and(|r| roles.contains(&r)))
            .map(|p| p.name.clone())
            .collect()
    };
    let mentees = names(&[Role::Mentee, Role::MentorMentee]);
    let mentors = names(&[Role::Mentor, Role::LeadMentor]);

    // Sessions: counts and methods only; their notes and agendas never leave the pair.
    let sessions: Vec<_> = view.sessions.iter().filter(|s| within(&s.date)).collect();
    let minutes = sessions.iter().map(|s| s.minutes).sum();
    let mut methods: Vec<(String, usize)> = Vec::new();
    for s in &sessions {
        for m in &s.methods {
            match methods.iter_mut().find(|(l, _)| *l == m.label) {
                Some((_, n)) => *n += 1,
                None => methods.push((m.label.clone(), 1)),
            }
        }
    }
    methods.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let goal_line = |g: &GoalView| {
        let mut evaluations: Vec<EvaluationLine> = g
            .evaluations
            .iter()
            .filter(|e| within(&e.date))
            .map(|e| EvaluationLine {
                date: e.date.clone(),
                progress: e.progress,
                note: e.note.trim().to_string(),
                by: e.by.clone(),
            })
            .collect();
        evaluations.sort_by(|a, b| a.date.cmp(&b.date));
        GoalLine {
            title: g.title.clone(),
            measurable: g.measurable.trim().to_string(),
            due: g.due.clone(),
            progress: g.progress,
            evaluations,
        }
    };
    let status = |g: &GoalView| GoalStatus::parse(&g.status);
    let mut goals_achieved: Vec<GoalLine> = view
        .goals
        .iter()
        .filter(|g| status(g) == Some(GoalStatus::Achieved))
        .map(goal_line)
        .collect();
    goals_achieved.sort_by(|a, b| a.title.cmp(&b.title));
    let mut goals_in_progress: Vec<GoalLine> = view
        .goals
        .iter()
        .filter(|g| status(g) == Some(GoalStatus::Active))
        .map(goal_line)
        .collect();
    goals_in_progress.sort_by(|a, b| a.title.cmp(&b.title));

    // Feedback: only what its author marked shareable.
    let mut feedback: Vec<FeedbackLine> = view
        .feedback
        .iter()
        .filter(|f| f.shareable && within(&f.date))
        .map(|f| FeedbackLine {
            date: f.date.clone(),
            kind: f.kind.clone(),
            kind_label: f.kind_label.clone(),
            from: f.from.clone(),
            rating: f.rating,
            text: f.text.trim().to_string(),
        })
        .collect();
    feedback.sort_by(|a, b| a.date.cmp(&b.date));
    let mut reviews: Vec<ReviewLine> = view
        .reviews
        .iter()
        .filter(|r| within(&r.date))
        .map(|r| ReviewLine {
            date: r.date.clone(),
            by: r.by.clone(),
            ready: r.ready,
            rationale: r.rationale.trim().to_string(),
        })
        .collect();
    reviews.sort_by(|a, b| a.date.cmp(&b.date));
    let mut evidence: Vec<EvidenceLine> = view
        .evidence
        .iter()
        .filter(|e| within(&e.date))
        .map(|e| EvidenceLine {
            date: e.date.clone(),
            kind: e.kind.clone(),
            link: e.link.clone(),
            primary_reviewer: e.primary_reviewer,
            note: e.note.trim().to_string(),
        })
        .collect();
    evidence.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.link.cmp(&b.link)));

    let settings = view.bars.get(template.id).cloned().unwrap_or_default();
    let ctx = BarCtx {
        view,
        from,
        to,
        started,
        settings: &settings,
        evidence: &evidence,
        feedback: &feedback,
        reviews: &reviews,
        sessions: &sessions
            .iter()
            .filter_map(|s| date_of(&s.date))
            .collect::<Vec<_>>(),
        minutes,
        goals_achieved: goals_achieved.len(),
    };
    let mut bar: Vec<BarRow> = template.lines.iter().map(|l| ctx.row(l)).collect();
    bar.extend(settings.custom.iter().map(|(id, c)| BarRow {
        id: id.clone(),
        requirement: c.requirement.clone(),
        evidence: if c.evidence.trim().is_empty() {
            "Not yet recorded".into()
        } else {
            c.evidence.trim().to_string()
        },
        met: c.met,
        excluded: false,
        custom: true,
        min: None,
        needs_since: false,
        since: None,
        attested: true,
        note: Some(c.evidence.clone()).filter(|e| !e.trim().is_empty()),
    }));

    Ok(Summary {
        template: template.id.into(),
        template_name: template.name.into(),
        about: template.about.into(),
        pair_title: view.title.clone(),
        programme: view.programme_label.clone(),
        target_role: view.target_role.clone(),
        mentees,
        mentors,
        from: from.to_string(),
        to: to.to_string(),
        generated: today.to_string(),
        started: started.to_string(),
        months_in_programme: whole_months(started, to),
        sessions: sessions.len(),
        minutes,
        methods,
        goals_achieved,
        goals_in_progress,
        feedback,
        reviews,
        evidence,
        bar,
        next_steps: template.next_steps.iter().map(|s| s.to_string()).collect(),
        kind: match template.kind {
            Kind::K8sMembership => "membership".into(),
            Kind::K8sOwners { list } => format!("owners:{list}"),
            Kind::Nomination => "nomination".into(),
            Kind::Evaluation => "evaluation".into(),
        },
    })
}

/// Minutes as hours with at most one decimal ("12.5", "3").
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests;
