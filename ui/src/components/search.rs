//! Search everything (Ctrl+K): a field in every top bar opens a panel where results come as the
//! person types, best first, grouped by pair, each with its snippet and the matched words marked;
//! filters by pair, kind and date; ↑/↓ choose and Enter opens the exact session or goal (the pair
//! page brings it into view, see [`crate::nav::Focus`]).

use leptos::ev;
use leptos::html::Input;
use leptos::prelude::*;
use tandem_core::contract::{ListPairs, NoArgs, Search};
use tandem_core::search::{Hit, KINDS, SearchQuery, by_pair, in_drawn_order};

use crate::dates;
use crate::ipc;
use crate::nav::{Focus, Nav, Screen, SearchOpen};

/// At most this many results.
const LIMIT: usize = 40;

/// The search field of every top bar: a click (or Ctrl+K anywhere) opens the search.
#[component]
pub fn SearchButton() -> impl IntoView {
    let open = expect_context::<SearchOpen>().0;
    view! {
        <button id="open-search" class="search-button" title="Search everything (Ctrl+K)"
            on:click=move |_| open.set(true)>
            <span>"Search notes, goals, feedback…"</span>
            <kbd>"Ctrl K"</kbd>
        </button>
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "session" => "Session",
        "goal" => "Goal",
        "feedback" => "Feedback",
        "evidence" => "Evidence",
        "review" => "Readiness review",
        "private" => "Private notes",
        _ => "Entry",
    }
}

fn non_empty(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

#[component]
pub fn SearchPanel() -> impl IntoView {
    let open = expect_context::<SearchOpen>().0;
    let nav = expect_context::<Nav>();
    let focus = expect_context::<Focus>().0;
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let pair = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<Hit>::new());
    let error = RwSignal::new(None::<String>);
    let selected = RwSignal::new(0usize);
    let asked = StoredValue::new(0u64);
    let pairs = RwSignal::new(Vec::<(String, String)>::new());
    let input: NodeRef<Input> = NodeRef::new();

    // Ctrl+K (⌘K) anywhere opens the search; Escape closes it.
    let keys = window_event_listener(ev::keydown, move |e| {
        if (e.ctrl_key() || e.meta_key()) && e.key().eq_ignore_ascii_case("k") {
            e.prevent_default();
            open.set(true);
        } else if e.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || keys.remove());

    // Opened: the field takes the keyboard, and the pair filter lists the library's pairs.
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
        leptos::task::spawn_local(async move {
            if let Ok(lib) = ipc::call::<ListPairs>(&NoArgs {}).await {
                pairs.set(lib.pairs.into_iter().map(|p| (p.id, p.title)).collect());
            }
        });
    });

    // Results as the person types: every change asks again, and only the latest answer is shown.
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let q = SearchQuery {
            text: text.get(),
            pair: non_empty(pair.get()),
            kind: non_empty(kind.get()),
            from: non_empty(from.get()),
            to: non_empty(to.get()),
            limit: LIMIT,
        };
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if q.text.trim().is_empty() {
            hits.set(Vec::new());
            error.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let answer = ipc::call::<Search>(&q).await;
            if asked.get_value() != n {
                return;
            }
            match answer {
                Ok(found) => {
                    hits.set(in_drawn_order(found));
                    error.set(None);
                    selected.set(0);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    });

    let go = move |hit: Hit| {
        open.set(false);
        focus.set(Some(hit.anchor()));
        nav.go(Screen::Pair(hit.pair));
    };
    let on_keys = move |e: ev::KeyboardEvent| match e.key().as_str() {
        "ArrowDown" => {
            e.prevent_default();
            let n = hits.with_untracked(Vec::len);
            selected.update(|s| *s = (*s + 1).min(n.saturating_sub(1)));
        }
        "ArrowUp" => {
            e.prevent_default();
            selected.update(|s| *s = s.saturating_sub(1));
        }
        "Enter" => {
            e.prevent_default();
            if let Some(h) = hits.with_untracked(|h| h.get(selected.get_untracked()).cloned()) {
                go(h);
            }
        }
        _ => {}
    };

    let results = move || {
        if let Some(e) = error.get() {
            return view! { <p class="error" role="alert" id="search-error">{e}</p> }.into_any();
        }
        if text.with(|t| t.trim().is_empty()) {
            return view! {
                <p class="muted" id="search-hint">
                    "Sessions, agendas, action items, goals and their evaluations, feedback, evidence, readiness reviews and your private notes. Put words in quotes to find them together."
                </p>
            }
            .into_any();
        }
        let found = hits.get();
        if found.is_empty() {
            return view! { <p class="muted" id="search-empty">"Nothing found for “" {text.get()} "”."</p> }
                .into_any();
        }
        by_pair(&found)
            .into_iter()
            .map(|(title, group)| {
                let title = title.to_string();
                let group: Vec<(usize, Hit)> = group.into_iter().map(|(i, h)| (i, h.clone())).collect();
                view! {
                    <section class="search-group">
                        <h3>{title}</h3>
                        <ul>
                            {group.into_iter().map(|(i, h)| {
                                let snippet = h.pieces().into_iter().map(|(t, marked)| {
                                    if marked {
                                        view! { <mark>{t.to_string()}</mark> }.into_any()
                                    } else {
                                        t.to_string().into_any()
                                    }
                                }).collect_view();
                                let when = if h.date.is_empty() { String::new() } else { dates::long(&h.date) };
                                let open_it = h.clone();
                                view! {
                                    <li class="search-hit" data-testid="search-hit" data-kind=h.kind.clone()
                                        class:selected=move || selected.get() == i
                                        on:mouseenter=move |_| selected.set(i)
                                        on:click=move |_| go(open_it.clone())>
                                        <div class="search-hit-head">
                                            <span class="chip">{kind_label(&h.kind)}</span>
                                            // A session's title is its date, shown beside it.
                                            {(h.kind != "session").then(|| view! { <strong>{h.title.clone()}</strong> })}
                                            <span class="muted">{when}</span>
                                        </div>
                                        <p class="snippet">{snippet}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <Show when=move || open.get()>
            <div class="search-backdrop" on:click=move |_| open.set(false)>
                <div class="search-panel card" role="dialog" aria-label="Search"
                    on:click=|e| e.stop_propagation()>
                    <input id="search-input" type="search" node_ref=input autocomplete="off"
                        placeholder="Search everything you have written…"
                        prop:value=move || text.get()
                        on:input=move |e| text.set(event_target_value(&e))
                        on:keydown=on_keys/>
                    <div class="search-filters">
                        <select id="search-pair" aria-label="Pair" on:change=move |e| pair.set(event_target_value(&e))>
                            <option value="" selected=move || pair.with(String::is_empty)>"All pairs"</option>
                            {move || pairs.get().into_iter().map(|(id, title)| {
                                let chosen = id.clone();
                                view! { <option value=id selected=move || pair.with(|p| *p == chosen)>{title}</option> }
                            }).collect_view()}
                        </select>
                        <select id="search-kind" aria-label="Kind" on:change=move |e| kind.set(event_target_value(&e))>
                            <option value="">"Everything"</option>
                            {KINDS.iter().map(|k| view! { <option value=*k>{kind_label(k)}</option> }).collect_view()}
                        </select>
                        <label>"From" <input id="search-from" type="date" prop:value=move || from.get()
                            on:change=move |e| from.set(event_target_value(&e))/></label>
                        <label>"To" <input id="search-to" type="date" prop:value=move || to.get()
                            on:change=move |e| to.set(event_target_value(&e))/></label>
                    </div>
                    <div id="search-results" class="search-results">{results}</div>
                    <p class="muted search-keys">"↑ ↓ choose · Enter opens · Esc closes"</p>
                </div>
            </div>
        </Show>
    }
}
