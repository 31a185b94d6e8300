//! Task health from the load balancer ("When a task counts as healthy": with a
//! load balancer, when the target group reports it healthy), the circuit breaker's second
//! stage (AWS docs, "How the Amazon ECS deployment circuit breaker detects failures": once a task
//! is RUNNING, ELB health-check failures add one each), `healthCheckGracePeriodSeconds`, and
//! the ELB deregistration delay (AWS "Target group attributes", deregistration_delay: default 300 s).

use crate::deploy_common::*;
use fleetsim_core::event::{DeploymentStatus, EventKind, RollbackWhy};
use fleetsim_core::scenario::{Scenario, Strategy, Timing};
use fleetsim_core::share::{decode, encode, Shared};
use fleetsim_core::time::{MINUTE, SECOND};
use fleetsim_core::world::{StopCause, TaskId, TaskState};
use fleetsim_core::{Command, Event, SimTime};

/// (RUNNING at, healthy at) of every task that turned healthy.
pub(crate) fn running_to_healthy(events: &[Event]) -> Vec<(SimTime, SimTime)> {
    let mut running = std::collections::BTreeMap::<TaskId, SimTime>::new();
    let mut out = Vec::new();
    for e in events {
        match e.kind {
            EventKind::TaskState {
                task,
                state: TaskState::Running,
            } => {
                running.insert(task, e.at);
            }
            EventKind::TaskHealthy { task } => out.push((running[&task], e.at)),
            _ => {}
        }
    }
    out
}

fn first_hour(s: Scenario) -> Vec<Event> {
    let mut sim = fleetsim_core::Sim::new(s).unwrap();
    sim.step_until(SimTime::from_hours(1));
    sim.take_events()
}

#[test]
fn a_task_behind_a_load_balancer_is_healthy_after_interval_times_healthy_threshold() {
    // ELB target-group defaults: 30 s apart, 5 passes → 150 s (not a fixed 40 s).
    let pairs = running_to_healthy(&first_hour(scenario(3, Strategy::Rolling)));
    assert_eq!(pairs.len(), 3);
    assert!(pairs.iter().all(|(r, h)| h.ms() - r.ms() == 150 * SECOND));
    // Settable: 10 s × 3 → 30 s.
    let mut s = scenario(3, Strategy::Rolling);
    s.timing.health_check_interval_seconds = 10;
    s.timing.healthy_threshold_count = 3;
    let pairs = running_to_healthy(&first_hour(s));
    assert!(pairs.iter().all(|(r, h)| h.ms() - r.ms() == 30 * SECOND));
}

#[test]
fn the_deregistration_delay_defaults_to_the_elb_default_of_300_seconds() {
    assert_eq!(Timing::default().deregistration_delay_seconds, 300);
    let mut sim = warm(scenario(3, Strategy::Rolling));
    let t = sim.tasks().find(|t| t.healthy).unwrap().id;
    sim.apply(Command::StopTask { task: t.0 }).unwrap();
    let from = sim.now();
    sim.step_until(from + 10 * MINUTE);
    let events = sim.take_events();
    let step = |state: TaskState| {
        events
            .iter()
            .find(|e| matches!(e.kind, EventKind::TaskState { task, state: s } if task == t && s == state))
            .map(|e| e.at)
            .unwrap()
    };
    assert_eq!(step(TaskState::Deactivating), from);
    assert_eq!(step(TaskState::Stopping).ms() - from.ms(), 300 * SECOND);
}

/// A revision that fails its health checks before it ever turns healthy: the circuit breaker
/// counts each replaced task and the rolling deployment rolls back.
#[test]
fn the_circuit_breaker_counts_tasks_that_fail_health_checks_after_running() {
    let mut s = scenario(3, Strategy::Rolling);
    s.services[0].revisions[0].unhealthy_after_seconds = Some(30);
    let mut sim = warm(s);
    deploy(&mut sim, "v2", None);
    let events = run(&mut sim);
    let unhealthy = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TaskUnhealthy { .. }))
        .count();
    assert!(
        unhealthy >= 3,
        "{unhealthy} tasks failed their health checks"
    );
    assert!(events.iter().any(|e| matches!(
        e.kind,
        EventKind::TaskStopping {
            cause: StopCause::HealthCheckFailed,
            ..
        }
    )));
    assert!(events.iter().any(|e| matches!(
        e.kind,
        EventKind::CircuitBreakerTripped { threshold: 3, .. }
    )));
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::DeploymentRollingBack {
            why: RollbackWhy::CircuitBreaker { .. },
            ..
        }
    )));
    // No task of v2 failed to start: these are stage-2 failures.
    assert!(!events.iter().any(|e| matches!(
        e.kind,
        EventKind::TaskStopping {
            cause: StopCause::FailedToStart,
            ..
        }
    )));
}

/// Tasks that turn healthy and fail later count too (without resetOnHealthyTask, so the
/// healthy ones in between do not clear the count).
#[test]
fn tasks_that_turn_unhealthy_after_n_seconds_trip_the_breaker_blue_green_too() {
    let mut s = scenario(3, Strategy::BlueGreen);
    s.services[0].revisions[0].unhealthy_after_seconds = Some(200);
    s.services[0]
        .deployment_configuration
        .deployment_circuit_breaker
        .reset_on_healthy_task = false;
    s.services[0].deployment_configuration.bake_time_in_minutes = 60;
    let mut sim = warm(s);
    let v2 = rev(&sim, "web:v2");
    deploy(&mut sim, "v2", None);
    let events = run(&mut sim);
    let pairs = running_to_healthy(&events);
    assert!(!pairs.is_empty(), "v2 tasks turn healthy first");
    assert!(events
        .iter()
        .any(|e| matches!(e.kind, EventKind::CircuitBreakerTripped { .. })));
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
    assert_eq!(live(&sim, v2), 0);
}

/// `healthCheckGracePeriodSeconds`: failing checks are ignored until it has passed.
#[test]
fn failing_health_checks_are_acted_on_only_after_the_grace_period() {
    let mut s = scenario(3, Strategy::Rolling);
    s.services[0].revisions[0].unhealthy_after_seconds = Some(5);
    s.timing.health_check_grace_period_seconds = 600;
    let mut sim = warm(s);
    deploy(&mut sim, "v2", None);
    let events = run(&mut sim);
    let mut running = std::collections::BTreeMap::<TaskId, SimTime>::new();
    let mut checked = 0;
    for e in &events {
        match e.kind {
            EventKind::TaskState {
                task,
                state: TaskState::Running,
            } => {
                running.insert(task, e.at);
            }
            EventKind::TaskUnhealthy { task } => {
                assert_eq!(e.at.ms() - running[&task].ms(), 600 * SECOND);
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 0);
}

#[test]
fn health_settings_are_validated_with_their_field_and_range_and_round_trip() {
    let mut s = scenario(3, Strategy::Rolling);
    s.timing.health_check_interval_seconds = 1;
    s.timing.healthy_threshold_count = 11;
    s.services[0].revisions[0].unhealthy_after_seconds = Some(100_000);
    let e = s.validate().unwrap_err().to_string();
    assert!(
        e.contains("timing.healthCheckIntervalSeconds: 1 s, must be 5–300 s"),
        "{e}"
    );
    assert!(
        e.contains("timing.healthyThresholdCount: 11, must be 2–10"),
        "{e}"
    );
    assert!(
        e.contains("services[0].revisions[0].unhealthyAfterSeconds: 100000 s, must be 0–86400 s"),
        "{e}"
    );

    let mut s = scenario(3, Strategy::Rolling);
    s.timing.health_check_interval_seconds = 10;
    s.timing.healthy_threshold_count = 3;
    s.timing.unhealthy_threshold_count = 4;
    s.timing.health_check_grace_period_seconds = 90;
    s.timing.deregistration_delay_seconds = 20;
    s.services[0].revisions[0].unhealthy_after_seconds = Some(45);
    let json = s.to_json();
    assert!(json.contains(r#""unhealthyAfterSeconds":45"#), "{json}");
    assert!(
        json.contains(r#""healthCheckGracePeriodSeconds":90"#),
        "{json}"
    );
    assert_eq!(Scenario::from_json(&json).unwrap(), s);
    let shared = Shared {
        scenario: s.clone(),
        script: Vec::new(),
        at: SimTime::from_mins(5),
        panel: None,
        lesson: None,
    };
    assert_eq!(decode(&encode(&shared)).unwrap().scenario, s);
}
