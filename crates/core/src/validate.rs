//! Input rules. Every rule produces one sentence that tells the person what to fix, and names the
//! form field it belongs to; nothing the person typed is thrown away by a failed validation.

use chrono::{Days, NaiveDate, NaiveTime};

use crate::dto::{
    NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewPair, NewReview,
    NewSchedule, NewSession,
};
use crate::vocab::{Cadence, EvidenceKind, FeedbackKind, Method, Programme, Role, Weekday};

/// Longest title or name we accept, in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest notes, agenda or other free text we accept, in characters. Beyond this a paste is almost
/// certainly a mistake (a log file, a binary) and would slow every peer that syncs the pair.
pub const MAX_LONG_TEXT: usize = 100_000;
/// Longest session we accept, in minutes (a full day).
pub const MAX_SESSION_MINUTES: i64 = 720;

/// A rule that the input broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The form field at fault (the DTO's field name).
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        field,
        message: message.into(),
    }
}

/// A required one-line text, trimmed.
pub fn short_text(field: &'static str, what: &str, value: &str) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(err(field, format!("Enter {what}.")));
    }
    optional_short_text(field, what, v)
}

/// An optional one-line text, trimmed.
pub fn optional_short_text(
    field: &'static str,
    what: &str,
    value: &str,
) -> Result<String, ValidationError> {
    let v = value.trim();
    let n = v.chars().count();
    if n > MAX_SHORT_TEXT {
        return Err(err(
            field,
            format!("Shorten {what} to at most {MAX_SHORT_TEXT} characters (it has {n})."),
        ));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(err(
            field,
            format!("Keep {what} on one line, without control characters."),
        ));
    }
    Ok(v.to_string())
}

/// Free text (notes, agenda): kept exactly as typed, up to [`MAX_LONG_TEXT`] characters.
pub fn long_text(field: &'static str, what: &str, value: &str) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n > MAX_LONG_TEXT {
        return Err(err(
            field,
            format!(
                "{what} can hold at most {MAX_LONG_TEXT} characters; this has {n}. \
                 Link to long material instead of pasting it."
            ),
        ));
    }
    Ok(())
}

/// An ISO date (YYYY-MM-DD).
pub fn date(field: &'static str, what: &str, value: &str) -> Result<NaiveDate, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(err(
            field,
            format!("Enter {what} as YYYY-MM-DD, e.g. 2026-11-20."),
        ));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
        err(
            field,
            format!("“{v}” is not a date; enter {what} as YYYY-MM-DD, e.g. 2026-11-20."),
        )
    })
}

/// A session or meeting length in minutes.
pub fn minutes(field: &'static str, value: &str) -> Result<i64, ValidationError> {
    let v = value.trim();
    let n: i64 = v.parse().map_err(|_| {
        err(
            field,
            format!("Enter the length in whole minutes, e.g. 30 (not “{v}”)."),
        )
    })?;
    if !(1..=MAX_SESSION_MINUTES).contains(&n) {
        return Err(err(
            field,
            format!(
                "A session lasts between 1 and {MAX_SESSION_MINUTES} minutes; you entered {n}."
            ),
        ));
    }
    Ok(n)
}

fn listing<T: Copy>(all: &[T], s: fn(T) -> &'static str) -> String {
    all.iter().map(|v| s(*v)).collect::<Vec<_>>().join(", ")
}

pub fn role(field: &'static str, value: &str) -> Result<Role, ValidationError> {
    Role::parse(value.trim()).ok_or_else(|| {
        err(
            field,
            format!(
                "Choose a role: {} (not “{}”).",
                listing(Role::ALL, Role::as_str),
                value.trim()
            ),
        )
    })
}

pub fn programme(value: &str) -> Result<Programme, ValidationError> {
    Programme::parse(value.trim()).ok_or_else(|| {
        err(
            "programme",
            format!(
                "Choose a programme: {} (not “{}”).",
                listing(Programme::ALL, Programme::as_str),
                value.trim()
            ),
        )
    })
}

pub fn methods(values: &[String]) -> Result<Vec<Method>, ValidationError> {
    let mut out: Vec<Method> = Vec::new();
    for v in values {
        let m = Method::parse(v.trim()).ok_or_else(|| {
            err(
                "methods",
                format!(
                    "“{}” is not a mentoring method; choose from {}.",
                    v.trim(),
                    listing(Method::ALL, Method::as_str)
                ),
            )
        })?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The counterpart a partner has when the creator did not say.
pub fn counterpart(role: Role) -> Role {
    match role {
        Role::Mentor => Role::Mentee,
        Role::Mentee => Role::Mentor,
        Role::LeadMentor => Role::MentorMentee,
        Role::MentorMentee => Role::Mentee,
    }
}

/// A "New pair" form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPair {
    pub title: String,
    pub my_name: String,
    pub my_role: Role,
    pub partner_name: String,
    pub partner_role: Role,
    pub programme: Programme,
    pub target_role: String,
    pub schedule: Option<ValidSchedule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSchedule {
    pub cadence: Cadence,
    pub every_days: Option<i64>,
    pub weekday: Option<Weekday>,
    pub time: Option<NaiveTime>,
    pub time_zone: Option<String>,
    pub minutes: i64,
    pub start: NaiveDate,
    pub sessions: Option<i64>,
    pub end: Option<NaiveDate>,
    pub reassess: Option<NaiveDate>,
}

pub fn new_pair(input: &NewPair) -> Result<ValidPair, ValidationError> {
    let title = short_text("title", "a title for the pair", &input.title)?;
    let my_name = short_text("my_name", "your name", &input.my_name)?;
    let my_role = role("my_role", &input.my_role)?;
    let partner_name = short_text("partner_name", "your partner's name", &input.partner_name)?;
    let partner_role = match input.partner_role.as_deref().map(str::trim) {
        None | Some("") => counterpart(my_role),
        Some(r) => role("partner_role", r)?,
    };
    let programme = programme(&input.programme)?;
    let target_role = optional_short_text("target_role", "the target role", &input.target_role)?;
    let schedule = match input.cadence.trim() {
        "" | "none" => None,
        c => Some(schedule(&NewSchedule {
            cadence: c.to_string(),
            start: input.start.clone(),
            minutes: input.minutes.clone(),
            ..NewSchedule::default()
        })?),
    };
    Ok(ValidPair {
        title,
        my_name,
        my_role,
        partner_name,
        partner_role,
        programme,
        target_role,
        schedule,
    })
}

/// A "Log session" form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSession {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub time_zone: Option<String>,
    pub minutes: i64,
    pub methods: Vec<Method>,
}

/// `today` bounds the date: a session more than a year ahead is almost certainly a typo.
pub fn new_session(input: &NewSession, today: NaiveDate) -> Result<ValidSession, ValidationError> {
    let date = date("date", "the session date", &input.date)?;
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let latest = today
        .checked_add_days(Days::new(366))
        .unwrap_or(NaiveDate::MAX);
    if date < earliest || date > latest {
        return Err(err(
            "date",
            format!("Check the session date: {date} is outside 2000-01-01 to {latest}."),
        ));
    }
    let (time, time_zone) = session_time(input)?;
    let minutes = minutes("minutes", &input.minutes)?;
    let methods = methods(&input.methods)?;
    long_text("agenda", "The agenda", &input.agenda)?;
    long_text("notes", "Notes", &input.notes)?;
    Ok(ValidSession {
        date,
        time,
        time_zone,
        minutes,
        methods,
    })
}

/// An "Add goal" form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidGoal {
    pub title: String,
    pub due: Option<NaiveDate>,
}

pub fn new_goal(input: &NewGoal) -> Result<ValidGoal, ValidationError> {
    let title = short_text("title", "a title for the goal", &input.title)?;
    long_text("specific", "“Specific”", &input.specific)?;
    long_text("measurable", "“Measurable”", &input.measurable)?;
    long_text("achievable", "“Achievable”", &input.achievable)?;
    long_text("relevant", "“Relevant”", &input.relevant)?;
    let due = match input.due.trim() {
        "" => None,
        d => Some(date("due", "the due date", d)?),
    };
    Ok(ValidGoal { title, due })
}

/// An optional ISO date: empty is `None`.
pub fn optional_date(
    field: &'static str,
    what: &str,
    value: &str,
) -> Result<Option<NaiveDate>, ValidationError> {
    match value.trim() {
        "" => Ok(None),
        v => date(field, what, v).map(Some),
    }
}

/// An optional local time "HH:MM".
pub fn time(field: &'static str, value: &str) -> Result<Option<NaiveTime>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(v, "%H:%M")
        .map(Some)
        .map_err(|_| {
            err(
                field,
                format!("“{v}” is not a time; enter it as HH:MM on a 24-hour clock, e.g. 17:30."),
            )
        })
}

/// An optional IANA time zone name, checked against the time zone database.
pub fn time_zone(field: &'static str, value: &str) -> Result<Option<String>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<chrono_tz::Tz>()
        .map(|tz| Some(tz.name().to_string()))
        .map_err(|_| {
            err(
                field,
                format!(
                    "“{v}” is not a time zone Tandem knows; use an IANA name such as \
                     Europe/Berlin, America/New_York or UTC."
                ),
            )
        })
}

/// A whole number in `range`, or `None` when empty.
fn optional_number(
    field: &'static str,
    what: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let (lo, hi) = (*range.start(), *range.end());
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(err(
            field,
            format!("Enter {what} as a whole number from {lo} to {hi} (not “{v}”)."),
        )),
    }
}

/// The "Agree a schedule" form.
pub fn schedule(input: &NewSchedule) -> Result<ValidSchedule, ValidationError> {
    let c = input.cadence.trim();
    let cadence = Cadence::parse(c).ok_or_else(|| {
        err(
            "cadence",
            format!(
                "Choose how often you meet: {} (not “{c}”).",
                listing(Cadence::ALL, Cadence::as_str)
            ),
        )
    })?;
    let every_days = optional_number(
        "every_days",
        "the days between sessions",
        &input.every_days,
        1..=365,
    )?;
    if cadence == Cadence::Custom && every_days.is_none() {
        return Err(err(
            "every_days",
            "For a custom schedule, enter the days between sessions, e.g. 10.",
        ));
    }
    let weekday = match input.weekday.trim() {
        "" => None,
        w => Some(Weekday::parse(&w.to_lowercase()).ok_or_else(|| {
            err(
                "weekday",
                format!(
                    "Choose a weekday: {} (not “{w}”).",
                    listing(Weekday::ALL, Weekday::as_str)
                ),
            )
        })?),
    };
    let time = time("time", &input.time)?;
    let time_zone = time_zone("time_zone", &input.time_zone)?;
    let start = date("start", "the date the schedule starts", &input.start)?;
    let minutes = minutes("minutes", &input.minutes)?;
    let sessions = optional_number(
        "sessions",
        "the number of sessions",
        &input.sessions,
        1..=520,
    )?;
    let end = optional_date("end", "the end date", &input.end)?;
    if let Some(end) = end
        && end < start
    {
        return Err(err(
            "end",
            format!("The end date ({end}) is before the start ({start}); pick a later end date."),
        ));
    }
    let reassess = optional_date("reassess", "the date to reassess", &input.reassess)?;
    if let Some(r) = reassess
        && r < start
    {
        return Err(err(
            "reassess",
            format!("The reassess date ({r}) is before the start ({start})."),
        ));
    }
    Ok(ValidSchedule {
        cadence,
        every_days: if cadence == Cadence::Custom {
            every_days
        } else {
            None
        },
        weekday,
        time,
        time_zone,
        minutes,
        start,
        sessions,
        end,
        reassess,
    })
}

/// A session's optional start time and zone.
pub fn session_time(
    input: &NewSession,
) -> Result<(Option<NaiveTime>, Option<String>), ValidationError> {
    Ok((
        time("time", &input.time)?,
        time_zone("time_zone", &input.time_zone)?,
    ))
}

/// An action item that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidActionItem {
    pub text: String,
    pub due: Option<NaiveDate>,
}

pub fn action_item(input: &NewActionItem) -> Result<ValidActionItem, ValidationError> {
    Ok(ValidActionItem {
        text: short_text("text", "what is to be done", &input.text)?,
        due: optional_date("due", "the due date", &input.due)?,
    })
}

pub fn evaluation(input: &NewEvaluation) -> Result<(NaiveDate, i64), ValidationError> {
    let date = date("date", "the date of the evaluation", &input.date)?;
    let progress = optional_number("progress", "the progress in %", &input.progress, 0..=100)?
        .ok_or_else(|| err("progress", "Enter the progress in %, from 0 to 100."))?;
    long_text("note", "The note", &input.note)?;
    Ok((date, progress))
}

/// A feedback entry that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidFeedback {
    pub kind: FeedbackKind,
    pub date: NaiveDate,
    pub rating: Option<i64>,
}

pub fn feedback(input: &NewFeedback) -> Result<ValidFeedback, ValidationError> {
    let k = input.kind.trim();
    let kind = FeedbackKind::parse(k).ok_or_else(|| {
        err(
            "kind",
            format!(
                "Choose the kind of feedback: {} (not “{k}”).",
                listing(FeedbackKind::ALL, FeedbackKind::as_str)
            ),
        )
    })?;
    let date = date("date", "the date", &input.date)?;
    let rating = optional_number("rating", "the rating", &input.rating, 1..=5)?;
    long_text("text", "Feedback", &input.text)?;
    let is_check_in = matches!(kind, FeedbackKind::CheckIn | FeedbackKind::Midpoint);
    if is_check_in && !input.all_well && input.text.trim().is_empty() {
        return Err(err(
            "text",
            "Say what is not going well, so your partner can help.",
        ));
    }
    if !is_check_in && rating.is_none() && input.text.trim().is_empty() {
        return Err(err("text", "Give a rating or write some feedback."));
    }
    if kind == FeedbackKind::Session && input.session.trim().is_empty() {
        return Err(err("session", "Choose the session this feedback is about."));
    }
    Ok(ValidFeedback { kind, date, rating })
}

pub fn review(input: &NewReview) -> Result<NaiveDate, ValidationError> {
    let date = date("date", "the date of the review", &input.date)?;
    if input.rationale.trim().is_empty() {
        return Err(err(
            "rationale",
            "Give the reasons for the decision; the committee will read them.",
        ));
    }
    long_text("rationale", "The rationale", &input.rationale)?;
    Ok(date)
}

/// An evidence entry that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvidence {
    pub kind: EvidenceKind,
    pub link: String,
    pub date: NaiveDate,
}

pub fn evidence(input: &NewEvidence) -> Result<ValidEvidence, ValidationError> {
    let k = input.kind.trim();
    let kind = EvidenceKind::parse(k).ok_or_else(|| {
        err(
            "kind",
            format!(
                "Choose the kind of evidence: {} (not “{k}”).",
                listing(EvidenceKind::ALL, EvidenceKind::as_str)
            ),
        )
    })?;
    let l = input.link.trim();
    let link = match url::Url::parse(l) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u.to_string(),
        _ => {
            return Err(err(
                "link",
                format!(
                    "Enter the link as a web address starting with https://, e.g. \
                     https://github.com/kubernetes/website/pull/123 (not “{l}”)."
                ),
            ));
        }
    };
    if link.chars().count() > 2000 {
        return Err(err("link", "That link is too long (over 2000 characters)."));
    }
    let date = date("date", "the date", &input.date)?;
    long_text("note", "The note", &input.note)?;
    Ok(ValidEvidence { kind, link, date })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
    }

    fn pair() -> NewPair {
        NewPair {
            title: "Alex → SIG Docs reviewer".into(),
            my_name: "Sam".into(),
            my_role: "mentor".into(),
            partner_name: "Alex".into(),
            programme: "kubernetes".into(),
            target_role: "reviewer".into(),
            ..NewPair::default()
        }
    }

    #[test]
    fn a_complete_pair_passes_and_defaults_the_partner_role() {
        let v = new_pair(&pair()).map_err(|e| e.message);
        assert_eq!(v.as_ref().map(|v| v.partner_role), Ok(Role::Mentee));
        assert_eq!(v.map(|v| v.schedule), Ok(None));
    }

    type Breakage = (fn(&mut NewPair), &'static str);

    #[test]
    fn each_missing_field_names_itself() {
        let cases: [Breakage; 4] = [
            (|p| p.title = "  ".into(), "title"),
            (|p| p.my_name.clear(), "my_name"),
            (|p| p.my_role = "boss".into(), "my_role"),
            (|p| p.programme = "gsok".into(), "programme"),
        ];
        for (break_it, field) in cases {
            let mut p = pair();
            break_it(&mut p);
            assert_eq!(new_pair(&p).map_err(|e| e.field), Err(field));
        }
    }

    #[test]
    fn a_cadence_needs_a_start_and_minutes() {
        let mut p = pair();
        p.cadence = "weekly".into();
        assert_eq!(new_pair(&p).map_err(|e| e.field), Err("start"));
        p.start = "2026-12-01".into();
        p.minutes = "0".into();
        let e = new_pair(&p).err();
        assert_eq!(e.as_ref().map(|e| e.field), Some("minutes"));
        assert_eq!(
            e.map(|e| e.message),
            Some("A session lasts between 1 and 720 minutes; you entered 0.".to_string())
        );
    }

    #[test]
    fn session_rules() {
        let ok = NewSession {
            date: "2026-11-20".into(),
            minutes: "45".into(),
            methods: vec!["qa".into(), "review".into(), "qa".into()],
            ..NewSession::default()
        };
        let v = new_session(&ok, today()).map_err(|e| e.message);
        assert_eq!(v.map(|v| v.methods), Ok(vec![Method::Qa, Method::Review]));

        let bad_date = NewSession {
            date: "20/11/2026".into(),
            ..ok.clone()
        };
        assert_eq!(
            new_session(&bad_date, today()).map_err(|e| e.message),
            Err("“20/11/2026” is not a date; enter the session date as YYYY-MM-DD, e.g. 2026-11-20.".into())
        );
        let far = NewSession {
            date: "2031-01-01".into(),
            ..ok.clone()
        };
        assert_eq!(new_session(&far, today()).map_err(|e| e.field), Err("date"));
        let zero = NewSession {
            minutes: "0".into(),
            ..ok.clone()
        };
        assert_eq!(
            new_session(&zero, today()).map_err(|e| e.field),
            Err("minutes")
        );
        let method = NewSession {
            methods: vec!["juggling".into()],
            ..ok.clone()
        };
        assert_eq!(
            new_session(&method, today()).map_err(|e| e.field),
            Err("methods")
        );
        let huge = NewSession {
            notes: "x".repeat(10 * 1024 * 1024),
            ..ok
        };
        let e = new_session(&huge, today()).err();
        assert_eq!(e.as_ref().map(|e| e.field), Some("notes"));
        assert!(e.is_some_and(|e| e.message.contains("10485760")));
    }

    #[test]
    fn goal_rules() {
        let g = NewGoal {
            title: "Review 20 PRs".into(),
            due: "2027-03-01".into(),
            ..NewGoal::default()
        };
        assert!(new_goal(&g).is_ok());
        let no_title = NewGoal {
            title: String::new(),
            ..g.clone()
        };
        assert_eq!(new_goal(&no_title).map_err(|e| e.field), Err("title"));
        let bad_due = NewGoal {
            due: "soon".into(),
            ..g
        };
        assert_eq!(new_goal(&bad_due).map_err(|e| e.field), Err("due"));
    }

    fn six_weeks() -> NewSchedule {
        NewSchedule {
            cadence: "weekly".into(),
            weekday: "tue".into(),
            time: "17:00".into(),
            time_zone: "Europe/Berlin".into(),
            minutes: "30".into(),
            start: "2026-12-01".into(),
            sessions: "6".into(),
            reassess: "2027-01-12".into(),
            ..NewSchedule::default()
        }
    }

    #[test]
    fn schedule_rules() {
        let v = schedule(&six_weeks()).map_err(|e| e.message);
        assert_eq!(v.as_ref().map(|v| v.sessions), Ok(Some(6)));
        assert_eq!(v.map(|v| v.weekday), Ok(Some(Weekday::Tue)));
        type Breakage = (fn(&mut NewSchedule), &'static str);
        let cases: [Breakage; 7] = [
            (|s| s.end = "2026-11-01".into(), "end"),
            (|s| s.time_zone = "Mars/Olympus".into(), "time_zone"),
            (|s| s.time = "5pm".into(), "time"),
            (|s| s.minutes = "0".into(), "minutes"),
            (|s| s.cadence = "custom".into(), "every_days"),
            (|s| s.weekday = "someday".into(), "weekday"),
            (|s| s.sessions = "-1".into(), "sessions"),
        ];
        for (break_it, field) in cases {
            let mut s = six_weeks();
            break_it(&mut s);
            assert_eq!(schedule(&s).map_err(|e| e.field), Err(field), "{s:?}");
        }
        let mut bad = six_weeks();
        bad.end = "2026-11-01".into();
        assert_eq!(
            schedule(&bad).map_err(|e| e.message),
            Err("The end date (2026-11-01) is before the start (2026-12-01); pick a later end date.".into())
        );
    }

    #[test]
    fn an_unknown_time_zone_is_named_in_the_message() {
        let e = time_zone("time_zone", "Europe/Berlinn").err();
        assert!(e.is_some_and(|e| e.message.contains("“Europe/Berlinn” is not a time zone")));
        assert_eq!(time_zone("time_zone", " UTC "), Ok(Some("UTC".into())));
    }

    #[test]
    fn evidence_needs_a_web_link() {
        let ok = NewEvidence {
            kind: "pr-reviewed".into(),
            link: "https://github.com/kubernetes/website/pull/123".into(),
            date: "2026-11-20".into(),
            primary_reviewer: true,
            ..NewEvidence::default()
        };
        assert!(evidence(&ok).is_ok());
        for link in [
            "",
            "github.com/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            let bad = NewEvidence {
                link: link.into(),
                ..ok.clone()
            };
            assert_eq!(evidence(&bad).map_err(|e| e.field), Err("link"), "{link}");
        }
    }

    #[test]
    fn feedback_rules() {
        let fine = NewFeedback {
            kind: "check-in".into(),
            date: "2026-11-20".into(),
            all_well: true,
            ..NewFeedback::default()
        };
        assert!(feedback(&fine).is_ok());
        let silent_worry = NewFeedback {
            all_well: false,
            ..fine.clone()
        };
        assert_eq!(feedback(&silent_worry).map_err(|e| e.field), Err("text"));
        let rating = NewFeedback {
            kind: "pulse".into(),
            rating: "6".into(),
            ..fine.clone()
        };
        assert_eq!(feedback(&rating).map_err(|e| e.field), Err("rating"));
        let orphan = NewFeedback {
            kind: "session".into(),
            rating: "4".into(),
            ..fine
        };
        assert_eq!(feedback(&orphan).map_err(|e| e.field), Err("session"));
    }
}
