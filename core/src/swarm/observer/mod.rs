//! The swarm's independent observer: it rebuilds hosts, tasks and services from the event
//! stream alone (sizes and capacities come from the static catalog and revisions, never from
//! the scheduler's own counters) and checks ECS's promises after every event and at the end
//! of every simulated instant. Each family of promises has a file: hosts, tasks, a service's
//! window when tasks start and stop, and what holds at the end of an instant.

mod hosts;
mod instant;
mod service;
mod tasks;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::event::EventKind;
use crate::scenario::MAX_HOSTS;
use crate::sim::Sim;
use crate::time::{SimTime, SECOND};
use crate::world::{HostId, HostStatus, Owner, Res, ServiceId, StopCause, TaskId, TaskState};
use crate::Event;

/// Instants (distinct firing times) allowed in one simulated second: an engine re-arming a
/// timer a millisecond on for ever makes thousands; honest work a handful.
const INSTANTS_PER_SECOND: u32 = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub at: SimTime,
    /// Short name of the promise broken, e.g. "minimumHealthyPercent".
    pub invariant: &'static str,
    pub detail: String,
}

struct TaskObs {
    owner: Owner,
    need: Res,
    host: Option<HostId>,
    state: TaskState,
    healthy: bool,
    stopping: Option<StopCause>,
    /// Scale-in protection, from the recorded ProtectTask commands.
    protected_until: Option<SimTime>,
}

struct HostObs {
    az: u32,
    cap: Res,
    used: Res,
    status: HostStatus,
    tasks: BTreeSet<TaskId>,
}

struct ServiceObs {
    desired: u32,
    /// (min %, max %, staged) of the deployment in progress.
    deployment: Option<(u32, u32, bool)>,
}

pub struct Observer {
    tasks: BTreeMap<TaskId, TaskObs>,
    hosts: BTreeMap<HostId, HostObs>,
    services: Vec<ServiceObs>,
    impaired: Vec<bool>,
    max_hosts: u32,
    second: u64,
    instants: u32,
    last_instant: Option<SimTime>,
    /// Drain stops per service in this instant: one scheduler pass stops a batch, and the
    /// batch is judged by the room under maximumPercent before it began.
    drain_batch: BTreeMap<ServiceId, u32>,
    pub violations: Vec<Violation>,
}

impl Observer {
    pub fn new(sim: &Sim) -> Observer {
        let s = sim.scenario();
        Observer {
            tasks: BTreeMap::new(),
            hosts: BTreeMap::new(),
            services: s
                .services
                .iter()
                .map(|spec| ServiceObs {
                    desired: spec.desired_count,
                    deployment: None,
                })
                .collect(),
            impaired: alloc::vec![false; s.availability_zones.len()],
            max_hosts: s.capacity_provider.max_instances.min(MAX_HOSTS),
            second: 0,
            instants: 0,
            last_instant: None,
            drain_batch: BTreeMap::new(),
            violations: Vec::new(),
        }
    }

    fn fail(&mut self, at: SimTime, invariant: &'static str, detail: String) {
        // One report per promise is enough to reproduce; the rest would be its echoes.
        if self.violations.iter().all(|v| v.invariant != invariant) {
            self.violations.push(Violation {
                at,
                invariant,
                detail,
            });
        }
    }

    fn reachable(&self, host: Option<HostId>) -> bool {
        host.and_then(|h| self.hosts.get(&h))
            .is_none_or(|h| !self.impaired[h.az as usize])
    }

    fn leaving(&self, host: Option<HostId>) -> bool {
        host.and_then(|h| self.hosts.get(&h)).is_some_and(|h| {
            matches!(h.status, HostStatus::Draining | HostStatus::Deregistering)
                || self.impaired[h.az as usize]
        })
    }

    /// Healthy tasks of a service: healthy, not asked to stop, and reachable by its clients.
    fn healthy(&self, owner: Owner) -> u32 {
        self.tasks
            .values()
            .filter(|t| t.owner == owner && t.healthy && t.stopping.is_none())
            .filter(|t| self.reachable(t.host))
            .count() as u32
    }

    fn live(&self, owner: Owner) -> u32 {
        self.tasks
            .values()
            .filter(|t| t.owner == owner && t.stopping.is_none())
            .count() as u32
    }

    pub fn observe(&mut self, sim: &Sim, events: &[Event]) {
        for e in events {
            self.event(sim, e);
        }
    }

    fn event(&mut self, sim: &Sim, e: &Event) {
        let at = e.at;
        match &e.kind {
            EventKind::HostLaunched {
                host,
                az,
                instance_type,
                ..
            } => self.host_launched(sim, at, *host, *az, *instance_type),
            EventKind::HostRegistered { host } => {
                self.host_moves(at, *host, HostStatus::Active, &[HostStatus::Registering])
            }
            EventKind::HostDraining { host, .. } => self.host_moves(
                at,
                *host,
                HostStatus::Draining,
                &[HostStatus::Registering, HostStatus::Active],
            ),
            EventKind::HostDeregistering { host, why } => self.host_deregistering(at, *host, why),
            EventKind::HostTerminated { host, .. } => self.host_terminated(at, *host),
            EventKind::TaskCreated {
                task,
                owner,
                revision,
                ..
            } => {
                let need = sim.revisions()[*revision as usize].need;
                self.tasks.insert(
                    *task,
                    TaskObs {
                        owner: *owner,
                        need,
                        host: None,
                        state: TaskState::Provisioning,
                        healthy: false,
                        stopping: None,
                        protected_until: None,
                    },
                );
                self.task_created(sim, at, *task, *owner);
            }
            EventKind::TaskPlaced { task, host, .. } => self.task_placed(at, *task, *host),
            EventKind::TaskState { task, state } => self.task_state(at, *task, *state),
            EventKind::TaskHealthy { task } => self.health_verdict(at, *task, true),
            EventKind::TaskUnhealthy { task } => self.health_verdict(at, *task, false),
            EventKind::Command(crate::Command::ProtectTask { task, minutes }) => {
                // "Task scale-in protection": 120 minutes when no duration is given; 0 clears.
                let minutes = u64::from(minutes.unwrap_or(120));
                if let Some(t) = self.tasks.get_mut(&TaskId(*task)) {
                    t.protected_until = (minutes > 0).then(|| at + minutes * 60 * SECOND);
                }
            }
            EventKind::TaskStopping { task, cause } => self.task_stopping(sim, at, *task, *cause),
            EventKind::TaskStopped { task, .. } => self.task_stopped(at, *task),
            EventKind::TaskReplaced { old, new, .. } => self.task_replaced(at, *old, *new),
            EventKind::DesiredChanged { service, to, .. } => {
                self.services[service.0 as usize].desired = *to;
            }
            EventKind::AzImpaired { az } => self.impaired[*az as usize] = true,
            EventKind::AzRecovered { az } => self.impaired[*az as usize] = false,
            EventKind::DeploymentStarted {
                service,
                deployment,
                strategy,
                ..
            } => self.deployment_started(sim, *service, *deployment, *strategy),
            EventKind::DeploymentFinished { service, .. } => {
                self.services[service.0 as usize].deployment = None;
            }
            EventKind::TrafficShifted {
                production_green_bp,
                test_green_bp,
                ..
            } if *production_green_bp > 10_000 || *test_green_bp > 10_000 => self.fail(
                at,
                "listener weights",
                format!("green weight {production_green_bp}/{test_green_bp} bp"),
            ),
            _ => {}
        }
    }
}
