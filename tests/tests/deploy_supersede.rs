//! A newer deployment arriving while a blue/green-family deployment is in BAKE_TIME (AWS docs,
//! "Amazon ECS blue/green service deployments workflow"). The stage table says production
//! traffic has all moved to green by then and that BAKE_TIME and CLEAN_UP run no hooks; it
//! says nothing of a newer deployment arriving. The simulator's assumption, stated in the
//! event: production stays on green, which becomes the production revision; blue is tidied by
//! the newer deployment's RECONCILE_SERVICE ("runs only when a new deployment starts while
//! more than one service revision is ACTIVE").

use crate::deploy_common::*;
use fleetsim_core::event::{DeploymentStatus, EventKind, RollbackWhy};
use fleetsim_core::scenario::{LifecycleStage as S, Strategy};
use fleetsim_core::time::HOUR;

#[test]
fn a_deployment_superseded_in_bake_time_keeps_production_on_green_and_says_it_assumes_so() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut s = scenario(3, strategy);
        s.services[0].deployment_configuration.bake_time_in_minutes = 60;
        s.services[0]
            .deployment_configuration
            .linear_configuration
            .step_bake_time_in_minutes = 0;
        let mut sim = warm(s);
        let (v1, v2) = (rev(&sim, "web:1"), rev(&sim, "web:v2"));
        deploy(&mut sim, "v2", None);
        let limit = sim.now() + 6 * HOUR;
        while sim.deployment(WEB).and_then(|d| d.stage()) != Some(S::BakeTime) {
            assert!(sim.now() < limit, "{strategy:?}: never reached BAKE_TIME");
            sim.step_to_next_event(limit);
        }
        sim.take_events();
        deploy(&mut sim, "v3", None);
        let events = run(&mut sim);

        // The superseded deployment: STOPPED, with the assumption in its reason.
        let (status, why) = events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::DeploymentFinished { status, why, .. } => Some((*status, why.clone())),
                _ => None,
            })
            .unwrap();
        assert_eq!(status, DeploymentStatus::Stopped, "{strategy:?}");
        assert_eq!(
            why,
            Some(RollbackWhy::SupersededAfterProductionShift { stage: S::BakeTime })
        );
        let e = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DeploymentFinished { .. }))
            .unwrap();
        let sentence = sim.describe(e);
        assert!(sentence.contains("assumption"), "{sentence}");
        // Production never went back to v1: the newer deployment starts from v2, tidies v1 away
        // in RECONCILE_SERVICE, and v3 ends in production.
        let newer = sim.deployment(WEB).unwrap();
        assert_eq!(newer.blue, v2, "{strategy:?}: the newer deployment's blue");
        assert_eq!(newer.status(), DeploymentStatus::Successful, "{strategy:?}");
        assert_eq!(newer.timeline[0].stage, S::ReconcileService);
        assert!(
            !events.iter().any(|e| matches!(
                e.kind,
                EventKind::TrafficShifted { deployment, production_green_bp, .. }
                    if deployment != newer.id && production_green_bp < 10_000
            )),
            "{strategy:?}: production snapped back to blue"
        );
        assert_eq!(live(&sim, v1), 0);
        assert_eq!(live(&sim, v2), 0);
        assert_eq!(live(&sim, rev(&sim, "web:v3")), 3);
    }
}

/// The same in CLEAN_UP, held open by a protected blue task ("Task scale-in protection"): the
/// newer deployment starts from green and its RECONCILE_SERVICE still leaves the protected task.
#[test]
fn a_deployment_superseded_in_clean_up_keeps_production_on_green_and_the_protected_task() {
    let mut s = scenario(3, Strategy::BlueGreen);
    s.services[0].deployment_configuration.bake_time_in_minutes = 1;
    let mut sim = warm(s);
    let (v1, v2) = (rev(&sim, "web:1"), rev(&sim, "web:v2"));
    let t = sim
        .tasks()
        .find(|t| t.revision == v1 && t.healthy)
        .map(|t| t.id)
        .unwrap();
    let protected_at = sim.now();
    sim.apply(fleetsim_core::Command::ProtectTask {
        task: t.0,
        minutes: None,
    })
    .unwrap();
    deploy(&mut sim, "v2", None);
    let limit = sim.now() + 6 * HOUR;
    while !sim
        .take_events()
        .iter()
        .any(|e| matches!(e.kind, EventKind::DeploymentWaitsForProtection { .. }))
    {
        assert!(sim.now() < limit, "CLEAN_UP never waited");
        sim.step_to_next_event(limit);
    }
    assert_eq!(
        sim.deployment(WEB).and_then(|d| d.stage()),
        Some(S::CleanUp)
    );
    deploy(&mut sim, "v3", None);
    let events = run(&mut sim);
    let why = events.iter().find_map(|e| match &e.kind {
        EventKind::DeploymentFinished { why, .. } => Some(why.clone()),
        _ => None,
    });
    assert_eq!(
        why,
        Some(Some(RollbackWhy::SupersededAfterProductionShift {
            stage: S::CleanUp
        }))
    );
    assert_eq!(sim.deployment(WEB).unwrap().blue, v2);
    let stopped = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::TaskStopping { task, .. } if task == t))
        .map(|e| e.at)
        .expect("the protected task goes in the end");
    assert!(stopped >= protected_at + 120 * fleetsim_core::time::MINUTE);
    assert_eq!(live(&sim, v1), 0);
}
