//! Fleet lifecycle ("Balancing an Amazon ECS service across Availability Zones", "Amazon ECS
//! Managed Instances infrastructure optimization", "Patching in Amazon ECS Managed Instances"):
//! idle-host scale-in, consolidation and downsizing, AZ rebalancing, the patch cycle, maintenance
//! events and faults, auto scaling.
//!
//! The drain itself (start-before-stop within min/max percent) is the service scheduler's job
//! (`scheduler::reconcile_revision`); this module decides *when* a host drains, when it is
//! forcibly deregistered, and records why it decided not to act.

mod autoscale;
mod consolidation;
mod drain;
mod faults;
mod patch;
mod rebalance;

pub use autoscale::{diurnal_rps, LoadNow};
pub use patch::{
    window_spans, PatchBar, PatchPlan, PatchStage, DRAIN_FROM_DAYS, FORCED_AT_DAYS,
    STOP_MARGIN_FLOOR_MS, TALK_LIMIT_DAYS,
};

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::{Command, CommandError};
use crate::event::KeepWhy;
use crate::queue::Timer;
use crate::scenario::fields::PROTECTION_MINUTES;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{DrainCause, Host, HostId, ServiceId, TaskId};

/// `expiresInMinutes` when a protect request gives none ("Task scale-in protection": 120).
pub const DEFAULT_PROTECTION_MINUTES: u32 = PROTECTION_MINUTES.default_u32();

/// Target-tracking state of one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scaling {
    /// Requests per second in the last minute (noise included).
    pub rps: u32,
    pub last_scale_out: Option<SimTime>,
    pub last_scale_in: Option<SimTime>,
    /// Consecutive minutes above (below) target, and the smallest (largest) count wanted in
    /// that run: target tracking's alarms need 3 datapoints to scale out and 15 to scale in.
    pub out_streak: u32,
    pub out_want: u32,
    pub in_streak: u32,
    pub in_want: u32,
}

/// A rebalance in progress: `extra` tasks started above desired, not yet matched by a stop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebalance {
    pub extra: u32,
    /// The desired count it was planned for; a change ends it.
    pub desired: u32,
    /// Start/stop rounds so far (bounded).
    pub rounds: u32,
    /// This round's started tasks not yet paired with a stop, oldest first.
    #[serde(default)]
    pub started: Vec<TaskId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleState {
    /// Drain-blocked reports already made, so a blocked drain is told once per protection.
    pub reported_blocks: BTreeSet<(HostId, TaskId, SimTime)>,
    /// The last "not removed because…" told per host; told again only when it changes.
    pub kept: BTreeMap<HostId, KeepWhy>,
    /// Hard deadlines other than the patch cycle's (Spot notice, maintenance, degradation).
    pub deadlines: BTreeMap<HostId, (SimTime, DrainCause)>,
    /// Hosts drained by consolidation or downsizing, with their AZ: one in flight per AZ, so
    /// two checks never count on the same free capacity.
    pub consolidating: BTreeMap<HostId, u32>,
    /// When each host's tasks last changed (a sweep respects `scaleInAfter` from then).
    pub changed_at: BTreeMap<HostId, SimTime>,
    /// Per AZ, when a task stop there next makes us look for a host to consolidate: room freed
    /// on one host can make another one's tasks fit.
    pub sweep_at: BTreeMap<u32, SimTime>,
    pub rebalancing: BTreeMap<ServiceId, Rebalance>,
    /// Services whose AZ spread is worth checking: just reached steady state, or an AZ came back.
    pub check_balance: BTreeSet<ServiceId>,
    pub scaling: BTreeMap<ServiceId, Scaling>,
    pub next_image_release: SimTime,
}

impl Sim {
    pub(crate) fn lifecycle_start(&mut self) {
        let every =
            u64::from(self.scenario.patching.image_release_interval_days) * crate::time::DAY;
        self.lifecycle.next_image_release = SimTime(every);
    }

    /// Once a simulated minute: load and auto scaling, image releases, random faults (hourly).
    pub(crate) fn minute(&mut self) {
        self.autoscale_tick();
        self.release_images();
        self.due_sweeps();
        if self.now.ms() % crate::time::HOUR == 0 {
            self.random_faults();
        }
    }

    pub(crate) fn host_launched_hook(&mut self, h: HostId) {
        self.schedule_patch(h);
    }

    pub(crate) fn host_terminated_hook(&mut self, host: &Host) {
        let h = host.id;
        self.lifecycle.kept.remove(&h);
        self.lifecycle.deadlines.remove(&h);
        self.lifecycle.consolidating.remove(&h);
        self.lifecycle.changed_at.remove(&h);
        self.lifecycle.reported_blocks.retain(|(b, _, _)| *b != h);
    }

    /// A task left a host that still has others: restart its underutilisation check, and say so
    /// when a drain now waits only on standalone tasks.
    pub(crate) fn task_left_host_hook(&mut self, h: HostId) {
        self.schedule_check(h);
        self.schedule_sweep(h);
        self.drain_waits_on_standalone(h);
    }

    /// A task was assigned to a host: any task start restarts the host's check ("Amazon ECS Managed
    /// Instances infrastructure optimization").
    pub(crate) fn task_arrived_hook(&mut self, h: HostId) {
        self.schedule_check(h);
    }

    /// "Why wasn't this host removed?": the last reason the optimiser gave, if any.
    pub fn host_kept_reason(&self, h: HostId) -> Option<KeepWhy> {
        self.lifecycle.kept.get(&h).copied()
    }

    pub(crate) fn execute_lifecycle(
        &mut self,
        command: &Command,
    ) -> Option<Result<(), CommandError>> {
        Some(match command {
            Command::ProtectTask { task, minutes } => self.protect_task(*task, *minutes),
            Command::MaintenanceEvent { host } => {
                self.live_host(*host).map(|h| self.maintenance_event(h))
            }
            Command::DegradeHost { host } => self.live_host(*host).map(|h| self.degrade_host(h)),
            Command::InterruptSpot { host } => {
                self.live_host(*host).and_then(|h| self.interrupt_spot(h))
            }
            Command::ImpairAz { az } => self.az_index(az).map(|a| self.impair_az(a)),
            Command::RecoverAz { az } => self.az_index(az).map(|a| self.recover_az(a)),
            _ => return None,
        })
    }

    fn az_index(&self, name: &str) -> Result<u32, CommandError> {
        self.azs
            .iter()
            .position(|a| a.name == name)
            .map(|i| i as u32)
            .ok_or_else(|| CommandError::UnknownAz(name.into()))
    }

    fn protect_task(&mut self, task: u32, minutes: Option<u32>) -> Result<(), CommandError> {
        let minutes = minutes.unwrap_or(DEFAULT_PROTECTION_MINUTES);
        if !PROTECTION_MINUTES.accepts(minutes.into()) {
            return Err(CommandError::out_of_range(
                "expiresInMinutes",
                &PROTECTION_MINUTES,
                minutes,
            ));
        }
        let now = self.now;
        let t = self
            .tasks
            .get_mut(&TaskId(task))
            .filter(|t| t.live())
            .ok_or(CommandError::UnknownTask(task))?;
        if t.service().is_none() {
            return Err(CommandError::Invalid(
                "TASK_NOT_VALID: scale-in protection works only for service tasks".into(),
            ));
        }
        t.protected_until = (minutes > 0).then(|| now + u64::from(minutes) * crate::time::MINUTE);
        // Whatever waits on the protection (a drain, a deployment's CLEAN_UP or its stop of
        // an older revision) is looked at again when it expires.
        if let Some(until) = t.protected_until {
            self.queue
                .push(until, Timer::ProtectionExpired(TaskId(task)));
        }
        // Clearing protection may unblock a drain at once.
        self.request_reconcile();
        Ok(())
    }
}
