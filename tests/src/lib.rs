//! Shared helpers for fleetsim's cross-crate tests and benches (in `tests/` and `benches/`).

pub mod hostile;
pub mod packing_mixes;
pub mod real_ecs;
pub mod workloads;

use fleetsim_core::scenario::{Scenario, ServiceSpec};
use fleetsim_core::Sim;
use fleetsim_core::SimTime;

/// Every valid Fargate (CPU units, memory MiB) size with a coarse memory step — the "mixed
/// Fargate-valid sizes" workload of the placement benchmark.
pub fn fargate_sizes() -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for &(cpu, lo, hi, step) in &[
        (256u32, 512u32, 2048u32, 512u32),
        (512, 1024, 4096, 1024),
        (1024, 2048, 8192, 2048),
        (2048, 4096, 16384, 4096),
        (4096, 8192, 30720, 7168),
        (8192, 16384, 61440, 15360),
        (16384, 32768, 122880, 30720),
    ] {
        let mut m = lo;
        while m <= hi {
            out.push((cpu, m));
            m += step;
        }
    }
    out
}

/// `n` tasks spread over services of mixed Fargate-valid sizes (at most 50 services), 3 AZs.
pub fn mixed_workload(n: u32) -> Scenario {
    let sizes = fargate_sizes();
    let k = sizes.len().min(50) as u32;
    let mut s = Scenario {
        name: format!("{n} mixed tasks"),
        ..Scenario::default()
    };
    s.capacity_provider.max_instances = 2_000;
    for (i, &(cpu, mem)) in sizes.iter().take(k as usize).enumerate() {
        let i = i as u32;
        let count = n / k + u32::from(i < n % k);
        s.services
            .push(ServiceSpec::sized(&format!("svc{i:02}"), count, cpu, mem));
    }
    s
}

/// A sim after its first scheduler pass: every task placed or waiting with a reason.
pub fn placed(scenario: Scenario) -> Sim {
    let mut sim = Sim::new(scenario).expect("valid scenario");
    sim.step_until(SimTime::ZERO);
    sim
}

/// (µ$/h of the hosts launched, µ$/h of the lower bound for the placed tasks' resources).
pub fn rate_vs_bound(sim: &Sim) -> (u64, u64) {
    let c = sim.cost();
    let demand = sim
        .tasks()
        .filter(|t| t.host.is_some())
        .fold(fleetsim_core::world::Res::default(), |a, t| a.plus(&t.need));
    (c.rate().0, sim.lower_bound_for(demand))
}
