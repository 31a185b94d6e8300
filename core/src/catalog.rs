//! The instance-type catalog: sizes, ENI limits and prices (Amazon EC2 On-Demand pricing,
//! us-east-1).

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::money::Micros;

/// ECS CPU units per vCPU.
pub const CPU_UNITS_PER_VCPU: u32 = 1024;

/// Managed Instances fee as a share of the On-Demand price, in percent. The only published fee
/// (c6a.2xlarge, $0.037/h) is 12.1 % of its price; the public TCO calculator uses 12 %.
/// This is an estimate and the UI labels it so.
pub const MI_FEE_PERCENT: u64 = 12;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceType {
    /// e.g. "m6i.2xlarge"
    pub name: String,
    pub vcpu: u32,
    /// MiB, spelled `memoryMiB` as in EC2's and ECS's `InstanceRequirements` (the API's
    /// InstanceRequirementsRequest); `memoryMib`, the spelling written before, is still read so
    /// older links open.
    #[serde(rename = "memoryMiB", alias = "memoryMib")]
    pub memory_mib: u32,
    /// Maximum ENIs of the type (primary included).
    pub max_enis: u32,
    /// awsvpc task ENIs with ENI trunking on (illustrative, "Increasing Amazon ECS Linux container
    /// instance network interfaces").
    pub trunk_enis: u32,
    /// On-Demand price in micro-dollars per hour.
    pub price_per_hour: Micros,
    /// Managed Instances fee per hour; `None` → the 12 % estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_per_hour: Option<Micros>,
    /// `current` or `previous` generation (attribute-based selection filters on it).
    #[serde(default = "current")]
    pub generation: String,
    /// Burstable (T-family) types are only chosen when asked for.
    #[serde(default)]
    pub burstable: bool,
}

fn current() -> String {
    String::from("current")
}

impl InstanceType {
    pub fn family(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }
    pub fn size(&self) -> &str {
        self.name.split_once('.').map(|(_, s)| s).unwrap_or("")
    }
    pub fn cpu_units(&self) -> u32 {
        self.vcpu * CPU_UNITS_PER_VCPU
    }
    pub fn fee(&self) -> Micros {
        self.fee_per_hour
            .unwrap_or(Micros(self.price_per_hour.0 * MI_FEE_PERCENT / 100))
    }
    /// What one hour of this host costs under Managed Instances: EC2 price + management fee.
    pub fn total_per_hour(&self) -> Micros {
        self.price_per_hour + self.fee()
    }
    /// How many awsvpc tasks fit: trunk limit with trunking, else max ENIs − 1 (the primary).
    pub fn task_enis(&self, trunking: bool) -> u32 {
        if trunking {
            self.trunk_enis
        } else {
            self.max_enis.saturating_sub(1)
        }
    }
}

/// (size, vCPU, max ENIs, trunk ENIs) — the EC2 size ladder, with ENI limits from "Increasing
/// Amazon ECS Linux container instance network interfaces".
const SIZES: [(&str, u32, u32, u32); 8] = [
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 20),
    ("2xlarge", 8, 4, 40),
    ("4xlarge", 16, 8, 60),
    ("8xlarge", 32, 8, 60),
    ("12xlarge", 48, 8, 60),
    ("16xlarge", 64, 15, 120),
    ("24xlarge", 96, 15, 120),
];

/// The reference's suggested 20-row default table: (type, GiB per vCPU, $/h for `large`).
/// Prices double with each size step, so one number per family gives the whole row.
const DEFAULT_TYPES: [(&str, &str, u32, &str); 20] = [
    ("m6i", "large", 4, "0.096"),
    ("m6i", "xlarge", 4, "0.192"),
    ("m6i", "2xlarge", 4, "0.384"),
    ("m6i", "4xlarge", 4, "0.768"),
    ("m6i", "8xlarge", 4, "1.536"),
    ("m6i", "12xlarge", 4, "2.304"),
    ("m6i", "24xlarge", 4, "4.608"),
    ("m7i", "large", 4, "0.1008"),
    ("m7i", "2xlarge", 4, "0.4032"),
    ("m7i", "8xlarge", 4, "1.6128"),
    ("r6i", "large", 8, "0.126"),
    ("r6i", "xlarge", 8, "0.252"),
    ("r6i", "2xlarge", 8, "0.504"),
    ("r6i", "4xlarge", 8, "1.008"),
    ("r6i", "8xlarge", 8, "2.016"),
    ("r7i", "large", 8, "0.1323"),
    ("r7i", "2xlarge", 8, "0.5292"),
    ("c6i", "large", 2, "0.085"),
    ("c6i", "2xlarge", 2, "0.34"),
    ("c6i", "8xlarge", 2, "1.36"),
];

pub fn default_catalog() -> Vec<InstanceType> {
    DEFAULT_TYPES
        .iter()
        .map(|&(family, size, gib_per_vcpu, price)| {
            let &(_, vcpu, max_enis, trunk_enis) = SIZES
                .iter()
                .find(|s| s.0 == size)
                .expect("default table uses known sizes");
            InstanceType {
                name: alloc::format!("{family}.{size}"),
                vcpu,
                memory_mib: vcpu * gib_per_vcpu * 1024,
                max_enis,
                trunk_enis,
                price_per_hour: Micros::parse_dollars(price).expect("default prices parse"),
                fee_per_hour: None,
                generation: current(),
                burstable: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_matches_reference_rows() {
        let cat = default_catalog();
        assert_eq!(cat.len(), 20);
        let r = cat.iter().find(|t| t.name == "r6i.4xlarge").unwrap();
        assert_eq!((r.vcpu, r.memory_mib), (16, 128 * 1024));
        assert_eq!(r.price_per_hour, Micros(1_008_000));
        // Reference: est. MI fee for r6i.4xlarge is $0.1210/h.
        assert_eq!(r.fee(), Micros(120_960));
        let c = cat.iter().find(|t| t.name == "c6i.large").unwrap();
        assert_eq!(c.memory_mib, 4 * 1024);
        assert_eq!(c.task_enis(false), 2);
        assert_eq!(c.task_enis(true), 10);
    }
}
