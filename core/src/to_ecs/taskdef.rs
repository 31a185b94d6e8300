//! A service's task → the RegisterTaskDefinition input (the reverse of `import/taskdef.rs`).

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::names::valid;
use super::{Shape, EXECUTION_ROLE, IMAGE};
use crate::scenario::{ContainerSpec, NetworkMode, ServiceSpec};

/// The importer reads a container's `stopTimeout` up to 120 s, ECS's limit.
const MAX_STOP_TIMEOUT: u32 = 120;

pub fn task_definition(
    sv: &ServiceSpec,
    family: &str,
    shape: &mut impl Shape,
    file: &str,
    notes: &mut Vec<String>,
) -> Value {
    let t = &sv.task;
    let mut td = Map::new();
    td.insert("family".into(), Value::String(family.into()));
    // ECS takes task-level sizes as strings ("1024"); the importer reads both.
    if let Some(c) = t.cpu {
        td.insert("cpu".into(), Value::String(alloc::format!("{c}")));
    }
    if let Some(m) = t.memory {
        td.insert("memory".into(), Value::String(alloc::format!("{m}")));
    }
    td.insert(
        "networkMode".into(),
        Value::String(
            match t.network_mode {
                NetworkMode::Awsvpc => "awsvpc",
                NetworkMode::Host => "host",
            }
            .into(),
        ),
    );
    td.insert(
        "requiresCompatibilities".into(),
        json!(["MANAGED_INSTANCES"]),
    );
    td.insert(
        "executionRoleArn".into(),
        shape.placeholder(EXECUTION_ROLE, file, "executionRoleArn"),
    );
    let stop = t.stop_timeout_seconds.min(MAX_STOP_TIMEOUT);
    if stop != t.stop_timeout_seconds {
        notes.push(alloc::format!(
            "services {family:?} task.stopTimeoutSeconds {} (a container's stopTimeout is at most {MAX_STOP_TIMEOUT}; exported as {stop})",
            t.stop_timeout_seconds
        ));
    }
    // ECS needs at least one container; a task sized only at task level gets one that
    // carries no size of its own, so the task's size is unchanged.
    let mut containers = Vec::new();
    let specs: Vec<ContainerSpec> = if t.containers.is_empty() {
        alloc::vec![ContainerSpec {
            name: String::from("app"),
            ..ContainerSpec::default()
        }]
    } else {
        t.containers
            .iter()
            .enumerate()
            .map(|(i, c)| ContainerSpec {
                name: if valid(&c.name) {
                    c.name.clone()
                } else {
                    let to = alloc::format!("container-{}", i + 1);
                    notes.push(alloc::format!(
                        "services {family:?} task.containers[{i}].name {:?} (ECS names are letters, digits, - and _; exported as {to:?})",
                        c.name
                    ));
                    to
                },
                ..c.clone()
            })
            .collect()
    };
    for (i, spec) in specs.into_iter().enumerate() {
        let (name, cpu, memory, reservation) =
            (spec.name, spec.cpu, spec.memory, spec.memory_reservation);
        let mut c = Map::new();
        c.insert("name".into(), Value::String(name));
        c.insert(
            "image".into(),
            shape.placeholder(
                IMAGE,
                file,
                &alloc::format!("containerDefinitions[{i}].image"),
            ),
        );
        c.insert("essential".into(), Value::Bool(true));
        if let Some(v) = cpu {
            c.insert("cpu".into(), json!(v));
        }
        if let Some(v) = memory {
            c.insert("memory".into(), json!(v));
        }
        if let Some(v) = reservation {
            c.insert("memoryReservation".into(), json!(v));
        }
        if stop > 0 {
            c.insert("stopTimeout".into(), json!(stop));
        }
        containers.push(Value::Object(c));
    }
    td.insert("containerDefinitions".into(), Value::Array(containers));
    Value::Object(td)
}
