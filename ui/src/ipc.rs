//! Every call into the Rust backend: one typed async function per Tauri command.

use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tandem_core::dto::{Edit, ErrorCode, IpcError, NewPair, TextSplice};
use tandem_core::history::HistoryEntry;
use tandem_core::summary::Preview;
use tandem_core::view::{InviteView, LibraryView, PairView, SharingView, SyncProgress};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Calls `on_event` with the payload of each backend event named `event`, for as long as the
/// window lives.
async fn listen<T: DeserializeOwned + 'static>(event: &str, on_event: impl Fn(T) + 'static) {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let payload = js_sys::Reflect::get(&e, &"payload".into()).ok();
        if let Some(p) = payload.and_then(|p| serde_wasm_bindgen::from_value(p).ok()) {
            on_event(p);
        }
    });
    if tauri_listen(event, &handler).await.is_ok() {
        handler.forget();
    }
}

/// Calls `on_change(pair_id)` whenever the backend says a pair changed (e.g. the partner's edits
/// arrived through the shared folder).
pub async fn on_pair_changed(on_change: impl Fn(String) + 'static) {
    listen("pair-changed", on_change).await;
}

/// Calls `on_progress` with each `share-progress` event (a long exchange with the shared folder).
pub async fn on_share_progress(on_progress: impl Fn(SyncProgress) + 'static) {
    listen("share-progress", on_progress).await;
}

/// Calls `on_link` with each invite link the app is asked to open while it runs (a
/// `tandem://join/…` link clicked elsewhere reaches the running window).
pub async fn on_invite_opened(on_link: impl Fn(String) + 'static) {
    listen("invite-opened", on_link).await;
}

fn internal(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Internal,
        message,
        field: None,
    }
}

async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, IpcError> {
    let args = serde_wasm_bindgen::to_value(args)
        .map_err(|e| internal(format!("Tandem could not send that request ({e}).")))?;
    match tauri_invoke(cmd, args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v)
            .map_err(|e| internal(format!("Tandem could not read the reply ({e})."))),
        Err(e) => Err(
            serde_wasm_bindgen::from_value::<IpcError>(e.clone()).unwrap_or_else(|_| {
                internal(format!(
                    "Tandem's window could not reach its backend ({}). Restart Tandem.",
                    e.as_string().unwrap_or_else(|| "no details".into())
                ))
            }),
        ),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct WithEdit<'a> {
    id: &'a str,
    edit: &'a Edit,
}

#[derive(Serialize)]
struct WithText<'a> {
    id: &'a str,
    text: &'a str,
}

/// What an edit returns: the pair as it now is (the created id is for the CLI and tests).
#[derive(Debug, Clone, Deserialize)]
pub struct Edited {
    pub pair: PairView,
}

#[derive(Serialize)]
struct Input<'a, T> {
    input: &'a T,
}

#[derive(Serialize)]
struct Splice<'a> {
    id: &'a str,
    edit: &'a TextSplice,
}

pub async fn list_pairs() -> Result<LibraryView, IpcError> {
    invoke("list_pairs", &NoArgs {}).await
}

pub async fn create_pair(input: &NewPair) -> Result<PairView, IpcError> {
    invoke("create_pair", &Input { input }).await
}

pub async fn get_pair(id: &str) -> Result<PairView, IpcError> {
    invoke("get_pair", &Id { id }).await
}

/// Any discrete change to a pair (see [`Edit`]); durable when it returns.
pub async fn edit_pair(id: &str, edit: &Edit) -> Result<Edited, IpcError> {
    invoke("edit_pair", &WithEdit { id, edit }).await
}

pub async fn splice_text(id: &str, edit: &TextSplice) -> Result<(), IpcError> {
    invoke("splice_text", &Splice { id, edit }).await
}

pub async fn pair_history(id: &str) -> Result<Vec<HistoryEntry>, IpcError> {
    invoke("pair_history", &Id { id }).await
}

/// Saves the schedule as an .ics file; returns the path it was saved to.
pub async fn export_schedule(id: &str) -> Result<String, IpcError> {
    invoke("export_schedule", &Id { id }).await
}

pub async fn get_private_notes(id: &str) -> Result<String, IpcError> {
    invoke("get_private_notes", &Id { id }).await
}

pub async fn set_private_notes(id: &str, text: &str) -> Result<(), IpcError> {
    invoke("set_private_notes", &WithText { id, text }).await
}

/// Tells the backend the first frame is on screen (used by the cold-start benchmark).
pub async fn app_ready() -> Result<(), IpcError> {
    invoke("app_ready", &NoArgs {}).await
}

#[derive(Serialize)]
struct Folder<'a> {
    id: &'a str,
    folder: &'a str,
    scope: &'a str,
}

#[derive(Serialize)]
struct Join<'a> {
    invite: &'a str,
    share: &'a str,
}

pub async fn sharing_status(id: &str) -> Result<SharingView, IpcError> {
    invoke("sharing_status", &Id { id }).await
}

/// Sets the shared folder for every pair (`scope` "library") or for pair `id` alone ("pair"; an
/// empty folder returns it to the library's).
pub async fn set_share_folder(
    id: &str,
    folder: &str,
    scope: &str,
) -> Result<SharingView, IpcError> {
    invoke("set_share_folder", &Folder { id, folder, scope }).await
}

/// Opens the system's folder picker at `start` (when it is a folder); `None` when the person
/// cancels.
pub async fn choose_folder(title: &str, start: &str) -> Result<Option<String>, IpcError> {
    #[derive(Serialize)]
    struct Picker<'a> {
        title: &'a str,
        start: &'a str,
    }
    invoke("choose_folder", &Picker { title, start }).await
}

/// An invite link the app was opened with (a `tandem://join/…` link clicked elsewhere), once.
pub async fn take_opened_invite() -> Result<Option<String>, IpcError> {
    invoke("take_opened_invite", &()).await
}

pub async fn invite_partner(id: &str) -> Result<InviteView, IpcError> {
    invoke("invite_partner", &Id { id }).await
}

pub async fn join_pair(invite: &str, share: &str) -> Result<PairView, IpcError> {
    invoke("join_pair", &Join { invite, share }).await
}

#[derive(Serialize)]
struct PeerAddr<'a> {
    id: &'a str,
    addr: &'a str,
}

/// Keeps the pair connected to the partner's laptop at `addr` (host:port).
pub async fn connect_peer(id: &str, addr: &str) -> Result<SharingView, IpcError> {
    invoke("connect_peer", &PeerAddr { id, addr }).await
}

pub async fn sync_now(id: &str) -> Result<SharingView, IpcError> {
    invoke("sync_now", &Id { id }).await
}

#[derive(Serialize)]
struct Period<'a> {
    id: &'a str,
    template: &'a str,
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct ExportArgs<'a> {
    id: &'a str,
    template: &'a str,
    format: &'a str,
    from: &'a str,
    to: &'a str,
}

/// The progress summary exactly as each format exports it ("" for the defaults).
pub async fn summary_preview(
    id: &str,
    template: &str,
    from: &str,
    to: &str,
) -> Result<Preview, IpcError> {
    invoke(
        "summary_preview",
        &Period {
            id,
            template,
            from,
            to,
        },
    )
    .await
}

/// Saves the summary as md, html or pdf; returns the path it was saved to.
pub async fn export_summary(
    id: &str,
    template: &str,
    format: &str,
    from: &str,
    to: &str,
) -> Result<String, IpcError> {
    invoke(
        "export_summary",
        &ExportArgs {
            id,
            template,
            format,
            from,
            to,
        },
    )
    .await
}
