//! The simulation as the page drives it: one `Sim` that time moves forward, checkpoints for
//! rewinding, the full command timeline (commands after the current time survive a rewind
//! and are replayed when time passes them again), and bounded buffers of recent events and
//! of the marks drawn on the scrubber and the cost chart. Plain Rust, tested natively.

use std::collections::VecDeque;

use fleetsim_core::event::{CreateWhy, DeploymentStatus, EventKind};
use fleetsim_core::time::{DAY, MINUTE};
use fleetsim_core::world::{Owner, StopCause};
use fleetsim_core::{Command, Event, Scenario, Sim, SimTime, Timed};

/// Events kept for the log; older ones can be recovered by rewinding (the core replays).
pub const LOG_CAP: usize = 3_000;
/// Marks on the scrubber and the cost chart.
pub const MARK_CAP: usize = 600;
/// Checkpoints kept; when full, every other one goes and the spacing doubles, so memory is
/// bounded while any moment stays within one spacing of a checkpoint.
pub const CHECKPOINT_CAP: usize = 20;
const FIRST_CHECKPOINT_SPACING: u64 = 30 * MINUTE;
/// Moves kept between two reads; a long jump forward keeps only the newest.
pub const MOVE_CAP: usize = 64;
/// Replacements waiting for a host; more than this means something never got placed.
const WAITING_CAP: usize = 2_000;
/// "Step" never runs further than this looking for an event.
const STEP_LIMIT: u64 = DAY;

#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Position in the run's event stream: stable across rewinds, so a rewind can cut the log
    /// exactly where the checkpoint it restarts from was taken.
    pub seq: u64,
    pub event: Event,
}

/// Something worth a flag on the timeline: what moved the cost or the deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Launch,
    Terminate,
    Drain,
    DeployStart,
    DeployDone,
    Rollback,
    Patch,
    AzDown,
    AzUp,
    Command,
}

impl MarkKind {
    /// A word for the chart annotation.
    pub fn label(self) -> &'static str {
        match self {
            MarkKind::Launch => "launch",
            MarkKind::Terminate => "terminate",
            MarkKind::Drain => "drain",
            MarkKind::DeployStart => "deploy",
            MarkKind::DeployDone => "deployed",
            MarkKind::Rollback => "rollback",
            MarkKind::Patch => "patch wave",
            MarkKind::AzDown => "AZ down",
            MarkKind::AzUp => "AZ back",
            MarkKind::Command => "command",
        }
    }

    fn of(kind: &EventKind) -> Option<MarkKind> {
        Some(match kind {
            EventKind::HostLaunched { .. } => MarkKind::Launch,
            EventKind::HostTerminated { .. } => MarkKind::Terminate,
            EventKind::HostDraining { .. } => MarkKind::Drain,
            EventKind::DeploymentStarted { .. } => MarkKind::DeployStart,
            EventKind::DeploymentRollingBack { .. } => MarkKind::Rollback,
            EventKind::DeploymentFinished { status, .. } => {
                if *status == DeploymentStatus::Successful {
                    MarkKind::DeployDone
                } else {
                    MarkKind::Rollback
                }
            }
            EventKind::ImageReleased { .. } => MarkKind::Patch,
            EventKind::AzImpaired { .. } => MarkKind::AzDown,
            EventKind::AzRecovered { .. } => MarkKind::AzUp,
            EventKind::Command(_) => MarkKind::Command,
            _ => return None,
        })
    }
}

/// A task replaced by one on another host: start before stop off a draining host, or AZ
/// rebalancing. The page flies a copy of the chip from the old task to the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub from: u32,
    pub to: u32,
}

/// Pairs replacements with what they replace, from the event stream. Short lists searched
/// linearly: a handful of entries at a time, and a map type per use would cost download.
#[derive(Default)]
struct MoveTracker {
    /// (new task, the task it replaces), until the new one is placed.
    replacing: Vec<(u32, u32)>,
    /// (service, task) that AZ rebalancing started, oldest first, until one of the service's
    /// tasks is stopped for it.
    rebalanced: Vec<(u32, u32)>,
    moves: VecDeque<Move>,
}

impl MoveTracker {
    fn see(&mut self, sim: &Sim, kind: &EventKind) {
        match kind {
            EventKind::TaskCreated {
                task,
                why: CreateWhy::Replaces(old),
                ..
            } => {
                if self.replacing.len() >= WAITING_CAP {
                    self.replacing.clear();
                }
                self.replacing.push((task.0, old.0));
            }
            EventKind::TaskPlaced { task, .. } => {
                if let Some(i) = self.replacing.iter().position(|r| r.0 == task.0) {
                    let (to, from) = self.replacing.swap_remove(i);
                    self.push(Move { from, to });
                }
            }
            EventKind::TaskCreated {
                task,
                owner: Owner::Service(s),
                why: CreateWhy::Rebalance,
                ..
            } => {
                if self.rebalanced.len() >= WAITING_CAP {
                    self.rebalanced.clear();
                }
                self.rebalanced.push((s.0, task.0));
            }
            EventKind::TaskStopping {
                task,
                cause: StopCause::Rebalance,
            } => {
                let service = sim.task(*task).and_then(|t| t.service());
                let oldest = service.and_then(|s| self.rebalanced.iter().position(|r| r.0 == s.0));
                if let Some(i) = oldest {
                    let (_, to) = self.rebalanced.remove(i);
                    self.push(Move { from: task.0, to });
                }
            }
            EventKind::TaskStopped { task, .. } => {
                self.replacing.retain(|r| r.0 != task.0);
            }
            _ => {}
        }
    }

    fn push(&mut self, m: Move) {
        if self.moves.len() >= MOVE_CAP {
            self.moves.pop_front();
        }
        self.moves.push_back(m);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at: SimTime,
    pub seq: u64,
    pub kind: MarkKind,
}

pub struct Engine {
    sim: Sim,
    /// The scenario's start, for rewinds before the first checkpoint.
    origin: Sim,
    /// Every command of the run; `sim.script()` is always a prefix of it.
    timeline: Vec<Timed>,
    checkpoints: Vec<Sim>,
    spacing: u64,
    log: VecDeque<LogEntry>,
    marks: VecDeque<Mark>,
    /// The furthest time simulated: the scrubber's end.
    reached: SimTime,
    moves: MoveTracker,
    /// Bumped on every change, so views can tell cheaply whether to rebuild.
    pub revision: u64,
    pub last_error: Option<String>,
}

impl Engine {
    pub fn new(scenario: Scenario) -> Result<Engine, String> {
        let sim = Sim::new(scenario).map_err(|e| e.to_string())?;
        Ok(Engine {
            origin: sim.clone(),
            sim,
            timeline: Vec::new(),
            checkpoints: Vec::new(),
            spacing: FIRST_CHECKPOINT_SPACING,
            log: VecDeque::new(),
            marks: VecDeque::new(),
            reached: SimTime::ZERO,
            moves: MoveTracker::default(),
            revision: 0,
            last_error: None,
        })
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }
    pub fn reached(&self) -> SimTime {
        self.reached
    }
    pub fn log(&self) -> &VecDeque<LogEntry> {
        &self.log
    }
    pub fn marks(&self) -> &VecDeque<Mark> {
        &self.marks
    }
    pub fn timeline(&self) -> &[Timed] {
        &self.timeline
    }
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The replacements seen since the last call, oldest first.
    pub fn take_moves(&mut self) -> Vec<Move> {
        self.moves.moves.drain(..).collect()
    }

    /// Moves time forward by `ms` (replaying recorded commands it passes).
    pub fn advance(&mut self, ms: u64) {
        let to = self.sim.now().plus_ms(ms).min(self.sim.horizon());
        self.run_to(to);
    }

    /// Goes to any time: forward by simulating, backward from the nearest earlier checkpoint.
    pub fn seek(&mut self, t: SimTime) {
        let t = t.min(self.sim.horizon());
        if t < self.sim.now() {
            let start = self
                .checkpoints
                .iter()
                .rev()
                .find(|c| c.now() <= t)
                .unwrap_or(&self.origin)
                .clone();
            let cut = start.event_count();
            self.log.retain(|e| e.seq < cut);
            self.marks.retain(|m| m.seq < cut);
            self.moves = MoveTracker::default();
            self.sim = start;
        }
        self.run_to(t);
    }

    /// Runs until the next event (or recorded command); returns the time reached.
    pub fn step(&mut self) -> SimTime {
        let limit = self.sim.now().plus_ms(STEP_LIMIT).min(self.sim.horizon());
        match self.next_command_at() {
            Some(at) if at <= self.sim.next_event_at().unwrap_or(limit) => self.run_to(at),
            _ => {
                self.sim.step_to_next_event(limit);
                self.settle();
            }
        }
        self.sim.now()
    }

    /// Back to the last event before now (or one minute back when none is known).
    pub fn step_back(&mut self) -> SimTime {
        let now = self.sim.now();
        let prev = self
            .log
            .iter()
            .rev()
            .map(|e| e.event.at)
            .find(|&at| at < now)
            .unwrap_or(SimTime(now.0.saturating_sub(MINUTE)));
        self.seek(prev);
        self.sim.now()
    }

    /// Applies a command now. A command issued after a rewind starts a new branch: recorded
    /// commands later than now are dropped, and so are checkpoints that included them.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        let done = self.sim.script().len();
        let result = self.sim.apply(command).map_err(|e| e.to_string());
        if result.is_ok() {
            self.timeline.truncate(done);
            self.timeline
                .extend(self.sim.script()[done..].iter().cloned());
            let now = self.sim.now();
            self.checkpoints
                .retain(|c| c.now() <= now && c.script().len() <= done);
            self.reached = now;
        }
        self.last_error = result.as_ref().err().cloned();
        self.settle();
        result
    }

    fn next_command_at(&self) -> Option<SimTime> {
        self.timeline.get(self.sim.script().len()).map(|c| c.at)
    }

    fn run_to(&mut self, t: SimTime) {
        while let Some(at) = self.next_command_at().filter(|&at| at <= t) {
            self.sim.step_until(at);
            let command = self.timeline[self.sim.script().len()].command.clone();
            // Deterministic: it succeeded when it was recorded, so it succeeds again.
            if let Err(e) = self.sim.apply(command) {
                self.last_error = Some(e.to_string());
                self.timeline.truncate(self.sim.script().len());
            }
        }
        self.sim.step_until(t);
        self.settle();
    }

    /// Moves new events into the bounded buffers and takes a checkpoint when one is due.
    fn settle(&mut self) {
        let events = self.sim.take_events();
        let end = self.sim.event_count();
        let first = end - events.len() as u64;
        let skip = events.len().saturating_sub(LOG_CAP);
        for (i, event) in events.into_iter().enumerate() {
            let seq = first + i as u64;
            self.moves.see(&self.sim, &event.kind);
            if let Some(kind) = MarkKind::of(&event.kind) {
                if self.marks.len() >= MARK_CAP {
                    self.marks.pop_front();
                }
                self.marks.push_back(Mark {
                    at: event.at,
                    seq,
                    kind,
                });
            }
            if i >= skip {
                if self.log.len() >= LOG_CAP {
                    self.log.pop_front();
                }
                self.log.push_back(LogEntry { seq, event });
            }
        }
        let now = self.sim.now();
        self.reached = self.reached.max(now);
        let last = self.checkpoints.last().map_or(SimTime::ZERO, |c| c.now());
        if now.since(last) >= self.spacing {
            if self.checkpoints.len() >= CHECKPOINT_CAP {
                let mut i = 0;
                self.checkpoints.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.spacing *= 2;
            }
            self.checkpoints.push(self.sim.clone());
        }
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::workshop;

    fn hosts(e: &Engine) -> Vec<u32> {
        e.sim().hosts().map(|h| h.id.0).collect()
    }

    #[test]
    fn rewinding_gives_exactly_the_earlier_world() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_mins(10));
        let early = (hosts(&e), e.sim().digest());
        e.seek(SimTime::from_mins(11));
        e.apply(Command::SetDesiredCount {
            service: "web".into(),
            count: 30,
        })
        .unwrap();
        e.seek(SimTime::from_hours(30));
        assert!(e.sim().hosts().count() > early.0.len());
        e.seek(SimTime::from_mins(10));
        assert_eq!(hosts(&e), early.0);
        assert_eq!(
            e.sim().digest(),
            early.1,
            "the same events, replayed from the start"
        );
        // Forward again: the recorded command is replayed when time passes it.
        e.seek(SimTime::from_hours(2));
        let svc = e.sim().services().iter().find(|s| s.name == "web").unwrap();
        assert_eq!(svc.desired, 30);
        assert!(e.log().iter().all(|l| l.event.at <= e.now()));
        // Log sequence numbers stay strictly increasing through the rewind.
        assert!(e
            .log()
            .iter()
            .zip(e.log().iter().skip(1))
            .all(|(a, b)| a.seq < b.seq));
    }

    #[test]
    fn a_command_after_a_rewind_starts_a_new_branch() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_mins(30));
        e.apply(Command::SetDesiredCount {
            service: "web".into(),
            count: 20,
        })
        .unwrap();
        e.seek(SimTime::from_hours(3));
        e.seek(SimTime::from_mins(20));
        e.apply(Command::SetDesiredCount {
            service: "api".into(),
            count: 2,
        })
        .unwrap();
        assert_eq!(e.timeline().len(), 1);
        e.seek(SimTime::from_hours(3));
        let web = e.sim().services().iter().find(|s| s.name == "web").unwrap();
        assert_eq!(
            web.desired, 9,
            "the dropped branch's command is not replayed"
        );
    }

    #[test]
    fn draining_a_host_reports_each_replacement_as_a_move_off_it() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_hours(1));
        e.take_moves();
        let host = e.sim().hosts().find(|h| h.tasks.len() >= 2).unwrap();
        let (id, tasks) = (host.id, host.tasks.clone());
        e.apply(Command::DrainHost { host: id.0 }).unwrap();
        e.seek(SimTime::from_hours(2));
        let moves = e.take_moves();
        assert_eq!(
            moves.len(),
            tasks.len(),
            "one move per task on the drained host"
        );
        for m in &moves {
            assert!(
                tasks.iter().any(|t| t.0 == m.from),
                "{m:?} starts on the drained host"
            );
            let to = e.sim().task(fleetsim_core::world::TaskId(m.to)).unwrap();
            assert!(
                to.host.is_some_and(|h| h != id),
                "{m:?} lands on another host"
            );
        }
        assert!(e.take_moves().is_empty(), "taken once");
    }

    #[test]
    fn step_reaches_the_next_event_and_buffers_stay_bounded() {
        let mut e = Engine::new(workshop()).unwrap();
        let t = e.step();
        assert!(!e.log().is_empty());
        assert!(e.log().iter().any(|l| l.event.at == t));
        e.seek(SimTime::from_days(20));
        assert!(e.log().len() <= LOG_CAP);
        assert!(e.marks().len() <= MARK_CAP);
        assert!(e.checkpoint_count() <= CHECKPOINT_CAP);
        let back = e.step_back();
        assert!(back < SimTime::from_days(20));
    }
}
