//! A service's promises when tasks start and stop: the task limit; maximumPercent when the
//! scheduler starts a task; when it chooses a stop, scale-in protection, minimumHealthyPercent
//! and start before stop, each against the running deployment's own window; and every stop's
//! reason backed by what the event stream said happened.

use alloc::format;

use super::Observer;
use crate::scenario::{Strategy, MAX_LIVE_TASKS};
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{HostStatus, Owner, ServiceId, StopCause, TaskId, TaskState};

impl Observer {
    /// (min healthy %, max %, staged) in force for a service now.
    fn window(&self, sim: &Sim, sid: ServiceId) -> (u32, u32, bool) {
        if let Some(w) = self.services[sid.0 as usize].deployment {
            return w;
        }
        let spec = &sim.scenario().services[sid.0 as usize];
        let c = &spec.deployment_configuration;
        (c.minimum_healthy_percent, c.maximum_percent, false)
    }

    /// A deployment's window governs its service until it finishes.
    pub(super) fn deployment_started(
        &mut self,
        sim: &Sim,
        service: ServiceId,
        deployment: u32,
        strategy: Strategy,
    ) {
        let config = sim
            .deploy_state()
            .active
            .get(&service)
            .filter(|d| d.id == deployment)
            .map(|d| &d.config)
            .or_else(|| {
                sim.deploy_state()
                    .finished
                    .get(&service)?
                    .iter()
                    .find(|d| d.id == deployment)
                    .map(|d| &d.config)
            });
        if let Some(c) = config {
            self.services[service.0 as usize].deployment = Some((
                c.minimum_healthy_percent,
                c.maximum_percent,
                strategy != Strategy::Rolling,
            ));
        }
    }

    pub(super) fn task_created(&mut self, sim: &Sim, at: SimTime, task: TaskId, owner: Owner) {
        let live = self.tasks.values().filter(|t| t.stopping.is_none()).count() as u32;
        if live > MAX_LIVE_TASKS {
            self.fail(
                at,
                "task limit",
                format!("{live} live tasks, the limit is {MAX_LIVE_TASKS}"),
            );
        }
        let Owner::Service(sid) = owner else { return };
        let (_, max_pct, staged) = self.window(sim, sid);
        // SCALE_UP of the blue/green family starts green at 100 % beside blue ("Amazon ECS
        // blue/green service deployments workflow"): maximumPercent bounds rolling replacement,
        // drains and rebalancing.
        if staged {
            return;
        }
        let desired = self.services[sid.0 as usize].desired;
        let max_live = (u64::from(desired) * u64::from(max_pct) / 100).max(u64::from(desired));
        let live = u64::from(self.live(owner));
        if live > max_live {
            self.fail(
                at,
                "maximumPercent",
                format!("{task} made service {} run {live} tasks, max {max_live} ({max_pct} % of {desired})", sid.0),
            );
        }
    }

    pub(super) fn task_stopping(&mut self, sim: &Sim, at: SimTime, task: TaskId, cause: StopCause) {
        let Some(t) = self.tasks.get(&task) else {
            return self.fail(at, "task transition", format!("unknown {task} stopping"));
        };
        if t.stopping.is_some() {
            return self.fail(at, "task transition", format!("{task} asked to stop twice"));
        }
        let (owner, host, state, protected) = (t.owner, t.host, t.state, t.protected_until);
        let was_healthy = t.healthy && self.reachable(host);
        // "Task scale-in protection": protects against scale-in and deployments; the scheduler
        // never chooses a protected task (forced losses, a user's StopTask, are not choices).
        let chosen = matches!(
            cause,
            StopCause::ScaleIn
                | StopCause::HostDraining
                | StopCause::HostDrainingNoRoom
                | StopCause::Rebalance
                | StopCause::Deployment
        );
        if chosen && protected.is_some_and(|u| u > at) {
            self.fail(
                at,
                "scale-in protection",
                format!("{task} stopped ({cause:?}) while protected"),
            );
        }
        let host_status = host.and_then(|h| self.hosts.get(&h)).map(|h| h.status);
        let running_elsewhere = state == TaskState::Running;
        if let Some(t) = self.tasks.get_mut(&task) {
            t.stopping = Some(cause);
            t.healthy = false;
        }
        // The cause must be backed by what the stream said happened.
        let backed = match cause {
            StopCause::HostDraining => self.leaving(host),
            StopCause::PendingOnDrainingHost => self.leaving(host) && !running_elsewhere,
            StopCause::HostDeregistered => host_status == Some(HostStatus::Deregistering),
            StopCause::AzImpaired => !self.reachable(host),
            _ => true,
        };
        if !backed {
            self.fail(
                at,
                "stop reason",
                format!("{task} stopped for {cause:?} on a host that is {host_status:?}"),
            );
        }
        let Owner::Service(sid) = owner else { return };
        let voluntary = matches!(
            cause,
            StopCause::ScaleIn
                | StopCause::HostDraining
                | StopCause::Rebalance
                | StopCause::Deployment
                | StopCause::PendingOnDrainingHost
        );
        if !voluntary || !was_healthy {
            return;
        }
        let desired = self.services[sid.0 as usize].desired;
        let (min_pct, max_pct, _) = self.window(sim, sid);
        let floor = (u64::from(desired) * u64::from(min_pct)).div_ceil(100) as u32;
        let healthy = self.healthy(owner);
        if healthy < floor {
            self.fail(
                at,
                "minimumHealthyPercent",
                format!(
                    "{task} stopped ({cause:?}) left service {} with {healthy} healthy tasks, \
                     minimum {floor} ({min_pct} % of {desired})",
                    sid.0
                ),
            );
        }
        match cause {
            StopCause::HostDraining => {
                // Start before stop: tasks still serving (healthy on staying hosts, or running
                // on leaving ones) cover desired, unless maximumPercent left no room to start a
                // replacement first.
                let serving = self
                    .tasks
                    .values()
                    .filter(|t| t.owner == owner && t.stopping.is_none() && self.reachable(t.host))
                    .filter(|t| {
                        if self.leaving(t.host) {
                            t.state == TaskState::Running
                        } else {
                            t.healthy
                        }
                    })
                    .count() as u32;
                let max_live = (desired * max_pct / 100).max(desired);
                let batch = {
                    let b = self.drain_batch.entry(sid).or_default();
                    *b += 1;
                    *b
                };
                let live_before = self.live(owner) + batch;
                if serving < desired && live_before < max_live {
                    self.fail(
                        at,
                        "start before stop",
                        format!(
                            "{task} on a draining host stopped while only {serving} of {desired} \
                             tasks of service {} serve, with room for a replacement ({live_before} of {max_live})",
                            sid.0
                        ),
                    );
                }
            }
            StopCause::Rebalance if healthy < desired => self.fail(
                at,
                "start before stop",
                format!(
                    "{task} stopped to rebalance service {} before its replacement was healthy \
                     ({healthy} of {desired})",
                    sid.0
                ),
            ),
            _ => {}
        }
    }
}
