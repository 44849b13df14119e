//! Deriving a pair's view from its document: names for ids, labels for stored strings, lists in the
//! order the page shows them, and the conflicts Automerge keeps.

use automerge::AutoCommit;

use super::{
    ActionItemView, EvaluationView, EvidenceView, FeedbackView, GoalView, MethodView, OpenItemView,
    PairView, PersonView, ReviewView, ScheduleView, SessionView,
};
use crate::error::OpError;
use crate::pair::schema::{PairDoc, Schedule};
use crate::vocab::{
    Cadence, EvidenceKind, FeedbackKind, GoalStatus, Method, PairStatus, Programme, Role, Weekday,
};

/// The view of a pair straight from its document, conflicts included. `me` is this device's
/// person, looked up from the document's actors.
///
/// A pair a newer Tandem changed (a higher schema version) is shown read-only, as far as this
/// version can read it, with a sentence saying so; edits to it are refused.
pub fn view_of(doc: &AutoCommit) -> Result<PairView, OpError> {
    let newer = match crate::pair::read::check_version(doc) {
        Ok(()) => None,
        Err(OpError::NewerSchema(v)) => Some(v),
        Err(e) => return Err(e),
    };
    let Some(v) = newer else {
        let pair = crate::pair::read::hydrate(doc)?;
        let me = crate::pair::read::me(doc)?;
        let mut view = pair_view(&pair, me.as_deref());
        view.conflicts = crate::pair::conflicts::scan(doc)?;
        return Ok(view);
    };
    // A newer Tandem's pair: whatever this version can read of it, never an error (the pair
    // must stay in the library, and its sentence must show).
    let pair: Option<PairDoc> = autosurgeon::hydrate(doc).ok();
    let me = crate::pair::read::me(doc).ok().flatten();
    let mut view = pair_view(&pair.clone().unwrap_or_default(), me.as_deref());
    view.conflicts = crate::pair::conflicts::scan(doc).unwrap_or_default();
    view.read_only = Some(if pair.is_some() {
        format!(
            "A newer Tandem changed this pair (schema version {v}): it is shown here as far as \
             this version can read it, and cannot be edited until you update Tandem."
        )
    } else {
        format!(
            "A newer Tandem changed this pair (schema version {v}) in a way this version cannot \
             read: update Tandem to see and edit it. Nothing in it is lost."
        )
    });
    if pair.is_none() {
        view.title = "A pair from a newer Tandem".into();
    }
    Ok(view)
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
    view.weekly_minutes = view.rule().map_or(0, |r| r.weekly_minutes(s.minutes));
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
        read_only: None,
    }
}
