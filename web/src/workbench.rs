//! The toolbar and its panels — Share, Presets, Write a lesson, Edit scenario, Compare, Export,
//! and the bring-your-own-ECS panels (Import from AWS, Export for ECS, Cost verdict) — as one
//! component over the app's engine cell, so wiring it into the app is a single line. It reads
//! the engine when a button is pressed, and at the slow-view rate for the autosave key and
//! the running scenario.

use std::rc::Rc;

use fleetsim_core::command::Timed;
use fleetsim_core::hash;
use fleetsim_core::share::Shared;
use fleetsim_core::{Scenario, SimTime};
use yew::prelude::*;

use crate::aws::{EcsExportPanel, ImportPanel, Imported, VerdictPanel};
use crate::compare::ComparePanel;
use crate::editor::ScenarioEditor;
use crate::export::{ExportData, ExportMenu};
use crate::lesson::{LessonAuthor, LessonPanel, Mode};
use crate::presets_panel::PresetsPanel;
use crate::scenarios::World;
use crate::share::{shared_of, ShareBar};
use crate::state::{Action, SharedRef};

#[derive(Clone, PartialEq)]
enum Open {
    Presets,
    /// A lesson running over the opened state, in a mode.
    Lesson(Rc<Shared>, Mode),
    /// The lesson form over the scenario and timeline on screen when it opened.
    Author(Rc<Scenario>, Rc<Vec<Timed>>),
    Editor(Rc<Scenario>),
    /// The state compared, fixed when the panel opened (time moving on must not restart it).
    Compare(Rc<Shared>),
    Export,
    Import,
    EcsExport,
    Verdict,
}

#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    pub shared: SharedRef,
    /// The app's slow-view generation: the engine may have changed when it moves.
    pub generation: u64,
    /// The panel to record in a share link (the open chart).
    #[prop_or_default]
    pub panel: Option<AttrValue>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let open = use_state(|| None::<Open>);
    let state = {
        let (engine_cell, panel) = (props.shared.clone(), props.panel.clone());
        use_callback((engine_cell, panel), |_: (), (cell, panel)| {
            shared_of(
                &cell.0.engine.borrow(),
                panel.as_ref().map(|p| p.to_string()),
            )
        })
    };
    // The save key changes when the scenario or the command timeline changes (not when time
    // moves); the scenario is what the export and verdict panels show.
    let (save_key, running) = {
        let cell = props.shared.clone();
        let m = use_memo(props.generation, move |_| {
            let engine = cell.0.engine.borrow();
            let scenario = engine.sim().scenario();
            let json = serde_json::to_string(scenario).unwrap_or_default();
            (
                hash::fold(hash::fold(0, &json), &engine.timeline()),
                Rc::new(scenario.clone()),
            )
        });
        (m.0, m.1.clone())
    };
    let imported = use_state(|| None::<Rc<Imported>>);
    // A state with a lesson (a lesson link, `#p=<id>`) opens the lesson with it.
    let on_load = {
        let (d, open) = (props.dispatch.clone(), open.clone());
        Callback::from(move |s: Shared| {
            if s.lesson.is_some() {
                open.set(Some(Open::Lesson(Rc::new(s.clone()), Mode::Intro)));
            }
            d.emit(Action::Load(Box::new(s)))
        })
    };
    let on_lesson = {
        let (d, open) = (props.dispatch.clone(), open.clone());
        Callback::from(move |(s, mode): (Shared, Mode)| {
            open.set(Some(Open::Lesson(Rc::new(s.clone()), mode)));
            d.emit(Action::Load(Box::new(s)))
        })
    };
    let on_seek = {
        let d = props.dispatch.clone();
        Callback::from(move |t: SimTime| d.emit(Action::Seek(t)))
    };
    let on_default = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.emit(Action::NewWorld(World::Workshop)))
    };
    let toggle = |make: fn(&SharedRef) -> Open| {
        let (open, cell) = (open.clone(), props.shared.clone());
        Callback::from(move |_: MouseEvent| {
            let next = make(&cell);
            let same = open
                .as_ref()
                .is_some_and(|o| std::mem::discriminant(o) == std::mem::discriminant(&next));
            open.set(if same { None } else { Some(next) });
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_| open.set(None))
    };
    let is = |f: fn(&Open) -> bool| open.as_ref().is_some_and(f).to_string();

    let panel = match (*open).clone() {
        None => html! {},
        Some(Open::Presets) => {
            html! { <PresetsPanel on_lesson={on_lesson.clone()} on_close={close} /> }
        }
        Some(Open::Lesson(shared, mode)) => {
            html! { <LessonPanel {shared} {mode} on_seek={on_seek.clone()} on_close={close} /> }
        }
        Some(Open::Author(scenario, script)) => {
            html! { <LessonAuthor {scenario} {script} on_try={on_lesson.clone()} on_close={close} /> }
        }
        Some(Open::Editor(s)) => {
            let (on_load, open) = (on_load.clone(), open.clone());
            // A new scenario starts from its beginning, opened where new worlds open.
            let on_apply = Callback::from(move |scenario: Scenario| {
                on_load.emit(Shared {
                    scenario: scenario.clone(),
                    script: Vec::new(),
                    at: crate::app::OPENING_TIME,
                    panel: None,
                    lesson: None,
                });
                open.set(Some(Open::Editor(Rc::new(scenario))));
            });
            html! { <ScenarioEditor scenario={(*s).clone()} {on_apply} on_close={close} /> }
        }
        Some(Open::Compare(base)) => {
            html! { <ComparePanel base={(*base).clone()} on_close={close} /> }
        }
        Some(Open::Export) => {
            let cell = props.shared.clone();
            let data = Callback::from(move |_: ()| ExportData::of(&cell.0.engine.borrow()));
            html! { <ExportMenu {data} /> }
        }
        Some(Open::Import) => {
            let (on_load, imported_state) = (on_load.clone(), imported.clone());
            // Opened like an applied edit: from its beginning, where new worlds open.
            let on_import = Callback::from(move |i: Rc<Imported>| {
                on_load.emit(Shared {
                    scenario: i.scenario.clone(),
                    script: Vec::new(),
                    at: crate::app::OPENING_TIME,
                    panel: None,
                    lesson: None,
                });
                imported_state.set(Some(i));
            });
            let now = imported.as_ref().is_some_and(|i| i.scenario == *running);
            html! { <ImportPanel imported={(*imported).clone()} running={now} {on_import} on_close={close} /> }
        }
        Some(Open::EcsExport) => {
            html! { <EcsExportPanel scenario={running.clone()} on_close={close} /> }
        }
        Some(Open::Verdict) => {
            html! { <VerdictPanel scenario={running.clone()} on_close={close} /> }
        }
    };

    html! {
        <div class="workbench">
            <div class="workbench-bar" role="toolbar" aria-label="share, presets, lessons, editor, compare, export, import from AWS, export for ECS, cost verdict">
                <ShareBar {state} {on_load} {on_default} {save_key} />
                <button type="button" data-testid="open-presets" aria-pressed={is(|o| matches!(o, Open::Presets))}
                        onclick={toggle(|_| Open::Presets)}>{ "Presets" }</button>
                <button type="button" data-testid="open-author" aria-pressed={is(|o| matches!(o, Open::Author(..)))}
                        onclick={toggle(|c| {
                            let engine = c.0.engine.borrow();
                            Open::Author(Rc::new(engine.sim().scenario().clone()), Rc::new(engine.timeline().to_vec()))
                        })}>{ "Write a lesson" }</button>
                <button type="button" data-testid="open-editor" aria-pressed={is(|o| matches!(o, Open::Editor(_)))}
                        onclick={toggle(|c| Open::Editor(Rc::new(c.0.engine.borrow().sim().scenario().clone())))}>{ "Edit scenario" }</button>
                <button type="button" data-testid="open-compare" aria-pressed={is(|o| matches!(o, Open::Compare(_)))}
                        onclick={toggle(|c| {
                            let mut s = shared_of(&c.0.engine.borrow(), None);
                            s.at = SimTime::ZERO;
                            Open::Compare(Rc::new(s))
                        })}>{ "Compare" }</button>
                <button type="button" data-testid="open-export" aria-pressed={is(|o| matches!(o, Open::Export))}
                        onclick={toggle(|_| Open::Export)}>{ "Export" }</button>
                <span class="toolbar-gap" aria-hidden="true"></span>
                <button type="button" data-testid="open-import" aria-pressed={is(|o| matches!(o, Open::Import))}
                        onclick={toggle(|_| Open::Import)}>{ "Import from AWS" }</button>
                <button type="button" data-testid="open-ecs-export" aria-pressed={is(|o| matches!(o, Open::EcsExport))}
                        onclick={toggle(|_| Open::EcsExport)}>{ "Export for ECS" }</button>
                <button type="button" data-testid="open-verdict" aria-pressed={is(|o| matches!(o, Open::Verdict))}
                        onclick={toggle(|_| Open::Verdict)}>{ "Cost verdict" }</button>
            </div>
            { panel }
        </div>
    }
}
