//! Issue 4's fleet benchmark: 30 simulated days, 3 AZs, about 300 hosts and 5,000 tasks at the
//! daily peak, diurnal auto scaling, the documented patch cycle and consolidation on. It checks
//! its own result (every task placed, every day-0 host replaced, no host past day 21) and prints
//! simulated seconds per wall second and events per second. Goal: ≤ 1 s wall natively.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::time::DAY;
use fleetsim_core::{Sim, SimTime};
use fleetsim_tests::workloads::fleet_30d;

const DAYS: u64 = 30;

struct Figures {
    wall: Duration,
    events: u64,
    peak_hosts: u32,
    peak_tasks: u32,
}

fn run_checked() -> Figures {
    let mut sim = Sim::new(fleet_30d()).expect("valid scenario");
    let t = Instant::now();
    sim.step_until(SimTime::from_days(DAYS));
    let wall = t.elapsed();
    // Its own correctness: every task placed and running, desired met, fleet patched.
    assert!(
        sim.view().unplaced.is_empty(),
        "unplaced tasks: {:?}",
        sim.view().unplaced
    );
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
    let samples = &sim.metrics().samples;
    assert!(samples.iter().all(|s| s.hosts_past_day21 == 0));
    Figures {
        wall,
        events: sim.event_count(),
        peak_hosts: samples.iter().map(|s| s.hosts).max().unwrap_or(0),
        peak_tasks: samples.iter().map(|s| s.tasks_running).max().unwrap_or(0),
    }
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
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut sim = Sim::new(fleet_30d()).expect("valid scenario");
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
