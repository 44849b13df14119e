//! What the document targets start from: a pair as the app creates it, with one session.

use std::sync::OnceLock;

/// The pair's id.
pub const ID: &str = "01PAIR";

/// The saved pair (made once per process).
pub fn base() -> &'static [u8] {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut doc = tandem_core::new_document();
        let ids = tandem_core::pair::ops::PairIds {
            pair: ID.into(),
            me: "01SAM".into(),
            partner: "01ALEX".into(),
        };
        let input = tandem_core::pair::input::NewPair {
            title: "Alex → reviewer".into(),
            my_name: "Sam".into(),
            my_role: "mentor".into(),
            partner_name: "Alex".into(),
            programme: "kubernetes".into(),
            ..Default::default()
        };
        let _ = tandem_core::pair::ops::create_pair(&mut doc, &ids, &input, chrono::Utc::now());
        let session = tandem_core::pair::Edit::Session(tandem_core::pair::SessionEdit::Log(
            tandem_core::pair::input::NewSession {
                date: "2026-11-30".into(),
                minutes: "30".into(),
                notes: "notes".into(),
                ..Default::default()
            },
        ));
        let ctx = tandem_core::doc::Ctx {
            now: chrono::Utc::now(),
            new_id: "01SESSION".into(),
        };
        let _ = tandem_core::pair::ops::apply(&mut doc, &session, &ctx);
        doc.commit();
        doc.save()
    })
}
