//! The root component: the default cluster, simulated to a fixed time, drawn as AZ lanes.

use crate::az_lane::AzLane;
use crate::format::dollars_per_hour;
use fleetsim_core::{Scenario, Sim, SimTime, View};
use yew::prelude::*;

/// How far the opening snapshot is simulated: long enough for the default cluster's hosts
/// to register and take their tasks. Fixed, so every visitor sees the same picture.
pub const OPENING_TIME: SimTime = SimTime::from_mins(10);

/// The snapshot the page opens with; Err carries the scenario's validation message.
pub fn opening_view() -> Result<View, String> {
    let mut sim = Sim::new(Scenario::default_cluster()).map_err(|e| e.to_string())?;
    sim.step_until(OPENING_TIME);
    Ok(sim.view())
}

#[component]
pub fn App() -> Html {
    // Simulated once per mount. The tick driver that advances time will replace this.
    let view = use_memo((), |_| opening_view());
    let body = match &*view {
        Ok(view) => cluster(view),
        Err(message) => html! {
            <p class="error" role="alert">{ format!("The default scenario is invalid: {message}") }</p>
        },
    };
    html! {
        <div class="app">
            <header class="topbar">
                <h1>{ "fleetsim" }</h1>
                <span class="subtitle">{ "ECS Managed Instances · default cluster" }</span>
            </header>
            { body }
        </div>
    }
}

fn cluster(view: &View) -> Html {
    let t = &view.totals;
    html! {
        <main class="cluster">
            <section class="summary" aria-label="cluster totals">
                <span class="clock" data-testid="clock">{ &view.clock }</span>
                <dl class="totals" data-testid="totals" data-hosts={t.hosts.to_string()}>
                    <div><dt>{ "hosts" }</dt><dd>{ t.hosts }</dd></div>
                    <div><dt>{ "tasks running" }</dt><dd>{ t.tasks_running }</dd></div>
                    <div><dt>{ "pending" }</dt><dd>{ t.tasks_pending }</dd></div>
                    <div><dt>{ "rate" }</dt><dd>{ dollars_per_hour(t.rate_per_hour) }</dd></div>
                    <div><dt>{ "spent" }</dt><dd>{ t.cumulative.to_string() }</dd></div>
                </dl>
            </section>
            <div class="lanes">
                { for view.azs.iter().map(|az| html! { <AzLane key={az.name.clone()} az={az.clone()} /> }) }
            </div>
        </main>
    }
}
