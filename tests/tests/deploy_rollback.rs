//! Failure detection and rollback ("Lifecycle hooks for Amazon ECS service deployments", "How
//! the Amazon ECS deployment circuit breaker detects failures"): hooks, alarms, circuit breaker.

use crate::deploy_common::*;

use fleetsim_core::event::{DeploymentStatus, EventKind, HookOutcome, RollbackWhy};
use fleetsim_core::scenario::{
    AlarmMetric, AlarmSpec, CircuitBreaker, HookResponse, HookTarget, LifecycleHook,
    LifecycleStage as S, Strategy, TimeoutAction,
};
use fleetsim_core::world::{Owner, StopCause};
use fleetsim_core::{Command, Event};

fn lambda(name: &str, stages: &[S], script: Vec<HookResponse>) -> LifecycleHook {
    LifecycleHook {
        name: name.into(),
        lifecycle_stages: stages.to_vec(),
        script,
        ..LifecycleHook::default()
    }
}

fn rolled_back_why(events: &[Event]) -> RollbackWhy {
    events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::DeploymentRollingBack { why, .. } => Some(why.clone()),
            _ => None,
        })
        .expect("a rollback")
}

/// After a rollback: blue has all production traffic, the desired count runs healthy on the
/// production revision, and no green task is left.
fn assert_blue_restored(sim: &fleetsim_core::Sim, desired: u32) {
    let v = view(sim);
    assert_eq!(v.status, DeploymentStatus::RollbackSuccessful);
    assert_eq!(
        (v.production.blue_bp(), v.production.green_bp()),
        (10_000, 0)
    );
    let blue = sim.services()[0].revision;
    assert_eq!(blue, rev(sim, "web:1"), "production revision unchanged");
    assert_eq!(healthy(sim, blue), desired);
    assert_eq!(
        live(sim, rev(sim, "web:bad")) + live(sim, rev(sim, "web:v2")),
        0,
        "green scaled down"
    );
}

#[test]
fn a_failing_hook_at_each_hookable_stage_rolls_back() {
    let hookable = [
        S::PreScaleUp,
        S::PostScaleUp,
        S::TestTrafficShift,
        S::PostTestTrafficShift,
        S::PreProductionTrafficShift,
        S::ProductionTrafficShift,
        S::PostProductionTrafficShift,
    ];
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        for stage in hookable {
            let s = scenario(3, strategy);
            let mut c = config(&s);
            c.lifecycle_hooks = vec![
                lambda(
                    "gate",
                    &[stage],
                    vec![
                        HookResponse::InProgress {
                            call_back_delay: None,
                        },
                        HookResponse::Failed,
                    ],
                ),
                // Succeeds; it must run again while traffic returns.
                lambda(
                    "shift-check",
                    &[S::TestTrafficShift, S::ProductionTrafficShift],
                    vec![],
                ),
            ];
            let mut sim = warm(s);
            deploy(&mut sim, "v2", Some(c));
            let events = run(&mut sim);
            assert_eq!(
                finished(&events),
                DeploymentStatus::RollbackSuccessful,
                "{strategy:?} {stage:?}"
            );
            assert_eq!(
                rolled_back_why(&events),
                RollbackWhy::HookFailed { hook: 0, stage },
                "{strategy:?}"
            );
            assert_blue_restored(&sim, 3);
            // IN_PROGRESS first: re-invoked after the default 30 s.
            let rb = events
                .iter()
                .position(|e| matches!(e.kind, EventKind::DeploymentRollingBack { .. }))
                .unwrap();
            let invoked: Vec<_> = events[..rb]
                .iter()
                .filter(|e| matches!(e.kind, EventKind::HookInvoked { hook: 0, .. }))
                .map(|e| e.at)
                .collect();
            assert_eq!(invoked.len(), 2, "{strategy:?} {stage:?}");
            assert_eq!(
                invoked[1].since(invoked[0]),
                30_000 + 5_000,
                "30 s callback after a 5 s invocation"
            );
            // Traffic-shift hooks run again on the way back when traffic had moved.
            let rerun: Vec<S> = events[rb..]
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::HookInvoked { hook: 1, stage, .. } => Some(stage),
                    _ => None,
                })
                .collect();
            // The gate fails on its 2nd invocation: at the first PRE_PRODUCTION step, before
            // any production traffic moved.
            let expected: Vec<S> = match stage {
                S::PreScaleUp | S::PostScaleUp => vec![],
                S::TestTrafficShift | S::PostTestTrafficShift | S::PreProductionTrafficShift => {
                    vec![S::TestTrafficShift]
                }
                _ => vec![S::ProductionTrafficShift, S::TestTrafficShift],
            };
            assert_eq!(rerun, expected, "{strategy:?} {stage:?}");
        }
    }
}

#[test]
fn a_failing_hook_on_reconcile_service_rolls_back() {
    let s = scenario(3, Strategy::BlueGreen);
    let mut sim = warm(s.clone());
    deploy(&mut sim, "v2", None);
    // Let green scale up, then abort: its tasks stay, so the next deployment must reconcile.
    while sim.deployment_view(WEB).unwrap().stage != Some(S::BakeTime) {
        let t = sim.now() + 10_000;
        sim.step_until(t);
    }
    sim.apply(Command::StopDeployment {
        service: "web".into(),
        rollback: false,
    })
    .unwrap();
    assert_eq!(view(&sim).status, DeploymentStatus::Stopped);
    assert!(live(&sim, rev(&sim, "web:v2")) > 0);
    sim.take_events();
    let mut c = config(&s);
    c.lifecycle_hooks = vec![lambda(
        "gate",
        &[S::ReconcileService],
        vec![HookResponse::NoResponse],
    )];
    deploy(&mut sim, "v3", Some(c));
    let events = run(&mut sim);
    assert!(events.iter().any(|e| matches!(
        e.kind,
        EventKind::DeploymentStage {
            stage: S::ReconcileService,
            ..
        }
    )));
    assert_eq!(
        rolled_back_why(&events),
        RollbackWhy::HookFailed {
            hook: 0,
            stage: S::ReconcileService
        }
    );
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
    let v = view(&sim);
    assert_eq!(v.production.green_bp(), 0);
    assert_eq!(healthy(&sim, sim.services()[0].revision), 3);
    assert_eq!(
        live(&sim, rev(&sim, "web:v2")) + live(&sim, rev(&sim, "web:v3")),
        0
    );
}

#[test]
fn pause_hook_waits_for_continue_and_times_out_into_rollback() {
    let s = scenario(2, Strategy::BlueGreen);
    let mut c = config(&s);
    let mut pause = LifecycleHook {
        name: "approve".into(),
        target_type: HookTarget::Pause,
        ..LifecycleHook::default()
    };
    pause.lifecycle_stages = vec![S::PostScaleUp];
    c.lifecycle_hooks = vec![pause.clone()];
    // Continue: the deployment proceeds.
    let mut sim = warm(s.clone());
    deploy(&mut sim, "v2", Some(c.clone()));
    let t = sim.now() + fleetsim_core::time::HOUR;
    sim.step_until(t);
    let v = view(&sim);
    assert_eq!(
        v.stage,
        Some(S::PostScaleUp),
        "waits an hour at the pause hook"
    );
    assert!(v.hooks[0].awaiting_action);
    sim.apply(Command::ContinueHook {
        service: "web".into(),
        hook: "approve".into(),
        action: TimeoutAction::Continue,
    })
    .unwrap();
    let events = run(&mut sim);
    assert_eq!(finished(&events), DeploymentStatus::Successful);
    // Timeout with the default action ROLLBACK after the default 24 h.
    let mut sim = warm(s);
    deploy(&mut sim, "v2", Some(c));
    let start = sim.now();
    let events = run(&mut sim);
    let timed_out = events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::HookResult {
                    status: HookOutcome::TimedOut,
                    ..
                }
            )
        })
        .expect("timed out");
    let hours = timed_out.at.since(start) / fleetsim_core::time::HOUR;
    assert_eq!(
        hours, 24,
        "default pause timeout is 1,440 min after the stage began (within the first hour)"
    );
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
}

#[test]
fn an_alarm_during_bake_rolls_back_without_new_blue_tasks() {
    let s = scenario(4, Strategy::BlueGreen);
    let p99 = AlarmSpec {
        name: "p99-latency-green".into(),
        metric: AlarmMetric::P99LatencyMs,
        threshold: 500,
        period_seconds: 60,
        evaluation_periods: 3,
    };
    let c = with_alarms(config(&s), vec![p99]);
    let mut sim = warm(s);
    let blue = sim.services()[0].revision;
    deploy(&mut sim, "bad", Some(c));
    let events = run(&mut sim);
    // The rollback began while the stage was BAKE_TIME (blue still running).
    let rb = events
        .iter()
        .position(|e| matches!(e.kind, EventKind::DeploymentRollingBack { .. }))
        .unwrap();
    let stage_then = events[..rb].iter().rev().find_map(|e| match e.kind {
        EventKind::DeploymentStage { stage, .. } => Some(stage),
        _ => None,
    });
    assert_eq!(stage_then, Some(S::BakeTime));
    assert!(
        !events.iter().any(|e| matches!(e.kind, EventKind::TaskCreated { revision, owner: Owner::Service(_), .. } if revision == blue)),
        "no blue task was launched"
    );
    // 100 % back to blue at the moment of the rollback.
    let back = events[rb..]
        .iter()
        .find_map(|e| match e.kind {
            EventKind::TrafficShifted {
                production_green_bp,
                ..
            } => Some((e.at, production_green_bp)),
            _ => None,
        })
        .unwrap();
    assert_eq!(back, (events[rb].at, 0));
    assert_blue_restored(&sim, 4);
    let last = events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::DeploymentFinished { .. }))
        .unwrap();
    let sentence = sim.describe(last);
    assert!(
        sentence.contains("alarm p99-latency-green breached for 3 of 3 periods"),
        "{sentence}"
    );
}

#[test]
fn circuit_breaker_thresholds_follow_the_reference() {
    let cb = CircuitBreaker::default();
    assert_eq!(
        (cb.threshold(1), cb.threshold(25), cb.threshold(400)),
        (3, 13, 200)
    );
    // Behaviour: a revision that never starts trips the breaker after exactly the threshold
    // of failed starts, and the rolling deployment rolls back to the previous revision.
    for (desired, threshold) in [(1, 3), (25, 13)] {
        let mut s = scenario(desired, Strategy::Rolling);
        s.services[0].task = fleetsim_core::scenario::TaskSpec::with_size(256, 512);
        s.services[0].revisions[0].fails_to_start = true;
        let mut sim = warm(s);
        deploy(&mut sim, "v2", None);
        let events = run(&mut sim);
        let trip = events
            .iter()
            .position(|e| matches!(e.kind, EventKind::CircuitBreakerTripped { .. }))
            .expect("tripped");
        let failed = events[..trip]
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::TaskStopped {
                        cause: StopCause::FailedToStart,
                        ..
                    } | EventKind::TaskStopping {
                        cause: StopCause::FailedToStart,
                        ..
                    }
                )
            })
            .count()
            / 2;
        assert!(
            matches!(events[trip].kind, EventKind::CircuitBreakerTripped { threshold: t, .. } if t == threshold)
        );
        assert!(
            failed <= threshold as usize,
            "{failed} stops before the trip"
        );
        assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
        assert_eq!(healthy(&sim, sim.services()[0].revision), desired);
        assert_eq!(sim.services()[0].revision, rev(&sim, "web:1"));
    }
}

#[test]
fn faulty_revision_canary_exposes_about_its_percent_blue_green_nearly_all() {
    let mut s = scenario(20, Strategy::BlueGreen);
    s.services[0].deployment_configuration = with_alarms(config(&s), vec![error_alarm()]);
    let rows = fleetsim_core::compare::strategies::compare(&s, Some("web"), Some("bad")).unwrap();
    let get = |st: Strategy| rows.iter().find(|r| r.strategy == st).unwrap();
    let (bg, canary, linear) = (
        get(Strategy::BlueGreen),
        get(Strategy::Canary),
        get(Strategy::Linear),
    );
    for r in &rows {
        assert_eq!(
            r.status,
            Some(DeploymentStatus::RollbackSuccessful),
            "{r:?}"
        );
        assert!(
            r.new_revision_requests > 0 && r.failed_requests > 0,
            "{r:?}"
        );
    }
    assert!(canary.new_revision_requests < linear.new_revision_requests);
    assert!(linear.new_revision_requests < bg.new_revision_requests);
    // Same detection time, so the exposure ratio is roughly the canary's 5 %.
    let ratio = canary.new_revision_requests as f64 / bg.new_revision_requests as f64;
    assert!(
        (0.03..=0.08).contains(&ratio),
        "canary/blue-green exposure {ratio}"
    );
    // Failed requests follow the exposure (8 % error rate).
    let fail = bg.failed_requests as f64 / bg.new_revision_requests as f64;
    assert!((0.07..=0.09).contains(&fail), "{fail}");
}

#[test]
fn manual_rollback_and_abort() {
    let s = scenario(2, Strategy::Linear);
    let mut sim = warm(s);
    deploy(&mut sim, "v2", None);
    let t = sim.now() + 20 * fleetsim_core::time::MINUTE;
    sim.step_until(t);
    assert!(view(&sim).production.green_bp() > 0, "some traffic moved");
    sim.apply(Command::StopDeployment {
        service: "web".into(),
        rollback: true,
    })
    .unwrap();
    let events = run(&mut sim);
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
    assert_eq!(rolled_back_why(&events), RollbackWhy::Manual);
    assert!(
        sim.apply(Command::StopDeployment {
            service: "web".into(),
            rollback: true
        })
        .is_err(),
        "nothing to stop"
    );
}

#[test]
fn a_stage_past_its_24_hour_limit_rolls_back() {
    let s = scenario(2, Strategy::BlueGreen);
    let mut c = config(&s);
    c.lifecycle_hooks = vec![lambda(
        "slow",
        &[S::PostScaleUp],
        vec![HookResponse::InProgress {
            call_back_delay: Some(3_600),
        }],
    )];
    let mut sim = warm(s);
    deploy(&mut sim, "v2", Some(c));
    let events = run(&mut sim);
    assert_eq!(
        rolled_back_why(&events),
        RollbackWhy::StageTimeout {
            stage: S::PostScaleUp
        }
    );
    let entered = events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::DeploymentStage {
                    stage: S::PostScaleUp,
                    ..
                }
            )
        })
        .unwrap();
    let rb = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::DeploymentRollingBack { .. }))
        .unwrap();
    assert_eq!(rb.at.since(entered.at), 24 * fleetsim_core::time::HOUR);
    assert_eq!(finished(&events), DeploymentStatus::RollbackSuccessful);
}
