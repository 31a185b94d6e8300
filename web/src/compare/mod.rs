//! Compare mode: two variants of the scenario that is open (same seed, same command script),
//! side by side at one synchronised time, with the diff table the core computes. The runs
//! live in a `RefCell` owned by the component: cloning two worlds per click would cost more
//! than stepping them. The scrubber moves both runs together; going back rebuilds the pair
//! and replays it to the chosen minute (the runs are deterministic, so that is the same
//! moment, not an approximation).

use fleetsim_core::compare::{diff_rows_text, diff_table, Better, Pair, Pairing};
use fleetsim_core::export::csv;
use fleetsim_core::share::Shared;
use fleetsim_core::time::{DAY, HOUR, MINUTE};
use fleetsim_core::{SimTime, View};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    /// The state to compare variants of (read when the panel opens or the pair changes).
    pub base: Shared,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

struct Side {
    label: String,
    view: View,
    error: Option<String>,
}

fn side(run: &fleetsim_core::compare::Run) -> Side {
    Side {
        label: run.label.clone(),
        view: run.sim.view(),
        error: run.error.clone(),
    }
}

fn lane(side: &Side, testid: &'static str) -> Html {
    let t = &side.view.totals;
    html! {
        <div class="compare-run" data-testid={testid} data-hosts={t.hosts.to_string()}>
            <h3>{ side.label.clone() }</h3>
            <p class="compare-clock" data-testid="compare-clock">{ side.view.clock.clone() }</p>
            <p>{ format!("{} hosts · {} tasks running · {} pending · {}/h · {} so far", t.hosts, t.tasks_running, t.tasks_pending, t.rate_per_hour, t.cumulative) }</p>
            if let Some(e) = &side.error {
                <p class="field-error">{ e.clone() }</p>
            }
            <div class="compare-azs">
                { for side.view.azs.iter().map(|az| html! {
                    <div class={classes!("compare-az", az.impaired.then_some("impaired"))}>
                        <span class="az-name">{ az.name.clone() }</span>
                        <span class="compare-hosts">
                            { for az.hosts.iter().map(|h| html! {
                                <span class={classes!("compare-host", format!("status-{:?}", h.status).to_lowercase())}
                                      title={format!("{} {} · {} tasks", h.name, h.instance_type, h.tasks.len())}
                                      data-testid="compare-host">
                                    { h.tasks.len() }
                                </span>
                            }) }
                        </span>
                    </div>
                }) }
            </div>
        </div>
    }
}

#[component]
pub fn ComparePanel(props: &ComparePanelProps) -> Html {
    let pair = use_state(|| Pair::CanaryVsBlueGreen);
    let runs = use_mut_ref(|| None::<Result<Pairing, String>>);
    // Bumped after every change to the runs, so the view re-reads them.
    let generation = use_state(|| 0u64);
    {
        let (runs, generation) = (runs.clone(), generation.clone());
        use_effect_with((*pair, props.base.clone()), move |(pair, base)| {
            *runs.borrow_mut() = Some(Pairing::new(*pair, base));
            generation.set(*generation + 1);
        });
    }
    let advance = |by: Option<u64>| {
        let (runs, generation, pair) = (runs.clone(), generation.clone(), *pair);
        Callback::from(move |_| {
            if let Some(Ok(p)) = &mut *runs.borrow_mut() {
                let to = match by {
                    Some(ms) => p.now().plus_ms(ms),
                    None => pair.suggested_until().max(p.now()),
                };
                p.advance_to(to);
            }
            generation.set(*generation + 1);
        })
    };
    let scrub = {
        let (runs, generation, pair, base) =
            (runs.clone(), generation.clone(), *pair, props.base.clone());
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let to = SimTime::from_mins(input.value_as_number().max(0.0) as u64);
            let mut runs = runs.borrow_mut();
            if matches!(&*runs, Some(Ok(p)) if to < p.now()) {
                *runs = Some(Pairing::new(pair, &base));
            }
            if let Some(Ok(p)) = &mut *runs {
                p.advance_to(to);
            }
            generation.set(*generation + 1);
        })
    };
    let choose = {
        let pair = pair.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(p) = Pair::from_id(&sel.value()) {
                    pair.set(p);
                }
            }
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };

    let body = match &*runs.borrow() {
        None => html! { <p>{ "Preparing…" }</p> },
        Some(Err(e)) => {
            html! { <p class="field-error" role="alert" data-testid="compare-error">{ format!("This comparison needs: {e}") }</p> }
        }
        Some(Ok(p)) => {
            let [a, b] = [side(&p.runs[0]), side(&p.runs[1])];
            let [sa, sb] = p.summaries();
            let rows = diff_table(&sa, &sb);
            let labels = [a.label.clone(), b.label.clone()];
            let end = pair.suggested_until().max(p.now());
            let minutes = |t: SimTime| (t.0 / MINUTE).to_string();
            let export = {
                let text = csv(diff_rows_text([&labels[0], &labels[1]], &rows));
                Callback::from(move |_| {
                    crate::export::download_text("fleetsim-comparison.csv", "text/csv", &text)
                })
            };
            html! {
                <>
                    <label class="compare-scrubber">
                        <span>{ format!("Both runs at {}", p.now()) }</span>
                        <input type="range" min="0" max={minutes(end)} step="1" value={minutes(p.now())}
                            oninput={scrub} data-testid="compare-scrubber" aria-label="Time of both runs: drag back or forward" />
                    </label>
                    <div class="compare-runs">
                        { lane(&a, "compare-run-a") }
                        { lane(&b, "compare-run-b") }
                    </div>
                    <table class="diff-table" data-testid="diff-table">
                        <caption>{ format!("At {} on both sides; lower is better in every row", p.now()) }</caption>
                        <thead><tr><th scope="col">{ "metric" }</th><th scope="col">{ labels[0].clone() }</th><th scope="col">{ labels[1].clone() }</th><th scope="col">{ "difference" }</th></tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr data-metric={r.metric}>
                                    <th scope="row">{ r.metric }</th>
                                    <td class={classes!((r.better == Better::A).then_some("better"))}>{ r.a.clone() }</td>
                                    <td class={classes!((r.better == Better::B).then_some("better"))}>{ r.b.clone() }</td>
                                    <td>{ r.delta.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <button type="button" data-testid="export-comparison" onclick={export}>{ "Export table CSV" }</button>
                </>
            }
        }
    };

    html! {
        <section class="compare-panel" aria-label="compare mode" data-testid="compare">
            <header class="panel-bar">
                <h2>{ "Compare" }</h2>
                <select onchange={choose} data-testid="compare-pair" aria-label="what to compare">
                    { for Pair::ALL.iter().map(|p| html! { <option value={p.id()} selected={*p == *pair}>{ p.title() }</option> }) }
                </select>
                <button type="button" onclick={advance(Some(10 * MINUTE))}>{ "+10 min" }</button>
                <button type="button" onclick={advance(Some(HOUR))}>{ "+1 h" }</button>
                <button type="button" onclick={advance(Some(DAY))}>{ "+1 day" }</button>
                <button type="button" data-testid="compare-run-to-end" onclick={advance(None)}>
                    { format!("Run to {}", pair.suggested_until()) }
                </button>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            { body }
        </section>
    }
}
