//! A deployment configuration's checks, for a service in a scenario and for StartDeployment's
//! `configuration`: its lists' lengths, the table's ranges (`fields::DEPLOYMENT`), and the
//! rules between fields (unique names, which stages take which hooks, hooks per kind).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};

use crate::scenario::fields::{check_under, DEPLOYMENT, DEPLOYMENT_CONFIGURATION};
use crate::scenario::lists::list;
use crate::scenario::validate::Checker;
use crate::scenario::{
    DeploymentConfiguration, HookTarget, LifecycleStage, MAX_ALARMS, MAX_HOOKS_PER_KIND,
    MAX_SCRIPT_STEPS,
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
    // Read back from its compact JSON, so the table's paths are walked as the file spells them.
    let json = serde_json::to_string(d)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null);
    check_under(c, DEPLOYMENT.iter(), DEPLOYMENT_CONFIGURATION, &json, p);
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
