//! Shared pieces of the known-defect tests (`trust_defects.rs`): a one-service scenario, the
//! steps an instructor takes, and an observer that keeps its own books from the event stream.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use fleetsim_core::event::EventKind;
use fleetsim_core::scenario::{
    DeploymentConfiguration, HookTarget, LifecycleHook, LifecycleStage as S, RevisionSpec,
    Scenario, ServiceSpec, Strategy, TimeoutAction, TimeoutConfiguration,
};
use fleetsim_core::time::{HOUR, MINUTE};
use fleetsim_core::world::{HostId, Owner, ServiceId, StopCause, TaskId, TaskState};
use fleetsim_core::{Command, Sim, SimTime};

pub const WEB: ServiceId = ServiceId(0);

pub fn revision(name: &str, fails_to_start: bool) -> RevisionSpec {
    RevisionSpec {
        name: name.into(),
        error_rate_bp: 10,
        p99_latency_ms: 120,
        fails_to_start,
        unhealthy_after_seconds: None,
    }
}

/// One service "web" of `desired` 1-vCPU tasks with revisions v2 (healthy) and broken (its
/// containers exit on start).
pub fn web(desired: u32, strategy: Strategy, azs: usize) -> Scenario {
    let mut web = ServiceSpec::sized("web", desired, 1024, 2048);
    web.revisions = vec![revision("v2", false), revision("broken", true)];
    web.deployment_configuration.strategy = strategy;
    let mut s = Scenario {
        services: vec![web],
        ..Scenario::default()
    };
    s.availability_zones.truncate(azs);
    s
}

pub fn steady(s: Scenario) -> Sim {
    let mut sim = Sim::new(s).expect("valid scenario");
    while !sim.services()[0].steady {
        assert!(sim.now() < SimTime::from_hours(2), "never became steady");
        let t = sim.now() + MINUTE;
        sim.step_until(t);
    }
    sim
}

pub fn apply(sim: &mut Sim, c: Command) {
    sim.apply(c).expect("command accepted");
}

pub fn deploy(sim: &mut Sim, revision: &str, configuration: Option<DeploymentConfiguration>) {
    apply(
        sim,
        Command::StartDeployment {
            service: "web".into(),
            revision: revision.into(),
            configuration,
        },
    );
}

pub fn hosts_of_service(sim: &Sim) -> BTreeSet<HostId> {
    sim.tasks()
        .filter(|t| t.owner == Owner::Service(WEB) && t.live())
        .filter_map(|t| t.host)
        .collect()
}

/// Steps event by event until `until` or `stop` says so; the observer sees every instant.
pub fn run(sim: &mut Sim, obs: &mut Observer, until: SimTime, mut stop: impl FnMut(&Sim) -> bool) {
    while let Some(at) = sim.next_event_at().filter(|at| *at <= until) {
        sim.step_until(at);
        obs.feed(sim);
        if stop(sim) {
            return;
        }
    }
    sim.step_until(until);
    obs.feed(sim);
}

/// Rebuilds, from events alone, which of the service's tasks are healthy and reachable, and
/// records every stop of a healthy task with the healthy count it left.
#[derive(Default)]
pub struct Observer {
    pub revision: BTreeMap<TaskId, u32>,
    pub az: BTreeMap<TaskId, u32>,
    /// Healthy tasks of WEB, per revision, on reachable hosts.
    pub healthy: BTreeMap<u32, BTreeSet<TaskId>>,
    pub impaired: BTreeSet<u32>,
    /// (time, task, revision, cause, healthy of that revision left, healthy of all left).
    pub stops: Vec<(SimTime, TaskId, u32, StopCause, u32, u32)>,
    pub az_impaired_stops: u32,
    pub lowest_healthy: Option<u32>,
}

impl Observer {
    /// An observer that starts from `sim`'s tasks, all taken as healthy (a steady service).
    pub fn of_steady(sim: &Sim) -> Observer {
        let mut obs = Observer::default();
        for t in sim.tasks() {
            obs.revision.insert(t.id, t.revision);
            obs.healthy.entry(t.revision).or_default().insert(t.id);
        }
        obs
    }

    pub fn total(&self) -> u32 {
        self.healthy.values().map(|s| s.len() as u32).sum()
    }

    pub fn feed(&mut self, sim: &mut Sim) {
        for e in sim.take_events() {
            match e.kind {
                EventKind::TaskCreated {
                    task,
                    owner: Owner::Service(WEB),
                    revision,
                    ..
                } => {
                    self.revision.insert(task, revision);
                }
                EventKind::TaskPlaced { task, az, .. } => {
                    self.az.insert(task, az);
                }
                EventKind::TaskHealthy { task } => {
                    if let Some(r) = self.revision.get(&task) {
                        if !self
                            .az
                            .get(&task)
                            .is_some_and(|a| self.impaired.contains(a))
                        {
                            self.healthy.entry(*r).or_default().insert(task);
                        }
                    }
                }
                EventKind::AzImpaired { az } => {
                    self.impaired.insert(az);
                    for set in self.healthy.values_mut() {
                        set.retain(|t| self.az.get(t) != Some(&az));
                    }
                }
                EventKind::AzRecovered { az } => {
                    self.impaired.remove(&az);
                }
                EventKind::TaskStopping { task, cause } => {
                    if cause == StopCause::AzImpaired {
                        self.az_impaired_stops += 1;
                    }
                    if let Some(r) = self.revision.get(&task).copied() {
                        let set = self.healthy.entry(r).or_default();
                        if set.remove(&task) {
                            let left = set.len() as u32;
                            self.stops.push((e.at, task, r, cause, left, self.total()));
                        }
                    }
                }
                _ => {}
            }
            let total = self.total();
            self.lowest_healthy = Some(self.lowest_healthy.map_or(total, |l| l.min(total)));
        }
    }
}

pub fn rank(s: TaskState) -> u8 {
    match s {
        TaskState::Provisioning => 0,
        TaskState::Pending => 1,
        TaskState::Activating => 2,
        TaskState::Running => 3,
        TaskState::Deactivating => 4,
        TaskState::Stopping => 5,
        TaskState::Stopped => 6,
    }
}

/// A pause hook "hold" on `stage` that continues by itself after an hour.
pub fn hold(stage: S) -> LifecycleHook {
    LifecycleHook {
        name: "hold".into(),
        target_type: HookTarget::Pause,
        lifecycle_stages: vec![stage],
        timeout_configuration: TimeoutConfiguration {
            timeout_in_minutes: 60,
            action: TimeoutAction::Continue,
        },
        ..LifecycleHook::default()
    }
}

/// The service's configuration with a pause hook holding POST_SCALE_UP for up to an hour.
pub fn held(sim: &Sim) -> DeploymentConfiguration {
    let mut c = sim.scenario().services[0].deployment_configuration.clone();
    c.lifecycle_hooks = vec![hold(S::PostScaleUp)];
    c
}

/// Starts a deployment held at POST_SCALE_UP and steps until it gets there.
pub fn deploy_to_stage(sim: &mut Sim, obs: &mut Observer, revision: &str, stage: S) {
    let c = held(sim);
    deploy(sim, revision, Some(c));
    let limit = sim.now() + 3 * HOUR;
    run(sim, obs, limit, |sim| {
        sim.deployment(WEB).and_then(|d| d.stage()) == Some(stage)
    });
}

/// Every stop of a healthy task left at least `floor` healthy tasks of the service, unless ECS
/// documents the stop as an exception.
pub fn assert_floor(obs: &Observer, floor: u32, what: &str) {
    for &(at, task, rev, cause, _, all) in &obs.stops {
        let exception = matches!(
            cause,
            StopCause::AzImpaired
                | StopCause::HostDeregistered
                | StopCause::UserInitiated
                | StopCause::FailedToStart
        );
        assert!(
            exception || all >= floor,
            "{what} {at}: {task} (revision {rev}) stopped ({cause:?}) leaving {all} healthy"
        );
    }
}

/// Every stop of a task of `rev` left at least `at_least` healthy tasks of the other revisions.
pub fn assert_other_healthy_when_stopped(obs: &Observer, rev: u32, at_least: u32, what: &str) {
    for &(at, task, r, cause, same_left, all) in &obs.stops {
        if r == rev {
            let others = all - same_left;
            assert!(
                others >= at_least,
                "{what} {at}: {task} stopped ({cause:?}) with {others} healthy of the other revision"
            );
        }
    }
}
