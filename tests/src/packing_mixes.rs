//! The task mixes packing quality is measured on: each a scenario of 3 AZs, an empty cluster
//! and the default catalog, so the only thing that differs is the shape of the demand.

use fleetsim_core::scenario::{Scenario, ServiceSpec};

use crate::mixed_workload;

/// A mix and the ratio of its cost to the lower bound that counts as good packing.
pub struct Mix {
    pub name: &'static str,
    pub scenario: Scenario,
    /// `None`: the lower bound is loose for this mix, so the packers are compared with each
    /// other instead.
    pub goal: Option<f64>,
}

fn scenario(name: &str, services: Vec<ServiceSpec>) -> Scenario {
    let mut s = Scenario {
        name: name.to_string(),
        ..Scenario::default()
    };
    s.capacity_provider.max_instances = 2_000;
    s.services = services;
    s
}

/// A tiny fixed generator, so the mixes do not depend on the simulation's own PRNG.
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

/// Services of `sizes` (cpu units, MiB) with `total` tasks split as evenly as possible.
fn services(prefix: &str, sizes: &[(u32, u32)], total: u32) -> Vec<ServiceSpec> {
    let k = sizes.len() as u32;
    sizes
        .iter()
        .enumerate()
        .map(|(i, &(cpu, mem))| {
            let i = i as u32;
            let count = total / k + u32::from(i < total % k);
            ServiceSpec::sized(&format!("{prefix}{i:02}"), count, cpu, mem)
        })
        .collect()
}

/// 3,000 Fargate-size tasks drawn like real services: most 0.25–1 vCPU, some 2–4, few 8–16.
fn realistic() -> Vec<ServiceSpec> {
    let mut d = Draw(17);
    let mut out = Vec::new();
    let mut left = 3_000u32;
    let mut i = 0;
    while left > 0 {
        let band = d.next(20);
        let cpu = match band {
            0..=13 => [256, 512, 1024][d.next(3) as usize],
            14..=18 => [2048, 4096][d.next(2) as usize],
            _ => [8192, 16384][d.next(2) as usize],
        };
        // 2, 4 or 8 GiB per vCPU, within Fargate's ranges for the size.
        let per_vcpu = [2, 2, 4, 4, 8][d.next(5) as usize];
        let mem = (cpu / 1024 * per_vcpu * 1024).max(cpu * 2).min(cpu * 8);
        let count = match band {
            0..=13 => 40 + d.next(120),
            14..=18 => 10 + d.next(40),
            _ => 2 + d.next(10),
        }
        .min(left);
        out.push(ServiceSpec::sized(&format!("real{i:02}"), count, cpu, mem));
        left -= count;
        i += 1;
    }
    out
}

pub fn mixes() -> Vec<Mix> {
    let big: Vec<(u32, u32)> = [4096, 8192, 16384]
        .iter()
        .flat_map(|&c| [(c, c * 2), (c, c * 4), (c, c * 8)])
        .collect();
    let heavy: Vec<(u32, u32)> = [512, 1024, 2048, 4096]
        .iter()
        .flat_map(|&c| [(c, c * 6), (c, c * 7), (c, c * 8)])
        .collect();
    vec![
        Mix {
            name: "10k bench mix",
            scenario: mixed_workload(10_000),
            goal: Some(1.02),
        },
        Mix {
            name: "3,000 × 0.25 vCPU / 0.5 GiB awsvpc",
            scenario: scenario("tiny awsvpc", services("tiny", &[(256, 512)], 3_000)),
            goal: Some(1.02),
        },
        Mix {
            name: "3,000 Fargate-size, real-like",
            scenario: scenario("real-like", realistic()),
            goal: Some(1.03),
        },
        Mix {
            name: "300 × 4–16 vCPU",
            scenario: scenario("big", services("big", &big, 300)),
            goal: Some(1.03),
        },
        Mix {
            name: "2,000 memory-heavy (6–8 GiB/vCPU)",
            scenario: scenario("memory-heavy", services("mem", &heavy, 2_000)),
            goal: None,
        },
    ]
}
