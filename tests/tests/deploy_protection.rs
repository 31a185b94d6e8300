//! Task scale-in protection holds against every deployment strategy ("Task
//! scale-in protection": it protects against scale-in *and against deployments*; a request
//! without `expiresInMinutes` protects for the default of 120 minutes).

use crate::deploy_common::*;
use fleetsim_core::event::{DeploymentStatus, EventKind};
use fleetsim_core::scenario::Strategy;
use fleetsim_core::time::MINUTE;
use fleetsim_core::world::TaskId;
use fleetsim_core::{Command, Event, Sim, SimTime};

/// Protects one running task of `revision` without a duration; returns it and the time asked.
fn protect_one(sim: &mut Sim, revision: u32) -> (TaskId, SimTime) {
    let t = sim
        .tasks()
        .find(|t| t.revision == revision && t.live() && t.healthy)
        .map(|t| t.id)
        .expect("a healthy task");
    let at = sim.now();
    sim.apply(Command::ProtectTask {
        task: t.0,
        minutes: None,
    })
    .expect("protect");
    (t, at)
}

fn stopped_at(events: &[Event], task: TaskId) -> Option<SimTime> {
    events.iter().find_map(|e| match e.kind {
        EventKind::TaskStopping { task: t, .. } if t == task => Some(e.at),
        _ => None,
    })
}

#[test]
fn task_scale_in_protection_defaults_to_120_minutes_without_a_duration() {
    let mut sim = warm(scenario(3, Strategy::Rolling));
    let blue = rev(&sim, "web:1");
    let (t, at) = protect_one(&mut sim, blue);
    let until = sim.task(t).and_then(|t| t.protected_until);
    assert_eq!(until, Some(at + 120 * MINUTE));
    // The command round-trips through JSON without a duration.
    let json = serde_json::to_string(&Command::ProtectTask {
        task: 7,
        minutes: None,
    })
    .unwrap();
    assert_eq!(json, r#"{"type":"protectTask","task":7}"#);
    let back: Command = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back,
        Command::ProtectTask {
            task: 7,
            minutes: None
        }
    );
}

/// "Task scale-in protection": CLEAN_UP of every staged strategy keeps a protected blue task
/// until its protection expires, says so, and only then finishes.
#[test]
fn task_scale_in_protection_holds_blue_in_clean_up_for_blue_green_linear_and_canary() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut s = scenario(3, strategy);
        s.services[0].deployment_configuration.bake_time_in_minutes = 1;
        s.services[0]
            .deployment_configuration
            .linear_configuration
            .step_bake_time_in_minutes = 0;
        s.services[0]
            .deployment_configuration
            .canary_configuration
            .canary_bake_time_in_minutes = 0;
        let mut sim = warm(s);
        let blue = rev(&sim, "web:1");
        let (t, at) = protect_one(&mut sim, blue);
        let expiry = at + 120 * MINUTE;
        deploy(&mut sim, "v2", None);
        let events = run(&mut sim);
        assert_eq!(
            finished(&events),
            DeploymentStatus::Successful,
            "{strategy:?}"
        );
        let stop = stopped_at(&events, t).expect("blue task stopped in the end");
        assert!(
            stop >= expiry,
            "{strategy:?}: protected task stopped at {stop}, protection until {expiry}"
        );
        assert!(
            events.iter().any(|e| matches!(
                e.kind,
                EventKind::DeploymentWaitsForProtection { task, until, .. } if task == t && until == expiry
            )),
            "{strategy:?}: the wait is announced"
        );
        let done = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DeploymentFinished { .. }))
            .map(|e| e.at)
            .unwrap();
        assert!(
            done >= expiry,
            "{strategy:?}: finished at {done} before {expiry}"
        );
        // Unprotected blue tasks did not wait for it.
        let other_blue_stops: Vec<SimTime> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::TaskStopping { task, .. } if task != t => Some((task, e.at)),
                _ => None,
            })
            .filter(|(task, _)| sim.task(*task).is_none_or(|x| x.revision == blue))
            .map(|(_, at)| at)
            .collect();
        assert!(other_blue_stops.iter().all(|s| *s < expiry), "{strategy:?}");
    }
}

/// "Task scale-in protection": RECONCILE_SERVICE leaves a protected task of an older revision
/// running; it is stopped once its protection expires.
#[test]
fn task_scale_in_protection_holds_a_stray_revision_in_reconcile_service() {
    let mut s = scenario(3, Strategy::BlueGreen);
    s.services[0].deployment_configuration.bake_time_in_minutes = 1;
    let mut sim = warm(s);
    deploy(&mut sim, "v2", None);
    let v2 = rev(&sim, "web:v2");
    // Let green come up, then abort: its tasks are left for the next deployment to tidy.
    let limit = sim.now() + 2 * fleetsim_core::time::HOUR;
    while healthy(&sim, v2) < 3 {
        assert!(sim.now() < limit, "green never came up");
        sim.step_to_next_event(limit);
    }
    sim.apply(Command::StopDeployment {
        service: "web".into(),
        rollback: false,
    })
    .unwrap();
    let (t, at) = protect_one(&mut sim, v2);
    sim.take_events();
    deploy(&mut sim, "v3", None);
    let events = run(&mut sim);
    assert_eq!(finished(&events), DeploymentStatus::Successful);
    let stop = stopped_at(&events, t).expect("the stray goes in the end");
    assert!(stop >= at + 120 * MINUTE, "stray stopped at {stop}");
    assert_eq!(live(&sim, v2), 0);
}
