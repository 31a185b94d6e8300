//! `window.fleetsim`: a small JavaScript API for the end-to-end tests, instructors' scripts
//! and slides that embed the simulator. It issues the same actions the UI does; the reducer
//! runs synchronously inside `dispatch`, so a read right after a call sees its effect: `seek`
//! completes within the call (the page's own timeline, keys and links seek in slices across
//! frames instead; `state().replayingPercent` shows one under way).

use std::fmt;

use fleetsim_core::world::TaskState;
use fleetsim_core::{Command, SimTime, ValidationError};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::scenarios::World;
use crate::snapshot::focus_deployment;
use crate::state::{Action, Shared, SPEEDS};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookSummary {
    pub name: String,
    pub status: Option<&'static str>,
    pub invocations: u32,
    pub awaiting_action: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSummary {
    pub service: String,
    pub strategy: &'static str,
    pub status: &'static str,
    pub stage: Option<&'static str>,
    pub stages_seen: Vec<&'static str>,
    pub rolling_back: bool,
    pub production_green_percent: f64,
    pub test_green_percent: f64,
    pub hooks: Vec<HookSummary>,
    pub reason: Option<String>,
    pub finished: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub now_ms: u64,
    pub clock: String,
    pub reached_ms: u64,
    pub playing: bool,
    pub speed: &'static str,
    pub world: String,
    pub scenario: String,
    pub seed: u64,
    pub hosts: u32,
    pub host_ids: Vec<u32>,
    /// `{az: {state: hosts}}`. JSON maps (the `Map` serde_json already carries) rather than
    /// map types of our own, which would each add their code to the download.
    pub hosts_by_az: Map<String, Value>,
    pub hosts_by_state: Map<String, Value>,
    pub tasks_by_state: Map<String, Value>,
    pub rate_per_hour: f64,
    pub cumulative: f64,
    pub fargate_per_hour: f64,
    pub lower_bound_per_hour: f64,
    pub events: u64,
    /// The event-log digest (16 hex digits), as `fleetsim run` prints it: the same scenario,
    /// seed and commands give the same digest natively and here.
    pub digest: String,
    pub checkpoints: u32,
    /// A seek or link replay under way in the page (percent done); `null` when idle.
    /// `seek(ms)` itself completes within the call, so scripts never see one of their own.
    pub replaying_percent: Option<f64>,
    /// The page's measured simulation throughput, which sizes its slices of work.
    pub timers_per_ms: f64,
    pub deployment: Option<DeploymentSummary>,
    pub last_error: Option<String>,
    /// The wasm linear memory's size: the simulation's heap, which the JS heap figure misses.
    pub wasm_memory_bytes: f64,
}

fn count(m: &mut Map<String, Value>, key: String) {
    let n = m.get(&key).and_then(Value::as_u64).unwrap_or(0);
    m.insert(key, Value::from(n + 1));
}

pub fn summary(shared: &Shared) -> Summary {
    let engine = shared.engine.borrow();
    let sim = engine.sim();
    let names = sim.names();
    let mut hosts_by_az: Map<String, Value> = sim
        .az_names()
        .map(|a| (a.to_string(), Value::Object(Map::new())))
        .collect();
    let mut hosts_by_state = Map::new();
    for h in sim.hosts() {
        let s = h.status.to_string();
        if let Some(Value::Object(az)) = hosts_by_az.get_mut(names.az(h.az)) {
            count(az, s.clone());
        }
        count(&mut hosts_by_state, s);
    }
    let mut tasks_by_state = Map::new();
    for t in sim.tasks().filter(|t| t.state != TaskState::Stopped) {
        count(&mut tasks_by_state, t.state.to_string());
    }
    let cost = sim.sample_now();
    let deployment = focus_deployment(sim).map(|d| DeploymentSummary {
        service: d.service.clone(),
        strategy: d.strategy.api_name(),
        status: d.status.api_name(),
        stage: d.stage.map(|s| s.api_name()),
        stages_seen: d.timeline.iter().map(|r| r.stage.api_name()).collect(),
        rolling_back: d.rolling_back,
        production_green_percent: f64::from(d.production.green_bp()) / 100.0,
        test_green_percent: f64::from(d.test.green_bp()) / 100.0,
        hooks: d
            .hooks
            .iter()
            .map(|h| HookSummary {
                name: h.name.clone(),
                status: h.status.map(|s| s.api_name()),
                invocations: h.invocations,
                awaiting_action: h.awaiting_action,
            })
            .collect(),
        reason: d.reason.clone(),
        finished: d.finished_at.is_some(),
    });
    Summary {
        now_ms: sim.now().0,
        clock: sim.now().to_string(),
        reached_ms: engine.reached().0,
        playing: shared.playing.get(),
        speed: SPEEDS[shared.speed.get()].1,
        world: shared.world.get().name(),
        scenario: sim.scenario().name.clone(),
        seed: sim.scenario().seed,
        hosts: sim.hosts().count() as u32,
        host_ids: sim.hosts().map(|h| h.id.0).collect(),
        hosts_by_az,
        hosts_by_state,
        tasks_by_state,
        rate_per_hour: cost.rate().dollars(),
        cumulative: cost.cumulative.dollars(),
        fargate_per_hour: cost.fargate_per_hour.dollars(),
        lower_bound_per_hour: cost.lower_bound_per_hour.dollars(),
        events: sim.event_count(),
        digest: format!("{:016x}", sim.digest()),
        checkpoints: engine.checkpoint_count(),
        replaying_percent: engine.busy().map(|f| (f * 100.0).floor()),
        timers_per_ms: shared.timers_per_ms.get(),
        deployment,
        last_error: engine.last_error.as_ref().map(ToString::to_string),
        wasm_memory_bytes: wasm_memory_bytes(),
    }
}

fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
}

/// Values cross as JSON text through serde_json, which the core already carries for
/// scenarios; a second serde format (serde-wasm-bindgen) would add another copy of the
/// command and scenario deserializers to the download.
fn to_js<T: Serialize>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// Why an argument from JavaScript could not be read.
enum ArgError {
    NotJson,
    Invalid(ValidationError),
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::NotJson => f.write_str("not JSON-serialisable"),
            ArgError::Invalid(e) => e.fmt(f),
        }
    }
}

fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, ArgError> {
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or(ArgError::NotJson)?;
    // Through the core's reader: the error names the JSON path, and the scenario's types keep
    // one copy of their deserializers in the download.
    fleetsim_core::scenario::parse::from_json(&text).map_err(ArgError::Invalid)
}

/// Installs `window.fleetsim`; the returned guard removes it and frees the closures.
pub struct Installed {
    _closures: Vec<Closure<dyn Fn(JsValue) -> JsValue>>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::delete_property(&w, &JsValue::from_str("fleetsim"));
        }
    }
}

pub fn install(shared: std::rc::Rc<Shared>, dispatch: yew::Callback<Action>) -> Installed {
    let api = js_sys::Object::new();
    let mut closures = Vec::new();
    let mut add = |name: &str, f: Box<dyn Fn(JsValue) -> JsValue>| {
        let c = Closure::wrap(f);
        let _ = js_sys::Reflect::set(&api, &JsValue::from_str(name), c.as_ref().unchecked_ref());
        closures.push(c);
    };
    let state = {
        let shared = shared.clone();
        move || to_js(&summary(&shared))
    };
    let then = |action: fn(JsValue) -> Option<Action>| {
        let (d, state) = (dispatch.clone(), state.clone());
        Box::new(move |arg: JsValue| {
            if let Some(a) = action(arg) {
                d.emit(a);
            }
            state()
        }) as Box<dyn Fn(JsValue) -> JsValue>
    };
    add("state", then(|_| None));
    add("play", then(|_| Some(Action::Play)));
    add("pause", then(|_| Some(Action::Pause)));
    add("step", then(|_| Some(Action::Step)));
    add("back", then(|_| Some(Action::Back)));
    add(
        "seek",
        then(|ms| {
            ms.as_f64()
                .map(|v| Action::SeekNow(SimTime(v.max(0.0) as u64)))
        }),
    );
    add(
        "advance",
        then(|ms| ms.as_f64().map(|v| Action::Advance(v.max(0.0) as u64))),
    );
    add(
        "setSpeed",
        then(|i| i.as_f64().map(|v| Action::SetSpeed(v.max(0.0) as usize))),
    );
    add(
        "topSpeed",
        then(|_| Some(Action::SetSpeed(SPEEDS.len() - 1))),
    );
    add(
        "world",
        then(|w| {
            let w = match w.as_f64() {
                Some(seed) => World::Random(seed as u64),
                None => World::from_hash(&w.as_string().unwrap_or_default()),
            };
            Some(Action::NewWorld(w))
        }),
    );
    {
        // command({type: "drainHost", host: 3}) → {ok, error, state}
        let (d, shared) = (dispatch.clone(), shared.clone());
        add(
            "command",
            Box::new(move |arg: JsValue| {
                let result = match from_js::<Command>(&arg) {
                    Ok(c) => {
                        d.emit(Action::Command(c));
                        shared
                            .engine
                            .borrow()
                            .last_error
                            .as_ref()
                            .map(ToString::to_string)
                    }
                    Err(e) => Some(format!("not a command: {e}")),
                };
                #[derive(Serialize)]
                struct Reply {
                    ok: bool,
                    error: Option<String>,
                }
                to_js(&Reply {
                    ok: result.is_none(),
                    error: result,
                })
            }),
        );
    }
    {
        // events(n) → the newest n log entries as {at, kind, category, sentence}
        let shared = shared.clone();
        add(
            "events",
            Box::new(move |n: JsValue| {
                #[derive(Serialize)]
                struct Row {
                    at: u64,
                    kind: &'static str,
                    sentence: String,
                }
                let engine = shared.engine.borrow();
                let n = n.as_f64().unwrap_or(50.0) as usize;
                let rows: Vec<Row> = engine
                    .log()
                    .iter()
                    .rev()
                    .take(n)
                    .map(|e| Row {
                        at: e.event.at.0,
                        kind: e.event.kind.name(),
                        sentence: engine.sim().describe(&e.event),
                    })
                    .collect();
                to_js(&rows)
            }),
        );
    }
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &JsValue::from_str("fleetsim"), &api);
    }
    Installed {
        _closures: closures,
    }
}
