//! The swarm's independent observer: it rebuilds hosts, tasks and services from the event
//! stream alone (sizes and capacities come from the static catalog and revisions, never from
//! the scheduler's own counters) and checks ECS's promises after every event and at the end
//! of every simulated instant.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::event::{DeregisterWhy, EventKind};
use crate::scenario::{Strategy, MAX_HOSTS, MAX_LIVE_TASKS};
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

    /// (min healthy %, max %, staged) in force for a service now.
    fn window(&self, sim: &Sim, sid: ServiceId) -> (u32, u32, bool) {
        if let Some(w) = self.services[sid.0 as usize].deployment {
            return w;
        }
        let spec = &sim.scenario().services[sid.0 as usize];
        let c = &spec.deployment_configuration;
        (c.minimum_healthy_percent, c.maximum_percent, false)
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
            } => {
                let t = &sim.catalog()[*instance_type as usize];
                let trunking = sim.scenario().capacity_provider.awsvpc_trunking;
                self.hosts.insert(
                    *host,
                    HostObs {
                        az: *az,
                        cap: Res {
                            cpu: t.cpu_units(),
                            memory: t.memory_mib,
                            enis: t.task_enis(trunking),
                        },
                        used: Res::default(),
                        status: HostStatus::Registering,
                        tasks: BTreeSet::new(),
                    },
                );
                if self.hosts.len() as u32 > self.max_hosts {
                    let n = self.hosts.len();
                    let cap = self.max_hosts;
                    self.fail(
                        at,
                        "instance limit",
                        format!("{n} instances, the limit is {cap}"),
                    );
                }
            }
            EventKind::HostRegistered { host } => {
                self.host_moves(at, *host, HostStatus::Active, &[HostStatus::Registering])
            }
            EventKind::HostDraining { host, .. } => self.host_moves(
                at,
                *host,
                HostStatus::Draining,
                &[HostStatus::Registering, HostStatus::Active],
            ),
            EventKind::HostDeregistering { host, why } => {
                self.host_moves(
                    at,
                    *host,
                    HostStatus::Deregistering,
                    &[
                        HostStatus::Registering,
                        HostStatus::Active,
                        HostStatus::Draining,
                    ],
                );
                if let DeregisterWhy::Drained(_) | DeregisterWhy::Idle { .. } = why {
                    let live = self.hosts.get(host).map_or(0, |h| {
                        h.tasks
                            .iter()
                            .filter(|t| self.tasks.get(t).is_some_and(|t| t.stopping.is_none()))
                            .count()
                    });
                    if live > 0 {
                        self.fail(
                            at,
                            "deregistration",
                            format!(
                                "{host} deregistered as drained or idle with {live} live tasks"
                            ),
                        );
                    }
                }
            }
            EventKind::HostTerminated { host, .. } => match self.hosts.remove(host) {
                Some(h) if h.status != HostStatus::Deregistering => self.fail(
                    at,
                    "host transition",
                    format!("{host} terminated from {}", h.status),
                ),
                Some(h) if !h.tasks.is_empty() => self.fail(
                    at,
                    "live task on a gone host",
                    format!(
                        "{host} terminated with {} tasks not yet stopped",
                        h.tasks.len()
                    ),
                ),
                Some(_) => {}
                None => self.fail(at, "host transition", format!("{host} terminated twice")),
            },
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
            EventKind::TaskStopped { task, .. } => {
                let Some(t) = self.tasks.remove(task) else {
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
                    h.tasks.remove(task);
                }
            }
            EventKind::TaskReplaced { old, new, .. } => {
                // A move the page draws: the same owner, from a placed task to one placed on
                // another host.
                let (o, n) = (self.tasks.get(old), self.tasks.get(new));
                let ok = match (o, n) {
                    (Some(o), Some(n)) => {
                        o.owner == n.owner
                            && n.host.is_some()
                            && o.host.is_some()
                            && o.host != n.host
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
            } => {
                let config = sim
                    .deploy_state()
                    .active
                    .get(service)
                    .filter(|d| d.id == *deployment)
                    .map(|d| &d.config)
                    .or_else(|| {
                        sim.deploy_state()
                            .finished
                            .get(service)?
                            .iter()
                            .find(|d| d.id == *deployment)
                            .map(|d| &d.config)
                    });
                if let Some(c) = config {
                    self.services[service.0 as usize].deployment = Some((
                        c.minimum_healthy_percent,
                        c.maximum_percent,
                        *strategy != Strategy::Rolling,
                    ));
                }
            }
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

    fn host_moves(&mut self, at: SimTime, h: HostId, to: HostStatus, from: &[HostStatus]) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return self.fail(at, "host transition", format!("{h} unknown moved to {to}"));
        };
        let was = host.status;
        host.status = to;
        if !from.contains(&was) {
            self.fail(at, "host transition", format!("{h} {was} → {to}"));
        }
    }

    fn task_created(&mut self, sim: &Sim, at: SimTime, task: TaskId, owner: Owner) {
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

    /// A health-check verdict: only a RUNNING task that is not stopping gets one.
    fn health_verdict(&mut self, at: SimTime, task: TaskId, healthy: bool) {
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

    fn task_placed(&mut self, at: SimTime, task: TaskId, h: HostId) {
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

    fn task_state(&mut self, at: SimTime, task: TaskId, state: TaskState) {
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

    fn task_stopping(&mut self, sim: &Sim, at: SimTime, task: TaskId, cause: StopCause) {
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

    /// Checks that hold at the end of every instant (all events at one simulated ms).
    pub fn end_instant(&mut self, sim: &Sim, at: SimTime) {
        self.drain_batch.clear();
        if self.last_instant != Some(at) {
            self.last_instant = Some(at);
            let second = at.ms() / SECOND;
            if second != self.second {
                self.second = second;
                self.instants = 0;
            }
            self.instants += 1;
            if self.instants == INSTANTS_PER_SECOND {
                self.fail(
                    at,
                    "timer storm",
                    format!("{INSTANTS_PER_SECOND} firing instants within one simulated second"),
                );
            }
        }
        let mut stranded = None;
        for (h, host) in &self.hosts {
            if host.status != HostStatus::Deregistering {
                continue;
            }
            if let Some(t) = host
                .tasks
                .iter()
                .find(|t| self.tasks.get(t).is_some_and(|t| t.stopping.is_none()))
            {
                stranded = Some((*h, *t));
            }
        }
        if let Some((h, t)) = stranded {
            self.fail(
                at,
                "live task on a deregistering host",
                format!("{t} still live on {h}"),
            );
        }
        let cost = sim.cost();
        let (rate, bound_rate) = (cost.rate().0, cost.lower_bound_per_hour.0);
        // The bound is an LP optimum rounded to µ$: allow rounding, nothing more.
        if rate + rate / 1_000 + 10 < bound_rate {
            self.fail(
                at,
                "cost ≥ lower bound",
                format!("fleet costs {rate} µ$/h, below its lower bound {bound_rate} µ$/h"),
            );
        }
        let (total, bound_total) = (cost.total().0, cost.lower_bound.0);
        if total + total / 1_000 + 10 < bound_total {
            self.fail(
                at,
                "cost ≥ lower bound",
                format!("fleet cost {total} µ$ so far, below its lower bound {bound_total} µ$"),
            );
        }
    }
}
