//! The simulation: owns the world, the event queue and the one PRNG. The caller owns time:
//! `step_until(t)` runs every timer due up to `t`; `next_event_at()` says when the next is due.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::catalog::InstanceType;
use crate::command::{Command, CommandError, Timed};
use crate::cost::lower_bound::{to_f, LowerBound, TypeCost};
use crate::cost::Ledger;
use crate::digest;
use crate::event::{Event, EventKind};
use crate::id_table::IdTable;
use crate::metrics::Metrics;
use crate::query::Expression;
use crate::queue::{Queue, Timer};
use crate::rng::Pcg32;
use crate::scenario::{
    PlacementConstraint, Rebalancing, Scenario, ValidationErrors, MAX_COMMANDS, MAX_DAYS,
};
use crate::time::{SimTime, DAY, SECOND};
use crate::world::{Host, HostId, Owner, Res, Revision, Service, ServiceId, Task, TaskId};

mod reads;

/// Events kept for the caller between `take_events` calls; older ones are dropped (the digest
/// still covers them). A browser tab that never drains the buffer cannot grow without bound.
pub const EVENT_BUFFER_CAP: usize = 100_000;

#[derive(Clone, Debug)]
pub struct AzState {
    pub name: String,
    pub impaired: bool,
}

/// Placement rules of one service or standalone group, parsed once.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    pub member_of: Vec<Expression>,
    pub distinct: bool,
}

#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) scenario: Scenario,
    pub(crate) catalog: Vec<InstanceType>,
    /// Catalog indices the capacity provider's instance requirements allow.
    pub(crate) eligible: Vec<u32>,
    pub(crate) now: SimTime,
    pub(crate) queue: Queue,
    pub(crate) rng: Pcg32,
    pub(crate) azs: Vec<AzState>,
    pub(crate) hosts: IdTable<HostId, Host>,
    pub(crate) tasks: IdTable<TaskId, Task>,
    pub(crate) services: Vec<Service>,
    pub(crate) groups: Vec<String>,
    pub(crate) rules: BTreeMap<Owner, Rules>,
    pub(crate) revisions: Vec<Revision>,
    pub(crate) next_host: u32,
    pub(crate) next_task: u32,
    pub(crate) ledger: Ledger,
    pub(crate) metrics: Metrics,
    pub(crate) events: Vec<Event>,
    pub(crate) digest: u64,
    pub(crate) event_count: u64,
    pub(crate) reconcile_queued: bool,
    /// Services whose tasks changed since the last scheduler pass (only those are reconciled).
    pub(crate) dirty: BTreeSet<ServiceId>,
    pub(crate) dirty_all: bool,
    /// Live tasks per owner, and live tasks with no host: indexes that keep passes cheap.
    pub(crate) owned: BTreeMap<Owner, BTreeSet<TaskId>>,
    pub(crate) unplaced: BTreeSet<TaskId>,
    pub(crate) spread: crate::spread::Spread,
    /// Bumped whenever capacity frees up or appears; tasks already waiting with a reason are
    /// retried only when it moved (otherwise every pass would re-scan every host for them).
    pub(crate) capacity_epoch: u64,
    pub(crate) tried_epoch: u64,
    /// (live, healthy) tasks per (owner, revision), and the hosts whose tasks are leaving
    /// (draining, deregistering, unreachable): the scheduler's census then costs O(leaving
    /// tasks), not O(tasks of the service), on every pass.
    pub(crate) counts: BTreeMap<(Owner, u32), (u32, u32)>,
    pub(crate) leaving_hosts: BTreeSet<HostId>,
    pub(crate) script: Vec<Timed>,
    /// Tasks not yet told to stop, and whether the world has hit `MAX_LIVE_TASKS` since one
    /// last stopped (`task_cap`).
    pub(crate) live_tasks: u32,
    pub(crate) at_task_cap: bool,
    pub(crate) image_version: u32,
    /// Lower-bound LPs per allowed type set (for packing under instance-type constraints).
    pub(crate) bounds: BTreeMap<Vec<u32>, LowerBound>,
    pub(crate) unplaced_reason: BTreeMap<TaskId, crate::event::PendingWhy>,
    pub(crate) lifecycle: crate::lifecycle::LifecycleState,
    pub(crate) deploy: crate::deploy::DeployState,
    /// A known bug switched on by the swarm's self-test; `None` in every real run.
    pub(crate) planted: Option<PlantedBug>,
}

/// Bugs the swarm must catch (its own test plants one and expects a report).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PlantedBug {
    /// Stops a task on a draining host before its replacement is healthy.
    StopBeforeReplacementHealthy,
}

/// What `step_until` did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct StepReport {
    pub timers: u64,
    pub events: u64,
    /// Every timer due by the requested time has fired and the clock stands there.
    pub done: bool,
}

impl Sim {
    pub fn new(scenario: Scenario) -> Result<Sim, ValidationErrors> {
        scenario.validate()?;
        let catalog = scenario.catalog();
        let req = &scenario.capacity_provider.instance_requirements;
        let eligible: Vec<u32> = (0..catalog.len() as u32)
            .filter(|&i| req.check(&catalog[i as usize]).is_ok())
            .collect();
        let mut sim = Sim {
            rng: Pcg32::seeded(scenario.seed),
            azs: scenario
                .availability_zones
                .iter()
                .map(|n| AzState {
                    name: n.clone(),
                    impaired: false,
                })
                .collect(),
            catalog,
            eligible,
            now: SimTime::ZERO,
            queue: Queue::default(),
            hosts: IdTable::default(),
            tasks: IdTable::default(),
            services: Vec::new(),
            groups: Vec::new(),
            rules: BTreeMap::new(),
            revisions: Vec::new(),
            next_host: 1,
            next_task: 1,
            ledger: Ledger::default(),
            metrics: Metrics::default(),
            events: Vec::new(),
            digest: digest::fold(0, &scenario.seed),
            event_count: 0,
            reconcile_queued: false,
            dirty: BTreeSet::new(),
            dirty_all: true,
            owned: BTreeMap::new(),
            unplaced: BTreeSet::new(),
            spread: Default::default(),
            capacity_epoch: 0,
            tried_epoch: u64::MAX,
            counts: BTreeMap::new(),
            leaving_hosts: BTreeSet::new(),
            script: Vec::new(),
            live_tasks: 0,
            at_task_cap: false,
            image_version: 1,
            bounds: BTreeMap::new(),
            unplaced_reason: BTreeMap::new(),
            lifecycle: Default::default(),
            deploy: Default::default(),
            planted: None,
            scenario,
        };
        sim.ledger = Ledger::new(sim.ledger_bound());
        sim.build_world();
        sim.queue.push(SimTime::ZERO, Timer::Sample);
        sim.queue.push(SimTime::ZERO, Timer::Minute);
        sim.lifecycle_start();
        sim.request_reconcile();
        Ok(sim)
    }

    fn build_world(&mut self) {
        for (i, spec) in self.scenario.services.clone().iter().enumerate() {
            let id = ServiceId(i as u32);
            let owner = Owner::Service(id);
            let rev = self.add_revision(owner, alloc::format!("{}:1", spec.name), &spec.task, None);
            for r in &spec.revisions {
                self.add_revision(
                    owner,
                    alloc::format!("{}:{}", spec.name, r.name),
                    &spec.task,
                    Some(r),
                );
            }
            self.rules
                .insert(owner, parse_rules(&spec.placement_constraints));
            self.services.push(Service {
                id,
                name: spec.name.clone(),
                spec: i as u32,
                desired: spec.desired_count,
                revision: rev,
                rebalancing: spec.availability_zone_rebalancing == Rebalancing::Enabled,
                steady: false,
                failed_starts: 0,
                throttled_until: None,
            });
        }
        for (g, spec) in self.scenario.standalone_tasks.clone().iter().enumerate() {
            let owner = Owner::Standalone(g as u32);
            self.groups.push(spec.group.clone());
            let rev =
                self.add_revision(owner, alloc::format!("{}:1", spec.group), &spec.task, None);
            self.rules
                .insert(owner, parse_rules(&spec.placement_constraints));
            for _ in 0..spec.count {
                self.create_task(owner, rev, crate::event::CreateWhy::Standalone);
            }
        }
    }

    fn add_revision(
        &mut self,
        owner: Owner,
        label: String,
        task: &crate::scenario::TaskSpec,
        spec: Option<&crate::scenario::RevisionSpec>,
    ) -> u32 {
        let default = crate::scenario::RevisionSpec {
            name: String::new(),
            error_rate_bp: 10,
            p99_latency_ms: 120,
            fails_to_start: false,
            unhealthy_after_seconds: None,
        };
        let r = spec.unwrap_or(&default);
        self.revisions.push(Revision {
            label,
            owner,
            need: Res::of(task.size(), task.uses_eni()),
            stop_timeout_ms: u64::from(task.stop_timeout_seconds) * SECOND,
            error_rate_bp: r.error_rate_bp,
            p99_latency_ms: r.p99_latency_ms,
            fails_to_start: r.fails_to_start,
            unhealthy_after_ms: r.unhealthy_after_seconds.map(|s| u64::from(s) * SECOND),
        });
        self.revisions.len() as u32 - 1
    }

    /// The lower-bound LP over a set of catalog types (cached: its vertices are computed once).
    pub(crate) fn bound_for(&mut self, types: &[u32]) -> &LowerBound {
        let trunking = self.scenario.capacity_provider.awsvpc_trunking;
        let catalog = &self.catalog;
        self.bounds.entry(types.to_vec()).or_insert_with(|| {
            LowerBound::new(
                types
                    .iter()
                    .map(|&i| {
                        let t = &catalog[i as usize];
                        type_cost(t, trunking, t.total_per_hour().0)
                    })
                    .collect(),
            )
        })
    }

    /// Switches on a known bug, so a test can prove the swarm notices it.
    #[doc(hidden)]
    pub fn plant_bug(&mut self, bug: PlantedBug) {
        self.planted = Some(bug);
    }

    /// The ledger's lower bound: every allowed type at what its hosts are billed (Spot fleets at
    /// the Spot price), so the fleet's cost can never fall below it. Placement's bounds
    /// (`bound_for`) compare types at On-Demand prices and stay as they are.
    fn ledger_bound(&self) -> LowerBound {
        let trunking = self.scenario.capacity_provider.awsvpc_trunking;
        let option = self.scenario.capacity_provider.capacity_option_type;
        LowerBound::new(
            self.eligible
                .iter()
                .map(|&i| {
                    let (ec2, fee) = self.host_prices(i, option);
                    type_cost(&self.catalog[i as usize], trunking, ec2 + fee)
                })
                .collect(),
        )
    }

    // ---- time -------------------------------------------------------------------------

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// When the next timer is due (there is always one: metric samples recur).
    pub fn next_event_at(&self) -> Option<SimTime> {
        self.queue.next_at()
    }

    /// The furthest a run may go (the scenario limit keeps a tab from running for ever).
    pub fn horizon(&self) -> SimTime {
        SimTime(MAX_DAYS * DAY)
    }

    /// Runs every timer due at or before `t`, then sets the clock to `t`.
    pub fn step_until(&mut self, t: SimTime) -> StepReport {
        self.step_within(t, u64::MAX)
    }

    /// Like `step_until`, but fires at most `budget` timers, so a caller without threads can
    /// spread a long run over many slices. `done` says whether the clock reached `t`; if not,
    /// the clock stands at the last timer fired and the next call resumes exactly there
    /// (slices give the same run as one call).
    pub fn step_within(&mut self, t: SimTime, budget: u64) -> StepReport {
        let t = t.min(self.horizon());
        let before = self.event_count;
        let mut timers = 0;
        while timers < budget {
            let Some((at, timer)) = self.queue.pop_due(t) else {
                break;
            };
            self.now = at;
            timers += 1;
            self.fire(timer);
        }
        let done = self.queue.next_at().is_none_or(|at| at > t);
        if done && t > self.now {
            self.now = t;
        }
        StepReport {
            timers,
            events: self.event_count - before,
            done,
        }
    }

    /// Runs timers until at least one event is emitted or `limit` is reached; returns the time
    /// reached. This is the UI's "step to the next event".
    pub fn step_to_next_event(&mut self, limit: SimTime) -> SimTime {
        let before = self.event_count;
        while self.event_count == before {
            match self.next_event_at() {
                Some(at) if at <= limit => {
                    self.step_until(at);
                }
                _ => {
                    self.step_until(limit);
                    break;
                }
            }
        }
        self.now
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::Reconcile => {
                self.reconcile_queued = false;
                self.reconcile();
            }
            Timer::HostRegistered(h) => self.host_registered(h),
            Timer::TaskStep(t, gen) => self.task_step(t, gen),
            Timer::TaskHealthy(t, gen) => self.task_healthy(t, gen),
            Timer::TaskUnhealthy(t, gen) => self.task_unhealthy(t, gen),
            Timer::Sample => {
                self.sample();
                let every = u64::from(self.scenario.timing.metrics_interval_seconds) * SECOND;
                self.queue.push(self.now + every, Timer::Sample);
            }
            Timer::Minute => {
                self.minute();
                self.queue
                    .push(self.now + crate::time::MINUTE, Timer::Minute);
            }
            Timer::HostCheck(h, gen) => self.host_check(h, gen),
            Timer::HostDeadline(h) => self.host_deadline(h),
            Timer::PatchDue(h) => self.patch_due(h),
            Timer::ProtectionExpired(_) | Timer::ThrottleEnds(_) => self.request_reconcile(),
            Timer::Deploy(s, gen) => self.deploy_timer(s, gen),
        }
    }

    /// Every service is reconciled at the next pass (commands, host-level changes).
    pub(crate) fn request_reconcile(&mut self) {
        self.dirty_all = true;
        self.capacity_epoch += 1;
        self.request_placement();
    }

    /// One service is reconciled at the next pass.
    pub(crate) fn touch(&mut self, owner: Owner) {
        if let Owner::Service(s) = owner {
            self.dirty.insert(s);
        }
        self.request_placement();
    }

    /// The services with tasks on a host are reconciled at the next pass.
    pub(crate) fn touch_host(&mut self, h: HostId) {
        let owners: BTreeSet<Owner> = self
            .hosts
            .get(&h)
            .map(|host| {
                host.tasks
                    .iter()
                    .filter_map(|t| self.tasks.get(t))
                    .map(|t| t.owner)
                    .collect()
            })
            .unwrap_or_default();
        for o in owners {
            self.touch(o);
        }
    }

    /// A scheduler pass runs at the current time (coalesced: at most one queued).
    pub(crate) fn request_placement(&mut self) {
        if !self.reconcile_queued {
            self.reconcile_queued = true;
            self.queue.push(self.now, Timer::Reconcile);
        }
    }

    pub(crate) fn emit(&mut self, kind: EventKind) {
        let event = Event { at: self.now, kind };
        self.digest = digest::fold(self.digest, &event);
        self.event_count += 1;
        if self.events.len() >= EVENT_BUFFER_CAP {
            self.events.drain(..EVENT_BUFFER_CAP / 2);
        }
        self.events.push(event);
    }

    // ---- commands ---------------------------------------------------------------------

    /// Applies a command at the current time, once the timers due by then have fired, and
    /// records it in the script.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        // A command sees its instant settled: every timer due by now has fired (what an earlier
        // command of the same millisecond queued included), so live play, where clicks come
        // back to back, and a replay of the recorded script, which steps to each command's
        // time, run the same way.
        self.step_until(self.now);
        if self.script.len() as u32 >= MAX_COMMANDS {
            return Err(CommandError::ScriptTooLong {
                limit: MAX_COMMANDS,
            });
        }
        self.execute(&command)?;
        self.script.push(Timed {
            at: self.now,
            command: command.clone(),
        });
        self.emit(EventKind::Command(command));
        Ok(())
    }

    /// Replays a recorded script up to `until`: steps to each command's time and applies it.
    pub fn replay(&mut self, script: &[Timed], until: SimTime) -> Result<(), (u32, CommandError)> {
        for (i, c) in script.iter().enumerate() {
            if c.at > until {
                break;
            }
            self.step_until(c.at);
            self.apply(c.command.clone()).map_err(|e| (i as u32, e))?;
        }
        self.step_until(until);
        Ok(())
    }

    pub(crate) fn service_by_name(&self, name: &str) -> Result<ServiceId, CommandError> {
        self.services
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id)
            .ok_or_else(|| CommandError::UnknownService(String::from(name)))
    }

    pub(crate) fn live_host(&self, id: u32) -> Result<HostId, CommandError> {
        let h = HostId(id);
        self.hosts
            .contains_key(&h)
            .then_some(h)
            .ok_or(CommandError::UnknownHost(id))
    }

    fn execute(&mut self, command: &Command) -> Result<(), CommandError> {
        match command {
            Command::SetDesiredCount { service, count } => {
                let sid = self.service_by_name(service)?;
                self.check_desired(sid, *count)?;
                self.set_desired(sid, *count, false);
                Ok(())
            }
            Command::RunTask { group, count } => {
                let g = self
                    .groups
                    .iter()
                    .position(|n| n == group)
                    .ok_or_else(|| CommandError::UnknownGroup(group.clone()))?
                    as u32;
                self.check_run_task(*count)?;
                let rev = self
                    .revisions
                    .iter()
                    .position(|r| r.owner == Owner::Standalone(g))
                    .unwrap_or(0) as u32;
                for _ in 0..*count {
                    self.create_task(
                        Owner::Standalone(g),
                        rev,
                        crate::event::CreateWhy::Standalone,
                    );
                }
                Ok(())
            }
            Command::StopTask { task } => {
                let t = TaskId(*task);
                if !self.tasks.get(&t).is_some_and(|t| t.live()) {
                    return Err(CommandError::UnknownTask(*task));
                }
                self.stop_task(t, crate::world::StopCause::UserInitiated);
                self.request_reconcile();
                Ok(())
            }
            Command::DrainHost { host } => {
                let h = self.live_host(*host)?;
                self.drain_host(h, crate::world::DrainCause::Operator);
                Ok(())
            }
            other => self.execute_more(other),
        }
    }

    pub(crate) fn set_desired(&mut self, sid: ServiceId, count: u32, by_autoscaling: bool) {
        let svc = &mut self.services[sid.0 as usize];
        if svc.desired == count {
            return;
        }
        let from = svc.desired;
        svc.desired = count;
        self.emit(EventKind::DesiredChanged {
            service: sid,
            from,
            to: count,
            by_autoscaling,
        });
        self.request_reconcile();
    }
}

/// One instance type as the lower-bound LP sees it: its task capacity and its hourly price.
fn type_cost(t: &InstanceType, trunking: bool, price_per_hour: u64) -> TypeCost {
    TypeCost {
        cap: to_f(Res {
            cpu: t.cpu_units(),
            memory: t.memory_mib,
            enis: t.task_enis(trunking),
        }),
        price: price_per_hour as f64,
    }
}

fn parse_rules(constraints: &[PlacementConstraint]) -> Rules {
    let mut rules = Rules::default();
    for c in constraints {
        match c {
            PlacementConstraint::DistinctInstance => rules.distinct = true,
            PlacementConstraint::MemberOf { expression } => {
                // Validation already parsed it; a parse failure cannot reach here.
                if let Ok(e) = Expression::parse(expression) {
                    rules.member_of.push(e);
                }
            }
        }
    }
    rules
}
