//! Showing an error as the sentence it is.

use leptos::prelude::*;
use tandem_core::dto::IpcError;

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

/// The CSS class for a form field: marked when the last error was about it.
pub fn field_class(
    error: Signal<Option<IpcError>>,
    field: &'static str,
) -> impl Fn() -> &'static str {
    move || {
        if error.with(|e| e.as_ref().and_then(|e| e.field.as_deref()) == Some(field)) {
            "field invalid"
        } else {
            "field"
        }
    }
}
