//! The Managed Instances capacity provider: attribute-based instance selection and optimisation.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::fields::{SCALE_IN_AFTER, UNDERUTILIZED_BELOW_PERCENT};
use crate::catalog::InstanceType;

/// Illustrative `scaleInAfter` when the scenario leaves it unset: AWS's default is unpublished.
pub const DEFAULT_SCALE_IN_AFTER_SECONDS: i32 = SCALE_IN_AFTER.default_u32() as i32;
/// Illustrative underutilisation threshold (AWS publishes none).
pub const DEFAULT_UNDERUTILIZED_BELOW_PERCENT: u32 = UNDERUTILIZED_BELOW_PERCENT.default_u32();

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CapacityOptionType {
    #[default]
    OnDemand,
    Spot,
}

/// How a new instance's type is chosen. AWS publishes no formula ("Amazon ECS Managed Instances
/// instance types").
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Selection {
    /// The talk's rule: the largest instance within 1 % of the best price for the resources its
    /// tasks use, with each host right-sized to the cheapest type that holds its tasks.
    #[default]
    LargestAtBestPrice,
    /// One host per batch of tasks at a time: the cheapest single type that fits the next
    /// first-fit-decreasing bin (a plain per-host baseline, for comparison).
    CheapestPerHost,
    /// The best value for money for every host, whatever its size: often more, smaller hosts.
    LowestCost,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    pub min: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Range {
    pub fn contains(&self, v: u32) -> bool {
        v >= self.min && self.max.is_none_or(|m| v <= m)
    }
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Inclusion {
    Included,
    Required,
    #[default]
    Excluded,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceRequirements {
    pub v_cpu_count: Range,
    #[serde(rename = "memoryMiB")]
    pub memory_mib: Range,
    /// GiB per vCPU, as whole numbers (EC2 allows decimals; whole numbers cover the catalog).
    #[serde(rename = "memoryGiBPerVCpu")]
    pub memory_gib_per_vcpu: Range,
    /// Wildcards allowed: `m6i.*`, `m6*.*`, `*.2xlarge`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_instance_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded_instance_types: Vec<String>,
    /// `current` and/or `previous`; empty means both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instance_generations: Vec<String>,
    pub burstable_performance: Inclusion,
}

/// Why a catalog type is not eligible (shown when the user asks "why not this type?").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TypeRejection {
    /// Managed Instances never uses 1-vCPU, nano or micro types.
    HardFilter,
    VcpuRange,
    MemoryRange,
    MemoryPerVcpu,
    NotAllowed,
    Excluded,
    Generation,
    Burstable,
}

impl InstanceRequirements {
    pub fn check(&self, t: &InstanceType) -> Result<(), TypeRejection> {
        let size = t.size();
        if t.vcpu <= 1 || size == "nano" || size == "micro" {
            return Err(TypeRejection::HardFilter);
        }
        if !self.v_cpu_count.contains(t.vcpu) {
            return Err(TypeRejection::VcpuRange);
        }
        if !self.memory_mib.contains(t.memory_mib) {
            return Err(TypeRejection::MemoryRange);
        }
        let gib_per_vcpu = t.memory_mib / 1024 / t.vcpu.max(1);
        if !self.memory_gib_per_vcpu.contains(gib_per_vcpu) {
            return Err(TypeRejection::MemoryPerVcpu);
        }
        if !self.allowed_instance_types.is_empty()
            && !self
                .allowed_instance_types
                .iter()
                .any(|p| crate::query::wildcard_match(p, &t.name))
        {
            return Err(TypeRejection::NotAllowed);
        }
        if self
            .excluded_instance_types
            .iter()
            .any(|p| crate::query::wildcard_match(p, &t.name))
        {
            return Err(TypeRejection::Excluded);
        }
        if !self.instance_generations.is_empty()
            && !self.instance_generations.contains(&t.generation)
        {
            return Err(TypeRejection::Generation);
        }
        match (self.burstable_performance, t.burstable) {
            (Inclusion::Excluded, true) | (Inclusion::Required, false) => {
                Err(TypeRejection::Burstable)
            }
            _ => Ok(()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CapacityProvider {
    pub instance_requirements: InstanceRequirements,
    pub capacity_option_type: CapacityOptionType,
    /// `infrastructureOptimization.scaleInAfter`: −1 disables, 0–3,600 s; unset → 300 s (ours).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_in_after: Option<i32>,
    /// ENI trunking raises awsvpc task density (on: the dense packing the talk describes).
    pub awsvpc_trunking: bool,
    pub selection: Selection,
    /// Launch quota: the most instances this provider may run at once.
    pub max_instances: u32,
    /// Replace a host with a cheaper type when its tasks would fit one (the talk's downsizing).
    pub downsizing: bool,
    /// A host whose busiest resource (CPU, memory or ENIs) is below this share counts as
    /// underutilised. AWS publishes no threshold: illustrative default 50 %.
    pub underutilized_below_percent: u32,
}

impl Default for CapacityProvider {
    fn default() -> Self {
        CapacityProvider {
            instance_requirements: InstanceRequirements::default(),
            capacity_option_type: CapacityOptionType::OnDemand,
            scale_in_after: None,
            awsvpc_trunking: true,
            selection: Selection::LargestAtBestPrice,
            max_instances: 500,
            downsizing: true,
            underutilized_below_percent: DEFAULT_UNDERUTILIZED_BELOW_PERCENT,
        }
    }
}

impl CapacityProvider {
    /// `None` when infrastructure optimisation is off.
    pub fn scale_in_after_ms(&self) -> Option<u64> {
        let secs = self
            .scale_in_after
            .unwrap_or(DEFAULT_SCALE_IN_AFTER_SECONDS);
        (secs >= 0).then(|| u64::from(secs.unsigned_abs()) * 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::default_catalog;

    #[test]
    fn wildcards() {
        assert!(crate::query::wildcard_match("m6i.*", "m6i.2xlarge"));
        assert!(crate::query::wildcard_match("m6*.*", "m6i.large"));
        assert!(!crate::query::wildcard_match("m6*.*", "m7i.large"));
        assert!(crate::query::wildcard_match("*.2xlarge", "r6i.2xlarge"));
        assert!(!crate::query::wildcard_match("c6i.*", "m6i.large"));
        assert!(crate::query::wildcard_match("r6i.large", "r6i.large"));
    }

    #[test]
    fn requirements_filter_the_catalog() {
        let req = InstanceRequirements {
            allowed_instance_types: alloc::vec![String::from("m6i.*")],
            v_cpu_count: Range {
                min: 4,
                max: Some(16),
            },
            ..Default::default()
        };
        let names: Vec<String> = default_catalog()
            .into_iter()
            .filter(|t| req.check(t).is_ok())
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge"]);
    }

    #[test]
    fn hard_filter_rejects_one_vcpu_and_tiny_sizes() {
        let mut t = default_catalog()[0].clone();
        t.name = String::from("t3.micro");
        assert_eq!(
            InstanceRequirements::default().check(&t),
            Err(TypeRejection::HardFilter)
        );
        t.name = String::from("m6i.medium");
        t.vcpu = 1;
        assert_eq!(
            InstanceRequirements::default().check(&t),
            Err(TypeRejection::HardFilter)
        );
    }
}
