//! Views: the plain, serialisable state the UI draws and the CLI prints, derived from a hydrated
//! pair document. A pair's [`PairView`] is also what the library caches on disk, so a pair opens
//! without waiting for the CRDT to load.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::schedule::Rule;
use crate::schema::{PairDoc, Schedule};
use crate::vocab::{Cadence, GoalStatus, Method, PairStatus, Programme, Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub role_label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodView {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItemView {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub date: String,
    pub minutes: i64,
    pub methods: Vec<MethodView>,
    pub agenda: String,
    pub notes: String,
    pub action_items: Vec<ActionItemView>,
    /// Name of the person who logged it.
    pub logged_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalView {
    pub id: String,
    pub title: String,
    pub specific: String,
    pub measurable: String,
    pub achievable: String,
    pub relevant: String,
    pub due: Option<String>,
    pub status: String,
    pub status_label: String,
    pub proposed_by: String,
    /// Latest evaluation's progress, 0–100.
    pub progress: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub cadence: String,
    pub every_days: Option<i64>,
    pub minutes: i64,
    pub start: String,
    pub sessions: Option<i64>,
    pub end: Option<String>,
    pub reassess: Option<String>,
    /// e.g. "30 min every week from 2026-11-02".
    pub summary: String,
    pub weekly_minutes: i64,
}

/// Everything the pair page draws. Cached on disk by the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairView {
    pub id: String,
    pub title: String,
    pub programme: String,
    pub programme_label: String,
    pub target_role: String,
    pub status: String,
    pub status_label: String,
    pub people: Vec<PersonView>,
    /// Person id of this device's person, when it has joined.
    pub me: Option<String>,
    /// Newest first.
    pub sessions: Vec<SessionView>,
    pub goals: Vec<GoalView>,
    pub schedule: Option<ScheduleView>,
    pub total_minutes: i64,
    /// Derived from the schedule and today's date; filled in by [`PairView::refresh`].
    #[serde(default)]
    pub next_session: Option<String>,
}

/// One row of the library screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    pub id: String,
    pub title: String,
    pub programme_label: String,
    pub target_role: String,
    pub status_label: String,
    /// The other people's names, joined ("Alex" or "Alex, Kim").
    pub partner: String,
    pub last_session: Option<String>,
    pub next_session: Option<String>,
    pub session_count: usize,
}

fn label_or<T: Copy>(
    parse: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
    s: &str,
) -> String {
    parse(s).map_or_else(|| s.to_string(), |v| label(v).to_string())
}

fn schedule_view(s: &Schedule) -> ScheduleView {
    let cadence = label_or(Cadence::parse, Cadence::label, &s.cadence).to_lowercase();
    let mut summary = format!("{} min {} from {}", s.minutes, cadence, s.start);
    if let Some(n) = s.sessions {
        summary.push_str(&format!(" for {n} sessions"));
    }
    if let Some(end) = &s.end {
        summary.push_str(&format!(" until {end}"));
    }
    if let Some(r) = &s.reassess {
        summary.push_str(&format!(", then reassess on {r}"));
    }
    let mut view = ScheduleView {
        cadence: s.cadence.clone(),
        every_days: s.every_days,
        minutes: s.minutes,
        start: s.start.clone(),
        sessions: s.sessions,
        end: s.end.clone(),
        reassess: s.reassess.clone(),
        summary,
        weekly_minutes: 0,
    };
    view.weekly_minutes = Rule::from_view(&view).map_or(0, |r| r.weekly_minutes(s.minutes));
    view
}

/// Derives the view of a pair. `me` is this device's person id, if it has joined.
pub fn pair_view(doc: &PairDoc, me: Option<&str>) -> PairView {
    let name_of = |id: &str| {
        doc.people
            .get(id)
            .map_or_else(|| "someone".to_string(), |p| p.name.clone())
    };
    let people = doc
        .people
        .iter()
        .map(|(id, p)| PersonView {
            id: id.clone(),
            name: p.name.clone(),
            role: p.role.clone(),
            role_label: label_or(Role::parse, Role::label, &p.role),
        })
        .collect();
    let mut sessions: Vec<SessionView> = doc
        .sessions
        .iter()
        .map(|(id, s)| SessionView {
            id: id.clone(),
            date: s.date.clone(),
            minutes: s.minutes,
            methods: s
                .methods
                .iter()
                .map(|m| MethodView {
                    key: m.clone(),
                    label: label_or(Method::parse, Method::label, m),
                })
                .collect(),
            agenda: s.agenda.as_str().to_string(),
            notes: s.notes.as_str().to_string(),
            action_items: s
                .action_items
                .iter()
                .map(|(id, a)| ActionItemView {
                    id: id.clone(),
                    text: a.text.clone(),
                    owner: name_of(&a.owner),
                    due: a.due.clone(),
                    done: a.done,
                })
                .collect(),
            logged_by: name_of(&s.created_by),
        })
        .collect();
    // Newest first; ULIDs order sessions logged on the same day by when they were logged.
    sessions.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    let goals = doc
        .goals
        .iter()
        .map(|(id, g)| GoalView {
            id: id.clone(),
            title: g.title.clone(),
            specific: g.specific.as_str().to_string(),
            measurable: g.measurable.as_str().to_string(),
            achievable: g.achievable.as_str().to_string(),
            relevant: g.relevant.as_str().to_string(),
            due: g.due.clone(),
            status: g.status.clone(),
            status_label: label_or(GoalStatus::parse, GoalStatus::label, &g.status),
            proposed_by: name_of(&g.proposed_by),
            progress: g
                .evaluations
                .values()
                .max_by(|a, b| a.date.cmp(&b.date))
                .map(|e| e.progress),
        })
        .collect();
    PairView {
        id: doc.pair.id.clone(),
        title: doc.pair.title.clone(),
        programme: doc.pair.programme.clone(),
        programme_label: label_or(Programme::parse, Programme::label, &doc.pair.programme),
        target_role: doc.pair.target_role.clone(),
        status: doc.pair.status.clone(),
        status_label: label_or(PairStatus::parse, PairStatus::label, &doc.pair.status),
        people,
        me: me.map(str::to_string),
        total_minutes: doc.sessions.values().map(|s| s.minutes).sum(),
        sessions,
        goals,
        schedule: doc.schedule.as_ref().map(schedule_view),
        next_session: None,
    }
}

impl PairView {
    /// Recomputes what depends on today's date.
    pub fn refresh(&mut self, today: NaiveDate) {
        self.next_session = self
            .schedule
            .as_ref()
            .and_then(Rule::from_view)
            .and_then(|r| r.next_on_or_after(today))
            .map(|d| d.to_string());
    }

    /// The library row for this pair. Call [`PairView::refresh`] first.
    pub fn summary(&self) -> PairSummary {
        let partner = self
            .people
            .iter()
            .filter(|p| Some(&p.id) != self.me.as_ref())
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        PairSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            programme_label: self.programme_label.clone(),
            target_role: self.target_role.clone(),
            status_label: self.status_label.clone(),
            partner,
            last_session: self.sessions.first().map(|s| s.date.clone()),
            next_session: self.next_session.clone(),
            session_count: self.sessions.len(),
        }
    }
}

/// A pair that could not be read, reported beside the others rather than hiding them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairProblem {
    pub id: String,
    pub message: String,
}

/// The library screen: every pair's row, and any pair that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LibraryView {
    pub pairs: Vec<PairSummary>,
    pub problems: Vec<PairProblem>,
}
