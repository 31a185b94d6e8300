//! Strategy comparison: the same scenario and seed under each deployment strategy.

use alloc::string::String;

use crate::scenario::Scenario;

/// Runs every strategy and renders a table. Filled in by the deployments work.
pub fn compare_strategies(_scenario: &Scenario, _service: Option<&str>, _revision: Option<&str>) -> Result<String, String> {
    Err(String::from("compare-strategies is not available yet"))
}
