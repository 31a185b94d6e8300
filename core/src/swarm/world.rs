//! Random worlds for the swarm: every knob an instructor can turn, drawn from one seed. Worlds
//! stay small (at most a few hundred tasks) so thousands of seeds run in a minute; what they
//! cover is breadth — AZ counts, sizes, network modes, constraints, quotas, Spot, patching,
//! faults, auto scaling and every deployment strategy — not scale.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::rng::Pcg32;
use crate::scenario::NetworkMode;
use crate::scenario::{
    AlarmMetric, AlarmSpec, AutoScaling, CapacityOptionType, DeploymentConfiguration, HookResponse,
    HookTarget, LifecycleHook, LifecycleStage, LoadCurve, MaintenanceWindow, PatchMode,
    PlacementConstraint, Rebalancing, RevisionSpec, Scenario, Selection, ServiceSpec,
    StandaloneSpec, Strategy, TaskSpec, Tenths, ThresholdType, TimeoutAction, Weekday,
};

/// Task sizes (cpu units, MiB) as real services use them: many small, a few large.
const SIZES: [(u32, u32); 9] = [
    (256, 512),
    (256, 1024),
    (512, 1024),
    (1024, 2048),
    (1024, 4096),
    (2048, 4096),
    (4096, 8192),
    (8192, 16384),
    (16384, 65536),
];

const TYPES: [&str; 8] = [
    "m6i.large",
    "m6i.2xlarge",
    "m6i.*",
    "c6i.*",
    "r6i.xlarge",
    "r6i.*",
    "m7i.8xlarge",
    "*.2xlarge",
];

pub(crate) fn pick<T: Copy>(r: &mut Pcg32, items: &[T]) -> T {
    items[r.below(items.len() as u32) as usize]
}

pub(crate) fn percent_chance(r: &mut Pcg32, pct: u32) -> bool {
    r.below(100) < pct
}

/// The harness's own stream, apart from the world's PRNG (which the scenario's seed drives).
pub(crate) fn harness_rng(seed: u64, stream: u64) -> Pcg32 {
    Pcg32::seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream)
}

pub fn random_world(seed: u64) -> Scenario {
    let mut r = harness_rng(seed, 0x5741_524D);
    let azs = 1 + r.below(6);
    let mut s = Scenario {
        name: format!("Swarm world {seed}"),
        description: String::from("A random world of the swarm test."),
        seed: u64::from(r.next_u32()) << 32 | u64::from(r.next_u32()),
        availability_zones: (1..=azs).map(crate::scenario::zone_id).collect(),
        ..Scenario::default()
    };
    let cp = &mut s.capacity_provider;
    cp.awsvpc_trunking = percent_chance(&mut r, 60);
    if percent_chance(&mut r, 25) {
        cp.capacity_option_type = CapacityOptionType::Spot;
    }
    if percent_chance(&mut r, 30) {
        let n = 1 + r.below(3);
        cp.instance_requirements.allowed_instance_types =
            (0..n).map(|_| String::from(pick(&mut r, &TYPES))).collect();
    }
    cp.max_instances = if percent_chance(&mut r, 20) {
        1 + r.below(8)
    } else {
        200
    };
    cp.scale_in_after = match r.below(4) {
        0 => Some(-1),
        1 => Some(r.below(3_601) as i32),
        _ => None,
    };
    cp.downsizing = percent_chance(&mut r, 70);
    cp.underutilized_below_percent = r.below(91);
    if percent_chance(&mut r, 20) {
        cp.selection = Selection::CheapestPerHost;
    }

    let services = 1 + r.below(12);
    s.services = (0..services)
        .map(|i| random_service(&mut r, i, &s.availability_zones))
        .collect();
    let groups = r.below(3);
    s.standalone_tasks = (0..groups)
        .map(|g| StandaloneSpec {
            group: format!("batch{g}"),
            count: r.below(4),
            task: random_task(&mut r),
            placement_constraints: Vec::new(),
        })
        .collect();

    s.timing.deregistration_delay_seconds = pick(&mut r, &[0, 5, 15, 60, 300]);
    s.timing.health_check_interval_seconds = pick(&mut r, &[5, 10, 30]);
    s.timing.healthy_threshold_count = pick(&mut r, &[2, 3, 5]);
    s.timing.unhealthy_threshold_count = pick(&mut r, &[2, 3]);
    s.timing.health_check_grace_period_seconds = pick(&mut r, &[0, 0, 60, 300]);
    s.timing.instance_launch_seconds = pick(&mut r, &[30, 90, 300]);
    s.patching.mode = pick(
        &mut r,
        &[PatchMode::Documented, PatchMode::Talk, PatchMode::Off],
    );
    s.patching.image_release_interval_days = 1 + r.below(10);
    let windows = if percent_chance(&mut r, 40) {
        1 + r.below(3)
    } else {
        0
    };
    s.patching.maintenance_windows = (0..windows)
        .map(|_| MaintenanceWindow {
            start_day: pick(
                &mut r,
                &[
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun,
                ],
            ),
            start_hour: r.below(24),
            duration_hours: 4 + r.below(5),
        })
        .collect();
    if percent_chance(&mut r, 35) {
        let f = &mut s.faults;
        f.hardware_degradation_ppm_per_host_day = r.below(200_000);
        f.maintenance_event_ppm_per_host_day = r.below(200_000);
        if s.capacity_provider.capacity_option_type == CapacityOptionType::Spot {
            f.spot_interruption_ppm_per_host_day = r.below(300_000);
        }
        f.maintenance_event_deadline_hours = 1 + r.below(72);
        f.degraded_host_deadline_hours = 1 + r.below(12);
    }
    s
}

fn random_task(r: &mut Pcg32) -> TaskSpec {
    // Small sizes dominate, as in real fleets.
    let i = if percent_chance(r, 70) {
        r.below(5)
    } else {
        r.below(SIZES.len() as u32)
    };
    let (cpu, memory) = SIZES[i as usize];
    let mut t = TaskSpec::with_size(cpu, memory);
    if percent_chance(r, 20) {
        t.network_mode = NetworkMode::Host;
    }
    t.stop_timeout_seconds = pick(r, &[2, 30, 120]);
    t
}

fn random_service(r: &mut Pcg32, i: u32, azs: &[String]) -> ServiceSpec {
    let mut svc = ServiceSpec {
        name: format!("svc{i}"),
        desired_count: if percent_chance(r, 10) {
            0
        } else {
            1 + r.below(12)
        },
        task: random_task(r),
        ..ServiceSpec::default()
    };
    if percent_chance(r, 12) {
        svc.placement_constraints
            .push(PlacementConstraint::DistinctInstance);
    }
    if percent_chance(r, 12) {
        let az = &azs[r.below(azs.len() as u32) as usize];
        let expression = match r.below(3) {
            0 => format!("attribute:ecs.availability-zone == {az}"),
            1 => String::from("attribute:ecs.instance-type =~ m6i.*"),
            _ => format!("attribute:ecs.availability-zone != {az}"),
        };
        svc.placement_constraints
            .push(PlacementConstraint::MemberOf { expression });
    }
    if percent_chance(r, 25) {
        svc.availability_zone_rebalancing = Rebalancing::Disabled;
    }
    svc.deployment_configuration = random_deployment(r);
    if percent_chance(r, 20) {
        let min = 1 + r.below(4);
        svc.auto_scaling = Some(AutoScaling {
            target_cpu_percent: 30 + r.below(60),
            min_tasks: min,
            max_tasks: min + r.below(20),
            scale_out_cooldown_seconds: pick(r, &[0, 60, 300]),
            scale_in_cooldown_seconds: pick(r, &[0, 300, 900]),
        });
    }
    if svc.auto_scaling.is_some() || percent_chance(r, 30) {
        svc.load = Some(LoadCurve {
            peak_rps: 100 + r.below(5_000),
            trough_rps: r.below(100),
            peak_hour: r.below(24),
            noise_percent: r.below(20),
            rps_per_task_at_full_cpu: 20 + r.below(200),
        });
    }
    svc.revisions = alloc::vec![
        RevisionSpec {
            name: String::from("v2"),
            ..RevisionSpec::default()
        },
        RevisionSpec {
            name: String::from("bad"),
            error_rate_bp: 2_500,
            p99_latency_ms: 2_000,
            fails_to_start: false,
            unhealthy_after_seconds: None,
        },
        RevisionSpec {
            name: String::from("crash"),
            fails_to_start: true,
            ..RevisionSpec::default()
        },
    ];
    // Some services get a revision that fails its health checks after a while (before or
    // after it first turns healthy: 5 s is below every health time drawn here). One that turns
    // healthy first is never throttled and, once in production, is replaced over and over for
    // the rest of the run: its failure comes late (15 minutes), so that loop does not dominate
    // the swarm's run time.
    if percent_chance(r, 30) {
        svc.revisions.push(RevisionSpec {
            name: String::from("sick"),
            unhealthy_after_seconds: Some(pick(r, &[5, 900])),
            ..RevisionSpec::default()
        });
    }
    svc
}

/// A deployment configuration inside the API's ranges, with hooks, alarms and breaker.
pub(crate) fn random_deployment(r: &mut Pcg32) -> DeploymentConfiguration {
    let mut d = DeploymentConfiguration {
        strategy: pick(r, &Strategy::ALL),
        minimum_healthy_percent: pick(r, &[0, 50, 66, 100, 100]),
        maximum_percent: pick(r, &[100, 125, 150, 200, 200]),
        bake_time_in_minutes: pick(r, &[0, 1, 10, 60]),
        ..DeploymentConfiguration::default()
    };
    d.linear_configuration.step_percent = Tenths(pick(r, &[30, 100, 250, 500, 1000]));
    d.linear_configuration.step_bake_time_in_minutes = pick(r, &[0, 1, 6]);
    d.canary_configuration.canary_percent = Tenths(pick(r, &[1, 50, 100, 500]));
    d.canary_configuration.canary_bake_time_in_minutes = pick(r, &[0, 2, 10]);
    let cb = &mut d.deployment_circuit_breaker;
    cb.enable = percent_chance(r, 60);
    cb.rollback = percent_chance(r, 70);
    cb.reset_on_healthy_task = percent_chance(r, 50);
    cb.threshold_configuration.kind = pick(
        r,
        &[
            ThresholdType::BoundedPercent,
            ThresholdType::UnboundedPercent,
            ThresholdType::Count,
        ],
    );
    cb.threshold_configuration.value = 1 + r.below(60);
    if percent_chance(r, 40) {
        d.alarms.enable = true;
        d.alarms.rollback = percent_chance(r, 80);
        d.alarms.alarms = alloc::vec![AlarmSpec {
            name: String::from("errors"),
            metric: AlarmMetric::ErrorRateBp,
            threshold: pick(r, &[50, 200, 1_000]),
            period_seconds: pick(r, &[10, 60]),
            evaluation_periods: 1 + r.below(3),
        }];
    }
    let hooks = if percent_chance(r, 40) {
        1 + r.below(3)
    } else {
        0
    };
    d.lifecycle_hooks = (0..hooks).map(|h| random_hook(r, h)).collect();
    d
}

fn random_hook(r: &mut Pcg32, h: u32) -> LifecycleHook {
    const STAGES: [LifecycleStage; 6] = [
        LifecycleStage::PreScaleUp,
        LifecycleStage::PostScaleUp,
        LifecycleStage::PostTestTrafficShift,
        LifecycleStage::PreProductionTrafficShift,
        LifecycleStage::PostProductionTrafficShift,
        LifecycleStage::ProductionTrafficShift,
    ];
    let pause = percent_chance(r, 40);
    let mut stage = pick(r, &STAGES);
    if pause && !stage.pausable() {
        stage = LifecycleStage::PostScaleUp;
    }
    let script = if pause {
        Vec::new()
    } else {
        (0..r.below(4))
            .map(|_| match r.below(5) {
                0 => HookResponse::Failed,
                1 => HookResponse::NoResponse,
                2 => HookResponse::InProgress {
                    call_back_delay: Some(1 + r.below(600)),
                },
                _ => HookResponse::Succeeded,
            })
            .collect()
    };
    let mut hook = LifecycleHook {
        name: format!("hook{h}"),
        target_type: if pause {
            HookTarget::Pause
        } else {
            HookTarget::AwsLambda
        },
        lifecycle_stages: alloc::vec![stage],
        script,
        duration_seconds: r.below(120),
        ..LifecycleHook::default()
    };
    hook.timeout_configuration.timeout_in_minutes = pick(r, &[1, 15, 60, 1_440, 2_000]);
    hook.timeout_configuration.action =
        pick(r, &[TimeoutAction::Rollback, TimeoutAction::Continue]);
    hook
}
