//! One container instance: identity, status, resource bars, the patch-cycle age bar and its
//! tasks as chips. Props are an `Rc` snapshot, so an unchanged host costs a pointer compare.

use std::rc::Rc;

use fleetsim_core::lifecycle::{DRAIN_FROM_DAYS, FORCED_AT_DAYS};
use fleetsim_core::world::{HostStatus, TaskState};
use yew::prelude::*;

use crate::format::{cpu_label, mem_label, percent, service_class, status_class};
use crate::snapshot::{Chip, HostSnap, PatchMarks};
use crate::state::{Action, Selection};
use crate::theme::Theme;

use super::chip_image::ChipImage;

/// The documented patch cycle: drain from day 14, replaced by day 21.
const DRAIN_DAY: u32 = DRAIN_FROM_DAYS as u32;
const DEADLINE_DAY: u32 = FORCED_AT_DAYS as u32;

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
    let age_pct = (h.age_hours as f64 / (DEADLINE_DAY * 24) as f64 * 100.0).min(100.0);
    let age_class = classes!(
        "age-fill",
        (day >= DRAIN_DAY).then_some("late"),
        (day >= DEADLINE_DAY).then_some("overdue")
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
                <div class="age" title={age_title(day, h.age_hours % 24, &h.patch)}>
                    <span class="meter-label">{ "Age" }</span>
                    <span class="age-bar">
                        <span class={age_class} style={format!("width:{age_pct:.1}%")}></span>
                        { for h.patch.windows.iter().map(|&(a, b)| html! {
                            <span class="age-window" style={format!("left:{:.1}%;width:{:.1}%", f64::from(a) / 10.0, f64::from(b - a).max(4.0) / 10.0)}></span>
                        }) }
                        <span class="age-mark" style={format!("left:{:.1}%", DRAIN_DAY as f64 / DEADLINE_DAY as f64 * 100.0)}></span>
                        if let Some(at) = h.patch.drain_at.filter(|_| !h.patch.windows.is_empty()) {
                            <span class="age-plan" style={format!("left:{:.1}%", f64::from(at) / 10.0)}></span>
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
fn age_title(day: u32, hour: u32, patch: &PatchMarks) -> String {
    let mut t = format!(
        "Age {day} days {hour} h; drain from day {DRAIN_DAY}, replaced by day {DEADLINE_DAY}"
    );
    if !patch.windows.is_empty() {
        t.push_str(&format!(
            "; {} maintenance windows shaded",
            patch.windows.len()
        ));
        if let Some(at) = patch.drain_at {
            let days = f64::from(at) * f64::from(DEADLINE_DAY) / 1000.0;
            t.push_str(&format!("; drain planned at day {days:.1} (dotted mark)"));
        }
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
        "t-{:03x} · {service} · {} revision · {}{}",
        c.id,
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
