//! "Show more" at the end of a long list: a button for the keyboard and the mouse, pressed by itself
//! when the person scrolls near it, so a long pair draws what is on screen first and the rest as
//! they read on.

use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::html::Button;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far below the window the button may be when more is drawn: a screen's worth ahead.
const AHEAD: &str = "0px 0px 800px 0px";

/// "{label} ({left} more)" while `left` is above zero.
#[component]
pub fn MoreButton(
    id: &'static str,
    label: &'static str,
    #[prop(into)] left: Signal<usize>,
    on_more: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || { left.get() > 0 }>
            <Watched id=id label=Signal::derive(move || format!("{label} ({} more)", left.get())) on_more=on_more/>
        </Show>
    }
}

/// The button itself, watched from when it is drawn until it is removed.
#[component]
fn Watched(id: &'static str, label: Signal<String>, on_more: Callback<()>) -> impl IntoView {
    let node: NodeRef<Button> = NodeRef::new();
    node.on_load(move |button| {
        let target: web_sys::Element = button.unchecked_into();
        let watched = target.clone();
        // The observer reports only changes: after drawing more, the button is watched afresh so
        // one still in reach (the new entries were short) is reported again.
        let observer = std::rc::Rc::new(std::cell::RefCell::new(None::<IntersectionObserver>));
        let again = observer.clone();
        let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let near = entries.iter().any(|e| {
                e.dyn_into::<IntersectionObserverEntry>()
                    .is_ok_and(|e| e.is_intersecting())
            });
            if near {
                on_more.run(());
                if let Some(o) = again.borrow().as_ref() {
                    o.unobserve(&watched);
                    o.observe(&watched);
                }
            }
        });
        let init = IntersectionObserverInit::new();
        init.set_root_margin(AHEAD);
        let Ok(o) = IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &init)
        else {
            return;
        };
        o.observe(&target);
        *observer.borrow_mut() = Some(o.clone());
        let held = SendWrapper::new((o, seen));
        on_cleanup(move || held.take().0.disconnect());
    });
    view! {
        <button node_ref=node id=id class="ghost more" on:click=move |_| on_more.run(())>{label}</button>
    }
}
