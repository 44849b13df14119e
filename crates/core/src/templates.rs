//! The built-in programme templates: each programme's checkpoints and graduation bar, as data.
//!
//! A line's requirement text may hold `{n}`, the threshold (which a pair may change). The sources
//! are each programme's public rules: Kubernetes `community-membership.md` and the kubernetes/org
//! membership request, Astropy's mentoring programme, GSoC's and LFX Mentorship's evaluation
//! calendars, and Outreachy's feedback rounds.

use crate::vocab::{EvidenceKind, FeedbackKind, Programme};

/// What the summary's Markdown is a draft of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The kubernetes/org membership request (an issue).
    K8sMembership,
    /// The description of the pull request that adds the mentee to an OWNERS file.
    K8sOwners { list: &'static str },
    /// A nomination for a role, for a committee.
    Nomination,
    /// A programme evaluation (GSoC, LFX, Outreachy).
    Evaluation,
}

/// How a bar line is measured from the pair's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Entries of these kinds in the evidence log ≥ n.
    Evidence(&'static [EvidenceKind]),
    /// Pull requests reviewed as the primary reviewer ≥ n.
    PrimaryReviews,
    /// Whole months since the date the pair records on the line ("member since") ≥ n.
    MonthsSince,
    /// Whole months since the pair started (the first thing it recorded, or its creation) ≥ n.
    MonthsInProgramme,
    /// Sessions held in the period ≥ n.
    Sessions,
    /// Hours of sessions in the period ≥ n.
    Hours,
    /// Goals achieved ≥ n.
    GoalsAchieved,
    /// Every month of the period has a goal evaluation.
    GoalsEvaluatedMonthly,
    /// Every month of the period has a session or a shareable check-in.
    MonthlyCheckIns,
    /// A readiness review at least every n months through the period.
    ReadinessReviews,
    /// The latest readiness review in the period says ready.
    Ready,
    /// Shareable feedback of these kinds ≥ n.
    Feedback(&'static [FeedbackKind]),
    /// A shareable check-in or a goal evaluation in programme week `n` (± 1 week).
    Week,
    /// Only a person can say (sponsors, a nomination): met when the pair marks it met.
    Attested,
}

/// One line of a programme's bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineDef {
    pub id: &'static str,
    /// What is required; `{n}` is replaced by the threshold.
    pub text: &'static str,
    pub measure: Measure,
    /// The default threshold (months, count, hours or week), where the measure has one.
    pub min: i64,
}

/// A built-in programme template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub id: &'static str,
    pub programme: Programme,
    pub name: &'static str,
    pub kind: Kind,
    /// One sentence on the role and where the bar comes from.
    pub about: &'static str,
    pub lines: &'static [LineDef],
    /// What happens after the summary is sent.
    pub next_steps: &'static [&'static str],
}

const fn line(id: &'static str, text: &'static str, measure: Measure, min: i64) -> LineDef {
    LineDef {
        id,
        text,
        measure,
        min,
    }
}

const ANY_CONTRIBUTION: &[EvidenceKind] = &[
    EvidenceKind::PrAuthored,
    EvidenceKind::PrReviewed,
    EvidenceKind::IssueTriaged,
    EvidenceKind::Docs,
    EvidenceKind::Talk,
    EvidenceKind::Other,
];
const REVIEWED_OR_MERGED: &[EvidenceKind] = &[EvidenceKind::PrReviewed, EvidenceKind::PrAuthored];

/// Every built-in template, in the order a form lists them.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "kubernetes-member",
        programme: Programme::Kubernetes,
        name: "Kubernetes org member",
        kind: Kind::K8sMembership,
        about: "Membership of the Kubernetes GitHub organisation (community-membership.md): \
                multiple contributions and two sponsors from different companies.",
        lines: &[
            line(
                "contributions",
                "Multiple contributions to the project (at least {n})",
                Measure::Evidence(ANY_CONTRIBUTION),
                2,
            ),
            line(
                "sponsors",
                "Two sponsors who are reviewers or approvers, from different companies",
                Measure::Attested,
                0,
            ),
        ],
        next_steps: &[
            "Open a membership request issue in kubernetes/org with this text.",
            "Both sponsors reply on the issue with +1.",
        ],
    },
    Template {
        id: "kubernetes-reviewer",
        programme: Programme::Kubernetes,
        name: "Kubernetes reviewer",
        kind: Kind::K8sOwners { list: "reviewers" },
        about: "Reviewer for a subproject (community-membership.md): a member for at least \
                3 months with a review record, sponsored by an approver, added to OWNERS by PR.",
        lines: &[
            line(
                "member-months",
                "Member of the organisation for at least {n} months",
                Measure::MonthsSince,
                3,
            ),
            line(
                "primary-reviews",
                "Primary reviewer on at least {n} PRs to the codebase",
                Measure::PrimaryReviews,
                5,
            ),
            line(
                "reviewed-or-merged",
                "Reviewed or merged at least {n} substantial PRs to the codebase",
                Measure::Evidence(REVIEWED_OR_MERGED),
                20,
            ),
            line(
                "sponsor",
                "Sponsored by a subproject approver",
                Measure::Attested,
                0,
            ),
        ],
        next_steps: &[
            "Open a PR adding the mentee to the reviewers list of the OWNERS file, with this text as its description.",
            "The sponsoring approver and the subproject's approvers review and merge it.",
        ],
    },
    Template {
        id: "kubernetes-approver",
        programme: Programme::Kubernetes,
        name: "Kubernetes approver",
        kind: Kind::K8sOwners { list: "approvers" },
        about: "Approver for a subproject (community-membership.md): a reviewer for at least \
                3 months with a deep review record, nominated by a subproject owner.",
        lines: &[
            line(
                "reviewer-months",
                "Reviewer of the codebase for at least {n} months",
                Measure::MonthsSince,
                3,
            ),
            line(
                "primary-reviews",
                "Primary reviewer on at least {n} substantial PRs to the codebase",
                Measure::PrimaryReviews,
                10,
            ),
            line(
                "reviewed-or-merged",
                "Reviewed or merged at least {n} PRs to the codebase",
                Measure::Evidence(REVIEWED_OR_MERGED),
                30,
            ),
            line(
                "nominated",
                "Nominated by a subproject owner",
                Measure::Attested,
                0,
            ),
        ],
        next_steps: &[
            "Open a PR adding the mentee to the approvers list of the OWNERS file, with this text as its description.",
            "The nominating subproject owner and a majority of the subproject's approvers approve it.",
        ],
    },
    Template {
        id: "astropy",
        programme: Programme::Astropy,
        name: "Astropy role nomination",
        kind: Kind::Nomination,
        about: "Astropy's mentoring programme: monthly check-ins and a readiness review every \
                3 months, then a nomination for the role.",
        lines: &[
            line(
                "monthly-check-ins",
                "A check-in every month",
                Measure::MonthlyCheckIns,
                0,
            ),
            line(
                "readiness-reviews",
                "A readiness review at least every {n} months",
                Measure::ReadinessReviews,
                3,
            ),
            line(
                "ready",
                "The latest readiness review finds the mentee ready",
                Measure::Ready,
                0,
            ),
        ],
        next_steps: &[
            "The nominee accepts the nomination.",
            "Two weeks of community feedback.",
            "The Coordination Committee decides.",
        ],
    },
    Template {
        id: "gsoc",
        programme: Programme::Gsoc,
        name: "Google Summer of Code evaluation",
        kind: Kind::Evaluation,
        about: "Google Summer of Code: the mentor evaluates the contributor at the midterm and \
                at the end of the coding period.",
        lines: &[
            line(
                "midterm",
                "Midterm evaluation recorded",
                Measure::Feedback(&[FeedbackKind::Midpoint]),
                1,
            ),
            line(
                "final",
                "Final evaluation recorded",
                Measure::Feedback(&[FeedbackKind::Closing]),
                1,
            ),
            line(
                "goals",
                "At least {n} project goal achieved",
                Measure::GoalsAchieved,
                1,
            ),
        ],
        next_steps: &["Submit the evaluation in the GSoC dashboard before its deadline."],
    },
    Template {
        id: "lfx",
        programme: Programme::Lfx,
        name: "LFX Mentorship evaluation",
        kind: Kind::Evaluation,
        about: "LFX Mentorship: a 12-week term with evaluations at weeks 3, 6, 9 and 12.",
        lines: &[
            line("week-3", "Evaluation in week {n}", Measure::Week, 3),
            line("week-6", "Evaluation in week {n}", Measure::Week, 6),
            line("week-9", "Evaluation in week {n}", Measure::Week, 9),
            line("week-12", "Evaluation in week {n}", Measure::Week, 12),
        ],
        next_steps: &["Submit each evaluation in the LFX Mentorship portal."],
    },
    Template {
        id: "outreachy",
        programme: Programme::Outreachy,
        name: "Outreachy feedback",
        kind: Kind::Evaluation,
        about: "Outreachy: mentors give initial, midpoint and final feedback on the intern.",
        lines: &[
            line(
                "initial",
                "Initial feedback recorded",
                Measure::Feedback(&[FeedbackKind::CheckIn, FeedbackKind::Session]),
                1,
            ),
            line(
                "midpoint",
                "Midpoint feedback recorded",
                Measure::Feedback(&[FeedbackKind::Midpoint]),
                1,
            ),
            line(
                "final",
                "Final feedback recorded",
                Measure::Feedback(&[FeedbackKind::Closing]),
                1,
            ),
        ],
        next_steps: &["Submit the feedback on the Outreachy website before its deadline."],
    },
    Template {
        id: "generic",
        programme: Programme::Generic,
        name: "Progress summary",
        kind: Kind::Nomination,
        about: "A mentoring record: sessions held, SMART goals evaluated at least monthly and \
                achieved.",
        lines: &[
            line(
                "sessions",
                "At least {n} sessions held",
                Measure::Sessions,
                6,
            ),
            line(
                "goals-evaluated",
                "Goals evaluated at least monthly",
                Measure::GoalsEvaluatedMonthly,
                0,
            ),
            line(
                "goals-achieved",
                "At least {n} SMART goal achieved",
                Measure::GoalsAchieved,
                1,
            ),
        ],
        next_steps: &[],
    },
];

/// The template with this id.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// The template a pair's summary starts from: its programme's, and for Kubernetes the rung its
/// target role names.
pub fn default_for(programme: &str, target_role: &str) -> &'static Template {
    let role = target_role.to_lowercase();
    let id = match Programme::parse(programme) {
        Some(Programme::Kubernetes) if role.contains("approver") => "kubernetes-approver",
        Some(Programme::Kubernetes) if role.contains("reviewer") => "kubernetes-reviewer",
        Some(Programme::Kubernetes) => "kubernetes-member",
        Some(Programme::Astropy) => "astropy",
        Some(Programme::Gsoc) => "gsoc",
        Some(Programme::Lfx) => "lfx",
        Some(Programme::Outreachy) => "outreachy",
        _ => "generic",
    };
    template(id).unwrap_or(&TEMPLATES[TEMPLATES.len() - 1])
}

impl LineDef {
    /// Whether the line has a threshold a pair may change.
    pub fn has_threshold(&self) -> bool {
        self.text.contains("{n}")
    }
}
