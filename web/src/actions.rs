//! Acting on the world: service desired counts, the start-deployment form, and the details
//! panel of the selected host or task with its actions and history. Everything goes through
//! core `Command`s, so it is recorded, replayed on rewind, and shareable.

use fleetsim_core::deploy::ExampleHook;
use fleetsim_core::scenario::fields::{
    FieldSpec, Unit, BAKE_TIME, CANARY_BAKE_TIME, CANARY_PERCENT, DESIRED_COUNT,
    PROTECTION_MINUTES, STEP_BAKE_TIME, STEP_PERCENT,
};
use fleetsim_core::scenario::{DeploymentConfiguration, RevisionSpec, Strategy, Tenths};
use fleetsim_core::time::DAY;
use fleetsim_core::world::{HostId, ServiceId, TaskId};
use fleetsim_core::Command;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::charts::canvas::time_only;
use crate::format::bp_percent;
use crate::state::{Action, Selection, SharedRef};

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub shared: SharedRef,
    pub generation: u64,
    pub dispatch: Callback<Action>,
}

/// Services with their desired count, − / + buttons and a number field.
#[component]
pub fn ServicesPanel(props: &PanelProps) -> Html {
    let engine = props.shared.0.engine.borrow();
    let sim = engine.sim();
    // A service whose AZ rebalancing is ENABLED but cannot run says why (never silently).
    let notes: Vec<Option<&'static str>> = sim
        .services()
        .iter()
        .map(|s| {
            sim.scenario().services[s.spec as usize]
                .rebalancing_unavailable()
                .map(|u| u.reason())
        })
        .collect();
    let rows: Vec<(String, u32, u32, u32)> = sim
        .services()
        .iter()
        .map(|s| {
            let c = sim.live_counts(s.id);
            (s.name.clone(), s.desired, c.live, c.green)
        })
        .collect();
    drop(engine);
    let set = |service: &str, count: u32| {
        let (d, service) = (props.dispatch.clone(), service.to_string());
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::Command(Command::SetDesiredCount {
                service: service.clone(),
                count,
            }))
        })
    };
    html! {
        <section class="panel services" aria-label="Services">
            <h3>{ "Services" }</h3>
            <table>
                <thead><tr><th>{ "Service" }</th><th>{ "Tasks" }</th><th>{ format!("Desired count ({})", DESIRED_COUNT.range_text()) }</th></tr></thead>
                <tbody>
                { for rows.iter().enumerate().map(|(i, (name, desired, live, green))| {
                    let onchange = {
                        let (d, name) = (props.dispatch.clone(), name.clone());
                        Callback::from(move |e: Event| {
                            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
                            if v.is_finite() {
                                d.emit(Action::Command(Command::SetDesiredCount { service: name.clone(), count: as_field(&DESIRED_COUNT, v) }))
                            }
                        })
                    };
                    html! {
                        <tr data-testid="service-row">
                            <td><span class={classes!("swatch", crate::format::service_class(i as u32))}></span>{ name }
                                if let Some(why) = notes.get(i).copied().flatten() {
                                    <small class="muted rebalance-off" data-testid="rebalancing-unavailable"
                                        title={format!("ECS does not rebalance this service across Availability Zones: {why}")}>
                                        { format!(" · no AZ rebalancing: {why}") }</small>
                                }
                            </td>
                            <td class="num">{ if *green > 0 { format!("{live} ({green} green)") } else { live.to_string() } }</td>
                            <td class="desired">
                                <button class="small" aria-label={format!("Fewer {name} tasks")} onclick={set(name, desired.saturating_sub(1))}>{ "−" }</button>
                                <input type="number" min={DESIRED_COUNT.min.to_string()} max={DESIRED_COUNT.max.to_string()} value={desired.to_string()} {onchange}
                                    aria-label={format!("Desired count of {name}")} />
                                <button class="small" aria-label={format!("More {name} tasks")} onclick={set(name, desired + 1)}>{ "+" }</button>
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}

/// The form's hook menu: none, or one of the core's example hooks.
type HookChoice = Option<ExampleHook>;

const HOOK_CHOICES: [(HookChoice, &str, &str); 4] = [
    (None, "none", "No lifecycle hook"),
    (
        Some(ExampleHook::Pause),
        "pause",
        "Pause before production traffic (answer with Continue / Roll back)",
    ),
    (
        Some(ExampleHook::LambdaPasses),
        "lambda-pass",
        "Lambda test after test traffic: passes",
    ),
    (
        Some(ExampleHook::LambdaFails),
        "lambda-fail",
        "Lambda test after test traffic: fails",
    ),
];

/// The deployment's numbers as the user changed them; `None` keeps the service's own.
#[derive(Clone, PartialEq)]
struct Form {
    service: usize,
    /// `None`, or a name the service does not have: the service's first revision.
    revision: Option<String>,
    strategy: Strategy,
    bake: Option<u32>,
    canary_tenths: Option<u32>,
    canary_bake: Option<u32>,
    step_tenths: Option<u32>,
    step_bake: Option<u32>,
    hook: HookChoice,
}

/// A number typed into a box, as the field holds it (tenths for a decimal percentage). It is
/// not clamped to the field's range: the core refuses a value outside it with a message that
/// names the field and the range, which the page shows, instead of silently using another.
fn as_field(spec: &FieldSpec, typed: f64) -> u32 {
    let v = if spec.unit == Unit::PercentTenths {
        (typed * 10.0).round()
    } else {
        typed.round()
    };
    // `as` saturates: a negative or huge number stays out of range and is refused.
    v as u32
}

/// The box for one deployment-configuration field, with the core's range and help.
fn spec_box(spec: &FieldSpec, label: &str, value: u32, onchange: Callback<Event>) -> Html {
    let number = |v: u64| match (spec.unit, u32::try_from(v)) {
        (Unit::PercentTenths, Ok(t)) => Tenths(t).to_string(),
        _ => v.to_string(),
    };
    let step = if spec.unit == Unit::PercentTenths {
        "0.1"
    } else {
        "1"
    };
    html! {
        <label title={spec.help}>{ format!("{label}, {}", spec.range_text()) }
            <input type="number" min={number(spec.min)} max={number(spec.max)} {step}
                value={number(value.into())} {onchange} />
        </label>
    }
}

/// StartDeployment with the strategy's parameters, in the documented ranges.
#[component]
pub fn DeployForm(props: &PanelProps) -> Html {
    let form = use_state(|| Form {
        service: 0,
        revision: None,
        strategy: Strategy::Canary,
        bake: None,
        canary_tenths: None,
        canary_bake: None,
        step_tenths: None,
        step_bake: None,
        hook: None,
    });
    let engine = props.shared.0.engine.borrow();
    let sim = engine.sim();
    let specs: Vec<(String, Vec<RevisionSpec>, DeploymentConfiguration)> = sim
        .scenario()
        .services
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.revisions.clone(),
                s.deployment_configuration.clone(),
            )
        })
        .collect();
    let busy = specs
        .get(form.service)
        .is_some_and(|_| sim.deployment_active(ServiceId(form.service as u32)));
    drop(engine);
    let Some((svc_name, revisions, base)) = specs.get(form.service).cloned() else {
        return html! {};
    };
    let revision = form
        .revision
        .as_ref()
        .and_then(|r| revisions.iter().find(|x| x.name == *r))
        .or(revisions.first())
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let select = |apply: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut f = (*form).clone();
            apply(&mut f, v);
            form.set(f);
        })
    };
    let number = |apply: fn(&mut Form, f64)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<HtmlInputElement>()
                .value_as_number();
            if v.is_finite() {
                let mut f = (*form).clone();
                apply(&mut f, v);
                form.set(f);
            }
        })
    };
    let shown = with_form(&base, &form);
    let submit = {
        let (form, d, revision) = (form.clone(), props.dispatch.clone(), revision.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = &*form;
            let mut cfg = with_form(&base, f);
            cfg.lifecycle_hooks.extend(f.hook.map(ExampleHook::hook));
            d.emit(Action::Command(Command::StartDeployment {
                service: svc_name.clone(),
                revision: revision.clone(),
                configuration: Some(cfg),
            }))
        })
    };
    let f = &*form;
    html! {
        <section class="panel deploy-form" aria-label="Start a deployment">
            <h3>{ "Start a deployment" }</h3>
            <form onsubmit={submit} data-testid="deploy-form">
                <label>{ "Service" }
                    <select data-testid="deploy-service" onchange={select(|f, v| f.service = v.parse().unwrap_or(0))}>
                        { for specs.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == f.service}>{ s.0.clone() }</option> }) }
                    </select>
                </label>
                <label>{ "Revision" }
                    <select data-testid="deploy-revision" onchange={select(|f, v| f.revision = Some(v))}>
                        { for revisions.iter().map(|r| html! { <option value={r.name.clone()} selected={r.name == revision}>
                            { format!("{} ({} errors)", r.name, bp_percent(r.error_rate_bp)) }</option> }) }
                    </select>
                </label>
                <label>{ "Strategy" }
                    <select data-testid="deploy-strategy" onchange={select(|f, v| {
                        f.strategy = Strategy::ALL.into_iter().find(|s| s.api_name() == v).unwrap_or_default()
                    })}>
                        { for Strategy::ALL.iter().map(|s| html! { <option value={s.api_name()} selected={*s == f.strategy}>{ s.api_name() }</option> }) }
                    </select>
                </label>
                if f.strategy != Strategy::Rolling {
                    { spec_box(&BAKE_TIME, "Bake time", shown.bake_time_in_minutes,
                        number(|f, v| f.bake = Some(as_field(&BAKE_TIME, v)))) }
                }
                if f.strategy == Strategy::Canary {
                    { spec_box(&CANARY_PERCENT, "Canary", shown.canary_configuration.canary_percent.0,
                        number(|f, v| f.canary_tenths = Some(as_field(&CANARY_PERCENT, v)))) }
                    { spec_box(&CANARY_BAKE_TIME, "Canary bake", shown.canary_configuration.canary_bake_time_in_minutes,
                        number(|f, v| f.canary_bake = Some(as_field(&CANARY_BAKE_TIME, v)))) }
                }
                if f.strategy == Strategy::Linear {
                    { spec_box(&STEP_PERCENT, "Step", shown.linear_configuration.step_percent.0,
                        number(|f, v| f.step_tenths = Some(as_field(&STEP_PERCENT, v)))) }
                    { spec_box(&STEP_BAKE_TIME, "Step bake", shown.linear_configuration.step_bake_time_in_minutes,
                        number(|f, v| f.step_bake = Some(as_field(&STEP_BAKE_TIME, v)))) }
                }
                if f.strategy != Strategy::Rolling {
                    <label class="wide">{ "Lifecycle hook" }
                        <select data-testid="deploy-hook" onchange={select(|f, v| {
                            f.hook = HOOK_CHOICES.iter().find(|h| h.1 == v).and_then(|h| h.0)
                        })}>
                            { for HOOK_CHOICES.iter().map(|(h, id, label)| html! { <option value={*id} selected={*h == f.hook}>{ *label }</option> }) }
                        </select>
                    </label>
                }
                <button class="primary" type="submit" data-testid="deploy-start" disabled={busy}>
                    { if busy { "Deployment in progress" } else { "Start deployment" } }
                </button>
            </form>
        </section>
    }
}

/// The service's deployment configuration with the form's strategy and changed numbers.
fn with_form(base: &DeploymentConfiguration, f: &Form) -> DeploymentConfiguration {
    let mut cfg = base.clone();
    cfg.strategy = f.strategy;
    let (canary, linear) = (&mut cfg.canary_configuration, &mut cfg.linear_configuration);
    for (set, to) in [
        (&mut cfg.bake_time_in_minutes, f.bake),
        (&mut canary.canary_percent.0, f.canary_tenths),
        (&mut canary.canary_bake_time_in_minutes, f.canary_bake),
        (&mut linear.step_percent.0, f.step_tenths),
        (&mut linear.step_bake_time_in_minutes, f.step_bake),
    ] {
        if let Some(v) = to {
            *set = v;
        }
    }
    cfg
}

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub shared: SharedRef,
    pub generation: u64,
    pub selection: Option<Selection>,
    pub dispatch: Callback<Action>,
}

/// Facts, actions and recent history of the selected host or task.
#[component]
pub fn DetailsPanel(props: &DetailsProps) -> Html {
    let Some(selection) = props.selection else {
        return html! {
            <section class="panel details" aria-label="Selection">
                <h3>{ "Selection" }</h3>
                <p class="muted">{ "Click a host card or a task chip to see what it is, why it is there, and to act on it." }</p>
            </section>
        };
    };
    let engine = props.shared.0.engine.borrow();
    let sim = engine.sim();
    let names = sim.names();
    let cmd = |c: Command| {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::Command(c.clone())))
    };
    let close = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::Select(None)))
    };
    let select = |s: Selection| {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::Select(Some(s))))
    };
    let history: Vec<Html> = engine
        .log()
        .iter()
        .rev()
        .filter(|e| match selection {
            Selection::Host(h) => e.event.kind.host() == Some(HostId(h)),
            Selection::Task(t) => e.event.kind.task() == Some(TaskId(t)),
        })
        .take(12)
        .map(|e| html! { <li><time>{ time_only(e.event.at) }</time>{ " " }{ sim.describe(&e.event) }</li> })
        .collect();
    let protect_default = PROTECTION_MINUTES.default.unwrap_or(0).into();
    let body = match selection {
        Selection::Host(id) => match sim.host(HostId(id)) {
            None => {
                html! { <p class="muted">{ format!("Host {} is gone (terminated). Rewind to see it.", HostId(id)) }</p> }
            }
            Some(h) => {
                let t = &sim.catalog()[h.instance_type as usize];
                let kept = sim.host_kept_reason(h.id).map(|k| names.keep(&k));
                html! {
                    <>
                    <dl class="facts">
                        <dt>{ "Host" }</dt><dd>{ h.id.to_string() }</dd>
                        <dt>{ "Type" }</dt><dd>{ format!("{} · {} vCPU · {} GiB", t.name, t.vcpu, t.memory_mib / 1024) }</dd>
                        <dt>{ "Zone" }</dt><dd>{ names.az(h.az) }</dd>
                        <dt>{ "Status" }</dt><dd>{ h.status.to_string() }</dd>
                        <dt>{ "Tasks" }</dt><dd>{ h.tasks.len() }</dd>
                        <dt>{ "Age" }</dt><dd>{ format!("{:.1} days (image v{})", h.age_ms(sim.now()) as f64 / DAY as f64, h.image_version) }</dd>
                        if let Some(d) = h.drain { <><dt>{ "Draining" }</dt><dd>{ names.drain_cause(&d) }</dd></> }
                        if let Some(k) = kept { <><dt>{ "Kept" }</dt><dd>{ k }</dd></> }
                    </dl>
                    <div class="actions" role="group" aria-label="Host actions">
                        <button data-testid="host-drain" onclick={cmd(Command::DrainHost { host: id })}>{ "Drain" }</button>
                        <button data-testid="host-maintenance" onclick={cmd(Command::MaintenanceEvent { host: id })}>{ "Maintenance event" }</button>
                        <button class="danger" data-testid="host-fail" onclick={cmd(Command::DegradeHost { host: id })}>{ "Fail (hardware)" }</button>
                    </div>
                    // The keyboard's way to a task: chips are too many and too small to be
                    // tab stops, so the selected host lists its tasks as buttons.
                    if !h.tasks.is_empty() {
                        <h4>{ "Tasks on this host" }</h4>
                        <ul class="task-links" data-testid="host-tasks">
                            { for h.tasks.iter().filter_map(|t| sim.task(*t)).map(|t| {
                                let v = sim.task_view(t);
                                html! { <li><button class="small" onclick={select(Selection::Task(t.id.0))}>
                                    { format!("{} · {} · {}", t.id, v.service, t.state) }</button></li> }
                            }) }
                        </ul>
                    }
                    </>
                }
            }
        },
        Selection::Task(id) => match sim.task(TaskId(id)) {
            None => html! { <p class="muted">{ format!("Task {} has stopped.", TaskId(id)) }</p> },
            Some(t) => {
                let v = sim.task_view(t);
                html! {
                    <>
                    <dl class="facts">
                        <dt>{ "Task" }</dt><dd>{ t.id.to_string() }</dd>
                        <dt>{ if v.standalone { "Group" } else { "Service" } }</dt><dd>{ v.service.clone() }</dd>
                        <dt>{ "Revision" }</dt><dd>{ format!("{}{}", v.revision, if v.green { " (green)" } else { "" }) }</dd>
                        <dt>{ "State" }</dt><dd>{ t.state.to_string() }</dd>
                        <dt>{ "Host" }</dt><dd>{ match t.host {
                            Some(h) => html! { <button class="small" aria-label={format!("Select host {h}")} onclick={select(Selection::Host(h.0))}>{ h.to_string() }</button> },
                            None => html! { "none yet" },
                        } }</dd>
                        if let Some(why) = sim.pending_reason(t.id) { <><dt>{ "Waiting" }</dt><dd>{ names.pending(&why) }</dd></> }
                        <dt>{ "Protected" }</dt><dd>{ if v.protected { "yes (scale-in protection)" } else { "no" } }</dd>
                    </dl>
                    <div class="actions" role="group" aria-label="Task actions">
                        <button title={format!("UpdateTaskProtection without expiresInMinutes: the documented default of {}", PROTECTION_MINUTES.value_text(protect_default))}
                            onclick={cmd(Command::ProtectTask { task: id, minutes: None })}>{ format!("Protect (default {})", PROTECTION_MINUTES.value_text(protect_default)) }</button>
                        <button class="danger" onclick={cmd(Command::StopTask { task: id })}>{ "Stop task" }</button>
                    </div>
                    </>
                }
            }
        },
    };
    drop(engine);
    html! {
        <section class="panel details" aria-label="Selection" data-testid="details">
            <h3>{ "Selection" }<button class="small close" aria-label="Clear selection" onclick={close}>{ "×" }</button></h3>
            { body }
            <h4>{ "History" }</h4>
            <ul class="history">{ for history }</ul>
        </section>
    }
}
