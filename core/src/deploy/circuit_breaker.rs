//! The deployment circuit breaker ("How the Amazon ECS deployment circuit breaker detects
//! failures"): failed starts and failed health checks of the new revision count toward a
//! threshold; `resetOnHealthyTask` clears the count when one of its tasks becomes healthy.

use super::state::State;
use crate::event::{EventKind, RollbackWhy};
use crate::sim::Sim;
use crate::world::TaskId;

impl Sim {
    /// Counts a task of the new revision that failed to start (stage 1) or failed its load
    /// balancer's health checks once RUNNING (stage 2). A rollback no longer counts: it is
    /// already leaving the new revision.
    pub(crate) fn count_deployment_failure(&mut self, t: TaskId) {
        let Some(sid) = self.tasks.get(&t).and_then(|t| t.service()) else {
            return;
        };
        let rev = self.tasks[&t].revision;
        let desired = self.services[sid.0 as usize].desired;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let cb = &d.config.deployment_circuit_breaker;
        let counting = matches!(d.state, State::Rolling { .. } | State::Staged(_));
        if !cb.enable || !counting || rev != d.green {
            return;
        }
        d.failures += 1;
        let (failures, threshold, rollback) = (d.failures, cb.threshold(desired), cb.rollback);
        if failures >= threshold {
            let id = d.id;
            self.emit(EventKind::CircuitBreakerTripped {
                service: sid,
                deployment: id,
                failures,
                threshold,
            });
            self.fail(
                sid,
                RollbackWhy::CircuitBreaker {
                    failures,
                    threshold,
                },
                rollback,
            );
        }
    }

    /// `resetOnHealthyTask`: a healthy task of the new revision clears the failure count.
    pub(crate) fn task_became_healthy(&mut self, t: TaskId) {
        let Some(task) = self.tasks.get(&t) else {
            return;
        };
        let (Some(sid), rev) = (task.service(), task.revision) else {
            return;
        };
        if let Some(d) = self.deploy.active.get_mut(&sid) {
            if rev == d.green && d.config.deployment_circuit_breaker.reset_on_healthy_task {
                d.failures = 0;
            }
        }
    }
}
