//! Showing an error as the sentence it is.

use leptos::prelude::*;
use tandem_core::IpcError;

/// A banner with the error's message, or nothing.
#[component]
pub fn ErrorBanner(
    #[prop(into)] error: Signal<Option<IpcError>>,
    #[prop(into)] id: String,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! { <p class="error" role="alert" id=id.clone()>{e.message}</p> }
        })
    }
}
