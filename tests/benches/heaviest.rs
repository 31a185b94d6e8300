//! The heaviest scenario the documented limits accept (`workloads::heaviest`: 6 AZs, 50 auto-
//! scaled services up to 20,000 tasks, up to 2,000 instances, patching with maintenance windows,
//! random faults) for 60 simulated days, the longest run the limits allow. Goal (issue 11):
//! ≤ 120 s wall natively. The full run is measured once and checks its own result; criterion
//! samples the first simulated day.
//!
//! `cargo run --profile bench -p fleetsim-tests --example run_workload -- heaviest 60` times
//! the same run day by day outside criterion.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::scenario::{MAX_DAYS, MAX_HOSTS, MAX_TASKS};
use fleetsim_core::time::DAY;
use fleetsim_core::world::TaskState;
use fleetsim_core::{Sim, SimTime};
use fleetsim_tests::workloads::heaviest;

struct Figures {
    wall: Duration,
    events: u64,
    peak_hosts: u32,
    peak_tasks: u32,
}

fn run_checked() -> Figures {
    let mut sim = Sim::new(heaviest()).expect("the heaviest scenario is within the limits");
    let t = Instant::now();
    sim.step_until(SimTime::from_days(MAX_DAYS));
    let wall = t.elapsed();
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
    for svc in sim.services() {
        let live = sim
            .tasks()
            .filter(|t| t.live() && t.service() == Some(svc.id))
            .count() as u32;
        assert!(
            live >= svc.desired,
            "{}: {live} live of {} desired",
            svc.name,
            svc.desired
        );
    }
    // The patch cycle holds at this size too, and the fleet stays within the caps.
    let samples = &sim.metrics().samples;
    assert!(samples.iter().all(|s| s.hosts_past_day21 == 0));
    assert!(sim.hosts().all(|h| h.age_ms(sim.now()) <= 21 * DAY));
    let peak_hosts = samples.iter().map(|s| s.hosts).max().unwrap_or(0);
    let peak_tasks = samples.iter().map(|s| s.tasks_running).max().unwrap_or(0);
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
    Figures {
        wall,
        events: sim.event_count(),
        peak_hosts,
        peak_tasks,
    }
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
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut sim = Sim::new(heaviest()).expect("valid scenario");
                let t = Instant::now();
                sim.step_until(SimTime::from_days(1));
                total += t.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
