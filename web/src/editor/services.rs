//! Sections for the workload: services (task size, count, network mode, constraints, auto
//! scaling, load curve, deployment configuration, hooks, alarms, revisions) and standalone tasks.

use fleetsim_core::scenario::*;
use yew::prelude::*;

use super::ctx::Ctx;
use super::fields::section_errors;

const STRATEGIES: [(Strategy, &str); 4] = [
    (Strategy::Rolling, "rolling"),
    (Strategy::BlueGreen, "blue/green"),
    (Strategy::Linear, "linear"),
    (Strategy::Canary, "canary"),
];

fn task(
    c: &Ctx,
    p: &str,
    t: &TaskSpec,
    get: fn(&mut Scenario, usize) -> &mut TaskSpec,
    i: usize,
) -> Html {
    html! {
        <div class="row">
            { c.opt_num(format!("{p}.cpu"), "CPU", t.cpu, move |s, v| get(s, i).cpu = v) }
            { c.opt_num(format!("{p}.memory"), "Memory", t.memory, move |s, v| get(s, i).memory = v) }
            { c.choice(format!("{p}.networkMode"), "Network mode", &[(NetworkMode::Awsvpc, "awsvpc"), (NetworkMode::Host, "host")],
                &t.network_mode, move |s, v| get(s, i).network_mode = v) }
            { c.num(format!("{p}.stopTimeoutSeconds"), "Stop timeout", t.stop_timeout_seconds, move |s, v| get(s, i).stop_timeout_seconds = v) }
        </div>
    }
}

fn service_task(s: &mut Scenario, i: usize) -> &mut TaskSpec {
    &mut s.services[i].task
}
fn standalone_task(s: &mut Scenario, i: usize) -> &mut TaskSpec {
    &mut s.standalone_tasks[i].task
}

fn member_of(cs: &[PlacementConstraint]) -> (Option<usize>, String) {
    cs.iter()
        .enumerate()
        .find_map(|(k, c)| match c {
            PlacementConstraint::MemberOf { expression } => Some((Some(k), expression.clone())),
            _ => None,
        })
        .unwrap_or((None, String::new()))
}

/// Sets (or with empty text removes) the one memberOf constraint the form edits.
fn set_member_of(cs: &mut Vec<PlacementConstraint>, text: String) {
    cs.retain(|c| !matches!(c, PlacementConstraint::MemberOf { .. }));
    if !text.trim().is_empty() {
        cs.push(PlacementConstraint::MemberOf { expression: text });
    }
}

fn set_distinct(cs: &mut Vec<PlacementConstraint>, on: bool) {
    cs.retain(|c| !matches!(c, PlacementConstraint::DistinctInstance));
    if on {
        cs.insert(0, PlacementConstraint::DistinctInstance);
    }
}

fn dc(s: &mut Scenario, i: usize) -> &mut DeploymentConfiguration {
    &mut s.services[i].deployment_configuration
}

fn deployment(c: &Ctx, p: &str, d: &DeploymentConfiguration, i: usize) -> Html {
    let dp = format!("{p}.deploymentConfiguration");
    let alarms = &d.alarms;
    html! {
        <details class="subsection">
            <summary>{ format!("Deployment: {}", d.strategy.api_name()) }</summary>
            <div class="row">
                { c.choice(format!("{dp}.strategy"), "Strategy", &STRATEGIES, &d.strategy, move |s, v| dc(s, i).strategy = v) }
                { c.num(format!("{dp}.minimumHealthyPercent"), "Min healthy", d.minimum_healthy_percent, move |s, v| dc(s, i).minimum_healthy_percent = v) }
                { c.num(format!("{dp}.maximumPercent"), "Max", d.maximum_percent, move |s, v| dc(s, i).maximum_percent = v) }
                { c.num(format!("{dp}.bakeTimeInMinutes"), "Bake time", d.bake_time_in_minutes, move |s, v| dc(s, i).bake_time_in_minutes = v) }
            </div>
            <div class="row">
                { c.json_num(format!("{dp}.linearConfiguration.stepPercent"), "Linear step", &d.linear_configuration.step_percent, move |s, v| dc(s, i).linear_configuration.step_percent = v) }
                { c.num(format!("{dp}.linearConfiguration.stepBakeTimeInMinutes"), "Linear step bake", d.linear_configuration.step_bake_time_in_minutes, move |s, v| dc(s, i).linear_configuration.step_bake_time_in_minutes = v) }
                { c.json_num(format!("{dp}.canaryConfiguration.canaryPercent"), "Canary", &d.canary_configuration.canary_percent, move |s, v| dc(s, i).canary_configuration.canary_percent = v) }
                { c.num(format!("{dp}.canaryConfiguration.canaryBakeTimeInMinutes"), "Canary bake", d.canary_configuration.canary_bake_time_in_minutes, move |s, v| dc(s, i).canary_configuration.canary_bake_time_in_minutes = v) }
            </div>
            <div class="row">
                { c.check(format!("{dp}.deploymentCircuitBreaker.enable"), "Circuit breaker", d.deployment_circuit_breaker.enable, move |s, v| dc(s, i).deployment_circuit_breaker.enable = v) }
                { c.check(format!("{dp}.deploymentCircuitBreaker.rollback"), "…with rollback", d.deployment_circuit_breaker.rollback, move |s, v| dc(s, i).deployment_circuit_breaker.rollback = v) }
                { c.num(format!("{dp}.deploymentCircuitBreaker.thresholdConfiguration.value"), "Breaker threshold", d.deployment_circuit_breaker.threshold_configuration.value, move |s, v| dc(s, i).deployment_circuit_breaker.threshold_configuration.value = v) }
            </div>
            <div class="row">
                { c.check(format!("{dp}.alarms.enable"), "CloudWatch alarms", alarms.enable, move |s, v| dc(s, i).alarms.enable = v) }
                { c.check(format!("{dp}.alarms.rollback"), "…with rollback", alarms.rollback, move |s, v| dc(s, i).alarms.rollback = v) }
            </div>
            { section_errors(&c.errors, &format!("{dp}.alarms.alarms")) }
            { for alarms.alarms.iter().enumerate().map(|(k, a)| {
                let ap = format!("{dp}.alarms.alarms[{k}]");
                html! {
                    <div class="row">
                        { c.text(format!("{ap}.name"), "Alarm", &a.name, move |s, v| dc(s, i).alarms.alarms[k].name = v) }
                        { c.choice(format!("{ap}.metric"), "Metric", &[(AlarmMetric::ErrorRateBp, "error rate (bp)"), (AlarmMetric::P99LatencyMs, "p99 latency (ms)")],
                            &a.metric, move |s, v| dc(s, i).alarms.alarms[k].metric = v) }
                        { c.num(format!("{ap}.threshold"), "Above", a.threshold, move |s, v| dc(s, i).alarms.alarms[k].threshold = v) }
                        { c.num(format!("{ap}.periodSeconds"), "Period", a.period_seconds, move |s, v| dc(s, i).alarms.alarms[k].period_seconds = v) }
                        { c.num(format!("{ap}.evaluationPeriods"), "Periods", a.evaluation_periods, move |s, v| dc(s, i).alarms.alarms[k].evaluation_periods = v) }
                        <button type="button" class="remove" onclick={c.on_click(move |s| { dc(s, i).alarms.alarms.remove(k); })}>{ "Remove" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={c.on_click(move |s| dc(s, i).alarms.alarms.push(AlarmSpec::default()))}>{ "Add alarm" }</button>
            { section_errors(&c.errors, &format!("{dp}.lifecycleHooks")) }
            { for d.lifecycle_hooks.iter().enumerate().map(|(k, h)| {
                let hp = format!("{dp}.lifecycleHooks[{k}]");
                let stages: Vec<String> = h.lifecycle_stages.iter().map(|st| st.api_name().to_string()).collect();
                html! {
                    <div class="row">
                        { c.text(format!("{hp}.name"), "Hook", &h.name, move |s, v| dc(s, i).lifecycle_hooks[k].name = v) }
                        { c.choice(format!("{hp}.targetType"), "Target", &[(HookTarget::AwsLambda, "Lambda"), (HookTarget::Pause, "pause")],
                            &h.target_type, move |s, v| dc(s, i).lifecycle_hooks[k].target_type = v) }
                        { c.list(format!("{hp}.lifecycleStages"), "Stages (PRE_SCALE_UP, …)", &stages, move |s, v| {
                            dc(s, i).lifecycle_hooks[k].lifecycle_stages = v.iter().filter_map(|n| serde_json::from_value(serde_json::Value::String(n.to_uppercase())).ok()).collect();
                        }) }
                        { c.num(format!("{hp}.durationSeconds"), "Runs", h.duration_seconds, move |s, v| dc(s, i).lifecycle_hooks[k].duration_seconds = v) }
                        { c.num(format!("{hp}.timeoutConfiguration.timeoutInMinutes"), "Timeout", h.timeout_configuration.timeout_in_minutes, move |s, v| dc(s, i).lifecycle_hooks[k].timeout_configuration.timeout_in_minutes = v) }
                        <button type="button" class="remove" onclick={c.on_click(move |s| { dc(s, i).lifecycle_hooks.remove(k); })}>{ "Remove" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={c.on_click(move |s| dc(s, i).lifecycle_hooks.push(LifecycleHook::suggested()))}>{ "Add hook" }</button>
        </details>
    }
}

fn service(c: &Ctx, s: &ServiceSpec, i: usize) -> Html {
    let p = format!("services[{i}]");
    let (member_k, expr) = member_of(&s.placement_constraints);
    let expr_path = format!(
        "{p}.placementConstraints[{}]",
        member_k.unwrap_or(s.placement_constraints.len())
    );
    html! {
        <fieldset class="editor-section service" data-section={p.clone()}>
            <legend>{ format!("Service {}", i + 1) }</legend>
            <div class="row">
                { c.text(format!("{p}.name"), "Name", &s.name, move |s, v| s.services[i].name = v) }
                { c.num(format!("{p}.desiredCount"), "Desired count", s.desired_count, move |s, v| s.services[i].desired_count = v) }
                <button type="button" class="remove" onclick={c.on_click(move |s| { s.services.remove(i); })}>{ "Remove service" }</button>
            </div>
            { task(c, &format!("{p}.task"), &s.task, service_task, i) }
            <div class="row">
                { c.check(format!("{p}.placementConstraints"), "distinctInstance", s.distinct_instance(), move |s, v| set_distinct(&mut s.services[i].placement_constraints, v)) }
                { c.text(format!("{expr_path}.expression"), "memberOf expression", &expr, move |s, v| set_member_of(&mut s.services[i].placement_constraints, v)) }
                { c.check(format!("{p}.availabilityZoneRebalancing"), "AZ rebalancing", s.availability_zone_rebalancing == Rebalancing::Enabled,
                    move |s, v| s.services[i].availability_zone_rebalancing = if v { Rebalancing::Enabled } else { Rebalancing::Disabled }) }
                if let Some(why) = s.rebalancing_unavailable() {
                    <small class="muted" data-testid="rebalancing-unavailable">{ format!("AZ rebalancing will not run: {}.", why.reason()) }</small>
                }
            </div>
            { c.check(format!("{p}.load"), "Load curve", s.load.is_some(), move |s, v| s.services[i].load = v.then(LoadCurve::default)) }
            if let Some(l) = &s.load {
                <div class="row">
                    { c.num(format!("{p}.load.peakRps"), "Peak", l.peak_rps, move |s, v| if let Some(l) = &mut s.services[i].load { l.peak_rps = v }) }
                    { c.num(format!("{p}.load.troughRps"), "Trough (rps)", l.trough_rps, move |s, v| if let Some(l) = &mut s.services[i].load { l.trough_rps = v }) }
                    { c.num(format!("{p}.load.peakHour"), "Peak hour", l.peak_hour, move |s, v| if let Some(l) = &mut s.services[i].load { l.peak_hour = v }) }
                    { c.num(format!("{p}.load.noisePercent"), "Noise", l.noise_percent, move |s, v| if let Some(l) = &mut s.services[i].load { l.noise_percent = v }) }
                    { c.num(format!("{p}.load.rpsPerTaskAtFullCpu"), "Per task at full CPU", l.rps_per_task_at_full_cpu, move |s, v| if let Some(l) = &mut s.services[i].load { l.rps_per_task_at_full_cpu = v }) }
                </div>
            }
            { c.check(format!("{p}.autoScaling"), "Target-tracking auto scaling", s.auto_scaling.is_some(), move |s, v| s.services[i].auto_scaling = v.then(AutoScaling::default)) }
            if let Some(a) = &s.auto_scaling {
                <div class="row">
                    { c.num(format!("{p}.autoScaling.targetCpuPercent"), "Target CPU", a.target_cpu_percent, move |s, v| if let Some(a) = &mut s.services[i].auto_scaling { a.target_cpu_percent = v }) }
                    { c.num(format!("{p}.autoScaling.minTasks"), "Min tasks", a.min_tasks, move |s, v| if let Some(a) = &mut s.services[i].auto_scaling { a.min_tasks = v }) }
                    { c.num(format!("{p}.autoScaling.maxTasks"), "Max tasks", a.max_tasks, move |s, v| if let Some(a) = &mut s.services[i].auto_scaling { a.max_tasks = v }) }
                    { c.num(format!("{p}.autoScaling.scaleOutCooldownSeconds"), "Scale-out cooldown", a.scale_out_cooldown_seconds, move |s, v| if let Some(a) = &mut s.services[i].auto_scaling { a.scale_out_cooldown_seconds = v }) }
                    { c.num(format!("{p}.autoScaling.scaleInCooldownSeconds"), "Scale-in cooldown", a.scale_in_cooldown_seconds, move |s, v| if let Some(a) = &mut s.services[i].auto_scaling { a.scale_in_cooldown_seconds = v }) }
                </div>
            }
            { deployment(c, &p, &s.deployment_configuration, i) }
            { section_errors(&c.errors, &format!("{p}.revisions")) }
            { for s.revisions.iter().enumerate().map(|(k, r)| {
                let rp = format!("{p}.revisions[{k}]");
                html! {
                    <div class="row revision">
                        { c.text(format!("{rp}.name"), "Revision", &r.name, move |s, v| s.services[i].revisions[k].name = v) }
                        { c.num(format!("{rp}.errorRateBp"), "Errors", r.error_rate_bp, move |s, v| s.services[i].revisions[k].error_rate_bp = v) }
                        { c.num(format!("{rp}.p99LatencyMs"), "p99 latency", r.p99_latency_ms, move |s, v| s.services[i].revisions[k].p99_latency_ms = v) }
                        { c.check(format!("{rp}.failsToStart"), "Fails to start", r.fails_to_start, move |s, v| s.services[i].revisions[k].fails_to_start = v) }
                        { c.opt_num(format!("{rp}.unhealthyAfterSeconds"), "Unhealthy after", r.unhealthy_after_seconds, move |s, v| s.services[i].revisions[k].unhealthy_after_seconds = v) }
                        <button type="button" class="remove" onclick={c.on_click(move |s| { s.services[i].revisions.remove(k); })}>{ "Remove" }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={c.on_click(move |s| {
                let name = s.services[i].next_revision_name();
                s.services[i].revisions.push(RevisionSpec { name, ..RevisionSpec::default() });
            })}>{ "Add revision" }</button>
            <button type="button" onclick={c.on_click(move |s| {
                let name = format!("{}-faulty", s.services[i].next_revision_name());
                s.services[i].revisions.push(RevisionSpec::faulty(name));
                if s.services[i].load.is_none() { s.services[i].load = Some(LoadCurve::default()); }
            })}>{ "Add faulty revision" }</button>
        </fieldset>
    }
}

pub fn services(c: &Ctx, s: &Scenario) -> Html {
    html! {
        <>
            { section_errors(&c.errors, "services") }
            { for s.services.iter().enumerate().map(|(i, svc)| service(c, svc, i)) }
            if (s.services.len() as u32) < MAX_SERVICES {
                <button type="button" data-testid="add-service" onclick={c.on_click(|s| {
                    let n = s.services.len() + 1;
                    s.services.push(ServiceSpec::numbered(n));
                })}>{ "Add service" }</button>
            }
        </>
    }
}

pub fn standalone(c: &Ctx, s: &Scenario) -> Html {
    html! {
        <fieldset class="editor-section" data-section="standalone">
            <legend>{ "Standalone tasks" }</legend>
            { section_errors(&c.errors, "standaloneTasks") }
            { for s.standalone_tasks.iter().enumerate().map(|(i, g)| {
                let p = format!("standaloneTasks[{i}]");
                html! {
                    <div class="group">
                        <div class="row">
                            { c.text(format!("{p}.group"), "Group", &g.group, move |s, v| s.standalone_tasks[i].group = v) }
                            { c.num(format!("{p}.count"), "Count", g.count, move |s, v| s.standalone_tasks[i].count = v) }
                            <button type="button" class="remove" onclick={c.on_click(move |s| { s.standalone_tasks.remove(i); })}>{ "Remove" }</button>
                        </div>
                        { task(c, &format!("{p}.task"), &g.task, standalone_task, i) }
                    </div>
                }
            }) }
            if (s.standalone_tasks.len() as u32) < MAX_STANDALONE_GROUPS {
                <button type="button" onclick={c.on_click(|s| s.standalone_tasks.push(StandaloneSpec::default()))}>{ "Add standalone tasks" }</button>
            }
        </fieldset>
    }
}
