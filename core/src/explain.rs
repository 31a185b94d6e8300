//! Plain sentences for events: what happened and why, the way a workshop instructor would say
//! it. The CLI's event log and the web UI both use these.

use alloc::format;
use alloc::string::{String, ToString};

use crate::catalog::InstanceType;
use crate::event::{
    Binding, CreateWhy, DeploymentStatus, DeregisterWhy, Event, EventKind, KeepWhy, PendingWhy,
    ReplaceWhy, RollbackWhy,
};
use crate::money::Micros;
use crate::scenario::{LifecycleStage, Selection};
use crate::sim::{AzState, Sim};
use crate::time::{HOUR, MINUTE, SECOND};
use crate::world::{DrainCause, Owner, Revision, Service, StopCause};

/// Borrowed lookups that turn ids into names.
pub struct Names<'a> {
    azs: &'a [AzState],
    types: &'a [InstanceType],
    services: &'a [Service],
    groups: &'a [alloc::string::String],
    revisions: &'a [Revision],
    deploy: &'a crate::deploy::DeployState,
}

fn duration(ms: u64) -> String {
    if ms >= HOUR && ms % HOUR == 0 {
        format!("{} h", ms / HOUR)
    } else if ms >= MINUTE {
        format!("{} min", ms.div_ceil(MINUTE))
    } else {
        format!("{} s", ms.div_ceil(SECOND))
    }
}

impl<'a> Names<'a> {
    pub fn az(&self, az: u32) -> &'a str {
        self.azs.get(az as usize).map_or("?", |a| a.name.as_str())
    }
    pub fn instance_type(&self, t: u32) -> &'a str {
        self.types.get(t as usize).map_or("?", |t| t.name.as_str())
    }
    pub fn owner(&self, o: Owner) -> String {
        match o {
            Owner::Service(s) => format!("service {}", self.service(s.0)),
            Owner::Standalone(g) => format!(
                "standalone task group {}",
                self.groups.get(g as usize).map_or("?", |g| g.as_str())
            ),
        }
    }
    pub fn service(&self, s: u32) -> &'a str {
        self.services
            .get(s as usize)
            .map_or("?", |s| s.name.as_str())
    }
    pub fn revision(&self, r: u32) -> &'a str {
        self.revisions
            .get(r as usize)
            .map_or("?", |r| r.label.as_str())
    }

    fn hook(&self, deployment: u32, hook: u32) -> String {
        match self.deploy.hook_name(deployment, hook) {
            Some(n) => format!("hook {n}"),
            None => format!("hook #{hook}"),
        }
    }

    /// Why a deployment failed, e.g. "alarm p99-latency-green breached for 3 of 3 periods".
    pub fn rollback_why(&self, deployment: u32, w: &RollbackWhy) -> String {
        match *w {
            RollbackWhy::HookFailed { hook, stage } => {
                format!("{} failed on {}", self.hook(deployment, hook), stage.api_name())
            }
            RollbackWhy::HookTimedOut { hook, stage } => {
                format!("{} timed out on {}", self.hook(deployment, hook), stage.api_name())
            }
            RollbackWhy::HookRolledBack { hook, stage } => format!(
                "an operator answered pause {} on {} with ROLLBACK",
                self.hook(deployment, hook),
                stage.api_name()
            ),
            RollbackWhy::Alarm { alarm, periods, of } => format!(
                "alarm {} breached for {periods} of {of} periods",
                self.deploy.alarm_name(deployment, alarm).unwrap_or("?")
            ),
            RollbackWhy::CircuitBreaker { failures, threshold } => format!(
                "the deployment circuit breaker tripped ({failures} tasks failed to start or failed their health checks, threshold {threshold})"
            ),
            RollbackWhy::StageTimeout { stage } => format!("{} ran past its 24 h limit", stage.api_name()),
            RollbackWhy::DeploymentTimeout => "the deployment ran past its 30-day limit".to_string(),
            RollbackWhy::Manual => "stopped by an operator (StopServiceDeployment)".to_string(),
            RollbackWhy::Superseded => "a newer deployment of the service replaced it".to_string(),
            RollbackWhy::SupersededAfterProductionShift { stage } => format!(
                "a newer deployment replaced it in {}; production traffic stays on the new revision, which becomes the production revision, and the old revision's tasks are left to the newer deployment's RECONCILE_SERVICE (assumption: the AWS documentation does not say what happens to a deployment superseded after its production shift, so no traffic moves without its hooks)",
                stage.api_name()
            ),
        }
    }

    pub fn drain_cause(&self, c: &DrainCause) -> String {
        match *c {
            DrainCause::Operator => "an operator drained it".to_string(),
            DrainCause::MaintenanceEvent => {
                "a scheduled EC2 maintenance event; it is retired by force at the event's deadline (an illustrative scenario setting, faults.maintenanceEventDeadlineHours)".to_string()
            }
            DrainCause::HardwareDegraded => {
                "its hardware is degraded; it is retired by force after faults.degradedHostDeadlineHours (illustrative: AWS publishes no number)".to_string()
            }
            DrainCause::Patch { age_days, in_window: true } => {
                format!("patch cycle: {age_days} days old, draining inside a maintenance window")
            }
            DrainCause::Patch { age_days, in_window: false } => {
                format!("patch cycle: {age_days} days old (draining starts on day 14, forced deregistration by day 21)")
            }
            DrainCause::Underutilized => {
                "underutilised (busiest resource below capacityProvider.underutilizedBelowPercent, an illustrative threshold): its service tasks fit on other hosts in its AZ".to_string()
            }
            DrainCause::Downsize { to_type, saves_per_hour } => format!(
                "downsizing: its tasks fit a {}, saving {}/h",
                self.instance_type(to_type),
                Micros(saves_per_hour)
            ),
            DrainCause::SpotInterruption => "Spot interruption notice (2 minutes)".to_string(),
            DrainCause::AzImpaired => "its Availability Zone is impaired".to_string(),
        }
    }

    pub fn pending(&self, p: &PendingWhy) -> String {
        match p {
            PendingWhy::NoTypeFits => {
                "no instance type the capacity provider allows is large enough".to_string()
            }
            PendingWhy::ConstraintUnsatisfiable => {
                "its placement constraints rule out every allowed instance type or AZ".to_string()
            }
            PendingWhy::DistinctInstance => {
                "distinctInstance: every eligible host already runs a task of this service"
                    .to_string()
            }
            PendingWhy::LaunchQuota => {
                "the capacity provider's instance quota is reached".to_string()
            }
            PendingWhy::NoHealthyAz => "every Availability Zone it may use is impaired".to_string(),
        }
    }

    fn stop(&self, c: &StopCause) -> &'static str {
        match c {
            StopCause::ScaleIn => "the desired count fell (scale-in)",
            StopCause::HostDraining => {
                "its host is draining and its replacement is already healthy (start before stop)"
            }
            StopCause::HostDrainingNoRoom => {
                "its host is draining and maximumPercent left no room to start its replacement first, so it stopped before it (minimumHealthyPercent still kept)"
            }
            StopCause::PendingOnDrainingHost => "it had not started yet and its host is draining",
            StopCause::HostDeregistered => "its host was deregistered",
            StopCause::Rebalance => {
                "AZ rebalancing: its AZ had more tasks of the service than its share"
            }
            StopCause::Deployment => "the deployment replaced it",
            StopCause::UserInitiated => "a user stopped it",
            StopCause::HealthCheckFailed => "its load balancer's health checks failed",
            StopCause::FailedToStart => {
                "its essential container exited on start (TaskFailedToStart)"
            }
            StopCause::AzImpaired => "its Availability Zone became unreachable",
        }
    }

    pub fn keep(&self, k: &KeepWhy) -> String {
        match k {
            KeepWhy::StandaloneTask => {
                "it runs a standalone task (Managed Instances never moves those)".to_string()
            }
            KeepWhy::ProtectedTask(t) => format!("task {t} has scale-in protection"),
            KeepWhy::WouldBreakAzSpread => "removing it would break the AZ spread".to_string(),
            KeepWhy::WithinScaleInAfter { remaining_ms } => {
                format!(
                    "still inside scaleInAfter ({} left)",
                    duration(*remaining_ms)
                )
            }
            KeepWhy::NoCheaperTypeFits => "no cheaper instance type fits its tasks".to_string(),
            KeepWhy::TasksDoNotFitElsewhere => {
                "its tasks do not fit on the other hosts".to_string()
            }
            KeepWhy::OptimisationOff => {
                "infrastructure optimisation is off (scaleInAfter = -1)".to_string()
            }
            KeepWhy::DeploymentInProgress => "a deployment is in progress".to_string(),
        }
    }

    /// One sentence for an event.
    pub fn sentence(&self, e: &Event) -> String {
        match &e.kind {
            EventKind::HostLaunched { host, az, instance_type, why } => {
                let (unit, what) = match why.binding {
                    Binding::Vcpu => ("vCPU", "vCPU"),
                    Binding::Memory => ("GiB", "memory"),
                    Binding::TaskSlots => ("task ENI slot", "task ENI slots"),
                };
                let rule = match why.rule {
                    _ if why.right_sized => {
                        "right-sized: the cheapest type that holds these tasks".to_string()
                    }
                    Selection::LargestAtBestPrice => format!(
                        "the largest type within {} % of the best price for what these tasks use (the talk's rule)",
                        crate::placement::pack::LARGEST_WITHIN_PPM / 10_000
                    ),
                    Selection::LowestCost => {
                        "the best price for what these tasks use, whatever the size".to_string()
                    }
                    Selection::CheapestPerHost => {
                        "the cheapest single type for the batch (baseline rule)".to_string()
                    }
                };
                format!(
                    "Launched {} {host} in {} at {}/h for {} of the {} task{} pending there (no room on existing capacity): {} per {unit}, {what} fills first; {rule}.",
                    self.instance_type(*instance_type),
                    self.az(*az),
                    Micros(why.price_per_hour),
                    why.tasks,
                    why.pending_in_az,
                    if why.pending_in_az == 1 { "" } else { "s" },
                    Micros(why.per_unit),
                )
            }
            EventKind::HostRegistered { host } => format!("Host {host} registered and is ACTIVE."),
            EventKind::HostDraining { host, cause } => format!("Host {host} is DRAINING: {}.", self.drain_cause(cause)),
            EventKind::DrainBlocked { host, task, until } => format!(
                "Drain of {host} waits: task {task} has scale-in protection until {until}."
            ),
            EventKind::HostDeregistering { host, why } => match why {
                DeregisterWhy::Idle { idle_ms } => format!(
                    "Host {host} deregistered: idle for {} (scaleInAfter).",
                    duration(*idle_ms)
                ),
                DeregisterWhy::Drained(c) => format!("Host {host} drained ({}) and is deregistering.", self.drain_cause(c)),
                DeregisterWhy::Forced(c) => format!(
                    "Host {host} forcibly deregistered ({}); remaining tasks are stopped.",
                    self.drain_cause(c)
                ),
            },
            EventKind::HostTerminated { host, billed_ms, cost } => format!(
                "Host {host} terminated after {}; it cost {} in all.",
                duration(*billed_ms),
                Micros(*cost)
            ),
            EventKind::HostKept { host, why } => format!("Host {host} not removed: {}.", self.keep(why)),
            EventKind::TaskCreated { task, owner, revision, why } => {
                let why = match why {
                    CreateWhy::BelowDesired { live, desired } => format!("{live} of {desired} desired tasks"),
                    CreateWhy::Replaces(old) => format!("start before stop, replaces {old} on a draining host"),
                    CreateWhy::Standalone => "RunTask".to_string(),
                    CreateWhy::Rebalance => "AZ rebalancing".to_string(),
                    CreateWhy::Deployment => "the deployment starts the new revision".to_string(),
                };
                format!("Task {task} ({}, {}) created: {why}.", self.owner(*owner), self.revision(*revision))
            }
            EventKind::TaskPlaced { task, host, az, why } => {
                if why.new_host {
                    format!("Task {task} placed on new host {host} in {}.", self.az(*az))
                } else {
                    format!(
                        "Task {task} placed on {host} in {}: the AZ had the fewest tasks of its service ({} vs up to {}), and the host had room{}.",
                        self.az(*az),
                        why.az_count,
                        why.other_az_max,
                        if why.cached { " and the image cached" } else { "" }
                    )
                }
            }
            EventKind::TaskUnplaced { task, why } => format!("Task {task} stays PROVISIONING: {}.", self.pending(why)),
            EventKind::TaskState { task, state } => format!("Task {task} is {state}."),
            EventKind::TaskHealthy { task } => format!("Task {task} is healthy: its load balancer's health checks passed."),
            EventKind::TaskUnhealthy { task } => format!(
                "Task {task} failed its load balancer's health checks (unhealthyThresholdCount in a row, after healthCheckGracePeriodSeconds): ECS replaces it, and a deployment's circuit breaker counts it."
            ),
            EventKind::TaskStopping { task, cause } => format!("Task {task} stopping: {}.", self.stop(cause)),
            EventKind::TaskStopped { task, .. } => format!("Task {task} STOPPED."),
            EventKind::TaskReplaced { old, new, why } => {
                let why = match why {
                    ReplaceWhy::HostDraining => {
                        "its host is draining; start before stop: the old one stops once the new one is healthy"
                    }
                    ReplaceWhy::Rebalance => {
                        "AZ rebalancing: the new one runs in an AZ with fewer of the service's tasks"
                    }
                };
                format!("Task {new} replaces task {old} ({why}).")
            }
            EventKind::ServiceSteady { service } => {
                format!("Service {} reached a steady state.", self.service(service.0))
            }
            EventKind::ServiceThrottled { service, failures, until } => format!(
                "Service {} is unable to consistently start tasks ({failures} failed in a row): \
                 the next one is placed at {until} (service throttle; the waits are an \
                 assumption, AWS publishes none).",
                self.service(service.0)
            ),
            EventKind::DesiredChanged { service, from, to, by_autoscaling } => format!(
                "Service {} desired count {from} → {to}{}.",
                self.service(service.0),
                if *by_autoscaling { " (target-tracking auto scaling)" } else { "" }
            ),
            EventKind::RebalancingStarted { service, moves } => format!(
                "SERVICE_REBALANCING_STARTED: {} moves {moves} task{} toward an even AZ spread.",
                self.service(service.0),
                if *moves == 1 { "" } else { "s" }
            ),
            EventKind::RebalancingCompleted { service } => {
                format!("SERVICE_REBALANCING_COMPLETED: {} is evenly spread.", self.service(service.0))
            }
            EventKind::RebalancingStopped { service, why } => format!(
                "SERVICE_REBALANCING_STOPPED: {}: {}.",
                self.service(service.0),
                self.keep(why)
            ),
            EventKind::RebalancingUnavailable { service, why } => format!(
                "AZ rebalancing skipped: {} is unevenly spread over the Availability Zones, but ECS does not rebalance a service when {}.",
                self.service(service.0),
                why.reason()
            ),
            EventKind::ImageReleased { version } => format!("A new host image (v{version}) was released."),
            EventKind::AzImpaired { az } => format!("Availability Zone {} is impaired.", self.az(*az)),
            EventKind::AzRecovered { az } => format!("Availability Zone {} recovered.", self.az(*az)),
            EventKind::DeploymentStarted { service, strategy, to_revision, .. } => format!(
                "{} deployment of {} to {} started.",
                strategy.api_name(),
                self.service(service.0),
                self.revision(*to_revision)
            ),
            EventKind::DeploymentStage { service, stage, .. } => {
                format!("{}: lifecycle stage {}: {}.", self.service(service.0), stage.api_name(), stage_meaning(*stage))
            }
            EventKind::TrafficShifted { service, production_green_bp, test_green_bp, .. } => format!(
                "{}: production traffic {}% green / {}% blue; test traffic {}% green.",
                self.service(service.0),
                pct(*production_green_bp),
                pct(10_000 - production_green_bp.min(&10_000)),
                pct(*test_green_bp)
            ),
            EventKind::HookInvoked { service, deployment, hook, stage, invocation } => format!(
                "{}: {} invoked on {} (invocation {invocation}).",
                self.service(service.0),
                self.hook(*deployment, *hook),
                stage.api_name()
            ),
            EventKind::HookResult { service, deployment, hook, stage, status } => format!(
                "{}: {} on {} returned {}.",
                self.service(service.0),
                self.hook(*deployment, *hook),
                stage.api_name(),
                status.api_name()
            ),
            EventKind::AlarmBreached { service, deployment, alarm, periods, of } => format!(
                "{}: alarm {} is in ALARM: breached for {periods} of {of} periods.",
                self.service(service.0),
                self.deploy.alarm_name(*deployment, *alarm).unwrap_or("?")
            ),
            EventKind::CircuitBreakerTripped { service, failures, threshold, .. } => format!(
                "{}: deployment circuit breaker tripped ({failures} tasks failed to start or failed their health checks, threshold {threshold}).",
                self.service(service.0)
            ),
            EventKind::DeploymentRollingBack { service, deployment, why } => format!(
                "{}: rolling back to the last completed revision: {}.",
                self.service(service.0),
                self.rollback_why(*deployment, why)
            ),
            EventKind::DeploymentFinished { service, deployment, status, why } => {
                let svc = self.service(service.0);
                match (status, why) {
                    (DeploymentStatus::Successful, _) => format!("{svc}: deployment SUCCESSFUL; the new revision is in production."),
                    (DeploymentStatus::RollbackSuccessful, Some(w)) => {
                        format!("{svc}: rolled back ({}): {}.", status.api_name(), self.rollback_why(*deployment, w))
                    }
                    (DeploymentStatus::RollbackFailed, Some(w)) => format!(
                        "{svc}: deployment {}: {}; the rollback did not finish within the 24 h stage \
                         limit, so traffic stays on blue and green's tasks are left for the next \
                         deployment's RECONCILE_SERVICE (our assumption: AWS does not say what a \
                         failed rollback leaves running).",
                        status.api_name(),
                        self.rollback_why(*deployment, w)
                    ),
                    (_, Some(w)) => format!("{svc}: deployment {}: {}.", status.api_name(), self.rollback_why(*deployment, w)),
                    (_, None) => format!("{svc}: deployment {}.", status.api_name()),
                }
            }
            EventKind::DeploymentWaitsForProtection { service, stage, task, until, .. } => format!(
                "{}: the deployment{} waits: task {task} of the revision it retires has scale-in protection until {until} (protection holds against deployments too; assumption: the wait does not count against the 24 h stage limit, since protection may last 48 h).",
                self.service(service.0),
                stage.map(|s| format!(" ({})", s.api_name())).unwrap_or_default()
            ),
            EventKind::Command(c) => format!("Command: {}.", serde_json::to_string(c).unwrap_or_default()),
            EventKind::TaskLimitReached { owner, live } => format!(
                "{} waits for a new task: {live} tasks are live, the most the cluster runs at once \
                 (twice its {} task limit, for deployments and drains to start replacements).",
                self.owner(*owner),
                crate::scenario::MAX_TASKS
            ),
        }
    }
}

/// What is true during a lifecycle stage ("Amazon ECS blue/green service deployments workflow",
/// paraphrased).
fn stage_meaning(s: LifecycleStage) -> &'static str {
    match s {
        LifecycleStage::ReconcileService => {
            "another revision is still active, so the service is tidied first (our assumption, \
             AWS does not say how: healthy tasks of other revisions stop only as far as \
             minimumHealthyPercent allows, and green tasks an earlier deployment left are kept \
             for SCALE_UP)"
        }
        LifecycleStage::PreScaleUp => "green not started; blue has all production traffic",
        LifecycleStage::ScaleUp => {
            "green scales to 100 % of the desired count, serving no traffic yet"
        }
        LifecycleStage::PostScaleUp => {
            "green is up and healthy; blue still has all production traffic"
        }
        LifecycleStage::TestTrafficShift => "test traffic moves to green",
        LifecycleStage::PostTestTrafficShift => "green has all test traffic",
        LifecycleStage::PreProductionTrafficShift => "before the next production traffic shift",
        LifecycleStage::ProductionTrafficShift => "production traffic moves to green",
        LifecycleStage::PostProductionTrafficShift => "the production shift is complete",
        LifecycleStage::BakeTime => "blue and green both run while the new revision bakes",
        LifecycleStage::CleanUp => {
            "the revision leaving scales to 0 once the one staying runs healthy at the desired \
             count, and green becomes the production revision (waiting for that count is our \
             assumption: AWS does not say what CLEAN_UP does with a task lost during the bake; \
             still waiting at the 24 h stage limit, the deployment fails)"
        }
    }
}

fn pct(bp: u32) -> String {
    if bp % 100 == 0 {
        format!("{}", bp / 100)
    } else {
        format!("{}.{:02}", bp / 100, bp % 100)
            .trim_end_matches('0')
            .to_string()
    }
}

impl Sim {
    pub fn names(&self) -> Names<'_> {
        Names {
            azs: &self.azs,
            types: &self.catalog,
            services: &self.services,
            groups: &self.groups,
            revisions: &self.revisions,
            deploy: &self.deploy,
        }
    }

    pub fn describe(&self, e: &Event) -> String {
        self.names().sentence(e)
    }
}

/// A command as a lesson's narrative says it: "host i-001 is drained".
pub fn command_sentence(c: &crate::command::Command) -> String {
    use crate::command::Command as C;
    use crate::world::{HostId, TaskId};
    match c {
        C::SetDesiredCount { service, count } => {
            format!("{service}'s desired count is set to {count}")
        }
        C::RunTask { group, count } => format!("{count} more tasks of {group} run"),
        C::StopTask { task } => format!("task {} is stopped", TaskId(*task)),
        C::ProtectTask { task, minutes } => match minutes {
            Some(0) => format!("task {}'s scale-in protection is cleared", TaskId(*task)),
            Some(m) => format!("task {} is protected for {m} min", TaskId(*task)),
            None => format!("task {} is protected for 120 min", TaskId(*task)),
        },
        C::DrainHost { host } => format!("host {} is drained", HostId(*host)),
        C::MaintenanceEvent { host } => {
            format!("host {} gets a scheduled maintenance event", HostId(*host))
        }
        C::DegradeHost { host } => format!("host {}'s hardware degrades", HostId(*host)),
        C::InterruptSpot { host } => format!("Spot host {} is interrupted", HostId(*host)),
        C::ImpairAz { az } => format!("{az} is impaired"),
        C::RecoverAz { az } => format!("{az} recovers"),
        C::StartDeployment {
            service, revision, ..
        } => format!("a deployment of {service} to {revision} starts"),
        C::StopDeployment { service, rollback } => format!(
            "{service}'s deployment is stopped ({})",
            if *rollback { "rollback" } else { "abort" }
        ),
        C::ContinueHook { service, hook, .. } => {
            format!("{service}'s pause hook {hook} is continued")
        }
    }
}
