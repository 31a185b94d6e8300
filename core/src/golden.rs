//! The determinism check: a digest of the whole event log of a fixed run, compared natively and
//! in the browser against a value kept in the repository.

use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::SimTime;

/// Runs `scenario` to `until` and returns the digest of every event.
pub fn event_log_hash(scenario: &Scenario, until: SimTime) -> Option<u64> {
    let mut sim = Sim::new(scenario.clone()).ok()?;
    sim.step_until(until);
    Some(sim.digest())
}

/// The scenario the golden digest is taken from: the default cluster for six simulated hours.
pub fn golden_run() -> Option<u64> {
    event_log_hash(&Scenario::default_cluster(), SimTime::from_hours(6))
}
