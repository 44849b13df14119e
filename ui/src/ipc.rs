//! Every call into the Rust backend and every event from it, typed by tandem-core's contract: a
//! command is `call::<C>(&args)` with `C`'s argument and reply types, an event is `listen::<E>`.
//! No command or event name is written anywhere in the UI.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tandem_core::contract::{Command, Event};
use tandem_core::{ErrorCode, IpcError};
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

fn internal(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Internal,
        message,
        field: None,
    }
}

/// Every command takes its argument as `args`.
#[derive(Serialize)]
struct Wrapped<'a, A> {
    args: &'a A,
}

/// Calls command `C` with `args`.
pub async fn call<C: Command>(args: &C::Args) -> Result<C::Reply, IpcError> {
    let args = serde_wasm_bindgen::to_value(&Wrapped { args })
        .map_err(|e| internal(format!("Tandem could not send that request ({e}).")))?;
    match tauri_invoke(C::NAME, args).await {
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

/// Calls `on_event` with the payload of each event `E` the backend sends, for as long as the
/// window lives.
pub async fn listen<E: Event>(on_event: impl Fn(E::Payload) + 'static)
where
    E::Payload: DeserializeOwned + 'static,
{
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let payload = js_sys::Reflect::get(&e, &"payload".into()).ok();
        if let Some(p) = payload.and_then(|p| serde_wasm_bindgen::from_value(p).ok()) {
            on_event(p);
        }
    });
    if tauri_listen(E::NAME, &handler).await.is_ok() {
        handler.forget();
    }
}
