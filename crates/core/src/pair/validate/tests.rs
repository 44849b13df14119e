//! The pair's form rules, each failure checked for its field and sentence.

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
        Err(
            "“20/11/2026” is not a date; enter the session date as YYYY-MM-DD, e.g. 2026-11-20."
                .into()
        )
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
        Err(
            "The end date (2026-11-01) is before the start (2026-12-01); pick a later end date."
                .into()
        )
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
