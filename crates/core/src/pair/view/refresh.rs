//! What a pair's view says depends on today's date: the next session, goals due for review, a
//! check-in or readiness review that is due; and the pair's row in the library.

use chrono::NaiveDate;

use super::{PairCard, PairSummary, PairView};
use crate::vocab::{FeedbackKind, GoalStatus, PairStatus};

/// The next session on or after `today` by the agreed schedule, if it reads as a date rule.
fn next_session(schedule: Option<&super::ScheduleView>, today: NaiveDate) -> Option<String> {
    schedule
        .and_then(super::ScheduleView::rule)
        .and_then(|r| r.next_on_or_after(today))
        .map(|d| d.to_string())
}

impl PairCard {
    /// The library row as of `today`.
    pub fn summary(self, today: NaiveDate) -> PairSummary {
        PairSummary {
            next_session: next_session(self.schedule.as_ref(), today),
            ..self.summary
        }
    }
}

impl PairView {
    /// What the library keeps beside the view to list the pair without reading it.
    pub fn card(&self) -> PairCard {
        PairCard {
            summary: PairSummary {
                next_session: None,
                ..self.summary()
            },
            schedule: self.schedule.clone(),
        }
    }

    /// Recomputes what depends on today's date.
    pub fn refresh(&mut self, today: NaiveDate) {
        self.next_session = next_session(self.schedule.as_ref(), today);
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
