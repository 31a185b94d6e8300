//! Time controls: play/pause, step, back, speed, the clock and the scrubber with event
//! markers. Rewinding is just a seek to an earlier time (the engine restores a checkpoint).

use std::rc::Rc;

use fleetsim_core::time::MINUTE;
use fleetsim_core::SimTime;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::MarkKind;
use crate::snapshot::ChartData;
use crate::state::{Action, Busy, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub speed: usize,
    pub now: SimTime,
    pub reached: SimTime,
    pub chart: Rc<ChartData>,
    pub dispatch: Callback<Action>,
    /// A seek or link replay under way: a progress bar and Cancel instead of a frozen tab.
    #[prop_or_default]
    pub busy: Option<Busy>,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let d = &props.dispatch;
    let emit = |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(a.clone()))
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            d.emit(Action::SetSpeed(v.parse().unwrap_or(0)))
        })
    };
    // The scrubber counts whole minutes: fine enough to point at, coarse enough to drag.
    let end_min = (props.reached.0.max(props.now.0) / MINUTE).max(1);
    let on_scrub = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let v: u64 = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(0);
            d.emit(Action::Seek(SimTime::from_mins(v)))
        })
    };
    let full = props.now.to_string();
    let (hm, secs) = full.split_at(full.len() - 3);
    let marker = |kind: MarkKind| match kind {
        MarkKind::DeployStart | MarkKind::DeployDone => Some("m-deploy"),
        MarkKind::Rollback => Some("m-rollback"),
        MarkKind::Patch | MarkKind::AzDown | MarkKind::AzUp => Some("m-fault"),
        MarkKind::Command => Some("m-command"),
        _ => None,
    };
    html! {
        <section class="controls" aria-label="Time controls">
            <button class="primary play" data-testid="play" onclick={emit(Action::TogglePlay)}
                aria-label={if props.playing { "Pause (space)" } else { "Play (space)" }} aria-pressed={props.playing.to_string()}>
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="back" onclick={emit(Action::Back)} aria-label="Back to the previous event (left arrow)">{ "◀ Back" }</button>
            <button data-testid="step" onclick={emit(Action::Step)} aria-label="Step to the next event (right arrow)">{ "Step ▶" }</button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select data-testid="speed" onchange={on_speed} aria-label="Simulation speed (+ and − keys)">
                    { for SPEEDS.iter().enumerate().map(|(i, (_, label))| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ *label }</option>
                    }) }
                </select>
            </label>
            <div class="clock" data-testid="clock" aria-live="off" aria-label="Simulated time">
                { hm }<span class="secs">{ secs }</span>
            </div>
            <div class="scrubber">
                <input type="range" min="0" max={end_min.to_string()} value={(props.now.0 / MINUTE).to_string()}
                    oninput={on_scrub} data-testid="scrubber" aria-label="Timeline: drag back to rewind" />
                <div class="marks" aria-hidden="true">
                    { for props.chart.marks.iter().filter_map(|m| marker(m.kind).map(|c| (m, c))).map(|(m, c)| {
                        let left = (m.at.0 as f64 / (end_min * MINUTE) as f64 * 100.0).min(100.0);
                        html! { <span class={classes!("mark", c)} style={format!("left:{left:.2}%")} title={m.kind.label()}></span> }
                    }) }
                </div>
            </div>
            if let Some(b) = props.busy {
                <div class="replay-progress" role="status" data-testid="replay-progress">
                    <progress max="100" value={b.percent.to_string()} aria-hidden="true"></progress>
                    <span>{ format!("{} {} %", if b.opening { "Opening link…" } else { "Replaying…" }, b.percent) }</span>
                    <button type="button" data-testid="cancel-replay" onclick={emit(Action::Cancel)}
                        aria-label={if b.opening { "Cancel: keep the world that was open" } else { "Cancel: go back to where the timeline was" }}>{ "Cancel" }</button>
                </div>
            }
        </section>
    }
}
