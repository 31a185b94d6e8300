//! A service → the CreateService input (the reverse of `import/service.rs`).

use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::{Shape, CAPACITY_PROVIDER_NAME, CLUSTER, HOOK_ROLE, SECURITY_GROUPS, SUBNETS};
use crate::scenario::{
    CircuitBreaker, DeploymentConfiguration, HookTarget, NetworkMode, PlacementConstraint,
    Rebalancing, ServiceSpec, Strategy, Tenths, ThresholdType, TimeoutAction, TimeoutConfiguration,
};

/// `12.5`, `10`: the percentage as ECS writes it.
fn percent(t: Tenths) -> Value {
    if t.0 % 10 == 0 {
        json!(t.0 / 10)
    } else {
        json!(f64::from(t.0) / 10.0)
    }
}

pub fn placement(constraints: &[PlacementConstraint]) -> Value {
    Value::Array(
        constraints
            .iter()
            .map(|c| match c {
                PlacementConstraint::DistinctInstance => json!({"type": "distinctInstance"}),
                PlacementConstraint::MemberOf { expression } => {
                    json!({"type": "memberOf", "expression": expression})
                }
            })
            .collect(),
    )
}

pub fn service(
    sv: &ServiceSpec,
    index: usize,
    name: &str,
    shape: &mut impl Shape,
    file: &str,
) -> Value {
    let mut s = Map::new();
    s.insert(
        "cluster".into(),
        shape.placeholder(CLUSTER, file, "cluster"),
    );
    s.insert("serviceName".into(), Value::String(name.into()));
    s.insert("taskDefinition".into(), shape.task_ref(index, name));
    s.insert("desiredCount".into(), json!(sv.desired_count));
    s.insert("schedulingStrategy".into(), json!("REPLICA"));
    s.insert(
        "capacityProviderStrategy".into(),
        json!([{"capacityProvider": shape.capacity_ref(CAPACITY_PROVIDER_NAME), "weight": 1}]),
    );
    // Strategies other than rolling need ECS's own deployment controller, which is also
    // CreateService's default; written so the file says what it relies on.
    s.insert("deploymentController".into(), json!({"type": "ECS"}));
    s.insert(
        "deploymentConfiguration".into(),
        deployment(&sv.deployment_configuration, shape, file),
    );
    if !sv.placement_constraints.is_empty() {
        // The scenario holds the task definition's and the service's constraints as one
        // list; the service carries them all, and the importer joins them back the same way.
        s.insert(
            "placementConstraints".into(),
            placement(&sv.placement_constraints),
        );
    }
    s.insert(
        "availabilityZoneRebalancing".into(),
        json!(match sv.availability_zone_rebalancing {
            Rebalancing::Enabled => "ENABLED",
            Rebalancing::Disabled => "DISABLED",
        }),
    );
    if sv.task.network_mode == NetworkMode::Awsvpc {
        let subnets = shape.placeholder(
            SUBNETS,
            file,
            "networkConfiguration.awsvpcConfiguration.subnets",
        );
        let groups = shape.placeholder(
            SECURITY_GROUPS,
            file,
            "networkConfiguration.awsvpcConfiguration.securityGroups",
        );
        s.insert(
            "networkConfiguration".into(),
            json!({"awsvpcConfiguration": {"subnets": subnets, "securityGroups": groups}}),
        );
    }
    Value::Object(s)
}

fn deployment(d: &DeploymentConfiguration, shape: &mut impl Shape, file: &str) -> Value {
    let mut o = Map::new();
    o.insert("strategy".into(), json!(d.strategy.api_name()));
    o.insert(
        "minimumHealthyPercent".into(),
        json!(d.minimum_healthy_percent),
    );
    o.insert("maximumPercent".into(), json!(d.maximum_percent));
    o.insert("bakeTimeInMinutes".into(), json!(d.bake_time_in_minutes));
    let cb = &d.deployment_circuit_breaker;
    let mut breaker = Map::new();
    breaker.insert("enable".into(), json!(cb.enable));
    breaker.insert("rollback".into(), json!(cb.rollback));
    // The two newer fields are written only when they differ from ECS's defaults (which are
    // what the importer assumes when they are absent): AWS CLI models from before them
    // (botocore 1.43 among them) refuse unknown fields.
    let plain = CircuitBreaker::default();
    if cb.reset_on_healthy_task != plain.reset_on_healthy_task {
        breaker.insert("resetOnHealthyTask".into(), json!(cb.reset_on_healthy_task));
    }
    if cb.threshold_configuration != plain.threshold_configuration {
        breaker.insert(
            "thresholdConfiguration".into(),
            json!({
                "type": match cb.threshold_configuration.kind {
                    ThresholdType::BoundedPercent => "BOUNDED_PERCENT",
                    ThresholdType::UnboundedPercent => "UNBOUNDED_PERCENT",
                    ThresholdType::Count => "COUNT",
                },
                "value": cb.threshold_configuration.value,
            }),
        );
    }
    o.insert("deploymentCircuitBreaker".into(), Value::Object(breaker));
    let names: Vec<&str> = d.alarms.alarms.iter().map(|a| a.name.as_str()).collect();
    o.insert(
        "alarms".into(),
        json!({"enable": d.alarms.enable, "rollback": d.alarms.rollback, "alarmNames": names}),
    );
    // ECS reads the step and canary settings only with their own strategy.
    if d.strategy == Strategy::Linear {
        let l = &d.linear_configuration;
        o.insert(
            "linearConfiguration".into(),
            json!({"stepPercent": percent(l.step_percent), "stepBakeTimeInMinutes": l.step_bake_time_in_minutes}),
        );
    }
    if d.strategy == Strategy::Canary {
        let c = &d.canary_configuration;
        o.insert(
            "canaryConfiguration".into(),
            json!({"canaryPercent": percent(c.canary_percent), "canaryBakeTimeInMinutes": c.canary_bake_time_in_minutes}),
        );
    }
    if !d.lifecycle_hooks.is_empty() {
        let mut hooks = Vec::new();
        for (i, h) in d.lifecycle_hooks.iter().enumerate() {
            let path = alloc::format!("deploymentConfiguration.lifecycleHooks[{i}]");
            let mut o = Map::new();
            let always = shape.hook_fields_always();
            match h.target_type {
                HookTarget::AwsLambda => {
                    // AWS_LAMBDA is the default target, for ECS and for the importer.
                    if always {
                        o.insert("targetType".into(), json!("AWS_LAMBDA"));
                    }
                    o.insert(
                        "hookTargetArn".into(),
                        shape.lambda_arn(&h.name, file, &alloc::format!("{path}.hookTargetArn")),
                    );
                    o.insert(
                        "roleArn".into(),
                        shape.placeholder(HOOK_ROLE, file, &alloc::format!("{path}.roleArn")),
                    );
                }
                HookTarget::Pause => {
                    o.insert("targetType".into(), json!("PAUSE"));
                }
            }
            let stages: Vec<&str> = h.lifecycle_stages.iter().map(|s| s.api_name()).collect();
            o.insert("lifecycleStages".into(), json!(stages));
            if always || h.timeout_configuration != TimeoutConfiguration::default() {
                o.insert(
                    "timeoutConfiguration".into(),
                    json!({
                        "timeoutInMinutes": h.timeout_configuration.timeout_in_minutes,
                        "action": match h.timeout_configuration.action {
                            TimeoutAction::Rollback => "ROLLBACK",
                            TimeoutAction::Continue => "CONTINUE",
                        },
                    }),
                );
            }
            hooks.push(Value::Object(o));
        }
        o.insert("lifecycleHooks".into(), Value::Array(hooks));
    }
    Value::Object(o)
}
