//! The determinism check: a digest of the whole event log of a fixed run, compared natively and
//! in the browser against a value kept in the repository.

use crate::scenario::Scenario;
use crate::share::Shared;
use crate::sim::Sim;
use crate::time::SimTime;

/// Runs `scenario` to `until` and returns the digest of every event.
pub fn event_log_hash(scenario: &Scenario, until: SimTime) -> Option<u64> {
    let mut sim = Sim::new(scenario.clone()).ok()?;
    sim.step_until(until);
    Some(sim.digest())
}

/// The golden run as a link: the default cluster at six simulated hours. The end-to-end tests
/// open it in the release build and compare the page's digest with the repository's value.
pub fn golden_shared() -> Shared {
    Shared {
        scenario: Scenario::default_cluster(),
        script: alloc::vec::Vec::new(),
        at: SimTime::from_hours(6),
        panel: None,
        lesson: None,
    }
}

/// The scenario the golden digest is taken from: the default cluster for six simulated hours.
pub fn golden_run() -> Option<u64> {
    let g = golden_shared();
    event_log_hash(&g.scenario, g.at)
}
