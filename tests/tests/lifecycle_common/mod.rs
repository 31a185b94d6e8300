//! Shared helpers of the lifecycle tests: an observer that rebuilds, from the event stream alone,
//! each service's healthy tasks and desired count, and checks the drain invariant at every stop.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use fleetsim_core::event::{Event, EventKind};
use fleetsim_core::world::{HostId, Owner, StopCause, TaskId};
use fleetsim_core::{Command, Sim, SimTime};

#[derive(Default)]
pub struct Observer {
    pub owner: BTreeMap<TaskId, Owner>,
    pub host_of: BTreeMap<TaskId, HostId>,
    pub healthy: BTreeMap<u32, BTreeSet<TaskId>>,
    pub desired: Vec<u32>,
    pub min_pct: Vec<u32>,
    pub launched: BTreeMap<HostId, SimTime>,
    pub terminated: BTreeMap<HostId, SimTime>,
    /// Stops that took a service below ceil(desired × minimumHealthyPercent).
    pub violations: Vec<String>,
    pub events: Vec<Event>,
}

/// Stops the invariant covers: drains, rebalancing, consolidation, patching, scale-in. Forced
/// deregistration, AZ impairment, user stops and failed starts are outside it.
pub fn covered(cause: StopCause) -> bool {
    matches!(
        cause,
        StopCause::HostDraining
            | StopCause::HostDrainingNoRoom
            | StopCause::Rebalance
            | StopCause::ScaleIn
            | StopCause::PendingOnDrainingHost
    )
}

impl Observer {
    pub fn new(sim: &Sim) -> Observer {
        let sc = sim.scenario();
        Observer {
            desired: sim.services().iter().map(|s| s.desired).collect(),
            min_pct: sc
                .services
                .iter()
                .map(|s| s.deployment_configuration.minimum_healthy_percent)
                .collect(),
            ..Observer::default()
        }
    }

    pub fn floor(&self, s: u32) -> u32 {
        (u64::from(self.desired[s as usize]) * u64::from(self.min_pct[s as usize])).div_ceil(100)
            as u32
    }

    pub fn feed(&mut self, sim: &mut Sim) {
        for e in sim.take_events() {
            self.one(&e);
            self.events.push(e);
        }
    }

    fn one(&mut self, e: &Event) {
        match e.kind {
            EventKind::TaskCreated { task, owner, .. } => {
                self.owner.insert(task, owner);
            }
            EventKind::TaskPlaced { task, host, .. } => {
                self.host_of.insert(task, host);
            }
            EventKind::TaskHealthy { task } => {
                if let Some(Owner::Service(s)) = self.owner.get(&task) {
                    self.healthy.entry(s.0).or_default().insert(task);
                }
            }
            EventKind::TaskStopping { task, cause } => {
                if let Some(Owner::Service(s)) = self.owner.get(&task).copied() {
                    let set = self.healthy.entry(s.0).or_default();
                    let was_healthy = set.remove(&task);
                    let left = set.len() as u32;
                    if was_healthy && covered(cause) && left < self.floor(s.0) {
                        self.violations.push(format!(
                            "{}: {task} stopped ({cause:?}) leaving {left} healthy of service {} (desired {}, floor {})",
                            e.at,
                            s.0,
                            self.desired[s.0 as usize],
                            self.floor(s.0)
                        ));
                    }
                }
            }
            EventKind::DesiredChanged { service, to, .. } => self.desired[service.0 as usize] = to,
            EventKind::HostLaunched { host, .. } => {
                self.launched.insert(host, e.at);
            }
            EventKind::HostTerminated { host, .. } => {
                self.terminated.insert(host, e.at);
            }
            _ => {}
        }
    }

    pub fn count(&self, f: impl Fn(&EventKind) -> bool) -> usize {
        self.events.iter().filter(|e| f(&e.kind)).count()
    }

    pub fn first_at(&self, f: impl Fn(&EventKind) -> bool) -> Option<SimTime> {
        self.events.iter().find(|e| f(&e.kind)).map(|e| e.at)
    }
}

/// Runs to `until`, feeding the observer after every instant (so no intermediate state is missed
/// by the invariant: it reads every event).
pub fn run_to(sim: &mut Sim, obs: &mut Observer, until: SimTime) {
    while let Some(at) = sim.next_event_at().filter(|at| *at <= until) {
        sim.step_until(at);
        obs.feed(sim);
    }
    sim.step_until(until);
    obs.feed(sim);
}

pub fn apply(sim: &mut Sim, obs: &mut Observer, c: Command) {
    sim.apply(c).expect("command accepted");
    obs.feed(sim);
}

/// Impairs use1-az2 (its tasks move away), recovers it at 40 minutes and runs until `until`:
/// the imbalance a rebalance would fix.
pub fn impair_and_recover(s: fleetsim_core::Scenario, until: SimTime) -> (Sim, Observer) {
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(15));
    let az = "use1-az2".to_string();
    apply(&mut sim, &mut obs, Command::ImpairAz { az: az.clone() });
    run_to(&mut sim, &mut obs, SimTime::from_mins(40));
    apply(&mut sim, &mut obs, Command::RecoverAz { az });
    run_to(&mut sim, &mut obs, until);
    (sim, obs)
}

/// Live tasks of a service per AZ (on hosts, whatever the host's state).
pub fn per_az(sim: &Sim, service: u32) -> Vec<u32> {
    let mut counts = vec![0u32; sim.az_names().count()];
    for t in sim
        .tasks()
        .filter(|t| t.owner == Owner::Service(fleetsim_core::world::ServiceId(service)) && t.live())
    {
        if let Some(h) = t.host.and_then(|h| sim.host(h)) {
            counts[h.az as usize] += 1;
        }
    }
    counts
}
