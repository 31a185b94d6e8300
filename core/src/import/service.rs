//! A service (CreateService input, DescribeServices / UpdateService output, or a CloudFormation
//! `AWS::ECS::Service`'s properties) → a service spec with ECS's deployment configuration.

use serde_json::{Map, Value};

use super::assemble::ServicePart;
use super::parse::join;
use super::read::{field, Ctx};
use super::taskdef::constraints;
use super::ImportError;
use crate::scenario::{
    AlarmSpec, DeploymentConfiguration, HookTarget, LifecycleHook, LifecycleStage, Rebalancing,
    Strategy, Tenths, ThresholdType, TimeoutAction, MAX_ALARMS, MAX_HOOKS_PER_KIND,
};

/// Whether the service came from an API input (CreateService) or from ECS's own output:
/// defaults differ for `availabilityZoneRebalancing` ("Balancing an Amazon ECS service across
/// Availability Zones").
#[derive(Copy, Clone, PartialEq, Eq)]
pub enum Source {
    Create,
    Output,
}

fn why_service(key: &str) -> &'static str {
    match key {
        "cluster" | "Cluster" | "clusterArn" => "the scenario is one cluster",
        "launchType" | "LaunchType" | "platformVersion" | "platformFamily" => {
            "fleetsim runs every service on Managed Instances"
        }
        "loadBalancers" | "LoadBalancers" => {
            "every service is simulated behind one load balancer with its own target groups"
        }
        "networkConfiguration" | "NetworkConfiguration" => {
            "subnets and security groups are not modelled; the scenario's Availability Zones stand for the subnets"
        }
        "placementStrategy" | "PlacementStrategies" => {
            "Managed Instances does not accept placement strategies (\"Amazon ECS Managed Instances auto scaling and task placement\")"
        }
        "healthCheckGracePeriodSeconds" | "HealthCheckGracePeriodSeconds" => {
            "health is modelled by the scenario's timing.healthGraceSeconds"
        }
        "deploymentController" | "DeploymentController" => {
            "fleetsim simulates ECS's own deployment controller"
        }
        "tags" | "Tags" | "propagateTags" | "PropagateTags" | "enableECSManagedTags"
        | "EnableECSManagedTags" => "tags do not change the simulation",
        "serviceArn" | "status" | "runningCount" | "pendingCount" | "deployments" | "events"
        | "createdAt" | "createdBy" | "roleArn" | "taskSets" => {
            "read-only state ECS reports, not configuration"
        }
        _ => "not modelled by fleetsim",
    }
}

pub fn read(
    ctx: &mut Ctx<'_>,
    obj: &Map<String, Value>,
    path: &str,
    fallback_name: &str,
    source: Source,
) -> Result<ServicePart, ImportError> {
    let p = |k: &str| join(path, k);
    let name = match field(obj, "serviceName") {
        Some((k, v)) => ctx
            .string(v, &p(k), Some(fallback_name))?
            .unwrap_or_else(|| fallback_name.to_string()),
        None => {
            ctx.choice(path, format!("no serviceName; named it {fallback_name:?}"));
            fallback_name.to_string()
        }
    };
    let desired_count = match field(obj, "desiredCount") {
        Some((k, v)) => ctx.u32(v, &p(k), 5_000, Some(2))?,
        None => None,
    };
    let desired_count = desired_count.unwrap_or_else(|| {
        ctx.choice(
            &p(&ctx.name("desiredCount")),
            "absent; used 1, ECS's default for a new service",
        );
        1
    });
    let task_ref = match field(obj, "taskDefinition") {
        Some((k, v)) => ctx.string(v, &p(k), None)?,
        None => None,
    };
    if let Some((k, v)) = field(obj, "schedulingStrategy") {
        let s = ctx.string(v, &p(k), None)?.unwrap_or_default();
        match s.as_str() {
            "REPLICA" => {}
            "DAEMON" => ctx.choice(
                &p(k),
                "DAEMON services are not modelled; simulated as REPLICA with its desiredCount",
            ),
            other => return Err(ctx.err(&p(k), format!("{other:?} is not REPLICA or DAEMON"))),
        }
    }
    let deployment = match field(obj, "deploymentConfiguration") {
        Some((k, v)) => match ctx.object(v, &p(k))? {
            Some(d) => deployment(ctx, &d, &p(k))?,
            None => off_breaker(ctx, &p(k)),
        },
        None => off_breaker(ctx, &p(&ctx.name("deploymentConfiguration"))),
    };
    let placement = match field(obj, "placementConstraints") {
        Some((k, v)) => constraints(ctx, v, &p(k))?,
        None => Vec::new(),
    };
    let rebalancing = match field(obj, "availabilityZoneRebalancing") {
        Some((k, v)) => match ctx.string(v, &p(k), None)?.as_deref() {
            Some("ENABLED") | None => Rebalancing::Enabled,
            Some("DISABLED") => Rebalancing::Disabled,
            Some(other) => {
                return Err(ctx.err(&p(k), format!("{other:?} is not ENABLED or DISABLED")))
            }
        },
        None if source == Source::Output => {
            ctx.choice(
                &p(&ctx.name("availabilityZoneRebalancing")),
                "absent from ECS's output: the service never set it, which counts as DISABLED",
            );
            Rebalancing::Disabled
        }
        None => Rebalancing::Enabled,
    };
    let mut capacity_refs = Vec::new();
    if let Some((k, v)) = field(obj, "capacityProviderStrategy") {
        let sp = p(k);
        for (i, item) in ctx.list(v, &sp)?.iter().enumerate() {
            let ip = format!("{sp}[{i}]");
            let Some(item) = ctx.object(item, &ip)? else {
                continue;
            };
            if let Some((ck, cv)) = field(&item, "capacityProvider") {
                let cp = ctx.string(cv, &join(&ip, ck), None)?.unwrap_or_default();
                if cp == "FARGATE" || cp == "FARGATE_SPOT" {
                    ctx.report.ignored(ctx.file, &join(&ip, ck), "fleetsim runs the service on Managed Instances; Fargate is what the cost comparison is against");
                } else {
                    capacity_refs.push(cp);
                }
            }
            for w in ["weight", "base"] {
                if let Some((wk, _)) = field(&item, w) {
                    ctx.report.ignored(ctx.file, &join(&ip, wk), "the scenario has one capacity provider, so weights and bases do not split anything");
                }
            }
        }
    }
    ctx.ignore_rest(
        obj,
        path,
        &[
            "serviceName",
            "desiredCount",
            "taskDefinition",
            "schedulingStrategy",
            "deploymentConfiguration",
            "placementConstraints",
            "availabilityZoneRebalancing",
            "capacityProviderStrategy",
        ],
        why_service,
    );
    Ok(ServicePart {
        file: ctx.file.to_string(),
        path: path.to_string(),
        name,
        desired_count,
        task_ref,
        deployment,
        placement,
        rebalancing,
        capacity_refs,
        cfn_id: None,
    })
}

/// CreateService without a circuit breaker leaves it off; the scenario's own default is on.
fn off_breaker(ctx: &mut Ctx<'_>, path: &str) -> DeploymentConfiguration {
    let mut d = DeploymentConfiguration::default();
    d.deployment_circuit_breaker.enable = false;
    d.deployment_circuit_breaker.rollback = false;
    ctx.choice(
        path,
        "no deploymentCircuitBreaker; off, as in CreateService",
    );
    d
}

fn deployment(
    ctx: &mut Ctx<'_>,
    d: &Map<String, Value>,
    path: &str,
) -> Result<DeploymentConfiguration, ImportError> {
    let p = |k: &str| join(path, k);
    let mut out = DeploymentConfiguration::default();
    if let Some((k, v)) = field(d, "strategy") {
        out.strategy = match ctx.string(v, &p(k), None)?.as_deref() {
            Some("ROLLING") | None => Strategy::Rolling,
            Some("BLUE_GREEN") => Strategy::BlueGreen,
            Some("LINEAR") => Strategy::Linear,
            Some("CANARY") => Strategy::Canary,
            Some(other) => {
                return Err(ctx.err(
                    &p(k),
                    format!("{other:?} is not ROLLING, BLUE_GREEN, LINEAR or CANARY"),
                ))
            }
        };
    }
    if let Some((k, v)) = field(d, "minimumHealthyPercent") {
        out.minimum_healthy_percent = ctx.u32(v, &p(k), 100, None)?.unwrap_or(100);
    }
    if let Some((k, v)) = field(d, "maximumPercent") {
        out.maximum_percent = ctx.u32(v, &p(k), 200, None)?.unwrap_or(200);
    }
    if let Some((k, v)) = field(d, "bakeTimeInMinutes") {
        out.bake_time_in_minutes = ctx.u32(v, &p(k), 1_440, None)?.unwrap_or(0);
    }
    match field(d, "deploymentCircuitBreaker") {
        Some((k, v)) => {
            let cp = p(k);
            let cb = &mut out.deployment_circuit_breaker;
            cb.enable = false;
            cb.rollback = false;
            if let Some(o) = ctx.object(v, &cp)? {
                for (name, slot) in [("enable", 0), ("rollback", 1), ("resetOnHealthyTask", 2)] {
                    if let Some((fk, fv)) = field(&o, name) {
                        let b = ctx.bool(fv, &join(&cp, fk))?.unwrap_or(false);
                        let cb = &mut out.deployment_circuit_breaker;
                        *[
                            &mut cb.enable,
                            &mut cb.rollback,
                            &mut cb.reset_on_healthy_task,
                        ][slot] = b;
                    }
                }
                if let Some((tk, tv)) = field(&o, "thresholdConfiguration") {
                    let tp = join(&cp, tk);
                    if let Some(t) = ctx.object(tv, &tp)? {
                        if let Some((k2, v2)) = field(&t, "type") {
                            out.deployment_circuit_breaker.threshold_configuration.kind =
                                match ctx.string(v2, &join(&tp, k2), None)?.as_deref() {
                                    Some("BOUNDED_PERCENT") | None => ThresholdType::BoundedPercent,
                                    Some("UNBOUNDED_PERCENT") => ThresholdType::UnboundedPercent,
                                    Some("COUNT") => ThresholdType::Count,
                                    Some(o) => {
                                        return Err(ctx.err(
                                            &join(&tp, k2),
                                            format!(
                                        "{o:?} is not BOUNDED_PERCENT, UNBOUNDED_PERCENT or COUNT"
                                    ),
                                        ))
                                    }
                                };
                        }
                        if let Some((k2, v2)) = field(&t, "value") {
                            out.deployment_circuit_breaker.threshold_configuration.value =
                                ctx.u32(v2, &join(&tp, k2), 10_000, None)?.unwrap_or(50);
                        }
                    }
                }
            }
        }
        None => {
            out.deployment_circuit_breaker.enable = false;
            out.deployment_circuit_breaker.rollback = false;
            ctx.choice(
                &p(&ctx.name("deploymentCircuitBreaker")),
                "absent; off, as in CreateService",
            );
        }
    }
    if let Some((k, v)) = field(d, "alarms") {
        let ap = p(k);
        if let Some(a) = ctx.object(v, &ap)? {
            for (name, slot) in [("enable", 0), ("rollback", 1)] {
                if let Some((fk, fv)) = field(&a, name) {
                    let b = ctx.bool(fv, &join(&ap, fk))?.unwrap_or(false);
                    *[&mut out.alarms.enable, &mut out.alarms.rollback][slot] = b;
                }
            }
            if let Some((nk, nv)) = field(&a, "alarmNames") {
                let np = join(&ap, nk);
                let names = ctx.list(nv, &np)?;
                if names.len() > MAX_ALARMS as usize {
                    return Err(
                        ctx.err(&np, format!("{} alarms, at most {MAX_ALARMS}", names.len()))
                    );
                }
                for (i, n) in names.iter().enumerate() {
                    let ip = format!("{np}[{i}]");
                    let name = ctx
                        .string(n, &ip, Some(&format!("alarm-{i}")))?
                        .unwrap_or_default();
                    ctx.choice(&ip, "a CloudWatch alarm's metric is not in the file; modelled as green's error rate above 2 % for 3 minutes");
                    out.alarms.alarms.push(AlarmSpec {
                        name,
                        ..AlarmSpec::default()
                    });
                }
            }
        }
    }
    if let Some((k, v)) = field(d, "linearConfiguration") {
        let lp = p(k);
        if let Some(l) = ctx.object(v, &lp)? {
            if let Some((sk, sv)) = field(&l, "stepPercent") {
                out.linear_configuration.step_percent = tenths(ctx, sv, &join(&lp, sk))?;
            }
            if let Some((sk, sv)) = field(&l, "stepBakeTimeInMinutes") {
                out.linear_configuration.step_bake_time_in_minutes =
                    ctx.u32(sv, &join(&lp, sk), 1_440, None)?.unwrap_or(0);
            }
        }
    }
    if let Some((k, v)) = field(d, "canaryConfiguration") {
        let cp = p(k);
        if let Some(c) = ctx.object(v, &cp)? {
            if let Some((sk, sv)) = field(&c, "canaryPercent") {
                out.canary_configuration.canary_percent = tenths(ctx, sv, &join(&cp, sk))?;
            }
            if let Some((sk, sv)) = field(&c, "canaryBakeTimeInMinutes") {
                out.canary_configuration.canary_bake_time_in_minutes =
                    ctx.u32(sv, &join(&cp, sk), 1_440, None)?.unwrap_or(0);
            }
        }
    }
    if let Some((k, v)) = field(d, "lifecycleHooks") {
        let hp = p(k);
        let hooks = ctx.list(v, &hp)?;
        if hooks.len() > 2 * MAX_HOOKS_PER_KIND as usize {
            return Err(ctx.err(
                &hp,
                format!("{} hooks, at most {}", hooks.len(), 2 * MAX_HOOKS_PER_KIND),
            ));
        }
        for (i, h) in hooks.iter().enumerate() {
            let ip = format!("{hp}[{i}]");
            if let Some(h) = ctx.object(h, &ip)? {
                out.lifecycle_hooks.push(hook(ctx, &h, &ip, i)?);
            }
        }
    }
    ctx.ignore_rest(
        d,
        path,
        &[
            "strategy",
            "minimumHealthyPercent",
            "maximumPercent",
            "bakeTimeInMinutes",
            "deploymentCircuitBreaker",
            "alarms",
            "linearConfiguration",
            "canaryConfiguration",
            "lifecycleHooks",
        ],
        |_| "not modelled by fleetsim",
    );
    Ok(out)
}

fn tenths(ctx: &mut Ctx<'_>, v: &Value, path: &str) -> Result<Tenths, ImportError> {
    let r = ctx.resolve(v, path, None)?.unwrap_or(Value::Null);
    let x = match &r {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .ok_or_else(|| ctx.err(path, format!("expected a percentage, found {r}")))?;
    let t = (x * 10.0).round();
    if !(0.0..=1000.0).contains(&t) || (x * 10.0 - t).abs() > 1e-6 {
        return Err(ctx.err(
            path,
            format!("{x}, must be a multiple of 0.1 between 0 and 100"),
        ));
    }
    Ok(Tenths(t as u32))
}

fn hook(
    ctx: &mut Ctx<'_>,
    h: &Map<String, Value>,
    path: &str,
    i: usize,
) -> Result<LifecycleHook, ImportError> {
    let p = |k: &str| join(path, k);
    let mut out = LifecycleHook {
        name: format!("hook-{}", i + 1),
        ..LifecycleHook::default()
    };
    if let Some((k, v)) = field(h, "targetType") {
        out.target_type = match ctx.string(v, &p(k), None)?.as_deref() {
            Some("AWS_LAMBDA") | None => HookTarget::AwsLambda,
            Some("PAUSE") => HookTarget::Pause,
            Some(o) => return Err(ctx.err(&p(k), format!("{o:?} is not AWS_LAMBDA or PAUSE"))),
        };
    }
    // A template usually builds the ARN with `Fn::Sub` (`…:function:name`); its tail is the
    // name either way.
    let arn = match field(h, "hookTargetArn") {
        Some((_, Value::String(arn))) => Some(arn),
        Some((_, Value::Object(o))) => match o.get("Fn::Sub") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    };
    if let Some(arn) = arn {
        // The function's name labels the hook; the ARN itself is not needed, so a
        // placeholder there is fine.
        let short = arn.rsplit([':', '/']).next().unwrap_or(arn);
        if !short.is_empty() {
            out.name = short.chars().take(64).collect();
        }
    }
    if let Some((k, v)) = field(h, "lifecycleStages") {
        let sp = p(k);
        for (j, s) in ctx.list(v, &sp)?.iter().enumerate() {
            let jp = format!("{sp}[{j}]");
            let name = ctx.string(s, &jp, None)?.unwrap_or_default();
            let stage = LifecycleStage::ALL
                .into_iter()
                .find(|st| st.api_name() == name)
                .ok_or_else(|| ctx.err(&jp, format!("{name:?} is not a lifecycle stage")))?;
            out.lifecycle_stages.push(stage);
        }
    }
    if let Some((k, v)) = field(h, "timeoutConfiguration") {
        let tp = p(k);
        if let Some(t) = ctx.object(v, &tp)? {
            if let Some((tk, tv)) = field(&t, "timeoutInMinutes") {
                out.timeout_configuration.timeout_in_minutes =
                    ctx.u32(tv, &join(&tp, tk), 20_160, None)?.unwrap_or(1_440);
            }
            if let Some((tk, tv)) = field(&t, "action") {
                out.timeout_configuration.action =
                    match ctx.string(tv, &join(&tp, tk), None)?.as_deref() {
                        Some("ROLLBACK") | None => TimeoutAction::Rollback,
                        Some("CONTINUE") => TimeoutAction::Continue,
                        Some(o) => {
                            return Err(ctx
                                .err(&join(&tp, tk), format!("{o:?} is not ROLLBACK or CONTINUE")))
                        }
                    };
            }
        }
    }
    if out.target_type == HookTarget::AwsLambda {
        ctx.choice(
            path,
            format!(
                "hook {:?}: the Lambda function is not run; it answers SUCCEEDED after {} s",
                out.name, out.duration_seconds
            ),
        );
    }
    ctx.ignore_rest(
        h,
        path,
        &[
            "targetType",
            "hookTargetArn",
            "lifecycleStages",
            "timeoutConfiguration",
        ],
        |k| match k {
            "roleArn" | "RoleArn" => "IAM roles do not change the simulation",
            "hookDetails" | "HookDetails" => {
                "the Lambda function is not run, so its input is not needed"
            }
            _ => "not modelled by fleetsim",
        },
    );
    Ok(out)
}
