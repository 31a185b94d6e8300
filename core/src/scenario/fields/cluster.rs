//! The cluster's fields: the capacity provider, a custom instance-type catalog, timings, the
//! patch cycle and random faults.

use super::{spec, Basis, FieldSpec, Unit};
use crate::scenario::provenance::Source;
use crate::scenario::{MAX_HOSTS, MAX_PRICE_PER_HOUR};

const ESTIMATE: Basis = Basis::Labelled(Source::Estimate);
const TARGET_GROUP_HEALTH: Basis =
    Basis::Aws("Health checks for Application Load Balancer target groups");

/// `infrastructureOptimization.scaleInAfter`: AWS documents the range, not the default.
pub const SCALE_IN_AFTER: FieldSpec = spec(
    "capacityProvider.scaleInAfter",
    Unit::Seconds,
    (0, 3_600),
    Some(300),
    ESTIMATE,
    "How long a host stays idle or underutilised before Managed Instances removes it; -1 never removes one.",
)
.or_off();

pub const UNDERUTILIZED_BELOW_PERCENT: FieldSpec = spec(
    "capacityProvider.underutilizedBelowPercent",
    Unit::Percent,
    (0, 100),
    Some(50),
    ESTIMATE,
    "A host whose busiest resource (CPU, memory or ENIs) is below this share counts as underutilised.",
);

pub const CAPACITY: &[FieldSpec] = &[
    SCALE_IN_AFTER,
    spec(
        "capacityProvider.maxInstances",
        Unit::Instances,
        (1, MAX_HOSTS as u64),
        Some(500),
        Basis::Fleetsim,
        "The most instances the provider runs at once (a launch quota); fleetsim simulates 2,000 at most.",
    ),
    UNDERUTILIZED_BELOW_PERCENT,
];

/// A custom catalog's types: every number comes from the scenario's author, so no defaults;
/// the ranges cover every EC2 type, and the price cap keeps cost sums inside 64 bits.
pub const CATALOG: &[FieldSpec] = &[
    spec(
        "catalog[].vcpu",
        Unit::Vcpu,
        (1, 896),
        None,
        Basis::Fleetsim,
        "The type's vCPUs.",
    ),
    spec(
        "catalog[].memoryMiB",
        Unit::MiB,
        (512, 32 << 20),
        None,
        Basis::Fleetsim,
        "The type's memory.",
    ),
    spec(
        "catalog[].maxEnis",
        Unit::Enis,
        (1, 1_000),
        None,
        Basis::Fleetsim,
        "Network interfaces the type takes, the primary one included.",
    ),
    spec(
        "catalog[].trunkEnis",
        Unit::Enis,
        (0, 1_000),
        None,
        Basis::Fleetsim,
        "awsvpc task ENIs with ENI trunking on.",
    ),
    spec(
        "catalog[].pricePerHour",
        Unit::MicrosPerHour,
        (1, MAX_PRICE_PER_HOUR),
        None,
        Basis::Fleetsim,
        "The On-Demand price in micro-dollars per hour ($1 = 1,000,000).",
    ),
    spec(
        "catalog[].feePerHour",
        Unit::MicrosPerHour,
        (0, MAX_PRICE_PER_HOUR),
        None,
        Basis::Fleetsim,
        "The Managed Instances fee; left out, 12 % of the price.",
    ),
];

pub const TIMING: &[FieldSpec] = &[
    spec(
        "timing.instanceLaunchSeconds",
        Unit::Seconds,
        (1, 3_600),
        Some(90),
        ESTIMATE,
        "From launching an instance to its container instance registering.",
    ),
    spec(
        "timing.imagePullSeconds",
        Unit::Seconds,
        (0, 3_600),
        Some(30),
        ESTIMATE,
        "Pulling the image onto a host that does not have it.",
    ),
    spec(
        "timing.cachedStartSeconds",
        Unit::Seconds,
        (0, 600),
        Some(3),
        ESTIMATE,
        "Starting a task whose image the host already has.",
    ),
    spec(
        "timing.healthCheckIntervalSeconds",
        Unit::Seconds,
        (5, 300),
        Some(30),
        TARGET_GROUP_HEALTH,
        "Time between the load balancer's health checks of one target.",
    ),
    spec(
        "timing.healthyThresholdCount",
        Unit::Count,
        (2, 10),
        Some(5),
        TARGET_GROUP_HEALTH,
        "Passed checks in a row before a target is healthy.",
    ),
    spec(
        "timing.unhealthyThresholdCount",
        Unit::Count,
        (2, 10),
        Some(2),
        TARGET_GROUP_HEALTH,
        "Failed checks in a row before a target is unhealthy.",
    ),
    spec(
        "timing.healthCheckGracePeriodSeconds",
        Unit::Seconds,
        (0, 86_400),
        Some(0),
        Basis::Aws("CreateService"),
        "ECS ignores failing load-balancer checks this long after a task starts (capped at a day here).",
    ),
    spec(
        "timing.healthGraceSeconds",
        Unit::Seconds,
        (0, 3_600),
        None,
        Basis::Fleetsim,
        "Older links only: how long a task took to turn healthy, kept so they replay as they did.",
    ),
    spec(
        "timing.deregistrationDelaySeconds",
        Unit::Seconds,
        (0, 3_600),
        Some(300),
        Basis::Aws("Target groups for your Application Load Balancers"),
        "The load balancer drains a target this long before ECS stops the task.",
    ),
    spec(
        "timing.shutdownSeconds",
        Unit::Seconds,
        (0, 120),
        Some(5),
        Basis::Fleetsim,
        "How long the application takes to exit after SIGTERM (cut short by the stop timeout).",
    ),
    spec(
        "timing.metricsIntervalSeconds",
        Unit::Seconds,
        (10, 3_600),
        Some(300),
        Basis::Fleetsim,
        "How often the charts take a sample.",
    ),
];

pub const PATCHING: &[FieldSpec] = &[
    spec(
        "patching.imageReleaseIntervalDays",
        Unit::Days,
        (1, 60),
        Some(7),
        Basis::Fleetsim,
        "A new host image comes out this often; hosts on an older one are replaced.",
    ),
    spec(
        "patching.maintenanceWindows[].startHour",
        Unit::HourOfDay,
        (0, 23),
        None,
        Basis::Fleetsim,
        "The hour the weekly window opens, UTC.",
    ),
    spec(
        "patching.maintenanceWindows[].durationHours",
        Unit::Hours,
        (2, 168),
        None,
        Basis::Aws("Amazon EC2 event windows"),
        "How long the window stays open; each range at least 2 h, at most a week.",
    ),
];

/// Random events per million hosts per day.
const fn fault_rate(path: &'static str) -> FieldSpec {
    spec(
        path,
        Unit::PartsPerMillion,
        (0, 1_000_000),
        Some(0),
        Basis::Fleetsim,
        "Random events per million hosts per day; 0 turns them off.",
    )
}

pub const FAULTS: &[FieldSpec] = &[
    fault_rate("faults.hardwareDegradationPpmPerHostDay"),
    fault_rate("faults.maintenanceEventPpmPerHostDay"),
    fault_rate("faults.spotInterruptionPpmPerHostDay"),
    spec(
        "faults.maintenanceEventDeadlineHours",
        Unit::Hours,
        (1, 336),
        Some(48),
        Basis::Fleetsim,
        "A scheduled maintenance event retires its host this long after the notice.",
    ),
    spec(
        "faults.degradedHostDeadlineHours",
        Unit::Hours,
        (1, 168),
        Some(6),
        Basis::Fleetsim,
        "A host with degraded hardware is retired this long after the fault.",
    ),
];
