//! Task lifecycle: PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING →
//! STOPPED, driven by timers whose generation number cancels stale ones.

use crate::event::{CreateWhy, EventKind, PlaceWhy, ReplaceWhy};
use crate::queue::Timer;
use crate::scenario::TaskSize;
use crate::sim::Sim;
use crate::time::SECOND;
use crate::world::{HostId, HostStatus, Owner, StopCause, Task, TaskId, TaskState};

/// ACTIVATING lasts this long (network attachment; illustrative).
const ACTIVATING_MS: u64 = SECOND;

impl Sim {
    /// A new task of `owner`, unless the world is at `MAX_LIVE_TASKS` (see `task_cap`).
    pub(crate) fn create_task(
        &mut self,
        owner: Owner,
        revision: u32,
        why: CreateWhy,
    ) -> Option<TaskId> {
        if !self.task_room(owner) {
            return None;
        }
        self.live_tasks += 1;
        let id = TaskId(self.next_task);
        self.next_task += 1;
        let rev = &self.revisions[revision as usize];
        let task = Task {
            id,
            owner,
            revision,
            need: rev.need,
            state: TaskState::Provisioning,
            host: None,
            created_at: self.now,
            running_since: None,
            healthy: false,
            protected_until: None,
            stopping: None,
            timer_gen: 0,
            stop_timeout_ms: rev.stop_timeout_ms,
            billed_since: None,
            replaces: match why {
                CreateWhy::Replaces(old) => Some(old),
                _ => None,
            },
        };
        self.tasks.insert(id, task);
        self.owned.entry(owner).or_default().insert(id);
        self.counts.entry((owner, revision)).or_default().0 += 1;
        self.unplaced.insert(id);
        self.emit(EventKind::TaskCreated {
            task: id,
            owner,
            revision,
            why,
        });
        self.touch(owner);
        Some(id)
    }

    /// Reserves the host's resources for the task; it starts once the host is ACTIVE.
    pub(crate) fn assign(&mut self, t: TaskId, h: HostId, mut why: PlaceWhy) {
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        task.host = Some(h);
        let replaces = task.replaces.take();
        if task.live() {
            self.spread.placed(task.owner, h, host.az);
        }
        host.used = host.used.plus(&task.need);
        // A task arriving cancels an idle host's pending scale-in (a busy host's check is
        // restarted by `task_arrived_hook`).
        if host.tasks.is_empty() {
            host.timer_gen += 1;
        }
        host.tasks.insert(t);
        why.cached = host.cached.contains(&task.revision);
        let active = host.status == HostStatus::Active;
        let az = host.az;
        self.unplaced_reason.remove(&t);
        self.unplaced.remove(&t);
        self.emit(EventKind::TaskPlaced {
            task: t,
            host: h,
            az,
            why,
        });
        // Start before stop is counted over the service, so the task named when this one was
        // created may have stopped already (another replacement was healthy first), or this
        // one may land on the old one's host (its AZ recovered): then nothing moves.
        let old_there = |o: &TaskId| {
            self.tasks
                .get(o)
                .is_some_and(|o| o.host.is_some_and(|oh| oh != h) && o.state != TaskState::Stopped)
        };
        if let Some(old) = replaces.filter(old_there) {
            self.emit(EventKind::TaskReplaced {
                old,
                new: t,
                why: ReplaceWhy::HostDraining,
            });
        }
        self.task_arrived_hook(h);
        // Otherwise it stays PROVISIONING (unplaced tasks never leave it) until the instance
        // registers.
        if active {
            self.begin_pull(t);
        }
    }

    /// PENDING: pulling the image (fast when the host has it cached).
    pub(crate) fn begin_pull(&mut self, t: TaskId) {
        let timing = &self.scenario.timing;
        let (pull, cached) = (timing.image_pull_seconds, timing.cached_start_seconds);
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        let Some(host) = task.host.and_then(|h| self.hosts.get(&h)) else {
            return;
        };
        let secs = if host.cached.contains(&task.revision) {
            cached
        } else {
            pull
        };
        task.state = TaskState::Pending;
        task.timer_gen += 1;
        // Fargate-equivalent billing runs from PENDING (the image pull) to STOPPED.
        task.billed_since = Some(self.now);
        let gen = task.timer_gen;
        let (need, size) = (task.need, size_of(task));
        self.ledger.task_started(self.now.ms(), need, size);
        self.emit(EventKind::TaskState {
            task: t,
            state: TaskState::Pending,
        });
        self.queue
            .push(self.now + u64::from(secs) * SECOND, Timer::TaskStep(t, gen));
    }

    pub(crate) fn task_step(&mut self, t: TaskId, gen: u32) {
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        if task.timer_gen != gen {
            return;
        }
        match task.state {
            TaskState::Pending => {
                task.state = TaskState::Activating;
                if let Some(host) = task.host.and_then(|h| self.hosts.get_mut(&h)) {
                    host.cached.insert(task.revision);
                }
                self.queue
                    .push(self.now + ACTIVATING_MS, Timer::TaskStep(t, gen));
                self.emit(EventKind::TaskState {
                    task: t,
                    state: TaskState::Activating,
                });
            }
            TaskState::Activating => {
                task.state = TaskState::Running;
                task.running_since = Some(self.now);
                let fails = self.revisions[task.revision as usize].fails_to_start;
                let owner = task.owner;
                self.emit(EventKind::TaskState {
                    task: t,
                    state: TaskState::Running,
                });
                if fails {
                    self.stop_task(t, StopCause::FailedToStart);
                    self.throttle_after_failure(owner);
                    self.count_deployment_failure(t);
                } else {
                    self.schedule_health(t, gen);
                }
            }
            TaskState::Deactivating => {
                task.state = TaskState::Stopping;
                let shutdown = (u64::from(self.scenario.timing.shutdown_seconds) * SECOND)
                    .min(task.stop_timeout_ms);
                self.queue
                    .push(self.now + shutdown, Timer::TaskStep(t, gen));
                self.emit(EventKind::TaskState {
                    task: t,
                    state: TaskState::Stopping,
                });
            }
            TaskState::Stopping => self.finish_stop(t),
            _ => {}
        }
    }

    pub(crate) fn task_healthy(&mut self, t: TaskId, gen: u32) {
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        if task.timer_gen != gen || task.state != TaskState::Running || !task.live() {
            return;
        }
        task.healthy = true;
        let owner = task.owner;
        self.counts.entry((owner, task.revision)).or_default().1 += 1;
        self.emit(EventKind::TaskHealthy { task: t });
        self.throttle_reset(owner);
        self.task_became_healthy(t);
        self.touch(owner);
    }

    /// Asks a task to stop: RUNNING tasks deregister from the load balancer, get SIGTERM and
    /// exit within their stop timeout; tasks that never started stop at once.
    pub(crate) fn stop_task(&mut self, t: TaskId, cause: StopCause) {
        let dereg = u64::from(self.scenario.timing.deregistration_delay_seconds) * SECOND;
        let shutdown_s = u64::from(self.scenario.timing.shutdown_seconds) * SECOND;
        let Some(task) = self.tasks.get_mut(&t) else {
            return;
        };
        if task.stopping.is_some() {
            return;
        }
        task.stopping = Some(cause);
        if let Some(host) = task.host.and_then(|h| self.hosts.get(&h)) {
            self.spread.left(task.owner, host.id, host.az);
        }
        let c = self.counts.entry((task.owner, task.revision)).or_default();
        c.0 -= 1;
        c.1 -= u32::from(task.healthy);
        self.live_tasks -= 1;
        self.at_task_cap = false;
        task.healthy = false;
        task.timer_gen += 1;
        let gen = task.timer_gen;
        let state = task.state;
        let service_task = matches!(task.owner, Owner::Service(_));
        let shutdown = shutdown_s.min(task.stop_timeout_ms);
        let owner = task.owner;
        self.unplaced.remove(&t);
        if let Some(set) = self.owned.get_mut(&owner) {
            set.remove(&t);
        }
        self.touch(owner);
        self.emit(EventKind::TaskStopping { task: t, cause });
        match state {
            TaskState::Provisioning => self.finish_stop(t),
            TaskState::Pending | TaskState::Activating => {
                if let Some(task) = self.tasks.get_mut(&t) {
                    task.state = TaskState::Stopping;
                }
                self.queue.push(self.now + SECOND, Timer::TaskStep(t, gen));
            }
            TaskState::Running => {
                let (next, delay) = if service_task && dereg > 0 {
                    (TaskState::Deactivating, dereg)
                } else {
                    (TaskState::Stopping, shutdown)
                };
                if let Some(task) = self.tasks.get_mut(&t) {
                    task.state = next;
                }
                self.emit(EventKind::TaskState {
                    task: t,
                    state: next,
                });
                self.queue.push(self.now + delay, Timer::TaskStep(t, gen));
            }
            _ => {}
        }
    }

    /// STOPPED: frees the host's resources; the host may now be idle or fully drained.
    pub(crate) fn finish_stop(&mut self, t: TaskId) {
        let Some(mut task) = self.tasks.remove(&t) else {
            return;
        };
        task.state = TaskState::Stopped;
        let cause = task.stopping.unwrap_or(StopCause::UserInitiated);
        self.unplaced_reason.remove(&t);
        let now = self.now;
        let mut host_left = None;
        if let Some(h) = task.host {
            if let Some(host) = self.hosts.get_mut(&h) {
                host.used = host.used.minus(&task.need);
                host.tasks.remove(&t);
                host_left = Some(h);
            }
        }
        if task.host.is_some() {
            self.capacity_epoch += 1;
        }
        if let Some(since) = task.billed_since {
            self.ledger
                .task_stopped(now.ms(), task.need, size_of(&task), now.since(since));
        }
        self.emit(EventKind::TaskStopped { task: t, cause });
        if let Some(h) = host_left {
            self.host_lost_task(h);
        }
        self.touch(task.owner);
    }
}

pub(crate) fn size_of(task: &Task) -> TaskSize {
    TaskSize {
        cpu: task.need.cpu,
        memory: task.need.memory,
    }
}
