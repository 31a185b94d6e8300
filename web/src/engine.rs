//! The simulation as the page drives it: the core's `Session` (the run, its whole command
//! script, checkpoints, seeking both ways), a seek that can run in slices across display
//! frames and be cancelled, and bounded buffers of recent events and of the marks drawn on
//! the scrubber and the cost chart. Plain Rust, tested natively.

use std::collections::VecDeque;
use std::fmt;

use fleetsim_core::event::{DeploymentStatus, EventKind};
use fleetsim_core::session::ReplayError;
use fleetsim_core::time::{DAY, MINUTE};
use fleetsim_core::{
    Command, CommandError, Event, Progress, Scenario, Session, Sim, SimTime, Timed,
    ValidationErrors,
};

/// Events kept for the log; older ones can be recovered by rewinding (the core replays).
pub const LOG_CAP: usize = 3_000;
/// Marks on the scrubber and the cost chart.
pub const MARK_CAP: usize = 600;
/// Moves kept between two reads; a long jump forward keeps only the newest.
pub const MOVE_CAP: usize = 64;
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

/// A task replaced by one on another host (the core's `TaskReplaced`): start before stop off a
/// draining host, or AZ rebalancing. The page flies a copy of the chip from the old task to
/// the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub from: u32,
    pub to: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at: SimTime,
    pub seq: u64,
    pub kind: MarkKind,
}

/// The last thing the engine refused, for the page's error banner and `window.fleetsim`.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineError {
    /// A command that does not apply now.
    Command(CommandError),
    /// A recorded command that did not apply again (the script is cut there).
    Replay(ReplayError),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Command(e) => e.fmt(f),
            EngineError::Replay(e) => e.fmt(f),
        }
    }
}

pub struct Engine {
    /// The run, its whole command script and its checkpoints (the core's one replay loop).
    session: Session,
    log: VecDeque<LogEntry>,
    /// Marks of the run's timeline, by event sequence. A rewind keeps the later ones (the same
    /// events come back when time passes them again); a new command cuts them.
    marks: VecDeque<Mark>,
    /// The furthest time simulated: the scrubber's end.
    reached: SimTime,
    /// Replacements since the views last took them, newest last.
    moves: VecDeque<Move>,
    /// A seek or link opening in progress, done a slice per display frame.
    job: Option<Job>,
    /// Bumped on every change, so views can tell cheaply whether to rebuild.
    pub revision: u64,
    pub last_error: Option<EngineError>,
}

/// A seek under way: where it goes, where the work it is measured by started, and everything
/// needed to put the page back where it was on Cancel.
struct Job {
    target: SimTime,
    base: Option<SimTime>,
    before: Option<Box<Saved>>,
}

struct Saved {
    session: Session,
    log: VecDeque<LogEntry>,
    marks: VecDeque<Mark>,
}

impl Engine {
    pub fn new(scenario: Scenario) -> Result<Engine, ValidationErrors> {
        Engine::open(scenario, Vec::new())
    }

    /// An engine at time zero whose script applies as time passes each command.
    pub fn open(scenario: Scenario, script: Vec<Timed>) -> Result<Engine, ValidationErrors> {
        let session = Session::open(scenario, script)?;
        Ok(Engine {
            session,
            log: VecDeque::new(),
            marks: VecDeque::new(),
            reached: SimTime::ZERO,
            moves: VecDeque::new(),
            job: None,
            revision: 0,
            last_error: None,
        })
    }

    pub fn sim(&self) -> &Sim {
        self.session.sim()
    }
    pub fn now(&self) -> SimTime {
        self.session.now()
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
        self.session.script()
    }
    pub fn checkpoint_count(&self) -> u32 {
        self.session.checkpoint_count()
    }
    /// A recorded command that did not apply again (only a damaged or hand-made link).
    pub fn replay_error(&self) -> Option<&ReplayError> {
        self.session.replay_error()
    }

    /// The replacements seen since the last call, oldest first.
    pub fn take_moves(&mut self) -> Vec<Move> {
        self.moves.drain(..).collect()
    }

    /// Moves time forward by `ms` (replaying recorded commands it passes).
    pub fn advance(&mut self, ms: u64) {
        let to = self.now().plus_ms(ms);
        self.seek(to);
    }

    /// Plays towards `target` with at most `budget_timers` of work; returns the timers fired
    /// and whether `target` was reached. The page's play loop calls it a slice at a time, so
    /// a burst of events (20,000 tasks being placed) slows simulated time down for a moment
    /// instead of blocking a frame.
    pub fn play_toward(&mut self, target: SimTime, budget_timers: u64) -> (u64, bool) {
        self.job = None;
        let p = self.session.advance(target, budget_timers);
        let (timers, done) = (p.timers, p.done);
        self.settle(p);
        (timers, done)
    }

    /// Goes to any time in one call: forward by simulating, backward from the nearest earlier
    /// checkpoint. Scripts (`window.fleetsim.seek`) and tests use it; the page slices instead.
    pub fn seek(&mut self, t: SimTime) {
        self.job = None;
        let p = self.session.seek(t);
        self.settle(p);
    }

    /// Starts a seek that [`Engine::work`] carries out in slices. `cancellable` keeps what is
    /// needed to come back here.
    pub fn begin_seek(&mut self, t: SimTime, cancellable: bool) {
        let before = match self.job.take() {
            // A new target while one is under way: Cancel still goes back to the first start.
            Some(job) => job.before,
            None => cancellable.then(|| {
                Box::new(Saved {
                    session: self.session.branch(),
                    log: self.log.clone(),
                    marks: self.marks.clone(),
                })
            }),
        };
        self.job = Some(Job {
            target: t.min(self.sim().horizon()),
            base: None,
            before,
        });
    }

    /// Whether a sliced seek is under way, and how far it is (0.0–1.0).
    pub fn busy(&self) -> Option<f64> {
        let job = self.job.as_ref()?;
        let base = job.base.unwrap_or(self.now());
        let total = job.target.since(base).max(1);
        Some(self.now().since(base) as f64 / total as f64)
    }

    /// Does up to `budget_timers` of the seek under way; returns the timers fired (0 when
    /// there is none).
    pub fn work(&mut self, budget_timers: u64) -> u64 {
        let Some(target) = self.job.as_ref().map(|j| j.target) else {
            return 0;
        };
        let p = self.session.advance(target, budget_timers);
        if let Some(job) = &mut self.job {
            if job.base.is_none() || p.restored.is_some() {
                job.base = Some(p.from);
            }
        }
        if p.done {
            self.job = None;
        }
        self.settle(p);
        p.timers
    }

    /// Stops the seek under way and goes back to where it started.
    pub fn cancel(&mut self) {
        if let Some(saved) = self.job.take().and_then(|j| j.before) {
            let Saved {
                session,
                log,
                marks,
            } = *saved;
            self.session = session;
            self.log = log;
            self.marks = marks;
            self.moves.clear();
            self.revision += 1;
        }
    }

    /// Runs until the next event (or recorded command); returns the time reached.
    pub fn step(&mut self) -> SimTime {
        self.job = None;
        let limit = self.now().plus_ms(STEP_LIMIT);
        let from = self.now();
        self.session.step(limit);
        self.settle(Progress {
            reached: self.now(),
            from,
            done: true,
            timers: 0,
            restored: None,
        });
        self.now()
    }

    /// The last event before now (or one minute back when none is known).
    pub fn previous_event_at(&self) -> SimTime {
        let now = self.now();
        self.log
            .iter()
            .rev()
            .map(|e| e.event.at)
            .find(|&at| at < now)
            .unwrap_or(SimTime(now.0.saturating_sub(MINUTE)))
    }

    /// Back to the last event before now.
    pub fn step_back(&mut self) -> SimTime {
        self.seek(self.previous_event_at());
        self.now()
    }

    /// Applies a command now. A command issued after a rewind starts a new branch: recorded
    /// commands later than now are dropped, and so are their marks.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        self.job = None;
        let cut = self.sim().event_count();
        let from = self.now();
        let result = self.session.apply(command);
        if result.is_ok() {
            self.marks.retain(|m| m.seq < cut);
            self.reached = self.now();
        }
        self.last_error = result.as_ref().err().cloned().map(EngineError::Command);
        self.settle(Progress {
            reached: self.now(),
            from,
            done: true,
            timers: 0,
            restored: None,
        });
        result
    }

    /// Moves new events into the bounded buffers.
    fn settle(&mut self, p: Progress) {
        if let Some(cut) = p.restored {
            // Log entries from after the restored point are not current any more; marks stay
            // (the same ones come back), and a jump forward leaves a gap in the log.
            self.log.retain(|e| e.seq < cut);
            self.moves.clear();
        }
        if let Some(e) = self.session.replay_error() {
            self.last_error = Some(EngineError::Replay(e.clone()));
        }
        let events = self.session.take_events();
        let end = self.sim().event_count();
        let first = end - events.len() as u64;
        let skip = events.len().saturating_sub(LOG_CAP);
        let last_mark = self.marks.back().map(|m| m.seq);
        for (i, event) in events.into_iter().enumerate() {
            let seq = first + i as u64;
            if let EventKind::TaskReplaced { old, new, .. } = event.kind {
                if self.moves.len() >= MOVE_CAP {
                    self.moves.pop_front();
                }
                self.moves.push_back(Move {
                    from: old.0,
                    to: new.0,
                });
            }
            if let Some(kind) = MarkKind::of(&event.kind).filter(|_| last_mark < Some(seq)) {
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
        self.reached = self.reached.max(self.now());
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
    fn a_sliced_seek_arrives_at_the_one_call_world_and_cancel_goes_back() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_mins(10));
        e.begin_seek(SimTime::from_hours(6), true);
        let (mut slices, mut last) = (0, 0.0);
        while let Some(f) = e.busy() {
            assert!(f >= last && f <= 1.0, "progress {f} after {last}");
            last = f;
            e.work(20);
            slices += 1;
        }
        assert!(slices > 5, "{slices} slices");
        let mut direct = Engine::new(workshop()).unwrap();
        direct.seek(SimTime::from_hours(6));
        assert_eq!(e.sim().digest(), direct.sim().digest());

        let before = (e.now(), e.sim().digest(), e.log().clone());
        e.begin_seek(SimTime::from_hours(30), true);
        e.work(50);
        e.work(50);
        assert!(e.now() > before.0 && e.busy().is_some());
        e.cancel();
        assert!(e.busy().is_none());
        assert_eq!((e.now(), e.sim().digest(), e.log().clone()), before);
        // And backwards, cancelled on the way: the same.
        e.begin_seek(SimTime::from_mins(20), true);
        e.work(5);
        e.cancel();
        assert_eq!((e.now(), e.sim().digest()), (before.0, before.1));
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
        assert!(e.checkpoint_count() <= fleetsim_core::session::CHECKPOINT_CAP);
        let back = e.step_back();
        assert!(back < SimTime::from_days(20));
    }
}
