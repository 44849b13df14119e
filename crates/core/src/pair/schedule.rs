//! The agreed schedule as a rule: when is the next session, and what does it cost per week.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::vocab::Cadence;

/// A schedule parsed from the document, ready for date arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub cadence: Cadence,
    pub every_days: Option<u32>,
    pub start: NaiveDate,
    pub sessions: Option<u32>,
    pub end: Option<NaiveDate>,
}

/// The parts of a stored schedule that decide its dates, as stored (strings and numbers).
#[derive(Debug, Clone, Copy)]
pub struct Terms<'a> {
    pub cadence: &'a str,
    pub every_days: Option<i64>,
    pub weekday: Option<&'a str>,
    pub start: &'a str,
    pub sessions: Option<i64>,
    pub end: Option<&'a str>,
}

impl Rule {
    /// `None` when the stored schedule cannot be read as a rule (e.g. written by a newer version).
    pub fn new(t: Terms<'_>) -> Option<Rule> {
        let date = |d: Option<&str>| d.and_then(|d| d.parse::<NaiveDate>().ok());
        Some(Rule {
            cadence: Cadence::parse(t.cadence)?,
            every_days: t
                .every_days
                .and_then(|d| u32::try_from(d).ok())
                .filter(|d| *d > 0),
            start: {
                // With a weekday, sessions fall on the first such day on or after the start.
                let mut start: NaiveDate = t.start.parse().ok()?;
                if let Some(w) = t.weekday.and_then(crate::vocab::Weekday::parse) {
                    while start.weekday() != w.to_chrono() {
                        start = start.succ_opt()?;
                    }
                }
                start
            },
            sessions: t.sessions.and_then(|n| u32::try_from(n).ok()),
            end: date(t.end),
        })
    }

    /// The date of occurrence `n` (0 = the start).
    fn occurrence(&self, n: u32) -> Option<NaiveDate> {
        match self.cadence {
            Cadence::Weekly => self.start.checked_add_days(Days::new(7 * u64::from(n))),
            Cadence::Fortnightly => self.start.checked_add_days(Days::new(14 * u64::from(n))),
            Cadence::Monthly => self.start.checked_add_months(Months::new(n)),
            Cadence::Custom => {
                let every = self.every_days?;
                self.start
                    .checked_add_days(Days::new(u64::from(every) * u64::from(n)))
            }
        }
    }

    /// The first scheduled date on or after `today`, if the schedule has not run out.
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        // Estimate the index from the elapsed days, then step; months vary in length.
        let elapsed = (today - self.start).num_days().max(0);
        let step_days = match self.cadence {
            Cadence::Weekly => 7,
            Cadence::Fortnightly => 14,
            Cadence::Monthly => 31,
            Cadence::Custom => i64::from(self.every_days?),
        };
        let mut n = u32::try_from(elapsed / step_days).ok()?.saturating_sub(1);
        loop {
            if self.sessions.is_some_and(|max| n >= max) {
                return None;
            }
            let date = self.occurrence(n)?;
            if self.end.is_some_and(|end| date > end) {
                return None;
            }
            if date >= today {
                return Some(date);
            }
            n += 1;
        }
    }

    /// Average minutes per week this schedule asks of each person.
    pub fn weekly_minutes(&self, minutes: i64) -> i64 {
        match self.cadence {
            Cadence::Weekly => minutes,
            Cadence::Fortnightly => minutes / 2,
            Cadence::Monthly => minutes * 12 / 52,
            Cadence::Custom => self.every_days.map_or(0, |d| minutes * 7 / i64::from(d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn rule(cadence: Cadence) -> Rule {
        Rule {
            cadence,
            every_days: None,
            start: d("2026-11-02"),
            sessions: None,
            end: None,
        }
    }

    #[test]
    fn weekly_next_session() {
        let r = rule(Cadence::Weekly);
        assert_eq!(r.next_on_or_after(d("2026-10-01")), Some(d("2026-11-02")));
        assert_eq!(r.next_on_or_after(d("2026-11-02")), Some(d("2026-11-02")));
        assert_eq!(r.next_on_or_after(d("2026-11-03")), Some(d("2026-11-09")));
        assert_eq!(r.next_on_or_after(d("2026-11-24")), Some(d("2026-11-30")));
    }

    #[test]
    fn monthly_keeps_the_day_of_month() {
        let r = rule(Cadence::Monthly);
        assert_eq!(r.next_on_or_after(d("2027-02-03")), Some(d("2027-03-02")));
    }

    #[test]
    fn a_schedule_runs_out_by_count_or_end() {
        let six = Rule {
            sessions: Some(6),
            ..rule(Cadence::Weekly)
        };
        assert_eq!(six.next_on_or_after(d("2026-12-07")), Some(d("2026-12-07")));
        assert_eq!(six.next_on_or_after(d("2026-12-08")), None);
        let ended = Rule {
            end: Some(d("2026-11-20")),
            ..rule(Cadence::Fortnightly)
        };
        assert_eq!(ended.next_on_or_after(d("2026-11-17")), None);
        assert_eq!(
            ended.next_on_or_after(d("2026-11-10")),
            Some(d("2026-11-16"))
        );
    }

    #[test]
    fn weekly_commitment() {
        assert_eq!(rule(Cadence::Weekly).weekly_minutes(30), 30);
        assert_eq!(rule(Cadence::Fortnightly).weekly_minutes(60), 30);
    }
}
