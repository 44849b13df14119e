//! The summary as GitHub-flavoured Markdown, and as a self-contained HTML page rendered from that
//! Markdown by pulldown-cmark (so the two always say the same thing).

use std::fmt::Write as _;

use pulldown_cmark::{Event, Options, Parser};

use super::{Summary, hours};
use crate::vocab::EvidenceKind;

/// Escapes text so Markdown shows it as written: on one line, with no markup or HTML of its own.
/// Only what Markdown would read as markup is escaped, so the text stays readable when pasted.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        for (at, c) in line.char_indices() {
            let escape = match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
                // What would read as an entity ("&amp;"); "Q&A" stays as it is.
                '&' => {
                    let rest = &line[at + 1..];
                    let name = rest
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '#'))
                        .unwrap_or(rest.len());
                    name > 0 && rest[name..].starts_with(';')
                }
                // A heading or list marker at the very start.
                '#' | '+' | '-' | '=' => at == 0 && i == 0,
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Text ending in a full stop.
pub(super) fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// How a link reads: GitHub pull requests and issues as `owner/repo#n`, else the address.
pub(super) fn link_text(url: &str) -> String {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("https://github.com/") {
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        if let [owner, repo, "pull" | "issues", n] = parts.as_slice()
            && n.chars().all(|c| c.is_ascii_digit())
        {
            return format!("{owner}/{repo}#{n}");
        }
    }
    url.to_string()
}

/// A link when `url` is a web address, else the escaped text.
fn link(url: &str) -> String {
    match crate::validate::web_link(url) {
        Some(url) => format!("[{}](<{url}>)", inline(&link_text(url))),
        None => inline(url.trim()),
    }
}

/// ": note" after a list item, or nothing for an empty note.
fn note_suffix(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!(": {}", inline(note))
    }
}

/// Writes multi-line text as a block quote.
fn quote(out: &mut String, text: &str) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {}", inline(line));
        }
    }
}

/// The heading and the opening sentence; `md` escapes the pair's words for Markdown (the PDF
/// draws them as they are).
pub(super) fn title_of(s: &Summary, md: bool) -> (String, String) {
    let esc = |t: &str| if md { inline(t) } else { t.to_string() };
    let mentee = esc(&s.mentee());
    let mentors = esc(&super::join_names(&s.mentors, "their mentor"));
    let role = esc(if s.target_role.trim().is_empty() {
        &s.template_name
    } else {
        s.target_role.trim()
    });
    match s.kind.as_str() {
        "membership" => (
            format!("Kubernetes org membership request: {mentee}"),
            format!(
                "{mentee} asks to become a member of the Kubernetes GitHub organisation. \
                 This request was drafted from the record {mentee} kept with {mentors} in {}.",
                s.programme
            ),
        ),
        kind if kind.starts_with("owners:") => {
            let list = kind.trim_start_matches("owners:");
            let rung = list.trim_end_matches('s');
            let code = if md {
                format!("`{list}`")
            } else {
                format!("“{list}”")
            };
            (
                format!("Add {mentee} as {rung}"),
                format!(
                    "This PR adds {mentee} to the {code} list in OWNERS ({role}). \
                     The evidence below is from the record {mentee} kept with {mentors} in {}.",
                    s.programme
                ),
            )
        }
        "evaluation" => (
            format!("{}: {mentee}", s.template_name),
            format!(
                "The record of {mentee}'s work with {mentors} in {}, for the programme's evaluation.",
                s.programme
            ),
        ),
        _ if s.template == "generic" => {
            let towards = if s.target_role.trim().is_empty() {
                String::new()
            } else {
                format!(", working towards {role}")
            };
            (
                format!("Progress summary: {mentee}"),
                format!("The record of {mentee}'s mentoring with {mentors}{towards}."),
            )
        }
        _ => (
            format!("Nomination of {mentee}: {role}"),
            format!(
                "The record of {mentee}'s work with {mentors} in {}, towards {role}.",
                s.programme
            ),
        ),
    }
}

/// The summary as GitHub-flavoured Markdown, ready to paste into an issue or a pull request.
pub fn markdown(s: &Summary) -> String {
    let mut out = String::with_capacity(4096 + 200 * (s.evidence.len() + s.feedback.len()));
    let (heading, intro) = title_of(s, true);
    let _ = writeln!(out, "# {heading}\n\n{intro}\n\n{}\n", inline(&s.about));

    // A table needs a header row: the mentee's is it.
    let _ = writeln!(out, "| Mentee | {} |\n|---|---|", inline(&s.mentee()));
    let row = |out: &mut String, k: &str, v: &str| {
        let _ = writeln!(out, "| {k} | {} |", inline(v));
    };
    row(&mut out, "Mentor", &super::join_names(&s.mentors, "—"));
    row(&mut out, "Programme", &s.programme);
    if !s.target_role.trim().is_empty() {
        row(&mut out, "Working towards", &s.target_role);
    }
    row(&mut out, "Period", &format!("{} to {}", s.from, s.to));
    row(
        &mut out,
        "In the programme",
        &format!("since {} ({} months)", s.started, s.months_in_programme),
    );
    row(
        &mut out,
        "Sessions",
        &format!("{} sessions, {} hours", s.sessions, hours(s.minutes)),
    );
    if !s.methods.is_empty() {
        let methods: Vec<String> = s
            .methods
            .iter()
            .map(|(m, n)| format!("{m} ({n})"))
            .collect();
        row(&mut out, "Methods", &methods.join(", "));
    }

    let (met, total) = s.score();
    if s.kind == "membership" {
        let _ = writeln!(out, "\n## Requirements: {met} of {total} met\n");
        for r in &s.bar {
            let mark = if r.excluded {
                "- [ ] ~~"
            } else if r.met {
                "- [x] "
            } else {
                "- [ ] "
            };
            let close = if r.excluded {
                "~~ (does not apply)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{mark}{}{close}: {}",
                inline(&r.requirement),
                inline(&r.evidence)
            );
        }
        contributions(&mut out, s);
    } else {
        let _ = writeln!(
            out,
            "\n## The bar: {met} of {total} met\n\n| Requirement | Evidence | Met |\n|---|---|---|"
        );
        for r in &s.bar {
            let (req, status) = if r.excluded {
                (format!("~~{}~~", inline(&r.requirement)), "Does not apply")
            } else if r.met {
                (inline(&r.requirement), "✅ Met")
            } else {
                (inline(&r.requirement), "❌ Not yet")
            };
            let _ = writeln!(out, "| {req} | {} | {status} |", inline(&r.evidence));
        }
    }

    if !s.goals_achieved.is_empty() {
        let _ = writeln!(out, "\n## Goals achieved");
        for g in &s.goals_achieved {
            let _ = writeln!(out, "\n### {}\n", inline(&g.title));
            let mut about = Vec::new();
            if !g.measurable.is_empty() {
                about.push(format!("Measured by: {}", inline(&sentence(&g.measurable))));
            }
            if let Some(due) = &g.due {
                about.push(format!("Due {due}."));
            }
            if !about.is_empty() {
                let _ = writeln!(out, "{}\n", about.join(" "));
            }
            if g.evaluations.is_empty() {
                let _ = writeln!(out, "No evaluation in the period.");
            }
            for e in &g.evaluations {
                let note = note_suffix(&e.note);
                let _ = writeln!(
                    out,
                    "- {} — {}% ({}){note}",
                    e.date,
                    e.progress,
                    inline(&e.by)
                );
            }
        }
    }
    if !s.goals_in_progress.is_empty() {
        let _ = writeln!(out, "\n## Goals in progress\n");
        for g in &s.goals_in_progress {
            let progress = g
                .progress
                .map_or_else(|| "not evaluated yet".into(), |p| format!("{p}%"));
            let _ = writeln!(out, "- **{}**: {progress}", inline(&g.title));
        }
    }
    if !s.feedback.is_empty() {
        let _ = writeln!(out, "\n## Feedback\n");
        for f in &s.feedback {
            let rating = f
                .rating
                .map(|r| format!(", rated {r}/5"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "**{} · {} from {}{rating}**\n",
                f.date,
                inline(&f.kind_label),
                inline(&f.from)
            );
            quote(&mut out, &f.text);
            out.push('\n');
        }
    }
    if !s.reviews.is_empty() {
        let _ = writeln!(out, "\n## Readiness reviews\n");
        for r in &s.reviews {
            let verdict = if r.ready { "ready" } else { "not ready yet" };
            let _ = writeln!(
                out,
                "**{} · {} found the mentee {verdict}**\n",
                r.date,
                inline(&r.by)
            );
            if !r.rationale.is_empty() {
                quote(&mut out, &r.rationale);
                out.push('\n');
            }
        }
    }
    if !s.evidence.is_empty() && s.kind != "membership" {
        let _ = writeln!(
            out,
            "\n## Evidence log\n\n| Date | Kind | Link | Note |\n|---|---|---|---|"
        );
        for e in &s.evidence {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                e.date,
                evidence_kind(e),
                link(&e.link),
                inline(&e.note)
            );
        }
    }
    if !s.next_steps.is_empty() {
        let _ = writeln!(out, "\n## Next steps\n");
        for (i, step) in s.next_steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, inline(step));
        }
    }
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    let _ = writeln!(
        out,
        "\n---\n\n*Made with Tandem on {} from the pair's shared journal. Session notes, private \
         notes and feedback not marked shareable are never included.*",
        s.generated
    );
    out
}

fn evidence_kind(e: &super::EvidenceLine) -> String {
    let label =
        EvidenceKind::parse(&e.kind).map_or_else(|| e.kind.clone(), |k| k.label().to_string());
    if e.primary_reviewer {
        format!("{label} (primary reviewer)")
    } else {
        label.to_string()
    }
}

/// The "List of contributions" part of the kubernetes/org membership request.
fn contributions(out: &mut String, s: &Summary) {
    let _ = writeln!(
        out,
        "\n## List of contributions to the Kubernetes project\n"
    );
    let groups: [(&str, &[EvidenceKind]); 3] = [
        (
            "PRs reviewed / authored",
            &[EvidenceKind::PrReviewed, EvidenceKind::PrAuthored],
        ),
        ("Issues responded to", &[EvidenceKind::IssueTriaged]),
        (
            "SIG projects I am involved with",
            &[EvidenceKind::Docs, EvidenceKind::Talk, EvidenceKind::Other],
        ),
    ];
    for (heading, kinds) in groups {
        let _ = writeln!(out, "- {heading}");
        let mut any = false;
        for e in s
            .evidence
            .iter()
            .filter(|e| EvidenceKind::parse(&e.kind).is_some_and(|k| kinds.contains(&k)))
        {
            any = true;
            let note = note_suffix(&e.note);
            let _ = writeln!(
                out,
                "  - {} ({}, {}){note}",
                link(&e.link),
                evidence_kind(e),
                e.date
            );
        }
        if !any {
            let _ = writeln!(out, "  - none logged");
        }
    }
}

const STYLE: &str = "\
:root{color-scheme:light}\
body{margin:0;background:#f4f1ea;color:#1f2328;font:16px/1.55 Georgia,'DejaVu Serif',serif}\
main{max-width:46rem;margin:2rem auto;background:#fff;padding:2.5rem 3rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}\
h1{font:600 1.7rem/1.25 system-ui,'DejaVu Sans',sans-serif;margin:0 0 1rem;color:#0b3d3a}\
h2{font:600 1.2rem/1.3 system-ui,'DejaVu Sans',sans-serif;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid #0b6e69;color:#0b3d3a}\
h3{font:600 1.02rem/1.3 system-ui,'DejaVu Sans',sans-serif;margin:1.2rem 0 .3rem}\
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.93rem}\
th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}\
th{background:#eef5f4;font-weight:600}\
blockquote{margin:.3rem 0 1rem;padding:.1rem 1rem;border-left:3px solid #b6d4d1;color:#3d444d}\
ul,ol{padding-left:1.4rem}li{margin:.15rem 0}\
a{color:#0b6e69;word-break:break-all}\
hr{border:0;border-top:1px solid #d0d7de;margin:2rem 0 1rem}\
em{color:#59636e}\
@media print{body{background:#fff}main{box-shadow:none;margin:0;max-width:none}}";

/// The summary as one self-contained HTML page (no scripts, no outside resources).
pub fn html(s: &Summary) -> String {
    let md = markdown(s);
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // The Markdown escapes every piece of user text, so it holds no HTML; any that appears is
    // shown as text all the same.
    let events = Parser::new_ext(&md, options).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut body = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut body, events);
    let (heading, _) = title_of(s, false);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Tandem\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_html(&heading)
    )
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
