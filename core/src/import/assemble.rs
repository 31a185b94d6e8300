//! The parts read from every file → one scenario: services find their task definitions (by
//! family, ARN or CloudFormation logical ID), unused task definitions become services of one
//! task, one capacity provider is chosen, and the result passes the core's validation.

use super::report::Report;
use super::ImportError;
use crate::scenario::{
    CapacityProvider, DeploymentConfiguration, PlacementConstraint, Rebalancing, Scenario,
    ServiceSpec, TaskSpec, MAX_SERVICES,
};

pub struct TaskDefPart {
    pub file: String,
    pub path: String,
    pub family: String,
    pub cfn_id: Option<String>,
    pub task: TaskSpec,
    pub constraints: Vec<PlacementConstraint>,
}

pub struct ServicePart {
    pub file: String,
    pub path: String,
    pub name: String,
    pub desired_count: u32,
    pub task_ref: Option<String>,
    pub deployment: DeploymentConfiguration,
    pub placement: Vec<PlacementConstraint>,
    pub rebalancing: Rebalancing,
    pub capacity_refs: Vec<String>,
    pub cfn_id: Option<String>,
}

pub struct CapacityPart {
    pub file: String,
    pub name: String,
    pub cfn_id: Option<String>,
    pub provider: CapacityProvider,
}

#[derive(Default)]
pub struct Parts {
    pub task_defs: Vec<TaskDefPart>,
    pub services: Vec<ServicePart>,
    pub capacity: Vec<CapacityPart>,
}

/// `arn:aws:ecs:…:task-definition/family:3`, `family:3` and `family` all name `family`.
fn family_of(r: &str) -> &str {
    let tail = r.rsplit('/').next().unwrap_or(r);
    tail.split(':').next().unwrap_or(tail)
}

fn unique(name: &str, taken: &[ServiceSpec]) -> String {
    let base: String = name.chars().take(60).collect();
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|s| s.name == candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

pub fn assemble(parts: Parts, report: &mut Report) -> Result<Scenario, ImportError> {
    let mut scenario = Scenario {
        name: String::from("Imported from ECS"),
        description: String::from("Built by `fleetsim import` from ECS configuration."),
        ..Scenario::default()
    };
    if parts.services.len() + parts.task_defs.len() > MAX_SERVICES as usize * 2 {
        return Err(ImportError::new(
            "",
            "",
            format!("more than {MAX_SERVICES} services"),
        ));
    }
    // The capacity provider: the one most services name, else the first.
    if let Some(chosen) = parts
        .capacity
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| {
            let uses = parts
                .services
                .iter()
                .filter(|s| {
                    s.capacity_refs
                        .iter()
                        .any(|r| Some(r) == c.cfn_id.as_ref() || *r == c.name)
                })
                .count();
            (uses, core::cmp::Reverse(*i))
        })
        .map(|(i, _)| i)
    {
        for (i, c) in parts.capacity.iter().enumerate() {
            if i != chosen {
                report.choice(
                    &c.file,
                    &c.name,
                    format!(
                        "the scenario has one capacity provider; used {}",
                        parts.capacity[chosen].name
                    ),
                );
            }
        }
        scenario.capacity_provider = parts.capacity[chosen].provider.clone();
    } else {
        report.choice("", "capacityProvider", "no Managed Instances capacity provider in the files; used fleetsim's default (any type in its catalog, On-Demand)");
    }
    report.choice(
        "",
        "availabilityZones",
        "subnets are not mapped to zones; used fleetsim's three default Availability Zones",
    );
    let mut used = vec![false; parts.task_defs.len()];
    for s in &parts.services {
        let found = s.task_ref.as_deref().and_then(|r| {
            parts.task_defs.iter().position(|t| {
                t.cfn_id.as_deref() == Some(r) && t.file == s.file || t.family == family_of(r)
            })
        });
        let (task, constraints) = match found {
            Some(i) => {
                used[i] = true;
                (
                    parts.task_defs[i].task.clone(),
                    parts.task_defs[i].constraints.clone(),
                )
            }
            None => {
                report.choice(
                    &s.file,
                    &s.path,
                    format!(
                        "its task definition {} is not among the files; used fleetsim's default task (1 vCPU, 2 GiB, awsvpc)",
                        s.task_ref.as_deref().map_or(String::from("(none named)"), |r| format!("{r:?}"))
                    ),
                );
                (TaskSpec::default(), Vec::new())
            }
        };
        let mut placement = constraints;
        placement.extend(s.placement.iter().cloned());
        placement.truncate(crate::scenario::MAX_CONSTRAINTS as usize);
        let name = unique(&s.name, &scenario.services);
        scenario.services.push(ServiceSpec {
            name,
            desired_count: s.desired_count,
            task,
            placement_constraints: placement,
            availability_zone_rebalancing: s.rebalancing,
            deployment_configuration: s.deployment.clone(),
            ..ServiceSpec::default()
        });
    }
    for (t, used) in parts.task_defs.iter().zip(used) {
        if used {
            continue;
        }
        let name = unique(&t.family, &scenario.services);
        report.choice(
            &t.file,
            &t.path,
            format!(
                "no service runs this task definition; added service {name:?} with desiredCount 1"
            ),
        );
        scenario.services.push(ServiceSpec {
            name,
            desired_count: 1,
            task: t.task.clone(),
            placement_constraints: t.constraints.clone(),
            ..ServiceSpec::default()
        });
    }
    if scenario.services.len() > MAX_SERVICES as usize {
        return Err(ImportError::new(
            "",
            "services",
            format!(
                "{} services, at most {MAX_SERVICES}",
                scenario.services.len()
            ),
        ));
    }
    // The core's own check, so that what `import` prints is always a scenario `run` accepts.
    scenario.validate().map_err(|e| {
        let where_from =
            e.0.first()
                .and_then(|err| {
                    let i: usize = err
                        .path
                        .strip_prefix("services[")?
                        .split(']')
                        .next()?
                        .parse()
                        .ok()?;
                    let s = parts.services.get(i)?;
                    Some((s.file.clone(), s.path.clone()))
                })
                .unwrap_or_default();
        ImportError::new(
            &where_from.0,
            &where_from.1,
            format!("the imported scenario is refused: {e}"),
        )
    })?;
    Ok(scenario)
}
