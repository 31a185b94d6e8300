//! Answers computed from the simulation. One run from the scenario's start replays the lesson's
//! script step by step; after each step the question is answered from the world, the view or
//! the events seen so far, and the event that decided it gives the "why" sentence.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::{script, Ask, Lesson, Question};
use crate::command::Timed;
use crate::event::{Event, EventKind};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{HostStatus, Owner, TaskState};

/// The two answers of `cheaperPerHour`.
pub const CHEAPER: [&str; 2] = ["Managed Instances", "Fargate"];

/// Timers per slice of the run: the event buffer keeps its last 100,000 events, so the run
/// reads them often enough that none is dropped unseen.
const SLICE_TIMERS: u64 = 5_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepAnswer {
    /// As the page shows it: a number, an AZ, a status, a strategy.
    pub answer: String,
    /// Which of the choices it is (none for a number question without choices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<u32>,
    /// One sentence from the event log: the event that decided it.
    pub why: String,
}

impl StepAnswer {
    /// Whether `given` (a choice's text, or a typed number) is this answer.
    pub fn is(&self, given: &str) -> bool {
        let given = given.trim();
        given == self.answer
            || matches!((given.parse::<u64>(), self.answer.parse::<u64>()), (Ok(a), Ok(b)) if a == b)
    }
}

/// Every step's answer, in order; a step the simulation cannot answer (a refused command, a
/// task that does not exist yet, an answer that is none of the choices) gets a sentence saying
/// why. The lesson is assumed valid against `scenario` (`Lesson::validate`).
pub fn answers(
    scenario: &Scenario,
    base: &[Timed],
    lesson: &Lesson,
) -> Vec<Result<StepAnswer, String>> {
    let mut run = Answering::new(scenario, base, lesson);
    while !run.work(u64::MAX) {}
    run.answers
}

/// The same run in slices, so a page can spread a long lesson (a large world, many days) over
/// frames instead of freezing: `work` fires at most a budget of timers per call.
pub struct Answering {
    scenario: Scenario,
    lesson: Lesson,
    /// `None` when the scenario is refused (every step then says so).
    sim: Option<Sim>,
    script: Vec<Timed>,
    next: usize,
    memo: Memo,
    /// Whether the current step has begun (its memo reset).
    begun: bool,
    refused: Option<String>,
    answers: Vec<Result<StepAnswer, String>>,
}

impl Answering {
    pub fn new(scenario: &Scenario, base: &[Timed], lesson: &Lesson) -> Answering {
        let (sim, answers) = match Sim::new(scenario.clone()) {
            Ok(sim) => (Some(sim), Vec::new()),
            Err(e) => {
                let e = format!("the scenario is not valid: {e}");
                (None, lesson.steps.iter().map(|_| Err(e.clone())).collect())
            }
        };
        Answering {
            scenario: scenario.clone(),
            lesson: lesson.clone(),
            sim,
            script: script(base, Some(lesson)),
            next: 0,
            memo: Memo::default(),
            begun: false,
            refused: None,
            answers,
        }
    }

    /// Steps answered so far, of all.
    pub fn progress(&self) -> (u32, u32) {
        (self.answers.len() as u32, self.lesson.steps.len() as u32)
    }

    /// Every answer, once `work` has returned true.
    pub fn answers(&self) -> &[Result<StepAnswer, String>] {
        &self.answers
    }

    /// Runs at most `budget` timers (at least one step of the lesson's bookkeeping); true once
    /// every step is answered.
    pub fn work(&mut self, budget: u64) -> bool {
        let Some(sim) = self.sim.as_mut() else {
            return true;
        };
        let mut spent: u64 = 0;
        while let Some(step) = self.lesson.steps.get(self.answers.len()) {
            if !self.begun {
                self.memo.begin_step(sim.hosts().count() as u32);
                self.refused = None;
                self.begun = true;
            }
            let due = self.script.get(self.next).filter(|c| c.at <= step.at);
            let target = due.map_or(step.at, |c| c.at);
            let left = budget.saturating_sub(spent).min(SLICE_TIMERS);
            if left == 0 {
                return false;
            }
            let report = sim.step_within(target, left);
            spent = spent.saturating_add(report.timers);
            self.memo.read(sim);
            if !report.done {
                continue;
            }
            if let Some(c) = due {
                if let Err(e) = sim.apply(c.command.clone()) {
                    let e = format!("the command at {} was refused: {e}", c.at);
                    self.refused.get_or_insert(e);
                }
                self.memo.read(sim);
                self.next += 1;
                continue;
            }
            let result = match self.refused.take() {
                Some(e) => Err(e),
                None => ask(sim, &self.memo, &self.scenario, &step.question, step.at)
                    .and_then(|(answer, why)| with_choice(&step.question, answer, why)),
            };
            let i = self.answers.len() + 1;
            self.answers
                .push(result.map_err(|e| format!("step {i}: {e}")));
            self.begun = false;
        }
        true
    }
}

fn with_choice(q: &Question, answer: String, why: String) -> Result<StepAnswer, String> {
    let mut a = StepAnswer {
        answer,
        choice: None,
        why,
    };
    if q.choices.is_empty() {
        return Ok(a);
    }
    let matching: Vec<usize> = (0..q.choices.len())
        .filter(|&i| a.is(&q.choices[i]))
        .collect();
    match matching.as_slice() {
        [one] => {
            a.choice = Some(*one as u32);
            Ok(a)
        }
        [] => Err(format!(
            "the simulation's answer, {}, is none of the choices ({})",
            a.answer,
            q.choices.join(", ")
        )),
        _ => Err(format!(
            "the simulation's answer, {}, matches more than one choice",
            a.answer
        )),
    }
}

/// What the run remembers of the events it has seen, for the questions' answers and reasons.
#[derive(Default)]
struct Memo {
    /// Each service's tasks in creation order.
    created: BTreeMap<u32, Vec<u32>>,
    service_of: BTreeMap<u32, u32>,
    /// Each task's first placement.
    placed: BTreeMap<u32, Event>,
    /// The last placement of a service's task in an AZ.
    placed_in_az: BTreeMap<(u32, u32), Event>,
    /// The last impairment or recovery of an AZ.
    az_change: BTreeMap<u32, Event>,
    /// The last move of a service's task into a state.
    entered: BTreeMap<(u32, TaskState), Event>,
    /// The last host event that put a host in a status.
    host_status: BTreeMap<HostStatus, Event>,
    /// The last launch or termination.
    fleet_change: Option<Event>,
    terminated: Option<Event>,
    first_drain: Option<Event>,
    traffic: BTreeMap<u32, Event>,
    finished: BTreeMap<u32, Event>,
    started: BTreeMap<u32, Event>,
    // This step only:
    launched: u32,
    last_launch: Option<Event>,
    last_placed: Option<Event>,
    hosts: u32,
    peak: u32,
    peak_event: Option<Event>,
}

impl Memo {
    fn begin_step(&mut self, hosts: u32) {
        self.launched = 0;
        self.last_launch = None;
        self.last_placed = None;
        self.hosts = hosts;
        self.peak = hosts;
        self.peak_event = None;
    }

    fn read(&mut self, sim: &mut Sim) {
        for e in sim.take_events() {
            self.see(e);
        }
    }

    fn see(&mut self, e: Event) {
        match &e.kind {
            EventKind::TaskCreated {
                task,
                owner: Owner::Service(s),
                ..
            } => {
                self.created.entry(s.0).or_default().push(task.0);
                self.service_of.insert(task.0, s.0);
            }
            EventKind::TaskPlaced { task, az, .. } => {
                if let Some(&s) = self.service_of.get(&task.0) {
                    self.placed_in_az.insert((s, *az), e.clone());
                }
                self.placed.entry(task.0).or_insert_with(|| e.clone());
                self.last_placed = Some(e.clone());
            }
            EventKind::TaskState { task, state } => {
                if let Some(&s) = self.service_of.get(&task.0) {
                    self.entered.insert((s, *state), e.clone());
                }
            }
            EventKind::HostLaunched { .. } => {
                self.host_status.insert(HostStatus::Registering, e.clone());
                self.fleet_change = Some(e.clone());
                self.launched += 1;
                self.last_launch = Some(e.clone());
                self.hosts += 1;
                if self.hosts > self.peak {
                    self.peak = self.hosts;
                    self.peak_event = Some(e.clone());
                }
            }
            EventKind::HostRegistered { .. } => {
                self.host_status.insert(HostStatus::Active, e.clone());
            }
            EventKind::HostDraining { .. } => {
                self.host_status.insert(HostStatus::Draining, e.clone());
                self.first_drain.get_or_insert_with(|| e.clone());
            }
            EventKind::HostDeregistering { .. } => {
                self.host_status
                    .insert(HostStatus::Deregistering, e.clone());
            }
            EventKind::HostTerminated { .. } => {
                self.fleet_change = Some(e.clone());
                self.terminated = Some(e.clone());
                self.hosts = self.hosts.saturating_sub(1);
            }
            EventKind::AzImpaired { az } | EventKind::AzRecovered { az } => {
                self.az_change.insert(*az, e.clone());
            }
            EventKind::TrafficShifted { service, .. } => {
                self.traffic.insert(service.0, e.clone());
            }
            EventKind::DeploymentStarted { service, .. } => {
                self.started.insert(service.0, e.clone());
                self.finished.remove(&service.0);
            }
            EventKind::DeploymentFinished { service, .. } => {
                self.finished.insert(service.0, e.clone());
            }
            _ => {}
        }
    }
}

fn service_id(sim: &Sim, name: &str) -> Result<u32, String> {
    sim.services()
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.id.0)
        .ok_or_else(|| format!("no service named \"{name}\""))
}

fn why(sim: &Sim, e: Option<&Event>, otherwise: impl FnOnce() -> String) -> String {
    e.map_or_else(otherwise, |e| sim.describe(e))
}

fn whole_dollars(micros: u64) -> u64 {
    (micros + 500_000) / 1_000_000
}

/// The answer and its reason.
fn ask(
    sim: &Sim,
    memo: &Memo,
    scenario: &Scenario,
    q: &Question,
    at: SimTime,
) -> Result<(String, String), String> {
    let count = |n: u64, why: String| Ok((n.to_string(), why));
    match &q.ask {
        Ask::AzOfTask { service, n } => {
            let s = service_id(sim, service)?;
            let created = memo.created.get(&s).map_or(&[][..], Vec::as_slice);
            let index = n.checked_sub(1).ok_or("tasks are counted from 1")? as usize;
            let task = created.get(index).ok_or_else(|| {
                format!(
                    "{service} has created {} tasks by {at}, not {n}",
                    created.len()
                )
            })?;
            let e = memo
                .placed
                .get(task)
                .ok_or_else(|| format!("{service}'s task {n} is not placed by {at}"))?;
            let EventKind::TaskPlaced { az, .. } = e.kind else {
                return Err(String::from("internal: not a placement"));
            };
            Ok((sim.names().az(az).to_string(), sim.describe(e)))
        }
        Ask::TasksInState { service, state } => {
            let s = service_id(sim, service)?;
            let n = sim
                .tasks()
                .filter(|t| t.owner == Owner::Service(crate::world::ServiceId(s)))
                .filter(|t| t.state == *state)
                .count() as u64;
            count(
                n,
                why(sim, memo.entered.get(&(s, *state)), || {
                    format!("No task of {service} has been {state} so far.")
                }),
            )
        }
        Ask::TasksInAz { service, az } => {
            let s = service_id(sim, service)?;
            let z = sim
                .az_names()
                .position(|n| n == az)
                .ok_or_else(|| format!("no availability zone \"{az}\""))?
                as u32;
            let n = sim
                .tasks()
                .filter(|t| t.owner == Owner::Service(crate::world::ServiceId(s)) && t.live())
                .filter(|t| t.host.and_then(|h| sim.host(h)).is_some_and(|h| h.az == z))
                .count() as u64;
            // An impairment or recovery decides more than the placement before it.
            let placed = memo.placed_in_az.get(&(s, z));
            let e = match (placed, memo.az_change.get(&z)) {
                (Some(p), Some(a)) if a.at >= p.at => Some(a),
                (None, a) => a,
                (p, _) => p,
            };
            count(
                n,
                why(sim, e, || {
                    format!("No task of {service} has been placed in {az}.")
                }),
            )
        }
        Ask::Hosts { status } => {
            let n = sim
                .hosts()
                .filter(|h| status.is_none_or(|s| h.status == s))
                .count() as u64;
            // With none left in the status, the host that last left it says why.
            let e = match status {
                Some(s) => {
                    let entered = memo.host_status.get(s);
                    let left = match s {
                        HostStatus::Registering => memo.host_status.get(&HostStatus::Active),
                        HostStatus::Active => memo.host_status.get(&HostStatus::Draining),
                        HostStatus::Draining => memo.host_status.get(&HostStatus::Deregistering),
                        HostStatus::Deregistering => memo.terminated.as_ref(),
                    };
                    match (entered, left) {
                        (Some(i), Some(l)) if n == 0 && l.at >= i.at => Some(l),
                        _ => entered,
                    }
                }
                None => memo.fleet_change.as_ref(),
            };
            count(
                n,
                why(sim, e, || match status {
                    Some(s) => format!("No host has been {s} so far."),
                    None => String::from("No host has launched so far."),
                }),
            )
        }
        Ask::HostsLaunched => count(
            u64::from(memo.launched),
            why(
                sim,
                memo.last_launch.as_ref().or(memo.last_placed.as_ref()),
                || String::from("Nothing was launched or placed during this step."),
            ),
        ),
        Ask::PeakHosts => count(
            u64::from(memo.peak),
            why(sim, memo.peak_event.as_ref(), || {
                format!(
                    "No host launched during this step: the fleet stayed at {} hosts.",
                    memo.peak
                )
            }),
        ),
        Ask::CostPerHour => {
            let rate = sim.view().totals.rate_per_hour;
            count(
                whole_dollars(rate.0),
                why(sim, memo.fleet_change.as_ref(), || {
                    String::from("No host has launched so far.")
                }),
            )
        }
        Ask::CheaperPerHour => {
            let t = sim.view().totals;
            let (fleet, fargate) = (t.rate_per_hour, t.fargate_per_hour);
            let answer = match fleet.0.cmp(&fargate.0) {
                core::cmp::Ordering::Less => CHEAPER[0],
                core::cmp::Ordering::Greater => CHEAPER[1],
                core::cmp::Ordering::Equal => {
                    return Err(format!(
                        "both cost {fleet}/h at {at}: there is no cheaper one"
                    ))
                }
            };
            let sentence = why(sim, memo.fleet_change.as_ref(), String::new);
            Ok((
                answer.to_string(),
                format!("Fleet {fleet}/h, Fargate {fargate}/h. {sentence}")
                    .trim_end()
                    .to_string(),
            ))
        }
        Ask::TrafficOnNew { service } => {
            let s = service_id(sim, service)?;
            let e = memo.traffic.get(&s);
            let bp = match e.map(|e| &e.kind) {
                Some(EventKind::TrafficShifted {
                    production_green_bp,
                    ..
                }) => *production_green_bp,
                _ => 0,
            };
            count(
                u64::from(bp.div_ceil(100)),
                why(sim, e, || {
                    format!("No deployment has moved {service}'s traffic so far.")
                }),
            )
        }
        Ask::DeploymentOutcome { service } => {
            let s = service_id(sim, service)?;
            match (memo.finished.get(&s), memo.started.get(&s)) {
                (Some(e), _) => match &e.kind {
                    EventKind::DeploymentFinished { status, .. } => {
                        Ok((status.api_name().to_string(), sim.describe(e)))
                    }
                    _ => Err(String::from("internal: not a finish")),
                },
                (None, Some(e)) => Ok((String::from("IN_PROGRESS"), sim.describe(e))),
                (None, None) => Err(format!("no deployment of {service} has started by {at}")),
            }
        }
        Ask::FirstDrainDay => {
            let e = memo
                .first_drain
                .as_ref()
                .ok_or_else(|| format!("no host has started draining by {at}"))?;
            Ok((e.at.day().to_string(), sim.describe(e)))
        }
        Ask::FewerExposed { service, revision } => {
            fewer_exposed(scenario, service, revision, &q.choices)
        }
    }
}

/// Runs the service's deployment under every strategy, as `compare-strategies` does, and picks
/// among the choices the one that sent the fewest requests to the new revision.
fn fewer_exposed(
    scenario: &Scenario,
    service: &str,
    revision: &str,
    choices: &[String],
) -> Result<(String, String), String> {
    let mut rows = crate::compare::strategies::compare(scenario, Some(service), Some(revision))
        .map_err(|e| e.to_string())?;
    rows.retain(|r| choices.iter().any(|c| c == r.strategy.api_name()));
    let best = rows
        .iter()
        .min_by_key(|r| r.new_revision_requests)
        .ok_or("no strategy ran")?;
    if rows
        .iter()
        .filter(|r| r.new_revision_requests == best.new_revision_requests)
        .count()
        > 1
    {
        return Err(String::from("two strategies exposed as many requests"));
    }
    let figures: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.strategy.api_name(), r.new_revision_requests))
        .collect();
    let mut sentence = format!(
        "{} sent the fewest requests to {revision} (requests per strategy: {})",
        best.strategy.api_name(),
        figures.join(", ")
    );
    match &best.reason {
        Some(r) => sentence.push_str(&format!("; it stopped because {r}.")),
        None => sentence.push('.'),
    }
    Ok((best.strategy.api_name().to_string(), sentence))
}
