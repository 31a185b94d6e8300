//! Events: every state change, with a structured reason the UI and CLI turn into a sentence
//! (see `explain`). Events are plain data, hashed for the determinism check.

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::scenario::{LifecycleStage, RebalancingUnavailable, Selection, Strategy};
use crate::time::SimTime;
use crate::world::{DrainCause, HostId, Owner, ServiceId, StopCause, TaskId, TaskState};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: SimTime,
    pub kind: EventKind,
}

/// Why a new instance of this type was launched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchWhy {
    /// Tasks in this AZ that had no room on existing capacity.
    pub pending_in_az: u32,
    /// Tasks this host was launched for.
    pub tasks: u32,
    pub rule: Selection,
    /// Right-sized from a larger type because the last host of the batch was partly empty.
    pub right_sized: bool,
    /// Price per hour incl. fee, µ$.
    pub price_per_hour: u64,
    /// The resource its tasks fill most.
    pub binding: Binding,
    /// µ$ per hour per unit of that resource (per vCPU, GiB or task ENI slot).
    pub per_unit: u64,
}

/// The resource that limits how many tasks a host holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Binding {
    Vcpu,
    Memory,
    /// awsvpc task ENIs (trunk slots with ENI trunking on).
    TaskSlots,
}

/// Why a task went to this host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceWhy {
    /// Tasks of the same service (or group) in the chosen AZ before this one.
    pub az_count: u32,
    /// The most any other eligible AZ had.
    pub other_az_max: u32,
    /// On a host launched for this batch rather than existing capacity.
    pub new_host: bool,
    /// The image was already cached on the host.
    pub cached: bool,
}

/// Why a task is waiting without a host.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingWhy {
    /// No instance type the capacity provider allows is large enough.
    NoTypeFits,
    /// Placement constraints rule out every AZ or allowed instance type.
    ConstraintUnsatisfiable,
    /// distinctInstance: every eligible host already runs a task of this service and no new one can
    /// launch.
    DistinctInstance,
    /// The capacity provider's instance quota is reached.
    LaunchQuota,
    /// Every AZ the task may use is impaired.
    NoHealthyAz,
}

/// Why a host was deregistered.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeregisterWhy {
    /// No tasks for `scaleInAfter`.
    Idle { idle_ms: u64 },
    /// Drain finished: every task replaced or stopped.
    Drained(DrainCause),
    /// A hard deadline: day 21 of the patch cycle, Spot reclaim, a failed host.
    Forced(DrainCause),
}

/// Why the optimiser left a host alone ("why wasn't this host removed?").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeepWhy {
    StandaloneTask,
    ProtectedTask(TaskId),
    WouldBreakAzSpread,
    WithinScaleInAfter { remaining_ms: u64 },
    NoCheaperTypeFits,
    TasksDoNotFitElsewhere,
    OptimisationOff,
    DeploymentInProgress,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateWhy {
    /// The service had fewer tasks than desired.
    BelowDesired {
        live: u32,
        desired: u32,
    },
    /// Start before stop: this task replaces one on a draining host.
    Replaces(TaskId),
    Standalone,
    /// AZ rebalancing starts it in the AZ with the fewest tasks.
    Rebalance,
    /// A deployment starts the new revision.
    Deployment,
}

/// Why one task took another's place.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplaceWhy {
    /// The old task's host is draining.
    HostDraining,
    /// AZ rebalancing moved the service's task to an AZ with fewer of them.
    Rebalance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    HostLaunched {
        host: HostId,
        az: u32,
        instance_type: u32,
        why: LaunchWhy,
    },
    HostRegistered {
        host: HostId,
    },
    HostDraining {
        host: HostId,
        cause: DrainCause,
    },
    /// A drain waits: the task is protected until the given time.
    DrainBlocked {
        host: HostId,
        task: TaskId,
        until: SimTime,
    },
    HostDeregistering {
        host: HostId,
        why: DeregisterWhy,
    },
    HostTerminated {
        host: HostId,
        billed_ms: u64,
        cost: u64,
    },
    HostKept {
        host: HostId,
        why: KeepWhy,
    },
    TaskCreated {
        task: TaskId,
        owner: Owner,
        revision: u32,
        why: CreateWhy,
    },
    TaskPlaced {
        task: TaskId,
        host: HostId,
        az: u32,
        why: PlaceWhy,
    },
    TaskUnplaced {
        task: TaskId,
        why: PendingWhy,
    },
    TaskState {
        task: TaskId,
        state: TaskState,
    },
    TaskHealthy {
        task: TaskId,
    },
    /// The load balancer's health checks failed (after the grace period): ECS replaces it.
    TaskUnhealthy {
        task: TaskId,
    },
    TaskStopping {
        task: TaskId,
        cause: StopCause,
    },
    TaskStopped {
        task: TaskId,
        cause: StopCause,
    },
    /// A replacement is on its host, so the move from `old` to `new` is visible. A drain's
    /// replacement is named when it is created (start before stop); AZ rebalancing starts its
    /// tasks first and pairs each stop with the earliest of them still unpaired.
    TaskReplaced {
        old: TaskId,
        new: TaskId,
        why: ReplaceWhy,
    },
    ServiceSteady {
        service: ServiceId,
    },
    /// Tasks keep failing to start: the scheduler waits before placing the next one.
    ServiceThrottled {
        service: ServiceId,
        failures: u32,
        until: SimTime,
    },
    DesiredChanged {
        service: ServiceId,
        from: u32,
        to: u32,
        by_autoscaling: bool,
    },
    RebalancingStarted {
        service: ServiceId,
        moves: u32,
    },
    RebalancingCompleted {
        service: ServiceId,
    },
    RebalancingStopped {
        service: ServiceId,
        why: KeepWhy,
    },
    /// The service is unevenly spread, but a precondition of AZ rebalancing is not met.
    RebalancingUnavailable {
        service: ServiceId,
        why: RebalancingUnavailable,
    },
    ImageReleased {
        version: u32,
    },
    AzImpaired {
        az: u32,
    },
    AzRecovered {
        az: u32,
    },
    DeploymentStarted {
        service: ServiceId,
        deployment: u32,
        strategy: Strategy,
        to_revision: u32,
    },
    DeploymentStage {
        service: ServiceId,
        deployment: u32,
        stage: LifecycleStage,
    },
    TrafficShifted {
        service: ServiceId,
        deployment: u32,
        production_green_bp: u32,
        test_green_bp: u32,
    },
    HookInvoked {
        service: ServiceId,
        deployment: u32,
        hook: u32,
        stage: LifecycleStage,
        invocation: u32,
    },
    HookResult {
        service: ServiceId,
        deployment: u32,
        hook: u32,
        stage: LifecycleStage,
        status: HookOutcome,
    },
    AlarmBreached {
        service: ServiceId,
        deployment: u32,
        alarm: u32,
        periods: u32,
        of: u32,
    },
    CircuitBreakerTripped {
        service: ServiceId,
        deployment: u32,
        failures: u32,
        threshold: u32,
    },
    /// The deployment failed and returns to the last completed revision.
    DeploymentRollingBack {
        service: ServiceId,
        deployment: u32,
        why: RollbackWhy,
    },
    DeploymentFinished {
        service: ServiceId,
        deployment: u32,
        status: DeploymentStatus,
        why: Option<RollbackWhy>,
    },
    /// The deployment would stop this task (of the revision it retires) but it has scale-in
    /// protection: it waits until the protection expires.
    DeploymentWaitsForProtection {
        service: ServiceId,
        deployment: u32,
        stage: Option<LifecycleStage>,
        task: TaskId,
        until: SimTime,
    },
    Command(Command),
    /// No task was created because `live` tasks reached the run-time cap (`MAX_LIVE_TASKS`);
    /// `owner` waits below its desired count until some stop.
    TaskLimitReached {
        owner: Owner,
        live: u32,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HookOutcome {
    AwaitingAction,
    InProgress,
    Succeeded,
    Failed,
    TimedOut,
}

/// Why a deployment failed (and rolled back or stopped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RollbackWhy {
    HookFailed {
        hook: u32,
        stage: LifecycleStage,
    },
    HookTimedOut {
        hook: u32,
        stage: LifecycleStage,
    },
    /// An operator answered a pause hook with ROLLBACK.
    HookRolledBack {
        hook: u32,
        stage: LifecycleStage,
    },
    Alarm {
        alarm: u32,
        periods: u32,
        of: u32,
    },
    CircuitBreaker {
        failures: u32,
        threshold: u32,
    },
    /// A lifecycle stage (or a linear step) ran past 24 h.
    StageTimeout {
        stage: LifecycleStage,
    },
    /// The whole deployment ran past 30 days.
    DeploymentTimeout,
    /// StopServiceDeployment (ROLLBACK or ABORT).
    Manual,
    /// A newer deployment of the service replaced this one.
    Superseded,
    /// A newer deployment replaced this one after all production traffic had moved (in
    /// BAKE_TIME or CLEAN_UP): traffic stays on its revision (an assumption: see `explain`).
    SupersededAfterProductionShift {
        stage: LifecycleStage,
    },
}

/// `ServiceDeploymentStatus` (the API's ServiceDeployment.status).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    Pending,
    InProgress,
    Successful,
    Stopped,
    StopRequested,
    RollbackRequested,
    RollbackInProgress,
    RollbackSuccessful,
    RollbackFailed,
}

impl DeploymentStatus {
    pub fn api_name(self) -> &'static str {
        match self {
            DeploymentStatus::Pending => "PENDING",
            DeploymentStatus::InProgress => "IN_PROGRESS",
            DeploymentStatus::Successful => "SUCCESSFUL",
            DeploymentStatus::Stopped => "STOPPED",
            DeploymentStatus::StopRequested => "STOP_REQUESTED",
            DeploymentStatus::RollbackRequested => "ROLLBACK_REQUESTED",
            DeploymentStatus::RollbackInProgress => "ROLLBACK_IN_PROGRESS",
            DeploymentStatus::RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
            DeploymentStatus::RollbackFailed => "ROLLBACK_FAILED",
        }
    }
    /// The deployment no longer changes.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            DeploymentStatus::Successful
                | DeploymentStatus::Stopped
                | DeploymentStatus::RollbackSuccessful
                | DeploymentStatus::RollbackFailed
        )
    }
}

impl HookOutcome {
    pub fn api_name(self) -> &'static str {
        match self {
            HookOutcome::AwaitingAction => "AWAITING_ACTION",
            HookOutcome::InProgress => "IN_PROGRESS",
            HookOutcome::Succeeded => "SUCCEEDED",
            HookOutcome::Failed => "FAILED",
            HookOutcome::TimedOut => "TIMED_OUT",
        }
    }
}

impl EventKind {
    /// A short machine name for filters and the JSONL `kind` field.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::HostLaunched { .. } => "host_launched",
            EventKind::HostRegistered { .. } => "host_registered",
            EventKind::HostDraining { .. } => "host_draining",
            EventKind::DrainBlocked { .. } => "drain_blocked",
            EventKind::HostDeregistering { .. } => "host_deregistering",
            EventKind::HostTerminated { .. } => "host_terminated",
            EventKind::HostKept { .. } => "host_kept",
            EventKind::TaskCreated { .. } => "task_created",
            EventKind::TaskPlaced { .. } => "task_placed",
            EventKind::TaskUnplaced { .. } => "task_unplaced",
            EventKind::TaskState { .. } => "task_state",
            EventKind::TaskHealthy { .. } => "task_healthy",
            EventKind::TaskUnhealthy { .. } => "task_unhealthy",
            EventKind::TaskStopping { .. } => "task_stopping",
            EventKind::TaskStopped { .. } => "task_stopped",
            EventKind::TaskReplaced { .. } => "task_replaced",
            EventKind::ServiceSteady { .. } => "service_steady",
            EventKind::ServiceThrottled { .. } => "service_throttled",
            EventKind::DesiredChanged { .. } => "desired_changed",
            EventKind::RebalancingStarted { .. } => "rebalancing_started",
            EventKind::RebalancingCompleted { .. } => "rebalancing_completed",
            EventKind::RebalancingStopped { .. } => "rebalancing_stopped",
            EventKind::RebalancingUnavailable { .. } => "rebalancing_unavailable",
            EventKind::ImageReleased { .. } => "image_released",
            EventKind::AzImpaired { .. } => "az_impaired",
            EventKind::AzRecovered { .. } => "az_recovered",
            EventKind::DeploymentStarted { .. } => "deployment_started",
            EventKind::DeploymentStage { .. } => "deployment_stage",
            EventKind::TrafficShifted { .. } => "traffic_shifted",
            EventKind::HookInvoked { .. } => "hook_invoked",
            EventKind::HookResult { .. } => "hook_result",
            EventKind::AlarmBreached { .. } => "alarm_breached",
            EventKind::CircuitBreakerTripped { .. } => "circuit_breaker_tripped",
            EventKind::DeploymentRollingBack { .. } => "deployment_rolling_back",
            EventKind::DeploymentFinished { .. } => "deployment_finished",
            EventKind::DeploymentWaitsForProtection { .. } => "deployment_waits_for_protection",
            EventKind::Command(_) => "command",
            EventKind::TaskLimitReached { .. } => "task_limit_reached",
        }
    }

    /// The broad group the event log filters by.
    pub fn category(&self) -> Category {
        match self {
            EventKind::HostLaunched { .. }
            | EventKind::HostRegistered { .. }
            | EventKind::HostDraining { .. }
            | EventKind::DrainBlocked { .. }
            | EventKind::HostDeregistering { .. }
            | EventKind::HostTerminated { .. }
            | EventKind::HostKept { .. }
            | EventKind::ImageReleased { .. }
            | EventKind::AzImpaired { .. }
            | EventKind::AzRecovered { .. } => Category::Host,
            EventKind::TaskCreated { .. }
            | EventKind::TaskPlaced { .. }
            | EventKind::TaskUnplaced { .. }
            | EventKind::TaskState { .. }
            | EventKind::TaskHealthy { .. }
            | EventKind::TaskUnhealthy { .. }
            | EventKind::TaskStopping { .. }
            | EventKind::TaskStopped { .. }
            | EventKind::TaskReplaced { .. }
            | EventKind::TaskLimitReached { .. } => Category::Task,
            EventKind::ServiceSteady { .. }
            | EventKind::ServiceThrottled { .. }
            | EventKind::DesiredChanged { .. }
            | EventKind::RebalancingStarted { .. }
            | EventKind::RebalancingCompleted { .. }
            | EventKind::RebalancingStopped { .. }
            | EventKind::RebalancingUnavailable { .. } => Category::Service,
            EventKind::DeploymentStarted { .. }
            | EventKind::DeploymentStage { .. }
            | EventKind::TrafficShifted { .. }
            | EventKind::HookInvoked { .. }
            | EventKind::HookResult { .. }
            | EventKind::AlarmBreached { .. }
            | EventKind::CircuitBreakerTripped { .. }
            | EventKind::DeploymentRollingBack { .. }
            | EventKind::DeploymentFinished { .. }
            | EventKind::DeploymentWaitsForProtection { .. } => Category::Deployment,
            EventKind::Command(_) => Category::Command,
        }
    }

    pub fn host(&self) -> Option<HostId> {
        match *self {
            EventKind::HostLaunched { host, .. }
            | EventKind::HostRegistered { host }
            | EventKind::HostDraining { host, .. }
            | EventKind::DrainBlocked { host, .. }
            | EventKind::HostDeregistering { host, .. }
            | EventKind::HostTerminated { host, .. }
            | EventKind::HostKept { host, .. }
            | EventKind::TaskPlaced { host, .. } => Some(host),
            _ => None,
        }
    }

    pub fn task(&self) -> Option<TaskId> {
        match *self {
            EventKind::DrainBlocked { task, .. }
            | EventKind::DeploymentWaitsForProtection { task, .. }
            | EventKind::TaskCreated { task, .. }
            | EventKind::TaskPlaced { task, .. }
            | EventKind::TaskUnplaced { task, .. }
            | EventKind::TaskState { task, .. }
            | EventKind::TaskHealthy { task }
            | EventKind::TaskUnhealthy { task }
            | EventKind::TaskStopping { task, .. }
            | EventKind::TaskStopped { task, .. }
            | EventKind::TaskReplaced { new: task, .. } => Some(task),
            _ => None,
        }
    }

    pub fn service(&self) -> Option<ServiceId> {
        match *self {
            EventKind::TaskCreated {
                owner: Owner::Service(s),
                ..
            }
            | EventKind::TaskLimitReached {
                owner: Owner::Service(s),
                ..
            } => Some(s),
            EventKind::ServiceSteady { service }
            | EventKind::DesiredChanged { service, .. }
            | EventKind::RebalancingStarted { service, .. }
            | EventKind::RebalancingCompleted { service }
            | EventKind::RebalancingStopped { service, .. }
            | EventKind::RebalancingUnavailable { service, .. }
            | EventKind::DeploymentStarted { service, .. }
            | EventKind::DeploymentStage { service, .. }
            | EventKind::TrafficShifted { service, .. }
            | EventKind::HookInvoked { service, .. }
            | EventKind::HookResult { service, .. }
            | EventKind::AlarmBreached { service, .. }
            | EventKind::CircuitBreakerTripped { service, .. }
            | EventKind::DeploymentRollingBack { service, .. }
            | EventKind::DeploymentFinished { service, .. }
            | EventKind::DeploymentWaitsForProtection { service, .. } => Some(service),
            _ => None,
        }
    }

    /// Routine task-state steps that a reader can hide without losing the story.
    pub fn is_routine(&self) -> bool {
        matches!(
            self,
            EventKind::TaskState { .. } | EventKind::TaskHealthy { .. }
        )
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Host,
    Task,
    Service,
    Deployment,
    Command,
}
