//! The progress summary: pick a template and a period, adjust the programme's bar, see exactly
//! what will be exported, and save it as Markdown, HTML or PDF.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_core::IpcError;
use tandem_core::contract::{
    EditArgs, EditPair, ExportArgs, ExportSummary, PeriodArgs, SummaryPreview,
};
use tandem_core::pair::input::BarLineInput;
use tandem_core::pair::{BarEdit, Edit};
use tandem_core::summary::{BarRow, Preview};

use crate::components::error::ErrorBanner;
use crate::components::form::field_class;
use crate::components::search::SearchButton;
use crate::ipc;
use crate::nav::{Nav, Screen};

/// Where the screen stands: the pair, the template and the period asked for.
#[derive(Clone, Copy)]
struct Query {
    id: StoredValue<String>,
    template: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    preview: RwSignal<Option<Result<Preview, IpcError>>>,
    error: RwSignal<Option<IpcError>>,
}

impl Query {
    /// The template and period asked for.
    fn period(self) -> PeriodArgs {
        PeriodArgs {
            id: self.id.get_value(),
            template: self.template.get_untracked(),
            from: self.from.get_untracked(),
            to: self.to.get_untracked(),
        }
    }

    /// Fetches the preview for the current template and period. A bad date keeps the last
    /// preview on screen and says what is wrong.
    fn load(self) {
        spawn_local(async move {
            let r = ipc::call::<SummaryPreview>(&self.period()).await;
            match r {
                Ok(p) => {
                    self.error.set(None);
                    self.template.set(p.summary.template.clone());
                    self.preview.set(Some(Ok(p)));
                }
                Err(e) if self.preview.with_untracked(|p| matches!(p, Some(Ok(_)))) => {
                    self.error.set(Some(e));
                }
                Err(e) => self.preview.set(Some(Err(e))),
            }
        });
    }

    /// Applies a bar edit, then shows the summary as it now stands.
    fn edit(self, edit: Edit, error: RwSignal<Option<IpcError>>, then: impl FnOnce() + 'static) {
        spawn_local(async move {
            let args = EditArgs {
                id: self.id.get_value(),
                edit,
            };
            match ipc::call::<EditPair>(&args).await {
                Ok(_) => {
                    error.set(None);
                    then();
                    self.load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    }
}

/// One line of the bar with what the pair may change on it.
#[component]
fn BarLineEditor(q: Query, row: BarRow) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let open = RwSignal::new(false);
    let min = RwSignal::new(row.min.map(|n| n.to_string()).unwrap_or_default());
    let since = RwSignal::new(row.since.clone().unwrap_or_default());
    let met = RwSignal::new(row.met);
    let evidence = RwSignal::new(row.note.clone().unwrap_or_default());
    let excluded = RwSignal::new(row.excluded);
    let line = StoredValue::new(row.id.clone());
    let (has_min, needs_since, attested, custom) =
        (row.min.is_some(), row.needs_since, row.attested, row.custom);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::Bar(BarEdit::SetLine {
            template: q.template.get_untracked(),
            line: line.get_value(),
            input: BarLineInput {
                min: if has_min {
                    min.get_untracked()
                } else {
                    String::new()
                },
                since: since.get_untracked(),
                met: attested.then(|| met.get_untracked()),
                evidence: evidence.get_untracked(),
                excluded: excluded.get_untracked(),
            },
        });
        q.edit(edit, error, move || open.set(false));
    };
    let remove = move |_| {
        let edit = Edit::Bar(BarEdit::RemoveLine {
            template: q.template.get_untracked(),
            line: line.get_value(),
        });
        q.edit(edit, error, || {});
    };
    let (status, class) = if row.excluded {
        ("Does not apply", "bar-status na")
    } else if row.met {
        ("Met", "bar-status met")
    } else {
        ("Not yet", "bar-status unmet")
    };
    let error_id = format!("bar-error-{}", row.id);
    view! {
        <li class="bar-line" data-line=row.id.clone()>
            <div class="bar-head">
                <span class=class>{status}</span>
                <span class="bar-requirement">{row.requirement.clone()}</span>
                <button class="ghost adjust-line" on:click=move |_| open.update(|o| *o = !*o)>"Adjust"</button>
            </div>
            <p class="muted bar-evidence">{row.evidence.clone()}</p>
            <Show when=move || open.get()>
                <form class="form bar-form" on:submit=save novalidate>
                    <div class="row">
                        {has_min.then(|| view! {
                            <label class=field_class(err, "min")>
                                <span>"Threshold"</span>
                                <input class="bar-min" type="number" min="0" max="1000" prop:value=move || min.get()
                                    on:input=move |ev| min.set(event_target_value(&ev))/>
                            </label>
                        })}
                        {needs_since.then(|| view! {
                            <label class=field_class(err, "since")>
                                <span>"Since"</span>
                                <input class="bar-since" type="date" prop:value=move || since.get()
                                    on:input=move |ev| since.set(event_target_value(&ev))/>
                            </label>
                        })}
                        {attested.then(|| view! {
                            <label class="check">
                                <input class="bar-met" type="checkbox" prop:checked=move || met.get()
                                    on:change=move |ev| met.set(event_target_checked(&ev))/>
                                <span>"Met"</span>
                            </label>
                        })}
                        {(!custom).then(|| view! {
                            <label class="check">
                                <input class="bar-excluded" type="checkbox" prop:checked=move || excluded.get()
                                    on:change=move |ev| excluded.set(event_target_checked(&ev))/>
                                <span>"Does not apply"</span>
                            </label>
                        })}
                    </div>
                    <label class=field_class(err, "evidence")>
                        <span>"Evidence in your words"</span>
                        <input class="bar-note" type="text" prop:value=move || evidence.get()
                            on:input=move |ev| evidence.set(event_target_value(&ev))/>
                    </label>
                    <div class="actions">
                        {custom.then(|| view! { <button type="button" class="ghost remove-line" on:click=remove>"Remove line"</button> })}
                        <button type="button" class="ghost" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="primary save-line">"Save"</button>
                    </div>
                    <ErrorBanner error=err id=error_id.clone()/>
                </form>
            </Show>
        </li>
    }
}

/// The bar, line by line, with a line of the pair's own and the programme's start.
#[component]
fn BarEditor(q: Query, preview: Preview) -> impl IntoView {
    let error = RwSignal::new(None::<IpcError>);
    let err: Signal<Option<IpcError>> = error.into();
    let requirement = RwSignal::new(String::new());
    let start = RwSignal::new(preview.start.clone().unwrap_or_default());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::Bar(BarEdit::AddLine {
            template: q.template.get_untracked(),
            requirement: requirement.get_untracked(),
        });
        q.edit(edit, error, move || requirement.set(String::new()));
    };
    let set_start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Edit::Bar(BarEdit::SetStart {
            template: q.template.get_untracked(),
            start: start.get_untracked(),
        });
        q.edit(edit, error, || {});
    };
    let (met, total) = preview.summary.score();
    view! {
        <section class="card" id="bar">
            <h2 id="bar-score">{format!("The bar: {met} of {total} met")}</h2>
            <p class="muted">{preview.summary.about.clone()}</p>
            <ul class="bar-lines">
                {preview.summary.bar.into_iter().map(|row| view! { <BarLineEditor q=q row=row/> }).collect_view()}
            </ul>
            {preview.uses_start.then(|| view! {
                <form class="form inline" id="programme-start" on:submit=set_start novalidate>
                    <label class=field_class(err, "start")>
                        <span>"Programme started on"</span>
                        <input id="bar-start" type="date" prop:value=move || start.get()
                            on:input=move |ev| start.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="ghost">"Set"</button>
                </form>
            })}
            <form class="form inline" id="add-line" on:submit=add novalidate>
                <label class=field_class(err, "requirement")>
                    <span>"Add a requirement of your own"</span>
                    <input id="new-line" type="text" placeholder="e.g. Shadowed a release team"
                        prop:value=move || requirement.get()
                        on:input=move |ev| requirement.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="ghost" id="add-line-button">"Add"</button>
            </form>
            <ErrorBanner error=err id="bar-error"/>
        </section>
    }
}

#[component]
pub fn SummaryPage(id: String) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let q = Query {
        id: StoredValue::new(id),
        template: RwSignal::new(String::new()),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
        preview: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    q.load();
    let tab = RwSignal::new("page");
    let saved = RwSignal::new(None::<String>);
    let export = move |format: &'static str| {
        spawn_local(async move {
            let args = ExportArgs {
                period: q.period(),
                format: format.into(),
            };
            // Cancelled in the save dialog: nothing changes.
            match ipc::call::<ExportSummary>(&args).await {
                Ok(Some(path)) => {
                    q.error.set(None);
                    saved.set(Some(path));
                }
                Ok(None) => {}
                Err(e) => q.error.set(Some(e)),
            }
        });
    };
    let err: Signal<Option<IpcError>> = q.error.into();
    let back = move |_| nav.go(Screen::Pair(q.id.get_value()));
    view! {
        <header class="topbar">
            <button id="back-to-pair" class="ghost" on:click=back>"← Pair"</button>
            <h1>"Progress summary"</h1>
            <SearchButton/>
        </header>
        <main class="page wide">
            {move || match q.preview.get() {
                None => view! { <p class="muted">"Preparing the summary…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(p)) => {
                    let templates = p.templates.clone();
                    let current = p.summary.template.clone();
                    let (from, to) = (p.summary.from.clone(), p.summary.to.clone());
                    let markdown = p.markdown.clone();
                    let html = p.html.clone();
                    view! {
                        <section class="card summary-controls">
                            <div class="row">
                                <label class="field">
                                    <span>"Template"</span>
                                    <select id="summary-template" on:change=move |ev| {
                                        q.template.set(event_target_value(&ev));
                                        saved.set(None);
                                        q.load();
                                    }>
                                        {templates.into_iter().map(|t| {
                                            let selected = t.id == current;
                                            view! { <option value=t.id.clone() selected=selected>{t.name}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label class=field_class(err, "from")>
                                    <span>"From"</span>
                                    <input id="summary-from" type="date" value=from
                                        on:change=move |ev| { q.from.set(event_target_value(&ev)); q.load(); }/>
                                </label>
                                <label class=field_class(err, "to")>
                                    <span>"To"</span>
                                    <input id="summary-to" type="date" value=to
                                        on:change=move |ev| { q.to.set(event_target_value(&ev)); q.load(); }/>
                                </label>
                            </div>
                            <div class="actions left">
                                <button id="export-md" class="primary" on:click=move |_| export("md")>"Save Markdown…"</button>
                                <button id="export-html" class="ghost" on:click=move |_| export("html")>"Save HTML…"</button>
                                <button id="export-pdf" class="ghost" on:click=move |_| export("pdf")>"Save PDF…"</button>
                            </div>
                            <ErrorBanner error=err id="summary-error"/>
                            {move || saved.get().map(|path| view! {
                                <crate::components::saved::SavedFile path=path id="summary-saved"/>
                            })}
                            <p class="muted">"Only what you see in the preview is exported: never session notes, private notes or feedback not marked shareable."</p>
                        </section>
                        <div class="summary-layout">
                            <BarEditor q=q preview=p/>
                            <section class="card preview">
                                <div class="tabs" role="tablist">
                                    <button id="tab-page" role="tab" class=move || if tab.get() == "page" { "tab active" } else { "tab" }
                                        on:click=move |_| tab.set("page")>"Page (HTML and PDF)"</button>
                                    <button id="tab-markdown" role="tab" class=move || if tab.get() == "markdown" { "tab active" } else { "tab" }
                                        on:click=move |_| tab.set("markdown")>"Markdown"</button>
                                </div>
                                <Show when=move || tab.get() == "page">
                                    <iframe id="summary-preview" title="Preview of the summary" sandbox="allow-same-origin"
                                        srcdoc=html.clone()></iframe>
                                </Show>
                                <Show when=move || tab.get() == "markdown">
                                    <textarea id="summary-markdown" readonly prop:value=markdown.clone()></textarea>
                                </Show>
                            </section>
                        </div>
                    }.into_any()
                }
            }}
        </main>
    }
}
