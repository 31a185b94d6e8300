//! The known defects 1–6 of the trust review (7 is in trust_defects_staged.rs), each reproduced
//! the way an instructor would (a small scenario, `Sim::new`, `sim.apply`, `sim.step_until`) and checked from the event
//! stream by an observer that keeps its own books.

use crate::trust_common::*;

use std::collections::{BTreeMap, BTreeSet};

use fleetsim_core::event::DeploymentStatus;
use fleetsim_core::scenario::{
    CapacityOptionType, HookResponse, HookTarget, LifecycleHook, LifecycleStage as S, Strategy,
};
use fleetsim_core::time::{HOUR, MINUTE, SECOND};
use fleetsim_core::world::{HostId, Owner, StopCause, TaskId, TaskState};
use fleetsim_core::{Command, Sim, SimTime};

// ---- 1. timers in the past re-armed every millisecond ------------------------------------

#[test]
fn defect_1_rolling_rollback_after_24h_fires_no_timer_storm() {
    let mut s = web(4, Strategy::Rolling, 3);
    let c = &mut s.services[0].deployment_configuration;
    c.minimum_healthy_percent = 50;
    // Without the circuit breaker the broken revision keeps failing for as long as we like.
    c.deployment_circuit_breaker.enable = false;
    let mut sim = steady(s);
    deploy(&mut sim, "broken", None);
    let t = sim.now() + 25 * HOUR;
    sim.step_until(t);
    assert!(
        sim.deployment_active(WEB),
        "the broken rollout is still trying"
    );
    apply(
        &mut sim,
        Command::StopDeployment {
            service: "web".into(),
            rollback: true,
        },
    );
    let t = sim.now() + HOUR;
    let report = sim.step_until(t);
    assert_eq!(
        sim.deployment(WEB).map(|d| d.status()),
        Some(DeploymentStatus::RollbackSuccessful)
    );
    // Starting two tasks, a few metric samples and hourly fault draws: a few dozen timers. A
    // wake re-armed every millisecond while the rollback runs would be tens of thousands.
    assert!(
        report.timers < 1_000,
        "{} timers in the rollback's hour",
        report.timers
    );
}

#[test]
fn defect_1_bake_expiring_while_a_hook_is_pending_fires_no_timer_storm() {
    let mut s = web(3, Strategy::Linear, 3);
    let c = &mut s.services[0].deployment_configuration;
    c.linear_configuration.step_bake_time_in_minutes = 5;
    // A check that keeps answering IN_PROGRESS, asking to be called again in an hour.
    c.lifecycle_hooks = vec![LifecycleHook {
        name: "slow-check".into(),
        target_type: HookTarget::AwsLambda,
        lifecycle_stages: vec![S::ProductionTrafficShift],
        script: vec![HookResponse::InProgress {
            call_back_delay: Some(3_600),
        }],
        ..LifecycleHook::default()
    }];
    let mut sim = steady(s);
    deploy(&mut sim, "v2", None);
    let mut obs = Observer::default();
    let limit = sim.now() + HOUR;
    run(&mut sim, &mut obs, limit, |sim| {
        sim.deployment(WEB).and_then(|d| d.stage()) == Some(S::ProductionTrafficShift)
    });
    let bake = sim.deployment(WEB).and_then(|d| d.bake_until());
    assert_eq!(bake, Some(sim.now() + 5 * MINUTE), "a 5-minute step bake");
    // The bake is over; the hook is still in progress.
    let t = sim.now() + 10 * MINUTE;
    sim.step_until(t);
    let t = sim.now() + 30 * MINUTE;
    let report = sim.step_until(t);
    assert!(
        report.timers < 200,
        "{} timers in 30 quiet minutes",
        report.timers
    );
}

// ---- 2. AZ impairment during a drain --------------------------------------------------------

#[test]
fn defect_2_az_impairment_during_drain_keeps_min_healthy() {
    for max in [100, 200] {
        let mut s = web(4, Strategy::Rolling, 2);
        let c = &mut s.services[0].deployment_configuration;
        c.minimum_healthy_percent = 50;
        c.maximum_percent = max;
        let mut sim = steady(s);
        sim.take_events();
        let mut obs = Observer::default();
        // Seed the observer with the healthy tasks and where they run.
        for t in sim.tasks().filter(|t| t.owner == Owner::Service(WEB)) {
            obs.revision.insert(t.id, t.revision);
            let az = sim.host(t.host.expect("placed")).expect("host").az;
            obs.az.insert(t.id, az);
            if t.healthy {
                obs.healthy.entry(t.revision).or_default().insert(t.id);
            }
        }
        assert_eq!(obs.total(), 4);
        let in_az0: Vec<HostId> = hosts_of_service(&sim)
            .into_iter()
            .filter(|h| sim.host(*h).is_some_and(|h| h.az == 0))
            .collect();
        assert!(!in_az0.is_empty());
        let az1 = sim.az_names().nth(1).expect("two AZs").to_string();
        apply(&mut sim, Command::ImpairAz { az: az1 });
        for h in in_az0 {
            apply(&mut sim, Command::DrainHost { host: h.0 });
        }
        let until = sim.now() + HOUR;
        run(&mut sim, &mut obs, until, |_| false);
        // The exception is visible: the unreachable tasks stop with their reason.
        assert!(obs.az_impaired_stops > 0, "max {max}");
        // Nothing but the impairment itself takes healthy tasks below ceil(4 × 50 %) = 2.
        for &(at, task, _, cause, _, all) in &obs.stops {
            assert!(
                cause == StopCause::AzImpaired || all >= 2,
                "max {max}: {at}: {task} stopped ({cause:?}) leaving {all} healthy"
            );
        }
        assert!(
            obs.lowest_healthy >= Some(2),
            "max {max}: {obs:?}",
            obs = obs.lowest_healthy
        );
        assert_eq!(obs.total(), 4, "max {max}: back to four healthy tasks");
    }
}

// ---- 3. stop before start with maximumPercent 200 -------------------------------------------

#[test]
fn defect_3_pending_replacements_stopped_in_the_same_pass_do_not_block_starts() {
    let mut s = web(4, Strategy::Rolling, 1);
    let c = &mut s.services[0].deployment_configuration;
    c.minimum_healthy_percent = 0;
    c.maximum_percent = 200;
    let mut sim = steady(s);
    sim.take_events();
    let mut obs = Observer::default();
    for t in sim.tasks().filter(|t| t.owner == Owner::Service(WEB)) {
        obs.revision.insert(t.id, t.revision);
        obs.healthy.entry(t.revision).or_default().insert(t.id);
    }
    let first = hosts_of_service(&sim);
    for h in &first {
        apply(&mut sim, Command::DrainHost { host: h.0 });
    }
    // Wait until the replacements sit on a new host, started but not yet running.
    let limit = sim.now() + HOUR;
    run(&mut sim, &mut obs, limit, |sim| {
        sim.tasks().any(|t| {
            t.live() && t.state == TaskState::Pending && t.host.is_some_and(|h| !first.contains(&h))
        })
    });
    let second: BTreeSet<HostId> = sim
        .tasks()
        .filter(|t| t.live() && t.host.is_some_and(|h| !first.contains(&h)))
        .filter_map(|t| t.host)
        .collect();
    assert!(!second.is_empty(), "replacements on a new host");
    for h in &second {
        apply(&mut sim, Command::DrainHost { host: h.0 });
    }
    let until = sim.now() + HOUR;
    run(&mut sim, &mut obs, until, |_| false);
    // maximumPercent 200 leaves room for every replacement: no healthy task on a draining host
    // stops before its replacement is healthy.
    for &(at, task, _, cause, _, all) in &obs.stops {
        assert!(
            all >= 4,
            "{at}: {task} stopped ({cause:?}) leaving {all} healthy of 4"
        );
    }
    assert_eq!(obs.total(), 4);
}

// ---- 4. a refused StartDeployment changes nothing ------------------------------------------

#[test]
fn defect_4_refused_start_deployment_leaves_the_running_one_alone() {
    let mut sim = steady(web(3, Strategy::BlueGreen, 3));
    let blue = sim.services()[0].revision;
    let production = sim.revisions()[blue as usize]
        .label
        .split_once(':')
        .expect("service:revision")
        .1
        .to_string();
    // Held before SCALE_UP, so no task of v2 exists yet: the production revision has no
    // leftovers to clear and a deployment to it is refused.
    let mut held = held(&sim);
    held.lifecycle_hooks[0].lifecycle_stages = vec![S::PreScaleUp];
    deploy(&mut sim, "v2", Some(held));
    // A command first lets its instant settle (what the deployment queued for now fires);
    // measure the world it then sees.
    sim.step_until(sim.now());
    let (digest, id) = (sim.digest(), sim.deployment(WEB).map(|d| d.id));
    let refused = sim.apply(Command::StartDeployment {
        service: "web".into(),
        revision: production,
        configuration: None,
    });
    assert!(refused.is_err(), "already the production revision");
    assert_eq!(sim.digest(), digest, "a refused command emits nothing");
    assert!(sim.deployment_active(WEB), "the running deployment goes on");
    assert_eq!(sim.deployment(WEB).map(|d| d.id), id);
    // Live play equals the replay of the recorded script (which lacks the refused command).
    let t = sim.now() + HOUR;
    sim.step_until(t);
    let mut again = Sim::new(sim.scenario().clone()).expect("valid");
    again.replay(sim.script(), t).expect("replays");
    assert_eq!(again.digest(), sim.digest());
}

// ---- 5. the lower bound on Spot fleets --------------------------------------------------

#[test]
fn defect_5_spot_cost_is_never_below_the_lower_bound() {
    let mut s = web(12, Strategy::Rolling, 3);
    s.capacity_provider.capacity_option_type = CapacityOptionType::Spot;
    let mut sim = Sim::new(s).expect("valid");
    let mut samples = 0;
    while sim.now() < SimTime::from_hours(6) {
        let t = sim.now() + MINUTE;
        sim.step_until(t);
        let c = sim.cost();
        assert!(
            c.total() >= c.lower_bound,
            "{}: cost {:?} below the lower bound {:?}",
            sim.now(),
            c.total(),
            c.lower_bound
        );
        assert!(c.rate() >= c.lower_bound_per_hour, "{}: {c:?}", sim.now());
        samples += u32::from(c.lower_bound_per_hour.0 > 0);
    }
    assert!(samples > 300, "the bound was positive while tasks ran");
}

// ---- 6. tasks never go backwards -----------------------------------------------------------

#[test]
fn defect_6_unplaced_tasks_never_go_back_from_pending_to_provisioning() {
    let mut sim = steady(web(1, Strategy::Rolling, 1));
    let az = sim.az_names().next().expect("one AZ").to_string();
    let mut seen: BTreeMap<TaskId, TaskState> = BTreeMap::new();
    let mut check = |sim: &Sim| {
        for t in sim.tasks() {
            if let Some(before) = seen.insert(t.id, t.state) {
                assert!(
                    rank(t.state) >= rank(before),
                    "{}: {} went from {before} to {}",
                    sim.now(),
                    t.id,
                    t.state
                );
            }
        }
    };
    apply(&mut sim, Command::ImpairAz { az: az.clone() });
    apply(
        &mut sim,
        Command::SetDesiredCount {
            service: "web".into(),
            count: 12,
        },
    );
    // No healthy AZ: the tasks wait unplaced, then the AZ recovers and new hosts launch.
    for _ in 0..10 {
        let t = sim.now() + MINUTE;
        sim.step_until(t);
        check(&sim);
    }
    assert!(sim.tasks().any(|t| t.live() && t.host.is_none()), "waiting");
    apply(&mut sim, Command::RecoverAz { az });
    check(&sim);
    let limit = sim.now() + HOUR;
    while let Some(at) = sim.next_event_at().filter(|at| *at <= limit) {
        sim.step_until(at);
        check(&sim);
    }
    assert_eq!(
        sim.tasks().filter(|t| t.healthy).count(),
        12,
        "all placed and healthy"
    );
}

#[test]
fn defect_3_scale_in_during_a_drain_keeps_maximum_percent() {
    use fleetsim_core::scenario::PlacementConstraint;
    let mut s = web(3, Strategy::Rolling, 1);
    // One task per instance, so each drain takes exactly one task.
    s.services[0]
        .placement_constraints
        .push(PlacementConstraint::DistinctInstance);
    let c = &mut s.services[0].deployment_configuration;
    c.minimum_healthy_percent = 50;
    c.maximum_percent = 100;
    let mut sim = steady(s);
    let hosts: Vec<HostId> = hosts_of_service(&sim).into_iter().collect();
    assert_eq!(hosts.len(), 3);
    // No room for a replacement first (100 %): the first drain stops its task, then replaces it.
    apply(&mut sim, Command::DrainHost { host: hosts[0].0 });
    let t = sim.now() + 30 * SECOND;
    sim.step_until(t);
    // While the replacement is still starting, a second drain: its task must stay (two healthy
    // are the minimum of three)…
    apply(&mut sim, Command::DrainHost { host: hosts[1].0 });
    let t = sim.now() + SECOND;
    sim.step_until(t);
    // …until the instructor scales to two: three live tasks are then over 100 % of two.
    apply(
        &mut sim,
        Command::SetDesiredCount {
            service: "web".into(),
            count: 2,
        },
    );
    let live = |sim: &Sim| {
        sim.tasks()
            .filter(|t| t.owner == Owner::Service(WEB) && t.live())
            .count()
    };
    let healthy = |sim: &Sim| {
        sim.tasks()
            .filter(|t| t.owner == Owner::Service(WEB) && t.healthy)
            .count()
    };
    let limit = sim.now() + HOUR;
    sim.step_until(sim.now());
    while let Some(at) = sim.next_event_at().filter(|at| *at <= limit) {
        sim.step_until(at);
        assert!(
            live(&sim) <= 2,
            "{}: {} live of 2 at 100 %",
            sim.now(),
            live(&sim)
        );
        assert!(healthy(&sim) >= 1, "{}: below the minimum", sim.now());
    }
    assert_eq!(healthy(&sim), 2);
}

/// Found by the swarm: a deployment superseded by another of the same revision leaves green
/// tasks running, which the new one keeps before SCALE_UP. A drain then stopped a kept task
/// with no replacement ("its revision wants none yet"), below the desired count. Start before
/// stop holds for kept tasks too.
#[test]
fn swarm_kept_green_tasks_on_a_draining_host_are_replaced_before_they_stop() {
    for strategy in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let mut sim = steady(web(4, strategy, 3));
        let mut obs = Observer::of_steady(&sim);
        deploy_to_stage(&mut sim, &mut obs, "v2", S::PostScaleUp);
        let green = sim.deployment(WEB).expect("active").green;
        assert_eq!(obs.healthy.get(&green).map_or(0, |s| s.len()), 4);
        // The instructor starts v2 again, held before SCALE_UP: v2's four tasks are kept.
        let mut c = held(&sim);
        c.lifecycle_hooks = vec![hold(S::PreScaleUp)];
        deploy(&mut sim, "v2", Some(c));
        let limit = sim.now() + HOUR;
        run(&mut sim, &mut obs, limit, |sim| {
            sim.deployment(WEB).and_then(|d| d.stage()) == Some(S::PreScaleUp)
        });
        let kept: BTreeSet<HostId> = sim
            .tasks()
            .filter(|t| t.owner == Owner::Service(WEB) && t.live() && t.revision == green)
            .filter_map(|t| t.host)
            .collect();
        assert!(!kept.is_empty(), "{strategy:?}: no green task kept");
        obs.stops.clear();
        for h in kept {
            apply(&mut sim, Command::DrainHost { host: h.0 });
        }
        let until = sim.now() + 30 * MINUTE;
        run(&mut sim, &mut obs, until, |_| false);
        let drained = obs.stops.iter().filter(|s| s.2 == green).count();
        assert!(drained > 0, "{strategy:?}: the drain moved no kept task");
        for &(at, task, rev, cause, left, _) in &obs.stops {
            if rev == green {
                assert!(
                    left >= 4,
                    "{strategy:?} {at}: kept {task} stopped ({cause:?}) leaving {left} healthy"
                );
            }
        }
    }
}

/// Where the docs are silent, the event says what we chose: CLEAN_UP waiting for green at the
/// desired count, and RECONCILE_SERVICE keeping the minimum and earlier green tasks.
#[test]
fn blue_green_assumptions_are_stated_in_the_event_reasons() {
    use fleetsim_core::event::EventKind;
    let mut sim = steady(web(4, Strategy::BlueGreen, 3));
    let mut obs = Observer::default();
    deploy_to_stage(&mut sim, &mut obs, "v2", S::PostScaleUp);
    // Superseded mid-way: the next deployment starts by tidying v2's tasks away.
    deploy(&mut sim, "1", None);
    let mut stages = BTreeMap::new();
    let until = sim.now() + 3 * HOUR;
    while sim.now() < until {
        let t = sim.now() + MINUTE;
        sim.step_until(t);
        for e in sim.take_events() {
            if let EventKind::DeploymentStage { stage, .. } = e.kind {
                stages.insert(stage, sim.describe(&e));
            }
        }
    }
    for stage in [S::ReconcileService, S::CleanUp] {
        let text = stages
            .get(&stage)
            .unwrap_or_else(|| panic!("no {stage:?} stage seen"));
        assert!(text.contains("assumption"), "{stage:?}: {text}");
    }
}
