//! Faults and AZ rebalancing: AZ impairment and recovery, Spot interruptions, maintenance
//! events, hardware degradation at seeded rates.

use crate::lifecycle_common::{apply, per_az, run_to, Observer};
use fleetsim_core::command::CommandError;
use fleetsim_core::event::{DeregisterWhy, EventKind};
use fleetsim_core::scenario::{
    CapacityOptionType, PatchMode, Scenario, ServiceSpec, StandaloneSpec, TaskSpec,
};
use fleetsim_core::time::MINUTE;
use fleetsim_core::world::{DrainCause, Owner, StopCause, TaskState};
use fleetsim_core::{Command, Sim, SimTime};

fn cluster() -> Scenario {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.services.push(ServiceSpec::sized("web", 9, 1024, 2048));
    s.services.push(ServiceSpec::sized("api", 7, 2048, 4096));
    s.standalone_tasks.push(StandaloneSpec {
        group: "batch".into(),
        count: 3,
        task: TaskSpec::with_size(512, 1024),
        ..Default::default()
    });
    s
}

fn spread_ok(c: &[u32]) -> bool {
    c.iter().max().unwrap() - c.iter().min().unwrap() <= 1
}

#[test]
fn impaired_az_tasks_move_away_and_rebalancing_brings_them_back() {
    let mut sim = Sim::new(cluster()).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(15));
    assert!(spread_ok(&per_az(&sim, 0)) && spread_ok(&per_az(&sim, 1)));
    let standalone: Vec<_> = sim
        .tasks()
        .filter(|t| matches!(t.owner, Owner::Standalone(_)))
        .map(|t| (t.id, t.host))
        .collect();

    apply(
        &mut sim,
        &mut obs,
        Command::ImpairAz {
            az: "use1-az2".into(),
        },
    );
    run_to(&mut sim, &mut obs, SimTime::from_mins(40));
    for s in 0..2 {
        let c = per_az(&sim, s);
        let desired = sim.services()[s as usize].desired;
        let elsewhere = c[0] + c[2];
        assert_eq!(
            elsewhere, desired,
            "service {s} fully replaced in the other AZs: {c:?}"
        );
        assert!(c[0].abs_diff(c[2]) <= 1, "{c:?}");
    }
    assert!(sim.hosts().filter(|h| h.az == 1).all(|h| h.unreachable));

    apply(
        &mut sim,
        &mut obs,
        Command::RecoverAz {
            az: "use1-az2".into(),
        },
    );
    run_to(&mut sim, &mut obs, SimTime::from_hours(2));
    assert!(obs.count(|k| matches!(k, EventKind::RebalancingStarted { .. })) >= 2);
    assert!(obs.count(|k| matches!(k, EventKind::RebalancingCompleted { .. })) >= 2);
    for s in 0..2 {
        let c = per_az(&sim, s);
        assert!(spread_ok(&c), "service {s} evenly spread again: {c:?}");
        assert_eq!(c.iter().sum::<u32>(), sim.services()[s as usize].desired);
    }
    // Rebalancing stops only after its new tasks are healthy.
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
    // Standalone tasks were never moved (those in the impaired AZ just waited).
    for (t, host) in standalone {
        let task = sim.task(t).expect("still there");
        assert_eq!(task.host, host);
        assert!(task.live());
    }
    assert!(sim
        .tasks()
        .filter(|t| t.live())
        .all(|t| t.state == TaskState::Running));
}

#[test]
fn a_protected_task_stops_a_rebalance_and_the_event_says_why() {
    let mut sim = Sim::new(cluster()).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(15));
    apply(
        &mut sim,
        &mut obs,
        Command::ImpairAz {
            az: "use1-az2".into(),
        },
    );
    run_to(&mut sim, &mut obs, SimTime::from_mins(40));
    // Protect every web task: the rebalance can start tasks but may stop none.
    let ids: Vec<u32> = sim
        .tasks()
        .filter(|t| t.owner == Owner::Service(fleetsim_core::world::ServiceId(0)) && t.live())
        .map(|t| t.id.0)
        .collect();
    for id in &ids {
        apply(
            &mut sim,
            &mut obs,
            Command::ProtectTask {
                task: *id,
                minutes: Some(600),
            },
        );
    }
    apply(
        &mut sim,
        &mut obs,
        Command::RecoverAz {
            az: "use1-az2".into(),
        },
    );
    run_to(&mut sim, &mut obs, SimTime::from_hours(2));
    assert!(
        obs.count(|k| matches!(k, EventKind::RebalancingStopped { service, .. } if service.0 == 0))
            >= 1
    );
    for id in ids {
        assert!(
            sim.task(fleetsim_core::world::TaskId(id))
                .is_some_and(|t| t.live()),
            "protected t-{id:03x} not stopped"
        );
    }
}

#[test]
fn spot_interruption_drains_and_deregisters_two_minutes_later() {
    let mut s = cluster();
    s.capacity_provider.capacity_option_type = CapacityOptionType::Spot;
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(15));
    let h = sim.hosts().find(|h| h.tasks.len() > 1).unwrap().id;
    let notice = sim.now();
    apply(&mut sim, &mut obs, Command::InterruptSpot { host: h.0 });
    run_to(&mut sim, &mut obs, SimTime::from_mins(40));
    assert_eq!(obs.first_at(|k| matches!(k, EventKind::HostDraining { host, cause: DrainCause::SpotInterruption } if *host == h)), Some(notice));
    let forced = obs.first_at(|k| matches!(k, EventKind::HostDeregistering { host, why: DeregisterWhy::Forced(DrainCause::SpotInterruption) } if *host == h));
    // Replacements need a new instance (90 s) and 40 s of health: the 2-minute notice is too short.
    assert_eq!(forced.map(|t| t.ms() - notice.ms()), Some(2 * MINUTE));
    assert!(sim.host(h).is_none());
    for s in 0..2 {
        assert_eq!(
            per_az(&sim, s).iter().sum::<u32>(),
            sim.services()[s as usize].desired
        );
    }
}

#[test]
fn spot_interruption_of_an_on_demand_host_is_refused() {
    let mut sim = Sim::new(cluster()).unwrap();
    sim.step_until(SimTime::from_mins(5));
    let h = sim.hosts().next().unwrap().id;
    assert!(matches!(
        sim.apply(Command::InterruptSpot { host: h.0 }),
        Err(CommandError::NotNow(_))
    ));
    assert!(matches!(
        sim.apply(Command::ImpairAz {
            az: "nowhere".into()
        }),
        Err(CommandError::UnknownAz(_))
    ));
}

#[test]
fn maintenance_event_drains_start_before_stop_and_the_host_goes() {
    let mut sim = Sim::new(cluster()).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(15));
    let h = sim
        .hosts()
        .find(|h| {
            h.tasks.iter().all(|t| {
                sim.task(*t)
                    .is_some_and(|t| matches!(t.owner, Owner::Service(_)))
            })
        })
        .unwrap()
        .id;
    apply(&mut sim, &mut obs, Command::MaintenanceEvent { host: h.0 });
    run_to(&mut sim, &mut obs, SimTime::from_hours(1));
    assert!(sim.host(h).is_none());
    assert!(obs.count(|k| matches!(k, EventKind::HostDeregistering { host, why: DeregisterWhy::Drained(DrainCause::MaintenanceEvent) } if *host == h)) == 1);
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
    // Every task that left was stopped only after its replacement was healthy.
    assert_eq!(
        obs.count(|k| matches!(
            k,
            EventKind::TaskStopping {
                cause: StopCause::HostDeregistered,
                ..
            }
        )),
        0
    );
}

#[test]
fn random_hardware_degradation_is_seeded_and_drained_hosts_are_replaced() {
    let run = |seed: u64| {
        let mut s = cluster();
        s.seed = seed;
        s.faults.hardware_degradation_ppm_per_host_day = 500_000;
        let mut sim = Sim::new(s).unwrap();
        let mut obs = Observer::new(&sim);
        run_to(&mut sim, &mut obs, SimTime::from_days(3));
        (
            sim.digest(),
            obs.count(|k| {
                matches!(
                    k,
                    EventKind::HostDraining {
                        cause: DrainCause::HardwareDegraded,
                        ..
                    }
                )
            }),
            sim,
            obs,
        )
    };
    let (d1, n1, sim, obs) = run(7);
    let (d2, n2, _, _) = run(7);
    let (d3, _, _, _) = run(8);
    assert_eq!((d1, n1), (d2, n2), "same seed, same faults");
    assert_ne!(d1, d3, "another seed, other faults");
    // Half a fault per host-day over 3 days on a handful of hosts: some, not none.
    assert!(n1 > 0);
    for s in 0..2 {
        assert_eq!(
            per_az(&sim, s).iter().sum::<u32>(),
            sim.services()[s as usize].desired,
            "replaced"
        );
    }
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}
