//! Known defect 7 of the trust review: the blue/green family (blue/green, linear, canary) keeps the
//! deployment's own window through CLEAN_UP, drains and rollbacks, checked from the event
//! stream by an observer that keeps its own books.

use crate::trust_common::*;

use fleetsim_core::event::DeploymentStatus;
use fleetsim_core::scenario::{LifecycleStage as S, Strategy, TimeoutAction};
use fleetsim_core::time::{HOUR, MINUTE, SECOND};
use fleetsim_core::world::Owner;
use fleetsim_core::{Command, Sim, SimTime};

// ---- 7. blue/green family: CLEAN_UP and drains keep the deployment's window -------------------

#[test]
fn defect_7_clean_up_waits_for_green_at_desired() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut sim = steady(web(4, strategy, 3));
        let blue = sim.services()[0].revision;
        deploy(&mut sim, "v2", None);
        let mut obs = Observer::default();
        let limit = sim.now() + 3 * HOUR;
        run(&mut sim, &mut obs, limit, |sim| {
            sim.deployment(WEB).and_then(|d| d.stage()) == Some(S::BakeTime)
        });
        let until = sim
            .deployment(WEB)
            .and_then(|d| d.bake_until())
            .expect("baking");
        run(&mut sim, &mut obs, SimTime(until.0 - 10 * SECOND), |_| {
            false
        });
        let green = sim.deployment(WEB).expect("active").green;
        let victim = sim
            .tasks()
            .find(|t| t.revision == green && t.healthy)
            .expect("a healthy green task")
            .id;
        apply(&mut sim, Command::StopTask { task: victim.0 });
        run(&mut sim, &mut obs, until + HOUR, |_| false);
        // Blue stops only while green is healthy at the desired count.
        assert_other_healthy_when_stopped(&obs, blue, 4, &format!("{strategy:?} blue"));
        assert_eq!(
            sim.deployment(WEB).map(|d| d.status()),
            Some(DeploymentStatus::Successful),
            "{strategy:?}"
        );
    }
}

#[test]
fn defect_7_drains_during_blue_green_use_the_deployments_window() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut s = web(4, strategy, 1);
        // The service's stored window would allow stopping everything at once…
        let stored = &mut s.services[0].deployment_configuration;
        stored.minimum_healthy_percent = 0;
        stored.maximum_percent = 100;
        // …the deployment's own asks for start before stop.
        let mut c = stored.clone();
        c.minimum_healthy_percent = 100;
        c.maximum_percent = 200;
        c.lifecycle_hooks = vec![hold(S::PreScaleUp)];
        let mut sim = steady(s);
        let blue = sim.services()[0].revision;
        deploy(&mut sim, "v2", Some(c));
        sim.step_until(sim.now() + SECOND);
        let mut obs = Observer::default();
        sim.take_events();
        for t in sim.tasks().filter(|t| t.owner == Owner::Service(WEB)) {
            obs.revision.insert(t.id, t.revision);
            if t.healthy {
                obs.healthy.entry(t.revision).or_default().insert(t.id);
            }
        }
        for h in hosts_of_service(&sim) {
            apply(&mut sim, Command::DrainHost { host: h.0 });
        }
        let until = sim.now() + 30 * MINUTE;
        run(&mut sim, &mut obs, until, |_| false);
        for &(at, task, rev, cause, left, _) in &obs.stops {
            if rev == blue {
                assert!(
                    left >= 4,
                    "{strategy:?} {at}: blue {task} stopped ({cause:?}) leaving {left} healthy blue"
                );
            }
        }
        assert_eq!(
            obs.healthy.get(&blue).map_or(0, |s| s.len()),
            4,
            "{strategy:?}: blue replaced on new hosts"
        );
    }
}

#[test]
fn defect_7_rollback_scales_green_down_only_with_blue_at_desired() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut s = web(4, strategy, 3);
        s.services[0].deployment_configuration.lifecycle_hooks = vec![hold(S::PostScaleUp)];
        let mut sim = steady(s);
        let blue = sim.services()[0].revision;
        deploy(&mut sim, "v2", None);
        let mut obs = Observer::default();
        let limit = sim.now() + 3 * HOUR;
        run(&mut sim, &mut obs, limit, |sim| {
            sim.deployment(WEB).and_then(|d| d.stage()) == Some(S::PostScaleUp)
        });
        // Blue loses a task just before the instructor rolls back.
        let victim = sim
            .tasks()
            .find(|t| t.revision == blue && t.healthy)
            .expect("a healthy blue task")
            .id;
        apply(&mut sim, Command::StopTask { task: victim.0 });
        apply(
            &mut sim,
            Command::ContinueHook {
                service: "web".into(),
                hook: "hold".into(),
                action: TimeoutAction::Rollback,
            },
        );
        let until = sim.now() + HOUR;
        run(&mut sim, &mut obs, until, |_| false);
        let green = sim.deployment(WEB).expect("finished").green;
        assert_other_healthy_when_stopped(&obs, green, 4, &format!("{strategy:?} green"));
        assert_eq!(
            sim.deployment(WEB).map(|d| d.status()),
            Some(DeploymentStatus::RollbackSuccessful),
            "{strategy:?}"
        );
    }
}

#[test]
fn defect_7_redeploying_the_production_revision_keeps_its_tasks() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut sim = steady(web(4, strategy, 3));
        let mut obs = Observer::of_steady(&sim);
        deploy_to_stage(&mut sim, &mut obs, "v2", S::PostScaleUp);
        // The instructor changes their mind: "deploy what is in production" supersedes it
        // (green = blue; v2's tasks become strays for RECONCILE_SERVICE).
        let blue = sim.services()[0].revision;
        let production = sim.revisions()[blue as usize].label.clone();
        deploy(&mut sim, production.split_once(':').expect("label").1, None);
        let until = sim.now() + 2 * HOUR;
        run(&mut sim, &mut obs, until, |_| false);
        assert_floor(&obs, 4, &format!("{strategy:?}"));
        assert_eq!(
            sim.deployment(WEB).map(|d| d.status()),
            Some(DeploymentStatus::Successful),
            "{strategy:?}"
        );
        assert_eq!(obs.healthy.get(&blue).map_or(0, |s| s.len()), 4);
    }
}

#[test]
fn defect_7_reconcile_service_keeps_strays_that_are_all_that_serves() {
    let mut s = web(0, Strategy::BlueGreen, 3);
    s.services[0].deployment_configuration.bake_time_in_minutes = 1;
    let mut sim = Sim::new(s).expect("valid");
    let mut obs = Observer::default();
    // With no tasks a deployment of the broken revision succeeds: it is now production.
    deploy(&mut sim, "broken", None);
    let t = sim.now() + 10 * MINUTE;
    run(&mut sim, &mut obs, t, |_| false);
    apply(
        &mut sim,
        Command::SetDesiredCount {
            service: "web".into(),
            count: 4,
        },
    );
    // Deploying the old revision back brings up four healthy tasks; then a rollback (to the
    // broken revision) waits for blue, which never becomes healthy.
    deploy_to_stage(&mut sim, &mut obs, "1", S::PostScaleUp);
    let good = sim.deployment(WEB).expect("active").green;
    apply(
        &mut sim,
        Command::StopDeployment {
            service: "web".into(),
            rollback: true,
        },
    );
    let t = sim.now() + 10 * MINUTE;
    run(&mut sim, &mut obs, t, |_| false);
    assert_eq!(obs.healthy.get(&good).map_or(0, |s| s.len()), 4);
    // Redeploying the broken production revision: the healthy strays are all that serves.
    deploy(&mut sim, "broken", None);
    let t = sim.now() + HOUR;
    run(&mut sim, &mut obs, t, |_| false);
    assert_floor(&obs, 4, "strays");
    assert_eq!(obs.healthy.get(&good).map_or(0, |s| s.len()), 4);
}
