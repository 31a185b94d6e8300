//! One container instance: identity, status, resource bars, the patch-cycle age bar and its
//! tasks as chips. Props are an `Rc` snapshot, so an unchanged host costs a pointer compare.

use std::rc::Rc;

use fleetsim_core::lifecycle::{PatchBar, PatchStage};
use fleetsim_core::time::{DAY, HOUR};
use fleetsim_core::world::{HostStatus, TaskId, TaskState};
use yew::prelude::*;

use crate::format::{cpu_label, mem_label, percent, service_class, status_class};
use crate::snapshot::{Chip, HostSnap};
use crate::state::{Action, Selection};
use crate::theme::Theme;

use super::chip_image::ChipImage;

#[derive(Properties, PartialEq)]
pub struct HostCardProps {
    pub host: Rc<HostSnap>,
    pub services: Rc<Vec<AttrValue>>,
    pub dense: bool,
    pub selected: bool,
    pub selected_task: Option<u32>,
    pub theme: Theme,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn HostCard(props: &HostCardProps) -> Html {
    let h = &*props.host;
    let status = h.status.to_string();
    let draining = h.status == HostStatus::Draining;
    let class = classes!(
        "host",
        status_class(&status),
        props.selected.then_some("selected"),
        h.unreachable.then_some("unreachable"),
    );
    let select = {
        let (id, dispatch) = (h.id, props.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.emit(Action::Select(Some(Selection::Host(id))))
        })
    };
    let day = h.age_hours / 24;
    let bar = &*h.patch;
    let pct = |permille: u16| f64::from(permille) / 10.0;
    let age_pct = pct(bar.permille(u64::from(h.age_hours) * HOUR));
    let age_class = classes!(
        "age-fill",
        (h.patch_stage != PatchStage::Fresh).then_some("late"),
        (h.patch_stage == PatchStage::Overdue).then_some("overdue")
    );
    let label = format!(
        "{} {} {} {}",
        h.name,
        h.instance_type,
        status,
        h.tasks.len()
    );
    html! {
        // The whole card takes a click; the name is the button for keyboards and screen
        // readers, named starting with its own visible text (WCAG 2.5.3).
        <article {class} data-testid="host" data-host-id={h.id.to_string()} data-status={status.clone()}
            aria-label={format!("Host {}", h.name)} onclick={select.clone()}>
            <header class="host-header">
                <button type="button" class="host-name" data-testid="host-select" aria-pressed={props.selected.to_string()}
                    aria-label={format!("{label} tasks")} onclick={select}>{ &h.name }</button>
                <span class="host-type">{ &h.instance_type }</span>
                if h.spot { <span class="badge spot">{ "spot" }</span> }
                <span class={classes!("host-status", draining.then_some("draining"))} data-testid="host-status">{ status }</span>
            </header>
            if !props.dense {
                <Meter label="CPU" value={cpu_label(h.cpu.0, h.cpu.1)} pct={percent(h.cpu.0, h.cpu.1)} />
                <Meter label="Mem" value={mem_label(h.mem.0, h.mem.1)} pct={percent(h.mem.0, h.mem.1)} />
                <Meter label="ENI" value={format!("{}/{}", h.enis.0, h.enis.1)} pct={percent(h.enis.0, h.enis.1)} />
                <div class="age" title={age_title(day, h.age_hours % 24, bar)}>
                    <span class="meter-label">{ "Age" }</span>
                    <span class="age-bar">
                        <span class={age_class} style={format!("width:{age_pct:.1}%")}></span>
                        { for bar.windows.iter().map(|&(a, b)| html! {
                            <span class="age-window" style={format!("left:{:.1}%;width:{:.1}%", pct(a), pct((b - a).max(4)))}></span>
                        }) }
                        if let Some(from) = bar.drain_from {
                            <span class="age-mark" style={format!("left:{:.1}%", pct(from))}></span>
                        }
                        if let Some(at) = bar.drain_at.filter(|_| !bar.windows.is_empty()) {
                            <span class="age-plan" style={format!("left:{:.1}%", pct(at))}></span>
                        }
                    </span>
                    <span class="meter-value">{ format!("day {day}") }</span>
                </div>
                <div class="host-facts">
                    <span>{ format!("{}/h", h.price) }</span>
                    <span>{ format!("image v{}", h.image_version) }</span>
                </div>
                if let Some(why) = &h.drain_reason {
                    <div class="drain-reason">{ why }</div>
                }
            }
            if props.dense {
                <ChipImage host={props.host.clone()} services={props.services.clone()}
                    selected_task={props.selected_task} theme={props.theme} dispatch={props.dispatch.clone()} />
            } else {
                <ul class="tasks" aria-label="tasks">
                    { for h.tasks.iter().map(|c| chip(c, &props.services, props.selected_task == Some(c.id), &props.dispatch)) }
                </ul>
            }
        </article>
    }
}

/// The age bar's tooltip: where the host is in the patch cycle and what the marks mean.
fn age_title(day: u32, hour: u32, bar: &PatchBar) -> String {
    let days = |ms: u64| ms as f64 / DAY as f64;
    let mut t = format!("Age {day} days {hour} h");
    let (Some(drain), Some(forced)) = (bar.drain_age_ms(), bar.forced_age_ms()) else {
        t.push_str("; patching is off");
        return t;
    };
    t.push_str(&format!(
        "; drain at day {:.1}, replaced from day {:.1}",
        days(drain),
        days(forced)
    ));
    if !bar.windows.is_empty() {
        t.push_str(&format!(
            "; {} maintenance windows shaded, the planned drain dotted",
            bar.windows.len()
        ));
    }
    t
}

fn state_class(s: TaskState) -> &'static str {
    match s {
        TaskState::Provisioning | TaskState::Pending => "st-pending",
        TaskState::Activating => "st-activating",
        TaskState::Running => "st-running",
        TaskState::Deactivating | TaskState::Stopping | TaskState::Stopped => "st-stopping",
    }
}

fn chip(c: &Chip, services: &[AttrValue], selected: bool, dispatch: &Callback<Action>) -> Html {
    let class = classes!(
        "task",
        service_class(c.svc),
        state_class(c.state),
        if c.green { "green" } else { "blue" },
        c.standalone.then_some("standalone"),
        c.protected.then_some("protected"),
        (c.stopping && c.state == TaskState::Running).then_some("st-stopping"),
        selected.then_some("selected"),
    );
    let title = chip_title(c, services);
    let onclick = {
        let (id, dispatch) = (c.id, dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.emit(Action::Select(Some(Selection::Task(id))))
        })
    };
    html! { <li key={c.id} {class} {title} {onclick} data-testid="task" data-task-id={c.id.to_string()}></li> }
}

/// What a chip's tooltip says: the task, its service, revision and state.
pub(super) fn chip_title(c: &Chip, services: &[AttrValue]) -> String {
    let service = if c.standalone {
        "standalone"
    } else {
        services.get(c.svc as usize).map_or("?", |s| s.as_str())
    };
    format!(
        "{} · {service} · {} revision · {}{}",
        TaskId(c.id),
        if c.green { "green (new)" } else { "blue" },
        c.state,
        if c.protected {
            " · scale-in protected"
        } else {
            ""
        }
    )
}

#[derive(Properties, PartialEq)]
struct MeterProps {
    label: AttrValue,
    value: String,
    pct: u32,
}

#[component]
fn Meter(props: &MeterProps) -> Html {
    // Width only; the colour ramp and the transition are in CSS.
    let style = format!("width: {}%", props.pct);
    let level = match props.pct {
        0..=69 => "ok",
        70..=89 => "high",
        _ => "full",
    };
    html! {
        <div class="meter">
            <span class="meter-label">{ &props.label }</span>
            <span class="meter-bar"><span class={classes!("meter-fill", level)} {style}></span></span>
            <span class="meter-value">{ &props.value }</span>
        </div>
    }
}
