//! Scenario tests of Managed Instances placement: spread first, then pack, with reasons.

use fleetsim_core::event::{EventKind, PendingWhy};
use fleetsim_core::scenario::{
    PlacementConstraint, Scenario, ServiceSpec, StandaloneSpec, TaskSpec,
};
use fleetsim_core::world::{Owner, ServiceId, TaskState};
use fleetsim_core::{Sim, SimTime};

fn run(s: Scenario, until: SimTime) -> Sim {
    let mut sim = Sim::new(s).expect("valid scenario");
    sim.step_until(until);
    sim
}

fn per_az(sim: &Sim, service: u32) -> Vec<u32> {
    let mut counts = vec![0u32; sim.az_names().count()];
    for t in sim
        .tasks()
        .filter(|t| t.owner == Owner::Service(ServiceId(service)) && t.live())
    {
        if let Some(h) = t.host.and_then(|h| sim.host(h)) {
            counts[h.az as usize] += 1;
        }
    }
    counts
}

#[test]
fn nine_tasks_over_three_azs_are_three_per_az_and_all_run() {
    let mut s = Scenario::default();
    s.services.push(ServiceSpec::sized("web", 9, 1024, 2048));
    let sim = run(s, SimTime::from_mins(10));
    assert_eq!(per_az(&sim, 0), vec![3, 3, 3]);
    assert_eq!(
        sim.tasks()
            .filter(|t| t.state == TaskState::Running)
            .count(),
        9
    );
    // Every host is in use (no empty host was launched).
    assert!(sim.hosts().all(|h| !h.tasks.is_empty()));
}

#[test]
fn uneven_counts_differ_by_at_most_one() {
    for desired in [1u32, 2, 4, 5, 7, 11] {
        let mut s = Scenario::default();
        s.services
            .push(ServiceSpec::sized("api", desired, 512, 1024));
        let sim = run(s, SimTime::from_mins(5));
        let c = per_az(&sim, 0);
        let (lo, hi) = (c.iter().min().unwrap(), c.iter().max().unwrap());
        assert!(hi - lo <= 1, "desired {desired}: {c:?}");
        assert_eq!(c.iter().sum::<u32>(), desired);
    }
}

#[test]
fn distinct_instance_never_shares_a_host() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("db", 6, 256, 512);
    svc.placement_constraints
        .push(PlacementConstraint::DistinctInstance);
    s.services.push(svc);
    s.services.push(ServiceSpec::sized("web", 12, 256, 512));
    let sim = run(s, SimTime::from_mins(5));
    for h in sim.hosts() {
        let db = h
            .tasks
            .iter()
            .filter(|t| {
                sim.task(**t)
                    .is_some_and(|t| t.owner == Owner::Service(ServiceId(0)))
            })
            .count();
        assert!(db <= 1, "host {} runs {db} db tasks", h.id);
    }
    assert_eq!(sim.tasks().filter(|t| t.host.is_some()).count(), 18);
}

#[test]
fn impossible_constraint_stays_pending_with_its_reason() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("gpu", 2, 1024, 2048);
    svc.placement_constraints
        .push(PlacementConstraint::MemberOf {
            expression: "attribute:ecs.instance-type == p5.48xlarge".into(),
        });
    s.services.push(svc);
    let sim = run(s, SimTime::from_mins(5));
    assert_eq!(sim.hosts().count(), 0);
    for t in sim.tasks() {
        // Waiting for capacity is PROVISIONING (known defect 6: PENDING would have to go
        // back to PROVISIONING once placed on a host still launching).
        assert_eq!(t.state, TaskState::Provisioning);
        assert_eq!(
            sim.pending_reason(t.id),
            Some(PendingWhy::ConstraintUnsatisfiable)
        );
    }
    assert_eq!(sim.tasks().count(), 2);
}

#[test]
fn a_task_larger_than_every_allowed_type_waits_with_no_type_fits() {
    let mut s = Scenario::default();
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = vec!["m6i.large".into(), "m6i.xlarge".into()];
    s.services.push(ServiceSpec::sized("big", 1, 8192, 16384));
    let sim = run(s, SimTime::from_mins(5));
    let t = sim.tasks().next().unwrap();
    assert_eq!(sim.pending_reason(t.id), Some(PendingWhy::NoTypeFits));
}

#[test]
fn launch_quota_leaves_tasks_waiting() {
    let mut s = Scenario::default();
    s.capacity_provider.max_instances = 1;
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = vec!["m6i.large".into()];
    s.services.push(ServiceSpec::sized("web", 6, 1024, 2048));
    let sim = run(s, SimTime::from_mins(5));
    assert_eq!(sim.hosts().count(), 1);
    let quota = sim
        .tasks()
        .filter(|t| sim.pending_reason(t.id) == Some(PendingWhy::LaunchQuota))
        .count();
    assert_eq!(
        quota, 4,
        "one m6i.large holds two 1-vCPU tasks; four wait for quota"
    );
}

#[test]
fn member_of_instance_family_is_honoured() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("mem", 3, 1024, 8192);
    svc.placement_constraints
        .push(PlacementConstraint::MemberOf {
            expression: "attribute:ecs.instance-family == r6i".into(),
        });
    s.services.push(svc);
    let sim = run(s, SimTime::from_mins(5));
    assert!(sim.hosts().count() >= 3);
    for h in sim.hosts() {
        assert!(sim.catalog()[h.instance_type as usize]
            .name
            .starts_with("r6i."));
    }
    assert!(sim.tasks().all(|t| sim.task_satisfies_constraints(t.id)));
}

#[test]
fn member_of_zone_keeps_tasks_in_that_zone() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("pinned", 4, 512, 1024);
    svc.placement_constraints
        .push(PlacementConstraint::MemberOf {
            expression: "attribute:ecs.availability-zone == use1-az2".into(),
        });
    s.services.push(svc);
    let sim = run(s, SimTime::from_mins(5));
    assert_eq!(per_az(&sim, 0), vec![0, 4, 0]);
}

#[test]
fn existing_capacity_is_used_before_launching() {
    let mut s = Scenario::default();
    s.services.push(ServiceSpec::sized("web", 3, 256, 512));
    let mut sim = run(s, SimTime::from_mins(10));
    let hosts_before = sim.hosts().count();
    sim.apply(fleetsim_core::Command::SetDesiredCount {
        service: "web".into(),
        count: 6,
    })
    .unwrap();
    sim.step_until(SimTime::from_mins(20));
    assert_eq!(
        sim.hosts().count(),
        hosts_before,
        "small tasks fit on the hosts already there"
    );
    let placed_existing = sim
        .events()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::TaskPlaced { why, .. } if !why.new_host))
        .count();
    assert!(placed_existing >= 3);
}

#[test]
fn cached_images_start_faster_than_uncached() {
    let mut s = Scenario::default();
    s.services.push(ServiceSpec::sized("web", 3, 256, 512));
    let mut sim = run(s, SimTime::from_mins(10));
    let first_start = sim
        .tasks()
        .map(|t| t.running_since.unwrap().since(t.created_at))
        .min()
        .unwrap();
    sim.apply(fleetsim_core::Command::SetDesiredCount {
        service: "web".into(),
        count: 6,
    })
    .unwrap();
    let t0 = sim.now();
    sim.step_until(SimTime::from_mins(20));
    let later = sim
        .tasks()
        .filter(|t| t.created_at >= t0)
        .map(|t| t.running_since.unwrap().since(t.created_at))
        .max()
        .unwrap();
    let timing = &sim.scenario().timing;
    assert!(first_start >= u64::from(timing.image_pull_seconds) * 1000);
    assert!(
        later < u64::from(timing.image_pull_seconds) * 1000,
        "cached start {later} ms"
    );
}

#[test]
fn memory_sizing_rule_from_the_reference_drives_placement() {
    // Containers {memory 1024, reservation 512} + {memory 512} reserve 1024 MiB, not 1536.
    let mut s = Scenario::default();
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = vec!["c6i.large".into()];
    let task = TaskSpec {
        cpu: None,
        memory: None,
        containers: vec![
            fleetsim_core::scenario::ContainerSpec {
                name: "app".into(),
                cpu: Some(256),
                memory: Some(1024),
                memory_reservation: Some(512),
            },
            fleetsim_core::scenario::ContainerSpec {
                name: "sidecar".into(),
                cpu: Some(256),
                memory: Some(512),
                memory_reservation: None,
            },
        ],
        ..TaskSpec::default()
    };
    s.services.push(ServiceSpec {
        name: "app".into(),
        desired_count: 3,
        task,
        ..ServiceSpec::default()
    });
    let sim = run(s, SimTime::from_mins(5));
    for t in sim.tasks() {
        assert_eq!((t.need.cpu, t.need.memory), (512, 1024));
    }
}

#[test]
fn standalone_tasks_are_placed_and_spread_by_group() {
    let mut s = Scenario::default();
    s.standalone_tasks.push(StandaloneSpec {
        group: "batch".into(),
        count: 3,
        ..StandaloneSpec::default()
    });
    let sim = run(s, SimTime::from_mins(5));
    let azs: std::collections::BTreeSet<u32> = sim
        .tasks()
        .filter_map(|t| t.host)
        .map(|h| sim.host(h).unwrap().az)
        .collect();
    assert_eq!(azs.len(), 3);
}

#[test]
fn every_launch_is_explained() {
    let sim = run(Scenario::default_cluster(), SimTime::from_mins(5));
    for e in sim.events() {
        let text = sim.describe(e);
        assert!(!text.is_empty());
        if let EventKind::HostLaunched { .. } = e.kind {
            assert!(text.contains("Launched") && text.contains("$"), "{text}");
        }
    }
}

/// Placement launches the type the downsizer would pick, so a scale-out never sets off a
/// drain → launch → drain loop (it once did: 360 drains in 10 hours).
#[test]
fn scale_out_does_not_start_a_replace_loop() {
    let mut sim = Sim::new(Scenario::default_cluster()).unwrap();
    sim.step_until(SimTime::from_hours(1));
    sim.apply(fleetsim_core::Command::SetDesiredCount {
        service: "api".into(),
        count: 20,
    })
    .unwrap();
    sim.step_until(SimTime::from_hours(2));
    sim.apply(fleetsim_core::Command::SetDesiredCount {
        service: "worker".into(),
        count: 7,
    })
    .unwrap();
    sim.step_until(SimTime::from_hours(10));
    let launches = sim
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::HostLaunched { .. }))
        .count();
    let drains = sim
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::HostDraining { .. }))
        .count();
    assert!(drains <= 3, "{drains} drains, {launches} launches");
    assert!(
        launches <= sim.hosts().count() + 3,
        "{launches} launches for {} hosts",
        sim.hosts().count()
    );
}
