//! The scenario format: serde JSON with a `version` field and a default for every field, so `{}`
//! is a valid scenario. Field names follow the ECS API where one exists (camelCase).

mod capacity;
mod deployment;
pub(crate) mod deployment_checks;
pub mod fields;
mod json_path;
mod lifecycle;
mod limits;
pub(crate) mod lists;
pub mod parse;
pub mod provenance;
mod service;
mod task;
pub mod validate;

pub use capacity::*;
pub use deployment::*;
pub use lifecycle::*;
pub use limits::*;
pub use service::*;
pub use task::*;
pub use validate::{ValidationError, ValidationErrors};

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::catalog::{default_catalog, InstanceType};

/// The scenario format this build writes. It reads every version from 1 up to this one.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    pub description: String,
    /// Seeds the world's one PRNG (noise in load curves, random faults).
    pub seed: u64,
    /// One subnet per Availability Zone (zone IDs such as `use1-az1`).
    pub availability_zones: Vec<String>,
    pub capacity_provider: CapacityProvider,
    /// `None` → the reference's 20-type default table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<Vec<InstanceType>>,
    pub services: Vec<ServiceSpec>,
    pub standalone_tasks: Vec<StandaloneSpec>,
    pub timing: Timing,
    pub patching: Patching,
    pub faults: Faults,
}

/// An Availability Zone ID in us-east-1, the Region the scenarios' prices are from.
pub fn zone_id(k: u32) -> String {
    alloc::format!("use1-az{k}")
}

/// The first zone ID (`use1-az1`, `use1-az2`, …) not yet in `taken`: the zone a form adds.
pub fn unused_zone_id(taken: &[String]) -> String {
    (1..)
        .map(zone_id)
        .find(|z| !taken.contains(z))
        .unwrap_or_default()
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            version: FORMAT_VERSION,
            name: String::from("Default cluster"),
            description: String::new(),
            seed: 1,
            availability_zones: [1, 2, 4].into_iter().map(zone_id).collect(),
            capacity_provider: CapacityProvider::default(),
            catalog: None,
            services: Vec::new(),
            standalone_tasks: Vec::new(),
            timing: Timing::default(),
            patching: Patching::default(),
            faults: Faults::default(),
        }
    }
}

impl Scenario {
    pub fn catalog(&self) -> Vec<InstanceType> {
        self.catalog.clone().unwrap_or_else(default_catalog)
    }

    /// Parses JSON and validates it; every problem is reported at once.
    pub fn from_json(text: &str) -> Result<Scenario, ValidationErrors> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(ValidationErrors::single(
                "",
                alloc::format!(
                    "scenario is {} bytes, the limit is {} bytes",
                    text.len(),
                    MAX_SCENARIO_BYTES
                ),
            ));
        }
        let scenario: Scenario = parse::from_json_with(text, Scenario::range_at)
            .map_err(|e| ValidationErrors(alloc::vec![e]))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Compact JSON; the page indents it with the browser's own `JSON.stringify`, which spares
    /// the download a second (pretty-printing) copy of every serializer.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The small real cluster the page opens with: three services spread over three AZs.
    pub fn default_cluster() -> Scenario {
        let mut s = Scenario {
            name: String::from("Default cluster"),
            description: String::from(
                "Three services on Managed Instances across three Availability Zones.",
            ),
            ..Scenario::default()
        };
        s.services = alloc::vec![
            ServiceSpec::sized("web", 9, 1024, 2048),
            ServiceSpec::sized("api", 6, 2048, 4096),
            ServiceSpec::sized("worker", 4, 4096, 16384),
        ];
        s
    }
}

/// Timings. Those AWS does not publish are illustrative defaults the UI labels as such; the
/// health-check and deregistration numbers are the load balancer's documented defaults.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Timing {
    /// From RunInstances to the container instance registering (ACTIVE).
    pub instance_launch_seconds: u32,
    /// Image pull when the host does not have the image cached.
    pub image_pull_seconds: u32,
    /// Start when the image is already cached on the host (the talk's case for large hosts).
    pub cached_start_seconds: u32,
    /// The target group's health checks (every service here is behind a load balancer, so a
    /// task is healthy when its target is: `healthyThresholdCount` passed checks in a row,
    /// `healthCheckIntervalSeconds` apart). ELB target-group defaults: 30 s, 5 and 2.
    pub health_check_interval_seconds: u32,
    pub healthy_threshold_count: u32,
    pub unhealthy_threshold_count: u32,
    /// The service's `healthCheckGracePeriodSeconds`: ECS ignores failing load-balancer health
    /// checks for this long after a task starts (ECS default 0).
    pub health_check_grace_period_seconds: u32,
    /// Load-balancer deregistration before SIGTERM (DEACTIVATING); ELB's default is 300 s.
    pub deregistration_delay_seconds: u32,
    /// How long an application takes to exit after SIGTERM (capped by the task's stop timeout).
    pub shutdown_seconds: u32,
    /// Metric sample interval for the cost and fleet series.
    pub metrics_interval_seconds: u32,
    /// Links made before health came from the load balancer's checks say how long a task took
    /// to turn healthy after RUNNING. Such a link keeps that time (and writes it back), so it
    /// opens and plays as it did; new scenarios leave it out.
    #[serde(rename = "healthGraceSeconds", skip_serializing_if = "Option::is_none")]
    pub legacy_health_grace_seconds: Option<u32>,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            instance_launch_seconds: 90,
            image_pull_seconds: 30,
            cached_start_seconds: 3,
            health_check_interval_seconds: 30,
            healthy_threshold_count: 5,
            unhealthy_threshold_count: 2,
            health_check_grace_period_seconds: 0,
            deregistration_delay_seconds: 300,
            shutdown_seconds: 5,
            metrics_interval_seconds: 300,
            legacy_health_grace_seconds: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_is_a_valid_scenario() {
        let s = Scenario::from_json("{}").unwrap();
        assert_eq!(s, Scenario::default());
        assert_eq!(s.availability_zones.len(), 3);
    }

    #[test]
    fn json_round_trips() {
        let s = Scenario::default_cluster();
        let back = Scenario::from_json(&s.to_json_pretty()).unwrap();
        assert_eq!(s, back);
    }

    #[test]
    fn unknown_fields_are_refused_with_their_name() {
        let e = Scenario::from_json(r#"{"servcies": []}"#).unwrap_err();
        assert!(alloc::format!("{e}").contains("servcies"), "{e}");
    }
}
