//! Lessons: a scenario told in steps. Each step says what happens (a narrative), moves the
//! timeline to a time (optionally applying a command on the way), and asks the room a question
//! whose answer the simulation computes (`answer`), with a one-sentence reason from the event
//! log. A lesson travels in a share string beside the scenario, and the workshop presets are
//! lessons in the same format (`presets/*.json`).

mod answer;
pub mod draft;
mod validate;

pub use answer::{answers, Answering, StepAnswer};

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::{Command, Timed};
use crate::time::SimTime;
use crate::world::{HostStatus, TaskState};

/// The lesson format this build writes; it reads formats 1 up to this one.
pub const LESSON_FORMAT: u32 = 1;
pub const MAX_LESSON_STEPS: u32 = 30;
pub const MAX_NARRATIVE_CHARS: u32 = 600;
pub const MAX_PROMPT_CHARS: u32 = 300;
pub const MAX_CHOICE_CHARS: u32 = 64;
pub const MIN_CHOICES: u32 = 2;
pub const MAX_CHOICES: u32 = 4;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lesson {
    #[serde(default = "format_version")]
    pub version: u32,
    /// Stable, URL-safe: lower-case letters, digits and `-`.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub steps: Vec<Step>,
}

fn format_version() -> u32 {
    LESSON_FORMAT
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    pub narrative: String,
    /// Where the timeline goes; the question is answered at this moment.
    pub at: SimTime,
    /// Applied on the way, at `commandAt` (default: where the previous step ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_at: Option<SimTime>,
    pub question: Question,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    pub ask: Ask,
    /// 2–4 choices, exactly one of which the simulation's answer matches; none for a number
    /// the room says out loud.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// The author's own answer: tests fail when the simulation disagrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// What the simulation is asked, after the step. Each kind names the event that decides it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Ask {
    /// Which AZ the service's `n`th task (counting from 1, in creation order) was placed in.
    AzOfTask { service: String, n: u32 },
    /// How many of the service's tasks are in `state`.
    TasksInState { service: String, state: TaskState },
    /// How many of the service's live tasks run in the AZ.
    TasksInAz { service: String, az: String },
    /// How many hosts there are, or how many are in `status`.
    Hosts {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<HostStatus>,
    },
    /// How many hosts were launched during the step.
    HostsLaunched,
    /// The most hosts at once during the step.
    PeakHosts,
    /// The fleet's rate in whole dollars per hour (EC2 and management fee, rounded).
    CostPerHour,
    /// "Managed Instances" or "Fargate": which costs less per hour right now.
    CheaperPerHour,
    /// Percent of the service's production traffic on the new revision.
    TrafficOnNew { service: String },
    /// How the service's deployment stands (`SUCCESSFUL`, `ROLLBACK_SUCCESSFUL`,
    /// `IN_PROGRESS`…).
    DeploymentOutcome { service: String },
    /// The day (as the clock shows it, from Day 0) the first host started draining.
    FirstDrainDay,
    /// Which of the strategies in the choices sends fewer requests to `revision` when the
    /// service is deployed to it (each run from the scenario's start, as
    /// `fleetsim compare-strategies` does).
    FewerExposed { service: String, revision: String },
}

impl Ask {
    /// The answer is one of the choices, never a number.
    pub fn needs_choices(&self) -> bool {
        matches!(
            self,
            Ask::AzOfTask { .. }
                | Ask::CheaperPerHour
                | Ask::DeploymentOutcome { .. }
                | Ask::FewerExposed { .. }
        )
    }

    /// The kinds the page's lesson form offers: id, label, and the fields each one needs.
    pub const KINDS: [(&'static str, &'static str, &'static [&'static str]); 12] = [
        (
            "azOfTask",
            "Which AZ holds a service's Nth task",
            &["service", "n"],
        ),
        (
            "tasksInState",
            "How many of a service's tasks are in a state",
            &["service", "state"],
        ),
        (
            "tasksInAz",
            "How many of a service's tasks run in an AZ",
            &["service", "az"],
        ),
        ("hosts", "How many hosts (of a status)", &["status"]),
        (
            "hostsLaunched",
            "How many hosts launch during the step",
            &[],
        ),
        ("peakHosts", "Most hosts at once during the step", &[]),
        ("costPerHour", "Fleet cost per hour (whole dollars)", &[]),
        (
            "cheaperPerHour",
            "Cheaper per hour: Managed Instances or Fargate",
            &[],
        ),
        (
            "trafficOnNew",
            "Percent of traffic on the new revision",
            &["service"],
        ),
        (
            "deploymentOutcome",
            "How the deployment stands",
            &["service"],
        ),
        ("firstDrainDay", "Day the first host starts draining", &[]),
        (
            "fewerExposed",
            "Which strategy exposes fewer requests",
            &["service", "revision"],
        ),
    ];
}

impl Lesson {
    /// The step commands as timed commands, each at its `commandAt` (or the previous step's
    /// time).
    pub fn commands(&self) -> Vec<Timed> {
        (0..self.steps.len())
            .filter_map(|i| {
                let command = self.steps[i].command.clone()?;
                Some(Timed {
                    at: self.command_at(i)?,
                    command,
                })
            })
            .collect()
    }

    /// When step `i`'s command applies: its `commandAt`, or where the step starts. `None`
    /// when the step has no command.
    pub fn command_at(&self, i: usize) -> Option<SimTime> {
        let s = self.steps.get(i)?;
        s.command.as_ref()?;
        Some(s.command_at.unwrap_or_else(|| self.step_start(i)))
    }

    /// Where step `i` starts: the previous step's time.
    pub fn step_start(&self, i: usize) -> SimTime {
        i.checked_sub(1)
            .and_then(|p| self.steps.get(p))
            .map_or(SimTime::ZERO, |s| s.at)
    }
}

/// The script a lesson runs: `base` with the lesson's commands merged in by time (at equal
/// times the base script's commands come first). The page and the answers both run this one.
pub fn script(base: &[Timed], lesson: Option<&Lesson>) -> Vec<Timed> {
    let mut out: Vec<Timed> = base.to_vec();
    if let Some(l) = lesson {
        out.extend(l.commands());
        // Stable: equal times keep base-first, then step order.
        out.sort_by_key(|c| c.at);
    }
    out
}
