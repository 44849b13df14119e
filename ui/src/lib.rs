//! Tandem's window: Leptos (client-side rendering) screens compiled to wasm32 and served by the
//! Tauri shell from the embedded ui/dist. Every backend call goes through [`ipc`].

mod app;
mod components;
mod dates;
mod ipc;
mod nav;
mod routes;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point called by the generated JS glue once the wasm module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // Report the first frame after mounting (the cold-start benchmark waits for it).
    let report = wasm_bindgen::closure::Closure::once_into_js(|| {
        leptos::task::spawn_local(async {
            let _ = ipc::call::<tandem_core::contract::AppReady>(&tandem_core::contract::NoArgs {})
                .await;
        });
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(report.unchecked_ref());
    }
}
