//! Views: the plain, serialisable state the UI draws and the CLI prints, derived from a hydrated
//! pair document. A pair's [`PairView`] is also what the library caches on disk, so a pair opens
//! without waiting for the CRDT to load.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::conflicts::Conflict;
use crate::schedule::Rule;
use crate::schema::{BarSettings, PairDoc, Schedule};
use crate::vocab::{
    Cadence, EvidenceKind, FeedbackKind, GoalStatus, Method, PairStatus, Programme, Role, Weekday,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub role_label: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Handed the pair to someone else; kept for the record.
    #[serde(default)]
    pub left: bool,
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
    /// The owner's name.
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
}

/// An action item not yet done, carried forward onto the next session's agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenItemView {
    pub session_id: String,
    pub session_date: String,
    pub item: ActionItemView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub date: String,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
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
    /// Names of the people who agreed to the goal as it stands.
    #[serde(default)]
    pub agreed_by: Vec<String>,
    /// Person ids who agreed (the UI compares with `me`).
    #[serde(default)]
    pub agreed_ids: Vec<String>,
    /// Newest first.
    #[serde(default)]
    pub evaluations: Vec<EvaluationView>,
    /// Active and not evaluated for more than a month; set by [`PairView::refresh`].
    #[serde(default)]
    pub due_for_review: bool,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub id: String,
    pub date: String,
    pub progress: i64,
    pub note: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub session: Option<String>,
    /// Names.
    pub from: String,
    pub from_id: String,
    pub to: Option<String>,
    pub date: String,
    pub rating: Option<i64>,
    pub text: String,
    pub shareable: bool,
    /// For check-ins.
    pub all_well: Option<bool>,
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub link: String,
    pub date: String,
    pub note: String,
    pub primary_reviewer: bool,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: String,
    pub date: String,
    pub by: String,
    pub ready: bool,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub cadence: String,
    pub every_days: Option<i64>,
    #[serde(default)]
    pub weekday: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub minutes: i64,
    pub start: String,
    pub sessions: Option<i64>,
    pub end: Option<String>,
    pub reassess: Option<String>,
    /// e.g. "30 min every week from 2026-11-02".
    pub summary: String,
    pub weekly_minutes: i64,
    /// Person ids who agreed to the schedule as it stands.
    #[serde(default)]
    pub agreed_ids: Vec<String>,
    /// Names of current people who have not agreed yet; empty when it is agreed.
    #[serde(default)]
    pub awaiting: Vec<String>,
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
    /// Why the status last changed, by whom and when.
    #[serde(default)]
    pub status_reason: Option<String>,
    #[serde(default)]
    pub status_changed: Option<String>,
    pub people: Vec<PersonView>,
    /// Person id of this device's person, when it has joined.
    pub me: Option<String>,
    /// Newest first.
    pub sessions: Vec<SessionView>,
    pub goals: Vec<GoalView>,
    pub schedule: Option<ScheduleView>,
    pub total_minutes: i64,
    /// Action items not done yet, oldest session first: the next session's agenda.
    #[serde(default)]
    pub open_items: Vec<OpenItemView>,
    /// Newest first.
    #[serde(default)]
    pub feedback: Vec<FeedbackView>,
    #[serde(default)]
    pub evidence: Vec<EvidenceView>,
    #[serde(default)]
    pub reviews: Vec<ReviewView>,
    /// Fields edited concurrently on two devices; see [`crate::conflicts`].
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Derived from the schedule and today's date; filled in by [`PairView::refresh`].
    #[serde(default)]
    pub next_session: Option<String>,
    /// What needs attention today (goals due for review, a check-in or review that is due, an
    /// open concern); filled in by [`PairView::refresh`].
    #[serde(default)]
    pub reminders: Vec<String>,
    /// The pair's adjustments to the programme templates' bars, by template id.
    #[serde(default)]
    pub bars: BTreeMap<String, BarSettings>,
    /// ISO date the pair was created.
    #[serde(default)]
    pub created: String,
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

fn schedule_view(s: &Schedule, doc: &PairDoc) -> ScheduleView {
    let cadence = match (Cadence::parse(&s.cadence), s.every_days) {
        (Some(Cadence::Custom), Some(d)) => format!("every {d} days"),
        _ => label_or(Cadence::parse, Cadence::label, &s.cadence).to_lowercase(),
    };
    let mut summary = format!("{} min {}", s.minutes, cadence);
    if let Some(w) = s.weekday.as_deref().and_then(Weekday::parse) {
        summary.push_str(&format!(" on {}s", w.label()));
    }
    if let Some(t) = &s.time {
        summary.push_str(&format!(" at {t}"));
        if let Some(z) = &s.time_zone {
            summary.push_str(&format!(" {z}"));
        }
    }
    summary.push_str(&format!(" from {}", s.start));
    if let Some(n) = s.sessions {
        summary.push_str(&format!(" for {n} sessions"));
    }
    if let Some(end) = &s.end {
        summary.push_str(&format!(" until {end}"));
    }
    if let Some(r) = &s.reassess {
        summary.push_str(&format!(", then reassess on {r}"));
    }
    let awaiting = doc
        .people
        .iter()
        .filter(|(id, p)| p.left_at.is_none() && !s.agreed_by.contains_key(*id))
        .map(|(_, p)| p.name.clone())
        .collect();
    let mut view = ScheduleView {
        cadence: s.cadence.clone(),
        every_days: s.every_days,
        weekday: s.weekday.clone(),
        time: s.time.clone(),
        time_zone: s.time_zone.clone(),
        minutes: s.minutes,
        start: s.start.clone(),
        sessions: s.sessions,
        end: s.end.clone(),
        reassess: s.reassess.clone(),
        summary,
        weekly_minutes: 0,
        agreed_ids: s.agreed_by.keys().cloned().collect(),
        awaiting,
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
            time_zone: p.time_zone.clone(),
            left: p.left_at.is_some(),
        })
        .collect();
    let mut sessions: Vec<SessionView> = doc
        .sessions
        .iter()
        .map(|(id, s)| SessionView {
            id: id.clone(),
            date: s.date.clone(),
            time: s.time.clone(),
            time_zone: s.time_zone.clone(),
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
            agreed_by: g.agreed_by.keys().map(|p| name_of(p)).collect(),
            agreed_ids: g.agreed_by.keys().cloned().collect(),
            evaluations: {
                let mut e: Vec<EvaluationView> = g
                    .evaluations
                    .iter()
                    .map(|(id, e)| EvaluationView {
                        id: id.clone(),
                        date: e.date.clone(),
                        progress: e.progress,
                        note: e.note.as_str().to_string(),
                        by: name_of(&e.by),
                    })
                    .collect();
                e.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
                e
            },
            due_for_review: false,
            created_at: g.created_at.clone(),
        })
        .collect();
    // Oldest session first, so items read in the order they were agreed.
    let mut open_items: Vec<OpenItemView> = sessions
        .iter()
        .rev()
        .flat_map(|s| {
            s.action_items
                .iter()
                .filter(|a| !a.done)
                .map(|a| OpenItemView {
                    session_id: s.id.clone(),
                    session_date: s.date.clone(),
                    item: a.clone(),
                })
        })
        .collect();
    open_items.sort_by(|a, b| a.session_date.cmp(&b.session_date));
    let mut feedback: Vec<FeedbackView> = doc
        .feedback
        .iter()
        .map(|(id, f)| FeedbackView {
            id: id.clone(),
            kind: f.kind.clone(),
            kind_label: label_or(FeedbackKind::parse, FeedbackKind::label, &f.kind),
            session: f.session.clone(),
            from: name_of(&f.from),
            from_id: f.from.clone(),
            to: f.to.as_deref().map(name_of),
            date: f.date.clone(),
            rating: f.rating,
            text: f.text.as_str().to_string(),
            shareable: f.shareable,
            all_well: f.all_well,
            resolved: f.resolved_at.is_some(),
        })
        .collect();
    feedback.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    let mut evidence: Vec<EvidenceView> = doc
        .evidence
        .iter()
        .map(|(id, e)| EvidenceView {
            id: id.clone(),
            kind: e.kind.clone(),
            kind_label: label_or(EvidenceKind::parse, EvidenceKind::label, &e.kind),
            link: e.link.clone(),
            date: e.date.clone(),
            note: e.note.as_str().to_string(),
            primary_reviewer: e.primary_reviewer,
            by: name_of(&e.by),
        })
        .collect();
    evidence.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    let mut reviews: Vec<ReviewView> = doc
        .readiness_reviews
        .iter()
        .map(|(id, r)| ReviewView {
            id: id.clone(),
            date: r.date.clone(),
            by: name_of(&r.by),
            ready: r.ready,
            rationale: r.rationale.as_str().to_string(),
        })
        .collect();
    reviews.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    PairView {
        id: doc.pair.id.clone(),
        title: doc.pair.title.clone(),
        programme: doc.pair.programme.clone(),
        programme_label: label_or(Programme::parse, Programme::label, &doc.pair.programme),
        target_role: doc.pair.target_role.clone(),
        status: doc.pair.status.clone(),
        status_label: label_or(PairStatus::parse, PairStatus::label, &doc.pair.status),
        status_reason: doc.pair.status_reason.clone().filter(|r| !r.is_empty()),
        status_changed: doc.pair.status_changed_at.as_ref().map(|at| {
            format!(
                "{} by {}",
                at.get(..10).unwrap_or(at),
                name_of(doc.pair.status_changed_by.as_deref().unwrap_or_default())
            )
        }),
        people,
        me: me.map(str::to_string),
        total_minutes: doc.sessions.values().map(|s| s.minutes).sum(),
        sessions,
        goals,
        schedule: doc.schedule.as_ref().map(|s| schedule_view(s, doc)),
        open_items,
        feedback,
        evidence,
        reviews,
        conflicts: Vec::new(),
        next_session: None,
        reminders: Vec::new(),
        bars: doc.bars.clone(),
        created: doc
            .pair
            .created_at
            .get(..10)
            .unwrap_or_default()
            .to_string(),
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
        let days_since = |date: &str| {
            date.get(..10)
                .and_then(|d| d.parse::<NaiveDate>().ok())
                .map(|d| (today - d).num_days())
        };
        let mut reminders = Vec::new();
        for g in &mut self.goals {
            let last = g
                .evaluations
                .first()
                .map_or(g.created_at.as_str(), |e| e.date.as_str());
            g.due_for_review =
                g.status == GoalStatus::Active.as_str() && days_since(last).is_some_and(|d| d > 31);
            if g.due_for_review {
                reminders.push(format!(
                    "Goal “{}” has not been evaluated for over a month.",
                    g.title
                ));
            }
        }
        let concerns = self
            .feedback
            .iter()
            .filter(|f| f.all_well == Some(false) && !f.resolved)
            .count();
        if concerns > 0 {
            reminders.push(format!(
                "{concerns} concern{} raised in a check-in {} not resolved.",
                if concerns == 1 { "" } else { "s" },
                if concerns == 1 { "is" } else { "are" }
            ));
        }
        if self.status == PairStatus::Active.as_str() {
            let since_check_in = self
                .feedback
                .iter()
                .find(|f| f.kind == FeedbackKind::CheckIn.as_str())
                .and_then(|f| days_since(&f.date));
            let started = self.sessions.last().and_then(|s| days_since(&s.date));
            if since_check_in.or(started).is_some_and(|d| d > 31) {
                reminders.push("A monthly check-in is due.".into());
            }
            let since_review = self.reviews.first().and_then(|r| days_since(&r.date));
            if since_review.or(started).is_some_and(|d| d > 92) {
                reminders.push("A readiness review is due (every 3 months).".into());
            }
        }
        if let Some(s) = &self.schedule
            && !s.awaiting.is_empty()
        {
            reminders.push(format!(
                "The proposed schedule waits for {}.",
                s.awaiting.join(" and ")
            ));
        }
        if !self.conflicts.is_empty() {
            reminders.push(format!(
                "{} field{} edited on two devices at once: choose which value to keep.",
                self.conflicts.len(),
                if self.conflicts.len() == 1 {
                    " was"
                } else {
                    "s were"
                }
            ));
        }
        self.reminders = reminders;
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

/// The sharing panel: the library's shared folder and keychain, and one pair's last exchange.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SharingView {
    /// The shared folder this pair syncs through, when one is picked…
    pub folder: Option<String>,
    /// …and whether it is the pair's own (else it is the library's, shared by every pair).
    #[serde(default)]
    pub folder_own: bool,
    /// The library's shared folder, when the pair has one of its own.
    #[serde(default)]
    pub library_folder: Option<String>,
    /// Which keychain holds the keys (e.g. "Secret Service")…
    pub keychain: Option<String>,
    /// …or why none is usable.
    pub keychain_error: Option<String>,
    /// Whether this pair has a key (it was invited or joined on this device).
    pub shared: bool,
    /// RFC 3339 time of the last exchange this session, if any.
    pub last_exchange: Option<String>,
    /// Whether everything this device has is in the share.
    pub up_to_date: bool,
    /// Changes that arrived before earlier ones they build on.
    pub waiting: bool,
    /// Files that could not be used, and why: information, never data loss.
    pub problems: Vec<(String, String)>,
    /// The last exchange's error, if it failed.
    pub error: Option<String>,
    /// Changes on this device not yet in the shared folder, when one is set.
    #[serde(default)]
    pub pending: Option<usize>,
    /// Where this window accepts the partner's laptop directly ("192.168.1.20:7890"), if it does.
    #[serde(default)]
    pub listening: Option<String>,
    /// Laptops this pair syncs with directly, and how that is going.
    #[serde(default)]
    pub peers: Vec<PeerView>,
}

/// How far a long exchange with the shared folder (a large first sync) has got: the
/// `share-progress` event's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    pub pair: String,
    pub files_done: usize,
    pub files: usize,
    pub bytes_done: u64,
    pub bytes: u64,
}

impl SyncProgress {
    /// Whether the exchange has read everything.
    pub fn finished(&self) -> bool {
        self.files_done >= self.files
    }

    /// "Reading the shared folder: 3 of 40 files (1.2 of 9.8 MB)".
    pub fn sentence(&self) -> String {
        format!(
            "Reading the shared folder: {} of {} files ({:.1} of {:.1} MB)",
            self.files_done,
            self.files,
            self.bytes_done as f64 / 1e6,
            self.bytes as f64 / 1e6
        )
    }
}

/// A laptop a pair syncs with directly (peer to peer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerView {
    /// Its address as last seen.
    pub addr: String,
    /// Connected now (live: edits flow both ways within a second).
    pub connected: bool,
    /// RFC 3339 time changes were last exchanged with it.
    pub last_exchange: Option<String>,
    /// Why the last attempt failed, if it did.
    pub error: Option<String>,
}

/// An invite to show: the link, the code, and the plain warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteView {
    pub link: String,
    pub code: String,
}
