//! Task promises: a task is placed once, on a known host that is REGISTERING or ACTIVE and not
//! in an impaired AZ, without over-committing its CPU, memory or ENI slots; task states only
//! move forward (PENDING only once its host registered); a health verdict comes only while
//! RUNNING; a task stops once, after STOPPING; a `TaskReplaced` pair is two placed tasks of one
//! owner on different hosts.

use alloc::format;

use super::Observer;
use crate::time::SimTime;
use crate::world::{HostId, HostStatus, TaskId, TaskState};

impl Observer {
    /// A health-check verdict: only a RUNNING task that is not stopping gets one.
    pub(super) fn health_verdict(&mut self, at: SimTime, task: TaskId, healthy: bool) {
        let running = self
            .tasks
            .get(&task)
            .is_some_and(|t| t.state == TaskState::Running && t.stopping.is_none());
        if !running {
            let what = if healthy {
                "healthy"
            } else {
                "failed health checks"
            };
            self.fail(
                at,
                "task transition",
                format!("{task} {what} but not RUNNING"),
            );
        }
        if let Some(t) = self.tasks.get_mut(&task) {
            t.healthy = healthy;
        }
    }

    pub(super) fn task_placed(&mut self, at: SimTime, task: TaskId, h: HostId) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return self.fail(
                at,
                "placement",
                format!("{task} placed on unknown host {h}"),
            );
        };
        let accepting = matches!(host.status, HostStatus::Registering | HostStatus::Active);
        let (status, az) = (host.status, host.az);
        let Some(t) = self.tasks.get_mut(&task) else {
            return self.fail(at, "placement", format!("unknown {task} placed on {h}"));
        };
        if t.host.is_some() || t.stopping.is_some() {
            let detail = format!("{task} placed twice or after stopping");
            return self.fail(at, "placement", detail);
        }
        t.host = Some(h);
        let need = t.need;
        host.used = host.used.plus(&need);
        host.tasks.insert(task);
        let (used, cap) = (host.used, host.cap);
        if !accepting {
            self.fail(
                at,
                "placement",
                format!("{task} placed on {h}, which is {status}"),
            );
        }
        if self.impaired[az as usize] {
            self.fail(
                at,
                "placement",
                format!("{task} placed on {h} in an impaired AZ"),
            );
        }
        if !used.fits_in(&cap) {
            self.fail(
                at,
                "over-commit",
                format!("{h} holds {used:?} of {cap:?} after {task}"),
            );
        }
    }

    pub(super) fn task_state(&mut self, at: SimTime, task: TaskId, state: TaskState) {
        let Some(t) = self.tasks.get_mut(&task) else {
            return self.fail(at, "task transition", format!("unknown {task} → {state}"));
        };
        let was = t.state;
        t.state = state;
        let host = t.host;
        if state <= was {
            self.fail(at, "task transition", format!("{task} {was} → {state}"));
        }
        if state == TaskState::Pending {
            let registered = host
                .and_then(|h| self.hosts.get(&h))
                .is_some_and(|h| h.status != HostStatus::Registering);
            if !registered {
                self.fail(
                    at,
                    "task transition",
                    format!("{task} PENDING before its host registered"),
                );
            }
        }
    }

    pub(super) fn task_stopped(&mut self, at: SimTime, task: TaskId) {
        let Some(t) = self.tasks.remove(&task) else {
            return self.fail(at, "task transition", format!("{task} stopped twice"));
        };
        if t.stopping.is_none() {
            self.fail(
                at,
                "task transition",
                format!("{task} stopped without STOPPING"),
            );
        }
        if let Some(h) = t.host.and_then(|h| self.hosts.get_mut(&h)) {
            h.used = h.used.minus(&t.need);
            h.tasks.remove(&task);
        }
    }

    /// A move the page draws: the same owner, from a placed task to one placed on another host.
    pub(super) fn task_replaced(&mut self, at: SimTime, old: TaskId, new: TaskId) {
        let (o, n) = (self.tasks.get(&old), self.tasks.get(&new));
        let ok = match (o, n) {
            (Some(o), Some(n)) => {
                o.owner == n.owner && n.host.is_some() && o.host.is_some() && o.host != n.host
            }
            _ => false,
        };
        if !ok {
            self.fail(
                at,
                "replacement pair",
                format!(
                    "{new} replaces {old}, but they are not two placed tasks of one owner on different hosts ({:?} / {:?})",
                    o.map(|o| (o.owner, o.host)),
                    n.map(|n| (n.owner, n.host))
                ),
            );
        }
    }
}
