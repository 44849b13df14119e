//! The form kit every screen builds its forms from: a labelled field (text, date, time, number,
//! URL, or a multi-line text), a select, a check box, and a card. Each field is bound to one string
//! (or flag) of the form's input through a [`Lens`], and marks itself when the form's last error
//! names it, so a failed save shows where and keeps everything typed.

use leptos::prelude::*;
use tandem_core::IpcError;

/// Reads and writes one text field of a form's input `T`.
pub struct Lens<T> {
    pub get: fn(&T) -> &String,
    pub set: fn(&mut T) -> &mut String,
}

impl<T> Clone for Lens<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Lens<T> {}

/// The [`Lens`] of field `$f` of `$t`: `lens!(NewGoal, title)`.
#[macro_export]
macro_rules! lens {
    ($t:ty, $f:ident) => {
        $crate::components::form::Lens::<$t> {
            get: |x| &x.$f,
            set: |x| &mut x.$f,
        }
    };
}

/// The CSS class of a field: marked when the form's last error was about it.
pub fn field_class(
    error: Signal<Option<IpcError>>,
    field: &'static str,
) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || {
        if error.with(|e| e.as_ref().and_then(|e| e.field.as_deref()) == Some(field)) {
            "field invalid"
        } else {
            "field"
        }
    }
}

/// How a field's input looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Input {
    #[default]
    Text,
    Date,
    Time,
    Number,
    Url,
    /// A textarea of this many rows.
    Lines(u8),
}

impl Input {
    fn html_type(self) -> &'static str {
        match self {
            Input::Text | Input::Lines(_) => "text",
            Input::Date => "date",
            Input::Time => "time",
            Input::Number => "number",
            Input::Url => "url",
        }
    }
}

/// A labelled field bound to `form` through `lens`. `name` is the input's field name in errors;
/// `id` (or `class`) is how tests and labels find the control.
#[component]
pub fn Field<T: Send + Sync + 'static>(
    form: RwSignal<T>,
    lens: Lens<T>,
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(into)] error: Signal<Option<IpcError>>,
    #[prop(optional)] input: Input,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional, into)] min: Option<String>,
    #[prop(optional, into)] max: Option<String>,
    /// The label is read by screen readers only (the placeholder says it on screen).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let value = move || form.with(|f| (lens.get)(f).clone());
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        form.update(|f| *(lens.set)(f) = v);
    };
    let control = match input {
        Input::Lines(rows) => view! {
            <textarea id=id class=class rows=rows placeholder=placeholder
                prop:value=value on:input=set></textarea>
        }
        .into_any(),
        other => view! {
            <input id=id class=class type=other.html_type() placeholder=placeholder min=min max=max
                prop:value=value on:input=set/>
        }
        .into_any(),
    };
    view! {
        <label class=field_class(error, name)>
            <span class:sr-only=hide_label>{label}</span>
            {control}
        </label>
    }
}

/// A labelled select bound to `form` through `lens`; `options` are (value, label).
#[component]
pub fn Select<T: Send + Sync + 'static>(
    form: RwSignal<T>,
    lens: Lens<T>,
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(into)] error: Signal<Option<IpcError>>,
    options: Vec<(&'static str, String)>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        form.update(|f| *(lens.set)(f) = v);
    };
    view! {
        <label class=field_class(error, name)>
            <span>{label}</span>
            <select id=id class=class on:change=set>
                {options.into_iter().map(|(value, text)| view! {
                    <option value=value selected=move || form.with(|f| (lens.get)(f) == value)>{text}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// A check box bound to one flag of `form`.
#[component]
pub fn Check<T: Send + Sync + 'static>(
    form: RwSignal<T>,
    get: fn(&T) -> bool,
    set: fn(&mut T, bool),
    #[prop(into)] label: String,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" id=id prop:checked=move || form.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.update(|f| set(f, on));
                }/>
            <span>{label}</span>
        </label>
    }
}

/// A card: a section with a heading and an id tests and links find it by.
#[component]
pub fn Card(
    id: &'static str,
    #[prop(into)] title: String,
    /// Buttons beside the heading.
    #[prop(optional)]
    actions: Option<ChildrenFn>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card" id=id>
            {match actions {
                Some(actions) => view! {
                    <div class="section-head">
                        <h2>{title}</h2>
                        <div class="actions left">{actions()}</div>
                    </div>
                }.into_any(),
                None => view! { <h2>{title}</h2> }.into_any(),
            }}
            {children()}
        </section>
    }
}
