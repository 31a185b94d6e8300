//! LINEAR ("Amazon ECS linear deployments", "Amazon ECS canary deployments"): `ceil(100 /
//! stepPercent)` production steps of `stepPercent` each (the last one tops up to 100 %), with
//! `stepBakeTimeInMinutes` after every step but the last.

use alloc::vec::Vec;

use super::traffic::ALL_BP;
use super::Plan;
use crate::scenario::DeploymentConfiguration;
use crate::time::MINUTE;

pub(super) struct Linear;

impl Plan for Linear {
    fn steps(&self, c: &DeploymentConfiguration) -> Vec<u32> {
        let step = c.linear_configuration.step_percent.bp().max(1);
        let n = ALL_BP.div_ceil(step);
        (1..=n).map(|k| (k * step).min(ALL_BP)).collect()
    }
    fn step_bake_ms(&self, c: &DeploymentConfiguration, _i: u32) -> u64 {
        u64::from(c.linear_configuration.step_bake_time_in_minutes) * MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Tenths;

    #[test]
    fn default_is_ten_equal_steps_and_uneven_steps_top_up() {
        let mut c = DeploymentConfiguration::default();
        assert_eq!(
            Linear.steps(&c),
            (1..=10).map(|k| k * 1_000).collect::<Vec<_>>()
        );
        c.linear_configuration.step_percent = Tenths(300);
        assert_eq!(Linear.steps(&c), [3_000, 6_000, 9_000, 10_000]);
    }
}
