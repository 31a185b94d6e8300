//! Strategy comparison: the same scenario and seed under each deployment strategy, with the
//! talk's trade-off between speed and exposure as numbers.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use serde::{Deserialize, Serialize};

use super::{duration, CompareError};
use crate::command::Command;
use crate::event::DeploymentStatus;
use crate::money::Micros;
use crate::scenario::{Scenario, Strategy};
use crate::sim::Sim;
use crate::time::{DAY, HOUR, MINUTE};
use crate::world::ServiceId;

/// The service must be steady before the deployment starts; give up after this long.
const WARM_UP_LIMIT_MS: u64 = 2 * HOUR;
/// A deployment that has not finished by then is reported as still running.
const RUN_LIMIT_MS: u64 = 31 * DAY;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyResult {
    pub strategy: Strategy,
    /// None when the deployment had not finished within the run limit.
    pub status: Option<DeploymentStatus>,
    pub duration_ms: u64,
    /// Most hosts above the fleet at the start of the deployment.
    pub peak_extra_hosts: u32,
    /// Cost during the deployment above the starting fleet's rate for as long.
    pub extra_cost: Micros,
    /// Requests the new revision served from the start of the deployment to the end of the
    /// slowest strategy's (after a success, all of them: it is in production then), so every
    /// strategy is counted over the same window.
    pub new_revision_requests: u64,
    /// Of those, the ones that failed.
    pub failed_requests: u64,
    /// Why it failed, as a sentence.
    pub reason: Option<String>,
}

/// Picks the service (default: the first with revisions) and revision (default: its first).
fn pick(
    scenario: &Scenario,
    service: Option<&str>,
    revision: Option<&str>,
) -> Result<(u32, String), CompareError> {
    let i = match service {
        Some(name) => scenario
            .services
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| CompareError::NoSuchService(String::from(name)))?,
        None => scenario
            .services
            .iter()
            .position(|s| !s.revisions.is_empty())
            .ok_or(CompareError::NoRevisionToDeploy)?,
    };
    let spec = &scenario.services[i];
    let rev = match revision {
        Some(r) => String::from(r),
        None => spec
            .revisions
            .first()
            .map(|r| r.name.clone())
            .ok_or_else(|| CompareError::NoRevisions(spec.name.clone()))?,
    };
    Ok((i as u32, rev))
}

/// Runs one strategy: warm up until the service is steady, deploy, run until it finishes.
/// Returns the run; `result` reads the figures off it.
pub fn run_strategy(
    scenario: &Scenario,
    service: u32,
    revision: &str,
    strategy: Strategy,
) -> Result<Sim, CompareError> {
    let mut sc = scenario.clone();
    let spec = sc
        .services
        .get_mut(service as usize)
        .ok_or_else(|| CompareError::NoSuchService(format!("#{service}")))?;
    spec.deployment_configuration.strategy = strategy;
    let name = spec.name.clone();
    let sid = ServiceId(service);
    let mut sim = Sim::new(sc).map_err(|errors| CompareError::Invalid {
        side: String::from(strategy.api_name()),
        errors,
    })?;
    while !sim.services()[service as usize].steady && sim.now().ms() < WARM_UP_LIMIT_MS {
        sim.step_until(sim.now() + MINUTE);
    }
    sim.apply(Command::StartDeployment {
        service: name,
        revision: String::from(revision),
        configuration: None,
    })
    .map_err(CompareError::Command)?;
    let start = sim.now();
    while sim.deployment_active(sid) && sim.now().since(start) < RUN_LIMIT_MS {
        sim.step_until(sim.now() + 10 * MINUTE);
    }
    sim.deployment(sid)
        .ok_or(CompareError::DeploymentNotRecorded)?;
    Ok(sim)
}

/// The figures of one run, its requests counted from the deployment's start for `window_ms`.
fn result(sim: &Sim, service: u32, strategy: Strategy, window_ms: u64) -> StrategyResult {
    let d = sim
        .deployment(ServiceId(service))
        .expect("run_strategy checked it");
    let end = d.finished_at().unwrap_or(sim.now());
    let duration_ms = end.since(d.started_at);
    let spent = d
        .cost_at_end()
        .map_or(0, |end| end.saturating_sub(d.cost_at_start));
    let baseline =
        (u128::from(d.rate_at_start) * u128::from(duration_ms) / u128::from(HOUR)) as u64;
    let served = sim.new_revision_served(d, d.started_at + window_ms);
    StrategyResult {
        strategy,
        status: d.finished_at().map(|_| d.status()),
        duration_ms,
        peak_extra_hosts: d.peak_hosts.saturating_sub(d.hosts_at_start),
        extra_cost: Micros(spent.saturating_sub(baseline)),
        new_revision_requests: served.requests,
        failed_requests: served.failed,
        reason: d.why().map(|w| sim.names().rollback_why(d.id, w)),
    }
}

/// Every strategy on the same scenario and seed.
pub fn compare(
    scenario: &Scenario,
    service: Option<&str>,
    revision: Option<&str>,
) -> Result<Vec<StrategyResult>, CompareError> {
    let (i, rev) = pick(scenario, service, revision)?;
    let runs = Strategy::ALL
        .iter()
        .map(|&s| run_strategy(scenario, i, &rev, s).map(|sim| (s, sim)))
        .collect::<Result<Vec<_>, _>>()?;
    // The same window for every strategy: from its start to the end of the slowest.
    let window_ms = runs
        .iter()
        .filter_map(|(_, sim)| {
            let d = sim.deployment(ServiceId(i))?;
            Some(d.finished_at().unwrap_or(sim.now()).since(d.started_at))
        })
        .max()
        .unwrap_or(0);
    Ok(runs
        .iter()
        .map(|(s, sim)| result(sim, i, *s, window_ms))
        .collect())
}

/// A plain-text table, one row per strategy.
pub fn render_table(rows: &[StrategyResult]) -> String {
    let mut out = String::new();
    let header = [
        "strategy",
        "result",
        "duration",
        "peak extra hosts",
        "extra cost",
        "new-revision requests",
        "failed requests",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                String::from(r.strategy.api_name()),
                String::from(r.status.map_or("STILL_RUNNING", DeploymentStatus::api_name)),
                duration(r.duration_ms),
                format!("{}", r.peak_extra_hosts),
                format!("{}", r.extra_cost),
                format!("{}", r.new_revision_requests),
                format!("{}", r.failed_requests),
            ]
        })
        .collect();
    let mut width = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut String, row: &[&str]| {
        for (i, (c, w)) in row.iter().zip(width).enumerate() {
            let pad = w - c.chars().count();
            if i == 0 || i == 1 {
                let _ = write!(out, "{c}{:pad$}  ", "");
            } else {
                let _ = write!(out, "{:pad$}{c}  ", "");
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    };
    line(&mut out, &header);
    for row in &cells {
        let r: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&mut out, &r);
    }
    for r in rows {
        if let Some(why) = &r.reason {
            let _ = writeln!(out, "{}: {why}", r.strategy.api_name());
        }
    }
    out
}

/// Runs every strategy and renders the table (the CLI's `compare-strategies`).
pub fn compare_strategies(
    scenario: &Scenario,
    service: Option<&str>,
    revision: Option<&str>,
) -> Result<String, CompareError> {
    compare(scenario, service, revision).map(|rows| render_table(&rows))
}
