//! A session: one scenario's run as a reader moves through it. It owns the whole command
//! script (commands later than the current time survive a rewind and apply again when time
//! passes them), bounded checkpoints, and the current position. It is the one replay loop: the
//! page's timeline, link opening and compare mode all move through a `Session`, forwards or
//! backwards, and by a work budget so a caller without threads can slice a long replay over
//! many display frames. `Sim::replay` stays as the independent oracle the tests compare with.

use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::command::{Command, CommandError, Timed};
use crate::event::Event;
use crate::scenario::{Scenario, ValidationErrors};
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE};

/// Checkpoints kept. When full, every other one goes and the spacing doubles, so memory stays
/// bounded while any moment stays within one spacing of a checkpoint.
pub const CHECKPOINT_CAP: u32 = 48;
/// Task records (live and stopped) up to which all `CHECKPOINT_CAP` are kept; a larger world
/// keeps proportionally fewer (at least `MIN_CHECKPOINTS`), so checkpoints hold about as much
/// memory as 48 copies of a 6,000-task world whatever the size: at the 20,000-task limit the
/// page would otherwise hold 48 copies of a 5 MB world. Seeks there replay further.
const CHECKPOINT_TASKS: u64 = 6_000;
pub const MIN_CHECKPOINTS: u32 = 8;
/// The spacing until the first thinning: a seek in the first day replays at most this much.
const FIRST_CHECKPOINT_SPACING: u64 = 30 * MINUTE;

/// What one call to [`Session::advance`] did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Where this call's work started (after any restore): with `reached` and the target, how
    /// far a sliced seek has come.
    pub from: SimTime,
    /// Where the run stands now.
    pub reached: SimTime,
    /// The target was reached (otherwise call again with the same target).
    pub done: bool,
    /// Timers fired by this call: the work the budget counts.
    pub timers: u64,
    /// The call restored a checkpoint (or the start): the run continues from the event with
    /// this sequence number, and what a caller kept from later events is no longer current.
    pub restored: Option<u64>,
}

/// A recorded command that did not apply when time passed it again: only a hand-made or
/// damaged link can hold one (a recorded command applied once and runs are deterministic).
/// The script is cut there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// Position in the script, from 0.
    pub index: u32,
    pub at: SimTime,
    pub error: CommandError,
}

impl core::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "command {} of the script ({}) does not apply: {}",
            self.index + 1,
            self.at,
            self.error
        )
    }
}

/// One run with its timeline. Cloning is cheap in the checkpoints (shared, immutable), so
/// [`Session::branch`] can hand compare mode a second run from the same point.
#[derive(Clone, Debug)]
pub struct Session {
    sim: Sim,
    /// The scenario's start, for seeks before the first checkpoint.
    origin: Rc<Sim>,
    /// Every command of the run; `sim.script()` is always a prefix of it.
    script: Vec<Timed>,
    /// Sorted by time; each holds an empty event buffer.
    checkpoints: Vec<Rc<Sim>>,
    spacing: u64,
    error: Option<ReplayError>,
}

impl Session {
    /// A session at time zero with no commands.
    pub fn new(scenario: Scenario) -> Result<Session, ValidationErrors> {
        Session::open(scenario, Vec::new())
    }

    /// A session at time zero whose script applies as time passes each command. Commands out
    /// of time order apply at the time the run has reached, as `Sim::replay` applies them; the
    /// script records them at that time.
    pub fn open(scenario: Scenario, mut script: Vec<Timed>) -> Result<Session, ValidationErrors> {
        let sim = Sim::new(scenario)?;
        let mut latest = SimTime::ZERO;
        for c in &mut script {
            latest = latest.max(c.at);
            c.at = latest;
        }
        Ok(Session {
            origin: Rc::new(sim.clone()),
            sim,
            script,
            checkpoints: Vec::new(),
            spacing: FIRST_CHECKPOINT_SPACING,
            error: None,
        })
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }
    /// The whole script, including commands later than now.
    pub fn script(&self) -> &[Timed] {
        &self.script
    }
    pub fn checkpoint_count(&self) -> u32 {
        self.checkpoints.len() as u32
    }
    /// The recorded command that did not apply again, if any (the script ends before it).
    pub fn replay_error(&self) -> Option<&ReplayError> {
        self.error.as_ref()
    }
    /// Events since the last call (see `Sim::take_events`).
    pub fn take_events(&mut self) -> Vec<Event> {
        self.sim.take_events()
    }

    /// A second session at the same point with the same past and script; the two then move
    /// independently (compare mode, "what if" from here).
    pub fn branch(&self) -> Session {
        self.clone()
    }

    /// Goes to `t`, forwards or backwards, in one call.
    pub fn seek(&mut self, t: SimTime) -> Progress {
        self.advance(t, u64::MAX)
    }

    /// Moves towards `target` (forwards or backwards), firing at most `budget_timers` timers;
    /// call again with the same target until `done`. A seek backwards restores the nearest
    /// checkpoint at or before the target; a seek forwards jumps to a later checkpoint when
    /// one is nearer than now (after a rewind). Slices give exactly the run one call gives.
    pub fn advance(&mut self, target: SimTime, budget_timers: u64) -> Progress {
        let target = target.min(self.sim.horizon());
        let restored = self.restore_for(target);
        let mut left = budget_timers.max(1);
        let mut progress = Progress {
            from: self.sim.now(),
            reached: self.sim.now(),
            done: false,
            timers: 0,
            restored,
        };
        loop {
            self.checkpoint_if_due();
            let command_at = self.next_command_at().filter(|&at| at <= target);
            let stop = command_at.unwrap_or(target);
            let chunk = stop.min(self.next_checkpoint_at());
            let report = self.sim.step_within(chunk, left);
            progress.timers += report.timers;
            left -= report.timers;
            if !report.done {
                break;
            }
            if chunk < stop {
                continue;
            }
            if command_at.is_none() {
                progress.done = true;
                break;
            }
            self.apply_recorded();
        }
        progress.reached = self.sim.now();
        progress
    }

    /// Runs until the next event or recorded command, at most to `limit`; returns the time
    /// reached ("step" in the page).
    pub fn step(&mut self, limit: SimTime) -> SimTime {
        let limit = limit.min(self.sim.horizon());
        match self.next_command_at() {
            Some(at) if at <= self.sim.next_event_at().unwrap_or(limit).min(limit) => {
                self.seek(at);
            }
            _ => {
                self.sim.step_to_next_event(limit);
            }
        }
        self.sim.now()
    }

    /// Applies a command now. A command issued after a rewind starts a new branch: recorded
    /// commands later than it are dropped, and so are checkpoints that included them.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        // A slice may have stopped between two timers of this millisecond; a replay of the
        // recorded command would see all of them fired first.
        self.sim.step_until(self.sim.now());
        let done = self.sim.script().len();
        self.sim.apply(command)?;
        self.script.truncate(done);
        self.script
            .extend(self.sim.script()[done..].iter().cloned());
        let now = self.sim.now();
        self.checkpoints
            .retain(|c| c.now() <= now && c.script().len() <= done);
        self.error = None;
        Ok(())
    }

    fn next_command_at(&self) -> Option<SimTime> {
        self.script.get(self.sim.script().len()).map(|c| c.at)
    }

    fn apply_recorded(&mut self) {
        let index = self.sim.script().len();
        let c = self.script[index].clone();
        if let Err(error) = self.sim.apply(c.command) {
            self.script.truncate(index);
            self.error = Some(ReplayError {
                index: index as u32,
                at: c.at,
                error,
            });
        }
    }

    /// Restores the best starting point for `target` when it is not the current run: the
    /// latest checkpoint at or before it (or the start), if that is behind us because the
    /// target is, or ahead of us.
    fn restore_for(&mut self, target: SimTime) -> Option<u64> {
        let now = self.sim.now();
        let best = self.checkpoints.iter().rev().find(|c| c.now() <= target);
        let from = if target < now {
            best.unwrap_or(&self.origin)
        } else {
            best.filter(|c| c.now() > now)?
        };
        self.sim = Sim::clone(from);
        Some(self.sim.event_count())
    }

    fn latest_checkpoint_at(&self) -> SimTime {
        let now = self.sim.now();
        self.checkpoints
            .iter()
            .rev()
            .map(|c| c.now())
            .find(|&at| at <= now)
            .unwrap_or(SimTime::ZERO)
    }

    fn next_checkpoint_at(&self) -> SimTime {
        self.latest_checkpoint_at().plus_ms(self.spacing)
    }

    /// How many checkpoints this world may keep (see `CHECKPOINT_TASKS`).
    fn checkpoint_cap(&self) -> u32 {
        let tasks = self.sim.tasks().count() as u64;
        let cap = u64::from(CHECKPOINT_CAP) * CHECKPOINT_TASKS / tasks.max(1);
        cap.clamp(u64::from(MIN_CHECKPOINTS), u64::from(CHECKPOINT_CAP)) as u32
    }

    fn checkpoint_if_due(&mut self) {
        let now = self.sim.now();
        if now < self.next_checkpoint_at() {
            return;
        }
        if self.checkpoints.len() as u32 >= self.checkpoint_cap() {
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 0
            });
            self.spacing *= 2;
        }
        // The copy must not carry events the caller has not taken yet: a restore would
        // report them twice.
        let events = core::mem::take(&mut self.sim.events);
        let copy = Rc::new(self.sim.clone());
        self.sim.events = events;
        let at = self.checkpoints.partition_point(|c| c.now() <= now);
        self.checkpoints.insert(at, copy);
    }
}
