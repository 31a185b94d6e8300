//! "Export for ECS": the running scenario as the inputs of `create-capacity-provider`,
//! `register-task-definition` and `create-service` (`ecs-api`) or as one CloudFormation
//! template, each file shown with the `aws` command that takes it, a Copy and a Download
//! button, and the placeholders to fill in before running it. The files are the core's
//! (`to_ecs`, the same as `fleetsim export`); the browser only indents them.

use std::rc::Rc;

use fleetsim_core::to_ecs::{aws_command, cloudformation, ecs_api, Export};
use fleetsim_core::Scenario;
use yew::prelude::*;

use crate::export::{download_text, pretty_json};
use crate::share::clipboard::copy;

#[derive(Copy, Clone, PartialEq, Eq)]
enum Format {
    EcsApi,
    CloudFormation,
}

/// One file as shown: name, the command that uses it, indented JSON.
#[derive(PartialEq)]
struct Shown {
    name: String,
    command: String,
    text: String,
}

struct Rendered {
    files: Vec<Shown>,
    export: Export,
}

fn render(s: &Scenario, format: Format) -> Rendered {
    let export = match format {
        Format::EcsApi => ecs_api(s),
        Format::CloudFormation => cloudformation(s),
    };
    let files = export
        .files
        .iter()
        .map(|f| Shown {
            name: f.name.clone(),
            command: aws_command(&f.name, &f.name),
            text: pretty_json(&serde_json::to_string(&f.json).unwrap_or_default()) + "\n",
        })
        .collect();
    Rendered { files, export }
}

#[derive(Properties, PartialEq)]
pub struct EcsExportPanelProps {
    /// The running scenario.
    pub scenario: Rc<Scenario>,
    pub on_close: Callback<()>,
}

#[component]
pub fn EcsExportPanel(props: &EcsExportPanelProps) -> Html {
    let format = use_state(|| Format::EcsApi);
    let status = use_state(String::new);
    let chosen = use_state(|| 0usize);
    let rendered = use_memo(((*props.scenario).clone(), *format), |(s, f)| render(s, *f));
    let pick = |f: Format| {
        let (format, chosen) = (format.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            format.set(f);
            chosen.set(0);
        })
    };
    let show = |i: usize| {
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| chosen.set(i))
    };
    let copy_file = |i: usize| {
        let (rendered, status) = (rendered.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (rendered, status) = (rendered.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let f = &rendered.files[i];
                status.set(match copy(&f.text).await {
                    Ok(()) => format!("{}: copied", f.name),
                    Err(e) => format!("{}: {e}; select the text and copy it", f.name),
                });
            });
        })
    };
    let download = |i: usize| {
        let (rendered, status) = (rendered.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let f = &rendered.files[i];
            download_text(&f.name, "application/json", &f.text);
            status.set(format!("{}: downloaded", f.name));
        })
    };
    let download_all = {
        let (rendered, status) = (rendered.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            for f in &rendered.files {
                download_text(&f.name, "application/json", &f.text);
            }
            status.set(format!("{} files: downloaded", rendered.files.len()));
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let e = &rendered.export;
    let api = *format == Format::EcsApi;
    let current = (*chosen).min(rendered.files.len().saturating_sub(1));
    html! {
        <section class="aws-panel ecs-export" aria-label="export for ECS" data-testid="ecs-export">
            <header class="panel-bar">
                <h2>{ "Export for ECS" }</h2>
                <div role="group" aria-label="format" class="format-choice">
                    <button type="button" data-testid="ecs-format-api" aria-pressed={api.to_string()} onclick={pick(Format::EcsApi)}>{ "AWS CLI inputs (ecs-api)" }</button>
                    <button type="button" data-testid="ecs-format-cfn" aria-pressed={(!api).to_string()} onclick={pick(Format::CloudFormation)}>{ "CloudFormation template" }</button>
                </div>
                if rendered.files.len() > 1 {
                    <button type="button" data-testid="ecs-download-all" onclick={download_all}>{ format!("Download all {} files", rendered.files.len()) }</button>
                }
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            <p class="panel-hint">
                { if api {
                    html! { <>{ "Run the commands in this order: the capacity provider first, then each task definition before its service. Each file is what " }<code>{ "--cli-input-json" }</code>{ " takes." }</> }
                } else { html! {
                    "One stack with the capacity provider and each service's task definition and service, linked with Ref. Give the parameters below when you deploy it."
                } } }
            </p>
            <span class="export-status" role="status" data-testid="ecs-status">{ (*status).clone() }</span>
            if !e.placeholders.is_empty() {
                <div class="placeholders" data-testid="ecs-placeholders">
                    <h3>{ format!("Placeholders to fill in ({})", e.placeholders.len()) }</h3>
                    <p>{ if api {
                        "ECS needs these and fleetsim does not model them (your cluster, network, roles and images). Each is a PLACEHOLDER_… value in the files: search for PLACEHOLDER_ and put yours in."
                    } else {
                        "ECS needs these and fleetsim does not model them (your cluster, network, roles and images). Each is a template parameter without a default: give it with --parameter-overrides."
                    } }</p>
                    <ul class="report-lines" tabindex="0" aria-label="placeholders">{ for e.placeholders.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                </div>
            }
            if !e.not_exported.is_empty() || !e.notes.is_empty() {
                <details class="not-exported">
                    <summary>{ format!("Not exported ({}) and notes ({})", e.not_exported.len(), e.notes.len()) }</summary>
                    <p>{ "Settings of the simulation that ECS's configuration has no place for, and what to know before running the commands." }</p>
                    <ul class="report-lines">
                        { for e.not_exported.iter().map(|n| html! { <li><strong>{ "not exported: " }</strong>{ n }</li> }) }
                        { for e.notes.iter().map(|n| html! { <li><strong>{ "note: " }</strong>{ n }</li> }) }
                    </ul>
                </details>
            }
            <div class="ecs-files">
                <ol class="ecs-file-list" aria-label="files">
                    { for rendered.files.iter().enumerate().map(|(i, f)| html! {
                        <li>
                            <button type="button" data-testid="ecs-file-tab" aria-pressed={(i == current).to_string()} onclick={show(i)}>{ &f.name }</button>
                        </li>
                    }) }
                </ol>
                if let Some(f) = rendered.files.get(current) {
                    <div class="ecs-file" data-testid="ecs-file" data-file={f.name.clone()}>
                        <div class="ecs-file-bar">
                            <h3>{ &f.name }</h3>
                            <button type="button" data-testid="ecs-copy" onclick={copy_file(current)}>{ "Copy" }</button>
                            <button type="button" data-testid="ecs-download" onclick={download(current)}>{ "Download" }</button>
                        </div>
                        <code class="aws-command">{ &f.command }</code>
                        <pre class="ecs-json" data-testid="ecs-json" tabindex="0" aria-label={format!("{} contents", f.name)}>{ &f.text }</pre>
                    </div>
                }
            </div>
        </section>
    }
}
