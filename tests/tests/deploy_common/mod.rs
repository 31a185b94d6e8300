//! Helpers shared by the deployment tests (`deploy_*.rs`).
#![allow(dead_code)]

use fleetsim_core::deploy::view::DeploymentView;
use fleetsim_core::event::{DeploymentStatus, EventKind};
use fleetsim_core::scenario::{
    AlarmMetric, AlarmSpec, DeploymentConfiguration, RevisionSpec, Scenario, ServiceSpec, Strategy,
};
use fleetsim_core::time::MINUTE;
use fleetsim_core::world::ServiceId;
use fleetsim_core::{Command, Event, Sim, SimTime};

pub const WEB: ServiceId = ServiceId(0);

pub fn revision(name: &str, error_rate_bp: u32, p99_latency_ms: u32) -> RevisionSpec {
    RevisionSpec {
        name: name.into(),
        error_rate_bp,
        p99_latency_ms,
        fails_to_start: false,
        unhealthy_after_seconds: None,
    }
}

/// One service "web" of `desired` 1-vCPU tasks with revisions v2 (healthy) and bad (8 % errors,
/// 900 ms p99), and the given strategy.
pub fn scenario(desired: u32, strategy: Strategy) -> Scenario {
    let mut web = ServiceSpec::sized("web", desired, 1024, 2048);
    web.revisions = vec![
        revision("v2", 10, 120),
        revision("v3", 10, 120),
        revision("bad", 800, 900),
    ];
    web.deployment_configuration.strategy = strategy;
    Scenario {
        services: vec![web],
        ..Scenario::default()
    }
}

pub fn error_alarm() -> AlarmSpec {
    AlarmSpec {
        name: "error-rate-green".into(),
        metric: AlarmMetric::ErrorRateBp,
        threshold: 200,
        period_seconds: 60,
        evaluation_periods: 3,
    }
}

pub fn with_alarms(
    mut c: DeploymentConfiguration,
    alarms: Vec<AlarmSpec>,
) -> DeploymentConfiguration {
    c.alarms.enable = true;
    c.alarms.rollback = true;
    c.alarms.alarms = alarms;
    c
}

pub fn config(s: &Scenario) -> DeploymentConfiguration {
    s.services[0].deployment_configuration.clone()
}

/// A sim whose service reached a steady state; the event buffer is emptied.
pub fn warm(s: Scenario) -> Sim {
    let mut sim = Sim::new(s).expect("valid scenario");
    while !sim.services()[0].steady {
        assert!(
            sim.now() < SimTime::from_hours(2),
            "service never became steady"
        );
        let t = sim.now() + MINUTE;
        sim.step_until(t);
    }
    sim.take_events();
    sim
}

pub fn deploy(sim: &mut Sim, revision: &str, configuration: Option<DeploymentConfiguration>) {
    sim.apply(Command::StartDeployment {
        service: "web".into(),
        revision: revision.into(),
        configuration,
    })
    .expect("deployment starts");
}

/// Steps event by event until the deployment ends; calls `check` after every step.
pub fn run_with(sim: &mut Sim, mut check: impl FnMut(&Sim, &[Event])) -> Vec<Event> {
    let mut all = sim.take_events();
    check(sim, &all);
    let limit = sim.now() + fleetsim_core::time::DAY * 3;
    while sim.deployment_active(WEB) {
        assert!(sim.now() < limit, "deployment did not finish in 3 days");
        sim.step_to_next_event(limit);
        let new = sim.take_events();
        check(sim, &new);
        all.extend(new);
    }
    all
}

pub fn run(sim: &mut Sim) -> Vec<Event> {
    run_with(sim, |_, _| {})
}

pub fn view(sim: &Sim) -> DeploymentView {
    sim.deployment_view(WEB).expect("a deployment")
}

pub fn finished(events: &[Event]) -> DeploymentStatus {
    events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::DeploymentFinished { status, .. } => Some(status),
            _ => None,
        })
        .expect("a DeploymentFinished event")
}

/// Revision index by label ("web:v2").
pub fn rev(sim: &Sim, label: &str) -> u32 {
    sim.revisions()
        .iter()
        .position(|r| r.label == label)
        .expect("revision") as u32
}

/// Live, healthy tasks of a revision.
pub fn healthy(sim: &Sim, revision: u32) -> u32 {
    sim.tasks()
        .filter(|t| t.revision == revision && t.live() && t.healthy)
        .count() as u32
}

pub fn live(sim: &Sim, revision: u32) -> u32 {
    sim.tasks()
        .filter(|t| t.revision == revision && t.live())
        .count() as u32
}
