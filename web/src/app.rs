//! The root component: wires the reducer, the frame clock, the keyboard, the theme and the
//! JavaScript API to the views.

use fleetsim_core::worlds::BuiltIn;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::actions::{DeployForm, DetailsPanel, ServicesPanel};
use crate::charts::canvas::ChartCanvas;
use crate::charts::ChartKind;
use crate::cluster::{ClusterView, MoveLayer};
use crate::controls::Controls;
use crate::deployment_view::DeploymentPanel;
use crate::event_log::EventLog;
use crate::format::dollars_per_hour;
use crate::lb_view::LbView;
use crate::scenarios::World;
use crate::state::{key_action, Action, Model};
use crate::theme::Theme;
use crate::tick::use_frame_clock;

pub use fleetsim_core::worlds::OPENING_TIME;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn initial_world() -> World {
    window()
        .and_then(|w| w.location().hash().ok())
        .map_or(World::Workshop, |h| World::from_hash(&h))
}

fn initial_theme() -> Theme {
    let stored = window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(Theme::STORAGE_KEY).ok().flatten())
        .and_then(|id| Theme::from_id(&id));
    let prefers_light = window()
        .and_then(|w| {
            w.match_media("(prefers-color-scheme: light)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches());
    stored.unwrap_or(if prefers_light {
        Theme::Light
    } else {
        Theme::Dark
    })
}

/// A seed for "new random scenario": the only non-deterministic input, drawn here in the
/// shell; the core then runs from it deterministically and the header shows it.
fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        return 1;
    }
    // Short enough to read out in a workshop.
    u64::from_le_bytes(b) % 1_000_000
}

#[component]
pub fn App() -> Html {
    let model = use_reducer(|| Model::new(initial_world(), initial_theme()));
    // One callback for the app's lifetime: a new one each render would make every child's
    // props differ and re-render all 300 host cards on every frame.
    let dispatch: Callback<Action> = {
        let d = model.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a| d.dispatch(a)))).clone()
    };
    use_frame_clock({
        let d = dispatch.clone();
        Callback::from(move |dt| d.emit(Action::Tick(dt)))
    });
    {
        // Keyboard shortcuts anywhere on the page, except while typing in a field.
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            let doc = gloo_utils_document();
            // Not passive: space must not also scroll the page.
            let options = gloo_events::EventListenerOptions::enable_prevent_default();
            let listener =
                gloo_events::EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| {
                            matches!(
                                el.tag_name().as_str(),
                                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                            ) && e.key() == " "
                                || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA")
                        });
                    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    if let Some(a) = key_action(&e.key()) {
                        e.prevent_default();
                        d.emit(a);
                    }
                });
            move || drop(listener)
        });
    }
    {
        let shared = model.shared.0.clone();
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            let installed = crate::js_api::install(shared, d);
            move || drop(installed)
        });
    }
    {
        // Remember the theme for the next visit.
        use_effect_with(model.theme, |t| {
            if let Some(s) = window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = s.set_item(Theme::STORAGE_KEY, t.id());
            }
        });
    }
    {
        // The URL names the world, so a random scenario can be shared by its seed.
        use_effect_with(model.world, |w| {
            if let (Some(hash), Some(h)) = (w.hash(), window().and_then(|w| w.history().ok())) {
                let url = if hash.is_empty() {
                    " ".to_string()
                } else {
                    hash
                };
                let _ =
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url.trim()));
            }
        });
    }

    let m = &*model;
    let theme_class = format!("theme-{}", m.theme.id());
    let on_theme = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::SetTheme(Theme::from_id(&v).unwrap_or(Theme::Dark)))
        })
    };
    let on_world = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let w = match v.as_str() {
                "large" => World::Large,
                "random" => World::Random(random_seed()),
                _ => World::Workshop,
            };
            d.emit(Action::NewWorld(w))
        })
    };
    let new_random = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::NewWorld(World::Random(random_seed()))))
    };
    let toggle_anim = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::ToggleAnimations))
    };
    let t = &m.totals;
    let on_spot = m.cluster.azs.iter().any(|a| a.hosts.iter().any(|h| h.spot));
    let rate = t.rate();
    let saving = fleetsim_core::cost::saving_vs_fargate_bp(rate, t.fargate_per_hour)
        .map(|bp| bp as f64 / 100.0);
    let world_value = match m.world {
        World::Workshop => "workshop",
        World::Large => "large",
        World::Random(_) => "random",
        World::Opened => "opened",
    };
    html! {
        <div class={classes!("app", theme_class, (!m.animations).then_some("no-anim"))}>
            <header class="topbar">
                <h1>{ "fleetsim" }</h1>
                <span class="subtitle">{ "ECS Managed Instances" }</span>
                <span class="scenario" data-testid="scenario">
                    { &m.scenario_name }
                    if let World::Random(seed) = m.world { <span class="seed" data-testid="seed">{ format!(" · seed {seed}") }</span> }
                </span>
                <div class="top-actions">
                    <label><span class="sr-only">{ "Scenario" }</span>
                        <select onchange={on_world} aria-label="Scenario" data-testid="world">
                            <option value="workshop" selected={world_value == "workshop"}>{ BuiltIn::Workshop.title() }</option>
                            <option value="random" selected={world_value == "random"}>{ BuiltIn::Random(0).title() }</option>
                            <option value="large" selected={world_value == "large"}>{ BuiltIn::Large.title() }</option>
                            if m.world == World::Opened {
                                <option value="opened" selected=true disabled=true>{ format!("Opened: {}", m.scenario_name) }</option>
                            }
                        </select>
                    </label>
                    <button onclick={new_random} data-testid="new-random">{ "New random scenario" }</button>
                    <label><span class="sr-only">{ "Theme" }</span>
                        <select onchange={on_theme} aria-label="Theme" data-testid="theme">
                            { for Theme::ALL.iter().map(|th| html! { <option value={th.id()} selected={*th == m.theme}>{ th.label() }</option> }) }
                        </select>
                    </label>
                    <button onclick={toggle_anim} aria-pressed={(!m.animations).to_string()} data-testid="toggle-animations">
                        { if m.animations { "Animations on" } else { "Animations off" } }
                    </button>
                </div>
            </header>
            <crate::workbench::Workbench shared={m.shared.clone()} generation={m.slow_gen} panel={AttrValue::from(m.chart_kind.id())} dispatch={dispatch.clone()} />
            <Controls playing={m.playing} speed={m.speed} now={m.now} reached={m.reached} chart={m.chart.clone()} dispatch={dispatch.clone()} busy={m.busy} />
            if let Some(err) = &m.error {
                <div class="toast" role="alert" data-testid="error">
                    { err.clone() }
                    <button class="small" onclick={let d = dispatch.clone(); move |_| d.emit(Action::DismissError)} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            <main class="layout">
                <div class="main-col">
                    <section class="summary" aria-label="Cluster totals">
                        <dl class="totals" data-testid="totals" data-hosts={m.cluster.hosts.to_string()}>
                            <div><dt>{ "hosts" }</dt><dd>{ t.hosts }{ if t.hosts_draining > 0 { format!(" ({} draining)", t.hosts_draining) } else { String::new() } }</dd></div>
                            <div><dt>{ "tasks running" }</dt><dd>{ t.tasks_running }</dd></div>
                            <div><dt>{ "pending" }</dt><dd>{ t.tasks_pending }</dd></div>
                            <div><dt>{ "cost now" }{ crate::provenance::badge("fee") }{ if on_spot { crate::provenance::badge("spotPrice") } else { Html::default() } }</dt><dd data-testid="rate">{ dollars_per_hour(rate) }</dd></div>
                            <div><dt>{ "Fargate would be" }</dt><dd>{ dollars_per_hour(t.fargate_per_hour) }</dd></div>
                            if let Some(s) = saving {
                                <div><dt>{ "vs Fargate" }</dt><dd class={if s >= 0.0 { "good" } else { "bad" }}>
                                    { if s >= 0.0 { format!("{s:.0} % cheaper") } else { format!("{:.0} % dearer", -s) } }</dd></div>
                            }
                            <div><dt>{ "spent so far" }</dt><dd>{ t.cumulative.to_string() }</dd></div>
                        </dl>
                        <Legend />
                    </section>
                    <ClusterView cluster={m.cluster.clone()} selection={m.selection} theme={m.theme} dispatch={dispatch.clone()} />
                    <MoveLayer moves={m.moves.clone()} generation={m.move_gen} enabled={m.animations} />
                </div>
                <aside class="side-col">
                    <DeploymentPanel deployment={m.deployment.clone()} now={m.now} dispatch={dispatch.clone()} />
                    <LbView deployment={m.deployment.clone()} totals={m.totals} animations={m.animations} />
                    <DetailsPanel shared={m.shared.clone()} generation={m.slow_gen} selection={m.selection} dispatch={dispatch.clone()} />
                </aside>
                <section class="panel charts" aria-label="Charts">
                    <div class="tabs" role="tablist">
                        { for ChartKind::ALL.iter().map(|k| {
                            let k = *k;
                            let d = dispatch.clone();
                            html! { <button role="tab" aria-selected={(k == m.chart_kind).to_string()} data-testid={format!("tab-{}", k.id())}
                                class={classes!("tab", (k == m.chart_kind).then_some("on"))}
                                onclick={move |_| d.emit(Action::SetChart(k))}>{ k.title() }</button> }
                        }) }
                    </div>
                    <ChartCanvas kind={m.chart_kind} data={m.chart.clone()} palette={m.theme.palette()} type_scale={m.theme.type_scale()} />
                </section>
                <EventLog shared={m.shared.clone()} generation={m.slow_gen} filter={m.filter.clone()}
                    services={m.cluster.services.clone()} dispatch={dispatch.clone()} />
                <div class="forms">
                    <ServicesPanel shared={m.shared.clone()} generation={m.slow_gen} dispatch={dispatch.clone()} />
                    <DeployForm shared={m.shared.clone()} generation={m.slow_gen} dispatch={dispatch.clone()} />
                </div>
            </main>
        </div>
    }
}

fn gloo_utils_document() -> web_sys::Document {
    window().and_then(|w| w.document()).expect("a document")
}

use wasm_bindgen::JsCast;

/// What the shapes and colours mean, for a room that sees them for the first time.
#[component]
fn Legend() -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            <li><span class="task svc-0 st-running blue"></span>{ "blue revision" }</li>
            <li><span class="task svc-0 st-running green"></span>{ "green (new) revision" }</li>
            <li><span class="task svc-0 st-pending blue"></span>{ "starting" }</li>
            <li><span class="task svc-0 st-stopping blue"></span>{ "stopping" }</li>
            <li><span class="task svc-0 st-running blue protected"></span>{ "protected" }</li>
            <li><span class="task svc-0 st-running standalone"></span>{ "standalone" }</li>
            <li><span class="legend-draining"></span>{ "draining host" }</li>
        </ul>
    }
}
