//! The app's state: an `Action` enum and a `Reducible` model. The simulation itself lives in
//! a shared `Engine` cell that `reduce` advances in place: cloning a 5,000-task world on every
//! frame (what a by-value reducer would do) costs more than the frame budget. Everything the
//! components draw is rebuilt here as cheap `Rc` snapshots. Side effects (storage, timers, the
//! JavaScript API) live in `use_effect_with` hooks, never in `reduce`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use fleetsim_core::deploy::view::DeploymentView;
use fleetsim_core::event::Category;
use fleetsim_core::metrics::Sample;
use fleetsim_core::{Command, SimTime};
use yew::prelude::*;

use crate::charts::ChartKind;
use crate::engine::{Engine, Move};
use crate::scenarios::World;
use crate::snapshot::{focus_deployment, ChartData, Cluster};
use crate::theme::Theme;

/// Simulated milliseconds per wall millisecond, with the label the speed control shows.
pub const SPEEDS: [(f64, &str); 9] = [
    (1.0, "1× real time"),
    (10.0, "10×"),
    (60.0, "1 min/s"),
    (300.0, "5 min/s"),
    (1_800.0, "30 min/s"),
    (3_600.0, "1 h/s"),
    (14_400.0, "4 h/s"),
    (43_200.0, "12 h/s"),
    (86_400.0, "1 day/s"),
];
pub const DEFAULT_SPEED: usize = 3;
/// Views that are costly to redraw (charts, log, details) refresh at most this often while
/// time runs; the clock and the cluster follow every frame.
const SLOW_VIEW_MS: f64 = 250.0;
/// A frame longer than this (a background tab, a breakpoint) is not replayed at full speed.
const MAX_FRAME_MS: f64 = 100.0;

/// The engine, shared by the reducer and the JavaScript API. Its identity never changes (a new
/// world replaces the engine inside it), so props compare it by pointer.
pub struct Shared {
    pub engine: RefCell<Engine>,
    pub playing: Cell<bool>,
    pub speed: Cell<usize>,
    pub world: Cell<World>,
    /// While a link opens in slices: the world it replaces, for Cancel or a link that fails.
    pub previous: RefCell<Option<(Engine, World)>>,
    /// Measured simulation throughput (timers per wall millisecond), to size the next slice.
    pub timers_per_ms: Cell<f64>,
}

#[derive(Clone)]
pub struct SharedRef(pub Rc<Shared>);

impl PartialEq for SharedRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Host(u32),
    Task(u32),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub category: Option<Category>,
    pub service: Option<u32>,
    /// Show routine task-state steps too.
    pub routine: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A display frame: wall milliseconds since the previous one.
    Tick(f64),
    TogglePlay,
    Play,
    Pause,
    Step,
    Back,
    Faster,
    Slower,
    SetSpeed(usize),
    /// Go to a time in slices across frames (the page's timeline, keys and log).
    Seek(SimTime),
    /// Go to a time within this call (`window.fleetsim.seek`, for scripts).
    SeekNow(SimTime),
    /// Stop a seek or link replay under way and go back to where the page was.
    Cancel,
    Advance(u64),
    Command(Command),
    Select(Option<Selection>),
    /// Clicked in the log: select what the event is about and move the timeline there.
    GoToEvent {
        at: SimTime,
        selection: Option<Selection>,
    },
    SetFilter(Filter),
    SetTheme(Theme),
    ToggleAnimations,
    SetChart(ChartKind),
    NewWorld(World),
    /// Open a shared state: a link, a preset, a restored session, an edited scenario.
    Load(Box<fleetsim_core::share::Shared>),
    DismissError,
}

#[derive(Clone)]
pub struct Model {
    pub shared: SharedRef,
    pub world: World,
    pub scenario_name: AttrValue,
    pub playing: bool,
    pub speed: usize,
    carry: f64,
    since_slow: f64,
    pub now: SimTime,
    pub reached: SimTime,
    pub totals: Sample,
    pub cluster: Rc<Cluster>,
    pub chart: Rc<ChartData>,
    pub deployment: Option<Rc<DeploymentView>>,
    /// Replacements to animate, new with each `move_gen`.
    pub moves: Rc<Vec<Move>>,
    pub move_gen: u64,
    /// Bumped when the slow views (log, details, services) should re-read the engine.
    pub slow_gen: u64,
    pub chart_kind: ChartKind,
    pub filter: Filter,
    pub selection: Option<Selection>,
    pub theme: Theme,
    pub animations: bool,
    pub error: Option<AttrValue>,
    /// A seek or link replay under way: percent done, and whether it opens a link.
    pub busy: Option<Busy>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    pub percent: u8,
    pub opening: bool,
}

impl Model {
    pub fn new(world: World, theme: Theme) -> Model {
        let scenario = world.scenario().unwrap_or_else(crate::scenarios::workshop);
        let engine = Engine::new(scenario).unwrap_or_else(|e| {
            // The built-in worlds are tested natively; this only guards a broken edit.
            panic!("built-in scenario is invalid: {e}")
        });
        let shared = SharedRef(Rc::new(Shared {
            engine: RefCell::new(engine),
            playing: Cell::new(false),
            speed: Cell::new(DEFAULT_SPEED),
            world: Cell::new(world),
            previous: RefCell::new(None),
            timers_per_ms: Cell::new(crate::slice::FIRST_RATE),
        }));
        let mut m = Model {
            shared,
            world,
            scenario_name: AttrValue::default(),
            playing: false,
            speed: DEFAULT_SPEED,
            carry: 0.0,
            since_slow: 0.0,
            now: SimTime::ZERO,
            reached: SimTime::ZERO,
            totals: Sample::default(),
            cluster: Rc::default(),
            chart: Rc::default(),
            deployment: None,
            moves: Rc::default(),
            move_gen: 0,
            slow_gen: 0,
            chart_kind: ChartKind::CostRate,
            filter: Filter::default(),
            selection: None,
            theme,
            animations: true,
            error: None,
            busy: None,
        };
        m.shared
            .0
            .engine
            .borrow_mut()
            .seek(crate::app::OPENING_TIME);
        m.refresh(true, true);
        m
    }

    /// Rebuilds the snapshots from the engine; `slow` also refreshes the throttled views, and
    /// `cluster` the cluster picture.
    fn refresh(&mut self, slow: bool, cluster: bool) {
        let engine = self.shared.0.engine.borrow();
        let sim = engine.sim();
        self.now = sim.now();
        self.reached = engine.reached();
        self.totals = sim.sample_now();
        self.scenario_name = AttrValue::from(sim.scenario().name.clone());
        if cluster {
            self.cluster = Rc::new(Cluster::build(sim, &self.cluster));
        }
        let dep = focus_deployment(sim);
        self.deployment = match (dep, &self.deployment) {
            (Some(d), Some(old)) if **old == d => Some(Rc::clone(old)),
            (d, _) => d.map(Rc::new),
        };
        if let Some(err) = &engine.last_error {
            self.error = Some(AttrValue::from(err.to_string()));
        }
        self.busy = None;
        if slow {
            self.chart = Rc::new(ChartData::build(&engine));
            self.slow_gen += 1;
            self.since_slow = 0.0;
        }
        drop(engine);
        self.shared.0.playing.set(self.playing);
        self.shared.0.speed.set(self.speed);
        self.shared.0.world.set(self.world);
    }

    pub fn speed_label(&self) -> &'static str {
        SPEEDS[self.speed].1
    }

    /// Does up to one frame's share of the seek under way.
    fn slice(&mut self, engine: &mut Engine) {
        let done = crate::slice::one_frame(&self.shared.0.timers_per_ms, |budget| {
            let timers = engine.work(budget);
            (timers, engine.busy().is_none())
        });
        if done {
            self.finish_opening(engine);
        }
    }

    /// A link that finished replaying: keep it, or put the previous world back when one of
    /// its commands did not apply (as a link that does not decode).
    fn finish_opening(&mut self, engine: &mut Engine) {
        let Some((old, world)) = self.shared.0.previous.borrow_mut().take() else {
            return;
        };
        if let Some(e) = engine.replay_error().cloned() {
            *engine = old;
            self.world = world;
            self.error = Some(AttrValue::from(format!("This link cannot be opened: {e}")));
        }
    }

    fn cancel(&mut self, engine: &mut Engine) {
        if let Some((old, world)) = self.shared.0.previous.borrow_mut().take() {
            *engine = old;
            self.world = world;
            self.cluster = Rc::default();
            self.deployment = None;
        } else {
            engine.cancel();
        }
    }
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if matches!(action, Action::Tick(_)) && !self.playing && self.busy.is_none() {
            // Nothing moves: keep the same Rc so nothing re-renders.
            return self;
        }
        let mut m = (*self).clone();
        let mut slow = true;
        // Playing behind the clock (a burst of events did not fit the frame's work): the
        // cluster is redrawn at the slow-view rate, not every frame, since each frame of a
        // burst changes tasks on every host and redrawing them all took 100–300 ms a frame
        // at 20,000 tasks.
        let mut lagging = false;
        // Only time running forward shows replacements as movement; a jump or a new world
        // just shows where things are.
        let animate_moves = matches!(
            action,
            Action::Tick(_) | Action::Step | Action::Advance(_) | Action::Command(_)
        );
        {
            let shared = Rc::clone(&m.shared.0);
            let mut engine = shared.engine.borrow_mut();
            match action {
                Action::Tick(dt) if engine.busy().is_some() => {
                    m.slice(&mut engine);
                    m.since_slow += dt;
                    slow = engine.busy().is_none() || m.since_slow >= SLOW_VIEW_MS;
                }
                Action::Tick(dt) => {
                    let sim_ms = dt.clamp(0.0, MAX_FRAME_MS) * SPEEDS[m.speed].0 + m.carry;
                    let whole = sim_ms.floor();
                    m.carry = sim_ms - whole;
                    // At most a frame's share of work: what does not fit is dropped, so a
                    // burst of events plays slower than the clock for a moment.
                    let target = engine.now().plus_ms(whole as u64);
                    let rate = &m.shared.0.timers_per_ms;
                    lagging = !crate::slice::within(crate::slice::PLAY_WORK_MS, rate, |budget| {
                        engine.play_toward(target, budget)
                    });
                    if engine.now() >= engine.sim().horizon() {
                        m.playing = false;
                    }
                    m.since_slow += dt;
                    slow = !m.playing || m.since_slow >= SLOW_VIEW_MS;
                }
                Action::TogglePlay => m.playing = !m.playing,
                Action::Play => m.playing = true,
                Action::Pause => m.playing = false,
                // Stepping and commands wait for a seek under way (Cancel is always offered).
                Action::Step | Action::Advance(_) if engine.busy().is_some() => {}
                Action::Command(_) if engine.busy().is_some() => {
                    m.error = Some(AttrValue::from(
                        "The timeline is still replaying: wait for it or cancel it, then try again.",
                    ));
                }
                Action::Step => {
                    m.playing = false;
                    engine.step();
                }
                Action::Back => {
                    m.playing = false;
                    let to = engine.previous_event_at();
                    engine.begin_seek(to, true);
                    m.slice(&mut engine);
                }
                Action::Faster => m.speed = (m.speed + 1).min(SPEEDS.len() - 1),
                Action::Slower => m.speed = m.speed.saturating_sub(1),
                Action::SetSpeed(i) => m.speed = i.min(SPEEDS.len() - 1),
                Action::Seek(t) => {
                    engine.begin_seek(t, true);
                    m.slice(&mut engine);
                }
                Action::SeekNow(t) => {
                    m.cancel(&mut engine);
                    engine.seek(t);
                }
                Action::Cancel => m.cancel(&mut engine),
                Action::Advance(ms) => engine.advance(ms),
                Action::Command(c) => {
                    // The error (if any) stays on the engine for the toast and the JS API.
                    let _ = engine.apply(c);
                }
                Action::Select(s) => m.selection = s,
                Action::GoToEvent { at, selection } => {
                    m.playing = false;
                    if selection.is_some() {
                        m.selection = selection;
                    }
                    engine.begin_seek(at, true);
                    m.slice(&mut engine);
                }
                Action::SetFilter(f) => m.filter = f,
                Action::SetTheme(t) => m.theme = t,
                Action::ToggleAnimations => m.animations = !m.animations,
                Action::SetChart(k) => m.chart_kind = k,
                Action::NewWorld(w) => {
                    if let Some(Ok(e)) = w.scenario().map(Engine::new) {
                        m.shared.0.previous.borrow_mut().take();
                        *engine = e;
                        engine.seek(crate::app::OPENING_TIME);
                        m.world = w;
                        m.playing = false;
                        m.selection = None;
                        m.filter = Filter::default();
                        m.cluster = Rc::default();
                        m.deployment = None;
                    }
                }
                Action::Load(s) => match crate::share::engine_for(&s) {
                    Ok(e) => {
                        // The link replays in slices from here; Cancel puts this world back
                        // (a link opened while another replays replaces that one).
                        let old = std::mem::replace(&mut *engine, e);
                        let mut previous = m.shared.0.previous.borrow_mut();
                        if previous.is_none() {
                            *previous = Some((old, m.world));
                        }
                        drop(previous);
                        m.world = World::Opened;
                        m.playing = false;
                        m.selection = None;
                        m.filter = Filter::default();
                        m.cluster = Rc::default();
                        m.deployment = None;
                        if let Some(k) = ChartKind::ALL
                            .into_iter()
                            .find(|k| s.panel.as_deref() == Some(k.id()))
                        {
                            m.chart_kind = k;
                        }
                        m.slice(&mut engine);
                    }
                    Err(e) => m.error = Some(AttrValue::from(e.to_string())),
                },
                Action::DismissError => {
                    m.error = None;
                    engine.last_error = None;
                }
            }
            let moves = engine.take_moves();
            if animate_moves && !moves.is_empty() {
                m.moves = Rc::new(moves);
                m.move_gen += 1;
            }
            if let Some(f) = engine.busy() {
                // Mid-replay: only the progress bar moves. The picture stays as it was until
                // the replay arrives; drawing every intermediate world (a fleet being placed
                // from scratch, thousands of pending tasks) costs more than the replay itself.
                m.busy = Some(Busy {
                    percent: (f * 100.0).clamp(0.0, 99.0) as u8,
                    opening: m.shared.0.previous.borrow().is_some(),
                });
                return Rc::new(m);
            }
        }
        m.refresh(slow, !lagging || slow);
        Rc::new(m)
    }
}

/// The action a key press stands for (space, arrows, + and −), if any.
pub fn key_action(key: &str) -> Option<Action> {
    Some(match key {
        " " | "Spacebar" => Action::TogglePlay,
        "ArrowRight" => Action::Step,
        "ArrowLeft" => Action::Back,
        "+" | "=" => Action::Faster,
        "-" | "_" => Action::Slower,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Rc<Model> {
        Rc::new(Model::new(World::Workshop, Theme::Dark))
    }

    #[test]
    fn paused_ticks_change_nothing_and_playing_ticks_move_time() {
        let m = model();
        let same = Rc::clone(&m).reduce(Action::Tick(16.0));
        assert!(Rc::ptr_eq(&m, &same));
        let playing = m.reduce(Action::Play);
        let t0 = playing.now;
        let after = playing.reduce(Action::Tick(50.0));
        assert_eq!(after.now.0 - t0.0, (50.0 * SPEEDS[DEFAULT_SPEED].0) as u64);
    }

    #[test]
    fn top_speed_is_at_least_a_day_per_second() {
        assert!(SPEEDS.last().unwrap().0 >= 86_400.0);
        assert_eq!(SPEEDS[0].0, 1.0);
    }

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(key_action(" "), Some(Action::TogglePlay));
        assert_eq!(key_action("ArrowLeft"), Some(Action::Back));
        assert_eq!(key_action("x"), None);
    }
}
