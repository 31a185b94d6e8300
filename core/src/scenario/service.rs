//! Services, standalone tasks, load curves and auto scaling.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::{DeploymentConfiguration, TaskSpec};

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rebalancing {
    /// CreateService's default since 2025 ("Balancing an Amazon ECS service across Availability
    /// Zones").
    #[default]
    Enabled,
    Disabled,
}

/// A precondition of AZ rebalancing the service does not meet ("Balancing an Amazon ECS service
/// across Availability Zones").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RebalancingUnavailable {
    /// Nothing may start before a task stops, and rebalancing starts first.
    MaximumPercent100,
    /// A `memberOf` constraint names `attribute:ecs.availability-zone`.
    AvailabilityZoneConstraint,
}

impl RebalancingUnavailable {
    /// Why, in a sentence fragment for the event log and the page.
    pub fn reason(self) -> &'static str {
        match self {
            RebalancingUnavailable::MaximumPercent100 => {
                "maximumPercent is 100, so no task can start before another stops"
            }
            RebalancingUnavailable::AvailabilityZoneConstraint => {
                "a placement constraint names attribute:ecs.availability-zone"
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum PlacementConstraint {
    /// Each task of the service on a different instance.
    DistinctInstance,
    /// A cluster-query expression, e.g. `attribute:ecs.instance-type =~ m6i.*`.
    MemberOf { expression: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    pub desired_count: u32,
    pub task: TaskSpec,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    pub availability_zone_rebalancing: Rebalancing,
    pub deployment_configuration: DeploymentConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScaling>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadCurve>,
    /// Revisions a deployment can roll to, beyond the one the service starts on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionSpec>,
}

impl Default for ServiceSpec {
    fn default() -> Self {
        ServiceSpec {
            name: String::from("service"),
            desired_count: 1,
            task: TaskSpec::default(),
            placement_constraints: Vec::new(),
            availability_zone_rebalancing: Rebalancing::Enabled,
            deployment_configuration: DeploymentConfiguration::default(),
            auto_scaling: None,
            load: None,
            revisions: Vec::new(),
        }
    }
}

impl ServiceSpec {
    pub fn sized(name: &str, desired: u32, cpu: u32, memory: u32) -> ServiceSpec {
        ServiceSpec {
            name: String::from(name),
            desired_count: desired,
            task: TaskSpec::with_size(cpu, memory),
            ..ServiceSpec::default()
        }
    }
    /// The service a form adds as the `n`th: two tasks of 1 vCPU and 2 GiB.
    pub fn numbered(n: usize) -> ServiceSpec {
        ServiceSpec::sized(&alloc::format!("service-{n}"), 2, 1024, 2048)
    }
    /// The name an added revision gets: `v2` after the service's own (v1), then `v3`, …
    pub fn next_revision_name(&self) -> String {
        alloc::format!("v{}", self.revisions.len() + 2)
    }
    /// Why AZ rebalancing cannot run for this service although it is ENABLED ("Balancing an
    /// Amazon ECS service across Availability Zones": not available with `maximumPercent` = 100
    /// or with a placement constraint on `attribute:ecs.availability-zone`).
    pub fn rebalancing_unavailable(&self) -> Option<RebalancingUnavailable> {
        if self.availability_zone_rebalancing != Rebalancing::Enabled {
            return None;
        }
        if self.deployment_configuration.maximum_percent <= 100 {
            return Some(RebalancingUnavailable::MaximumPercent100);
        }
        let names_az = self.placement_constraints.iter().any(|c| match c {
            PlacementConstraint::MemberOf { expression } => {
                crate::query::Expression::parse(expression)
                    .is_ok_and(|e| e.mentions(crate::query::Subject::AvailabilityZone))
            }
            PlacementConstraint::DistinctInstance => false,
        });
        names_az.then_some(RebalancingUnavailable::AvailabilityZoneConstraint)
    }

    pub fn distinct_instance(&self) -> bool {
        self.placement_constraints
            .iter()
            .any(|c| matches!(c, PlacementConstraint::DistinctInstance))
    }
}

/// A task-definition revision's behaviour behind the load balancer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisionSpec {
    pub name: String,
    /// Share of requests that fail, in basis points (100 = 1 %).
    pub error_rate_bp: u32,
    /// p99 latency in ms.
    pub p99_latency_ms: u32,
    /// Fails to start at all (feeds the rolling circuit breaker).
    pub fails_to_start: bool,
    /// Starts, then fails its load balancer's health checks this many seconds after RUNNING
    /// (a memory leak, a dependency that dies): the target turns unhealthy and ECS replaces the
    /// task, counting a circuit-breaker failure. `None`: it stays healthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unhealthy_after_seconds: Option<u32>,
}

impl Default for RevisionSpec {
    fn default() -> Self {
        RevisionSpec {
            name: String::from("v2"),
            error_rate_bp: 10,
            p99_latency_ms: 120,
            fails_to_start: false,
            unhealthy_after_seconds: None,
        }
    }
}

impl RevisionSpec {
    /// A revision that fails 15 % of requests at a 900 ms p99, so that deploying it shows the
    /// alarms and the rollback.
    pub fn faulty(name: String) -> RevisionSpec {
        RevisionSpec {
            name,
            error_rate_bp: 1500,
            p99_latency_ms: 900,
            ..RevisionSpec::default()
        }
    }
}

/// Requests per second over a day: a cosine between trough and peak, plus seeded noise.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadCurve {
    pub peak_rps: u32,
    pub trough_rps: u32,
    /// UTC hour of the peak.
    pub peak_hour: u32,
    /// ± noise as a percentage of the value.
    pub noise_percent: u32,
    /// Requests per second one task serves at 100 % CPU.
    pub rps_per_task_at_full_cpu: u32,
}

impl Default for LoadCurve {
    fn default() -> Self {
        LoadCurve {
            peak_rps: 1000,
            trough_rps: 150,
            peak_hour: 15,
            noise_percent: 5,
            rps_per_task_at_full_cpu: 100,
        }
    }
}

/// Target-tracking service auto scaling on average CPU.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoScaling {
    pub target_cpu_percent: u32,
    pub min_tasks: u32,
    pub max_tasks: u32,
    pub scale_out_cooldown_seconds: u32,
    pub scale_in_cooldown_seconds: u32,
}

impl Default for AutoScaling {
    fn default() -> Self {
        AutoScaling {
            target_cpu_percent: 60,
            min_tasks: 2,
            max_tasks: 30,
            scale_out_cooldown_seconds: 60,
            scale_in_cooldown_seconds: 300,
        }
    }
}

/// Tasks started with RunTask, not managed by a service: never moved, last to go.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct StandaloneSpec {
    /// The task group (`family:<name>` in ECS terms).
    pub group: String,
    pub count: u32,
    pub task: TaskSpec,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
}

impl Default for StandaloneSpec {
    fn default() -> Self {
        StandaloneSpec {
            group: String::from("batch"),
            count: 1,
            task: TaskSpec::default(),
            placement_constraints: Vec::new(),
        }
    }
}
