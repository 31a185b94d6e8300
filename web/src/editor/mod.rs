//! The scenario editor: a form over a draft `Scenario`, validated on every change by the
//! core's own `validate()` (one source of truth), each message shown next to the field its
//! JSON path names. Apply hands the draft to the app; the JSON file it exports is
//! `Scenario::to_json` (indented by the browser), which `Scenario::from_json` reads back to an
//! equal scenario.

mod ctx;
mod fields;
mod general;
mod services;
mod timing;

use std::rc::Rc;

use fleetsim_core::{Scenario, ValidationErrors};
use yew::prelude::*;

pub use ctx::enum_name;
use ctx::Ctx;

/// The draft and its reducer: edits are pure functions of the scenario.
struct Draft(Scenario);

enum DraftAction {
    Edit(Rc<dyn Fn(&mut Scenario)>),
    Reset(Box<Scenario>),
}

impl Reducible for Draft {
    type Action = DraftAction;
    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        match action {
            DraftAction::Edit(f) => {
                let mut s = self.0.clone();
                f(&mut s);
                Rc::new(Draft(s))
            }
            DraftAction::Reset(s) => Rc::new(Draft(*s)),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioEditorProps {
    /// The scenario to start from (the one running now).
    pub scenario: Scenario,
    /// Run this scenario (only ever called with a valid one).
    pub on_apply: Callback<Scenario>,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

fn file_name(s: &Scenario) -> String {
    let slug: String = s
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    format!("{}.json", if slug.is_empty() { "scenario" } else { slug })
}

#[component]
pub fn ScenarioEditor(props: &ScenarioEditorProps) -> Html {
    let draft = use_reducer(|| Draft(props.scenario.clone()));
    let import_error = use_state(|| None::<String>);
    {
        let draft = draft.dispatcher();
        use_effect_with(props.scenario.clone(), move |s| {
            draft.dispatch(DraftAction::Reset(Box::new(s.clone())))
        });
    }
    let errors = Rc::new(
        draft
            .0
            .validate()
            .err()
            .unwrap_or_else(|| ValidationErrors(Vec::new())),
    );
    let ctx = Ctx {
        edit: {
            let d = draft.dispatcher();
            Callback::from(move |f| d.dispatch(DraftAction::Edit(f)))
        },
        errors: Rc::clone(&errors),
    };
    let s = &draft.0;

    let apply = {
        let (on_apply, s) = (props.on_apply.clone(), s.clone());
        Callback::from(move |_| on_apply.emit(s.clone()))
    };
    let reset = {
        let (d, s) = (draft.dispatcher(), props.scenario.clone());
        Callback::from(move |_| d.dispatch(DraftAction::Reset(Box::new(s.clone()))))
    };
    let export = {
        let s = s.clone();
        Callback::from(move |_| crate::export::download_json(&file_name(&s), &s.to_json()))
    };
    let import = {
        let (d, import_error) = (draft.dispatcher(), import_error.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (d, import_error) = (d.clone(), import_error.clone());
            // Refused before reading when it cannot be a scenario (the core's byte limit).
            if file.size() > fleetsim_core::scenario::MAX_SCENARIO_BYTES as f64 {
                import_error.set(Some(format!(
                    "{} is {} bytes, the limit is {} bytes",
                    file.name(),
                    file.size(),
                    fleetsim_core::scenario::MAX_SCENARIO_BYTES
                )));
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string());
                match text.map(|t| Scenario::from_json(&t)) {
                    Some(Ok(s)) => {
                        import_error.set(None);
                        d.dispatch(DraftAction::Reset(Box::new(s)));
                    }
                    Some(Err(e)) => import_error.set(Some(e.to_string())),
                    None => import_error.set(Some("the file could not be read".into())),
                }
            });
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let n = errors.0.len();
    let changed = *s != props.scenario;
    html! {
        <section class="scenario-editor" aria-label="scenario editor" data-testid="editor">
            <header class="editor-bar">
                <h2>{ "Scenario editor" }</h2>
                <button type="button" class="primary" data-testid="editor-apply" disabled={n > 0} onclick={apply}
                        title="Start the simulation over with this scenario">{ "Apply and restart" }</button>
                <button type="button" disabled={!changed} onclick={reset}>{ "Discard changes" }</button>
                <button type="button" data-testid="editor-export" onclick={export}>{ "Export JSON" }</button>
                <label class="import">
                    { "Import JSON " }
                    <input type="file" accept=".json,application/json" data-testid="editor-import" onchange={import} />
                </label>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            if let Some(e) = &*import_error {
                <p class="field-error" role="alert" data-testid="import-error">{ format!("Import refused: {e}") }</p>
            }
            <p class="editor-status" data-testid="editor-status" data-errors={n.to_string()}>
                { if n == 0 { "Valid scenario.".to_string() } else { format!("{n} problem{} to fix before applying.", if n == 1 { "" } else { "s" }) } }
            </p>
            <div class="editor-body">
                { general::general(&ctx, s) }
                { general::zones(&ctx, s) }
                { general::capacity(&ctx, s) }
                { services::services(&ctx, s) }
                { services::standalone(&ctx, s) }
                { general::patching(&ctx, s) }
                { timing::timing(&ctx, s) }
                { timing::faults(&ctx, s) }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        let mut s = Scenario {
            name: "../Évil <b>name</b>".into(),
            ..Scenario::default()
        };
        let f = file_name(&s);
        assert!(
            f.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            "{f}"
        );
        s.name = "".into();
        assert_eq!(file_name(&s), "scenario.json");
    }
}
