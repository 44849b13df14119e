//! Every journal edit, its validation, and what two laptops editing offline see after merging.
//!
//! Over 600 lines because every edit is tested against the same two laptops (built at the top);
//! split by aggregate, that fixture would be copied.

use automerge::{ActorId, AutoCommit, ReadDoc};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::pair::edit::*;
use crate::pair::input::*;
use crate::pair::view::{PairView, view_of};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

fn ctx(id: &str) -> Ctx {
    Ctx {
        now: now(),
        new_id: id.into(),
    }
}

/// Sam (mentor, actor 1) created the pair; Alex (mentee) joined on a second laptop (actor 2).
fn laptops() -> (AutoCommit, AutoCommit) {
    let mut sam = sams_new_pair(now());
    let mut alex = sam.fork().with_actor(ActorId::from(vec![2u8; 16]));
    register_device(&mut alex, "ALEX").unwrap_or_else(|e| panic!("{e}"));
    alex.commit();
    sam.merge(&mut alex).unwrap_or_else(|e| panic!("{e}"));
    (sam, alex)
}

fn ok(doc: &mut AutoCommit, edit: Edit, id: &str) -> Applied {
    let a = apply(doc, &edit, &ctx(id)).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    doc.commit();
    a
}

/// Applies an edit that must fail; returns the field it blames, and checks nothing was written.
fn refused(doc: &mut AutoCommit, edit: Edit) -> String {
    let before = doc.get_heads();
    let e = apply(doc, &edit, &ctx("X")).err();
    doc.rollback();
    assert_eq!(doc.get_heads(), before, "a refused edit wrote something");
    match e {
        Some(OpError::Invalid(v)) => v.field.to_string(),
        Some(other) => other.to_string(),
        None => panic!("{edit:?} was accepted"),
    }
}

fn view(doc: &AutoCommit) -> PairView {
    let mut v = view_of(doc).unwrap_or_else(|e| panic!("{e}"));
    v.refresh(now().date_naive());
    v
}

fn sync(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap_or_else(|e| panic!("{e}"));
    b.merge(a).unwrap_or_else(|e| panic!("{e}"));
}

fn session(date: &str) -> Edit {
    Edit::Session(SessionEdit::Log(NewSession {
        date: date.into(),
        time: "17:00".into(),
        time_zone: "Europe/Berlin".into(),
        minutes: "30".into(),
        ..NewSession::default()
    }))
}

fn goal(title: &str) -> NewGoal {
    NewGoal {
        title: title.into(),
        measurable: "20 PRs reviewed".into(),
        due: "2027-03-01".into(),
        ..NewGoal::default()
    }
}

#[test]
fn sessions_keep_time_and_zone_and_can_be_edited() {
    let (mut sam, _) = laptops();
    ok(&mut sam, session("2026-11-20"), "S1");
    let v = view(&sam);
    assert_eq!(v.sessions[0].time.as_deref(), Some("17:00"));
    assert_eq!(v.sessions[0].time_zone.as_deref(), Some("Europe/Berlin"));
    let bad_zone = Edit::Session(SessionEdit::Edit {
        session_id: "S1".into(),
        session: NewSession {
            date: "2026-11-20".into(),
            time_zone: "Europe/Berlinn".into(),
            minutes: "30".into(),
            ..NewSession::default()
        },
    });
    assert_eq!(refused(&mut sam, bad_zone), "time_zone");
    let zero = Edit::Session(SessionEdit::Edit {
        session_id: "S1".into(),
        session: NewSession {
            date: "2026-11-20".into(),
            minutes: "0".into(),
            ..NewSession::default()
        },
    });
    assert_eq!(refused(&mut sam, zero), "minutes");
    ok(
        &mut sam,
        Edit::Session(SessionEdit::Edit {
            session_id: "S1".into(),
            session: NewSession {
                date: "2026-11-21".into(),
                minutes: "45".into(),
                methods: vec!["review".into()],
                ..NewSession::default()
            },
        }),
        "",
    );
    let s = &view(&sam).sessions[0];
    assert_eq!((s.date.as_str(), s.minutes), ("2026-11-21", 45));
    assert_eq!(s.methods[0].key, "review");
}

#[test]
fn open_action_items_carry_forward_until_done() {
    let (mut sam, _) = laptops();
    ok(&mut sam, session("2026-11-10"), "S1");
    let item = |text: &str, owner: &str| {
        Edit::Session(SessionEdit::AddItem {
            session_id: "S1".into(),
            item: NewActionItem {
                text: text.into(),
                owner: owner.into(),
                due: String::new(),
            },
        })
    };
    ok(&mut sam, item("Review PR 123", "ALEX"), "I1");
    ok(&mut sam, item("Send the SIG calendar", ""), "I2");
    assert_eq!(refused(&mut sam, item("x", "NOBODY")), "owner");
    assert_eq!(refused(&mut sam, item("  ", "")), "text");
    ok(&mut sam, session("2026-11-17"), "S2");
    ok(
        &mut sam,
        Edit::Session(SessionEdit::SetItemDone {
            session_id: "S1".into(),
            item_id: "I2".into(),
            done: true,
        }),
        "",
    );
    let v = view(&sam);
    let open: Vec<(&str, &str)> = v
        .open_items
        .iter()
        .map(|o| (o.session_date.as_str(), o.item.text.as_str()))
        .collect();
    assert_eq!(open, [("2026-11-10", "Review PR 123")]);
    assert_eq!(v.open_items[0].item.owner, "Alex");
}

#[test]
fn a_deleted_session_is_gone_on_both_laptops_even_if_edited_meanwhile() {
    let (mut sam, mut alex) = laptops();
    ok(&mut sam, session("2026-11-10"), "S1");
    ok(&mut sam, session("2026-11-17"), "S2");
    sync(&mut sam, &mut alex);
    let delete = |id: &str| {
        Edit::Session(SessionEdit::Delete {
            session_id: id.into(),
        })
    };
    // Alex deletes S1 while Sam, offline, adds an action item to it.
    let applied = ok(&mut alex, delete("S1"), "");
    assert_eq!(applied.message, "Delete session 2026-11-10");
    ok(
        &mut sam,
        Edit::Session(SessionEdit::AddItem {
            session_id: "S1".into(),
            item: NewActionItem {
                text: "Review PR 123".into(),
                owner: String::new(),
                due: String::new(),
            },
        }),
        "I1",
    );
    sync(&mut sam, &mut alex);
    for doc in [&sam, &alex] {
        let v = view(doc);
        let ids: Vec<&str> = v.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["S2"]);
        assert!(v.open_items.is_empty(), "{:?}", v.open_items);
    }
    let gone = refused(&mut sam, delete("S1"));
    assert!(gone.starts_with("That session does not exist"), "{gone}");
}

#[test]
fn a_goal_is_active_only_when_both_agreed_and_an_edit_asks_again() {
    let (mut sam, mut alex) = laptops();
    ok(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(goal("Review 20 PRs"))),
        "G1",
    );
    assert_eq!(view(&sam).goals[0].status, "proposed");
    let agree = || {
        Edit::Goal(GoalEdit::Agree {
            goal_id: "G1".into(),
        })
    };
    assert_eq!(refused(&mut sam, agree()), "status");
    sync(&mut sam, &mut alex);
    ok(&mut alex, agree(), "");
    assert_eq!(view(&alex).goals[0].status, "active");
    assert_eq!(view(&alex).goals[0].agreed_by, ["Alex", "Sam"]);
    // Sam changes the measure: the goal needs Alex's agreement again.
    sync(&mut sam, &mut alex);
    let mut changed = goal("Review 20 PRs");
    changed.measurable = "25 PRs reviewed".into();
    ok(
        &mut sam,
        Edit::Goal(GoalEdit::Edit {
            goal_id: "G1".into(),
            goal: changed.clone(),
        }),
        "",
    );
    let g = &view(&sam).goals[0];
    assert_eq!(
        (g.status.as_str(), g.agreed_ids.clone()),
        ("proposed", vec!["SAM".to_string()])
    );
    assert_eq!(g.measurable, "25 PRs reviewed");
    assert_eq!(
        refused(
            &mut sam,
            Edit::Goal(GoalEdit::Edit {
                goal_id: "G1".into(),
                goal: changed
            })
        ),
        "title"
    );
    let active = Edit::Goal(GoalEdit::SetStatus {
        goal_id: "G1".into(),
        status: "active".into(),
    });
    assert_eq!(refused(&mut sam, active), "status");
    ok(
        &mut sam,
        Edit::Goal(GoalEdit::SetStatus {
            goal_id: "G1".into(),
            status: "achieved".into(),
        }),
        "",
    );
    assert_eq!(view(&sam).goals[0].status_label, "Achieved");
}

#[test]
fn evaluations_are_dated_and_an_unevaluated_goal_is_due_for_review() {
    let (mut sam, mut alex) = laptops();
    ok(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(goal("Triage issues"))),
        "G1",
    );
    sync(&mut sam, &mut alex);
    ok(
        &mut alex,
        Edit::Goal(GoalEdit::Agree {
            goal_id: "G1".into(),
        }),
        "",
    );
    let eval = |date: &str, progress: &str| {
        Edit::Goal(GoalEdit::Evaluate {
            goal_id: "G1".into(),
            evaluation: NewEvaluation {
                date: date.into(),
                progress: progress.into(),
                note: "steady".into(),
            },
        })
    };
    assert_eq!(refused(&mut alex, eval("2026-10-01", "120")), "progress");
    ok(&mut alex, eval("2026-10-01", "40"), "E1");
    let v = view(&alex);
    assert_eq!(v.goals[0].progress, Some(40));
    assert_eq!(v.goals[0].evaluations[0].by, "Alex");
    // 2026-10-01 is 54 days before "today" (2026-11-24): due for review.
    assert!(v.goals[0].due_for_review);
    assert!(v.reminders.iter().any(|r| r.contains("Triage issues")));
    ok(&mut alex, eval("2026-11-20", "60"), "E2");
    let v = view(&alex);
    assert!(!v.goals[0].due_for_review);
    assert_eq!(v.goals[0].progress, Some(60));
}

fn six_weeks() -> NewSchedule {
    NewSchedule {
        cadence: "weekly".into(),
        weekday: "tue".into(),
        time: "17:00".into(),
        time_zone: "Europe/Berlin".into(),
        minutes: "30".into(),
        start: "2026-11-23".into(),
        sessions: "6".into(),
        reassess: "2027-01-05".into(),
        ..NewSchedule::default()
    }
}

#[test]
fn a_schedule_is_proposed_then_agreed_and_computes_the_next_session() {
    let (mut sam, mut alex) = laptops();
    let mut bad = six_weeks();
    bad.end = "2026-11-01".into();
    assert_eq!(
        refused(&mut sam, Edit::Schedule(ScheduleEdit::Propose(bad))),
        "end"
    );
    ok(
        &mut sam,
        Edit::Schedule(ScheduleEdit::Propose(six_weeks())),
        "",
    );
    let v = view(&sam);
    let s = v.schedule.clone().unwrap_or_else(|| panic!("no schedule"));
    assert_eq!(s.awaiting, ["Alex"]);
    assert_eq!(
        s.summary,
        "30 min every week on Tuesdays at 17:00 Europe/Berlin from 2026-11-23 for 6 sessions, then reassess on 2027-01-05"
    );
    assert_eq!(s.weekly_minutes, 30);
    // The first Tuesday on or after Monday 2026-11-23 is the 24th: today.
    assert_eq!(v.next_session.as_deref(), Some("2026-11-24"));
    assert!(v.reminders.iter().any(|r| r.contains("waits for Alex")));
    assert_eq!(
        refused(&mut sam, Edit::Schedule(ScheduleEdit::Agree)),
        "schedule"
    );
    sync(&mut sam, &mut alex);
    ok(&mut alex, Edit::Schedule(ScheduleEdit::Agree), "");
    assert!(view(&alex).schedule.is_some_and(|s| s.awaiting.is_empty()));
    // Changing it asks again.
    sync(&mut sam, &mut alex);
    let mut longer = six_weeks();
    longer.minutes = "45".into();
    ok(&mut sam, Edit::Schedule(ScheduleEdit::Propose(longer)), "");
    assert!(view(&sam).schedule.is_some_and(|s| s.awaiting == ["Alex"]));
}

#[test]
fn check_ins_raise_concerns_until_resolved() {
    let (mut sam, mut alex) = laptops();
    let check_in = |all_well: bool, text: &str| {
        Edit::Feedback(FeedbackEdit::Give(NewFeedback {
            kind: "check-in".into(),
            date: "2026-11-20".into(),
            all_well,
            text: text.into(),
            ..NewFeedback::default()
        }))
    };
    assert_eq!(refused(&mut alex, check_in(false, "")), "text");
    ok(
        &mut alex,
        check_in(false, "I can't find time for reviews"),
        "F1",
    );
    let v = view(&alex);
    assert_eq!(v.feedback[0].from, "Alex");
    assert_eq!(v.feedback[0].to.as_deref(), Some("Sam"));
    assert!(v.reminders.iter().any(|r| r.contains("1 concern")));
    sync(&mut sam, &mut alex);
    ok(
        &mut sam,
        Edit::Feedback(FeedbackEdit::ResolveConcern {
            feedback_id: "F1".into(),
        }),
        "",
    );
    assert!(!view(&sam).reminders.iter().any(|r| r.contains("concern")));
    ok(&mut sam, check_in(true, ""), "F2");
    let on_missing = Edit::Feedback(FeedbackEdit::Give(NewFeedback {
        kind: "session".into(),
        session: "NOPE".into(),
        date: "2026-11-20".into(),
        rating: "5".into(),
        ..NewFeedback::default()
    }));
    assert_eq!(
        refused(&mut sam, on_missing),
        OpError::NotFound("session").to_string()
    );
}

#[test]
fn readiness_reviews_are_the_mentors_and_evidence_needs_a_link() {
    let (mut sam, mut alex) = laptops();
    let review = Edit::Feedback(FeedbackEdit::ReviewReadiness(NewReview {
        date: "2026-11-20".into(),
        ready: true,
        rationale: "Primary reviewer on 6 PRs".into(),
    }));
    assert_eq!(refused(&mut alex, review.clone()), "ready");
    ok(&mut sam, review, "R1");
    assert!(view(&sam).reviews[0].ready);
    let evidence = |link: &str| {
        Edit::Feedback(FeedbackEdit::AddEvidence(NewEvidence {
            kind: "pr-reviewed".into(),
            link: link.into(),
            date: "2026-11-19".into(),
            primary_reviewer: true,
            ..NewEvidence::default()
        }))
    };
    assert_eq!(refused(&mut alex, evidence("PR 123")), "link");
    ok(
        &mut alex,
        evidence("https://github.com/kubernetes/website/pull/123"),
        "V1",
    );
    let v = view(&alex);
    assert_eq!(v.evidence[0].kind_label, "Pull request reviewed");
    assert!(v.evidence[0].primary_reviewer);
}

#[test]
fn lifecycle_pause_resume_end_and_hand_off() {
    let (mut sam, _) = laptops();
    let status = |s: &str, reason: &str| {
        Edit::Lifecycle(LifecycleEdit::SetStatus {
            status: s.into(),
            reason: reason.into(),
        })
    };
    ok(&mut sam, status("paused", "Conference season"), "");
    assert_eq!(
        view(&sam).status_reason.as_deref(),
        Some("Conference season")
    );
    ok(&mut sam, status("active", ""), "");
    ok(
        &mut sam,
        Edit::Lifecycle(LifecycleEdit::HandOff {
            new_mentor: "Kim".into(),
            reason: "Sam changes jobs".into(),
        }),
        "KIM",
    );
    let v = view(&sam);
    let kim = v.people.iter().find(|p| p.id == "KIM");
    assert!(kim.is_some_and(|k| k.name == "Kim" && k.role == "mentor" && !k.left));
    assert!(v.people.iter().any(|p| p.id == "SAM" && p.left));
    assert_eq!(refused(&mut sam, status("ended", "")), "reason");
    ok(&mut sam, status("ended", "Alex graduated elsewhere"), "");
    assert_eq!(refused(&mut sam, status("paused", "")), "status");
    assert_eq!(
        refused(
            &mut sam,
            Edit::Lifecycle(LifecycleEdit::SetMyTimeZone {
                time_zone: "Moon/Base".into()
            })
        ),
        "time_zone"
    );
}

#[test]
fn a_status_set_on_both_laptops_shows_both_values_until_someone_chooses() {
    let (mut sam, mut alex) = laptops();
    ok(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(goal("Review 20 PRs"))),
        "G1",
    );
    sync(&mut sam, &mut alex);
    let set = |s: &str| {
        Edit::Goal(GoalEdit::SetStatus {
            goal_id: "G1".into(),
            status: s.into(),
        })
    };
    ok(&mut sam, set("achieved"), "");
    ok(&mut alex, set("dropped"), "");
    sync(&mut sam, &mut alex);
    let v = view(&sam);
    assert_eq!(v.conflicts.len(), 1, "{:?}", v.conflicts);
    let c = &v.conflicts[0];
    assert_eq!(c.path, ["goals", "G1", "status"]);
    assert_eq!(c.label, "Goal “Review 20 PRs”: status");
    let mut values: Vec<(String, String)> = c
        .options
        .iter()
        .map(|o| (o.value.clone(), o.by.clone()))
        .collect();
    values.sort();
    assert_eq!(
        values,
        [
            ("achieved".to_string(), "Sam".to_string()),
            ("dropped".to_string(), "Alex".to_string())
        ]
    );
    assert!(
        v.reminders
            .iter()
            .any(|r| r.contains("edited on two devices"))
    );
    let alexs = c
        .options
        .iter()
        .find(|o| o.by == "Alex")
        .map(|o| o.id.clone())
        .unwrap_or_default();
    let resolve = Edit::Conflict(ResolveConflict {
        path: c.path.clone(),
        choice: alexs,
    });
    ok(&mut sam, resolve.clone(), "");
    sync(&mut sam, &mut alex);
    for doc in [&sam, &alex] {
        let v = view(doc);
        assert!(v.conflicts.is_empty());
        assert_eq!(v.goals[0].status, "dropped");
    }
    assert_eq!(refused(&mut sam, resolve), "choice");
}

#[test]
fn two_schedules_proposed_offline_are_both_kept_and_one_can_be_chosen() {
    let (mut sam, mut alex) = laptops();
    ok(
        &mut sam,
        Edit::Schedule(ScheduleEdit::Propose(six_weeks())),
        "",
    );
    let mut monthly = six_weeks();
    monthly.cadence = "monthly".into();
    monthly.minutes = "60".into();
    ok(
        &mut alex,
        Edit::Schedule(ScheduleEdit::Propose(monthly)),
        "",
    );
    sync(&mut sam, &mut alex);
    let v = view(&sam);
    let c = v
        .conflicts
        .iter()
        .find(|c| c.path == ["schedule"])
        .unwrap_or_else(|| panic!("the concurrent schedules are not shown: {:?}", v.conflicts));
    assert_eq!(c.options.len(), 2);
    let alexs = c.options.iter().find(|o| o.by == "Alex");
    assert!(
        alexs.is_some_and(|o| o.value.contains("cadence: monthly")),
        "{:?}",
        c.options
    );
    let choice = alexs.map(|o| o.id.clone()).unwrap_or_default();
    ok(
        &mut sam,
        Edit::Conflict(ResolveConflict {
            path: vec!["schedule".into()],
            choice,
        }),
        "",
    );
    let v = view(&sam);
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
    let s = v.schedule.unwrap_or_else(|| panic!("no schedule"));
    assert_eq!((s.cadence.as_str(), s.minutes), ("monthly", 60));
    // Alex proposed it and Sam chose it: agreed by both.
    assert!(s.awaiting.is_empty(), "{:?}", s.awaiting);
}

#[test]
fn history_says_who_did_what() {
    let (mut sam, mut alex) = laptops();
    let at = |doc: &mut AutoCommit, e: Edit, minutes: i64| {
        let a = apply(doc, &e, &ctx("H")).unwrap_or_else(|e| panic!("{e}"));
        let t = now() + Duration::minutes(minutes);
        doc.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message(a.message)
                .with_time(t.timestamp()),
        );
    };
    at(
        &mut sam,
        Edit::Goal(GoalEdit::Propose(goal("Review 20 PRs"))),
        1,
    );
    sync(&mut sam, &mut alex);
    at(
        &mut alex,
        Edit::Goal(GoalEdit::Agree {
            goal_id: "H".into(),
        }),
        2,
    );
    sync(&mut sam, &mut alex);
    let authors = crate::pair::actor_names(&sam).unwrap_or_default();
    let lines = crate::history::history(&mut sam, &authors, 2);
    let said: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l.who.as_str(), l.what.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            ("Alex", "Agree to goal “Review 20 PRs”"),
            ("Sam", "Propose goal “Review 20 PRs”")
        ]
    );
}

/// A concurrent edit one laptop makes while offline.
#[derive(Debug, Clone)]
enum Offline {
    GoalStatus(bool),
    ScheduleMinutes(u8),
    Type(String),
}

fn offline() -> impl Strategy<Value = Offline> {
    prop_oneof![
        any::<bool>().prop_map(Offline::GoalStatus),
        (15u8..=90).prop_map(Offline::ScheduleMinutes),
        "[a-z]{1,6}".prop_map(Offline::Type),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Two laptops, from the same agreed goal, schedule and notes, make random edits offline,
    /// then merge: both end equal, every typed word is in the notes, and a goal status set to
    /// different values on the two sides is shown as a conflict with both values.
    #[test]
    fn concurrent_goal_schedule_and_notes_edits_converge_and_surface_conflicts(
        a_edits in proptest::collection::vec(offline(), 1..6),
        b_edits in proptest::collection::vec(offline(), 1..6),
    ) {
        let (mut sam, mut alex) = laptops();
        ok(&mut sam, Edit::Goal(GoalEdit::Propose(goal("Review 20 PRs"))), "G1");
        ok(&mut sam, Edit::Schedule(ScheduleEdit::Propose(six_weeks())), "");
        ok(&mut sam, session("2026-11-20"), "S1");
        sync(&mut sam, &mut alex);
        let mut typed = Vec::new();
        let mut last_status = [None, None];
        for (side, (doc, edits)) in [(&mut sam, &a_edits), (&mut alex, &b_edits)].into_iter().enumerate() {
            for (n, e) in edits.iter().enumerate() {
                match e {
                    Offline::GoalStatus(achieved) => {
                        let status = if *achieved { "achieved" } else { "dropped" };
                        let edit = Edit::Goal(GoalEdit::SetStatus { goal_id: "G1".into(), status: status.into() });
                        // Setting the status it already has is refused; that is fine.
                        if apply(doc, &edit, &ctx("")).is_ok() {
                            doc.commit();
                            last_status[side] = Some(status);
                        } else {
                            doc.rollback();
                        }
                    }
                    Offline::ScheduleMinutes(m) => {
                        let mut s = six_weeks();
                        s.minutes = m.to_string();
                        ok(doc, Edit::Schedule(ScheduleEdit::Propose(s)), "");
                    }
                    Offline::Type(word) => {
                        let token = format!("<{side}{n}{word}>");
                        crate::pair::ops::splice_text(doc, &TextSplice {
                            session_id: "S1".into(),
                            field: "notes".into(),
                            pos: 0,
                            delete: 0,
                            insert: token.clone(),
                        }).unwrap_or_else(|e| panic!("{e}"));
                        doc.commit();
                        typed.push(token);
                    }
                }
            }
        }
        sync(&mut sam, &mut alex);
        let (vs, mut va) = (view(&sam), view(&alex));
        va.me.clone_from(&vs.me);
        prop_assert_eq!(&vs, &va);
        for token in &typed {
            prop_assert!(vs.sessions[0].notes.contains(token.as_str()), "lost {}", token);
        }
        if let [Some(a), Some(b)] = last_status && a != b {
            let c = vs.conflicts.iter().find(|c| c.path == ["goals", "G1", "status"]);
            prop_assert!(c.is_some(), "conflict not surfaced: {:?}", vs.conflicts);
            let mut values: Vec<String> = c.map(|c| c.options.iter().map(|o| o.value.clone()).collect()).unwrap_or_default();
            values.sort();
            prop_assert_eq!(values, vec!["achieved".to_string(), "dropped".to_string()]);
        }
    }
}

#[test]
fn a_document_written_before_the_journal_fields_still_opens() {
    use automerge::transaction::Transactable;
    let (mut sam, _) = laptops();
    ok(
        &mut sam,
        Edit::Schedule(ScheduleEdit::Propose(six_weeks())),
        "",
    );
    ok(&mut sam, session("2026-11-20"), "S1");
    // Remove every field this version added, as a document from the first version lacks them.
    let pair = sam
        .get(automerge::ROOT, "pair")
        .ok()
        .flatten()
        .map(|(_, id)| id);
    let schedule = sam
        .get(automerge::ROOT, "schedule")
        .ok()
        .flatten()
        .map(|(_, id)| id);
    let people = sam
        .get(automerge::ROOT, "people")
        .ok()
        .flatten()
        .map(|(_, id)| id);
    for (obj, keys) in [
        (
            pair,
            &["status_reason", "status_changed_by", "status_changed_at"][..],
        ),
        (schedule, &["weekday", "proposed_by"][..]),
    ] {
        let obj = obj.unwrap_or_else(|| panic!("missing object"));
        for k in keys {
            sam.delete(&obj, *k).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let people = people.unwrap_or_else(|| panic!("no people"));
    for person in ["SAM", "ALEX"] {
        let p = sam.get(&people, person).ok().flatten().map(|(_, id)| id);
        sam.delete(p.unwrap_or_else(|| panic!("no {person}")), "left_at")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    sam.delete(automerge::ROOT, "bars")
        .unwrap_or_else(|e| panic!("{e}"));
    sam.commit();
    let v = view(&sam);
    assert_eq!(v.people.len(), 2);
    assert!(v.schedule.is_some_and(|s| s.weekday.is_none()));
    assert!(v.bars.is_empty());
    // A bar adjustment creates what the older document lacks.
    ok(
        &mut sam,
        Edit::Bar(BarEdit::SetStart {
            template: "lfx".into(),
            start: "2026-06-01".into(),
        }),
        "",
    );
    assert_eq!(
        view(&sam).bars.get("lfx").and_then(|b| b.start.as_deref()),
        Some("2026-06-01")
    );
}
