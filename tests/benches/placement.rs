//! Issue 3's placement benchmark: 10,000 pending tasks of mixed Fargate-valid sizes across 3 AZs
//! onto an empty cluster with the default catalog. Reports tasks/s, hosts launched and
//! cost ÷ lower bound (and, for comparison, the per-host baseline and Fargate).

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::scenario::Selection;
use fleetsim_tests::{mixed_workload, placed, rate_vs_bound};

const TASKS: u32 = 10_000;

fn summary(rule: Selection) -> (u64, u64, u32, f64) {
    let mut s = mixed_workload(TASKS);
    s.capacity_provider.selection = rule;
    let sim = placed(s);
    let placed = sim.tasks().filter(|t| t.host.is_some()).count() as u32;
    assert_eq!(placed, TASKS, "every task must be placed ({rule:?})");
    for h in sim.hosts() {
        assert!(h.used.fits_in(&h.capacity), "host {} over-committed", h.id);
    }
    let (rate, bound) = rate_vs_bound(&sim);
    let fargate = sim.cost().fargate_per_hour.0;
    let _ = fargate;
    (
        rate,
        bound,
        sim.hosts().count() as u32,
        sim.tasks()
            .map(|t| {
                fleetsim_core::cost::fargate::price_per_hour(fleetsim_core::scenario::TaskSize {
                    cpu: t.need.cpu,
                    memory: t.need.memory,
                })
            })
            .sum::<u64>() as f64,
    )
}

fn bench(c: &mut Criterion) {
    let (rate, bound, hosts, fargate) = summary(Selection::LargestAtBestPrice);
    let (base_rate, _, base_hosts, _) = summary(Selection::CheapestPerHost);
    let mut group = c.benchmark_group("placement");
    group.sample_size(20);
    let mut best = f64::MAX;
    group.bench_function("place_10k_mixed_tasks_3az", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let s = mixed_workload(TASKS);
                let t = std::time::Instant::now();
                let sim = placed(s);
                let dt = t.elapsed();
                total += dt;
                best = best.min(dt.as_secs_f64());
                assert_eq!(
                    sim.tasks().filter(|t| t.host.is_some()).count() as u32,
                    TASKS
                );
            }
            total
        })
    });
    group.finish();
    println!("\nplacement benchmark ({TASKS} tasks, 3 AZs, default catalog):");
    println!(
        "  fastest run: {:.2} ms = {:.0} tasks/s",
        best * 1e3,
        f64::from(TASKS) / best
    );
    println!("  hosts launched: {hosts} (per-host baseline: {base_hosts})");
    println!(
        "  cost / lower bound: {:.4} (per-host baseline {:.4}, Fargate {:.4})",
        rate as f64 / bound as f64,
        base_rate as f64 / bound as f64,
        fargate / bound as f64
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
