//! Task definitions and how much of a host a task reserves.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    /// One ENI per task (the Managed Instances default).
    #[default]
    Awsvpc,
    Host,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerSpec {
    pub name: String,
    /// CPU units (1024 = 1 vCPU).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Hard memory limit, MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    /// Soft memory reservation, MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
}

/// In JSON a task is [`TaskSpecJson`], which tells a task-level size left out from one
/// written as `null`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "TaskSpecJson", into = "TaskSpecJson")]
pub struct TaskSpec {
    /// Task-level CPU units (1024 = 1 vCPU).
    pub cpu: Option<u32>,
    /// Task-level memory, MiB.
    pub memory: Option<u32>,
    pub containers: Vec<ContainerSpec>,
    pub network_mode: NetworkMode,
    /// Container stop timeout (SIGTERM → SIGKILL). Documented default 30 s.
    pub stop_timeout_seconds: u32,
}

impl Default for TaskSpec {
    fn default() -> Self {
        TaskSpec {
            cpu: Some(1024),
            memory: Some(2048),
            containers: Vec::new(),
            network_mode: NetworkMode::Awsvpc,
            stop_timeout_seconds: 30,
        }
    }
}

/// The JSON form of [`TaskSpec`]. A task definition may leave out its task-level `cpu` and
/// `memory` and be sized by its containers ("Memory management on Amazon ECS Managed
/// Instances", "Task definition parameters for Managed Instances"), so a field left out means
/// "sized by the containers" when there are containers, and the 1 vCPU / 2 GB default when there
/// are none. `null` always means "not set", which keeps a task with neither (an editor's half-typed
/// state) as it was.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct TaskSpecJson {
    #[serde(deserialize_with = "written", skip_serializing_if = "Option::is_none")]
    cpu: Option<Option<u32>>,
    #[serde(deserialize_with = "written", skip_serializing_if = "Option::is_none")]
    memory: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    containers: Vec<ContainerSpec>,
    network_mode: NetworkMode,
    stop_timeout_seconds: u32,
}

/// A field that is present: `null` → `Some(None)`; a missing one stays `None` (serde default).
fn written<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

impl Default for TaskSpecJson {
    fn default() -> Self {
        let t = TaskSpec::default();
        TaskSpecJson {
            cpu: None,
            memory: None,
            containers: t.containers,
            network_mode: t.network_mode,
            stop_timeout_seconds: t.stop_timeout_seconds,
        }
    }
}

impl From<TaskSpecJson> for TaskSpec {
    fn from(j: TaskSpecJson) -> TaskSpec {
        let d = TaskSpec::default();
        let by_containers = !j.containers.is_empty();
        let field = |v: Option<Option<u32>>, default: Option<u32>| match v {
            Some(written) => written,
            None if by_containers => None,
            None => default,
        };
        TaskSpec {
            cpu: field(j.cpu, d.cpu),
            memory: field(j.memory, d.memory),
            containers: j.containers,
            network_mode: j.network_mode,
            stop_timeout_seconds: j.stop_timeout_seconds,
        }
    }
}

impl From<TaskSpec> for TaskSpecJson {
    fn from(t: TaskSpec) -> TaskSpecJson {
        let by_containers = !t.containers.is_empty();
        // Left out when reading it back gives the same value; `null` otherwise.
        let field = |v: Option<u32>| match v {
            Some(v) => Some(Some(v)),
            None if by_containers => None,
            None => Some(None),
        };
        TaskSpecJson {
            cpu: field(t.cpu),
            memory: field(t.memory),
            containers: t.containers,
            network_mode: t.network_mode,
            stop_timeout_seconds: t.stop_timeout_seconds,
        }
    }
}

/// What a task reserves on a host.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct TaskSize {
    /// CPU units.
    pub cpu: u32,
    /// MiB.
    pub memory: u32,
}

impl TaskSpec {
    pub fn with_size(cpu: u32, memory: u32) -> TaskSpec {
        TaskSpec {
            cpu: Some(cpu),
            memory: Some(memory),
            ..TaskSpec::default()
        }
    }

    /// The documented Managed Instances memory rule ("Task definition parameters for Managed
    /// Instances"): task-level `memory` if set and > 0, else Σ containers' `memoryReservation`,
    /// falling back per container to its `memory`. CPU follows the same rule with task `cpu`, else
    /// Σ container `cpu` — our assumption, since AWS documents only the memory rule.
    pub fn size(&self) -> TaskSize {
        let memory = match self.memory {
            Some(m) if m > 0 => m,
            _ => self
                .containers
                .iter()
                .map(|c| c.memory_reservation.or(c.memory).unwrap_or(0))
                .fold(0u32, u32::saturating_add),
        };
        let cpu = match self.cpu {
            Some(c) if c > 0 => c,
            _ => self
                .containers
                .iter()
                .map(|c| c.cpu.unwrap_or(0))
                .fold(0u32, u32::saturating_add),
        };
        TaskSize { cpu, memory }
    }

    pub fn uses_eni(&self) -> bool {
        self.network_mode == NetworkMode::Awsvpc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(memory: Option<u32>, reservation: Option<u32>) -> ContainerSpec {
        ContainerSpec {
            name: String::from("c"),
            cpu: Some(256),
            memory,
            memory_reservation: reservation,
        }
    }

    #[test]
    fn documented_memory_example() {
        // AWS "Task definition parameters", memory and memoryReservation: {memory 1024, reservation 512} + {memory 512} → 1024 MiB.
        let t = TaskSpec {
            cpu: None,
            memory: None,
            containers: alloc::vec![container(Some(1024), Some(512)), container(Some(512), None)],
            ..TaskSpec::default()
        };
        assert_eq!(
            t.size(),
            TaskSize {
                cpu: 512,
                memory: 1024
            }
        );
    }

    #[test]
    fn task_level_values_win() {
        let t = TaskSpec {
            cpu: Some(2048),
            memory: Some(4096),
            containers: alloc::vec![container(Some(1024), Some(512))],
            ..TaskSpec::default()
        };
        assert_eq!(
            t.size(),
            TaskSize {
                cpu: 2048,
                memory: 4096
            }
        );
    }

    #[test]
    fn an_unset_size_without_containers_reads_back_unset() {
        // An editor's half-typed task: neither a task-level CPU nor containers. It is invalid,
        // but saving and reopening it must not turn it into 1 vCPU.
        let t = TaskSpec {
            cpu: None,
            ..TaskSpec::default()
        };
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(
            serde_json::from_str::<TaskSpec>(&text).unwrap(),
            t,
            "{text}"
        );
        let d: TaskSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(d, TaskSpec::default());
    }

    #[test]
    fn zero_task_memory_falls_back_to_containers() {
        let t = TaskSpec {
            cpu: Some(0),
            memory: Some(0),
            containers: alloc::vec![container(Some(300), None), container(None, Some(200))],
            ..TaskSpec::default()
        };
        assert_eq!(
            t.size(),
            TaskSize {
                cpu: 512,
                memory: 500
            }
        );
    }
}
