// Loads the Leptos UI; its #[wasm_bindgen(start)] function mounts the app.
import init from './tandem_ui.js';
init({ module_or_path: new URL('tandem_ui_bg.wasm', import.meta.url) });
