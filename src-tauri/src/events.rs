//! The window's face of the sync service: what the service reports becomes an event the page
//! listens for (names and payloads from tandem-core's contract), or a log line.

use std::net::SocketAddr;

use tandem_core::Kind;
use tandem_core::contract::{
    Event, NoArgs, PairChanged, SaveProblem, SearchRebuilt, ShareProgress, SharingChanged,
};
use tandem_core::views::SyncProgress;
use tandem_sync::DocId;
use tandem_sync::p2p;
use tandem_sync::service::Reporter;
use tauri::{AppHandle, Emitter};

/// Sends event `E` to the window.
pub fn emit<E: Event>(app: &AppHandle, payload: &E::Payload) {
    if let Err(e) = app.emit(E::NAME, payload) {
        tracing::warn!(event = E::NAME, error = %e, "could not tell the window");
    }
}

/// Reports the sync service to the window.
pub struct ToWindow(pub AppHandle);

impl Reporter for ToWindow {
    fn changed(&self, doc: &DocId) {
        if doc.kind == Kind::Pair {
            emit::<PairChanged>(&self.0, &doc.id);
        }
    }

    fn progress(&self, progress: &SyncProgress) {
        emit::<ShareProgress>(&self.0, progress);
    }

    fn peer(&self, event: &p2p::Event) {
        match event {
            p2p::Event::Ended {
                addr,
                result: Err(e),
            } => tracing::info!(%addr, error = %e, "a peer connection ended"),
            p2p::Event::Refused { addr, why } => tracing::info!(%addr, %why, "refused a peer"),
            _ => {}
        }
    }

    fn listening(&self, addr: SocketAddr) {
        tracing::info!(%addr, "accepting peers");
    }

    fn sharing(&self, doc: Option<&DocId>) {
        match doc {
            Some(d) if d.kind == Kind::Pair => emit::<SharingChanged>(&self.0, &d.id),
            Some(_) => {}
            None => emit::<SharingChanged>(&self.0, &String::new()),
        }
    }

    fn problem(&self, what: &str, error: &str) {
        tracing::warn!(%error, "{what}");
    }

    fn search_index(&self, opened: &tandem_search::Opened) {
        if let tandem_search::Opened::Rebuilt(why) = opened {
            tracing::warn!(%why, "the search index was damaged; it was rebuilt from the documents");
            emit::<SearchRebuilt>(&self.0, &NoArgs {});
        }
    }

    fn saving(&self, problem: Option<&str>) {
        if let Some(p) = problem {
            tracing::error!(error = %p, "edits could not be written to disk");
        }
        emit::<SaveProblem>(&self.0, &problem.map(str::to_string));
    }
}
