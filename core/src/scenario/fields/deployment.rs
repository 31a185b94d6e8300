//! A service's deployment configuration (the API's DeploymentConfiguration,
//! LinearConfiguration, CanaryConfiguration, DeploymentAlarms and DeploymentLifecycleHook),
//! also what StartDeployment's `configuration` is checked against.

use super::{spec, Basis, FieldSpec, Unit};
use crate::scenario::MAX_LATENCY_MS;

/// Where these fields sit in a scenario; a command's configuration is checked by the same
/// specs under its own path.
pub const DEPLOYMENT_CONFIGURATION: &str = "services[].deploymentConfiguration";

const CONFIGURATION: Basis = Basis::Aws("DeploymentConfiguration");
const LINEAR: Basis = Basis::Aws("LinearConfiguration");
const CANARY: Basis = Basis::Aws("CanaryConfiguration");
const HOOK: Basis = Basis::Aws("DeploymentLifecycleHook");
const ALARM: Basis = Basis::Aws("PutMetricAlarm");

pub const MINIMUM_HEALTHY_PERCENT: FieldSpec = spec(
    "services[].deploymentConfiguration.minimumHealthyPercent",
    Unit::Percent,
    (0, 100),
    Some(100),
    CONFIGURATION,
    "The fewest healthy tasks a deployment keeps, as a share of the desired count (rounded up).",
);
pub const MAXIMUM_PERCENT: FieldSpec = spec(
    "services[].deploymentConfiguration.maximumPercent",
    Unit::Percent,
    (100, 200),
    Some(200),
    CONFIGURATION,
    "The most tasks a deployment runs at once, as a share of the desired count (rounded down).",
);
pub const BAKE_TIME: FieldSpec = spec(
    "services[].deploymentConfiguration.bakeTimeInMinutes",
    Unit::Minutes,
    (0, 1_440),
    Some(10),
    CONFIGURATION,
    "Blue and green both run this long after production traffic moves, so a rollback is instant.",
);
pub const STEP_PERCENT: FieldSpec = spec(
    "services[].deploymentConfiguration.linearConfiguration.stepPercent",
    Unit::PercentTenths,
    (30, 1_000),
    Some(100),
    LINEAR,
    "Production traffic moved to green at each step, in steps of 0.1 %.",
);
pub const STEP_BAKE_TIME: FieldSpec = spec(
    "services[].deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes",
    Unit::Minutes,
    (0, 1_440),
    Some(6),
    LINEAR,
    "Wait between linear steps.",
);
pub const CANARY_PERCENT: FieldSpec = spec(
    "services[].deploymentConfiguration.canaryConfiguration.canaryPercent",
    Unit::PercentTenths,
    (1, 1_000),
    Some(50),
    CANARY,
    "Production traffic the canary gets first, in steps of 0.1 %.",
);
pub const CANARY_BAKE_TIME: FieldSpec = spec(
    "services[].deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes",
    Unit::Minutes,
    (0, 1_440),
    Some(10),
    CANARY,
    "How long the canary runs before the rest of the traffic moves.",
);

/// Left out of an IN_PROGRESS answer, the documented 30 s.
pub const CALL_BACK_DELAY: FieldSpec = spec(
    "services[].deploymentConfiguration.lifecycleHooks[].script[].callBackDelay",
    Unit::Seconds,
    (1, 86_400),
    Some(30),
    Basis::Aws("Lifecycle hooks for Amazon ECS service deployments"),
    "An IN_PROGRESS answer: ECS calls the hook again after this long.",
);

pub const DEPLOYMENT: &[FieldSpec] = &[
    MINIMUM_HEALTHY_PERCENT,
    MAXIMUM_PERCENT,
    BAKE_TIME,
    STEP_PERCENT,
    STEP_BAKE_TIME,
    CANARY_PERCENT,
    CANARY_BAKE_TIME,
    spec(
        "services[].deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value",
        Unit::Percent,
        (1, 100),
        Some(50),
        CONFIGURATION,
        "Failed tasks that stop the deployment, as a share of the desired count.",
    )
    .when("type", &["BOUNDED_PERCENT", "UNBOUNDED_PERCENT"]),
    spec(
        "services[].deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value",
        Unit::Count,
        (1, 5_000),
        None,
        CONFIGURATION,
        "Failed tasks that stop the deployment.",
    )
    .when("type", &["COUNT"]),
    spec(
        "services[].deploymentConfiguration.alarms.alarms[].threshold",
        Unit::BasisPoints,
        (0, 10_000),
        Some(200),
        Basis::Fleetsim,
        "The alarm fires above this error rate (100 bp = 1 %).",
    )
    .when("metric", &["errorRateBp"]),
    spec(
        "services[].deploymentConfiguration.alarms.alarms[].threshold",
        Unit::Milliseconds,
        (0, MAX_LATENCY_MS as u64),
        None,
        Basis::Fleetsim,
        "The alarm fires above this p99 latency.",
    )
    .when("metric", &["p99LatencyMs"]),
    spec(
        "services[].deploymentConfiguration.alarms.alarms[].periodSeconds",
        Unit::Seconds,
        (10, 86_400),
        Some(60),
        ALARM,
        "Length of one evaluation period.",
    ),
    spec(
        "services[].deploymentConfiguration.alarms.alarms[].evaluationPeriods",
        Unit::Count,
        (1, 100),
        Some(3),
        ALARM,
        "Periods in a row above the threshold before the alarm fires.",
    ),
    CALL_BACK_DELAY,
    spec(
        "services[].deploymentConfiguration.lifecycleHooks[].timeoutConfiguration.timeoutInMinutes",
        Unit::Minutes,
        (1, 20_160),
        Some(1_440),
        HOOK,
        "A hook that has not answered by then takes its timeout action.",
    ),
    spec(
        "services[].deploymentConfiguration.lifecycleHooks[].durationSeconds",
        Unit::Seconds,
        (0, 900),
        Some(5),
        Basis::Fleetsim,
        "How long one invocation of the hook's function runs.",
    ),
];
