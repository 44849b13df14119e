//! The pair page's state: one signal holding the pair's view, from which each card takes only
//! what it draws through a memo (a memo notifies only when its part changed, so a partner's edit
//! to one session redraws that session and nothing else), and [`Editor`], the way a card applies
//! edits: an [`Action`] whose result updates the view or becomes the card's error.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{EditArgs, EditPair, Edited, GetPair, Id};
use tandem_core::pair::{Edit, PairView};

use crate::ipc;

/// The pair being shown. Copy: every card holds it.
#[derive(Clone, Copy)]
pub struct PairState {
    pub id: StoredValue<String>,
    pub view: RwSignal<PairView>,
    /// When (ms since the epoch) the view shown was asked of the backend.
    pub asked: StoredValue<f64>,
}

impl PairState {
    /// The state of a pair just fetched, asked for at `asked`.
    pub fn new(id: StoredValue<String>, view: PairView, asked: f64) -> PairState {
        PairState {
            id,
            view: RwSignal::new(view),
            asked: StoredValue::new(asked),
        }
    }

    /// Shows `view`, asked of the backend at `asked`, unless a newer one is already shown.
    fn show(self, view: PairView, asked: f64) {
        if asked >= self.asked.get_value() {
            self.asked.set_value(asked);
            self.view.set(view);
        }
    }

    /// Part of the view, recomputed when the view changes and passed on only when it differs.
    pub fn part<T: PartialEq + Clone + Send + Sync + 'static>(
        self,
        of: impl Fn(&PairView) -> T + Send + Sync + 'static,
    ) -> Memo<T> {
        let view = self.view;
        Memo::new(move |_| view.with(&of))
    }

    /// This device's person id in the pair ("" before it has joined).
    pub fn me(self) -> Memo<String> {
        self.part(|v| v.me.clone().unwrap_or_default())
    }

    /// Fetches the pair again (the partner's edits arrived) and shows what changed.
    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            let args = Id {
                id: self.id.get_value(),
            };
            let asked = js_sys::Date::now();
            if let Ok(v) = ipc::call::<GetPair>(&args).await {
                self.show(v, asked);
            }
        });
    }
}

/// A card's way to apply edits to the pair: dispatch one, see whether one is on its way, and show
/// the last one's error beside the field it names.
#[derive(Clone, Copy)]
pub struct Editor {
    action: Action<Edit, (f64, Result<Edited, IpcError>)>,
    error: RwSignal<Option<IpcError>>,
}

impl Editor {
    /// An editor whose successful edits update `state` and then run `on_done` (e.g. to clear the
    /// form or close it).
    pub fn new(state: PairState, on_done: impl Fn() + 'static) -> Editor {
        let action = Action::new_local(move |edit: &Edit| {
            let args = EditArgs {
                id: state.id.get_value(),
                edit: edit.clone(),
            };
            let asked = js_sys::Date::now();
            async move { (asked, ipc::call::<EditPair>(&args).await) }
        });
        let error = RwSignal::new(None);
        Effect::new(move |_| {
            let Some((asked, result)) = action.value().get() else {
                return;
            };
            match result {
                Ok(done) => {
                    error.set(None);
                    on_done();
                    state.show(done.pair, asked);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        Editor { action, error }
    }

    /// Applies `edit` (ignored while the previous edit of this card is still on its way).
    pub fn run(self, edit: impl Into<Edit>) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(edit.into());
        }
    }

    /// Whether an edit is on its way.
    pub fn busy(self) -> Signal<bool> {
        self.action.pending().into()
    }

    /// The last edit's error, if it failed.
    pub fn error(self) -> Signal<Option<IpcError>> {
        self.error.into()
    }
}
