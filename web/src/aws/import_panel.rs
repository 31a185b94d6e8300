//! "Import from AWS": pasted text and chosen or dropped files (task definitions, services,
//! capacity providers, CloudFormation in JSON or YAML, any mix) go through the core's
//! importer, which runs in a worker of its own (`importer.rs`). A scenario it accepts replaces the running one, and its report (each choice
//! made, each field ignored and why) stays beside it; a refusal names the file and JSON path
//! and leaves the running scenario alone.

use std::rc::Rc;

use web_sys::{DragEvent, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::files::{list, read_all, Loaded};
use super::importer::{self, Imported};
use crate::editor::enum_name;
use crate::format::size_label;

/// The name pasted text goes by in messages.
const PASTED: &str = "pasted text";

/// The files chosen so far. A reducer, because reads finish asynchronously: each addition
/// must apply to the list as it is then, not as it was when the read began.
#[derive(Default, PartialEq)]
struct Chosen(Vec<Loaded>);

enum Change {
    Add(Vec<Loaded>),
    Remove(usize),
}

impl Reducible for Chosen {
    type Action = Change;
    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut all = self.0.clone();
        match change {
            Change::Add(read) => all.extend(read),
            Change::Remove(i) if i < all.len() => {
                all.remove(i);
            }
            Change::Remove(_) => {}
        }
        Rc::new(Chosen(all))
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportPanelProps {
    /// The last import that was run, shown until the next one.
    pub imported: Option<Rc<Imported>>,
    /// Whether that import's scenario is the one running (not since edited or replaced).
    #[prop_or_default]
    pub running: bool,
    /// Run this import's scenario (only ever called with one the importer accepted).
    pub on_import: Callback<Rc<Imported>>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let pasted = use_state(String::new);
    let files = use_reducer(Chosen::default);
    let error = use_state(|| None::<String>);
    let dragging = use_state(|| false);
    let importing = use_state(|| false);
    // The importer's module loads while the user picks files; if it cannot start, the import
    // itself says so.
    use_effect_with((), |_| {
        let _ = importer::start();
    });

    // Adds files after the ones already chosen, so several drops make one import.
    let add = {
        let (files, error) = (files.dispatcher(), error.clone());
        Callback::from(move |chosen: Vec<web_sys::File>| {
            let (files, error) = (files.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match read_all(chosen).await {
                    Ok(read) => {
                        files.dispatch(Change::Add(read));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_choose = {
        let add = add.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Some(fl) = input.files() {
                    add.emit(list(&fl));
                }
                input.set_value("");
            }
        })
    };
    let on_drop = {
        let (add, dragging) = (add.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(fl) = e.data_transfer().and_then(|d| d.files()) {
                add.emit(list(&fl));
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Without this the browser opens a dropped file instead of handing it over.
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_paste = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                pasted.set(t.value());
            }
        })
    };
    let remove = |i: usize| {
        let files = files.dispatcher();
        Callback::from(move |_: MouseEvent| files.dispatch(Change::Remove(i)))
    };
    let run = {
        let (pasted, files, error, importing, on_import) = (
            pasted.clone(),
            files.clone(),
            error.clone(),
            importing.clone(),
            props.on_import.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let mut inputs = files.0.clone();
            if !pasted.trim().is_empty() {
                inputs.push(Loaded {
                    name: PASTED.to_string(),
                    text: (*pasted).clone(),
                });
            }
            let (error, importing, on_import) =
                (error.clone(), importing.clone(), on_import.clone());
            importing.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = importer::import(&inputs).await;
                importing.set(false);
                match result {
                    Ok(imported) => {
                        error.set(None);
                        on_import.emit(Rc::new(imported));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let nothing = files.0.is_empty() && pasted.trim().is_empty();
    let label = if *importing {
        "Importing…"
    } else {
        "Import and run"
    };

    html! {
        <section class="aws-panel import-panel" aria-label="import from AWS" data-testid="aws-import">
            <header class="panel-bar">
                <h2>{ "Import from AWS" }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            <p class="panel-hint">
                { "Task definitions, services, Managed Instances capacity providers and CloudFormation templates (JSON or YAML), in any combination: \
                   paste one, choose or drop files, or both. A service finds its task definition by family, ARN or logical ID, also across files." }
            </p>
            <div class="import-inputs">
                <label class="paste">
                    <span class="field-label">{ "Paste JSON or YAML" }</span>
                    <textarea data-testid="import-text" rows="8" spellcheck="false" value={(*pasted).clone()}
                              oninput={on_paste} placeholder="{\"family\": \"web\", \"containerDefinitions\": […]}" />
                </label>
                <div class={classes!("drop-zone", dragging.then_some("dragging"))} data-testid="import-drop"
                     ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
                    <p>{ "Drop files here, or " }</p>
                    <label class="choose">
                        { "choose files " }
                        <input type="file" multiple=true accept=".json,.yaml,.yml,.template,application/json" data-testid="import-files" onchange={on_choose} />
                    </label>
                    if !files.0.is_empty() {
                        <ul class="import-file-list" data-testid="import-file-list">
                            { for files.0.iter().enumerate().map(|(i, f)| html! {
                                <li>
                                    <span class="file-name">{ &f.name }</span>
                                    <button type="button" class="small" aria-label={format!("remove {}", f.name)} onclick={remove(i)}>{ "×" }</button>
                                </li>
                            }) }
                        </ul>
                    }
                </div>
            </div>
            <p class="import-actions">
                <button type="button" class="primary" data-testid="import-run" disabled={nothing || *importing} onclick={run}
                        title="Replace the running scenario with the imported one">{ label }</button>
            </p>
            if let Some(e) = &*error {
                <p class="field-error import-refused" role="alert" data-testid="import-error">
                    <strong>{ "Import refused: " }</strong>{ e }
                    <br />{ "The running scenario is unchanged." }
                </p>
            }
            if let Some(imported) = &props.imported {
                { result(imported, props.running) }
            }
        </section>
    }
}

/// The scenario as imported beside the report on how it was read.
fn result(imported: &Imported, running: bool) -> Html {
    let s = &imported.scenario;
    let cp = &s.capacity_provider;
    html! {
        <div class="import-result">
            <div class="imported-scenario" data-testid="import-scenario">
                <h3>{ if running {
                    format!("Running: {}", s.name)
                } else {
                    format!("Imported earlier: {} (since edited or replaced)", s.name)
                } }</h3>
                <table class="import-services">
                    <thead><tr><th scope="col">{ "Service" }</th><th scope="col">{ "Tasks" }</th><th scope="col">{ "Task size" }</th><th scope="col">{ "Deployment" }</th></tr></thead>
                    <tbody>
                        { for s.services.iter().map(|sv| {
                            let size = sv.task.size();
                            html! {
                                <tr data-testid="import-service" data-name={sv.name.clone()} data-desired={sv.desired_count.to_string()}>
                                    <th scope="row">{ &sv.name }</th>
                                    <td>{ sv.desired_count }</td>
                                    <td>{ size_label(size.cpu, size.memory) }</td>
                                    <td>{ enum_name(&sv.deployment_configuration.strategy) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <p class="muted">{ format!("{} Availability Zones · {} capacity · at most {} instances",
                    s.availability_zones.len(), enum_name(&cp.capacity_option_type), cp.max_instances) }</p>
            </div>
            <div class="import-report" data-testid="import-report">
                <h3>{ format!("Import report: {} choice{}, {} ignored", imported.choices.len(), plural(imported.choices.len()), imported.ignored.len()) }</h3>
                <ul class="report-lines" tabindex="0" aria-label="import report lines">
                    { for imported.choices.iter().map(|c| html! { <li class="choice"><strong>{ "choice: " }</strong>{ c }</li> }) }
                    { for imported.ignored.iter().map(|i| html! { <li class="ignored"><strong>{ "ignored: " }</strong>{ i }</li> }) }
                </ul>
            </div>
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
