//! Task health from the load balancer's health checks. Every service here sits behind a
//! target group, so a RUNNING task counts as healthy once its target is ("Rolling update":
//! with a load balancer, a task is healthy when the target group reports it healthy): after
//! `healthyThresholdCount` passed checks `healthCheckIntervalSeconds` apart. A revision that
//! fails its checks after a while turns unhealthy `unhealthyThresholdCount` failed checks
//! later; ECS acts on that only once the service's `healthCheckGracePeriodSeconds` since the
//! start have passed, then replaces the task, and the deployment circuit breaker counts it
//! ("How the Amazon ECS deployment circuit breaker detects failures": once a task is RUNNING,
//! load-balancer health-check failures add one each).

use crate::event::EventKind;
use crate::queue::Timer;
use crate::sim::Sim;
use crate::time::SECOND;
use crate::world::{StopCause, TaskId, TaskState};

/// When a task that turned RUNNING `running_at` ms ago becomes healthy and (for a revision that
/// fails after `fails_after_ms`) when ECS replaces it, both in ms after RUNNING.
pub(crate) fn health_times(
    t: &crate::scenario::Timing,
    fails_after_ms: Option<u64>,
) -> (Option<u64>, Option<u64>) {
    let interval = u64::from(t.health_check_interval_seconds) * SECOND;
    let healthy_at = match t.legacy_health_grace_seconds {
        Some(g) => u64::from(g) * SECOND,
        None => interval * u64::from(t.healthy_threshold_count),
    };
    let grace = u64::from(t.health_check_grace_period_seconds) * SECOND;
    match fails_after_ms {
        None => (Some(healthy_at), None),
        Some(f) => {
            let detected = f + interval * u64::from(t.unhealthy_threshold_count);
            // It passes enough checks before it starts failing, or it never turns healthy.
            let healthy = (healthy_at <= f).then_some(healthy_at);
            (healthy, Some(detected.max(grace)))
        }
    }
}

impl Sim {
    /// Schedules a RUNNING task's health verdicts (the generation cancels them on a stop).
    pub(crate) fn schedule_health(&mut self, t: TaskId, gen: u32) {
        let Some(task) = self.tasks.get(&t) else {
            return;
        };
        let fails = self.revisions[task.revision as usize].unhealthy_after_ms;
        let (healthy, replaced) = health_times(&self.scenario.timing, fails);
        if let Some(ms) = healthy {
            self.queue.push(self.now + ms, Timer::TaskHealthy(t, gen));
        }
        if let Some(ms) = replaced {
            self.queue.push(self.now + ms, Timer::TaskUnhealthy(t, gen));
        }
    }

    /// The target group reports the task unhealthy and the grace period is over: ECS stops it
    /// (the scheduler starts its replacement) and the circuit breaker counts it.
    pub(crate) fn task_unhealthy(&mut self, t: TaskId, gen: u32) {
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        if task.timer_gen != gen || task.state != TaskState::Running || !task.live() {
            return;
        }
        let (owner, was_healthy) = (task.owner, task.healthy);
        if was_healthy {
            task.healthy = false;
            let c = self.counts.entry((task.owner, task.revision)).or_default();
            c.1 -= 1;
        }
        self.emit(EventKind::TaskUnhealthy { task: t });
        self.stop_task(t, StopCause::HealthCheckFailed);
        // A task that never passed its health checks never started successfully: the service
        // throttle slows its replacements as it does crashes on start (an assumption; AWS
        // describes the throttle only for tasks that fail to start).
        if !was_healthy {
            self.throttle_after_failure(owner);
        }
        self.count_deployment_failure(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Timing;

    #[test]
    fn healthy_after_interval_times_threshold_and_replaced_after_the_grace_period() {
        // ELB defaults: 30 s × 5 passed checks; 2 failed checks.
        let t = Timing::default();
        assert_eq!(health_times(&t, None), (Some(150 * SECOND), None));
        // Fails at 600 s: healthy at 150 s, unhealthy after two more failed checks (660 s).
        assert_eq!(
            health_times(&t, Some(600 * SECOND)),
            (Some(150 * SECOND), Some(660 * SECOND))
        );
        // Fails at 60 s: never healthy; replaced at 120 s, or at the end of a longer grace.
        assert_eq!(
            health_times(&t, Some(60 * SECOND)),
            (None, Some(120 * SECOND))
        );
        let graced = Timing {
            health_check_grace_period_seconds: 300,
            ..Timing::default()
        };
        assert_eq!(
            health_times(&graced, Some(60 * SECOND)),
            (None, Some(300 * SECOND))
        );
    }
}
