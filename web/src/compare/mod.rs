//! Compare mode: two variants of the scenario that is open (same seed, same command script),
//! side by side at one synchronised time, with the diff table the core computes. The runs
//! are two core `Session`s in a `RefCell` owned by the component: cloning two worlds per
//! click would cost more than stepping them. The scrubber and the buttons move both runs
//! together, back (from a checkpoint) or forward, a frame's share of work at a time with a
//! progress bar and Cancel, so a 35-day patch comparison never freezes the tab.

use fleetsim_core::compare::{diff_rows_text, diff_table, Better, CompareError, Pair, Pairing};
use fleetsim_core::export::csv;
use fleetsim_core::share::Shared;
use fleetsim_core::time::{DAY, HOUR, MINUTE};
use fleetsim_core::{SimTime, View};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

use crate::tick::use_frame_clock;

/// A move of both runs under way, and the pair as it was, for Cancel.
struct Job {
    target: SimTime,
    base: SimTime,
    before: Pairing,
}

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
    error: Option<CompareError>,
}

fn side(run: &fleetsim_core::compare::Run) -> Side {
    Side {
        label: run.label.clone(),
        view: run.sim().view(),
        error: run.error(),
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
                <p class="field-error">{ e.to_string() }</p>
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
    let runs = use_mut_ref(|| None::<Result<Pairing, CompareError>>);
    let job = use_mut_ref(|| None::<Job>);
    // Bumped after every change to the runs, so the view re-reads them.
    let generation = use_state(|| 0u64);
    {
        let (runs, generation, job) = (runs.clone(), generation.clone(), job.clone());
        use_effect_with((*pair, props.base.clone()), move |(pair, base)| {
            *runs.borrow_mut() = Some(Pairing::new(*pair, base));
            generation.set(*generation + 1);
            *job.borrow_mut() = None;
        });
    }
    let rate = use_memo((), |_| Cell::new(crate::slice::FIRST_RATE));
    let redraw = use_force_update();
    // Starts a move of both runs; the frame clock below carries it out.
    let start: Rc<dyn Fn(SimTime)> = {
        let (runs, job) = (runs.clone(), job.clone());
        Rc::new(move |to: SimTime| {
            if let Some(Ok(p)) = &*runs.borrow() {
                let before = match job.borrow_mut().take() {
                    Some(j) => j.before,
                    None => p.clone(),
                };
                *job.borrow_mut() = Some(Job {
                    target: to,
                    base: p.now(),
                    before,
                });
            }
        })
    };
    {
        let (runs, job, rate, redraw) = (runs.clone(), job.clone(), rate.clone(), redraw.clone());
        use_frame_clock(Callback::from(move |_| {
            let Some(target) = job.borrow().as_ref().map(|j| j.target) else {
                return;
            };
            let mut runs = runs.borrow_mut();
            let Some(Ok(p)) = &mut *runs else {
                *job.borrow_mut() = None;
                return;
            };
            let done = crate::slice::one_frame(&rate, |budget| {
                let [a, b] = p.advance(target, budget);
                if let Some(j) = &mut *job.borrow_mut() {
                    if a.restored.is_some() {
                        j.base = a.from;
                    }
                }
                (a.timers + b.timers, b.done)
            });
            drop(runs);
            if done {
                *job.borrow_mut() = None;
            }
            redraw.force_update();
        }));
    }
    let advance = |by: Option<u64>| {
        let (runs, start, pair) = (runs.clone(), start.clone(), *pair);
        Callback::from(move |_| {
            let now = match &*runs.borrow() {
                Some(Ok(p)) => p.now(),
                _ => return,
            };
            start(match by {
                Some(ms) => now.plus_ms(ms),
                None => pair.suggested_until().max(now),
            });
        })
    };
    let scrub = {
        let start = start.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            start(SimTime::from_mins(input.value_as_number().max(0.0) as u64));
        })
    };
    let cancel = {
        let (runs, job, redraw) = (runs.clone(), job.clone(), redraw.clone());
        Callback::from(move |_| {
            if let Some(j) = job.borrow_mut().take() {
                *runs.borrow_mut() = Some(Ok(j.before));
            }
            redraw.force_update();
        })
    };
    // The first run moves first: half the bar is its way, half the second's.
    let progress = job.borrow().as_ref().and_then(|j| {
        let runs = runs.borrow();
        let Some(Ok(p)) = &*runs else { return None };
        let total = j.target.0.abs_diff(j.base.0).max(1);
        let part = |t: SimTime| t.0.abs_diff(j.base.0).min(total) * 50 / total;
        let first = p.runs[0].sim().now();
        Some(if first == j.target {
            (50 + part(p.runs[1].sim().now())).min(99)
        } else {
            part(first)
        })
    });
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
                        <caption>{ match p.together() {
                            Some(t) => format!("At {t} on both sides; lower is better in every row"),
                            None => format!("Moving both runs: {} at {}, {} at {}…", labels[0], p.runs[0].sim().now(), labels[1], p.runs[1].sim().now()),
                        } }</caption>
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
            if let Some(pct) = progress {
                <div class="replay-progress" role="status" data-testid="compare-progress">
                    <progress max="100" value={pct.to_string()} aria-hidden="true"></progress>
                    <span>{ format!("Running both… {pct} %") }</span>
                    <button type="button" data-testid="compare-cancel" onclick={cancel}
                        aria-label="Cancel: both runs go back to where they were">{ "Cancel" }</button>
                </div>
            }
            { body }
        </section>
    }
}
