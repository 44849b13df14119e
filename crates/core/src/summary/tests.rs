//! The summary of a fixed pair: its Markdown pinned per template, what it leaves out, how it maps
//! the record onto each bar, and how a pair adjusts a bar.
//!
//! Over 600 lines because one fixed pair serves every test here; split by template, the pair would
//! be copied.

use automerge::{ActorId, AutoCommit};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use expect_test::expect_file;

use super::*;
use crate::pair::edit::*;
use crate::pair::input::{
    BarLineInput, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewPair, NewReview, NewSession,
};
use crate::pair::ops::{Ctx, PairIds, apply, create_pair, register_device};
use crate::pair::view::view_of;
use crate::templates;

const PRIVATE: &str = "PRIVATE-CHECKIN-TEXT";
const NOTES: &str = "SECRET-SESSION-NOTE";
const AGENDA: &str = "SECRET-AGENDA";

fn at(date: &str) -> DateTime<Utc> {
    let d: NaiveDate = date.parse().unwrap_or_default();
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default())
}

fn edit(doc: &mut AutoCommit, e: Edit, id: &str, on: &str) -> Option<String> {
    let a = apply(
        doc,
        &e,
        &Ctx {
            now: at(on),
            new_id: id.into(),
        },
    )
    .unwrap_or_else(|err| panic!("{e:?}: {err}"));
    doc.commit();
    a.created
}

fn refused(doc: &mut AutoCommit, e: Edit) -> String {
    let before = doc.get_heads();
    let err = apply(
        doc,
        &e,
        &Ctx {
            now: at("2026-07-01"),
            new_id: "X".into(),
        },
    )
    .err();
    doc.rollback();
    assert_eq!(doc.get_heads(), before, "a refused edit wrote something");
    match err {
        Some(crate::error::OpError::Invalid(v)) => v.field.to_string(),
        Some(other) => other.to_string(),
        None => panic!("{e:?} was accepted"),
    }
}

fn session(doc: &mut AutoCommit, id: &str, date: &str, minutes: &str, methods: &[&str]) {
    edit(
        doc,
        Edit::Session(SessionEdit::Log(NewSession {
            date: date.into(),
            minutes: minutes.into(),
            methods: methods.iter().map(|m| m.to_string()).collect(),
            agenda: format!("{AGENDA} {id}"),
            notes: format!("{NOTES} {id}"),
            ..NewSession::default()
        })),
        id,
        date,
    );
}

fn feedback(doc: &mut AutoCommit, id: &str, kind: &str, date: &str, text: &str, shareable: bool) {
    edit(
        doc,
        Edit::Feedback(FeedbackEdit::Give(NewFeedback {
            kind: kind.into(),
            date: date.into(),
            rating: "4".into(),
            text: text.into(),
            shareable,
            ..NewFeedback::default()
        })),
        id,
        date,
    );
}

fn evidence(doc: &mut AutoCommit, id: &str, kind: &str, n: u32, date: &str, primary: bool) {
    edit(
        doc,
        Edit::Feedback(FeedbackEdit::AddEvidence(NewEvidence {
            kind: kind.into(),
            link: format!("https://github.com/kubernetes/website/pull/{n}"),
            date: date.into(),
            note: if n.is_multiple_of(2) {
                format!("Docs for *feature* {n}")
            } else {
                String::new()
            },
            primary_reviewer: primary,
        })),
        id,
        date,
    );
}

/// Sam mentors Alex towards SIG Docs reviewer, January to June 2026, on two laptops.
fn fixed_pair(programme: &str, target: &str) -> AutoCommit {
    let mut sam = crate::new_document().with_actor(ActorId::from(vec![1u8; 16]));
    let ids = PairIds {
        pair: "01PAIR".into(),
        me: "SAM".into(),
        partner: "ALEX".into(),
    };
    let input = NewPair {
        title: "Alex → SIG Docs reviewer".into(),
        my_name: "Sam".into(),
        my_role: "mentor".into(),
        partner_name: "Alex".into(),
        programme: programme.into(),
        target_role: target.into(),
        ..NewPair::default()
    };
    create_pair(&mut sam, &ids, &input, at("2026-01-05")).unwrap_or_else(|e| panic!("{e}"));
    sam.commit();
    let mut alex = sam.fork().with_actor(ActorId::from(vec![2u8; 16]));
    register_device(&mut alex, "ALEX").unwrap_or_else(|e| panic!("{e}"));
    alex.commit();

    for (i, (date, minutes, methods)) in [
        ("2026-01-12", "60", &["pairing", "review"][..]),
        ("2026-01-26", "45", &["instruction"][..]),
        ("2026-02-09", "60", &["review"][..]),
        ("2026-03-09", "30", &["qa", "review"][..]),
        ("2026-04-06", "60", &["pairing"][..]),
        ("2026-05-04", "45", &["review", "planning"][..]),
        ("2026-06-01", "60", &["review"][..]),
    ]
    .into_iter()
    .enumerate()
    {
        session(&mut sam, &format!("S{i}"), date, minutes, methods);
    }

    edit(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(NewGoal {
            title: "Review 20 SIG Docs PRs".into(),
            specific: "Review localisation and API reference PRs".into(),
            measurable: "20 reviews with approving comments".into(),
            due: "2026-05-31".into(),
            ..NewGoal::default()
        })),
        "G1",
        "2026-01-12",
    );
    edit(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(NewGoal {
            title: "Lead a docs sprint".into(),
            measurable: "One sprint run end to end".into(),
            ..NewGoal::default()
        })),
        "G2",
        "2026-03-09",
    );
    sam.merge(&mut alex).unwrap_or_else(|e| panic!("{e}"));
    alex.merge(&mut sam).unwrap_or_else(|e| panic!("{e}"));
    for g in ["G1", "G2"] {
        edit(
            &mut alex,
            Edit::Goal(GoalEdit::Agree { goal_id: g.into() }),
            "",
            "2026-03-10",
        );
    }
    sam.merge(&mut alex).unwrap_or_else(|e| panic!("{e}"));
    for (id, date, progress, note) in [
        (
            "E1",
            "2026-02-01",
            "30",
            "Six reviews, good catches on links.",
        ),
        (
            "E2",
            "2026-04-01",
            "75",
            "Fifteen reviews; started on API reference.",
        ),
        ("E3", "2026-05-20", "100", "Twenty reviews."),
    ] {
        edit(
            &mut sam,
            Edit::Goal(GoalEdit::Evaluate {
                goal_id: "G1".into(),
                evaluation: NewEvaluation {
                    date: date.into(),
                    progress: progress.into(),
                    note: note.into(),
                },
            }),
            id,
            date,
        );
    }
    edit(
        &mut sam,
        Edit::Goal(GoalEdit::SetStatus {
            goal_id: "G1".into(),
            status: "achieved".into(),
        }),
        "",
        "2026-05-20",
    );
    edit(
        &mut sam,
        Edit::Goal(GoalEdit::Evaluate {
            goal_id: "G2".into(),
            evaluation: NewEvaluation {
                date: "2026-06-01".into(),
                progress: "50".into(),
                note: "Sprint planned for July.".into(),
            },
        }),
        "E4",
        "2026-06-01",
    );

    feedback(
        &mut sam,
        "F1",
        "check-in",
        "2026-01-30",
        "All on track.",
        true,
    );
    feedback(&mut alex, "F2", "check-in", "2026-02-27", PRIVATE, false);
    feedback(
        &mut sam,
        "F3",
        "midpoint",
        "2026-03-30",
        "Alex reviews carefully and explains\nwhy. <b>Needs</b> to say no more often.",
        true,
    );
    feedback(
        &mut alex,
        "F4",
        "closing",
        "2026-06-20",
        "Sam's reviews taught me the style guide.",
        true,
    );
    feedback(
        &mut sam,
        "F5",
        "check-in",
        "2026-04-28",
        "Good month.",
        true,
    );
    feedback(
        &mut sam,
        "F6",
        "check-in",
        "2026-05-29",
        "Good month again.",
        true,
    );

    edit(
        &mut sam,
        Edit::Feedback(FeedbackEdit::ReviewReadiness(NewReview {
            date: "2026-03-31".into(),
            ready: false,
            rationale: "Needs more primary reviews.".into(),
        })),
        "R1",
        "2026-03-31",
    );
    edit(
        &mut sam,
        Edit::Feedback(FeedbackEdit::ReviewReadiness(NewReview {
            date: "2026-06-15".into(),
            ready: true,
            rationale: "Ready: consistent, careful reviews.".into(),
        })),
        "R2",
        "2026-06-15",
    );

    for (i, (kind, date, primary)) in [
        ("pr-reviewed", "2026-01-20", false),
        ("pr-reviewed", "2026-02-11", true),
        ("pr-authored", "2026-02-20", false),
        ("pr-reviewed", "2026-03-03", true),
        ("issue-triaged", "2026-03-15", false),
        ("pr-reviewed", "2026-04-10", true),
        ("pr-reviewed", "2026-05-02", false),
        ("docs", "2026-05-12", false),
        ("pr-authored", "2026-06-03", false),
        ("pr-reviewed", "2026-06-10", true),
    ]
    .into_iter()
    .enumerate()
    {
        evidence(
            &mut alex,
            &format!("V{i}"),
            kind,
            100 + i as u32,
            date,
            primary,
        );
    }
    sam.merge(&mut alex).unwrap_or_else(|e| panic!("{e}"));
    sam
}

fn summary_of(doc: &AutoCommit, template: &str) -> Summary {
    let view = view_of(doc).unwrap_or_else(|e| panic!("{e}"));
    let t = templates::template(template).unwrap_or_else(|| panic!("no {template}"));
    build(
        &view,
        t,
        None,
        NaiveDate::from_ymd_opt(2026, 6, 30),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn reviewer_pair() -> AutoCommit {
    let mut doc = fixed_pair("kubernetes", "SIG Docs reviewer");
    let set = |line: &str, input: BarLineInput| {
        Edit::Bar(BarEdit::SetLine {
            template: "kubernetes-reviewer".into(),
            line: line.into(),
            input,
        })
    };
    edit(
        &mut doc,
        set(
            "member-months",
            BarLineInput {
                since: "2025-12-01".into(),
                ..BarLineInput::default()
            },
        ),
        "",
        "2026-06-20",
    );
    edit(
        &mut doc,
        set(
            "sponsor",
            BarLineInput {
                met: Some(true),
                evidence: "@jdoe, SIG Docs approver".into(),
                ..BarLineInput::default()
            },
        ),
        "",
        "2026-06-20",
    );
    edit(
        &mut doc,
        set(
            "reviewed-or-merged",
            BarLineInput {
                min: "8".into(),
                evidence: "Threshold agreed with the SIG chairs for docs.".into(),
                ..BarLineInput::default()
            },
        ),
        "",
        "2026-06-20",
    );
    doc
}

#[test]
fn each_template_renders_the_fixed_pair() {
    let reviewer = reviewer_pair();
    for (template, programme, target) in [
        ("kubernetes-member", "kubernetes", "Kubernetes org member"),
        ("kubernetes-approver", "kubernetes", "SIG Docs approver"),
        ("astropy", "astropy", "Astropy maintainer"),
        ("gsoc", "gsoc", "GSoC contributor"),
        ("lfx", "lfx", "LFX mentee"),
        ("outreachy", "outreachy", "Outreachy intern"),
        ("generic", "generic", ""),
    ] {
        let doc = fixed_pair(programme, target);
        let md = markdown(&summary_of(&doc, template));
        let file = format!("snapshots/{template}.md");
        expect_file![file.as_str()].assert_eq(&md);
    }
    let md = markdown(&summary_of(&reviewer, "kubernetes-reviewer"));
    expect_file!["snapshots/kubernetes-reviewer.md"].assert_eq(&md);
}

#[test]
fn nothing_private_or_unshared_reaches_markdown_or_html() {
    let doc = reviewer_pair();
    for t in templates::TEMPLATES {
        let s = summary_of(&doc, t.id);
        let json = serde_json::to_string(&s).unwrap_or_default();
        for out in [markdown(&s), html(&s), json] {
            for secret in [PRIVATE, NOTES, AGENDA] {
                assert!(!out.contains(secret), "{} leaks {secret}", t.id);
            }
        }
    }
    // The shared feedback is there, so the test would notice an empty summary.
    let s = summary_of(&doc, "astropy");
    assert!(markdown(&s).contains("taught me the style guide"));
}

#[test]
fn user_text_cannot_inject_markup_or_html() {
    let s = summary_of(&reviewer_pair(), "kubernetes-reviewer");
    let md = markdown(&s);
    assert!(md.contains(r"\<b\>Needs\</b\>"), "{md}");
    assert!(md.contains(r"Docs for \*feature\* 100"));
    let page = html(&s);
    assert!(
        !page.contains("<b>Needs"),
        "raw HTML from feedback reached the page"
    );
    assert!(page.contains("&lt;b&gt;Needs&lt;/b&gt;"));
    assert!(page.contains(r#"<a href="https://github.com/kubernetes/website/pull/101">"#));
    assert!(!page.contains("<script"));
}

#[test]
fn the_reviewer_bar_is_mapped_from_the_record_and_the_pairs_adjustments() {
    let s = summary_of(&reviewer_pair(), "kubernetes-reviewer");
    let row = |id: &str| {
        s.bar
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    let months = row("member-months");
    assert!(months.met, "{months:?}");
    assert_eq!(months.evidence, "Since 2025-12-01: 6 months");
    let primary = row("primary-reviews");
    assert!(!primary.met, "4 primary reviews are not 5");
    assert_eq!(
        primary.evidence,
        "4 PRs as primary reviewer in the evidence log"
    );
    let reviewed = row("reviewed-or-merged");
    assert!(reviewed.met);
    assert_eq!(reviewed.min, Some(8));
    assert_eq!(
        reviewed.requirement,
        "Reviewed or merged at least 8 substantial PRs to the codebase"
    );
    assert!(
        reviewed
            .evidence
            .starts_with("8 logged: 6 PRs reviewed, 2 PRs authored")
    );
    assert!(row("sponsor").met);
    assert_eq!(s.score(), (3, 4));
    assert_eq!((s.sessions, s.minutes), (7, 360));
    assert_eq!(s.methods[0], ("Review / feedback".to_string(), 5));
}

#[test]
fn a_period_narrows_everything() {
    let doc = reviewer_pair();
    let view = view_of(&doc).unwrap_or_else(|e| panic!("{e}"));
    let t = templates::template("generic").unwrap_or_else(|| panic!("generic"));
    let s = build(
        &view,
        t,
        NaiveDate::from_ymd_opt(2026, 2, 1),
        NaiveDate::from_ymd_opt(2026, 3, 31),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.sessions, 2);
    assert_eq!(s.evidence.len(), 4);
    assert!(
        s.feedback
            .iter()
            .all(|f| f.date.as_str() >= "2026-02-01" && f.date.as_str() <= "2026-03-31")
    );
    assert_eq!(s.goals_achieved[0].evaluations.len(), 1);
    let backwards = build(
        &view,
        t,
        NaiveDate::from_ymd_opt(2026, 3, 1),
        NaiveDate::from_ymd_opt(2026, 2, 1),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
    );
    assert!(matches!(backwards, Err(SummaryError::Backwards { .. })));
}

#[test]
fn lfx_weeks_count_from_the_programme_start() {
    let mut doc = fixed_pair("lfx", "LFX mentee");
    // Without a start, weeks count from the period's start (the pair's creation, 2026-01-05):
    // week 3 give or take a week is 2026-01-12..2026-02-01, where the 2026-01-30 check-in and
    // the 2026-02-01 evaluation fall.
    let s = summary_of(&doc, "lfx");
    assert!(s.bar[0].met, "{:?}", s.bar[0]);
    edit(
        &mut doc,
        Edit::Bar(BarEdit::SetStart {
            template: "lfx".into(),
            start: "2026-03-02".into(),
        }),
        "",
        "2026-06-20",
    );
    let s = summary_of(&doc, "lfx");
    // Week 3 from 2026-03-02, give or take a week, is 2026-03-09..2026-03-29: only Alex's
    // unshared check-in falls there, and it does not count.
    assert!(!s.bar[0].met, "{:?}", s.bar[0]);
    assert_eq!(
        s.bar[0].evidence,
        "Nothing recorded between 2026-03-09 and 2026-03-29"
    );
    // Week 6 (2026-03-30..2026-04-19) has the midpoint check-in and an evaluation.
    assert!(s.bar[1].met, "{:?}", s.bar[1]);
}

#[test]
fn bar_adjustments_are_validated_and_merge() {
    let mut sam = reviewer_pair();
    let mut alex = sam.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let set = |line: &str, input: BarLineInput| {
        Edit::Bar(BarEdit::SetLine {
            template: "kubernetes-reviewer".into(),
            line: line.into(),
            input,
        })
    };
    let tick = BarLineInput {
        met: Some(true),
        ..BarLineInput::default()
    };
    assert_eq!(refused(&mut sam, set("primary-reviews", tick)), "met");
    let bad_min = BarLineInput {
        min: "lots".into(),
        ..BarLineInput::default()
    };
    assert_eq!(refused(&mut sam, set("primary-reviews", bad_min)), "min");
    let no_number = BarLineInput {
        min: "2".into(),
        ..BarLineInput::default()
    };
    assert_eq!(refused(&mut sam, set("sponsor", no_number)), "min");
    let bad_date = BarLineInput {
        since: "last spring".into(),
        ..BarLineInput::default()
    };
    assert_eq!(refused(&mut sam, set("member-months", bad_date)), "since");
    assert!(
        refused(&mut sam, set("no-such-line", BarLineInput::default())).contains("does not exist")
    );
    let unknown = Edit::Bar(BarEdit::AddLine {
        template: "kubernetes-janitor".into(),
        requirement: "x".into(),
    });
    assert_eq!(refused(&mut sam, unknown), "template");
    let remove_builtin = Edit::Bar(BarEdit::RemoveLine {
        template: "kubernetes-reviewer".into(),
        line: "sponsor".into(),
    });
    assert_eq!(refused(&mut sam, remove_builtin), "line");

    // Offline, Sam marks a line as not applying while Alex adds a line of their own.
    let lower = BarLineInput {
        excluded: true,
        ..BarLineInput::default()
    };
    edit(&mut sam, set("primary-reviews", lower), "", "2026-06-21");
    let added = edit(
        &mut alex,
        Edit::Bar(BarEdit::AddLine {
            template: "kubernetes-reviewer".into(),
            requirement: "Shadowed a docs release".into(),
        }),
        "C1",
        "2026-06-21",
    );
    assert_eq!(added.as_deref(), Some("C1"));
    edit(
        &mut alex,
        set(
            "C1",
            BarLineInput {
                met: Some(true),
                evidence: "v1.36 release team".into(),
                ..BarLineInput::default()
            },
        ),
        "",
        "2026-06-21",
    );
    sam.merge(&mut alex).unwrap_or_else(|e| panic!("{e}"));
    let s = summary_of(&sam, "kubernetes-reviewer");
    assert!(
        s.bar
            .iter()
            .any(|r| r.id == "primary-reviews" && r.excluded)
    );
    assert!(
        s.bar
            .iter()
            .any(|r| r.id == "C1" && r.met && r.custom && r.evidence == "v1.36 release team")
    );
    assert_eq!(s.score(), (4, 4));
    edit(
        &mut sam,
        Edit::Bar(BarEdit::RemoveLine {
            template: "kubernetes-reviewer".into(),
            line: "C1".into(),
        }),
        "",
        "2026-06-22",
    );
    assert!(
        summary_of(&sam, "kubernetes-reviewer")
            .bar
            .iter()
            .all(|r| r.id != "C1")
    );
}

#[test]
fn months_and_hours_read_as_people_count_them() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
    assert_eq!(whole_months(d("2026-01-31"), d("2026-02-28")), 0);
    assert_eq!(whole_months(d("2026-01-15"), d("2026-04-15")), 3);
    assert_eq!(whole_months(d("2026-01-15"), d("2026-04-14")), 2);
    assert_eq!(whole_months(d("2026-05-01"), d("2026-04-01")), 0);
    assert_eq!(hours(90), "1.5");
    assert_eq!(hours(360), "6");
    assert_eq!(hours(50), "0.8");
}

#[test]
fn default_templates_follow_programme_and_target_role() {
    assert_eq!(
        templates::default_for("kubernetes", "SIG Node approver").id,
        "kubernetes-approver"
    );
    assert_eq!(
        templates::default_for("kubernetes", "Reviewer for docs").id,
        "kubernetes-reviewer"
    );
    assert_eq!(
        templates::default_for("kubernetes", "").id,
        "kubernetes-member"
    );
    assert_eq!(templates::default_for("sourcegraph", "").id, "generic");
    assert_eq!(templates::default_for("lfx", "").id, "lfx");
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_is_a_pdf_with_one_page_or_more() {
    let s = summary_of(&reviewer_pair(), "kubernetes-reviewer");
    let bytes = pdf::pdf(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.windows(5).any(|w| w == b"%%EOF"));
    // The fonts are subset: far smaller than the 1 MB of DejaVu Serif bundled.
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
}
