//! "New pair": who the two people are, the programme, and (optionally) how often they meet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::IpcError;
use tandem_core::contract::{CreatePair, NewPairArgs};
use tandem_core::pair::input::NewPair;
use tandem_core::vocab::{Programme, Role};

use crate::components::error::ErrorBanner;
use crate::components::form::field_class;
use crate::components::search::SearchButton;
use crate::dates;
use crate::ipc;
use crate::nav::{Nav, Screen};

#[component]
pub fn NewPairPage() -> impl IntoView {
    let nav = expect_context::<Nav>();
    let form = RwSignal::new(NewPair {
        my_role: Role::Mentor.as_str().into(),
        programme: Programme::Kubernetes.as_str().into(),
        start: dates::today(),
        minutes: "30".into(),
        ..NewPair::default()
    });
    let error = RwSignal::new(None::<IpcError>);
    let saving = RwSignal::new(false);
    let err: Signal<Option<IpcError>> = error.into();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        let input = form.get_untracked();
        spawn_local(async move {
            match ipc::call::<CreatePair>(&NewPairArgs { input }).await {
                Ok(pair) => nav.go(Screen::Pair(pair.id)),
                // The form keeps everything typed; only the error changes.
                Err(e) => error.set(Some(e)),
            }
            saving.set(false);
        });
    };

    macro_rules! bind {
        ($field:ident) => {
            (
                move || form.with(|f| f.$field.clone()),
                move |ev: leptos::ev::Event| form.update(|f| f.$field = event_target_value(&ev)),
            )
        };
    }
    let (title, set_title) = bind!(title);
    let (my_name, set_my_name) = bind!(my_name);
    let (my_role, set_my_role) = bind!(my_role);
    let (partner, set_partner) = bind!(partner_name);
    let (programme, set_programme) = bind!(programme);
    let (target, set_target) = bind!(target_role);
    let (cadence, set_cadence) = bind!(cadence);
    let (start, set_start) = bind!(start);
    let (minutes, set_minutes) = bind!(minutes);
    let scheduled = move || !form.with(|f| f.cadence.is_empty());

    view! {
        <header class="topbar">
            <button id="back" class="ghost" on:click=move |_| nav.go(Screen::Library)>"← Library"</button>
            <h1>"New pair"</h1>
            <SearchButton/>
        </header>
        <main class="page narrow">
            <form id="new-pair-form" class="card form" on:submit=submit novalidate>
                <label class=field_class(err, "title")>
                    <span>"Title"</span>
                    <input id="title" type="text" placeholder="e.g. Alex → SIG Docs reviewer"
                        prop:value=title on:input=set_title autofocus/>
                </label>
                <div class="row">
                    <label class=field_class(err, "my_name")>
                        <span>"Your name"</span>
                        <input id="my-name" type="text" prop:value=my_name on:input=set_my_name/>
                    </label>
                    <label class=field_class(err, "my_role")>
                        <span>"Your role"</span>
                        <select id="my-role" prop:value=my_role on:change=set_my_role>
                            {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <label class=field_class(err, "partner_name")>
                    <span>"Your partner's name"</span>
                    <input id="partner-name" type="text" prop:value=partner on:input=set_partner/>
                </label>
                <div class="row">
                    <label class=field_class(err, "programme")>
                        <span>"Programme"</span>
                        <select id="programme" prop:value=programme on:change=set_programme>
                            {Programme::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class=field_class(err, "target_role")>
                        <span>"Target role"</span>
                        <input id="target-role" type="text" placeholder="e.g. reviewer"
                            prop:value=target on:input=set_target/>
                    </label>
                </div>
                <fieldset class="row">
                    <label class=field_class(err, "cadence")>
                        <span>"Meet"</span>
                        <select id="cadence" prop:value=cadence on:change=set_cadence>
                            <option value="">"Not scheduled yet"</option>
                            <option value="weekly">"Every week"</option>
                            <option value="fortnightly">"Every 2 weeks"</option>
                            <option value="monthly">"Every month"</option>
                        </select>
                    </label>
                    <Show when=scheduled>
                        <label class=field_class(err, "start")>
                            <span>"First session"</span>
                            <input id="start" type="date" prop:value=start on:input=set_start/>
                        </label>
                        <label class=field_class(err, "minutes")>
                            <span>"Minutes"</span>
                            <input id="minutes" type="number" min="1" max="720" prop:value=minutes on:input=set_minutes/>
                        </label>
                    </Show>
                </fieldset>
                <ErrorBanner error=err id="form-error"/>
                <div class="actions">
                    <button type="button" class="ghost" on:click=move |_| nav.go(Screen::Library)>"Cancel"</button>
                    <button id="create-pair" type="submit" class="primary" prop:disabled=move || saving.get()>"Create pair"</button>
                </div>
            </form>
        </main>
    }
}
