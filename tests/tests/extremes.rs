//! Known defect 8 of the trust review: values the validator accepted overflowed the arithmetic that uses
//! them (a catalog price became a $368.9 G/h fee). Every numeric range is fed at both ends and
//! the world runs; a debug build panics on any overflow, so finishing is the check, and the
//! money must stay within what the hosts could possibly cost.

use fleetsim_core::catalog::InstanceType;
use fleetsim_core::scenario::*;
use fleetsim_core::{Command, Micros, Scenario, Sim, SimTime};

const GIB: u32 = 1024;

fn type_of(
    name: &str,
    vcpu: u32,
    memory_mib: u32,
    enis: u32,
    price: u64,
    fee: u64,
) -> InstanceType {
    InstanceType {
        name: name.into(),
        vcpu,
        memory_mib,
        max_enis: enis,
        trunk_enis: enis,
        price_per_hour: Micros(price),
        fee_per_hour: Some(Micros(fee)),
        generation: "current".into(),
        burstable: false,
    }
}

/// Every field at the top (`high`) or bottom of its range. Counts stay small so the debug
/// build runs it quickly; `fleet_wide_sums_pass_u32` covers the counts' extremes.
fn extreme(high: bool, spot: bool) -> Scenario {
    let pick = |lo: u32, hi: u32| if high { hi } else { lo };
    let mut s = Scenario {
        availability_zones: (1..=pick(1, MAX_AZS))
            .map(|i| format!("use1-az{i}"))
            .collect(),
        ..Scenario::default()
    };
    s.catalog = Some(vec![
        type_of(
            "u7in.224xlarge",
            896,
            32 << 20,
            1_000,
            MAX_PRICE_PER_HOUR,
            MAX_PRICE_PER_HOUR,
        ),
        type_of("m6i.large", 2, 512, 1, 1, 0),
    ]);
    let cp = &mut s.capacity_provider;
    cp.max_instances = MAX_HOSTS;
    cp.scale_in_after = Some(if high { 3_600 } else { 0 });
    cp.underutilized_below_percent = pick(0, 100);
    cp.awsvpc_trunking = high;
    if spot {
        cp.capacity_option_type = CapacityOptionType::Spot;
    }
    let mut huge = ServiceSpec::sized("huge", pick(0, 8), 192 * 1024, 1_572_864);
    huge.task.stop_timeout_seconds = pick(1, 120);
    huge.load = Some(LoadCurve {
        peak_rps: 10_000_000,
        trough_rps: pick(0, 10_000_000),
        peak_hour: pick(0, 23),
        noise_percent: 50,
        rps_per_task_at_full_cpu: 1,
    });
    huge.auto_scaling = Some(AutoScaling {
        target_cpu_percent: pick(10, 95),
        min_tasks: 0,
        max_tasks: 40,
        scale_out_cooldown_seconds: pick(0, 3_600),
        scale_in_cooldown_seconds: pick(0, 3_600),
    });
    let mut tiny = ServiceSpec::sized("tiny", 200, 256, 6);
    tiny.revisions = vec![RevisionSpec {
        name: "v2".into(),
        error_rate_bp: 10_000,
        p99_latency_ms: MAX_LATENCY_MS,
        fails_to_start: false,
        unhealthy_after_seconds: None,
    }];
    let d = &mut tiny.deployment_configuration;
    d.minimum_healthy_percent = pick(0, 100);
    d.maximum_percent = pick(100, 200);
    d.bake_time_in_minutes = pick(0, 1_440);
    d.alarms = Alarms {
        enable: true,
        rollback: high,
        alarms: vec![AlarmSpec {
            name: "latency".into(),
            metric: AlarmMetric::P99LatencyMs,
            threshold: MAX_LATENCY_MS,
            period_seconds: pick(10, 86_400),
            evaluation_periods: pick(1, 100),
        }],
    };
    d.linear_configuration.step_percent = Tenths(pick(30, 1_000));
    d.canary_configuration.canary_percent = Tenths(pick(1, 1_000));
    let mut wide = ServiceSpec::sized("wide", 20, 192 * 1024, 6);
    wide.task.network_mode = NetworkMode::Host;
    s.services = vec![huge, tiny, wide];
    s.standalone_tasks = vec![StandaloneSpec {
        group: "batch".into(),
        count: 20,
        task: TaskSpec::with_size(256, 4 * GIB),
        placement_constraints: Vec::new(),
    }];
    let t = &mut s.timing;
    t.instance_launch_seconds = pick(1, 3_600);
    t.image_pull_seconds = pick(0, 3_600);
    t.cached_start_seconds = pick(0, 600);
    t.health_check_interval_seconds = pick(5, 300);
    t.healthy_threshold_count = pick(2, 10);
    t.unhealthy_threshold_count = pick(2, 10);
    t.health_check_grace_period_seconds = pick(0, 86_400);
    t.deregistration_delay_seconds = pick(0, 3_600);
    t.shutdown_seconds = pick(0, 120);
    t.metrics_interval_seconds = pick(10, 3_600);
    s.patching.image_release_interval_days = pick(1, 60);
    let f = &mut s.faults;
    f.hardware_degradation_ppm_per_host_day = 1_000_000;
    f.maintenance_event_ppm_per_host_day = 1_000_000;
    f.spot_interruption_ppm_per_host_day = 1_000_000;
    f.maintenance_event_deadline_hours = pick(1, 336);
    f.degraded_host_deadline_hours = pick(1, 168);
    s
}

/// Regression for defect 8: the price, fee and memory extremes the validator accepts, run for
/// two simulated days with a deployment and scaling, never overflow and cost what the hosts
/// could cost at most.
#[test]
fn prices_and_memory_values_the_validator_accepts_overflow() {
    for (high, spot) in [(true, false), (true, true), (false, false)] {
        let s = extreme(high, spot);
        let mut sim = Sim::new(s).unwrap_or_else(|e| panic!("extremes are accepted: {e}"));
        let until = SimTime::from_hours(48);
        let mut t = SimTime::ZERO;
        let mut host_hours = 0u64;
        let step = SimTime::from_mins(30).0;
        while t < until {
            t = t + step;
            sim.step_until(t);
            if t == SimTime::from_hours(2) {
                let _ = sim.apply(Command::StartDeployment {
                    service: "tiny".into(),
                    revision: "v2".into(),
                    configuration: None,
                });
                let _ = sim.apply(Command::SetDesiredCount {
                    service: "huge".into(),
                    count: 0,
                });
            }
            let hosts = sim.hosts().count() as u64;
            assert!(hosts <= u64::from(MAX_HOSTS));
            host_hours += hosts;
        }
        let cost = sim.cost();
        // Each host bills at most price + fee per hour, and at least a minute; a host counted
        // at each half-hour sample stands for at most an hour of billing around it.
        let most = Micros(2 * MAX_PRICE_PER_HOUR * (host_hours + sim.hosts().count() as u64 + 1));
        assert!(
            cost.total() <= most,
            "{} > {} ({high}, {spot})",
            cost.total(),
            most
        );
        assert!(cost.rate().0 <= 2 * MAX_PRICE_PER_HOUR * u64::from(MAX_HOSTS));
        assert!(cost.lower_bound <= cost.total() || spot);
    }
}

/// The ledger's demand and the optimiser's free room add up thousands of tasks and hosts: 2,800
/// tasks of 1.5 TiB are 4.4 × 10⁹ MiB, past `u32`.
#[test]
fn fleet_wide_sums_pass_u32() {
    let mut s = Scenario {
        availability_zones: vec!["use1-az1".into()],
        ..Scenario::default()
    };
    s.catalog = Some(vec![type_of(
        "u7in.224xlarge",
        896,
        32 << 20,
        1_000,
        MAX_PRICE_PER_HOUR,
        MAX_PRICE_PER_HOUR,
    )]);
    s.capacity_provider.max_instances = MAX_HOSTS;
    s.services = vec![ServiceSpec::sized("huge", 2_800, 192 * 1024, 1_572_864)];
    let mut sim = Sim::new(s).unwrap();
    sim.step_until(SimTime::from_hours(1));
    let running = sim
        .tasks()
        .filter(|t| t.state == fleetsim_core::world::TaskState::Running)
        .count();
    assert_eq!(running, 2_800);
    let c = sim.cost();
    // 700 hosts (4 tasks of 192 vCPU each) at $2,000/h. The lower bound is CPU-bound: the
    // 537,600 vCPU fill 600 hosts of 896 exactly.
    assert_eq!(sim.hosts().count(), 700);
    let host = 2 * MAX_PRICE_PER_HOUR;
    assert_eq!(c.rate(), Micros(700 * host));
    let bound = c.lower_bound_per_hour.0;
    assert!(bound.abs_diff(600 * host) <= 1_000, "{bound}");
}

#[test]
fn prices_above_a_thousand_dollars_an_hour_are_refused() {
    // The defect's fee: 12 % of a price this large overflowed.
    let price = 368_900_000_000_000_000 / 12 * 100;
    let s = Scenario {
        catalog: Some(vec![type_of("m6i.large", 2, 8 * GIB, 3, price, 0)]),
        ..Scenario::default()
    };
    let e = s.validate().unwrap_err();
    assert_eq!(e.0[0].path, "catalog[0].pricePerHour");
    assert_eq!(
        e.0[0].message,
        format!("{price} µ$/h, must be 1–1000000000 µ$/h")
    );
    let s = Scenario {
        catalog: Some(vec![type_of("m6i.large", 2, 8 * GIB, 3, 96_000, u64::MAX)]),
        ..Scenario::default()
    };
    assert_eq!(s.validate().unwrap_err().0[0].path, "catalog[0].feePerHour");
}
