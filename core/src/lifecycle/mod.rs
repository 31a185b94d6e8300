//! Fleet lifecycle (reference §2.5–2.7, §3.5, §3.7): idle-host scale-in, consolidation and
//! downsizing, AZ rebalancing, the patch cycle, maintenance events and faults, auto scaling.

use alloc::collections::BTreeSet;
use serde::{Deserialize, Serialize};

use crate::command::{Command, CommandError};
use crate::event::{DeregisterWhy, EventKind};
use crate::queue::Timer;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{Host, HostId, HostStatus, StopCause, Task, TaskId};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleState {
    /// Drain-blocked reports already made, so a blocked drain is told once per protection.
    pub reported_blocks: BTreeSet<(HostId, TaskId, SimTime)>,
}

impl Sim {
    pub(crate) fn lifecycle_start(&mut self) {}

    /// Once a simulated minute: load, auto scaling, faults, image releases.
    pub(crate) fn minute(&mut self) {}

    pub(crate) fn host_launched_hook(&mut self, _h: HostId) {}

    pub(crate) fn host_terminated_hook(&mut self, _host: &Host) {}

    pub(crate) fn task_left_host_hook(&mut self, _h: HostId) {}

    pub(crate) fn task_stopped_hook(&mut self, _task: &Task, _cause: StopCause) {}

    /// The last task left an ACTIVE host: after `scaleInAfter` it is deregistered, unless a task
    /// arrives first (which bumps the host's timer generation).
    pub(crate) fn host_became_idle(&mut self, h: HostId) {
        let Some(after) = self.scenario.capacity_provider.scale_in_after_ms() else { return };
        let Some(host) = self.hosts.get_mut(&h) else { return };
        host.timer_gen += 1;
        let gen = host.timer_gen;
        self.queue.push(self.now + after, Timer::HostCheck(h, gen));
    }

    pub(crate) fn host_check(&mut self, h: HostId, gen: u32) {
        let Some(host) = self.hosts.get(&h) else { return };
        if host.timer_gen != gen || host.status != HostStatus::Active || !host.tasks.is_empty() {
            return;
        }
        let idle_ms = self.scenario.capacity_provider.scale_in_after_ms().unwrap_or(0);
        self.deregister(h, DeregisterWhy::Idle { idle_ms });
    }

    pub(crate) fn host_deadline(&mut self, _h: HostId) {}

    pub(crate) fn patch_due(&mut self, _h: HostId) {}

    pub(crate) fn rebalance_pass(&mut self) {}

    pub(crate) fn execute_lifecycle(&mut self, command: &Command) -> Option<Result<(), CommandError>> {
        let _ = EventKind::ImageReleased { version: 0 };
        match command {
            Command::ProtectTask { task, minutes } => Some(self.protect_task(*task, *minutes)),
            _ => None,
        }
    }

    fn protect_task(&mut self, task: u32, minutes: u32) -> Result<(), CommandError> {
        if minutes > 2_880 {
            return Err(CommandError::OutOfRange { field: "expiresInMinutes", value: u64::from(minutes), min: 0, max: 2_880 });
        }
        let now = self.now;
        let t = self.tasks.get_mut(&TaskId(task)).filter(|t| t.live()).ok_or(CommandError::UnknownTask(task))?;
        if t.service().is_none() {
            return Err(CommandError::Invalid("TASK_NOT_VALID: scale-in protection works only for service tasks".into()));
        }
        t.protected_until = (minutes > 0).then(|| now + u64::from(minutes) * crate::time::MINUTE);
        Ok(())
    }
}
