//! Stage order and traffic steps of the blue/green family ("Amazon ECS blue/green service
//! deployments workflow", "Amazon ECS linear deployments", "Amazon ECS canary deployments").

use crate::deploy_common::*;

use fleetsim_core::event::{DeploymentStatus, EventKind};
use fleetsim_core::scenario::{LifecycleStage as S, Strategy};
use fleetsim_core::time::MINUTE;
use fleetsim_core::{Event, SimTime};

fn stages(events: &[Event]) -> Vec<S> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::DeploymentStage { stage, .. } => Some(stage),
            _ => None,
        })
        .collect()
}

/// (time, production bp on green) of each production shift.
fn production_shifts(events: &[Event]) -> Vec<(SimTime, u32)> {
    let mut last = 0;
    let mut out = Vec::new();
    for e in events {
        if let EventKind::TrafficShifted {
            production_green_bp,
            ..
        } = e.kind
        {
            if production_green_bp != last {
                out.push((e.at, production_green_bp));
                last = production_green_bp;
            }
        }
    }
    out
}

/// The order of AWS's "Amazon ECS blue/green service deployments workflow" with the production pair repeated `steps` times.
fn reference_order(steps: usize) -> Vec<S> {
    let mut v = vec![
        S::PreScaleUp,
        S::ScaleUp,
        S::PostScaleUp,
        S::TestTrafficShift,
        S::PostTestTrafficShift,
    ];
    for _ in 0..steps {
        v.extend([S::PreProductionTrafficShift, S::ProductionTrafficShift]);
    }
    v.extend([S::PostProductionTrafficShift, S::BakeTime, S::CleanUp]);
    v
}

fn deploy_v2(strategy: Strategy) -> Vec<Event> {
    let mut sim = warm(scenario(4, strategy));
    deploy(&mut sim, "v2", None);
    let events = run(&mut sim);
    assert_eq!(finished(&events), DeploymentStatus::Successful);
    assert_eq!(
        sim.services()[0].revision,
        rev(&sim, "web:v2"),
        "green became production"
    );
    events
}

#[test]
fn blue_green_runs_the_documented_stages_and_moves_all_traffic_at_once() {
    let events = deploy_v2(Strategy::BlueGreen);
    assert_eq!(stages(&events), reference_order(1));
    let shifts = production_shifts(&events);
    assert_eq!(shifts.len(), 1, "{shifts:?}");
    assert_eq!(shifts[0].1, 10_000);
}

#[test]
fn linear_defaults_make_ten_steps_with_six_minute_bakes() {
    let events = deploy_v2(Strategy::Linear);
    assert_eq!(stages(&events), reference_order(10));
    let shifts = production_shifts(&events);
    let weights: Vec<u32> = shifts.iter().map(|s| s.1).collect();
    assert_eq!(
        weights,
        [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000]
    );
    for w in shifts.windows(2) {
        assert_eq!(
            w[1].0.since(w[0].0),
            6 * MINUTE,
            "step bake between {:?} and {:?}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn canary_moves_five_percent_then_the_rest_after_ten_minutes() {
    let events = deploy_v2(Strategy::Canary);
    assert_eq!(stages(&events), reference_order(2));
    let shifts = production_shifts(&events);
    assert_eq!(
        shifts.iter().map(|s| s.1).collect::<Vec<_>>(),
        [500, 10_000]
    );
    assert_eq!(shifts[1].0.since(shifts[0].0), 10 * MINUTE);
}

#[test]
fn bake_time_separates_the_last_shift_from_clean_up() {
    let events = deploy_v2(Strategy::BlueGreen);
    let at = |s: S| {
        events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DeploymentStage { stage, .. } if stage == s))
            .unwrap()
            .at
    };
    // bakeTimeInMinutes defaults to 10 in the scenario format.
    assert_eq!(at(S::CleanUp).since(at(S::BakeTime)), 10 * MINUTE);
}

#[test]
fn green_is_fully_scaled_and_healthy_before_test_traffic_moves_and_the_fleet_grows() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let desired = 6;
        let mut sim = warm(scenario(desired, strategy));
        let hosts_before = sim.hosts().count();
        let green = rev(&sim, "web:v2");
        deploy(&mut sim, "v2", None);
        let mut checked = false;
        let mut peak_hosts = 0;
        run_with(&mut sim, |sim, new| {
            peak_hosts = peak_hosts.max(sim.hosts().count());
            for e in new {
                if let EventKind::TrafficShifted {
                    test_green_bp,
                    production_green_bp,
                    ..
                } = e.kind
                {
                    if test_green_bp > 0 && !checked {
                        checked = true;
                        // Stages without hooks pass in the same millisecond, so the state seen
                        // here is the state at the shift.
                        assert!(
                            healthy(sim, green) >= desired,
                            "{strategy:?}: green {} of {desired} healthy",
                            healthy(sim, green)
                        );
                        assert_eq!(production_green_bp, 0, "production still all blue");
                    }
                }
            }
        });
        assert!(checked, "{strategy:?}: test traffic never shifted");
        assert!(
            peak_hosts > hosts_before,
            "{strategy:?}: green needed new hosts ({peak_hosts} vs {hosts_before})"
        );
    }
}
