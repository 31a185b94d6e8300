//! The swarm: deterministic simulation testing in the style of FoundationDB's simulation tests
//! and TigerBeetle's VOPR. Each seed draws a random world and a random instructor session
//! (commands at random times, some of them meant to be refused), runs it, and lets an
//! independent [`observer::Observer`] check ECS's promises after every event. A violation
//! carries the seed and a share string, so `fleetsim run '<share>'` shows it happening.
//!
//! Checked on top of the observer's invariants, per seed: a refused command changes nothing
//! (the world's fingerprint before and after), and live play equals a replay of the recorded
//! script (equal event digests).

pub mod driver;
pub mod observer;
#[cfg(feature = "std")]
pub mod parallel;
pub mod world;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::share::{encode, Shared};
use crate::sim::{PlantedBug, Sim};
use crate::time::{SimTime, DAY, HOUR};
pub use observer::Violation;
pub use world::random_world;

/// What one seed did.
#[derive(Clone, Debug, Default)]
pub struct SeedReport {
    pub seed: u64,
    pub simulated_ms: u64,
    pub events: u64,
    pub commands: u32,
    pub refused: u32,
    pub violations: Vec<Violation>,
    /// Reproduces the run up to the first violation (empty when there is none).
    pub share: String,
}

#[derive(Copy, Clone, Debug, Default)]
pub struct Options {
    /// A bug to plant (the test that proves the swarm can fail).
    pub plant: Option<PlantedBug>,
}

/// How long a seed runs: mostly a day or three; one in four long enough for the patch cycle.
fn horizon(seed: u64) -> SimTime {
    let mut r = world::harness_rng(seed, 0x484F_5249);
    let hours = if world::percent_chance(&mut r, 25) {
        14 * 24 + r.below(8 * 24)
    } else {
        6 + r.below(66)
    };
    SimTime(u64::from(hours) * HOUR)
}

/// Replays a shared session (as a violation's link holds it) under the observer: the
/// violations it reports are the ones the link reproduces.
pub fn replay_checked(shared: &Shared, plant: Option<PlantedBug>) -> Vec<Violation> {
    let Ok(mut sim) = Sim::new(shared.scenario.clone()) else {
        return Vec::new();
    };
    if let Some(bug) = plant {
        sim.plant_bug(bug);
    }
    let mut observer = observer::Observer::new(&sim);
    let mut script = shared.script.iter().peekable();
    loop {
        let next_command = script.peek().map_or(shared.at, |c| c.at.min(shared.at));
        let at = sim.next_event_at().unwrap_or(shared.at).min(next_command);
        sim.step_until(at);
        let events = sim.take_events();
        observer.observe(&sim, &events);
        observer.end_instant(&sim, at);
        while script.peek().is_some_and(|c| c.at == at) {
            if let Some(c) = script.next() {
                let _ = sim.apply(c.command.clone());
                let events = sim.take_events();
                observer.observe(&sim, &events);
            }
        }
        observer.end_instant(&sim, at);
        if at >= shared.at {
            // What the last commands queued for this same instant runs too, as it did live.
            sim.step_until(at);
            let events = sim.take_events();
            observer.observe(&sim, &events);
            observer.end_instant(&sim, at);
        }
        if !observer.violations.is_empty() || at >= shared.at {
            return observer.violations;
        }
    }
}

/// A fingerprint of everything the world holds (a refused command must leave it equal): its
/// Debug text, hashed as it is written rather than collected into one large string.
fn fingerprint(sim: &Sim) -> u64 {
    use core::fmt::Write;
    use core::hash::Hasher;
    struct Hashing(crate::hash::StableHasher);
    impl Write for Hashing {
        // Eight bytes a step: byte-wise FNV was most of the swarm's time. Equal worlds write
        // the same pieces, so the chunking is the same for both.
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let mut chunks = s.as_bytes().chunks_exact(8);
            for c in &mut chunks {
                self.0
                    .write_u64(u64::from_le_bytes(c.try_into().unwrap_or_default()));
            }
            self.0.write(chunks.remainder());
            Ok(())
        }
    }
    let mut h = Hashing(crate::hash::StableHasher::default());
    let _ = write!(h, "{sim:?}");
    h.0.finish()
}

/// Whether two worlds are equal. The metrics history is most of a world's Debug text, and it
/// can be compared directly.
fn same_world(a: &mut Sim, b: &mut Sim) -> bool {
    if a.metrics != b.metrics {
        return false;
    }
    let (ma, mb) = (
        core::mem::take(&mut a.metrics),
        core::mem::take(&mut b.metrics),
    );
    let same = fingerprint(a) == fingerprint(b);
    (a.metrics, b.metrics) = (ma, mb);
    same
}

pub fn run_seed(seed: u64, options: Options) -> SeedReport {
    let scenario = random_world(seed);
    let mut report = SeedReport {
        seed,
        ..SeedReport::default()
    };
    let mut sim = match Sim::new(scenario.clone()) {
        Ok(sim) => sim,
        Err(e) => {
            report.violations.push(Violation {
                at: SimTime::ZERO,
                invariant: "generator",
                detail: format!("the random world is not a valid scenario: {e}"),
            });
            return report;
        }
    };
    if let Some(bug) = options.plant {
        sim.plant_bug(bug);
    }
    let end = horizon(seed).min(SimTime(sim.horizon().ms().min(30 * DAY)));
    let mut observer = observer::Observer::new(&sim);
    let mut driver = driver::Driver::new(seed);
    let mut next_command = driver.next_at(SimTime::ZERO);
    let mut failed_at = None;
    loop {
        let due = sim.next_event_at().unwrap_or(end);
        let at = due.min(next_command).min(end);
        sim.step_until(at);
        let events = sim.take_events();
        observer.observe(&sim, &events);
        observer.end_instant(&sim, at);
        if at == next_command && at < end {
            for command in driver.burst(&sim) {
                // `apply` settles the instant first; settle it here so the fingerprint
                // compares the world the command saw.
                sim.step_until(at);
                let events = sim.take_events();
                observer.observe(&sim, &events);
                // A copy is cheap; the fingerprints (of the whole world) are taken only for
                // the commands that are refused.
                let mut before = sim.clone();
                report.commands += 1;
                if let Err(e) = sim.apply(command.clone()) {
                    report.refused += 1;
                    if !same_world(&mut sim, &mut before) {
                        observer.violations.push(Violation {
                            at,
                            invariant: "refused command changed the world",
                            detail: format!("{command:?} was refused ({e}) but changed the world"),
                        });
                    }
                }
                let events = sim.take_events();
                observer.observe(&sim, &events);
            }
            observer.end_instant(&sim, at);
            next_command = driver.next_at(at);
        }
        if !observer.violations.is_empty() {
            failed_at = Some(at);
            break;
        }
        if at >= end {
            break;
        }
    }
    report.simulated_ms = sim.now().ms();
    report.events = sim.event_count();
    if failed_at.is_none() {
        let mut again = Sim::new(scenario.clone()).expect("validated above");
        if let Some(bug) = options.plant {
            again.plant_bug(bug);
        }
        let replayed = again.replay(sim.script(), sim.now());
        if replayed.is_err() || again.digest() != sim.digest() {
            observer.violations.push(Violation {
                at: sim.now(),
                invariant: "live play equals replay",
                detail: format!(
                    "replaying the {} recorded commands gave a different run ({replayed:?})",
                    sim.script().len()
                ),
            });
            failed_at = Some(sim.now());
        }
    }
    report.violations = observer.violations;
    if let Some(at) = failed_at {
        report.share = encode(&Shared {
            scenario,
            script: sim.script().to_vec(),
            at,
            panel: None,
            lesson: None,
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    /// The refused-command check must see any change: in the metrics history, which it
    /// compares directly, and anywhere else, which it compares by fingerprint.
    #[test]
    fn same_world_sees_a_change_anywhere() {
        let mut sim = Sim::new(random_world(3)).expect("valid");
        sim.step_until(SimTime::from_hours(2));
        let mut copy = sim.clone();
        assert!(same_world(&mut sim, &mut copy));

        let mut later = sim.clone();
        later.step_until(SimTime::from_hours(3));
        assert!(!same_world(&mut sim, &mut later));

        let mut scaled = sim.clone();
        let name = scaled.scenario().services[0].name.clone();
        let desired = scaled.services()[0].desired;
        scaled
            .apply(Command::SetDesiredCount {
                service: name,
                count: desired + 1,
            })
            .expect("accepted");
        let mut metrics_only = sim.clone();
        metrics_only.metrics = scaled.metrics.clone();
        assert!(!same_world(&mut metrics_only, &mut scaled));
        // Comparing puts the metrics back.
        assert_eq!(scaled.metrics, sim.metrics);
    }
}
