//! Workshop presets: pick a lesson (title, two-sentence lesson, suggested steps, a link to the
//! concept in the AWS documentation) and open it, or present it: before each step the room is
//! asked to predict what happens next, and only then is the step revealed and the timeline
//! moved to it.

use fleetsim_core::presets::{presets, Preset};
use fleetsim_core::share::Shared;
use fleetsim_core::SimTime;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetsPanelProps {
    /// Open this state (the preset's scenario and script at its start).
    pub on_load: Callback<Shared>,
    /// Move the timeline (presenter mode, when a step is revealed).
    pub on_seek: Callback<SimTime>,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

/// Presenter mode: which step, and whether its prediction prompt has been answered.
#[derive(Clone, Copy, PartialEq)]
struct Presenting {
    step: usize,
    revealed: bool,
}

fn start(p: &Preset) -> Shared {
    Shared {
        scenario: p.scenario.clone(),
        script: p.script.clone(),
        at: SimTime::ZERO,
        panel: None,
    }
}

#[component]
pub fn PresetsPanel(props: &PresetsPanelProps) -> Html {
    let all = use_memo((), |_| presets());
    let chosen = use_state(|| 0usize);
    let presenting = use_state(|| None::<Presenting>);
    let p = &all[(*chosen).min(all.len() - 1)];

    let pick = |i: usize| {
        let (chosen, presenting) = (chosen.clone(), presenting.clone());
        Callback::from(move |_| {
            chosen.set(i);
            presenting.set(None);
        })
    };
    let open = {
        let (on_load, s) = (props.on_load.clone(), start(p));
        Callback::from(move |_| on_load.emit(s.clone()))
    };
    let present = {
        let (on_load, s, presenting) = (props.on_load.clone(), start(p), presenting.clone());
        Callback::from(move |_| {
            on_load.emit(s.clone());
            presenting.set(Some(Presenting {
                step: 0,
                revealed: false,
            }));
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };

    let presenter = presenting.map(|state| {
        let step = &p.steps[state.step.min(p.steps.len() - 1)];
        let last = state.step + 1 >= p.steps.len();
        let reveal = {
            let (presenting, on_seek, at) = (presenting.clone(), props.on_seek.clone(), step.at);
            Callback::from(move |_| {
                on_seek.emit(at);
                presenting.set(Some(Presenting { revealed: true, ..state }));
            })
        };
        let next = {
            let presenting = presenting.clone();
            Callback::from(move |_| {
                presenting.set(if last { None } else { Some(Presenting { step: state.step + 1, revealed: false }) })
            })
        };
        html! {
            <div class="presenter" data-testid="presenter" aria-live="polite">
                <p class="presenter-count">{ format!("Step {} of {}", state.step + 1, p.steps.len()) }</p>
                <p class="predict" data-testid="predict"><strong>{ "Predict what happens next: " }</strong>{ step.predict.clone() }</p>
                if state.revealed {
                    <p class="step-text" data-testid="step-text">{ format!("{} — ", step.at) }{ step.text.clone() }</p>
                    <button type="button" data-testid="presenter-next" onclick={next}>{ if last { "Finish" } else { "Next step" } }</button>
                } else {
                    <button type="button" data-testid="presenter-reveal" onclick={reveal}>{ "Reveal" }</button>
                }
            </div>
        }
    });

    html! {
        <section class="presets-panel" aria-label="workshop presets" data-testid="presets">
            <header class="panel-bar">
                <h2>{ "Workshop presets" }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            <ol class="preset-list">
                { for all.iter().enumerate().map(|(i, q)| html! {
                    <li>
                        <button type="button" class={classes!((i == *chosen).then_some("chosen"))}
                                data-preset={q.id} onclick={pick(i)} aria-pressed={(i == *chosen).to_string()}>
                            { q.title }
                        </button>
                    </li>
                }) }
            </ol>
            <article class="preset" data-testid="preset-detail" data-preset={p.id}>
                <h3>{ p.title }</h3>
                <p class="lesson">{ p.lesson }</p>
                <ol class="steps">
                    { for p.steps.iter().map(|s| html! { <li>{ format!("{} — {}", s.at, s.text) }</li> }) }
                </ol>
                <p><a href={p.reference} target="_blank" rel="noopener noreferrer">{ "Read about it in the AWS documentation" }</a></p>
                <button type="button" class="primary" data-testid="preset-open" onclick={open}>{ "Open this preset" }</button>
                <button type="button" data-testid="preset-present" onclick={present}>{ "Present" }</button>
                { for presenter }
            </article>
        </section>
    }
}
