//! The verdict as work that can stop and resume: the page runs it a frame's share at a time
//! (four runs of 30 days take longer than a frame), the CLI in one go. Both give the same
//! verdict, because a run sliced by timers is the same run (`Sim::step_within`).

use alloc::vec::Vec;

use super::runs::{self, Plan, Run};
use super::{judge, Totals, Verdict};
use crate::scenario::{Scenario, ValidationErrors};

pub struct Job {
    scenario: Scenario,
    deploys_per_week: u32,
    plan: Plan,
    /// The runs still to do, the current one first.
    runs: Vec<Run>,
    /// Totals of the finished runs, in the order `judge` takes them.
    totals: Vec<Totals>,
    planned: u32,
    verdict: Option<Verdict>,
}

impl Job {
    /// Checks the scenario and prepares the runs; nothing is simulated yet.
    pub fn new(s: &Scenario, days: u32, deploys_per_week: u32) -> Result<Job, ValidationErrors> {
        let plan = Plan::new(s, days, deploys_per_week);
        let mut list = alloc::vec![
            plan.start(&plan.scenario, true)?,
            plan.start(&runs::without_enis(&plan.scenario), true)?,
            plan.start(&runs::without_scale_in_delay(&plan.scenario), true)?,
        ];
        // Without deployments the run without them is the first run again.
        if plan.deployments > 0 {
            list.push(plan.start(&plan.scenario, false)?);
        }
        list.reverse();
        Ok(Job {
            scenario: s.clone(),
            deploys_per_week,
            planned: list.len() as u32,
            runs: list,
            totals: Vec::new(),
            plan,
            verdict: None,
        })
    }

    /// Fires about `budget` timers at most; returns how many it fired. [`Job::verdict`] says
    /// when it is done.
    pub fn work(&mut self, budget: u64) -> u64 {
        let mut left = budget;
        while self.verdict.is_none() {
            let Some(run) = self.runs.last_mut() else {
                self.finish();
                break;
            };
            let (timers, done) = run.work(&self.plan, left);
            left = left.saturating_sub(timers);
            if done {
                self.totals.push(run.totals());
                self.runs.pop();
            } else if left == 0 {
                break;
            }
        }
        budget - left
    }

    /// The verdict, once every run is done.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// Simulated days run so far, and in all.
    pub fn progress(&self) -> (u32, u32) {
        let days = (self.plan.until.ms() / crate::time::DAY) as u32;
        let current = self.runs.last().map_or(0, Run::days_done);
        (
            self.totals.len() as u32 * days + current,
            self.planned * days,
        )
    }

    fn finish(&mut self) {
        let t = &self.totals;
        let no_deploys = t.get(3).unwrap_or(&t[0]);
        self.verdict = Some(judge(
            &self.scenario,
            &self.plan,
            self.deploys_per_week,
            [&t[0], &t[1], &t[2], no_deploys],
        ));
    }
}
