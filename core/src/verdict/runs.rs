//! The simulated days behind the verdict: the scenario with the report's deployments, and
//! the same scenario with one cause of cost taken away.

use alloc::string::String;
use alloc::vec::Vec;

use crate::command::{Command, Timed};
use crate::scenario::{NetworkMode, RevisionSpec, Scenario, ValidationErrors, MAX_DAYS};
use crate::sim::Sim;
use crate::time::{SimTime, DAY, MINUTE};

/// Ledger totals at the end of a run, µ$.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub ec2: u64,
    pub fee: u64,
    pub fargate: u64,
    pub fargate_unrounded: u64,
    pub lower_bound: u64,
}

impl Totals {
    /// What Managed Instances cost: EC2 plus the management fee.
    pub fn managed(&self) -> u64 {
        self.ec2 + self.fee
    }
}

/// Two revisions the report deploys in turn, so that each deployment changes revision.
const REVISIONS: [&str; 2] = ["fleetsim-report-a", "fleetsim-report-b"];

pub struct Plan {
    pub scenario: Scenario,
    pub until: SimTime,
    pub script: Vec<Timed>,
    pub deployments: u32,
}

impl Plan {
    pub fn new(s: &Scenario, days: u32, deploys_per_week: u32) -> Plan {
        let days = u64::from(days).clamp(1, MAX_DAYS);
        let until = SimTime(days * DAY);
        let mut scenario = s.clone();
        let mut script = Vec::new();
        if deploys_per_week > 0 {
            for sv in &mut scenario.services {
                for r in REVISIONS {
                    if !sv.revisions.iter().any(|x| x.name == r) {
                        sv.revisions.push(RevisionSpec {
                            name: String::from(r),
                            ..RevisionSpec::default()
                        });
                    }
                }
            }
            // Deployments start on weekdays' mornings, evenly through the week, one service
            // after another ten minutes apart: the same plan for every run, so only the
            // cause a run removes differs.
            let every = 7 * DAY / u64::from(deploys_per_week.min(7 * 24));
            let mut at = DAY + 10 * 60 * MINUTE;
            let mut n = 0u32;
            while at < until.ms() {
                for (i, sv) in scenario.services.iter().enumerate() {
                    let t = at + i as u64 * 10 * MINUTE;
                    if t < until.ms() {
                        script.push(Timed {
                            at: SimTime(t),
                            command: Command::StartDeployment {
                                service: sv.name.clone(),
                                revision: String::from(REVISIONS[(n % 2) as usize]),
                                configuration: None,
                            },
                        });
                    }
                }
                n += 1;
                at += every;
            }
        }
        // A scenario already at its revision limit cannot take the two extra revisions.
        if scenario.validate().is_err() {
            scenario = s.clone();
            script.clear();
        }
        let deployments = script.len() as u32;
        Plan {
            scenario,
            until,
            script,
            deployments,
        }
    }

    /// One simulated run of `s`, with the report's deployments or without; run it with
    /// [`Run::work`].
    pub fn start(&self, s: &Scenario, deploy: bool) -> Result<Run, ValidationErrors> {
        Ok(Run {
            sim: Sim::new(s.clone())?,
            deploy,
            next: 0,
            day_end: SimTime((DAY).min(self.until.ms())),
            done: false,
        })
    }
}

/// A run in progress. It moves a day at a time, dropping the event log as it goes (the
/// verdict reads the ledger only, and 30 days of events are most of a run's memory), and can
/// stop after any number of timers: sliced or in one go, it is the same run.
pub struct Run {
    sim: Sim,
    deploy: bool,
    /// The next command of the plan's script.
    next: usize,
    /// The end of the day being run.
    day_end: SimTime,
    done: bool,
}

impl Run {
    /// Fires at most about `budget` timers; returns the timers fired and whether the run has
    /// reached the plan's end.
    pub fn work(&mut self, plan: &Plan, budget: u64) -> (u64, bool) {
        let script: &[Timed] = if self.deploy { &plan.script } else { &[] };
        let mut timers = 0;
        while !self.done && timers < budget {
            let command = script.get(self.next).filter(|c| c.at <= self.day_end);
            let target = command.map_or(self.day_end, |c| c.at);
            let r = self.sim.step_within(target, budget - timers);
            timers += r.timers;
            if !r.done {
                break;
            }
            if let Some(c) = command {
                // A deployment refused (e.g. one still running under a pause hook) is
                // simply not started; every run sees the same refusals up to its cause.
                let _ = self.sim.apply(c.command.clone());
                self.next += 1;
            } else {
                self.sim.take_events();
                if self.day_end >= plan.until {
                    self.done = true;
                } else {
                    self.day_end = SimTime((self.day_end.ms() + DAY).min(plan.until.ms()));
                }
            }
        }
        (timers, self.done)
    }

    /// Whole days run so far.
    pub fn days_done(&self) -> u32 {
        let day_start = self.day_end.ms().saturating_sub(1) / DAY;
        (if self.done { day_start + 1 } else { day_start }) as u32
    }

    pub fn totals(&self) -> Totals {
        let now = self.sim.now().ms();
        let l = &self.sim.ledger;
        Totals {
            ec2: l.ec2.total_at(now).0,
            fee: l.fee.total_at(now).0,
            fargate: l.fargate.total_at(now).0,
            fargate_unrounded: l.fargate_unrounded.total_at(now).0,
            lower_bound: l.lower.total_at(now).0,
        }
    }
}

/// No task needs an ENI: host network mode places by CPU and memory alone.
pub fn without_enis(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    for sv in &mut s.services {
        sv.task.network_mode = NetworkMode::Host;
    }
    for g in &mut s.standalone_tasks {
        g.task.network_mode = NetworkMode::Host;
    }
    s
}

/// Empty instances stop at once instead of after `scaleInAfter`.
pub fn without_scale_in_delay(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.capacity_provider.scale_in_after = Some(0);
    s
}
