//! Placement benchmark: throughput on 10,000 pending tasks of mixed Fargate-valid sizes across
//! 3 AZs onto an empty cluster (median tasks/s), and packing quality on every mix of
//! `packing_mixes`: cost ÷ lower bound and hosts launched, per selection rule.

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::scenario::{Scenario, Selection};
use fleetsim_core::Sim;
use fleetsim_tests::packing_mixes::mixes;
use fleetsim_tests::{mixed_workload, placed, rate_vs_bound};

const TASKS: u32 = 10_000;
const RULES: [Selection; 3] = [
    Selection::LargestAtBestPrice,
    Selection::LowestCost,
    Selection::CheapestPerHost,
];

/// Places the scenario and checks the result: every task placed, no host over-committed.
fn checked(s: Scenario) -> Sim {
    let want: u32 = s.services.iter().map(|s| s.desired_count).sum();
    let sim = placed(s);
    let n = sim.tasks().filter(|t| t.host.is_some()).count() as u32;
    assert_eq!(n, want, "every task must be placed");
    for h in sim.hosts() {
        assert!(h.used.fits_in(&h.capacity), "host {} over-committed", h.id);
    }
    sim
}

fn quality() {
    println!("\npacking quality (3 AZs, empty cluster, default catalog, trunking on):");
    for mix in mixes() {
        let mut best = f64::MAX;
        let mut line = format!("  {:<36}", mix.name);
        for rule in RULES {
            let mut s = mix.scenario.clone();
            s.capacity_provider.selection = rule;
            let sim = checked(s);
            let (rate, bound) = rate_vs_bound(&sim);
            let ratio = rate as f64 / bound as f64;
            best = best.min(ratio);
            line += &format!(
                " | {rule:?}: {ratio:.4} × bound, {} hosts",
                sim.hosts().count()
            );
        }
        let goal = match mix.goal {
            Some(g) => format!("goal ≤ {g:.2} × bound"),
            None => format!("goal: within 1 % of the best packer ({best:.4})"),
        };
        println!("{line} | {goal}");
    }
}

fn bench(c: &mut Criterion) {
    quality();
    let mut group = c.benchmark_group("placement");
    group.sample_size(30);
    let mut runs: Vec<f64> = Vec::new();
    group.bench_function("place_10k_mixed_tasks_3az", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let s = mixed_workload(TASKS);
                let t = std::time::Instant::now();
                let sim = placed(s);
                let dt = t.elapsed();
                total += dt;
                runs.push(dt.as_secs_f64());
                assert_eq!(
                    sim.tasks().filter(|t| t.host.is_some()).count() as u32,
                    TASKS
                );
            }
            total
        })
    });
    group.finish();
    runs.sort_by(|a, b| a.total_cmp(b));
    let median = runs[runs.len() / 2];
    println!(
        "\nplacement throughput ({TASKS} tasks, 3 AZs): median {:.2} ms = {:.0} tasks/s over {} runs (fastest {:.2} ms)",
        median * 1e3,
        f64::from(TASKS) / median,
        runs.len(),
        runs[0] * 1e3
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
