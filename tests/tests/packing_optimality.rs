//! Packing quality on small batches: on random cases of at most 8 tasks in one AZ, the hosts
//! launched cost at most 10 % more per hour than the best packing found by trying every way to
//! group the tasks onto hosts (each group on the cheapest type that holds it).

use fleetsim_core::scenario::{NetworkMode, PlacementConstraint, Scenario, ServiceSpec, TaskSpec};
use fleetsim_core::Sim;
use fleetsim_core::SimTime;
use fleetsim_tests::fargate_sizes;
use proptest::prelude::*;

#[derive(Clone, Copy, Debug)]
struct Need {
    cpu: u32,
    memory: u32,
    eni: bool,
    /// Service index: distinctInstance services allow one of their tasks per host.
    service: usize,
    distinct: bool,
}

/// µ$/h of the cheapest type that holds `group`, or None when no type does.
fn cheapest_host(sim: &Sim, trunking: bool, group: &[Need]) -> Option<u64> {
    let (cpu, mem, enis) = group.iter().fold((0, 0, 0), |(c, m, e), n| {
        (c + n.cpu, m + n.memory, e + u32::from(n.eni))
    });
    let clash = group
        .iter()
        .enumerate()
        .any(|(i, a)| a.distinct && group[i + 1..].iter().any(|b| b.service == a.service));
    if clash {
        return None;
    }
    sim.catalog()
        .iter()
        .filter(|t| cpu <= t.vcpu * 1024 && mem <= t.memory_mib && enis <= t.task_enis(trunking))
        .map(|t| t.total_per_hour().0)
        .min()
}

/// The cheapest total over every partition of `tasks` into hosts.
fn exhaustive(sim: &Sim, trunking: bool, tasks: &[Need]) -> u64 {
    fn go(sim: &Sim, trunking: bool, rest: &[Need], groups: &mut Vec<Vec<Need>>, best: &mut u64) {
        let Some((first, rest)) = rest.split_first() else {
            let total: Option<u64> = groups.iter().map(|g| cheapest_host(sim, trunking, g)).sum();
            if let Some(t) = total {
                *best = (*best).min(t);
            }
            return;
        };
        for i in 0..groups.len() {
            groups[i].push(*first);
            if cheapest_host(sim, trunking, &groups[i]).is_some() {
                go(sim, trunking, rest, groups, best);
            }
            groups[i].pop();
        }
        groups.push(vec![*first]);
        go(sim, trunking, rest, groups, best);
        groups.pop();
    }
    let mut best = u64::MAX;
    go(sim, trunking, tasks, &mut Vec::new(), &mut best);
    best
}

fn case() -> impl Strategy<Value = (Vec<(usize, u32, bool, bool)>, bool)> {
    let sizes = fargate_sizes().len();
    (
        // (size index, tasks, awsvpc, distinctInstance) per service; at most 8 tasks in all.
        prop::collection::vec(
            (
                0..sizes,
                1u32..=4,
                prop::bool::ANY,
                prop::bool::weighted(0.2),
            ),
            1..=4,
        ),
        prop::bool::ANY,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn small_batches_cost_at_most_ten_percent_over_the_best((services, trunking) in case()) {
        let sizes = fargate_sizes();
        let mut s = Scenario {
            availability_zones: vec!["use1-az1".to_string()],
            ..Scenario::default()
        };
        s.capacity_provider.awsvpc_trunking = trunking;
        let mut needs = Vec::new();
        for (i, &(size, count, awsvpc, distinct)) in services.iter().enumerate() {
            let count = count.min(8 - needs.len() as u32);
            if count == 0 {
                break;
            }
            let (cpu, memory) = sizes[size];
            let mut spec = ServiceSpec::sized(&format!("s{i}"), count, cpu, memory);
            spec.task = TaskSpec {
                network_mode: if awsvpc { NetworkMode::Awsvpc } else { NetworkMode::Host },
                ..TaskSpec::with_size(cpu, memory)
            };
            if distinct {
                spec.placement_constraints.push(PlacementConstraint::DistinctInstance);
            }
            s.services.push(spec);
            for _ in 0..count {
                needs.push(Need { cpu, memory, eni: awsvpc, service: i, distinct });
            }
        }
        let mut sim = Sim::new(s).expect("valid scenario");
        sim.step_until(SimTime::ZERO);
        prop_assert!(sim.tasks().all(|t| t.host.is_some()), "every task placed");
        let rate = sim.cost().rate().0;
        let best = exhaustive(&sim, trunking, &needs);
        prop_assert!(
            rate * 100 <= best * 110,
            "packing {rate} µ$/h vs exhaustive best {best} µ$/h for {needs:?}"
        );
    }
}
