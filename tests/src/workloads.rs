//! The large worlds the benches run: the 30-day fleet and the heaviest scenario the
//! documented limits accept. Shared by the criterion benches and the `run_workload` example,
//! which times one run outside criterion.

use std::time::{Duration, Instant};

use fleetsim_core::scenario::{
    AutoScaling, Faults, LoadCurve, MaintenanceWindow, PatchMode, Scenario, ServiceSpec, Weekday,
    MAX_HOSTS, MAX_SERVICES, MAX_TASKS,
};
use fleetsim_core::{Sim, SimTime};

/// The fleet benchmark's world: 3 AZs, twelve services of mixed sizes with their peaks staggered over the
/// day, about 300 16-vCPU hosts carrying the ~5,000-task daily peak, diurnal auto scaling, the
/// documented patch cycle and consolidation on.
pub fn fleet_30d() -> Scenario {
    let mut s = Scenario {
        name: "fleet 30 days".into(),
        seed: 30,
        ..Scenario::default()
    };
    s.patching.mode = PatchMode::Documented;
    s.capacity_provider.max_instances = 1_000;
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = ["m6i.4xlarge", "r6i.4xlarge", "c6i.8xlarge"]
        .iter()
        .map(|t| t.to_string())
        .collect();
    s.services = (0..12u32)
        .map(|i| autoscaled(i, 420 + 10 * i, 12 + i % 8, 1_000))
        .collect();
    s
}

/// Service `i`: a size from `SIZES`, a daily load curve that peaks at `peak_hour` needing
/// `peak_tasks` tasks, and target tracking at 60 % CPU up to `max_tasks`.
fn autoscaled(i: u32, peak_tasks: u32, peak_hour: u32, max_tasks: u32) -> ServiceSpec {
    let (cpu, mem) = SIZES[i as usize % SIZES.len()];
    let mut svc = ServiceSpec::sized(&format!("svc{i:02}"), peak_tasks / 2, cpu, mem);
    svc.load = Some(LoadCurve {
        // At the 60 % target, peak_tasks × 100 rps × 0.6 is the peak.
        peak_rps: peak_tasks * 60,
        trough_rps: peak_tasks * 60 * 35 / 100,
        peak_hour,
        noise_percent: 5,
        rps_per_task_at_full_cpu: 100,
    });
    svc.auto_scaling = Some(AutoScaling {
        target_cpu_percent: 60,
        min_tasks: 10,
        max_tasks,
        ..AutoScaling::default()
    });
    svc
}

/// Task sizes (CPU units, MiB) the services cycle through.
const SIZES: [(u32, u32); 6] = [
    (256, 512),
    (512, 1024),
    (1024, 2048),
    (2048, 4096),
    (512, 2048),
    (1024, 4096),
];

/// The heaviest world the limits accept: 6 AZs, 50 services whose auto-scaling maxima add up
/// to the 20,000-task cap, peaks close together so the fleet reaches about that many tasks
/// each day, 8-vCPU hosts so it needs about the 2,000-instance cap, the documented patch cycle
/// with two weekly maintenance windows, random hardware degradation and maintenance events.
pub fn heaviest() -> Scenario {
    let mut s = Scenario {
        name: "heaviest within the limits".into(),
        seed: 2_000,
        ..Scenario::default()
    };
    s.availability_zones = (1..=6).map(|i| format!("use1-az{i}")).collect();
    s.capacity_provider.max_instances = MAX_HOSTS;
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = ["m6i.2xlarge", "r6i.2xlarge", "c6i.2xlarge"]
        .iter()
        .map(|t| t.to_string())
        .collect();
    s.patching.mode = PatchMode::Documented;
    s.patching.maintenance_windows = vec![
        MaintenanceWindow {
            start_day: Weekday::Tue,
            start_hour: 2,
            duration_hours: 4,
        },
        MaintenanceWindow {
            start_day: Weekday::Sat,
            start_hour: 22,
            duration_hours: 6,
        },
    ];
    s.faults = Faults {
        hardware_degradation_ppm_per_host_day: 2_000,
        maintenance_event_ppm_per_host_day: 2_000,
        ..Faults::default()
    };
    let per_service = MAX_TASKS / MAX_SERVICES;
    s.services = (0..MAX_SERVICES)
        .map(|i| autoscaled(i, per_service, 13 + i % 3, per_service))
        .collect();
    s
}

/// What a bench's one checked full run measured.
pub struct Figures {
    pub wall: Duration,
    pub events: u64,
    pub peak_hosts: u32,
    pub peak_tasks: u32,
}

/// Runs a scenario to `until` once, timing only the simulation (building the world excluded).
pub fn timed_run(scenario: Scenario, until: SimTime) -> (Sim, Duration) {
    let mut sim = Sim::new(scenario).expect("valid scenario");
    let t = Instant::now();
    sim.step_until(until);
    (sim, t.elapsed())
}

/// Every service has at least its desired tasks live.
pub fn assert_desired_live(sim: &Sim) {
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
}

/// The run's figures: its wall time, events and the peaks its metric samples saw.
pub fn figures(sim: &Sim, wall: Duration) -> Figures {
    let samples = &sim.metrics().samples;
    Figures {
        wall,
        events: sim.event_count(),
        peak_hosts: samples.iter().map(|s| s.hosts).max().unwrap_or(0),
        peak_tasks: samples.iter().map(|s| s.tasks_running).max().unwrap_or(0),
    }
}

/// Wall time of `iters` runs of a scenario's first simulated day, for criterion's
/// `iter_custom` (building the world excluded).
pub fn first_day(make: fn() -> Scenario, iters: u64) -> Duration {
    (0..iters)
        .map(|_| timed_run(make(), SimTime::from_days(1)).1)
        .sum()
}
