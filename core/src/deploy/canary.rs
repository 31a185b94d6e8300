//! CANARY ("Amazon ECS linear deployments", "Amazon ECS canary deployments"): `canaryPercent`
//! first, then after `canaryBakeTimeInMinutes` the rest of the traffic in one second shift.

use alloc::vec::Vec;

use super::traffic::ALL_BP;
use super::Plan;
use crate::scenario::DeploymentConfiguration;
use crate::time::MINUTE;

pub(super) struct Canary;

impl Plan for Canary {
    fn steps(&self, c: &DeploymentConfiguration) -> Vec<u32> {
        let first = c.canary_configuration.canary_percent.bp().min(ALL_BP);
        if first == ALL_BP {
            alloc::vec![ALL_BP]
        } else {
            alloc::vec![first, ALL_BP]
        }
    }
    fn step_bake_ms(&self, c: &DeploymentConfiguration, _i: u32) -> u64 {
        u64::from(c.canary_configuration.canary_bake_time_in_minutes) * MINUTE
    }
}
