//! The heaviest scenario the documented limits accept (`workloads::heaviest`: 6 AZs, 50 auto-
//! scaled services up to 20,000 tasks, up to 2,000 instances, patching with maintenance windows,
//! random faults) for 60 simulated days, the longest run the limits allow. Goal:
//! ≤ 120 s wall natively. The full run is measured once and checks its own result; criterion
//! samples the first simulated day.
//!
//! `cargo run --profile bench -p fleetsim-tests --example run_workload -- heaviest 60` times
//! the same run day by day outside criterion.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::scenario::{MAX_DAYS, MAX_HOSTS, MAX_TASKS};
use fleetsim_core::time::DAY;
use fleetsim_core::world::TaskState;
use fleetsim_core::SimTime;
use fleetsim_tests::workloads::{
    assert_desired_live, figures, first_day, heaviest, timed_run, Figures,
};

fn run_checked() -> Figures {
    let (sim, wall) = timed_run(heaviest(), SimTime::from_days(MAX_DAYS));
    assert_eq!(
        sim.now(),
        SimTime::from_days(MAX_DAYS),
        "ran to the horizon"
    );
    // Every live task without a host waits with a stated reason.
    let waiting = sim
        .tasks()
        .filter(|t| t.live() && t.host.is_none())
        .filter(|t| sim.pending_reason(t.id).is_none())
        .count();
    assert_eq!(waiting, 0, "tasks waiting without a reason");
    // Auto scaling is met: every service has its desired tasks live.
    assert_desired_live(&sim);
    // The patch cycle holds at this size too, and the fleet stays within the caps.
    assert!(sim
        .metrics()
        .samples
        .iter()
        .all(|s| s.hosts_past_day21 == 0));
    assert!(sim.hosts().all(|h| h.age_ms(sim.now()) <= 21 * DAY));
    let f = figures(&sim, wall);
    let (peak_hosts, peak_tasks) = (f.peak_hosts, f.peak_tasks);
    assert!(peak_hosts <= MAX_HOSTS, "{peak_hosts} hosts");
    assert!(peak_tasks <= MAX_TASKS, "{peak_tasks} tasks");
    // It is heavy: most of both caps at the daily peak.
    assert!(
        peak_hosts >= MAX_HOSTS / 2,
        "only {peak_hosts} hosts at peak"
    );
    assert!(
        peak_tasks >= MAX_TASKS * 3 / 4,
        "only {peak_tasks} tasks at peak"
    );
    let running = sim
        .tasks()
        .filter(|t| t.state == TaskState::Running)
        .count();
    assert!(running > 0);
    f
}

fn bench(c: &mut Criterion) {
    let f = run_checked();
    println!(
        "\nheaviest: {MAX_DAYS} simulated days, peak {} hosts / {} running tasks",
        f.peak_hosts, f.peak_tasks
    );
    println!(
        "  wall {:.3} s = {:.3} s per simulated day; {} events = {:.0} events/s",
        f.wall.as_secs_f64(),
        f.wall.as_secs_f64() / MAX_DAYS as f64,
        f.events,
        f.events as f64 / f.wall.as_secs_f64()
    );
    let mut group = c.benchmark_group("heaviest");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("heaviest_first_day_6az", |b| {
        b.iter_custom(|iters| first_day(heaviest, iters))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
