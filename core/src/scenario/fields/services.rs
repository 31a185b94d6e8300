//! The workload's fields: services (count, task size, auto scaling, load curve, revisions) and
//! standalone task groups. Each task field appears once per place a task definition sits.

use super::{spec, Basis, FieldSpec, Unit};
use crate::scenario::MAX_LATENCY_MS;

const QUOTAS: Basis = Basis::Aws("Amazon ECS service quotas");
const MI_TASKS: Basis = Basis::Aws("Task definition parameters for Managed Instances");
const STOP_TIMEOUT: Basis = Basis::Aws("ContainerDefinition");

const CPU_HELP: &str = "Task CPU in CPU units (1,024 = 1 vCPU); left out, the containers' sum.";
const MEMORY_HELP: &str = "Task memory; left out, the containers' sum.";
const STOP_HELP: &str = "Time from SIGTERM to SIGKILL when a task is stopped.";

/// UpdateService's `desiredCount`, also the limit of the SetDesiredCount command.
pub const DESIRED_COUNT: FieldSpec = spec(
    "services[].desiredCount",
    Unit::Tasks,
    (0, 5_000),
    Some(1),
    QUOTAS,
    "Tasks the service keeps running.",
);

// A task's size is read from its containers when the task names none, hence `derived`.
const fn task_cpu(path: &'static str) -> FieldSpec {
    spec(
        path,
        Unit::CpuUnits,
        (256, 196_608),
        Some(1_024),
        MI_TASKS,
        CPU_HELP,
    )
    .derived()
}
const fn task_memory(path: &'static str) -> FieldSpec {
    spec(
        path,
        Unit::MiB,
        (6, 1_572_864),
        Some(2_048),
        MI_TASKS,
        MEMORY_HELP,
    )
    .derived()
}
const fn stop_timeout(path: &'static str) -> FieldSpec {
    spec(
        path,
        Unit::Seconds,
        (1, 120),
        Some(30),
        STOP_TIMEOUT,
        STOP_HELP,
    )
}

pub const SERVICE_TASK_CPU: FieldSpec = task_cpu("services[].task.cpu");
pub const SERVICE_TASK_MEMORY: FieldSpec = task_memory("services[].task.memory");
pub const STANDALONE_TASK_CPU: FieldSpec = task_cpu("standaloneTasks[].task.cpu");
pub const STANDALONE_TASK_MEMORY: FieldSpec = task_memory("standaloneTasks[].task.memory");

pub const SERVICES: &[FieldSpec] = &[
    DESIRED_COUNT,
    SERVICE_TASK_CPU,
    SERVICE_TASK_MEMORY,
    stop_timeout("services[].task.stopTimeoutSeconds"),
    spec(
        "services[].autoScaling.targetCpuPercent",
        Unit::Percent,
        (10, 95),
        Some(60),
        Basis::Fleetsim,
        "Target tracking keeps the service's average CPU near this.",
    ),
    spec(
        "services[].autoScaling.maxTasks",
        Unit::Tasks,
        (1, 5_000),
        Some(30),
        QUOTAS,
        "Auto scaling never sets the desired count above this.",
    ),
    spec(
        "services[].autoScaling.scaleOutCooldownSeconds",
        Unit::Seconds,
        (0, 3_600),
        Some(60),
        Basis::Fleetsim,
        "After scaling out, wait this long before scaling out again.",
    ),
    spec(
        "services[].autoScaling.scaleInCooldownSeconds",
        Unit::Seconds,
        (0, 3_600),
        Some(300),
        Basis::Fleetsim,
        "After scaling, wait this long before scaling in.",
    ),
    spec(
        "services[].load.peakRps",
        Unit::RequestsPerSecond,
        (0, 10_000_000),
        Some(1_000),
        Basis::Fleetsim,
        "Requests per second at the daily peak.",
    ),
    spec(
        "services[].load.peakHour",
        Unit::HourOfDay,
        (0, 23),
        Some(15),
        Basis::Fleetsim,
        "The hour of the daily peak, UTC.",
    ),
    spec(
        "services[].load.noisePercent",
        Unit::Percent,
        (0, 50),
        Some(5),
        Basis::Fleetsim,
        "Random wobble on the curve, from the scenario's seed.",
    ),
    spec(
        "services[].load.rpsPerTaskAtFullCpu",
        Unit::RequestsPerSecond,
        (1, 1_000_000),
        Some(100),
        Basis::Fleetsim,
        "Requests one task serves at 100 % CPU.",
    ),
    spec(
        "services[].revisions[].errorRateBp",
        Unit::BasisPoints,
        (0, 10_000),
        Some(10),
        Basis::Fleetsim,
        "Share of requests the revision fails (100 bp = 1 %).",
    ),
    spec(
        "services[].revisions[].p99LatencyMs",
        Unit::Milliseconds,
        (0, MAX_LATENCY_MS as u64),
        Some(120),
        Basis::Fleetsim,
        "The revision's 99th-percentile latency.",
    ),
    spec(
        "services[].revisions[].unhealthyAfterSeconds",
        Unit::Seconds,
        (0, 86_400),
        None,
        Basis::Fleetsim,
        "The revision fails its health checks this long after starting; left out, it never does.",
    ),
];

pub const STANDALONE: &[FieldSpec] = &[
    spec(
        "standaloneTasks[].count",
        Unit::Tasks,
        (0, 5_000),
        Some(1),
        Basis::Fleetsim,
        "Tasks of the group started with the scenario.",
    ),
    STANDALONE_TASK_CPU,
    STANDALONE_TASK_MEMORY,
    stop_timeout("standaloneTasks[].task.stopTimeoutSeconds"),
];
