//! "Cost verdict": the core's verdict for the running scenario — Managed Instances against
//! Fargate and the lower bound, each reason with its dollar amount. The verdict simulates the
//! days four times (with and without each cause), which takes longer than a frame, so the
//! core's `Job` runs a frame's share at a time (`slice`) behind a "Computing…" bar and the
//! page keeps answering. Changing the deployment assumption starts it again.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use fleetsim_core::verdict::{
    Dollars, Job, Verdict, DEFAULT_DAYS as DAYS, DEFAULT_DEPLOYS_PER_WEEK, MAX_DEPLOYS_PER_WEEK,
};
use fleetsim_core::Scenario;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::slice::{one_frame, wall_ms, FIRST_RATE};

#[derive(Clone, PartialEq)]
enum Status {
    Computing { done: u32, total: u32 },
    Done(Rc<Finished>),
    Failed(String),
}

#[derive(PartialEq)]
struct Finished {
    verdict: Verdict,
    /// Time spent simulating, the longest frame's share of it, and the frames it took.
    work_ms: f64,
    longest_ms: f64,
    frames: u32,
}

struct Running {
    job: Job,
    rate: Cell<f64>,
    work_ms: f64,
    longest_ms: f64,
    frames: u32,
}

type Slot = Rc<RefCell<Option<AnimationFrame>>>;
type RunningRef = Rc<RefCell<Option<Running>>>;

/// Works the job a frame's share at a time until it is done, publishing its progress.
fn pump(slot: Slot, running: RunningRef, status: UseStateSetter<Status>) {
    let next = slot.clone();
    let frame = request_animation_frame(move |_| {
        let mut guard = running.borrow_mut();
        let Some(r) = guard.as_mut() else {
            return;
        };
        let t0 = wall_ms();
        let job = &mut r.job;
        let done = one_frame(&r.rate, |budget| {
            let fired = job.work(budget);
            (fired, job.verdict().is_some())
        });
        let took = wall_ms() - t0;
        r.work_ms += took;
        r.longest_ms = r.longest_ms.max(took);
        r.frames += 1;
        if done {
            if let Some(verdict) = r.job.verdict().cloned() {
                status.set(Status::Done(Rc::new(Finished {
                    verdict,
                    work_ms: r.work_ms,
                    longest_ms: r.longest_ms,
                    frames: r.frames,
                })));
            }
            *guard = None;
        } else {
            let (done, total) = r.job.progress();
            status.set(Status::Computing { done, total });
            drop(guard);
            pump(next, running.clone(), status);
        }
    });
    *slot.borrow_mut() = Some(frame);
}

#[derive(Properties, PartialEq)]
pub struct VerdictPanelProps {
    /// The running scenario.
    pub scenario: Rc<Scenario>,
    pub on_close: Callback<()>,
}

#[component]
pub fn VerdictPanel(props: &VerdictPanelProps) -> Html {
    let deploys = use_state(|| DEFAULT_DEPLOYS_PER_WEEK);
    let status = use_state(|| Status::Computing { done: 0, total: 1 });
    {
        let setter = status.setter();
        use_effect_with(
            ((*props.scenario).clone(), *deploys),
            move |(scenario, deploys)| {
                let slot: Slot = Rc::new(RefCell::new(None));
                let running: RunningRef = Rc::new(RefCell::new(None));
                match Job::new(scenario, DAYS, *deploys) {
                    Ok(job) => {
                        let (done, total) = job.progress();
                        setter.set(Status::Computing { done, total });
                        *running.borrow_mut() = Some(Running {
                            job,
                            rate: Cell::new(FIRST_RATE),
                            work_ms: 0.0,
                            longest_ms: 0.0,
                            frames: 0,
                        });
                        pump(slot.clone(), running.clone(), setter);
                    }
                    Err(e) => setter.set(Status::Failed(e.to_string())),
                }
                // A new scenario or assumption, or closing the panel, drops the work under way.
                move || {
                    slot.borrow_mut().take();
                    running.borrow_mut().take();
                }
            },
        );
    }
    let on_deploys = {
        let deploys = deploys.clone();
        Callback::from(move |e: Event| {
            if let Some(n) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<u32>().ok())
            {
                deploys.set(n.min(MAX_DEPLOYS_PER_WEEK));
            }
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let body = match &*status {
        Status::Computing { done, total } => html! {
            <div class="verdict-computing" role="status" data-testid="verdict-computing">
                <span>{ format!("Computing… {} of {} simulated days", done, total) }</span>
                <progress max={total.to_string()} value={done.to_string()} aria-label="verdict progress" />
            </div>
        },
        Status::Failed(e) => html! {
            <p class="field-error" role="alert" data-testid="verdict-error">{ format!("No verdict: this scenario is not valid: {e}") }</p>
        },
        Status::Done(f) => verdict(f),
    };
    html! {
        <section class="aws-panel verdict-panel" aria-label="cost verdict" data-testid="verdict">
            <header class="panel-bar">
                <h2>{ format!("Cost verdict for {DAYS} simulated days") }</h2>
                <label class="field inline">
                    <span class="field-label">{ "Deployments per service per week (assumed)" }</span>
                    <select data-testid="verdict-deploys" onchange={on_deploys}>
                        { for (0..=MAX_DEPLOYS_PER_WEEK).map(|n| html! {
                            <option value={n.to_string()} selected={n == *deploys}>{ n }</option>
                        }) }
                    </select>
                </label>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            { body }
        </section>
    }
}

fn money(m: u64) -> String {
    Dollars(i64::try_from(m).unwrap_or(i64::MAX)).to_string()
}

fn signed(m: i64) -> String {
    let sign = if m > 0 { "+" } else { "" };
    format!("{sign}{}", Dollars(m))
}

fn verdict(f: &Finished) -> Html {
    let v = &f.verdict;
    let b = &v.base;
    let winner = match v.difference() {
        d if d > 0 => "fargate",
        d if d < 0 => "managed-instances",
        _ => "tie",
    };
    html! {
        <div class="verdict-body" data-testid="verdict-result" data-winner={winner}
             data-work-ms={format!("{:.0}", f.work_ms)} data-longest-ms={format!("{:.1}", f.longest_ms)} data-frames={f.frames.to_string()}>
            <p class="verdict-headline" data-testid="verdict-headline">{ v.headline() }</p>
            <table class="verdict-totals">
                <tbody>
                    <tr data-testid="verdict-mi"><th scope="row">{ "Managed Instances" }</th><td>{ money(b.managed()) }</td>
                        <td>{ format!("EC2 {} + management fee {}, as packed", money(b.ec2), money(b.fee)) }</td></tr>
                    <tr data-testid="verdict-fargate"><th scope="row">{ "Fargate" }</th><td>{ money(b.fargate) }</td>
                        <td>{ "each task rounded up to a Fargate size" }</td></tr>
                    <tr data-testid="verdict-lower"><th scope="row">{ "Lower bound" }</th><td>{ money(b.lower_bound) }</td>
                        <td>{ "the cheapest instances that could hold the tasks, fee included" }</td></tr>
                </tbody>
            </table>
            <table class="verdict-reasons">
                <caption>{ "Why they differ (+ makes Managed Instances dearer, − makes Fargate dearer)" }</caption>
                <tbody>
                    { for v.reasons.iter().map(|r| html! {
                        <tr data-testid="verdict-reason">
                            <th scope="row">{ r.cause.title() }</th>
                            <td class="amount">{ signed(r.micros) }</td>
                            <td class="why">{ v.explanation(r.cause) }</td>
                        </tr>
                    }) }
                    <tr class="total"><th scope="row">{ "Total" }</th><td class="amount">{ signed(v.difference()) }</td>
                        <td class="why">{ "Managed Instances minus Fargate" }</td></tr>
                </tbody>
            </table>
            if v.spot {
                <p>{ "The instances are Spot; Fargate is priced On-Demand (Fargate Spot is not compared)." }</p>
            }
            <p class="muted">
                { "Prices: On-Demand Linux x86 list prices from fleetsim's catalog; the fee and the numbers AWS does not publish are illustrative defaults. " }
                { format!("Worked out in {:.0} ms of simulation over {} frames.", f.work_ms, f.frames) }
            </p>
        </div>
    }
}
