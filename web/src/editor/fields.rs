//! Form fields that show the core's validation messages for their JSON path right next to
//! them. A field commits on `change` (blur or Enter); text that is not even a number stays in
//! the box with its own message, so nothing the user typed is silently replaced.

use std::rc::Rc;

use fleetsim_core::ValidationErrors;
use yew::prelude::*;

/// Parses the box's text and applies it to the draft, or says why it cannot.
pub type Commit = Callback<String, Result<(), String>>;

fn messages(errors: &ValidationErrors, path: &str) -> Vec<String> {
    errors.for_path(path).map(|e| e.message.clone()).collect()
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub path: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub errors: Rc<ValidationErrors>,
    pub on_commit: Commit,
    /// `number` (whole or decimal) or `text`.
    #[prop_or(AttrValue::Static("number"))]
    pub kind: AttrValue,
    /// The tooltip: the field's help.
    #[prop_or_default]
    pub hint: AttrValue,
    /// Shown after the label: "s", "MiB".
    #[prop_or_default]
    pub unit: AttrValue,
    /// Shown under the box: "0–3600 s, default 90 s".
    #[prop_or_default]
    pub range: AttrValue,
}

#[component]
pub fn Field(props: &FieldProps) -> Html {
    // The text that did not parse, and why: shown instead of the draft's value until the
    // draft changes, so the user can correct what they typed.
    let local = use_state(|| None::<(String, String)>);
    {
        // A new value from outside (reset, import) clears a stale parse message.
        let local = local.clone();
        use_effect_with(props.value.clone(), move |_| local.set(None));
    }
    let onchange = {
        let (commit, local) = (props.on_commit.clone(), local.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                let text = input.value();
                local.set(commit.emit(text.clone()).err().map(|why| (text, why)));
            }
        })
    };
    let mut msgs: Vec<String> = local.iter().map(|(_, why)| why.clone()).collect();
    let value = local.as_ref().map_or_else(
        || props.value.clone(),
        |(text, _)| AttrValue::from(text.clone()),
    );
    msgs.extend(messages(&props.errors, &props.path));
    let invalid = !msgs.is_empty();
    let input_mode = if props.kind == "number" {
        "decimal"
    } else {
        "text"
    };
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))} data-path={props.path.clone()}>
            <span class="field-label">{ props.label.clone() }
                if !props.unit.is_empty() { { format!(" ({})", props.unit) } }
                { crate::provenance::badge(&props.path) }</span>
            <input type="text" inputmode={input_mode} {value} {onchange}
                   aria-invalid={invalid.to_string()} title={props.hint.clone()} />
            if !props.range.is_empty() {
                <small class="field-range">{ props.range.clone() }</small>
            }
            { for msgs.into_iter().map(|m| html! {
                <span class="field-error" data-error-for={props.path.clone()}>{ m }</span>
            }) }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub path: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub errors: Rc<ValidationErrors>,
    pub on_change: Callback<bool>,
}

#[component]
pub fn Check(props: &CheckProps) -> Html {
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                cb.emit(input.checked());
            }
        })
    };
    let msgs = messages(&props.errors, &props.path);
    html! {
        <label class="field check" data-path={props.path.clone()}>
            <input type="checkbox" checked={props.checked} {onchange} />
            <span class="field-label">{ props.label.clone() }{ crate::provenance::badge(&props.path) }</span>
            { for msgs.into_iter().map(|m| html! { <span class="field-error" data-error-for={props.path.clone()}>{ m }</span> }) }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub path: AttrValue,
    pub label: AttrValue,
    /// (value, label) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub errors: Rc<ValidationErrors>,
    pub on_change: Callback<String>,
}

#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                cb.emit(select.value());
            }
        })
    };
    let msgs = messages(&props.errors, &props.path);
    html! {
        <label class="field" data-path={props.path.clone()}>
            <span class="field-label">{ props.label.clone() }{ crate::provenance::badge(&props.path) }</span>
            <select {onchange}>
                { for props.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={props.selected == *v}>{ l.clone() }</option>
                }) }
            </select>
            { for msgs.into_iter().map(|m| html! { <span class="field-error" data-error-for={props.path.clone()}>{ m }</span> }) }
        </label>
    }
}

/// Messages for a path that has no field of its own (a list, a section).
pub fn section_errors(errors: &ValidationErrors, path: &str) -> Html {
    html! {
        { for messages(errors, path).into_iter().map(|m| html! {
            <p class="field-error" data-error-for={path.to_string()}>{ m }</p>
        }) }
    }
}
