//! `fleetsim export`: a scenario → configuration ECS accepts, the reverse of `import`'s field
//! mapping (`import/taskdef.rs`, `service.rs`, `capacity.rs`), so that exporting and importing
//! again gives back every field fleetsim models.
//!
//! Two shapes: `ecs-api` (the `--cli-input-json` files of `create-capacity-provider`,
//! `register-task-definition` and `create-service`) and `cloudformation` (one template). The
//! same builders write both: they produce the API's camelCase JSON, and the template is that
//! JSON with PascalCase keys and `Ref`s. Values ECS requires but fleetsim does not model
//! (images, roles, subnets) are placeholders, each listed in [`Export::placeholders`]; scenario
//! settings ECS has no field for are listed in [`Export::not_exported`]. Pure and `no_std`, so
//! the page offers the same export (Export for ECS).

mod capacity;
mod cloudformation;
mod names;
mod service;
mod taskdef;

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::scenario::Scenario;

pub use cloudformation::cloudformation;

/// One file to write: its name (no directory) and its JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsFile {
    pub name: String,
    pub json: Value,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Export {
    pub files: Vec<EcsFile>,
    /// "file: path = VALUE (what to put there)".
    pub placeholders: Vec<String>,
    /// "path (why ECS's configuration has no place for it)".
    pub not_exported: Vec<String>,
    /// Exported, but worth knowing before running the `aws` commands.
    pub notes: Vec<String>,
}

/// A value ECS requires that the scenario cannot give.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placeholder {
    /// The `ecs-api` text and, in PascalCase, the CloudFormation parameter's name.
    pub key: &'static str,
    pub what: &'static str,
    pub list: bool,
}

pub(crate) const CLUSTER: Placeholder = Placeholder {
    key: "CLUSTER_NAME",
    what: "the cluster the capacity provider and services belong to",
    list: false,
};
pub(crate) const SUBNETS: Placeholder = Placeholder {
    key: "SUBNET_IDS",
    what: "one subnet per Availability Zone; fleetsim's zones stand for them",
    list: true,
};
pub(crate) const SECURITY_GROUPS: Placeholder = Placeholder {
    key: "SECURITY_GROUP_IDS",
    what: "security groups are not modelled",
    list: true,
};
pub(crate) const INFRASTRUCTURE_ROLE: Placeholder = Placeholder {
    key: "INFRASTRUCTURE_ROLE_ARN",
    what: "the role ECS uses to launch Managed Instances",
    list: false,
};
pub(crate) const INSTANCE_PROFILE: Placeholder = Placeholder {
    key: "INSTANCE_PROFILE_ARN",
    what: "the instance profile of the Managed Instances",
    list: false,
};
pub(crate) const EXECUTION_ROLE: Placeholder = Placeholder {
    key: "EXECUTION_ROLE_ARN",
    what: "the task execution role (image pulls, logs)",
    list: false,
};
pub(crate) const IMAGE: Placeholder = Placeholder {
    key: "CONTAINER_IMAGE",
    what: "images are not simulated",
    list: false,
};
pub(crate) const HOOK_ROLE: Placeholder = Placeholder {
    key: "HOOK_ROLE_ARN",
    what: "the role ECS uses to invoke lifecycle-hook Lambda functions",
    list: false,
};
pub(crate) const ACCOUNT: Placeholder = Placeholder {
    key: "ACCOUNT_ID",
    what: "the account of the lifecycle-hook Lambda functions",
    list: false,
};
pub(crate) const REGION: Placeholder = Placeholder {
    key: "REGION",
    what: "the Region of the lifecycle-hook Lambda functions",
    list: false,
};

impl Placeholder {
    /// What the `ecs-api` files hold: a value that is plainly not real and easy to search for.
    pub fn text(self) -> String {
        alloc::format!("PLACEHOLDER_{}", self.key)
    }
}

/// How a builder writes a placeholder: a literal in `ecs-api`, a `Ref` in CloudFormation.
pub(crate) trait Shape {
    fn placeholder(&mut self, p: Placeholder, file: &str, path: &str) -> Value;
    /// The task definition a service runs (family or logical ID).
    fn task_ref(&self, index: usize, family: &str) -> Value;
    fn capacity_ref(&self, name: &str) -> Value;
    /// A Lambda function's ARN from its name.
    fn lambda_arn(&mut self, name: &str, file: &str, path: &str) -> Value;
    /// Whether lifecycle hooks may carry `targetType` and `timeoutConfiguration` always:
    /// the API takes them, CloudFormation's resource schema (cfn-lint 1.58) does not yet, so
    /// the template writes them only when they differ from the defaults.
    fn hook_fields_always(&self) -> bool;
}

/// The `aws` command that takes the exported file `file_name`, found at `path`.
pub fn aws_command(file_name: &str, path: &str) -> String {
    let command = command_for(file_name);
    // `--cli-input-json` reads a `file://` URL; `cloudformation deploy` takes the path.
    if command.ends_with("json") {
        alloc::format!("{command} file://{path}")
    } else {
        alloc::format!("{command} {path}")
    }
}

fn command_for(file_name: &str) -> &'static str {
    match file_name.split('-').next() {
        Some("capacity") => "aws ecs create-capacity-provider --cli-input-json",
        Some("task") => "aws ecs register-task-definition --cli-input-json",
        Some("service") => "aws ecs create-service --cli-input-json",
        _ => "aws cloudformation deploy --stack-name fleetsim --capabilities CAPABILITY_IAM --parameter-overrides … --template-file",
    }
}

/// The name of the capacity provider fleetsim writes (the scenario has exactly one).
pub const CAPACITY_PROVIDER_NAME: &str = "fleetsim-managed-instances";

/// Scenario settings that are the simulator's, not ECS's: listed so nothing is lost silently.
fn simulator_only(s: &Scenario, out: &mut Vec<String>) {
    let d = Scenario::default();
    let mut note = |cond: bool, path: &str, why: &str| {
        if cond {
            out.push(alloc::format!("{path} ({why})"));
        }
    };
    note(
        s.availability_zones != d.availability_zones,
        "availabilityZones",
        "zones come from the subnets you give",
    );
    note(
        s.catalog.is_some(),
        "catalog",
        "instance prices and sizes are EC2's own",
    );
    note(
        !s.standalone_tasks.is_empty(),
        "standaloneTasks",
        "RunTask calls are not configuration",
    );
    note(
        s.timing != d.timing,
        "timing",
        "simulated latencies, not ECS settings",
    );
    note(
        s.patching != d.patching,
        "patching",
        "ECS patches on its own schedule",
    );
    note(s.faults != d.faults, "faults", "simulated failures");
    let cp = &s.capacity_provider;
    let dcp = &d.capacity_provider;
    note(
        cp.awsvpc_trunking != dcp.awsvpc_trunking
            || cp.selection != dcp.selection
            || cp.max_instances != dcp.max_instances
            || cp.downsizing != dcp.downsizing
            || cp.underutilized_below_percent != dcp.underutilized_below_percent,
        "capacityProvider (awsvpcTrunking, selection, maxInstances, downsizing, underutilizedBelowPercent)",
        "how fleetsim models ECS's choices; ECS has no setting for them",
    );
    for (i, sv) in s.services.iter().enumerate() {
        let p = alloc::format!("services[{i}]");
        note(
            sv.auto_scaling.is_some(),
            &alloc::format!("{p}.autoScaling"),
            "Application Auto Scaling is configured apart from the service",
        );
        note(
            sv.load.is_some(),
            &alloc::format!("{p}.load"),
            "simulated traffic",
        );
        note(
            !sv.revisions.is_empty(),
            &alloc::format!("{p}.revisions"),
            "later revisions are registered when you deploy them",
        );
        let dc = &sv.deployment_configuration;
        if dc.alarms.alarms.iter().any(|a| {
            *a != crate::scenario::AlarmSpec {
                name: a.name.clone(),
                ..Default::default()
            }
        }) {
            note(
                true,
                &alloc::format!("{p}.deploymentConfiguration.alarms (metric, threshold, periods)"),
                "the CloudWatch alarms themselves are defined in CloudWatch; only their names are exported",
            );
        }
        for (j, h) in dc.lifecycle_hooks.iter().enumerate() {
            note(
                !h.script.is_empty() || h.duration_seconds != 5,
                &alloc::format!(
                    "{p}.deploymentConfiguration.lifecycleHooks[{j}] (script, durationSeconds)"
                ),
                "what the Lambda function answers is its own code",
            );
        }
    }
}

/// The `ecs-api` files: one capacity provider, then a task definition and a service for each
/// service, in the scenario's order.
pub fn ecs_api(s: &Scenario) -> Export {
    let mut out = Export::default();
    let mut shape = Api {
        placeholders: Vec::new(),
    };
    let file = String::from("capacity-provider.json");
    let cp = capacity::provider(&s.capacity_provider, &mut shape, &file);
    out.files.push(EcsFile {
        name: file,
        json: cp,
    });
    let names = names::service_names(s, &mut out.not_exported);
    for (i, (sv, name)) in s.services.iter().zip(&names).enumerate() {
        // Numbered, so that `*.json` lists them in the scenario's order and importing the
        // files back keeps the services' order.
        let tfile = alloc::format!("task-definition-{:02}-{name}.json", i + 1);
        let td = taskdef::task_definition(sv, name, &mut shape, &tfile, &mut out.not_exported);
        out.files.push(EcsFile {
            name: tfile,
            json: td,
        });
        let sfile = alloc::format!("service-{:02}-{name}.json", i + 1);
        let svc = service::service(sv, i, name, &mut shape, &sfile);
        out.files.push(EcsFile {
            name: sfile,
            json: svc,
        });
    }
    simulator_only(s, &mut out.not_exported);
    newer_fields(s, &mut out.notes, false);
    out.placeholders = shape.placeholders;
    out
}

/// Fields written only when they differ from ECS's defaults, and which older AWS CLI models do
/// not know (`service.rs`).
pub(crate) fn newer_fields(s: &Scenario, notes: &mut Vec<String>, template: bool) {
    let plain = crate::scenario::CircuitBreaker::default();
    for (i, sv) in s.services.iter().enumerate() {
        let cb = &sv.deployment_configuration.deployment_circuit_breaker;
        if cb.reset_on_healthy_task != plain.reset_on_healthy_task
            || cb.threshold_configuration != plain.threshold_configuration
        {
            notes.push(alloc::format!(
                "services[{i}].deploymentConfiguration.deploymentCircuitBreaker: resetOnHealthyTask / thresholdConfiguration are newer ECS fields; an AWS CLI or CloudFormation schema that predates them (botocore 1.43, cfn-lint 1.58) refuses them"
            ));
        }
        let plain_timeout = crate::scenario::TimeoutConfiguration::default();
        for (j, h) in sv
            .deployment_configuration
            .lifecycle_hooks
            .iter()
            .enumerate()
        {
            if template
                && (h.target_type == crate::scenario::HookTarget::Pause
                    || h.timeout_configuration != plain_timeout)
            {
                notes.push(alloc::format!(
                    "services[{i}].deploymentConfiguration.lifecycleHooks[{j}]: a pause hook or a hook timeout is not in CloudFormation's AWS::ECS::Service schema yet (cfn-lint 1.58); the ecs-api files carry it"
                ));
            }
        }
    }
}

struct Api {
    placeholders: Vec<String>,
}

impl Shape for Api {
    fn placeholder(&mut self, p: Placeholder, file: &str, path: &str) -> Value {
        let text = p.text();
        self.placeholders
            .push(alloc::format!("{file}: {path} = {text} ({})", p.what));
        if p.list {
            Value::Array(alloc::vec![Value::String(text)])
        } else {
            Value::String(text)
        }
    }
    fn task_ref(&self, _index: usize, family: &str) -> Value {
        Value::String(String::from(family))
    }
    fn capacity_ref(&self, name: &str) -> Value {
        Value::String(String::from(name))
    }
    fn lambda_arn(&mut self, name: &str, file: &str, path: &str) -> Value {
        let (r, a) = (REGION.text(), ACCOUNT.text());
        self.placeholders.push(alloc::format!(
            "{file}: {path} = …{r}:{a}… (the Region and account of Lambda function {name})"
        ));
        Value::String(alloc::format!("arn:aws:lambda:{r}:{a}:function:{name}"))
    }
    fn hook_fields_always(&self) -> bool {
        true
    }
}
