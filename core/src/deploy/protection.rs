//! Task scale-in protection during the blue/green family ("Task scale-in protection": it
//! protects tasks against deployments too). A deployment never stops a protected task: the
//! revision it retires (blue in CLEAN_UP, green when a rollback scales it down, tasks of older
//! revisions in RECONCILE_SERVICE) keeps its protected tasks until their protection expires,
//! and the deployment waits for them before it finishes, saying which task it waits for.

use alloc::vec::Vec;

use super::state::State;
use crate::event::EventKind;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{Owner, ServiceId, StopCause, TaskId};

impl Sim {
    /// Stops every live task of the service whose revision is not `keep`, protected ones
    /// excepted. `true` when all are gone or stopping; otherwise the deployment waits (told once
    /// per task and expiry) and looks again when the protection expires.
    pub(super) fn retire_all_but(&mut self, sid: ServiceId, keep: u32) -> bool {
        let now = self.now;
        let others: Vec<TaskId> = self
            .owned
            .get(&Owner::Service(sid))
            .map(|ids| {
                ids.iter()
                    .filter(|t| self.tasks.get(t).is_some_and(|t| t.revision != keep))
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        let mut held: Option<(TaskId, SimTime)> = None;
        for t in others {
            match self.tasks[&t].protected_until.filter(|u| *u > now) {
                // The one that holds the deployment longest is the one to name.
                Some(until) => {
                    if held.is_none_or(|(_, u)| until > u) {
                        held = Some((t, until));
                    }
                }
                None => self.stop_task(t, StopCause::Deployment),
            }
        }
        let Some((task, until)) = held else {
            return true;
        };
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return false;
        };
        // A protected task may hold the deployment past the 24 h stage limit (protection lasts up
        // to 48 h): waiting for it is not a failure of the new revision. (A rollback's stage limit
        // does not apply to its scale-down, which waits for blue.)
        if let State::Staged(s) = &mut d.state {
            s.deadline = s.deadline.max(until + 1);
        }
        if d.waiting_on != Some((task, until)) {
            d.waiting_on = Some((task, until));
            let (deployment, stage) = (d.id, d.stage());
            self.emit(EventKind::DeploymentWaitsForProtection {
                service: sid,
                deployment,
                stage,
                task,
                until,
            });
        }
        false
    }

    /// A task of another revision is protected: RECONCILE_SERVICE leaves it (and does not wait
    /// for it); CLEAN_UP waits for it.
    pub(super) fn is_protected_task(&self, t: TaskId) -> bool {
        self.tasks.get(&t).is_some_and(|t| t.is_protected(self.now))
    }
}
