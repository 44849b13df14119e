//! A file Tandem just saved: where it is, and buttons to open it or show it in its folder.

use leptos::prelude::*;
use tandem_core::IpcError;
use tandem_core::contract::{OpenExport, OpenExportArgs};

use crate::ipc;

/// "Saved to <path>", Open and Show in folder. `id` names the paragraph; the buttons are
/// `<id>-open` and `<id>-reveal`.
#[component]
pub fn SavedFile(path: String, #[prop(into)] id: String) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let path = StoredValue::new(path);
    let open = move |reveal: bool| {
        leptos::task::spawn_local(async move {
            let args = OpenExportArgs {
                path: path.get_value(),
                reveal,
            };
            error.set(ipc::call::<OpenExport>(&args).await.err());
        });
    };
    let (open_id, reveal_id) = (format!("{id}-open"), format!("{id}-reveal"));
    view! {
        <div class="saved-file">
            <p class="ok" role="status" id=id>"Saved to " {path.get_value()}</p>
            <button type="button" class="link" id=open_id on:click=move |_| open(false)>"Open"</button>
            <button type="button" class="link" id=reveal_id on:click=move |_| open(true)>"Show in folder"</button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
        </div>
    }
}
