//! Deployment configuration ranges (the API's DeploymentConfiguration, LinearConfiguration,
//! CanaryConfiguration; "Amazon ECS service quotas").

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};

use crate::scenario::lists::list;
use crate::scenario::validate::Checker;
use crate::scenario::{
    AlarmMetric, DeploymentConfiguration, HookResponse, HookTarget, LifecycleStage, Tenths,
    ThresholdType, MAX_ALARMS, MAX_HOOKS_PER_KIND, MAX_LATENCY_MS, MAX_SCRIPT_STEPS,
};

/// The configuration's lists against their limits (see `scenario::lists`); `true` when one is
/// longer than its limit.
pub(crate) fn deployment_list_lengths(
    c: &mut Checker,
    p: &dyn Fn() -> String,
    d: &DeploymentConfiguration,
) -> bool {
    let n = d.alarms.alarms.len();
    let mut over = list(
        c,
        || format!("{}.alarms.alarms", p()),
        n,
        0,
        MAX_ALARMS,
        " alarms",
    );
    let n = d.lifecycle_hooks.len();
    let hooks = 2 * MAX_HOOKS_PER_KIND;
    over |= list(
        c,
        || format!("{}.lifecycleHooks", p()),
        n,
        0,
        hooks,
        " hooks",
    );
    if over {
        return true;
    }
    for (i, h) in d.lifecycle_hooks.iter().enumerate() {
        let hp = || format!("{}.lifecycleHooks[{i}]", p());
        let n = h.script.len();
        over |= list(
            c,
            || format!("{}.script", hp()),
            n,
            0,
            MAX_SCRIPT_STEPS,
            " steps",
        );
        let n = h.lifecycle_stages.len();
        let stages = LifecycleStage::ALL.len() as u32;
        over |= list(
            c,
            || format!("{}.lifecycleStages", hp()),
            n,
            0,
            stages,
            " stages",
        );
    }
    over
}

pub(crate) fn check_deployment_configuration(
    c: &mut Checker,
    p: &str,
    d: &DeploymentConfiguration,
) {
    if deployment_list_lengths(c, &|| p.to_string(), d) {
        return;
    }
    c.range(
        format!("{p}.minimumHealthyPercent"),
        u64::from(d.minimum_healthy_percent),
        0,
        100,
        " %",
    );
    c.range(
        format!("{p}.maximumPercent"),
        u64::from(d.maximum_percent),
        100,
        200,
        " %",
    );
    c.range(
        format!("{p}.bakeTimeInMinutes"),
        u64::from(d.bake_time_in_minutes),
        0,
        1_440,
        " min",
    );
    let lc = &d.linear_configuration;
    // "LinearConfiguration" in the ECS API reference: multiples of 0.1, 3.0–100.0.
    c.percent(
        format!("{p}.linearConfiguration.stepPercent"),
        lc.step_percent,
        Tenths(30),
        Tenths::percent(100),
    );
    c.range(
        format!("{p}.linearConfiguration.stepBakeTimeInMinutes"),
        u64::from(lc.step_bake_time_in_minutes),
        0,
        1_440,
        " min",
    );
    let cc = &d.canary_configuration;
    // "CanaryConfiguration" in the ECS API reference: multiples of 0.1, 0.1–100.0.
    c.percent(
        format!("{p}.canaryConfiguration.canaryPercent"),
        cc.canary_percent,
        Tenths(1),
        Tenths::percent(100),
    );
    c.range(
        format!("{p}.canaryConfiguration.canaryBakeTimeInMinutes"),
        u64::from(cc.canary_bake_time_in_minutes),
        0,
        1_440,
        " min",
    );
    let tc = &d.deployment_circuit_breaker.threshold_configuration;
    match tc.kind {
        ThresholdType::Count => c.range(
            format!("{p}.deploymentCircuitBreaker.thresholdConfiguration.value"),
            u64::from(tc.value),
            1,
            5_000,
            "",
        ),
        _ => c.range(
            format!("{p}.deploymentCircuitBreaker.thresholdConfiguration.value"),
            u64::from(tc.value),
            1,
            100,
            " %",
        ),
    }
    if d.alarms.enable && d.alarms.alarms.is_empty() {
        c.err(
            format!("{p}.alarms.alarms"),
            "alarms are enabled but none is listed",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, a) in d.alarms.alarms.iter().enumerate() {
        let ap = format!("{p}.alarms.alarms[{i}]");
        c.name(format!("{ap}.name"), &a.name);
        if !seen.insert(a.name.as_str()) {
            c.err(
                format!("{ap}.name"),
                format!("another alarm is already named \"{}\"", a.name),
            );
        }
        let (max, unit) = match a.metric {
            AlarmMetric::ErrorRateBp => (10_000, " bp"),
            AlarmMetric::P99LatencyMs => (MAX_LATENCY_MS, " ms"),
        };
        c.range(
            format!("{ap}.threshold"),
            u64::from(a.threshold),
            0,
            u64::from(max),
            unit,
        );
        c.range(
            format!("{ap}.periodSeconds"),
            u64::from(a.period_seconds),
            10,
            86_400,
            " s",
        );
        c.range(
            format!("{ap}.evaluationPeriods"),
            u64::from(a.evaluation_periods),
            1,
            100,
            "",
        );
    }
    let (mut lambdas, mut pauses) = (0u32, 0u32);
    let mut seen = BTreeSet::new();
    for (i, h) in d.lifecycle_hooks.iter().enumerate() {
        let hp = format!("{p}.lifecycleHooks[{i}]");
        c.name(format!("{hp}.name"), &h.name);
        // ContinueHook names a hook, so names must be unique.
        if !seen.insert(h.name.as_str()) {
            c.err(
                format!("{hp}.name"),
                format!("another hook is already named \"{}\"", h.name),
            );
        }
        if h.target_type == HookTarget::Pause && !h.script.is_empty() {
            c.err(
                format!("{hp}.script"),
                "a PAUSE hook has no script: it waits for ContinueHook or its timeout",
            );
        }
        for (j, r) in h.script.iter().enumerate() {
            if let HookResponse::InProgress {
                call_back_delay: Some(s),
            } = r
            {
                c.range(
                    format!("{hp}.script[{j}].callBackDelay"),
                    u64::from(*s),
                    1,
                    86_400,
                    " s",
                );
            }
        }
        match h.target_type {
            HookTarget::AwsLambda => lambdas += 1,
            HookTarget::Pause => pauses += 1,
        }
        if h.lifecycle_stages.is_empty() {
            c.err(
                format!("{hp}.lifecycleStages"),
                "name at least one lifecycle stage",
            );
        }
        for (j, s) in h.lifecycle_stages.iter().enumerate() {
            if !s.hookable() {
                c.err(
                    format!("{hp}.lifecycleStages[{j}]"),
                    format!(
                        "{} does not accept hooks (SCALE_UP, BAKE_TIME and CLEAN_UP never do)",
                        s.api_name()
                    ),
                );
            } else if h.target_type == HookTarget::Pause && !s.pausable() {
                c.err(
                    format!("{hp}.lifecycleStages[{j}]"),
                    format!("{} accepts only AWS_LAMBDA hooks, not PAUSE", s.api_name()),
                );
            }
        }
        c.range(
            format!("{hp}.timeoutConfiguration.timeoutInMinutes"),
            u64::from(h.timeout_configuration.timeout_in_minutes),
            1,
            20_160,
            " min",
        );
        c.range(
            format!("{hp}.durationSeconds"),
            u64::from(h.duration_seconds),
            0,
            900,
            " s",
        );
    }
    if lambdas > MAX_HOOKS_PER_KIND {
        c.err(
            format!("{p}.lifecycleHooks"),
            format!("{lambdas} Lambda hooks, at most {MAX_HOOKS_PER_KIND} per service"),
        );
    }
    if pauses > MAX_HOOKS_PER_KIND {
        c.err(
            format!("{p}.lifecycleHooks"),
            format!("{pauses} pause hooks, at most {MAX_HOOKS_PER_KIND} per service"),
        );
    }
}
