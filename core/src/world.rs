//! The state of the world: hosts (container instances), tasks, services and revisions.
//! Only `u32`/`u64` and ordered collections, so state is identical on 32- and 64-bit targets.

use alloc::collections::BTreeSet;
use alloc::string::String;
use core::fmt;
use serde::{Deserialize, Serialize};

use crate::scenario::{CapacityOptionType, TaskSize};
use crate::time::SimTime;

macro_rules! id {
    ($name:ident, $prefix:literal) => {
        #[derive(
            Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{:03x}"), self.0)
            }
        }
    };
}

id!(HostId, "i-");
id!(TaskId, "t-");

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceId(pub u32);

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HostStatus {
    Registering,
    Active,
    Draining,
    Deregistering,
}

impl fmt::Display for HostStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HostStatus::Registering => "REGISTERING",
            HostStatus::Active => "ACTIVE",
            HostStatus::Draining => "DRAINING",
            HostStatus::Deregistering => "DEREGISTERING",
        })
    }
}

/// Task last status (the API's Task.lastStatus).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Stopped,
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskState::Provisioning => "PROVISIONING",
            TaskState::Pending => "PENDING",
            TaskState::Activating => "ACTIVATING",
            TaskState::Running => "RUNNING",
            TaskState::Deactivating => "DEACTIVATING",
            TaskState::Stopping => "STOPPING",
            TaskState::Stopped => "STOPPED",
        })
    }
}

/// Who manages a task: a service, or nobody (RunTask, grouped by `group`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Owner {
    Service(ServiceId),
    Standalone(u32),
}

/// CPU units, MiB and task ENIs.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Res {
    pub cpu: u32,
    pub memory: u32,
    pub enis: u32,
}

impl Res {
    pub fn of(size: TaskSize, eni: bool) -> Res {
        Res {
            cpu: size.cpu,
            memory: size.memory,
            enis: u32::from(eni),
        }
    }
    pub fn fits_in(&self, free: &Res) -> bool {
        self.cpu <= free.cpu && self.memory <= free.memory && self.enis <= free.enis
    }
    /// Saturating: sums over many hosts or tasks (free room of a fleet, a batch's demand) can
    /// pass `u32` within the limits (2,000 hosts of 32 TiB), and only compare with one host's.
    pub fn plus(&self, o: &Res) -> Res {
        Res {
            cpu: self.cpu.saturating_add(o.cpu),
            memory: self.memory.saturating_add(o.memory),
            enis: self.enis.saturating_add(o.enis),
        }
    }
    pub fn minus(&self, o: &Res) -> Res {
        Res {
            cpu: self.cpu.saturating_sub(o.cpu),
            memory: self.memory.saturating_sub(o.memory),
            enis: self.enis.saturating_sub(o.enis),
        }
    }
}

/// Why a host is draining; the same drain path serves every cause.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DrainCause {
    Operator,
    MaintenanceEvent,
    HardwareDegraded,
    Patch { age_days: u32, in_window: bool },
    Underutilized,
    Downsize { to_type: u32, saves_per_hour: u64 },
    SpotInterruption,
    AzImpaired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    pub id: HostId,
    /// Index into the sim's catalog.
    pub instance_type: u32,
    pub az: u32,
    pub status: HostStatus,
    pub launched_at: SimTime,
    pub registered_at: Option<SimTime>,
    pub image_version: u32,
    pub capacity_option: CapacityOptionType,
    pub capacity: Res,
    pub used: Res,
    pub tasks: BTreeSet<TaskId>,
    /// Revisions whose image this host has pulled (a cached start is faster).
    pub cached: BTreeSet<u32>,
    pub drain: Option<DrainCause>,
    pub drain_since: Option<SimTime>,
    /// Bumped to cancel pending idle/underutilisation timers.
    pub timer_gen: u32,
    /// The underutilisation check last queued: (due, generation).
    #[serde(default)]
    pub check_queued: Option<(SimTime, u32)>,
    /// Set while its AZ is impaired: no placement, tasks replaced elsewhere.
    pub unreachable: bool,
}

impl Host {
    pub fn free(&self) -> Res {
        self.capacity.minus(&self.used)
    }
    /// New tasks may go here (including hosts still registering, whose capacity is on its way).
    pub fn accepts_tasks(&self) -> bool {
        matches!(self.status, HostStatus::Registering | HostStatus::Active) && !self.unreachable
    }
    pub fn age_ms(&self, now: SimTime) -> u64 {
        now.since(self.launched_at)
    }
    pub fn spot(&self) -> bool {
        self.capacity_option == crate::scenario::CapacityOptionType::Spot
    }
    /// Draining, deregistering or unreachable: its tasks are on their way elsewhere.
    pub fn leaving(&self) -> bool {
        matches!(
            self.status,
            HostStatus::Draining | HostStatus::Deregistering
        ) || self.unreachable
    }
}

/// Why a task was stopped; becomes the ECS stop code plus a sentence.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StopCause {
    /// Desired count fell (scale-in by the user or auto scaling).
    ScaleIn,
    /// Replaced because its host is draining; its replacement is already healthy.
    HostDraining,
    /// Its host is draining and maximumPercent left no room to start its replacement first:
    /// stopped before the replacement, as far as minimumHealthyPercent allows.
    HostDrainingNoRoom,
    /// Not yet running on a draining host: stopped at once.
    PendingOnDrainingHost,
    /// The host was deregistered at a hard deadline (day 21, Spot reclaim, failure).
    HostDeregistered,
    /// AZ rebalancing moved it to an AZ with fewer tasks of its service.
    Rebalance,
    /// A deployment replaced it with the new revision, or scaled a revision down.
    Deployment,
    UserInitiated,
    /// The container exited on start (a faulty revision).
    FailedToStart,
    /// Its AZ became unreachable.
    AzImpaired,
    /// Its load balancer's health checks failed after it was RUNNING.
    HealthCheckFailed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub owner: Owner,
    /// Index into the sim's revisions.
    pub revision: u32,
    pub need: Res,
    pub state: TaskState,
    pub host: Option<HostId>,
    pub created_at: SimTime,
    pub running_since: Option<SimTime>,
    pub healthy: bool,
    pub protected_until: Option<SimTime>,
    /// Set once the scheduler decided to stop it (desired status STOPPED).
    pub stopping: Option<StopCause>,
    /// Bumped to cancel this task's pending lifecycle timer.
    pub timer_gen: u32,
    pub stop_timeout_ms: u64,
    pub billed_since: Option<SimTime>,
    /// The task on a draining host this one replaces, until it is placed.
    #[serde(default)]
    pub replaces: Option<TaskId>,
}

impl Task {
    pub fn live(&self) -> bool {
        self.stopping.is_none()
    }
    pub fn is_protected(&self, now: SimTime) -> bool {
        self.protected_until.is_some_and(|t| t > now)
    }
    pub fn service(&self) -> Option<ServiceId> {
        match self.owner {
            Owner::Service(s) => Some(s),
            Owner::Standalone(_) => None,
        }
    }
}

/// A task-definition revision of a service or standalone group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// "web:2"
    pub label: String,
    pub owner: Owner,
    pub need: Res,
    pub stop_timeout_ms: u64,
    pub error_rate_bp: u32,
    pub p99_latency_ms: u32,
    pub fails_to_start: bool,
    /// Fails its load balancer's health checks this long after RUNNING.
    pub unhealthy_after_ms: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    /// Index into `scenario.services`.
    pub spec: u32,
    pub desired: u32,
    /// The revision in production.
    pub revision: u32,
    pub rebalancing: bool,
    /// Steady state: desired tasks of the production revision are running and healthy.
    pub steady: bool,
    /// Tasks in a row that failed to start (reset by a healthy task): the service throttle.
    pub failed_starts: u32,
    /// No task of the service is placed before then (the throttle's back-off).
    pub throttled_until: Option<SimTime>,
}
