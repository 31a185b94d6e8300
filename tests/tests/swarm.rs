//! The swarm must be able to fail: with a known bug planted (a task on a draining host stopped
//! before its replacement is healthy), seeds that run clean report "start before stop", and
//! the link in the report replays the session to the same violation.

use fleetsim_core::share;
use fleetsim_core::sim::PlantedBug;
use fleetsim_core::swarm::{replay_checked, run_seed, Options};

const STOP_BEFORE_START: &str = "start before stop";

#[test]
fn a_planted_stop_before_start_bug_is_reported_with_a_link_that_reproduces_it() {
    let plant = Some(PlantedBug::StopBeforeReplacementHealthy);
    let mut caught = Vec::new();
    for seed in 0..24 {
        let planted = run_seed(seed, Options { plant });
        if !planted
            .violations
            .iter()
            .any(|v| v.invariant == STOP_BEFORE_START)
        {
            continue;
        }
        let clean = run_seed(seed, Options::default());
        if clean
            .violations
            .iter()
            .any(|v| v.invariant == STOP_BEFORE_START)
        {
            continue;
        }
        let shared = share::decode(&planted.share).expect("the report's link decodes");
        let again = replay_checked(&shared, plant);
        assert!(
            again.iter().any(|v| v.invariant == STOP_BEFORE_START),
            "seed {seed}: the link does not reproduce the violation: {again:?}"
        );
        caught.push(seed);
        if caught.len() == 2 {
            return;
        }
    }
    panic!("the planted bug was caught only in seeds {caught:?}");
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let a = run_seed(3, Options::default());
    let b = run_seed(3, Options::default());
    assert!(a.events > 0);
    assert_eq!(a.events, b.events);
    assert_eq!(a.violations, b.violations);
    assert_eq!(a.share, b.share);
}

#[test]
fn every_random_world_survives_the_share_codec() {
    use fleetsim_core::share::Shared;
    use fleetsim_core::swarm::random_world;
    for seed in 0..300 {
        let scenario = random_world(seed);
        let shared = Shared {
            scenario: scenario.clone(),
            script: Vec::new(),
            at: fleetsim_core::SimTime::ZERO,
            panel: None,
        };
        let back = share::decode(&share::encode(&shared)).expect("decodes");
        assert_eq!(back.scenario, scenario, "seed {seed}");
    }
}
