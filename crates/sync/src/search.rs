//! Keeping the library's search index ([`tandem_search`]) in step with its documents: what the
//! sync service runs after each persisted batch and each sync, and what `tandem search` runs before
//! it searches. The library is locked only to read a document's view, never while the index is
//! written.

use std::collections::HashSet;
use std::sync::Mutex;

use tandem_core::{DocView, Kind};
use tandem_search::{SearchIndex, drafts};

use crate::{DocId, Library, StoreError};

/// The index's name for document `d`.
pub fn doc_key(d: &DocId) -> String {
    format!("{}/{}", d.kind.folder(), d.id)
}

fn lock(lib: &Mutex<Library>) -> Result<std::sync::MutexGuard<'_, Library>, StoreError> {
    lib.lock().map_err(|_| StoreError::Poisoned)
}

/// Stages documents `docs` as they are now (those gone are forgotten); returns how many units
/// changed. A document that cannot be read (damaged, from a newer Tandem) is left as it was
/// indexed and named in the log. `at_once`: searchable before the commit (typing, a sync);
/// otherwise after it (catching up, which commits right after).
pub fn index_docs(
    lib: &Mutex<Library>,
    ix: &SearchIndex,
    docs: &[DocId],
    at_once: bool,
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for d in docs {
        let key = doc_key(d);
        let read = {
            let mut lib = lock(lib)?;
            if lib.exists(d) {
                let fingerprint = lib.fingerprint(d);
                let view = lib.view_of(d);
                // Private notes are found under their pair's title.
                let title = match d.kind.belongs_to() {
                    Some(owner) => match lib.view_of(&DocId::new(owner, d.id.clone())) {
                        Ok(DocView::Pair(p)) => p.title.clone(),
                        _ => String::new(),
                    },
                    None => String::new(),
                };
                Some((fingerprint, view, title))
            } else {
                None
            }
        };
        match read {
            None => {
                if ix.fingerprint(&key).is_some() {
                    ix.remove(&key)?;
                    changed += 1;
                }
            }
            Some((fingerprint, Ok(view), title)) => {
                let units = drafts(&key, &d.id, &view, &title);
                changed += if at_once {
                    ix.update(&key, &fingerprint, &units)?
                } else {
                    ix.load(&key, &fingerprint, &units)?
                };
            }
            Some((_, Err(e), _)) => {
                tracing::warn!(doc = %d, error = %e, "not indexed: the document could not be read");
            }
        }
    }
    Ok(changed)
}

/// Brings the whole index up to date: every document whose files changed since it was indexed
/// (or that it never held) is indexed again, and documents no longer in the library are
/// forgotten; then commits. Returns how many units changed.
pub fn catch_up(lib: &Mutex<Library>, ix: &SearchIndex) -> Result<usize, StoreError> {
    let (stale, present) = {
        let mut lib = lock(lib)?;
        // What was written before now is taken in here.
        lib.take_written();
        let mut stale = Vec::new();
        let mut present = HashSet::new();
        for &kind in Kind::ALL {
            for id in lib.ids(kind)? {
                let d = DocId::new(kind, id);
                let key = doc_key(&d);
                if ix.fingerprint(&key).as_deref() != Some(lib.fingerprint(&d).as_str()) {
                    stale.push(d);
                }
                present.insert(key);
            }
        }
        (stale, present)
    };
    let mut changed = 0;
    for gone in ix.documents().into_iter().filter(|k| !present.contains(k)) {
        ix.remove(&gone)?;
        changed += 1;
    }
    changed += index_docs(lib, ix, &stale, false)?;
    if changed > 0 || !stale.is_empty() {
        ix.commit()?;
    }
    Ok(changed)
}

/// Indexes what was written since the last call; returns how many units changed. The units are
/// searchable at once in this process; they are committed to disk by [`SearchIndex::commit_if_due`]
/// a few seconds later (a commit costs more than a typing batch may), or here when a sync brought
/// many.
pub fn index_written(lib: &Mutex<Library>, ix: &SearchIndex) -> Result<usize, StoreError> {
    let docs = lock(lib)?.take_written();
    if docs.is_empty() {
        return Ok(0);
    }
    let changed = index_docs(lib, ix, &docs, true)?;
    if ix.staged() >= tandem_search::MAX_RECENT {
        ix.commit()?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use tandem_core::pair::input::{NewPair, NewSession, TextSplice};
    use tandem_core::pair::{Edit, SessionEdit};
    use tandem_core::private::{Private, PrivateEdit};
    use tandem_search::{Hit, SearchQuery};

    use super::*;
    use crate::Mode;

    fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    fn find(ix: &SearchIndex, text: &str) -> Vec<Hit> {
        ok(ix.search(&SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }))
    }

    fn kinds(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.kind.as_str()).collect()
    }

    /// What the service's index job does, step by step: typing made durable is found after the
    /// next run, a deleted session is forgotten, private notes are found under their pair, and an
    /// index reopened after edits made while it was closed catches up by itself.
    #[test]
    fn the_index_follows_typing_deletion_and_edits_made_while_it_was_closed() {
        let home = ok(tempfile::tempdir());
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
            .single()
            .unwrap_or_default();
        let lib = Mutex::new(ok(Library::open(home.path(), Mode::ReadWrite)));
        let (pair, session) = {
            let mut l = ok(lib.lock().map_err(|_| "poisoned"));
            let pair = ok(l.create_pair(
                &NewPair {
                    title: "Alex → reviewer".into(),
                    my_name: "Sam".into(),
                    my_role: "mentor".into(),
                    partner_name: "Alex".into(),
                    programme: "kubernetes".into(),
                    target_role: "reviewer".into(),
                    ..NewPair::default()
                },
                now,
            ))
            .id;
            let input = NewSession {
                date: "2026-11-20".into(),
                minutes: "30".into(),
                notes: "First look at ".into(),
                ..NewSession::default()
            };
            let (session, _) = ok(l.log_session(&pair, &input, now));
            (pair, session)
        };
        let dir = home.path().join(tandem_search::FOLDER);
        let (ix, opened) = ok(SearchIndex::open(&dir));
        assert_eq!(opened, tandem_search::Opened::Created);
        ok(catch_up(&lib, &ix));
        assert_eq!(kinds(&find(&ix, "first")), ["session"]);

        // Typed, but not yet durable: not indexed. Durable: found after the next run.
        {
            let mut l = ok(lib.lock().map_err(|_| "poisoned"));
            for (i, c) in "kubelet".chars().enumerate() {
                let edit = TextSplice {
                    session_id: session.clone(),
                    field: "notes".into(),
                    pos: 14 + i,
                    delete: 0,
                    insert: c.to_string(),
                };
                ok(l.splice_text(&pair, &edit, now));
            }
        }
        assert_eq!(ok(index_written(&lib, &ix)), 0);
        assert!(find(&ix, "kubelet").is_empty());
        ok(ok(lib.lock().map_err(|_| "poisoned")).flush_all(now));
        assert!(ok(index_written(&lib, &ix)) > 0);
        assert_eq!(kinds(&find(&ix, "kubelet")), ["session"]);

        // Private notes, found under the pair's title.
        ok(ok(lib.lock().map_err(|_| "poisoned")).apply::<Private>(
            &pair,
            &PrivateEdit::SetNotes {
                text: "Alex worries about kubelet reviews".into(),
            },
            now,
        ));
        ok(index_written(&lib, &ix));
        let hits = find(&ix, "worries");
        assert_eq!(kinds(&hits), ["private"]);
        assert_eq!(hits[0].pair, pair);
        assert_eq!(hits[0].pair_title, "Alex → reviewer");

        // Deleted while the index was closed (the CLI, with no window): caught up on reopening.
        drop(ix);
        ok(
            ok(lib.lock().map_err(|_| "poisoned")).apply::<tandem_core::pair::Pair>(
                &pair,
                &Edit::Session(SessionEdit::Delete {
                    session_id: session.clone(),
                }),
                now,
            ),
        );
        let (ix, opened) = ok(SearchIndex::open(&dir));
        assert_eq!(opened, tandem_search::Opened::Ready);
        assert!(
            kinds(&find(&ix, "kubelet")).contains(&"session"),
            "stale until caught up"
        );
        assert!(ok(catch_up(&lib, &ix)) > 0);
        assert_eq!(kinds(&find(&ix, "kubelet")), ["private"]);
        // Nothing changed since: catching up again writes nothing.
        assert_eq!(ok(catch_up(&lib, &ix)), 0);
    }
}
