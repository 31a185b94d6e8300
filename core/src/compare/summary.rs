//! What one run has done by now, and the diff table of two runs.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::duration;
use crate::money::Micros;
use crate::sim::Sim;
use crate::time::SimTime;

/// What one run has done by now: the numbers of the diff table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub at: SimTime,
    /// EC2 + Managed Instances fee so far.
    pub cost: Micros,
    pub peak_hosts: u32,
    /// Requests production traffic sent to a revision with a higher error rate than the one it
    /// replaced (a faulty release), over every deployment so far.
    pub faulty_requests: u64,
    /// Failed requests the new revisions served (`Sim::new_revision_served`, as in
    /// `compare-strategies`).
    pub failed_requests: u64,
    pub deployments: u32,
    /// Start to finish of every deployment so far (a running one counts to now).
    pub deployment_ms: u64,
    /// Final status of the last deployment, `None` while it runs or when there was none.
    pub last_status: Option<String>,
}

/// Reads the diff-table numbers off a run.
pub fn summarize(sim: &Sim) -> RunSummary {
    let now = sim.now();
    let peak_sampled = sim
        .metrics()
        .samples
        .iter()
        .map(|s| s.hosts)
        .max()
        .unwrap_or(0);
    let mut s = RunSummary {
        at: now,
        cost: sim.cost().total(),
        peak_hosts: peak_sampled.max(sim.hosts().count() as u32),
        ..RunSummary::default()
    };
    let state = sim.deploy_state();
    let finished = state.finished.values().flatten();
    let all: Vec<_> = finished.chain(state.active.values()).collect();
    // A revision serves production until the service's next deployment starts.
    let served_until = |d: &crate::deploy::Deployment| {
        all.iter()
            .filter(|n| n.service == d.service && n.started_at > d.started_at)
            .map(|n| n.started_at)
            .min()
            .unwrap_or(now)
    };
    let mut last: Option<(SimTime, Option<String>)> = None;
    for d in all.iter().copied() {
        let revs = sim.revisions();
        let faulty = revs[d.green as usize].error_rate_bp > revs[d.blue as usize].error_rate_bp
            || revs[d.green as usize].fails_to_start;
        // Traffic is counted up to the last time the deployment was touched; good to a minute.
        let served = sim.new_revision_served(d, served_until(d));
        if faulty {
            s.faulty_requests += served.requests;
        }
        s.failed_requests += served.failed;
        s.deployments += 1;
        s.deployment_ms += d.finished_at().unwrap_or(now).since(d.started_at);
        s.peak_hosts = s.peak_hosts.max(d.peak_hosts);
        if last.as_ref().is_none_or(|(at, _)| d.started_at >= *at) {
            let status = d.finished_at().map(|_| String::from(d.status().api_name()));
            last = Some((d.started_at, status));
        }
    }
    s.last_status = last.and_then(|(_, st)| st);
    s
}

/// Which side a row favours.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Better {
    A,
    B,
    Same,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRow {
    pub metric: &'static str,
    pub a: String,
    pub b: String,
    /// B minus A, signed, in the row's unit.
    pub delta: String,
    pub better: Better,
}

/// Lower is better for every metric of the table.
fn row(metric: &'static str, a: u64, b: u64, show: impl Fn(u64) -> String) -> DiffRow {
    let delta = if b >= a {
        format!("+{}", show(b - a))
    } else {
        format!("−{}", show(a - b))
    };
    DiffRow {
        metric,
        a: show(a),
        b: show(b),
        delta: if a == b { String::from("0") } else { delta },
        better: match a.cmp(&b) {
            core::cmp::Ordering::Less => Better::A,
            core::cmp::Ordering::Greater => Better::B,
            core::cmp::Ordering::Equal => Better::Same,
        },
    }
}

/// The diff table: cost, peak hosts, requests served by a faulty revision, failed requests,
/// deployment duration.
pub fn diff_table(a: &RunSummary, b: &RunSummary) -> Vec<DiffRow> {
    let mut rows = alloc::vec![
        row("cost", a.cost.0, b.cost.0, |v| Micros(v).to_string()),
        row(
            "peak hosts",
            u64::from(a.peak_hosts),
            u64::from(b.peak_hosts),
            |v| format!("{v}")
        ),
        row(
            "requests served by a faulty revision",
            a.faulty_requests,
            b.faulty_requests,
            |v| format!("{v}")
        ),
        row(
            "failed requests",
            a.failed_requests,
            b.failed_requests,
            |v| format!("{v}")
        ),
        row(
            "deployment duration",
            a.deployment_ms,
            b.deployment_ms,
            duration
        ),
    ];
    // A deployment that has not happened is not "0 min, better".
    if a.deployments == 0 && b.deployments == 0 {
        if let Some(r) = rows.last_mut() {
            r.a = String::from("—");
            r.b = String::from("—");
            r.delta = String::from("—");
            r.better = Better::Same;
        }
    }
    rows
}

/// The diff table as text rows (header first), for [`crate::export::csv`].
pub fn diff_rows_text(labels: [&str; 2], rows: &[DiffRow]) -> Vec<[String; 4]> {
    let mut out = alloc::vec![[
        String::from("metric"),
        String::from(labels[0]),
        String::from(labels[1]),
        String::from("difference (B − A)")
    ]];
    out.extend(rows.iter().map(|r| {
        [
            String::from(r.metric),
            r.a.clone(),
            r.b.clone(),
            r.delta.clone(),
        ]
    }));
    out
}
