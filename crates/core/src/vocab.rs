//! The closed vocabularies of the pair document (roles, programmes, methods, statuses).
//!
//! The document stores each as its `as_str()` string, so a value written by a newer Tandem (or a JS
//! peer) that this version does not know survives a round trip untouched; parsing happens at the edges.

use serde::{Deserialize, Serialize};

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $s:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order a form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The string stored in the document.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// The words shown to a person.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the stored string; `None` for a value this version does not know.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

vocab!(
    /// A person's role in a pair. LearnTeachCode's tiers add the lead mentor and the mentor-mentee.
    Role {
        Mentor => "mentor", "Mentor";
        Mentee => "mentee", "Mentee";
        LeadMentor => "lead-mentor", "Lead mentor";
        MentorMentee => "mentor-mentee", "Mentor-mentee";
    }
);

vocab!(
    /// The mentoring programme a pair belongs to; it decides the check-ins and the graduation bar.
    Programme {
        Kubernetes => "kubernetes", "Kubernetes group mentoring";
        Astropy => "astropy", "Astropy mentoring";
        LearnTeachCode => "learnteachcode", "LearnTeachCode";
        Sourcegraph => "sourcegraph", "Sourcegraph mentoring";
        Gsoc => "gsoc", "Google Summer of Code";
        Lfx => "lfx", "LFX Mentorship";
        Outreachy => "outreachy", "Outreachy";
        Generic => "generic", "Other / generic";
    }
);

vocab!(
    /// Mentoring methods used in a session (Sourcegraph's list).
    Method {
        Instruction => "instruction", "Instruction";
        Shadowing => "shadowing", "Shadowing";
        Qa => "qa", "Q&A";
        Planning => "planning", "Planning";
        Practice => "practice", "Practice / homework";
        SelfStudy => "self-study", "Self-study";
        Perspective => "perspective", "Perspective";
        Pairing => "pairing", "Collaboration / pairing";
        Review => "review", "Review / feedback";
    }
);

vocab!(
    /// Where a pair is in its life.
    PairStatus {
        Active => "active", "Active";
        Paused => "paused", "Paused";
        Ended => "ended", "Ended";
        Graduated => "graduated", "Graduated";
    }
);

vocab!(
    /// Where a goal is: proposed until both have agreed, then active, then achieved or dropped.
    GoalStatus {
        Proposed => "proposed", "Proposed";
        Active => "active", "Active";
        Achieved => "achieved", "Achieved";
        Dropped => "dropped", "Dropped";
    }
);

vocab!(
    /// How often an agreed schedule repeats.
    Cadence {
        Weekly => "weekly", "Every week";
        Fortnightly => "fortnightly", "Every 2 weeks";
        Monthly => "monthly", "Every month";
        Custom => "custom", "Custom";
    }
);

vocab!(
    /// The day of the week an agreed schedule falls on.
    Weekday {
        Mon => "mon", "Monday";
        Tue => "tue", "Tuesday";
        Wed => "wed", "Wednesday";
        Thu => "thu", "Thursday";
        Fri => "fri", "Friday";
        Sat => "sat", "Saturday";
        Sun => "sun", "Sunday";
    }
);

impl Weekday {
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

vocab!(
    /// Kinds of feedback and check-in a pair records.
    FeedbackKind {
        Session => "session", "Session feedback";
        CheckIn => "check-in", "Monthly check-in";
        Midpoint => "midpoint", "Midpoint check-in";
        Closing => "closing", "Closing survey";
        Pulse => "pulse", "How is this going?";
    }
);

vocab!(
    /// Kinds of evidence a mentee collects towards a role.
    EvidenceKind {
        PrReviewed => "pr-reviewed", "Pull request reviewed";
        PrAuthored => "pr-authored", "Pull request authored";
        IssueTriaged => "issue-triaged", "Issue triaged";
        Talk => "talk", "Talk";
        Docs => "docs", "Documentation";
        Other => "other", "Other";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_string() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(*m));
        }
        for p in Programme::ALL {
            assert_eq!(Programme::parse(p.as_str()), Some(*p));
        }
        assert_eq!(Role::parse("lead-mentor"), Some(Role::LeadMentor));
        assert_eq!(Role::parse("overlord"), None);
    }

    #[test]
    fn serde_uses_the_stored_strings() {
        let json = serde_json::to_string(&Method::SelfStudy).unwrap_or_default();
        assert_eq!(json, "\"self-study\"");
    }
}
