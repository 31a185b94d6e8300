//! `deploymentConfiguration` (the AWS docs, "Deploy Amazon ECS services"): strategy, rolling
//! window, circuit breaker, alarms, bake time, linear/canary parameters and lifecycle hooks.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Strategy {
    #[default]
    Rolling,
    BlueGreen,
    Linear,
    Canary,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::Rolling,
        Strategy::BlueGreen,
        Strategy::Linear,
        Strategy::Canary,
    ];
    pub fn api_name(self) -> &'static str {
        match self {
            Strategy::Rolling => "ROLLING",
            Strategy::BlueGreen => "BLUE_GREEN",
            Strategy::Linear => "LINEAR",
            Strategy::Canary => "CANARY",
        }
    }
}

/// A percentage in multiples of 0.1 (`stepPercent`, `canaryPercent`), held as tenths so that
/// state stays integer. In JSON it is the plain number, e.g. `12.5`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tenths(pub u32);

impl Tenths {
    pub const fn percent(p: u32) -> Tenths {
        Tenths(p * 10)
    }
    /// Basis points (1 % = 100 bp).
    pub fn bp(self) -> u32 {
        self.0 * 10
    }
}

/// The percentage as the JSON writes it: `12.5`, `3`.
impl core::fmt::Display for Tenths {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 % 10 {
            0 => write!(f, "{}", self.0 / 10),
            d => write!(f, "{}.{d}", self.0 / 10),
        }
    }
}

impl Serialize for Tenths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 10 == 0 {
            s.serialize_u32(self.0 / 10)
        } else {
            s.serialize_f64(f64::from(self.0) / 10.0)
        }
    }
}

impl<'de> Deserialize<'de> for Tenths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through a visitor, so that the reader places an error at this number (a JSON path
        // names `canaryPercent`, not the object around it).
        d.deserialize_f64(TenthsVisitor)
    }
}

struct TenthsVisitor;

impl serde::de::Visitor<'_> for TenthsVisitor {
    type Value = Tenths;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a percentage in steps of 0.1")
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Tenths, E> {
        let tenths = v * 10.0;
        let rounded = (tenths + 0.5) as i64;
        if !(0.0..=100_000.0).contains(&v) || (tenths - rounded as f64).abs() > 1e-6 {
            return Err(E::custom(alloc::format!(
                "{v} %, must be a multiple of 0.1 % from 0 to 100 %"
            )));
        }
        Ok(Tenths(rounded as u32))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tenths, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tenths, E> {
        self.visit_f64(v as f64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfiguration {
    pub strategy: Strategy,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub deployment_circuit_breaker: CircuitBreaker,
    pub alarms: Alarms,
    /// Minutes blue and green both run after the production shift (0–1,440).
    pub bake_time_in_minutes: u32,
    pub linear_configuration: LinearConfiguration,
    pub canary_configuration: CanaryConfiguration,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifecycle_hooks: Vec<LifecycleHook>,
}

impl Default for DeploymentConfiguration {
    fn default() -> Self {
        DeploymentConfiguration {
            strategy: Strategy::Rolling,
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            deployment_circuit_breaker: CircuitBreaker::default(),
            alarms: Alarms::default(),
            bake_time_in_minutes: 10,
            linear_configuration: LinearConfiguration::default(),
            canary_configuration: CanaryConfiguration::default(),
            lifecycle_hooks: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LinearConfiguration {
    /// 3.0–100.0, default 10.0.
    pub step_percent: Tenths,
    /// 0–1,440, default 6.
    pub step_bake_time_in_minutes: u32,
}

impl Default for LinearConfiguration {
    fn default() -> Self {
        LinearConfiguration {
            step_percent: Tenths::percent(10),
            step_bake_time_in_minutes: 6,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CanaryConfiguration {
    /// 0.1–100.0, default 5.0.
    pub canary_percent: Tenths,
    /// 0–1,440, default 10.
    pub canary_bake_time_in_minutes: u32,
}

impl Default for CanaryConfiguration {
    fn default() -> Self {
        CanaryConfiguration {
            canary_percent: Tenths::percent(5),
            canary_bake_time_in_minutes: 10,
        }
    }
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ThresholdType {
    #[default]
    BoundedPercent,
    UnboundedPercent,
    Count,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ThresholdConfiguration {
    #[serde(rename = "type")]
    pub kind: ThresholdType,
    pub value: u32,
}

impl Default for ThresholdConfiguration {
    fn default() -> Self {
        ThresholdConfiguration {
            kind: ThresholdType::BoundedPercent,
            value: 50,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
    pub reset_on_healthy_task: bool,
    pub threshold_configuration: ThresholdConfiguration,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        CircuitBreaker {
            enable: true,
            rollback: true,
            reset_on_healthy_task: true,
            threshold_configuration: ThresholdConfiguration::default(),
        }
    }
}

impl CircuitBreaker {
    /// Failed task starts that trip the breaker ("How the Amazon ECS deployment circuit breaker
    /// detects failures"): ceil(value % × desired), clamped to 3–200 for `BOUNDED_PERCENT`;
    /// unclamped (≥ 1) for `UNBOUNDED_PERCENT`; the value itself for `COUNT`.
    pub fn threshold(&self, desired: u32) -> u32 {
        let v = self.threshold_configuration.value;
        let pct = (u64::from(desired) * u64::from(v)).div_ceil(100) as u32;
        match self.threshold_configuration.kind {
            ThresholdType::BoundedPercent => pct.clamp(3, 200),
            ThresholdType::UnboundedPercent => pct.max(1),
            ThresholdType::Count => v.max(1),
        }
    }
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AlarmMetric {
    /// Errors as a share of requests, basis points.
    #[default]
    ErrorRateBp,
    /// p99 latency, ms.
    P99LatencyMs,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AlarmSpec {
    pub name: String,
    pub metric: AlarmMetric,
    /// In the metric's unit; the alarm breaches when the value is above it.
    pub threshold: u32,
    pub period_seconds: u32,
    pub evaluation_periods: u32,
}

impl Default for AlarmSpec {
    fn default() -> Self {
        AlarmSpec {
            name: String::from("error-rate-green"),
            metric: AlarmMetric::ErrorRateBp,
            threshold: 200,
            period_seconds: 60,
            evaluation_periods: 3,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Alarms {
    pub enable: bool,
    pub rollback: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<AlarmSpec>,
}

/// `ServiceDeploymentLifecycleStage`, in order ("Amazon ECS blue/green service deployments
/// workflow").
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LifecycleStage {
    ReconcileService,
    PreScaleUp,
    ScaleUp,
    PostScaleUp,
    TestTrafficShift,
    PostTestTrafficShift,
    PreProductionTrafficShift,
    ProductionTrafficShift,
    PostProductionTrafficShift,
    BakeTime,
    CleanUp,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 11] = [
        LifecycleStage::ReconcileService,
        LifecycleStage::PreScaleUp,
        LifecycleStage::ScaleUp,
        LifecycleStage::PostScaleUp,
        LifecycleStage::TestTrafficShift,
        LifecycleStage::PostTestTrafficShift,
        LifecycleStage::PreProductionTrafficShift,
        LifecycleStage::ProductionTrafficShift,
        LifecycleStage::PostProductionTrafficShift,
        LifecycleStage::BakeTime,
        LifecycleStage::CleanUp,
    ];
    pub fn api_name(self) -> &'static str {
        match self {
            LifecycleStage::ReconcileService => "RECONCILE_SERVICE",
            LifecycleStage::PreScaleUp => "PRE_SCALE_UP",
            LifecycleStage::ScaleUp => "SCALE_UP",
            LifecycleStage::PostScaleUp => "POST_SCALE_UP",
            LifecycleStage::TestTrafficShift => "TEST_TRAFFIC_SHIFT",
            LifecycleStage::PostTestTrafficShift => "POST_TEST_TRAFFIC_SHIFT",
            LifecycleStage::PreProductionTrafficShift => "PRE_PRODUCTION_TRAFFIC_SHIFT",
            LifecycleStage::ProductionTrafficShift => "PRODUCTION_TRAFFIC_SHIFT",
            LifecycleStage::PostProductionTrafficShift => "POST_PRODUCTION_TRAFFIC_SHIFT",
            LifecycleStage::BakeTime => "BAKE_TIME",
            LifecycleStage::CleanUp => "CLEAN_UP",
        }
    }
    /// Hooks are refused on SCALE_UP, BAKE_TIME and CLEAN_UP.
    pub fn hookable(self) -> bool {
        !matches!(
            self,
            LifecycleStage::ScaleUp | LifecycleStage::BakeTime | LifecycleStage::CleanUp
        )
    }
    /// Pause hooks are refused on the two traffic-shift stages (Lambda only there).
    pub fn pausable(self) -> bool {
        self.hookable()
            && !matches!(
                self,
                LifecycleStage::TestTrafficShift | LifecycleStage::ProductionTrafficShift
            )
    }
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HookTarget {
    #[default]
    AwsLambda,
    Pause,
}

/// One scripted answer of a Lambda hook, by invocation number (the last one repeats).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "hookStatus",
    rename_all = "SCREAMING_SNAKE_CASE",
    deny_unknown_fields
)]
pub enum HookResponse {
    Succeeded,
    Failed,
    InProgress {
        /// Seconds until ECS invokes again; default 30.
        #[serde(
            rename = "callBackDelay",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        call_back_delay: Option<u32>,
    },
    /// The function errors or returns nothing: treated as a failure.
    NoResponse,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeoutAction {
    #[default]
    Rollback,
    Continue,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TimeoutConfiguration {
    /// 1–20,160; default 1,440 (24 h).
    pub timeout_in_minutes: u32,
    pub action: TimeoutAction,
}

impl Default for TimeoutConfiguration {
    fn default() -> Self {
        TimeoutConfiguration {
            timeout_in_minutes: 1440,
            action: TimeoutAction::Rollback,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleHook {
    pub name: String,
    pub target_type: HookTarget,
    pub lifecycle_stages: Vec<LifecycleStage>,
    /// Lambda hooks: the answer for each invocation; the last repeats. Empty → `SUCCEEDED`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<HookResponse>,
    /// Lambda hooks: simulated run time of one invocation, seconds.
    pub duration_seconds: u32,
    pub timeout_configuration: TimeoutConfiguration,
}

impl Default for LifecycleHook {
    fn default() -> Self {
        LifecycleHook {
            name: String::from("hook"),
            target_type: HookTarget::AwsLambda,
            lifecycle_stages: Vec::new(),
            script: Vec::new(),
            duration_seconds: 5,
            timeout_configuration: TimeoutConfiguration::default(),
        }
    }
}

impl LifecycleHook {
    /// The hook a form adds: a Lambda hook once the green tasks have scaled up, before any
    /// traffic reaches them.
    pub fn suggested() -> LifecycleHook {
        LifecycleHook {
            lifecycle_stages: alloc::vec![LifecycleStage::PostScaleUp],
            ..LifecycleHook::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circuit_breaker_threshold_examples_from_the_reference() {
        let cb = CircuitBreaker::default();
        assert_eq!(cb.threshold(1), 3);
        assert_eq!(cb.threshold(25), 13);
        assert_eq!(cb.threshold(400), 200);
    }

    #[test]
    fn tenths_read_decimal_percentages() {
        let t: Tenths = serde_json::from_str("12.5").unwrap();
        assert_eq!(t, Tenths(125));
        assert!(serde_json::from_str::<Tenths>("12.55").is_err());
        assert_eq!(serde_json::to_string(&Tenths(100)).unwrap(), "10");
        assert_eq!(serde_json::to_string(&Tenths(125)).unwrap(), "12.5");
    }
}
