//! `fleetsim report`: the cost verdict. The scenario's services run for a number of simulated
//! days on Managed Instances; the ledger gives what the instances cost (EC2 + fee), what the
//! same tasks would have cost on Fargate (sizes rounded up) and the lower bound. The
//! difference is then split into named reasons, each measured from the simulation:
//!
//! - the management fee and Fargate's size rounding come straight from the ledger;
//! - ENI density, idle capacity during the scale-in delay and surge capacity during
//!   deployments are each the change in (EC2 − unrounded Fargate) when the same days are run
//!   again without that cause (no ENI limit, `scaleInAfter` 0, no deployments);
//! - what is left is named too (EC2's prices against Fargate's, and room left on instances),
//!   so the reasons always add up to the difference exactly.
//!
//! Signed amounts are "Managed Instances minus Fargate": positive makes Managed Instances
//! dearer. Pure and `no_std`, so the page can show the same verdict.

mod job;
mod runs;
mod text;

use alloc::string::String;
use alloc::vec::Vec;

use crate::scenario::{Scenario, ValidationErrors};
pub use job::Job;
pub use runs::Totals;
pub use text::Dollars;

/// Simulated days a verdict runs unless asked otherwise, and the most it may run.
pub const DEFAULT_DAYS: u32 = 30;
pub const MAX_DAYS: u32 = 60;
/// Deployments of each service a week: one unless asked otherwise, at most one a day.
pub const DEFAULT_DEPLOYS_PER_WEEK: u32 = 1;
pub const MAX_DEPLOYS_PER_WEEK: u32 = 7;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    ManagementFee,
    FargateRounding,
    EniDensity,
    ScaleInDelay,
    DeploymentSurge,
    /// EC2's per-vCPU and per-GiB prices against Fargate's, and room left on instances.
    PriceAndPacking,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub cause: Cause,
    /// µ$, Managed Instances minus Fargate.
    pub micros: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub days: u32,
    /// The run as reported.
    pub base: Totals,
    /// Deployments the report started (one per service per `deploys_per_week`).
    pub deployments: u32,
    /// The assumption behind them (0 when the report started none).
    pub deploys_per_week: u32,
    /// `scaleInAfter` of the run, seconds (`None`: never).
    pub scale_in_after_seconds: Option<u64>,
    /// Services whose tasks are not a Fargate size: (name, size, the Fargate size it rounds to).
    pub rounded: Vec<(String, crate::scenario::TaskSize, crate::scenario::TaskSize)>,
    pub awsvpc_tasks: bool,
    /// The instances are Spot while Fargate is priced On-Demand: the text says so.
    pub spot: bool,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// µ$ Managed Instances (EC2 + fee) minus Fargate; the reasons sum to it.
    pub fn difference(&self) -> i64 {
        signed(self.base.managed()) - signed(self.base.fargate)
    }
    pub fn reason(&self, cause: Cause) -> i64 {
        self.reasons
            .iter()
            .filter(|r| r.cause == cause)
            .map(|r| r.micros)
            .sum()
    }
}

pub(crate) fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Runs `days` (1–`MAX_DAYS`) of the scenario, starting `deploys_per_week` deployments of each
/// service a week, and the three runs without a cause that the reasons need.
pub fn verdict(
    s: &Scenario,
    days: u32,
    deploys_per_week: u32,
) -> Result<Verdict, ValidationErrors> {
    let mut job = Job::new(s, days, deploys_per_week)?;
    loop {
        if let Some(v) = job.verdict() {
            return Ok(v.clone());
        }
        job.work(u64::MAX);
    }
}

/// The verdict from the four runs' totals (base, no ENI limit, no scale-in delay, no
/// deployments).
fn judge(s: &Scenario, plan: &runs::Plan, deploys_per_week: u32, t: [&Totals; 4]) -> Verdict {
    let [base, no_eni, no_delay, no_deploys] = t;
    // Each counterfactual: how much (EC2 − unrounded Fargate) the cause added.
    let gap = |t: &Totals| signed(t.ec2) - signed(t.fargate_unrounded);
    let mut reasons = alloc::vec![
        Reason {
            cause: Cause::ManagementFee,
            micros: signed(base.fee),
        },
        Reason {
            cause: Cause::FargateRounding,
            micros: -(signed(base.fargate) - signed(base.fargate_unrounded)),
        },
        Reason {
            cause: Cause::EniDensity,
            micros: gap(base) - gap(no_eni),
        },
        Reason {
            cause: Cause::ScaleInDelay,
            micros: gap(base) - gap(no_delay),
        },
        Reason {
            cause: Cause::DeploymentSurge,
            micros: gap(base) - gap(no_deploys),
        },
    ];
    let named: i64 = reasons.iter().map(|r| r.micros).sum();
    let difference = signed(base.managed()) - signed(base.fargate);
    reasons.push(Reason {
        cause: Cause::PriceAndPacking,
        micros: difference - named,
    });
    let rounded = s
        .services
        .iter()
        .filter_map(|sv| {
            let size = sv.task.size();
            let f = crate::cost::fargate::round_up(size)?;
            (f != size).then(|| (sv.name.clone(), size, f))
        })
        .collect();
    Verdict {
        days: (plan.until.ms() / crate::time::DAY) as u32,
        base: base.clone(),
        deployments: plan.deployments,
        deploys_per_week: if plan.deployments == 0 {
            0
        } else {
            deploys_per_week
        },
        scale_in_after_seconds: s.capacity_provider.scale_in_after_ms().map(|ms| ms / 1000),
        rounded,
        awsvpc_tasks: s.services.iter().any(|sv| sv.task.uses_eni()),
        spot: s.capacity_provider.capacity_option_type == crate::scenario::CapacityOptionType::Spot,
        reasons,
    }
}
