//! Hard deadlines on a drain. A drain itself is start-before-stop (the scheduler's job) and
//! never moves standalone tasks; only a deadline — day 21 of the patch cycle, a Spot reclaim, a
//! maintenance event or a degraded host being retired — deregisters a host by force, stopping
//! whatever still runs there, standalone and protected tasks included.

use crate::event::{DeregisterWhy, KeepWhy};
use crate::queue::Timer;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{DrainCause, HostId, HostStatus, Owner};

impl Sim {
    /// Drains `h` for `cause` and deregisters it by force at `deadline` if it is still there.
    pub(crate) fn drain_with_deadline(&mut self, h: HostId, cause: DrainCause, deadline: SimTime) {
        let keep_earlier = self
            .lifecycle
            .deadlines
            .get(&h)
            .is_some_and(|(at, _)| *at <= deadline);
        if !keep_earlier {
            self.lifecycle.deadlines.insert(h, (deadline, cause));
            self.queue.push(deadline, Timer::HostDeadline(h));
        }
        self.drain_host(h, cause);
    }

    /// A deadline fired: the earliest recorded one that is due, else the patch cycle's.
    pub(crate) fn host_deadline(&mut self, h: HostId) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        if host.status == HostStatus::Deregistering {
            return;
        }
        let recorded = self
            .lifecycle
            .deadlines
            .get(&h)
            .copied()
            .filter(|(at, _)| *at <= self.now);
        let cause = match recorded {
            Some((_, cause)) => cause,
            None => {
                let plan = self.patch_plan(host.launched_at);
                if plan.forced_at.is_none_or(|f| f > self.now) {
                    return;
                }
                DrainCause::Patch {
                    age_days: (host.age_ms(self.now) / crate::time::DAY) as u32,
                    in_window: plan.in_window,
                }
            }
        };
        self.deregister(h, DeregisterWhy::Forced(cause));
    }

    /// A draining host whose service tasks are all gone but standalone tasks remain waits for a
    /// deadline (or the user); tell why once.
    pub(crate) fn drain_waits_on_standalone(&mut self, h: HostId) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        if host.status != HostStatus::Draining {
            return;
        }
        let only_standalone = host
            .tasks
            .iter()
            .filter_map(|t| self.tasks.get(t))
            .all(|t| matches!(t.owner, Owner::Standalone(_)));
        if only_standalone {
            self.keep(h, KeepWhy::StandaloneTask);
        }
    }
}
