//! Property tests over random scenarios: placement never overcommits a host, honours every
//! constraint, keeps services spread when capacity allows, and never beats the lower bound.

use fleetsim_core::scenario::{NetworkMode, PlacementConstraint, Scenario, ServiceSpec, TaskSpec};
use fleetsim_core::world::{Owner, Res};
use fleetsim_core::{Sim, SimTime};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Svc {
    cpu: u32,
    mem_per_vcpu: u32,
    desired: u32,
    distinct: bool,
    family: Option<&'static str>,
    host_mode: bool,
}

fn svc() -> impl Strategy<Value = Svc> {
    (
        prop::sample::select(vec![256u32, 512, 1024, 2048, 4096, 8192]),
        prop::sample::select(vec![2u32, 4, 8]),
        0u32..25,
        prop::bool::weighted(0.2),
        prop::option::weighted(0.2, prop::sample::select(vec!["m6i", "r6i", "c6i"])),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(cpu, mem_per_vcpu, desired, distinct, family, host_mode)| Svc {
                cpu,
                mem_per_vcpu,
                desired,
                distinct,
                family,
                host_mode,
            },
        )
}

fn scenario() -> impl Strategy<Value = (Scenario, bool)> {
    (
        1usize..=4,
        prop::collection::vec(svc(), 1..5),
        prop::bool::ANY,
        any::<u64>(),
    )
        .prop_map(|(azs, svcs, trunking, seed)| {
            let mut s = Scenario {
                seed,
                ..Scenario::default()
            };
            s.availability_zones = (1..=azs).map(|i| format!("use1-az{i}")).collect();
            s.capacity_provider.awsvpc_trunking = trunking;
            let mut constrained = false;
            for (i, v) in svcs.iter().enumerate() {
                let mut spec = ServiceSpec::sized(
                    &format!("s{i}"),
                    v.desired,
                    v.cpu,
                    v.cpu * v.mem_per_vcpu / 1024 * 1024,
                );
                spec.task = TaskSpec {
                    network_mode: if v.host_mode {
                        NetworkMode::Host
                    } else {
                        NetworkMode::Awsvpc
                    },
                    ..TaskSpec::with_size(
                        v.cpu,
                        (v.cpu / 1024).max(1) * 1024 * v.mem_per_vcpu
                            / (if v.cpu < 1024 { 1024 / v.cpu } else { 1 }).max(1),
                    )
                };
                if v.distinct {
                    spec.placement_constraints
                        .push(PlacementConstraint::DistinctInstance);
                    constrained = true;
                }
                if let Some(f) = v.family {
                    spec.placement_constraints
                        .push(PlacementConstraint::MemberOf {
                            expression: format!("attribute:ecs.instance-family == {f}"),
                        });
                }
                s.services.push(spec);
            }
            (s, constrained)
        })
}

fn check(sim: &Sim, constrained: bool) -> Result<(), TestCaseError> {
    for h in sim.hosts() {
        let mut sum = Res::default();
        for t in &h.tasks {
            sum = sum.plus(&sim.task(*t).expect("host lists live tasks").need);
        }
        prop_assert_eq!(sum, h.used, "host {} bookkeeping", h.id);
        prop_assert!(
            h.used.fits_in(&h.capacity),
            "host {} over-committed: {:?} > {:?}",
            h.id,
            h.used,
            h.capacity
        );
    }
    for t in sim.tasks() {
        prop_assert!(
            sim.task_satisfies_constraints(t.id),
            "task {} violates its constraints",
            t.id
        );
    }
    // Spread is judged once the fleet has settled: every task placed and healthy, nothing
    // draining or being replaced (a drain briefly runs old and new side by side).
    let settled = sim.tasks().all(|t| t.host.is_some() && t.healthy)
        && sim
            .hosts()
            .all(|h| h.status == fleetsim_core::world::HostStatus::Active)
        && sim.services().iter().all(|s| s.steady);
    if settled && !constrained {
        let n_az = sim.az_names().count();
        for s in sim.services() {
            let mut c = vec![0u32; n_az];
            for t in sim
                .tasks()
                .filter(|t| t.owner == Owner::Service(s.id) && t.live())
            {
                c[sim.host(t.host.unwrap()).unwrap().az as usize] += 1;
            }
            let (lo, hi) = (c.iter().min().unwrap(), c.iter().max().unwrap());
            prop_assert!(hi - lo <= 1, "service {} spread {:?}", s.name, c);
        }
    }
    let cost = sim.cost();
    prop_assert!(
        cost.rate() >= cost.lower_bound_per_hour,
        "rate {} < bound {}",
        cost.rate(),
        cost.lower_bound_per_hour
    );
    prop_assert!(
        cost.total() >= cost.lower_bound,
        "total {} < bound {}",
        cost.total(),
        cost.lower_bound
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn placement_invariants_hold((scenario, constrained) in scenario(), scale in 0u32..3) {
        let mut sim = match Sim::new(scenario.clone()) {
            Ok(sim) => sim,
            Err(e) => return Err(TestCaseError::reject(format!("{e}"))),
        };
        for minute in [0u64, 1, 3, 10] {
            sim.step_until(SimTime::from_mins(minute));
            check(&sim, constrained)?;
        }
        // Scale every service and check again once the fleet settles.
        for s in &scenario.services {
            let count = s.desired_count * scale / 2 + scale;
            sim.apply(fleetsim_core::Command::SetDesiredCount { service: s.name.clone(), count }).unwrap();
        }
        for minute in [11u64, 15, 40] {
            sim.step_until(SimTime::from_mins(minute));
            check(&sim, constrained)?;
        }
    }
}
