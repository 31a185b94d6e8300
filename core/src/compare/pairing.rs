//! Both sides of a comparison as sessions, moved to the same time together (the page's
//! synchronised clocks), forwards or backwards, in one call or in slices of work.

use alloc::string::String;

use super::summary::{summarize, RunSummary};
use super::variants::{variants, Pair, Variant};
use super::CompareError;
use crate::session::{Progress, Session};
use crate::share::Shared;
use crate::sim::Sim;
use crate::time::SimTime;

/// One side of a comparison: a session of the variant, so it moves to any time, back or
/// forth, and in slices of work.
#[derive(Clone, Debug)]
pub struct Run {
    pub label: String,
    pub session: Session,
}

impl Run {
    pub fn new(v: &Variant) -> Result<Run, CompareError> {
        let session = Session::open(v.scenario.clone(), v.script.clone()).map_err(|errors| {
            CompareError::Invalid {
                side: v.label.clone(),
                errors,
            }
        })?;
        Ok(Run {
            label: v.label.clone(),
            session,
        })
    }
    pub fn sim(&self) -> &Sim {
        self.session.sim()
    }
    /// The first command that did not apply; the run goes on without the rest of the script.
    pub fn error(&self) -> Option<CompareError> {
        self.session
            .replay_error()
            .map(|error| CompareError::Replay {
                side: self.label.clone(),
                error: error.clone(),
            })
    }
    /// Moves to `t`, forwards or backwards, in one call.
    pub fn advance_to(&mut self, t: SimTime) {
        self.session.seek(t);
    }
}

/// Both sides of a comparison, always at the same time once a move is done.
#[derive(Clone, Debug)]
pub struct Pairing {
    pub runs: [Run; 2],
}

impl Pairing {
    pub fn new(pair: Pair, base: &Shared) -> Result<Pairing, CompareError> {
        let [a, b] = variants(pair, base)?;
        Ok(Pairing {
            runs: [Run::new(&a)?, Run::new(&b)?],
        })
    }
    pub fn now(&self) -> SimTime {
        self.runs[0].sim().now()
    }
    /// The time both runs are at, or `None` while a move has taken one further than the other
    /// (their figures then belong to different moments and must not be compared).
    pub fn together(&self) -> Option<SimTime> {
        let [a, b] = [self.runs[0].sim().now(), self.runs[1].sim().now()];
        (a == b).then_some(a)
    }
    /// Synchronised time: both runs move to `t` (forwards or backwards) together.
    pub fn advance_to(&mut self, t: SimTime) {
        for r in &mut self.runs {
            r.advance_to(t);
        }
    }
    /// Moves both runs towards `t` with at most `budget_timers` of work between them; call
    /// again until `done`. The first run goes first, so the second is never ahead of it.
    pub fn advance(&mut self, t: SimTime, budget_timers: u64) -> [Progress; 2] {
        let a = self.runs[0].session.advance(t, budget_timers);
        let left = budget_timers.saturating_sub(a.timers).max(1);
        let b = if a.done {
            self.runs[1].session.advance(t, left)
        } else {
            let s = &self.runs[1].session;
            Progress {
                from: s.now(),
                reached: s.now(),
                done: false,
                timers: 0,
                restored: None,
            }
        };
        [a, b]
    }
    pub fn summaries(&self) -> [RunSummary; 2] {
        [summarize(self.runs[0].sim()), summarize(self.runs[1].sim())]
    }
}

/// Runs both variants to the same time (the native twin of the page's synchronised clocks).
pub fn run_pair(variants: &[Variant; 2], until: SimTime) -> Result<[RunSummary; 2], CompareError> {
    let mut runs = [Run::new(&variants[0])?, Run::new(&variants[1])?];
    for r in &mut runs {
        r.advance_to(until);
        if let Some(e) = r.error() {
            return Err(e);
        }
    }
    Ok([summarize(runs[0].sim()), summarize(runs[1].sim())])
}
