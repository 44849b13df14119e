//! The pair's form rules: a new pair, a session, a goal, a schedule, action items, evaluations,
//! feedback, readiness reviews and evidence. Each failure is a [`ValidationError`] whose message is
//! the sentence a person sees; the field rules they are built from are in [`crate::validate`].

use chrono::{Days, NaiveDate, NaiveTime};

use super::input::{
    NewActionItem, NewEvaluation, NewEvidence, NewFeedback, NewGoal, NewPair, NewReview,
    NewSchedule, NewSession,
};
use crate::validate::{
    ValidationError, date, err, listing, long_text, minutes, optional_date, optional_number,
    optional_short_text, short_text, time, time_zone,
};
use crate::vocab::{Cadence, EvidenceKind, FeedbackKind, Method, Programme, Role, Weekday};

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
mod tests;
