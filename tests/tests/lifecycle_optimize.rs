//! Infrastructure optimisation: idle hosts after `scaleInAfter`, underutilised hosts drained
//! start-before-stop, hosts with standalone tasks left alone, downsizing, "kept" reasons.

use crate::lifecycle_common::{apply, run_to, Observer};
use fleetsim_core::event::{DeregisterWhy, EventKind, KeepWhy};
use fleetsim_core::scenario::{PatchMode, Scenario, ServiceSpec, StandaloneSpec, TaskSpec};
use fleetsim_core::world::{DrainCause, HostStatus, Owner, StopCause, TaskState};
use fleetsim_core::{Command, Sim, SimTime};

/// One AZ, one instance type (m6i.xlarge: 4 vCPU, 16 GiB), no patching: hosts only change
/// because of what the test does.
fn one_az(types: &[&str]) -> Scenario {
    let mut s = Scenario {
        availability_zones: vec!["use1-az1".into()],
        ..Scenario::default()
    };
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = types.iter().map(|t| t.to_string()).collect();
    s.patching.mode = PatchMode::Off;
    s
}

fn desired(sim: &mut Sim, obs: &mut Observer, n: u32) {
    apply(
        sim,
        obs,
        Command::SetDesiredCount {
            service: "web".into(),
            count: n,
        },
    );
}

#[test]
fn idle_host_goes_exactly_scale_in_after_its_last_task_stopped() {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.capacity_provider.scale_in_after = Some(600);
    s.services.push(ServiceSpec::sized("web", 3, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let hosts: Vec<_> = sim.hosts().map(|h| h.id).collect();
    assert!(!hosts.is_empty());
    desired(&mut sim, &mut obs, 0);
    run_to(&mut sim, &mut obs, SimTime::from_mins(40));
    for h in hosts {
        // The last task on the host stopping (STOPPED) starts the wait.
        let last_stop = obs
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::TaskStopped { task, .. } if obs.host_of.get(&task) == Some(&h)))
            .map(|e| e.at)
            .max()
            .expect("its tasks stopped");
        let gone = obs
            .first_at(|k| matches!(k, EventKind::HostDeregistering { host, why: DeregisterWhy::Idle { .. } } if *host == h))
            .expect("idle host deregistered");
        assert_eq!(
            gone.ms() - last_stop.ms(),
            600_000,
            "{h}: deregistered exactly scaleInAfter after its last task"
        );
    }
    assert_eq!(sim.hosts().count(), 0);
}

#[test]
fn a_task_arriving_during_the_wait_cancels_the_scale_in() {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.capacity_provider.scale_in_after = Some(600);
    s.services.push(ServiceSpec::sized("web", 3, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let hosts: Vec<_> = sim.hosts().map(|h| h.id).collect();
    desired(&mut sim, &mut obs, 0);
    // The tasks leave after the 300 s deregistration delay; the hosts then wait scaleInAfter.
    run_to(&mut sim, &mut obs, SimTime::from_mins(20));
    assert!(
        hosts
            .iter()
            .all(|h| sim.host(*h).is_some_and(|h| h.tasks.is_empty())),
        "idle, waiting"
    );
    desired(&mut sim, &mut obs, 3);
    run_to(&mut sim, &mut obs, SimTime::from_mins(60));
    // The tasks went back onto the waiting hosts, and none of them was scaled in.
    assert_eq!(
        obs.count(|k| matches!(k, EventKind::HostDeregistering { .. })),
        0
    );
    for h in &hosts {
        assert!(
            !sim.host(*h).unwrap().tasks.is_empty(),
            "{h} got a task back"
        );
    }
    assert_eq!(
        sim.tasks()
            .filter(|t| t.state == TaskState::Running)
            .count(),
        3
    );
}

#[test]
fn optimisation_off_keeps_idle_hosts_and_says_why() {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.capacity_provider.scale_in_after = Some(-1);
    s.services.push(ServiceSpec::sized("web", 3, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let n = sim.hosts().count();
    desired(&mut sim, &mut obs, 0);
    run_to(&mut sim, &mut obs, SimTime::from_hours(3));
    assert_eq!(sim.hosts().count(), n);
    for h in sim.hosts() {
        assert_eq!(sim.host_kept_reason(h.id), Some(KeepWhy::OptimisationOff));
    }
}

/// Two half-empty hosts in one AZ: one is drained into the other, start before stop.
fn half_empty_pair(scale_in_after: i32) -> (Sim, Observer) {
    let mut s = one_az(&["m6i.xlarge"]);
    s.capacity_provider.scale_in_after = Some(scale_in_after);
    s.capacity_provider.underutilized_below_percent = 60;
    s.services.push(ServiceSpec::sized("web", 8, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    assert_eq!(sim.hosts().count(), 2, "8 × 1 vCPU on 4-vCPU hosts");
    desired(&mut sim, &mut obs, 4);
    run_to(&mut sim, &mut obs, SimTime::from_hours(2));
    (sim, obs)
}

#[test]
fn underutilised_host_is_drained_start_before_stop_into_the_other() {
    let (sim, obs) = half_empty_pair(300);
    assert_eq!(
        obs.count(|k| matches!(
            k,
            EventKind::HostDraining {
                cause: DrainCause::Underutilized,
                ..
            }
        )),
        1
    );
    assert_eq!(sim.hosts().count(), 1, "4 tasks fit one host");
    assert_eq!(
        sim.tasks()
            .filter(|t| t.state == TaskState::Running && t.healthy)
            .count(),
        4
    );
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
    // Every task moved off the drained host had a healthy replacement first.
    let moved = obs.count(|k| {
        matches!(
            k,
            EventKind::TaskStopping {
                cause: StopCause::HostDraining,
                ..
            }
        )
    });
    let replacements = obs.count(|k| {
        matches!(
            k,
            EventKind::TaskCreated {
                why: fleetsim_core::event::CreateWhy::Replaces(_),
                ..
            }
        )
    });
    assert!(moved > 0 && replacements >= moved);
}

#[test]
fn without_optimisation_the_half_empty_pair_stays() {
    let (sim, obs) = half_empty_pair(-1);
    assert_eq!(
        obs.count(|k| matches!(k, EventKind::HostDraining { .. })),
        0
    );
    assert_eq!(sim.hosts().count(), 2);
}

#[test]
fn a_host_with_a_standalone_task_is_never_consolidated() {
    let mut s = one_az(&["m6i.xlarge"]);
    s.capacity_provider.scale_in_after = Some(300);
    s.capacity_provider.underutilized_below_percent = 60;
    s.services.push(ServiceSpec::sized("web", 4, 1024, 2048));
    s.standalone_tasks.push(StandaloneSpec {
        group: "batch".into(),
        count: 1,
        task: TaskSpec::with_size(1024, 2048),
        ..Default::default()
    });
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let standalone = sim
        .tasks()
        .find(|t| matches!(t.owner, Owner::Standalone(_)))
        .unwrap()
        .id;
    let its_host = sim.task(standalone).unwrap().host.unwrap();
    desired(&mut sim, &mut obs, 1);
    run_to(&mut sim, &mut obs, SimTime::from_hours(3));
    let t = sim.task(standalone).expect("standalone task still runs");
    assert_eq!(t.host, Some(its_host), "never moved");
    assert_eq!(t.state, TaskState::Running);
    assert_eq!(
        obs.count(|k| matches!(k, EventKind::HostDraining { host, .. } if *host == its_host)),
        0
    );
    assert!(
        obs.count(|k| matches!(k, EventKind::HostKept { host, why: KeepWhy::StandaloneTask } if *host == its_host)) >= 1,
        "the UI can tell why the host stays"
    );
    // The other host's service task was consolidated onto it (2 × 1 vCPU fit one host).
    assert_eq!(sim.hosts().count(), 1);
}

#[test]
fn protected_tasks_keep_their_host_and_each_reason_is_told_once() {
    let mut s = one_az(&["m6i.xlarge"]);
    s.capacity_provider.scale_in_after = Some(300);
    s.capacity_provider.underutilized_below_percent = 60;
    s.services.push(ServiceSpec::sized("web", 8, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    desired(&mut sim, &mut obs, 4);
    // The stopped tasks leave after the 300 s deregistration delay (15:05).
    run_to(&mut sim, &mut obs, SimTime::from_mins(16));
    // Inside scaleInAfter, protect what is left: the consolidation of the pair must now wait.
    let ids: Vec<u32> = sim.tasks().filter(|t| t.live()).map(|t| t.id.0).collect();
    for id in ids {
        apply(
            &mut sim,
            &mut obs,
            Command::ProtectTask {
                task: id,
                minutes: Some(600),
            },
        );
    }
    // A few more task changes re-trigger the checks.
    desired(&mut sim, &mut obs, 6);
    run_to(&mut sim, &mut obs, SimTime::from_mins(30));
    desired(&mut sim, &mut obs, 4);
    run_to(&mut sim, &mut obs, SimTime::from_hours(3));
    assert_eq!(
        obs.count(|k| matches!(k, EventKind::HostDraining { .. })),
        0
    );
    assert_eq!(sim.hosts().count(), 2);
    let kept: Vec<_> = obs
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::HostKept { host, why } => Some((host, why)),
            _ => None,
        })
        .collect();
    assert!(
        kept.iter()
            .any(|(_, why)| matches!(why, KeepWhy::ProtectedTask(_))),
        "{kept:?}"
    );
    for (i, k) in kept.iter().enumerate() {
        assert!(!kept[..i].contains(k), "{k:?} told twice");
    }
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}

#[test]
fn a_host_whose_tasks_fit_a_cheaper_type_is_replaced_by_one() {
    // Two sizes allowed. 4 tasks of 4 vCPU fill an m6i.4xlarge; at 1 task, a m6i.xlarge holds it.
    let mut s = one_az(&["m6i.xlarge", "m6i.4xlarge"]);
    s.capacity_provider.scale_in_after = Some(300);
    s.capacity_provider.downsizing = true;
    s.services.push(ServiceSpec::sized("web", 4, 4096, 8192));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let big: Vec<_> = sim
        .hosts()
        .map(|h| (h.id, sim.catalog()[h.instance_type as usize].name.clone()))
        .collect();
    assert_eq!(big.len(), 1);
    assert_eq!(big[0].1, "m6i.4xlarge");
    desired(&mut sim, &mut obs, 1);
    run_to(&mut sim, &mut obs, SimTime::from_hours(2));
    let drain = obs.events.iter().find_map(|e| match e.kind {
        EventKind::HostDraining {
            host,
            cause:
                DrainCause::Downsize {
                    to_type,
                    saves_per_hour,
                },
        } => Some((host, to_type, saves_per_hour)),
        _ => None,
    });
    let (host, to_type, saves) = drain.expect("downsized");
    assert_eq!(host, big[0].0);
    assert_eq!(sim.catalog()[to_type as usize].name, "m6i.xlarge");
    let price = |n: &str| {
        sim.catalog()
            .iter()
            .find(|t| t.name == n)
            .unwrap()
            .total_per_hour()
            .0
    };
    assert_eq!(saves, price("m6i.4xlarge") - price("m6i.xlarge"));
    let now: Vec<_> = sim
        .hosts()
        .map(|h| sim.catalog()[h.instance_type as usize].name.clone())
        .collect();
    assert_eq!(now, vec!["m6i.xlarge".to_string()]);
    assert!(sim.hosts().all(|h| h.status == HostStatus::Active));
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}
