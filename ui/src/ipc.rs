//! Every call into the Rust backend: one typed async function per Tauri command.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tandem_core::dto::{ErrorCode, IpcError, NewGoal, NewPair, NewSession, TextSplice};
use tandem_core::view::{LibraryView, PairView};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
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
struct WithInput<'a, T> {
    id: &'a str,
    input: &'a T,
}

#[derive(Serialize)]
struct Input<'a, T> {
    input: &'a T,
}

#[derive(Serialize)]
struct Edit<'a> {
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

pub async fn log_session(id: &str, input: &NewSession) -> Result<PairView, IpcError> {
    invoke("log_session", &WithInput { id, input }).await
}

pub async fn add_goal(id: &str, input: &NewGoal) -> Result<PairView, IpcError> {
    invoke("add_goal", &WithInput { id, input }).await
}

pub async fn splice_text(id: &str, edit: &TextSplice) -> Result<(), IpcError> {
    invoke("splice_text", &Edit { id, edit }).await
}

/// Tells the backend the first frame is on screen (used by the cold-start benchmark).
pub async fn app_ready() -> Result<(), IpcError> {
    invoke("app_ready", &NoArgs {}).await
}
