//! Input rules. Every rule produces one sentence that tells the person what to fix, and names the
//! form field it belongs to; nothing the person typed is thrown away by a failed validation.

use chrono::{Days, NaiveDate};

use crate::dto::{NewGoal, NewPair, NewSession};
use crate::vocab::{Cadence, Method, Programme, Role};

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
    pub start: NaiveDate,
    pub minutes: i64,
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
        c => {
            let cadence = Cadence::parse(c)
                .filter(|c| *c != Cadence::Custom)
                .ok_or_else(|| {
                    err(
                        "cadence",
                        format!(
                            "Choose how often you meet: weekly, fortnightly or monthly (not “{c}”)."
                        ),
                    )
                })?;
            let start = date("start", "the date of the first session", &input.start)?;
            let minutes = minutes("minutes", &input.minutes)?;
            Some(ValidSchedule {
                cadence,
                start,
                minutes,
            })
        }
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
    let minutes = minutes("minutes", &input.minutes)?;
    let methods = methods(&input.methods)?;
    long_text("agenda", "The agenda", &input.agenda)?;
    long_text("notes", "Notes", &input.notes)?;
    Ok(ValidSession {
        date,
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
}
