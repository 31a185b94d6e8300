//! Workshop presets: pick a lesson (title, intro, its steps, a link to the concept in the AWS
//! documentation) and open it, present it to a room, or study it alone. The lesson itself runs
//! in the lesson panel (`lesson::LessonPanel`).

use fleetsim_core::presets::presets;
use fleetsim_core::share::Shared;
use yew::prelude::*;

use crate::lesson::Mode;

#[derive(Properties, PartialEq)]
pub struct PresetsPanelProps {
    /// Open this lesson (the preset's scenario, script and lesson, at its start) in a mode.
    pub on_lesson: Callback<(Shared, Mode)>,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

#[component]
pub fn PresetsPanel(props: &PresetsPanelProps) -> Html {
    let all = use_memo((), |_| presets());
    let chosen = use_state(|| 0usize);
    let Some(p) = all.get((*chosen).min(all.len().saturating_sub(1))) else {
        return html! {};
    };

    let pick = |i: usize| {
        let chosen = chosen.clone();
        Callback::from(move |_| chosen.set(i))
    };
    let open = |mode: Mode| {
        let (on_lesson, s) = (props.on_lesson.clone(), p.shared());
        Callback::from(move |_| on_lesson.emit((s.clone(), mode)))
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };

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
                                data-preset={q.id().to_string()} onclick={pick(i)} aria-pressed={(i == *chosen).to_string()}>
                            { q.title() }
                        </button>
                    </li>
                }) }
            </ol>
            <article class="preset" data-testid="preset-detail" data-preset={p.id().to_string()}>
                <h3>{ p.title() }</h3>
                <p class="lesson">{ &p.lesson.intro }</p>
                <ol class="steps">
                    { for p.lesson.steps.iter().map(|s| html! { <li>{ format!("{} — {}", s.at, s.narrative) }</li> }) }
                </ol>
                <p><a href={p.reference.clone()} target="_blank" rel="noopener noreferrer">{ "Read about it in the AWS documentation" }</a></p>
                <button type="button" class="primary" data-testid="preset-open" onclick={open(Mode::Intro)}>{ "Open this preset" }</button>
                <button type="button" data-testid="preset-present" onclick={open(Mode::Presenter)}>{ "Present" }</button>
                <button type="button" data-testid="preset-study" onclick={open(Mode::SelfStudy)}>{ "Self-study" }</button>
            </article>
        </section>
    }
}
