//! A task definition (RegisterTaskDefinition input, DescribeTaskDefinition output, or a
//! CloudFormation `AWS::ECS::TaskDefinition`'s properties) → a task spec.

use serde_json::{Map, Value};

use super::assemble::TaskDefPart;
use super::parse::join;
use super::read::{field, Ctx};
use super::ImportError;
use crate::query::Expression;
use crate::scenario::{
    ContainerSpec, NetworkMode, PlacementConstraint, Scenario, TaskSpec, MAX_CONSTRAINTS,
    MAX_CONTAINERS,
};

/// 192 vCPU and 1.5 TiB: the core's own task-size limits.
const MAX_CPU_UNITS: i64 = 192 * 1024;
const MAX_MEMORY_MIB: i64 = 1_572_864;
/// The smallest task the core simulates: 0.25 vCPU, the smallest EC2-hosted task size.
const MIN_CPU_UNITS: u32 = 256;

fn why_task(key: &str) -> &'static str {
    match key {
        "taskRoleArn" | "executionRoleArn" | "TaskRoleArn" | "ExecutionRoleArn" => {
            "IAM roles do not change placement or cost"
        }
        "volumes" | "Volumes" | "ephemeralStorage" | "EphemeralStorage" => {
            "storage is not modelled"
        }
        "pidMode" | "ipcMode" | "PidMode" | "IpcMode" => {
            "process namespaces do not change placement"
        }
        "tags" | "Tags" => "tags do not change the simulation",
        "taskDefinitionArn" | "revision" | "status" | "registeredAt" | "registeredBy"
        | "requiresAttributes" | "compatibilities" | "deregisteredAt" => {
            "read-only state ECS reports, not configuration"
        }
        "inferenceAccelerators" => "accelerators are not modelled",
        _ => "not modelled by fleetsim",
    }
}

fn why_container(key: &str) -> &'static str {
    match key {
        "image" | "Image" | "repositoryCredentials" | "versionConsistency" => {
            "images are not simulated; every start is a pull or a cached start"
        }
        "resourceRequirements" | "ResourceRequirements" => {
            "GPUs are not modelled; the task is placed by CPU and memory only"
        }
        "portMappings" | "PortMappings" => {
            "ports are not modelled; awsvpc tasks are limited by ENIs instead"
        }
        "environment" | "Environment" | "secrets" | "Secrets" | "environmentFiles" => {
            "the container's environment does not change placement or cost"
        }
        "logConfiguration" | "LogConfiguration" | "firelensConfiguration" => {
            "logging is not modelled"
        }
        "healthCheck" | "HealthCheck" => {
            "health checks are modelled by the scenario's timing.healthGraceSeconds"
        }
        "essential" | "Essential" => "every container counts toward the task's size",
        _ => "not modelled by fleetsim",
    }
}

/// Parses ECS's "1 vCPU" / "2 GB" forms as well as plain units.
fn size(
    ctx: &mut Ctx<'_>,
    v: &Value,
    path: &str,
    unit: &str,
    max: i64,
) -> Result<Option<u32>, ImportError> {
    let Some(r) = ctx.resolve(v, path, None)? else {
        return Ok(None);
    };
    if let Value::String(s) = &r {
        let lower = s.trim().to_ascii_lowercase();
        if let Some(num) = lower.strip_suffix(unit) {
            let x: f64 = num.trim().parse().map_err(|_| {
                ctx.err(
                    path,
                    format!("expected a size such as \"1 {unit}\", found {s:?}"),
                )
            })?;
            let n = (x * 1024.0).round();
            if !(0.0..=max as f64).contains(&n) {
                return Err(ctx.err(path, format!("{s}, must be at most {max} units")));
            }
            return Ok(Some(n as u32));
        }
    }
    Ok(ctx.int(&r, path, 0, max, None)?.map(|n| n as u32))
}

pub fn read(
    ctx: &mut Ctx<'_>,
    obj: &Map<String, Value>,
    path: &str,
    fallback_family: &str,
) -> Result<TaskDefPart, ImportError> {
    let p = |k: &str| join(path, k);
    let family = match field(obj, "family") {
        Some((k, v)) => ctx
            .string(v, &p(k), Some(fallback_family))?
            .unwrap_or_else(|| fallback_family.to_string()),
        None => {
            ctx.choice(path, format!("no family; named it {fallback_family:?}"));
            fallback_family.to_string()
        }
    };
    let mut task = TaskSpec {
        cpu: None,
        memory: None,
        ..TaskSpec::default()
    };
    if let Some((k, v)) = field(obj, "cpu") {
        task.cpu = size(ctx, v, &p(k), "vcpu", MAX_CPU_UNITS)?;
    }
    if let Some((k, v)) = field(obj, "memory") {
        task.memory = size(ctx, v, &p(k), "gb", MAX_MEMORY_MIB)?;
    }
    let mut compat = Vec::new();
    if let Some((k, v)) = field(obj, "requiresCompatibilities") {
        for (i, c) in ctx.list(v, &p(k))?.iter().enumerate() {
            let cp = format!("{}[{i}]", p(k));
            let c = ctx.string(c, &cp, None)?.unwrap_or_default();
            if !["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"].contains(&c.as_str()) {
                return Err(ctx.err(
                    &cp,
                    format!("{c:?} is not EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES"),
                ));
            }
            compat.push(c);
        }
        if !compat.iter().any(|c| c == "MANAGED_INSTANCES") {
            ctx.choice(
                &p(k),
                format!("{compat:?}: fleetsim runs the task on Managed Instances"),
            );
        }
    }
    let launch = if compat.iter().any(|c| c == "MANAGED_INSTANCES") {
        "MANAGED_INSTANCES"
    } else if compat.iter().any(|c| c == "FARGATE") {
        "FARGATE"
    } else {
        "EC2"
    };
    let mode = match field(obj, "networkMode") {
        Some((k, v)) => Some((p(k), ctx.string(v, &p(k), None)?)),
        None => None,
    };
    task.network_mode = match mode {
        Some((_, Some(m))) if m == "awsvpc" => NetworkMode::Awsvpc,
        Some((_, Some(m))) if m == "host" => NetworkMode::Host,
        Some((mp, Some(m))) if m == "bridge" || m == "none" => {
            ctx.choice(&mp, format!("{m} is not available on Managed Instances (awsvpc or host); used host, which also needs no ENI per task"));
            NetworkMode::Host
        }
        Some((mp, Some(m))) => {
            return Err(ctx.err(&mp, format!("{m:?} is not awsvpc, bridge, host or none")));
        }
        _ if launch == "EC2" => {
            ctx.choice(&p(&ctx.name("networkMode")), "absent; ECS's default for EC2 is bridge, which Managed Instances does not offer; used host, which also needs no ENI per task");
            NetworkMode::Host
        }
        _ => {
            ctx.choice(
                &p(&ctx.name("networkMode")),
                format!("absent; used awsvpc, ECS's default for {launch}"),
            );
            NetworkMode::Awsvpc
        }
    };
    let mut containers = Vec::new();
    let mut stop_timeout = None::<u32>;
    if let Some((k, v)) = field(obj, "containerDefinitions") {
        let cpath = p(k);
        let list = ctx.list(v, &cpath)?;
        if list.len() > MAX_CONTAINERS as usize {
            return Err(ctx.err(
                &cpath,
                format!("{} containers, at most {MAX_CONTAINERS}", list.len()),
            ));
        }
        for (i, c) in list.iter().enumerate() {
            let ip = format!("{cpath}[{i}]");
            let Some(c) = ctx.object(c, &ip)? else {
                continue;
            };
            let mut spec = ContainerSpec::default();
            if let Some((k, v)) = field(&c, "name") {
                spec.name = ctx
                    .string(v, &join(&ip, k), Some(&format!("container-{i}")))?
                    .unwrap_or_default();
            }
            if let Some((k, v)) = field(&c, "cpu") {
                spec.cpu = ctx.u32(v, &join(&ip, k), MAX_CPU_UNITS as u32, None)?;
            }
            if let Some((k, v)) = field(&c, "memory") {
                spec.memory = ctx.u32(v, &join(&ip, k), MAX_MEMORY_MIB as u32, None)?;
            }
            if let Some((k, v)) = field(&c, "memoryReservation") {
                spec.memory_reservation = ctx.u32(v, &join(&ip, k), MAX_MEMORY_MIB as u32, None)?;
            }
            if let Some((k, v)) = field(&c, "stopTimeout") {
                let s = ctx.u32(v, &join(&ip, k), 120, None)?;
                stop_timeout = stop_timeout.max(s);
            }
            ctx.ignore_rest(
                &c,
                &ip,
                &["name", "cpu", "memory", "memoryReservation", "stopTimeout"],
                why_container,
            );
            containers.push(spec);
        }
    }
    task.containers = containers;
    if let Some(s) = stop_timeout.filter(|s| *s > 0) {
        task.stop_timeout_seconds = s;
    }
    let size = task.size();
    if size.memory == 0 {
        return Err(ctx.err(path, "no memory: neither task-level memory nor any container's memory or memoryReservation (ECS refuses such a task definition)"));
    }
    if size.cpu < MIN_CPU_UNITS {
        ctx.choice(
            &p(&ctx.name("cpu")),
            format!("the task asks for {} CPU units; fleetsim's smallest task is {MIN_CPU_UNITS} (0.25 vCPU), so it reserves {MIN_CPU_UNITS}", size.cpu),
        );
        task.cpu = Some(MIN_CPU_UNITS);
    }
    let constraints = match field(obj, "placementConstraints") {
        Some((k, v)) => constraints(ctx, v, &p(k))?,
        None => Vec::new(),
    };
    if let Some((k, v)) = field(obj, "runtimePlatform") {
        if let Some(rp) = ctx.object(v, &p(k))? {
            let rpp = p(k);
            if let Some((ak, av)) = field(&rp, "cpuArchitecture") {
                let arch = ctx.string(av, &join(&rpp, ak), None)?.unwrap_or_default();
                if arch != "X86_64" {
                    ctx.report.ignored(ctx.file, &join(&rpp, ak), "fleetsim's catalog holds x86 instance types only; the task is placed on them");
                }
            }
            if let Some((ok, ov)) = field(&rp, "operatingSystemFamily") {
                let os = ctx.string(ov, &join(&rpp, ok), None)?.unwrap_or_default();
                if os != "LINUX" {
                    ctx.report.ignored(
                        ctx.file,
                        &join(&rpp, ok),
                        "Managed Instances runs Linux; the operating system is not modelled",
                    );
                }
            }
        }
    }
    ctx.ignore_rest(
        obj,
        path,
        &[
            "family",
            "cpu",
            "memory",
            "requiresCompatibilities",
            "networkMode",
            "containerDefinitions",
            "placementConstraints",
            "runtimePlatform",
        ],
        why_task,
    );
    Ok(TaskDefPart {
        file: ctx.file.to_string(),
        path: path.to_string(),
        family,
        cfn_id: None,
        task,
        constraints,
    })
}

/// `placementConstraints` of a task definition or a service. An expression outside fleetsim's
/// cluster-query subset, or naming zones the scenario does not have, is reported as ignored.
pub fn constraints(
    ctx: &mut Ctx<'_>,
    v: &Value,
    path: &str,
) -> Result<Vec<PlacementConstraint>, ImportError> {
    let list = ctx.list(v, path)?;
    if list.len() > MAX_CONSTRAINTS as usize {
        return Err(ctx.err(
            path,
            format!("{} constraints, at most {MAX_CONSTRAINTS}", list.len()),
        ));
    }
    let zones = Scenario::default().availability_zones;
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let ip = format!("{path}[{i}]");
        let Some(c) = ctx.object(c, &ip)? else {
            continue;
        };
        let kind = match field(&c, "type") {
            Some((k, v)) => ctx.string(v, &join(&ip, k), None)?.unwrap_or_default(),
            None => return Err(ctx.err(&ip, "a placement constraint needs a type")),
        };
        match kind.as_str() {
            "distinctInstance" => out.push(PlacementConstraint::DistinctInstance),
            "memberOf" => {
                let (k, v) = field(&c, "expression")
                    .ok_or_else(|| ctx.err(&ip, "memberOf needs an expression"))?;
                let ep = join(&ip, k);
                let e = ctx.string(v, &ep, None)?.unwrap_or_default();
                match Expression::parse(&e) {
                    Err(why) => ctx.report.ignored(
                        ctx.file,
                        &ep,
                        &format!("fleetsim's cluster-query subset cannot read it: {why}"),
                    ),
                    Ok(expr) => match expr
                        .zone_literals()
                        .into_iter()
                        .find(|z| !zones.contains(z))
                    {
                        Some(z) => ctx.report.ignored(
                            ctx.file,
                            &ep,
                            &format!(
                                "names zone {z}; the scenario's zones are {}",
                                zones.join(", ")
                            ),
                        ),
                        None => out.push(PlacementConstraint::MemberOf { expression: e }),
                    },
                }
            }
            other => {
                return Err(ctx.err(
                    &join(&ip, "type"),
                    format!("{other:?} is not distinctInstance or memberOf"),
                ))
            }
        }
    }
    Ok(out)
}
