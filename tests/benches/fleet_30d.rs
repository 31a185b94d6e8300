//! The fleet benchmark: 30 simulated days, 3 AZs, about 300 hosts and 5,000 tasks at the
//! daily peak, diurnal auto scaling, the documented patch cycle and consolidation on. It checks
//! its own result (every task placed, every day-0 host replaced, no host past day 21) and prints
//! simulated seconds per wall second and events per second. Goal: ≤ 1 s wall natively.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::time::DAY;
use fleetsim_core::SimTime;
use fleetsim_tests::workloads::{
    assert_desired_live, figures, first_day, fleet_30d, timed_run, Figures,
};

const DAYS: u64 = 30;

fn run_checked() -> Figures {
    let (sim, wall) = timed_run(fleet_30d(), SimTime::from_days(DAYS));
    // Its own correctness: every task placed and running, desired met, fleet patched.
    assert!(
        sim.view().unplaced.is_empty(),
        "unplaced tasks: {:?}",
        sim.view().unplaced
    );
    assert_desired_live(&sim);
    assert!(
        sim.hosts().all(|h| h.age_ms(sim.now()) <= 21 * DAY),
        "a host outlived day 21"
    );
    assert!(
        sim.hosts().all(|h| h.launched_at.ms() > 0),
        "every day-0 host replaced"
    );
    assert!(
        sim.hosts().all(|h| h.image_version > 1),
        "replacements run a newer image"
    );
    assert!(sim
        .metrics()
        .samples
        .iter()
        .all(|s| s.hosts_past_day21 == 0));
    figures(&sim, wall)
}

fn bench(c: &mut Criterion) {
    let f = run_checked();
    let sim_secs = (DAYS * DAY / 1000) as f64;
    println!(
        "\nfleet_30d: {DAYS} simulated days, peak {} hosts / {} running tasks",
        f.peak_hosts, f.peak_tasks
    );
    println!(
        "  wall {:.3} s = {:.0} simulated s per wall s; {} events = {:.0} events/s",
        f.wall.as_secs_f64(),
        sim_secs / f.wall.as_secs_f64(),
        f.events,
        f.events as f64 / f.wall.as_secs_f64()
    );
    // Criterion samples the first simulated day (the full 30 days is measured once above, so
    // `cargo bench` stays within minutes while the core is slower than the 1 s goal).
    let mut group = c.benchmark_group("fleet");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("fleet_first_day_3az", |b| {
        b.iter_custom(|iters| first_day(fleet_30d, iters))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
