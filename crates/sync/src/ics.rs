//! The agreed schedule as an iCalendar file (RFC 5545) that a calendar app imports: one recurring
//! event with a recurrence rule, plus the reassess date. Built with the icalendar crate (and its
//! typed `rrule` recurrence), not by hand.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use icalendar::{
    Calendar, CalendarDateTime, Component, DatePerhapsTime, Event, EventLike, Frequency, RRule, Tz,
};
use tandem_core::pair::PairDoc;
use tandem_core::vocab::{Cadence, Weekday};

/// Why a schedule could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum IcsError {
    #[error("This pair has no schedule yet; agree one first.")]
    NoSchedule,
    #[error("The stored schedule cannot be read by this version of Tandem ({0}).")]
    Unreadable(String),
}

/// The pair's schedule as the text of an .ics file.
pub fn schedule_ics(pair: &PairDoc) -> Result<String, IcsError> {
    let s = pair.schedule.as_ref().ok_or(IcsError::NoSchedule)?;
    let bad = |what: &str| IcsError::Unreadable(what.to_string());
    let cadence = Cadence::parse(&s.cadence).ok_or_else(|| bad("cadence"))?;
    let mut start: NaiveDate = s.start.parse().map_err(|_| bad("start date"))?;
    if let Some(w) = s.weekday.as_deref().and_then(Weekday::parse) {
        while start.weekday() != w.to_chrono() {
            start = start.succ_opt().ok_or_else(|| bad("start date"))?;
        }
    }
    let time = s
        .time
        .as_deref()
        .map(|t| NaiveTime::parse_from_str(t, "%H:%M"))
        .transpose()
        .map_err(|_| bad("time"))?;
    let zone: Option<chrono_tz::Tz> = s
        .time_zone
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|_| bad("time zone"))?;

    let title = format!("Mentoring: {}", pair.pair.title);
    let mut description = format!("Agreed schedule of the pair “{}”.", pair.pair.title);
    if let Some(r) = &s.reassess {
        description.push_str(&format!(" Reassess on {r}."));
    }
    let mut event = Event::new();
    event
        .uid(&format!("{}-schedule@tandem", pair.pair.id))
        .summary(&title)
        .description(&description);
    let minutes = Duration::minutes(s.minutes);
    // The zone the end date is read in: the schedule's, else the calendar app's own.
    let rzone = zone.map_or(Tz::LOCAL, Tz::Tz);
    match time {
        Some(t) => {
            let local = start.and_time(t);
            match zone {
                Some(z) => event
                    .starts(CalendarDateTime::WithTimezone {
                        date_time: local,
                        tzid: z.name().to_string(),
                    })
                    .ends(CalendarDateTime::WithTimezone {
                        date_time: local + minutes,
                        tzid: z.name().to_string(),
                    }),
                None => event
                    .starts(CalendarDateTime::Floating(local))
                    .ends(CalendarDateTime::Floating(local + minutes)),
            };
        }
        None => {
            event
                .starts(DatePerhapsTime::Date(start))
                .ends(DatePerhapsTime::Date(start + Duration::days(1)));
        }
    }
    let (freq, interval) = match cadence {
        Cadence::Weekly => (Frequency::Weekly, 1),
        Cadence::Fortnightly => (Frequency::Weekly, 2),
        Cadence::Monthly => (Frequency::Monthly, 1),
        Cadence::Custom => (
            Frequency::Daily,
            s.every_days
                .and_then(|d| u16::try_from(d).ok())
                .ok_or_else(|| bad("days between sessions"))?,
        ),
    };
    let mut rule = RRule::default().freq(freq).interval(interval);
    if let Some(n) = s.sessions.and_then(|n| u32::try_from(n).ok()) {
        rule = rule.count(n);
    }
    if let Some(end) = s.end.as_deref().and_then(|e| e.parse::<NaiveDate>().ok()) {
        let last = end.and_hms_opt(23, 59, 59).unwrap_or_default();
        let until = rzone
            .from_local_datetime(&last)
            .earliest()
            .ok_or_else(|| bad("end date"))?;
        // RFC 5545: with a zoned start, UNTIL is given in UTC.
        rule = rule.until(match zone {
            Some(_) => until.with_timezone(&Tz::UTC),
            None => until,
        });
    }
    event
        .recurrence(rule)
        .map_err(|e| IcsError::Unreadable(e.to_string()))?;

    let mut calendar = Calendar::new();
    calendar.name(&pair.pair.title).push(event.done());
    if let Some(r) = s
        .reassess
        .as_deref()
        .and_then(|r| r.parse::<NaiveDate>().ok())
    {
        calendar.push(
            Event::new()
                .uid(&format!("{}-reassess@tandem", pair.pair.id))
                .summary(&format!(
                    "Reassess the mentoring schedule: {}",
                    pair.pair.title
                ))
                .starts(DatePerhapsTime::Date(r))
                .ends(DatePerhapsTime::Date(r + Duration::days(1)))
                .done(),
        );
    }
    Ok(calendar.done().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::pair::schema::{PairInfo, Schedule};

    fn pair(schedule: Schedule) -> PairDoc {
        PairDoc {
            pair: PairInfo {
                id: "01PAIR".into(),
                title: "Alex → reviewer".into(),
                ..PairInfo::default()
            },
            schedule: Some(schedule),
            ..PairDoc::default()
        }
    }

    #[test]
    fn six_weekly_sessions_at_a_zoned_time_then_reassess() {
        let ics = schedule_ics(&pair(Schedule {
            cadence: "weekly".into(),
            weekday: Some("tue".into()),
            time: Some("17:00".into()),
            time_zone: Some("Europe/Berlin".into()),
            minutes: 30,
            start: "2026-11-30".into(),
            sessions: Some(6),
            reassess: Some("2027-01-12".into()),
            ..Schedule::default()
        }))
        .map_err(|e| e.to_string());
        let ics = ics.unwrap_or_else(|e| e);
        // The first Tuesday on or after Monday 2026-11-30, in Berlin time, for 30 minutes.
        assert!(
            ics.contains("DTSTART;TZID=Europe/Berlin:20261201T170000"),
            "{ics}"
        );
        assert!(
            ics.contains("DTEND;TZID=Europe/Berlin:20261201T173000"),
            "{ics}"
        );
        assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=6"), "{ics}");
        assert!(ics.contains("Reassess the mentoring schedule"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    }

    #[test]
    fn the_file_parses_back_and_recurs_as_agreed() {
        let ics = schedule_ics(&pair(Schedule {
            cadence: "fortnightly".into(),
            time: Some("09:30".into()),
            time_zone: Some("America/New_York".into()),
            minutes: 45,
            start: "2026-12-02".into(),
            end: Some("2027-01-31".into()),
            ..Schedule::default()
        }))
        .unwrap_or_else(|e| e.to_string());
        let parsed: Calendar = ics.parse().unwrap_or_default();
        let event = parsed
            .components
            .iter()
            .find_map(|c| c.as_event())
            .cloned()
            .unwrap_or_default();
        let dates: Vec<String> = event
            .get_recurrence()
            .map(|set| {
                set.all(100)
                    .dates
                    .iter()
                    .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            dates,
            [
                "2026-12-02 09:30",
                "2026-12-16 09:30",
                "2026-12-30 09:30",
                "2027-01-13 09:30",
                "2027-01-27 09:30"
            ],
            "{ics}"
        );
    }

    #[test]
    fn no_schedule_is_a_sentence() {
        let e = schedule_ics(&PairDoc::default())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("This pair has no schedule yet; agree one first.")
        );
    }
}
