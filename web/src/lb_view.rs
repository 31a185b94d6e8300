//! The load balancer: production and test listeners, the blue and green target groups with
//! their live weights and error rates, and requests flowing at a density that follows rps.

use std::rc::Rc;

use fleetsim_core::deploy::traffic::ALL_BP;
use fleetsim_core::deploy::view::DeploymentView;
use fleetsim_core::deploy::Weights;
use fleetsim_core::metrics::Sample;
use yew::prelude::*;

use crate::format::bp_percent as pct;

#[derive(Properties, PartialEq)]
pub struct LbViewProps {
    pub deployment: Option<Rc<DeploymentView>>,
    pub totals: Sample,
    pub animations: bool,
}

fn rate(errors: u64, requests: u64) -> String {
    if requests == 0 {
        "no requests yet".into()
    } else {
        format!("{:.2} % errors", errors as f64 * 100.0 / requests as f64)
    }
}

#[component]
pub fn LbView(props: &LbViewProps) -> Html {
    let d = props
        .deployment
        .as_deref()
        .filter(|d| d.finished_at.is_none());
    let (prod, test) = d.map_or((Weights::blue(), Weights::blue()), |d| {
        (d.production, d.test)
    });
    let prod_green = prod.green_bp();
    let rps = props.totals.rps;
    // Dots on screen: enough to read density, few enough to stay cheap.
    let dots = if props.animations {
        ((rps / 150) as usize).clamp(if rps > 0 { 2 } else { 0 }, 14)
    } else {
        0
    };
    let green_dots = (dots as u32 * prod_green).div_ceil(ALL_BP) as usize;
    let tg = |side: &'static str, label: String, weight: u32, stats: Option<(u32, u64, u64)>| {
        html! {
            <div class={classes!("tg", side)} data-testid={format!("tg-{side}")}>
                <div class="tg-name"><span class={classes!("rev-swatch", side)}></span>{ label }</div>
                <div class="tg-weight" data-testid={format!("weight-{side}")}>{ pct(weight) }</div>
                <div class="tg-bar"><span style={format!("width:{}%", weight as f64 / 100.0)}></span></div>
                if let Some((tasks, req, err)) = stats {
                    <div class="tg-stats">{ format!("{tasks} running · {}", rate(err, req)) }</div>
                }
            </div>
        }
    };
    html! {
        <section class="panel lb" aria-label="Load balancer" data-testid="lb-view">
            <h3>{ "Load balancer" }<span class="muted">{ format!(" · {} req/s · {:.2} % failing", rps,
                if rps == 0 { 0.0 } else { f64::from(props.totals.errors_per_sec) * 100.0 / f64::from(rps) }) }</span></h3>
            <div class="listeners">
                <div class="listener"><b>{ "Production listener" }</b>
                    <span class="muted">{ format!(" blue {} · green {}", pct(prod.blue_bp()), pct(prod_green)) }</span></div>
                <div class="listener"><b>{ "Test listener" }</b>
                    <span class="muted">{ format!(" blue {} · green {}", pct(test.blue_bp()), pct(test.green_bp())) }</span></div>
            </div>
            <div class="flow" aria-hidden="true">
                { for (0..dots).map(|i| {
                    let class = classes!("dot", if i < green_dots { "to-green" } else { "to-blue" });
                    html! { <span {class} style={format!("animation-delay:-{:.2}s", i as f64 * 1.6 / dots.max(1) as f64)}></span> }
                }) }
            </div>
            <div class="tgs">
                { tg("blue", d.map_or("blue (current revision)".into(), |d| format!("blue · {}", d.blue.revision)),
                    prod.blue_bp(), d.map(|d| (d.blue.running_tasks, d.blue.requests, d.blue.errors))) }
                { tg("green", d.map_or("green (idle)".into(), |d| format!("green · {}", d.green.revision)),
                    prod_green, d.map(|d| (d.green.running_tasks, d.green.requests, d.green.errors))) }
            </div>
        </section>
    }
}
