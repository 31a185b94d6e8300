//! One container instance: identity, status, resource bars and its tasks as chips.

use crate::format::{cpu_label, mem_label, percent, service_class, status_class};
use fleetsim_core::view::{HostView, TaskView};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HostCardProps {
    pub host: HostView,
}

#[component]
pub fn HostCard(props: &HostCardProps) -> Html {
    let h = &props.host;
    let status = h.status.to_string();
    html! {
        <article class={classes!("host", status_class(&status))} data-testid="host" data-host-id={h.id.to_string()}>
            <header class="host-header">
                <span class="host-name">{ &h.name }</span>
                <span class="host-type">{ &h.instance_type }</span>
                <span class="host-status">{ status }</span>
            </header>
            <Meter label="CPU" value={cpu_label(h.cpu_used, h.cpu_total)} pct={percent(h.cpu_used, h.cpu_total)} />
            <Meter label="Mem" value={mem_label(h.mem_used, h.mem_total)} pct={percent(h.mem_used, h.mem_total)} />
            <div class="host-facts">
                <span>{ format!("ENIs {}/{}", h.enis_used, h.enis_total) }</span>
                <span>{ format!("{}/h", h.price_per_hour) }</span>
            </div>
            <ul class="tasks" aria-label="tasks">
                { for h.tasks.iter().map(task_chip) }
            </ul>
        </article>
    }
}

fn task_chip(t: &TaskView) -> Html {
    let class = classes!(
        "task",
        service_class(t.service_index),
        t.green.then_some("green"),
        t.standalone.then_some("standalone"),
        t.protected.then_some("protected"),
    );
    let title = format!("{} {} · {}", t.service, t.revision, t.state);
    html! { <li key={t.id} {class} {title} data-testid="task"></li> }
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
    html! {
        <div class="meter">
            <span class="meter-label">{ &props.label }</span>
            <span class="meter-bar"><span class="meter-fill" {style}></span></span>
            <span class="meter-value">{ &props.value }</span>
        </div>
    }
}
