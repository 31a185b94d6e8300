//! One lesson, step by step. Presenter mode: the question shows, the presenter clicks (or keys
//! 1–4) the choice the room voted for, R plays to the step and shows whether the room was right
//! and why, N goes on; a large clock and step counter read from the back of the room.
//! Self-study: picking an answer plays the step at once and says right or wrong with the
//! reason; progress is kept per lesson.

use std::rc::Rc;

use fleetsim_core::explain::command_sentence;
use fleetsim_core::lesson::{Lesson, StepAnswer};
use fleetsim_core::share::Shared;
use fleetsim_core::SimTime;
use yew::prelude::*;

use super::answers::{use_answers, Progress};
use super::keys::{self, Key};
use super::progress;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The lesson's intro, with a choice of mode.
    Intro,
    Presenter,
    SelfStudy,
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// The state the lesson opened with (its `lesson` is set).
    pub shared: Rc<Shared>,
    pub mode: Mode,
    /// Move the timeline (to a step's start, or to the step when it is revealed).
    pub on_seek: Callback<SimTime>,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Flow {
    step: usize,
    /// The room's (or the learner's) answer: a choice's index, or a typed number.
    picked: Option<Picked>,
    revealed: bool,
    /// Per step answered: right or not.
    results: Vec<bool>,
    done: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Picked {
    Choice(usize),
    Number(String),
}

impl Picked {
    fn text<'a>(&'a self, choices: &'a [String]) -> &'a str {
        match self {
            Picked::Choice(i) => choices.get(*i).map_or("", String::as_str),
            Picked::Number(n) => n.as_str(),
        }
    }
}

fn lesson(shared: &Shared) -> &Lesson {
    shared
        .lesson
        .as_ref()
        .expect("the workbench opens this panel only for a lesson")
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let computed = use_answers(props.shared.clone());
    let mode = use_state(|| props.mode);
    let flow = use_state(|| {
        let mut f = Flow::default();
        if props.mode == Mode::SelfStudy {
            resume(&mut f, lesson(&props.shared));
        }
        f
    });
    let l = lesson(&props.shared);
    let n = l.steps.len();
    let i = flow.step.min(n.saturating_sub(1));
    let step = &l.steps[i];
    let answer: Option<&Result<StepAnswer, String>> = match &computed {
        Progress::Ready(all) => all.get(i),
        Progress::Working { .. } => None,
    };

    // The world stands at the step's start while the question is asked.
    {
        let (on_seek, start, asking) = (props.on_seek.clone(), l.step_start(i), !flow.revealed);
        use_effect_with((i, *mode), move |_| {
            if asking {
                on_seek.emit(start);
            }
        });
    }

    let reveal = {
        let (flow, mode, on_seek, id) = (flow.clone(), *mode, props.on_seek.clone(), l.id.clone());
        let (at, choices, answer) = (step.at, step.question.choices.clone(), answer.cloned());
        Callback::from(move |picked: Option<Picked>| {
            // Nothing is revealed before the simulation has answered.
            if flow.revealed || flow.done || answer.is_none() {
                return;
            }
            on_seek.emit(at);
            let picked = picked.or_else(|| flow.picked.clone());
            let right = match (&picked, &answer) {
                (Some(p), Some(Ok(a))) => a.is(p.text(&choices)),
                _ => false,
            };
            let mut f = (*flow).clone();
            f.picked = picked;
            f.revealed = true;
            f.results.truncate(f.step);
            f.results.push(right);
            if mode == Mode::SelfStudy {
                progress::save(&id, &f.results);
            }
            flow.set(f);
        })
    };
    let pick = {
        let (flow, mode, reveal) = (flow.clone(), *mode, reveal.clone());
        Callback::from(move |p: Picked| {
            if flow.revealed || flow.done {
                return;
            }
            if mode == Mode::SelfStudy {
                reveal.emit(Some(p));
            } else {
                flow.set(Flow {
                    picked: Some(p),
                    ..(*flow).clone()
                });
            }
        })
    };
    let next = {
        let flow = flow.clone();
        Callback::from(move |_: ()| {
            if !flow.revealed {
                return;
            }
            let mut f = (*flow).clone();
            if f.step + 1 >= n {
                f.done = true;
            } else {
                f.step += 1;
                f.picked = None;
                f.revealed = false;
            }
            flow.set(f);
        })
    };
    let restart = {
        let (flow, id) = (flow.clone(), l.id.clone());
        Callback::from(move |_: MouseEvent| {
            progress::save(&id, &[]);
            flow.set(Flow::default());
        })
    };
    let start = |m: Mode| {
        let (mode, flow, l) = (mode.clone(), flow.clone(), l.clone());
        Callback::from(move |_: MouseEvent| {
            let mut f = Flow::default();
            if m == Mode::SelfStudy {
                resume(&mut f, &l);
            }
            flow.set(f);
            mode.set(m);
        })
    };

    // Keys only while a step is shown (the intro has its buttons).
    {
        let choices = step.question.choices.len();
        let (pick, reveal, next) = (pick.clone(), reveal.clone(), next.clone());
        let active = *mode != Mode::Intro;
        use_effect_with(((*flow).clone(), *mode), move |_| {
            let listener = active
                .then(|| {
                    keys::listen(Callback::from(move |k| match k {
                        Key::Pick(c) if c < choices => pick.emit(Picked::Choice(c)),
                        Key::Reveal => reveal.emit(None),
                        Key::Next => next.emit(()),
                        Key::Pick(_) => {}
                    }))
                })
                .flatten();
            move || drop(listener)
        });
    }

    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let presenter = *mode == Mode::Presenter;
    let body = match *mode {
        Mode::Intro => html! {
            <div class="lesson-intro">
                <p class="lesson-text">{ &l.intro }</p>
                <p>{ format!("{n} steps, each with a question the simulation answers.") }</p>
                <button type="button" class="primary" data-testid="lesson-present" onclick={start(Mode::Presenter)}>{ "Present to a room" }</button>
                <button type="button" data-testid="lesson-study" onclick={start(Mode::SelfStudy)}>{ "Study on my own" }</button>
            </div>
        },
        _ if flow.done => {
            let right = flow.results.iter().filter(|r| **r).count();
            let who = if presenter { "The room" } else { "You" };
            html! {
                <div class="lesson-done" data-testid="lesson-done">
                    <p class="lesson-big">{ format!("Lesson done. {who} got {right} of {n} right.") }</p>
                    if !presenter {
                        <button type="button" onclick={restart.clone()}>{ "Start over" }</button>
                    }
                </div>
            }
        }
        _ => step_view(l, i, &flow, answer, presenter, &pick, &reveal, &next),
    };
    let clock = if flow.revealed {
        step.at
    } else {
        l.step_start(i)
    };
    html! {
        <section class={classes!("lesson-panel", presenter.then_some("presenting"))}
                 aria-label="lesson" data-testid="lesson-panel" data-mode={format!("{:?}", *mode)}>
            <header class="panel-bar">
                <h2 data-testid="lesson-title">{ &l.title }</h2>
                if *mode != Mode::Intro {
                    <div class="lesson-meta">
                        <span class="lesson-count" data-testid="lesson-count">{ format!("Step {} of {n}", i + 1) }</span>
                        <span class="lesson-clock" data-testid="lesson-clock" aria-label="simulated time">{ clock.to_string() }</span>
                        if *mode == Mode::SelfStudy {
                            <span class="lesson-progress" data-testid="lesson-progress">
                                { format!("{} answered, {} right", flow.results.len(), flow.results.iter().filter(|r| **r).count()) }
                            </span>
                        }
                    </div>
                }
                if *mode == Mode::SelfStudy {
                    <button type="button" data-testid="lesson-restart" onclick={restart}>{ "Start over" }</button>
                }
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            { body }
        </section>
    }
}

/// Self-study picks up at the first step not yet answered.
fn resume(f: &mut Flow, l: &Lesson) {
    let mut results = progress::load(&l.id);
    results.truncate(l.steps.len());
    f.step = results.len().min(l.steps.len().saturating_sub(1));
    f.done = results.len() == l.steps.len() && !results.is_empty();
    f.revealed = f.done;
    f.results = results;
}

#[allow(clippy::too_many_arguments)]
fn step_view(
    l: &Lesson,
    i: usize,
    flow: &Flow,
    answer: Option<&Result<StepAnswer, String>>,
    presenter: bool,
    pick: &Callback<Picked>,
    reveal: &Callback<Option<Picked>>,
    next: &Callback<()>,
) -> Html {
    let step = &l.steps[i];
    let q = &step.question;
    let last = i + 1 >= l.steps.len();
    let correct = match answer {
        Some(Ok(a)) => a.choice.map(|c| c as usize),
        _ => None,
    };
    let choice = |c: usize, text: &String| {
        let picked = flow.picked == Some(Picked::Choice(c));
        let verdict = flow.revealed.then(|| {
            if correct == Some(c) {
                "correct"
            } else if picked {
                "wrong"
            } else {
                ""
            }
        });
        let pick = pick.clone();
        html! {
            <li>
                <button type="button" class={classes!("lesson-choice", picked.then_some("picked"), verdict)}
                        data-testid="lesson-choice" data-index={c.to_string()} aria-pressed={picked.to_string()}
                        disabled={flow.revealed || answer.is_none()} onclick={Callback::from(move |_| pick.emit(Picked::Choice(c)))}>
                    <span class="lesson-key" aria-hidden="true">{ c + 1 }</span>{ text }
                </button>
            </li>
        }
    };
    let number = q.choices.is_empty().then(|| {
        let (pick, reveal) = (pick.clone(), reveal.clone());
        let typed = match &flow.picked {
            Some(Picked::Number(n)) => n.clone(),
            _ => String::new(),
        };
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            pick.emit(Picked::Number(v));
        });
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                reveal.emit(Some(Picked::Number(v)));
            }
        });
        html! {
            <label class="lesson-number">
                { if presenter { "The room's number: " } else { "Your number: " } }
                <input type="number" min="0" data-testid="lesson-number" value={typed} disabled={flow.revealed} {onchange} {onkeydown} />
            </label>
        }
    });
    let verdict = flow.revealed.then(|| match answer {
        Some(Ok(a)) => {
            let given = flow.picked.as_ref().map(|p| p.text(&q.choices).to_string());
            let right = given.as_deref().is_some_and(|g| a.is(g));
            let text = match (presenter, given) {
                (true, Some(_)) if right => format!("The room was right: {}.", a.answer),
                (true, Some(g)) => format!("The room said {g}; the simulation says {}.", a.answer),
                (true, None) => format!("The simulation says {}.", a.answer),
                (false, _) if right => format!("Right: {}.", a.answer),
                (false, Some(g)) => format!("Not quite: you said {g}; the simulation says {}.", a.answer),
                (false, None) => format!("The simulation says {}.", a.answer),
            };
            html! {
                <div class={classes!("lesson-verdict", if right { "right" } else { "wrong" })} data-testid="lesson-verdict" data-right={right.to_string()}>
                    <p class="lesson-big">{ text }</p>
                    <p class="lesson-why" data-testid="lesson-why"><strong>{ "Why: " }</strong>{ &a.why }</p>
                </div>
            }
        }
        Some(Err(e)) => html! {
            <p class="lesson-error" data-testid="lesson-error">{ format!("The simulation cannot answer this question: {e}") }</p>
        },
        None => html! {},
    });
    let reveal_click = {
        let reveal = reveal.clone();
        Callback::from(move |_: MouseEvent| reveal.emit(None))
    };
    let next_click = {
        let next = next.clone();
        Callback::from(move |_: MouseEvent| next.emit(()))
    };
    let command = step.command.as_ref().zip(l.command_at(i)).map(|(c, at)| {
        html! { <p class="lesson-command muted">{ format!("At {at}: {}.", command_sentence(c)) }</p> }
    });
    html! {
        <div class="lesson-step" data-testid="lesson-step" data-step={i.to_string()} aria-live="polite">
            <p class="lesson-narrative" data-testid="lesson-narrative">{ &step.narrative }</p>
            { for command }
            <p class="lesson-question" data-testid="lesson-question">{ &q.prompt }</p>
            if !q.choices.is_empty() {
                <ol class="lesson-choices">{ for q.choices.iter().enumerate().map(|(c, t)| choice(c, t)) }</ol>
            }
            { for number }
            if !flow.revealed {
                <button type="button" class="primary" data-testid="lesson-reveal" disabled={answer.is_none()} onclick={reveal_click}>
                    { format!("{} (R): play to {}", if presenter { "Reveal" } else { "Check" }, step.at) }
                </button>
            }
            { for verdict }
            if flow.revealed {
                <button type="button" class="primary" data-testid="lesson-next" onclick={next_click}>
                    { if last { "Finish (N)" } else { "Next step (N)" } }
                </button>
            }
        </div>
    }
}
