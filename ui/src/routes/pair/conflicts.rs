//! Fields edited on two devices at once: each value with who wrote it, and a button to keep it.

use leptos::prelude::*;
use tandem_core::pair::ResolveConflict;

use super::state::{Editor, PairState};
use crate::components::error::ErrorBanner;

#[component]
pub fn Conflicts(state: PairState) -> impl IntoView {
    let conflicts = state.part(|v| v.conflicts.clone());
    let editor = Editor::new(state, || {});
    move || {
        conflicts.with(|list| {
            (!list.is_empty()).then(|| {
                view! {
                    <section class="card conflicts" id="conflicts">
                        <h2>"Edited on two devices"</h2>
                        <p class="muted">"Both values are kept until one of you chooses."</p>
                        {list.iter().map(|c| view! {
                            <div class="conflict" data-testid="conflict">
                                <strong>{c.label.clone()}</strong>
                                <div class="actions left">
                                    {c.options.iter().map(|o| {
                                        let choice = ResolveConflict { path: c.path.clone(), choice: o.id.clone() };
                                        view! {
                                            <button class="choice" on:click=move |_| editor.run(choice.clone())>
                                                {format!("Keep “{}” ({})", o.value, o.by)}
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        }).collect_view()}
                        <ErrorBanner error=editor.error() id="conflict-error"/>
                    </section>
                }
            })
        })
    }
}
