//! The lesson form: over the scenario and commands on screen, add steps (a time, optionally a
//! command, a narrative and a question kind), preview the answers the simulation gives, and
//! share the lesson as a link. Building a step and checking it are the core's
//! (`lesson::draft`, `Lesson::validate`, `lesson::answers`); this is fields and messages.

use std::rc::Rc;

use fleetsim_core::command::Timed;
use fleetsim_core::lesson::draft::{StepDraft, COMMANDS};
use fleetsim_core::lesson::{Ask, Lesson, Step, LESSON_FORMAT, MAX_CHOICES, MIN_CHOICES};
use fleetsim_core::scenario::MAX_NAME_CHARS;
use fleetsim_core::share::{decode, encode, Shared};
use fleetsim_core::{Scenario, SimTime};
use yew::prelude::*;

use super::answers::{use_answers, Progress};
use super::Mode;
use crate::share::link::STATE_KEY;

#[derive(Properties, PartialEq)]
pub struct LessonAuthorProps {
    pub scenario: Rc<Scenario>,
    /// The commands on the timeline when the form opened; the lesson's run after them.
    pub script: Rc<Vec<Timed>>,
    /// Try the lesson in the page.
    pub on_try: Callback<(Shared, Mode)>,
    #[prop_or_default]
    pub on_close: Callback<()>,
}

const STATES: [&str; 7] = [
    "PROVISIONING",
    "PENDING",
    "ACTIVATING",
    "RUNNING",
    "DEACTIVATING",
    "STOPPING",
    "STOPPED",
];
const STATUSES: [&str; 5] = ["", "REGISTERING", "ACTIVE", "DRAINING", "DEREGISTERING"];

/// A lesson id from its title: what links and progress keys can hold.
fn slug(title: &str) -> String {
    let s: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "my-lesson".into()
    } else {
        s.chars().take(MAX_NAME_CHARS as usize).collect()
    }
}

fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

#[component]
pub fn LessonAuthor(props: &LessonAuthorProps) -> Html {
    let title = use_state(|| format!("Lesson: {}", props.scenario.name));
    let intro = use_state(String::new);
    let steps = use_state(Vec::<Step>::new);
    let draft = use_state(|| StepDraft {
        kind: "hosts".into(),
        service: props
            .scenario
            .services
            .first()
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        az: props
            .scenario
            .availability_zones
            .first()
            .cloned()
            .unwrap_or_default(),
        state: "RUNNING".into(),
        ..StepDraft::default()
    });
    let draft_errors = use_state(Vec::<String>::new);

    let lesson = Lesson {
        version: LESSON_FORMAT,
        id: slug(&title),
        title: (*title).clone(),
        intro: (*intro).clone(),
        steps: (*steps).clone(),
    };
    let shared = Shared {
        scenario: (*props.scenario).clone(),
        script: (*props.script).clone(),
        at: SimTime::ZERO,
        panel: None,
        lesson: Some(lesson.clone()),
    };
    // The link goes through the same decoder as any link: its limits and checks apply.
    let link = (!lesson.steps.is_empty()).then(|| {
        let text = encode(&shared);
        decode(&text)
            .map(|_| format!("{}#{STATE_KEY}{text}", page_address()))
            .map_err(|e| e.to_string())
    });
    // Only the steps decide the answers: retitling does not run the lesson again.
    let preview = use_answers(Rc::new(Shared {
        lesson: Some(Lesson {
            id: "preview".into(),
            title: "preview".into(),
            intro: String::new(),
            ..lesson.clone()
        }),
        ..shared.clone()
    }));
    let preview: Rc<Vec<_>> = match preview {
        Progress::Ready(a) => a,
        Progress::Working { .. } => Rc::default(),
    };
    let set = |f: fn(&mut StepDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                })
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|t| t.value())
                })
                .unwrap_or_default();
            let mut d = (*draft).clone();
            f(&mut d, v);
            draft.set(d);
        })
    };
    let add = {
        let (draft, steps, errors) = (draft.clone(), steps.clone(), draft_errors.clone());
        Callback::from(move |_: MouseEvent| match draft.build() {
            Ok(step) => {
                let mut s = (*steps).clone();
                s.push(step);
                steps.set(s);
                errors.set(Vec::new());
                draft.set(StepDraft {
                    at: String::new(),
                    command: String::new(),
                    command_arg: String::new(),
                    command_at: String::new(),
                    narrative: String::new(),
                    prompt: String::new(),
                    choices: String::new(),
                    ..(*draft).clone()
                });
            }
            Err(e) => errors.set(e.0.iter().map(|e| e.to_string()).collect()),
        })
    };
    let remove = |i: usize| {
        let steps = steps.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = (*steps).clone();
            s.remove(i);
            steps.set(s);
        })
    };
    let try_it = |mode: Mode| {
        let (on_try, shared) = (props.on_try.clone(), shared.clone());
        Callback::from(move |_: MouseEvent| on_try.emit((shared.clone(), mode)))
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let on_title = {
        let title = title.clone();
        Callback::from(move |e: Event| {
            title.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_intro = {
        let intro = intro.clone();
        Callback::from(move |e: Event| {
            intro.set(
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value(),
            )
        })
    };

    let d = &*draft;
    let params = Ask::KINDS
        .iter()
        .find(|k| k.0 == d.kind)
        .map_or(&[][..], |k| k.2);
    let wants = |p: &str| params.contains(&p);
    let options = |values: Vec<String>, current: &str| -> Html {
        values
            .into_iter()
            .map(|v| {
                let label = if v.is_empty() {
                    "any".to_string()
                } else {
                    v.clone()
                };
                html! { <option value={v.clone()} selected={v == current}>{ label }</option> }
            })
            .collect()
    };
    let services: Vec<String> = props
        .scenario
        .services
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let revisions: Vec<String> = props
        .scenario
        .services
        .iter()
        .find(|s| s.name == d.service)
        .map(|s| s.revisions.iter().map(|r| r.name.clone()).collect())
        .unwrap_or_default();
    let validation = lesson.validate(&props.scenario).err();
    let command_hint = COMMANDS
        .iter()
        .find(|c| c.0 == d.command)
        .map_or("", |c| c.2);

    html! {
        <section class="lesson-author" aria-label="write a lesson" data-testid="lesson-author">
            <header class="panel-bar">
                <h2>{ "Write a lesson" }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            <p class="muted">{ format!("Over “{}” and the {} command{} on its timeline. Each step plays to its time and asks a question the simulation answers.", props.scenario.name, props.script.len(), if props.script.len() == 1 { "" } else { "s" }) }</p>
            <div class="author-grid">
                <label class="field title">
                    <span class="field-label">{ "Title" }</span>
                    <input type="text" data-testid="author-title" value={(*title).clone()} onchange={on_title} />
                </label>
                <label class="field wide">
                    <span class="field-label">{ "Intro" }</span>
                    <textarea data-testid="author-intro" rows="2" value={(*intro).clone()} onchange={on_intro} />
                </label>
            </div>
            <ol class="author-steps" data-testid="author-steps">
                { for steps.iter().enumerate().map(|(i, s)| {
                    let result = preview.get(i).map(|a| match a {
                        Ok(a) => html! { <span class="author-answer" data-testid="author-answer">{ format!("→ {} ", a.answer) }<span class="muted">{ &a.why }</span></span> },
                        Err(e) => html! { <span class="field-error" data-testid="author-answer-error">{ e }</span> },
                    });
                    html! {
                        <li data-testid="author-step">
                            <strong>{ format!("{} · ", s.at) }</strong>{ &s.narrative }{ " " }<em>{ &s.question.prompt }</em>
                            if !s.question.choices.is_empty() { <span class="muted">{ format!(" [{}]", s.question.choices.join(" / ")) }</span> }
                            <br />{ for result }
                            <button type="button" class="small" onclick={remove(i)} aria-label={format!("remove step {}", i + 1)}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ol>
            <fieldset class="editor-section author-draft">
                <legend>{ format!("Step {}", steps.len() + 1) }</legend>
                <div class="row">
                    <label class="field"><span class="field-label">{ "Play to (e.g. 20m, 2h, 14d)" }</span>
                        <input type="text" data-testid="author-at" value={d.at.clone()} onchange={set(|d, v| d.at = v)} /></label>
                    <label class="field"><span class="field-label">{ "Command on the way" }</span>
                        <select data-testid="author-command" onchange={set(|d, v| d.command = v)}>
                            { for COMMANDS.iter().map(|c| html! { <option value={c.0} selected={c.0 == d.command}>{ c.1 }</option> }) }
                        </select></label>
                    if !d.command.is_empty() {
                        <label class="field"><span class="field-label">{ command_hint }</span>
                            <input type="text" data-testid="author-command-arg" value={d.command_arg.clone()} onchange={set(|d, v| d.command_arg = v)} /></label>
                        <label class="field"><span class="field-label">{ "at (empty: the step's start)" }</span>
                            <input type="text" data-testid="author-command-at" value={d.command_at.clone()} onchange={set(|d, v| d.command_at = v)} /></label>
                    }
                </div>
                <div class="row">
                    <label class="field wide"><span class="field-label">{ "Narrative" }</span>
                        <input type="text" data-testid="author-narrative" value={d.narrative.clone()} onchange={set(|d, v| d.narrative = v)} /></label>
                    <label class="field wide"><span class="field-label">{ "Question" }</span>
                        <input type="text" data-testid="author-prompt" value={d.prompt.clone()} onchange={set(|d, v| d.prompt = v)} /></label>
                </div>
                <div class="row">
                    <label class="field"><span class="field-label">{ "The simulation answers" }</span>
                        <select data-testid="author-kind" onchange={set(|d, v| d.kind = v)}>
                            { for Ask::KINDS.iter().map(|k| html! { <option value={k.0} selected={k.0 == d.kind}>{ k.1 }</option> }) }
                        </select></label>
                    if wants("service") {
                        <label class="field"><span class="field-label">{ "Service" }</span>
                            <select data-testid="author-service" onchange={set(|d, v| d.service = v)}>{ options(services.clone(), &d.service) }</select></label>
                    }
                    if wants("n") {
                        <label class="field"><span class="field-label">{ "Nth task" }</span>
                            <input type="text" data-testid="author-n" value={d.n.clone()} onchange={set(|d, v| d.n = v)} /></label>
                    }
                    if wants("az") {
                        <label class="field"><span class="field-label">{ "AZ" }</span>
                            <select data-testid="author-az" onchange={set(|d, v| d.az = v)}>{ options(props.scenario.availability_zones.clone(), &d.az) }</select></label>
                    }
                    if wants("state") {
                        <label class="field"><span class="field-label">{ "Task state" }</span>
                            <select data-testid="author-state" onchange={set(|d, v| d.state = v)}>{ options(STATES.iter().map(|s| s.to_string()).collect(), &d.state) }</select></label>
                    }
                    if wants("status") {
                        <label class="field"><span class="field-label">{ "Host status" }</span>
                            <select data-testid="author-status" onchange={set(|d, v| d.status = v)}>{ options(STATUSES.iter().map(|s| s.to_string()).collect(), &d.status) }</select></label>
                    }
                    if wants("revision") {
                        <label class="field"><span class="field-label">{ "Revision" }</span>
                            <select data-testid="author-revision" onchange={set(|d, v| d.revision = v)}>{ options(revisions, &d.revision) }</select></label>
                    }
                    <label class="field wide"><span class="field-label">{ format!("Choices, comma-separated ({MIN_CHOICES}–{MAX_CHOICES}; empty for a number)") }</span>
                        <input type="text" data-testid="author-choices" value={d.choices.clone()} onchange={set(|d, v| d.choices = v)} /></label>
                </div>
                { for draft_errors.iter().map(|e| html! { <p class="field-error" data-testid="author-error">{ e }</p> }) }
                <button type="button" data-testid="author-add" onclick={add}>{ "Add step" }</button>
            </fieldset>
            if let Some(errors) = &validation {
                if !steps.is_empty() {
                    <ul class="author-problems" data-testid="author-problems">
                        { for errors.0.iter().map(|e| html! { <li class="field-error">{ e.to_string() }</li> }) }
                    </ul>
                }
            }
            if let Some(link) = &link {
                <div class="author-share">
                    { match link {
                        Ok(url) => html! {
                            <>
                                <label class="field wide"><span class="field-label" data-testid="author-link-size">{ format!("Lesson link, {} characters", url.len()) }</span>
                                    <input type="text" readonly=true data-testid="author-link" value={url.clone()} /></label>
                                <button type="button" class="primary" data-testid="author-try" onclick={try_it(Mode::Presenter)}>{ "Preview as presenter" }</button>
                                <button type="button" data-testid="author-study" onclick={try_it(Mode::SelfStudy)}>{ "Preview as self-study" }</button>
                            </>
                        },
                        Err(e) => html! { <p class="field-error" data-testid="author-link-error">{ format!("No link yet: {e}") }</p> },
                    } }
                </div>
            }
        </section>
    }
}
