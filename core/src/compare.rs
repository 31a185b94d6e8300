//! Compare mode: two variants of one scenario, on the same seed, run side by side to the same
//! time, and a diff table of what the choice changed. (`deploy::compare` runs every strategy to
//! the end for the CLI; this module serves the page's side-by-side view at any moment.)
//!
//! A variant differs from the base in exactly one setting, so any difference in the table is
//! that setting's doing: the seed, services and command script stay the same.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::{Command, Timed};
use crate::money::Micros;
use crate::scenario::{PatchMode, Scenario, Strategy};
use crate::session::{Progress, Session};
use crate::share::Shared;
use crate::sim::Sim;
use crate::time::{SimTime, DAY, HOUR, MINUTE};

/// When an added deployment starts: after the opening placement has settled (the presets use
/// the same moment).
pub const DEPLOY_AT: SimTime = SimTime::from_mins(10);

/// The comparisons the page offers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pair {
    CanaryVsBlueGreen,
    ConsolidationOnVsOff,
    DocumentedVsTalkPatch,
}

impl Pair {
    pub const ALL: [Pair; 3] = [
        Pair::CanaryVsBlueGreen,
        Pair::ConsolidationOnVsOff,
        Pair::DocumentedVsTalkPatch,
    ];

    /// Stable id for URLs and test selectors.
    pub fn id(self) -> &'static str {
        match self {
            Pair::CanaryVsBlueGreen => "canary-vs-blue-green",
            Pair::ConsolidationOnVsOff => "consolidation",
            Pair::DocumentedVsTalkPatch => "patch-cycle",
        }
    }
    pub fn from_id(id: &str) -> Option<Pair> {
        Pair::ALL.into_iter().find(|p| p.id() == id)
    }
    pub fn title(self) -> &'static str {
        match self {
            Pair::CanaryVsBlueGreen => "Canary vs blue/green",
            Pair::ConsolidationOnVsOff => "Idle-host consolidation on vs off",
            Pair::DocumentedVsTalkPatch => "Documented vs talk patch cycle",
        }
    }
    pub fn labels(self) -> [&'static str; 2] {
        match self {
            Pair::CanaryVsBlueGreen => ["canary", "blue/green"],
            Pair::ConsolidationOnVsOff => ["consolidation on", "consolidation off"],
            Pair::DocumentedVsTalkPatch => ["documented 14/21 days", "talk's 30 days"],
        }
    }
    /// How far to run for the difference to show (a deployment; a night; a patch cycle).
    pub fn suggested_until(self) -> SimTime {
        match self {
            Pair::CanaryVsBlueGreen => SimTime::from_hours(2),
            Pair::ConsolidationOnVsOff => SimTime::from_days(2),
            Pair::DocumentedVsTalkPatch => SimTime::from_days(35),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub label: String,
    pub scenario: Scenario,
    pub script: Vec<Timed>,
}

/// The service a deployment comparison deploys: the first one the script deploys, else the
/// first with a revision to roll to.
fn deployed_service(base: &Shared) -> Option<usize> {
    let scripted = base.script.iter().find_map(|t| match &t.command {
        Command::StartDeployment { service, .. } => Some(service.as_str()),
        _ => None,
    });
    match scripted {
        Some(name) => base.scenario.services.iter().position(|s| s.name == name),
        None => base
            .scenario
            .services
            .iter()
            .position(|s| !s.revisions.is_empty()),
    }
}

fn with_strategy(base: &Shared, strategy: Strategy, label: &str) -> Result<Variant, String> {
    let i = deployed_service(base).ok_or_else(|| {
        String::from("no service has a revision to deploy: add one under the service's revisions in the editor")
    })?;
    let mut scenario = base.scenario.clone();
    for s in &mut scenario.services {
        s.deployment_configuration.strategy = strategy;
    }
    let mut script = base.script.clone();
    for t in &mut script {
        if let Command::StartDeployment {
            configuration: Some(c),
            ..
        } = &mut t.command
        {
            c.strategy = strategy;
        }
    }
    if !script
        .iter()
        .any(|t| matches!(t.command, Command::StartDeployment { .. }))
    {
        // The revision most likely to show a difference: the one with the most errors (a
        // canary limits how many users a faulty release reaches; blue/green does not).
        let spec = &scenario.services[i];
        let revision = spec
            .revisions
            .iter()
            .rev()
            .max_by_key(|r| (r.error_rate_bp, r.fails_to_start))
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let command = Command::StartDeployment {
            service: spec.name.clone(),
            revision,
            configuration: None,
        };
        let at = script
            .iter()
            .position(|t| t.at > DEPLOY_AT)
            .unwrap_or(script.len());
        script.insert(
            at,
            Timed {
                at: DEPLOY_AT,
                command,
            },
        );
    }
    Ok(Variant {
        label: String::from(label),
        scenario,
        script,
    })
}

fn with_scenario(base: &Shared, label: &str, change: impl FnOnce(&mut Scenario)) -> Variant {
    let mut scenario = base.scenario.clone();
    change(&mut scenario);
    Variant {
        label: String::from(label),
        scenario,
        script: base.script.clone(),
    }
}

/// The two variants of `base` that `pair` compares. The base's own setting does not matter:
/// both sides are set explicitly.
pub fn variants(pair: Pair, base: &Shared) -> Result<[Variant; 2], String> {
    let [a, b] = pair.labels();
    Ok(match pair {
        Pair::CanaryVsBlueGreen => [
            with_strategy(base, Strategy::Canary, a)?,
            with_strategy(base, Strategy::BlueGreen, b)?,
        ],
        Pair::ConsolidationOnVsOff => [
            with_scenario(base, a, |s| {
                if s.capacity_provider.scale_in_after == Some(-1) {
                    s.capacity_provider.scale_in_after = None;
                }
                s.capacity_provider.downsizing = true;
            }),
            with_scenario(base, b, |s| {
                s.capacity_provider.scale_in_after = Some(-1);
                s.capacity_provider.downsizing = false;
            }),
        ],
        Pair::DocumentedVsTalkPatch => [
            with_scenario(base, a, |s| s.patching.mode = PatchMode::Documented),
            with_scenario(base, b, |s| s.patching.mode = PatchMode::Talk),
        ],
    })
}

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
        s.deployment_ms += d.finished_at.unwrap_or(now).since(d.started_at);
        s.peak_hosts = s.peak_hosts.max(d.peak_hosts);
        if last.as_ref().is_none_or(|(at, _)| d.started_at >= *at) {
            let status = d.finished_at.map(|_| String::from(d.status.api_name()));
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

fn duration(ms: u64) -> String {
    let (d, h, m) = (ms / DAY, ms % DAY / HOUR, ms % HOUR / MINUTE);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h {m:02} min"),
        _ => format!("{d} d {h} h"),
    }
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

/// One side of a comparison: a session of the variant, so it moves to any time, back or
/// forth, and in slices of work.
#[derive(Clone, Debug)]
pub struct Run {
    pub label: String,
    pub session: Session,
}

impl Run {
    pub fn new(v: &Variant) -> Result<Run, String> {
        let session = Session::open(v.scenario.clone(), v.script.clone())
            .map_err(|e| format!("{}: {e}", v.label))?;
        Ok(Run {
            label: v.label.clone(),
            session,
        })
    }
    pub fn sim(&self) -> &Sim {
        self.session.sim()
    }
    /// The first command that did not apply; the run goes on without the rest of the script.
    pub fn error(&self) -> Option<String> {
        self.session.replay_error().map(|e| e.to_string())
    }
    /// Moves to `t`, forwards or backwards, in one call.
    pub fn advance_to(&mut self, t: SimTime) {
        self.session.seek(t);
    }
}

/// Both sides of a comparison, always at the same time once a move is done.
#[derive(Clone, Debug)]
pub struct Pairing {
    pub runs: [Run; 2],
}

impl Pairing {
    pub fn new(pair: Pair, base: &Shared) -> Result<Pairing, String> {
        let [a, b] = variants(pair, base)?;
        Ok(Pairing {
            runs: [Run::new(&a)?, Run::new(&b)?],
        })
    }
    pub fn now(&self) -> SimTime {
        self.runs[0].sim().now()
    }
    /// The time both runs are at, or `None` while a move has taken one further than the other
    /// (their figures then belong to different moments and must not be compared).
    pub fn together(&self) -> Option<SimTime> {
        let [a, b] = [self.runs[0].sim().now(), self.runs[1].sim().now()];
        (a == b).then_some(a)
    }
    /// Synchronised time: both runs move to `t` (forwards or backwards) together.
    pub fn advance_to(&mut self, t: SimTime) {
        for r in &mut self.runs {
            r.advance_to(t);
        }
    }
    /// Moves both runs towards `t` with at most `budget_timers` of work between them; call
    /// again until `done`. The first run goes first, so the second is never ahead of it.
    pub fn advance(&mut self, t: SimTime, budget_timers: u64) -> [Progress; 2] {
        let a = self.runs[0].session.advance(t, budget_timers);
        let left = budget_timers.saturating_sub(a.timers).max(1);
        let b = if a.done {
            self.runs[1].session.advance(t, left)
        } else {
            let s = &self.runs[1].session;
            Progress {
                from: s.now(),
                reached: s.now(),
                done: false,
                timers: 0,
                restored: None,
            }
        };
        [a, b]
    }
    pub fn summaries(&self) -> [RunSummary; 2] {
        [summarize(self.runs[0].sim()), summarize(self.runs[1].sim())]
    }
}

/// Runs both variants to the same time (the native twin of the page's synchronised clocks).
pub fn run_pair(variants: &[Variant; 2], until: SimTime) -> Result<[RunSummary; 2], String> {
    let mut runs = [Run::new(&variants[0])?, Run::new(&variants[1])?];
    for r in &mut runs {
        r.advance_to(until);
        if let Some(e) = r.error() {
            return Err(format!("{}: {e}", r.label));
        }
    }
    Ok([summarize(runs[0].sim()), summarize(runs[1].sim())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{AlarmSpec, Alarms, LoadCurve, RevisionSpec, ServiceSpec};

    fn deployable(error_bp: u32) -> Shared {
        let mut s = Scenario::default();
        let mut web = ServiceSpec::sized("web", 6, 1024, 2048);
        web.revisions = alloc::vec![
            RevisionSpec {
                name: "v2".into(),
                error_rate_bp: 10,
                ..RevisionSpec::default()
            },
            RevisionSpec {
                name: "v3-bad".into(),
                error_rate_bp: error_bp,
                ..RevisionSpec::default()
            },
        ];
        web.load = Some(LoadCurve::default());
        web.deployment_configuration.alarms = Alarms {
            enable: true,
            rollback: true,
            alarms: alloc::vec![AlarmSpec::default()],
        };
        s.services = alloc::vec![web];
        Shared {
            scenario: s,
            script: Vec::new(),
            at: SimTime::ZERO,
            panel: None,
            lesson: None,
        }
    }

    #[test]
    fn variants_differ_from_the_base_in_one_setting_only() {
        let base = deployable(1500);
        let [a, b] = variants(Pair::ConsolidationOnVsOff, &base).unwrap();
        assert_eq!(a.scenario.seed, b.scenario.seed);
        assert_eq!(a.scenario.services, b.scenario.services);
        assert_eq!(a.script, base.script);
        assert_ne!(a.scenario.capacity_provider, b.scenario.capacity_provider);
        let mut b2 = b.scenario.clone();
        b2.capacity_provider = a.scenario.capacity_provider.clone();
        assert_eq!(b2, a.scenario);
    }

    #[test]
    fn strategy_pair_adds_one_deployment_of_the_worst_revision() {
        let [a, b] = variants(Pair::CanaryVsBlueGreen, &deployable(1500)).unwrap();
        assert_eq!(a.script, b.script);
        assert_eq!(a.script.len(), 1);
        match &a.script[0].command {
            Command::StartDeployment {
                service, revision, ..
            } => {
                assert_eq!((service.as_str(), revision.as_str()), ("web", "v3-bad"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            a.scenario.services[0].deployment_configuration.strategy,
            Strategy::Canary
        );
        assert_eq!(
            b.scenario.services[0].deployment_configuration.strategy,
            Strategy::BlueGreen
        );
    }

    #[test]
    fn a_scenario_without_revisions_says_what_to_add() {
        let base = Shared {
            scenario: Scenario::default_cluster(),
            script: Vec::new(),
            at: SimTime::ZERO,
            panel: None,
            lesson: None,
        };
        let e = variants(Pair::CanaryVsBlueGreen, &base).unwrap_err();
        assert!(e.contains("revision"), "{e}");
    }

    #[test]
    fn canary_exposes_fewer_requests_to_a_faulty_revision_than_blue_green() {
        let v = variants(Pair::CanaryVsBlueGreen, &deployable(1500)).unwrap();
        let [canary, bg] = run_pair(&v, SimTime::from_hours(2)).unwrap();
        assert_eq!((canary.deployments, bg.deployments), (1, 1));
        assert!(canary.faulty_requests > 0, "{canary:?}");
        assert!(
            canary.faulty_requests < bg.faulty_requests,
            "{canary:?} vs {bg:?}"
        );
        let table = diff_table(&canary, &bg);
        let faulty = table.iter().find(|r| r.metric.contains("faulty")).unwrap();
        assert_eq!(faulty.better, Better::A);
    }

    #[test]
    fn a_healthy_revision_counts_no_faulty_requests() {
        let mut base = deployable(5);
        base.scenario.services[0].revisions.truncate(1);
        base.scenario.services[0].revisions[0].error_rate_bp = 5;
        let v = variants(Pair::CanaryVsBlueGreen, &base).unwrap();
        let [a, b] = run_pair(&v, SimTime::from_hours(2)).unwrap();
        assert_eq!((a.faulty_requests, b.faulty_requests), (0, 0));
        assert!(a.deployment_ms > 0 && b.deployment_ms > 0);
    }

    #[test]
    fn a_run_advanced_in_steps_matches_one_replay() {
        let [v, _] = variants(Pair::CanaryVsBlueGreen, &deployable(1500)).unwrap();
        let mut stepped = Run::new(&v).unwrap();
        for m in [3, 9, 10, 11, 40, 90] {
            stepped.advance_to(SimTime::from_mins(m));
        }
        let mut once = Sim::new(v.scenario.clone()).unwrap();
        once.replay(&v.script, SimTime::from_mins(90)).unwrap();
        assert_eq!(stepped.sim().digest(), once.digest());
        assert_eq!(stepped.sim().script(), v.script.as_slice());
        // And back: the same moment as a fresh replay.
        stepped.advance_to(SimTime::from_mins(9));
        let mut early = Sim::new(v.scenario.clone()).unwrap();
        early.replay(&v.script, SimTime::from_mins(9)).unwrap();
        assert_eq!(stepped.sim().digest(), early.digest());
    }

    #[test]
    fn pairing_keeps_both_clocks_together() {
        let mut p = Pairing::new(Pair::ConsolidationOnVsOff, &deployable(10)).unwrap();
        p.advance_to(SimTime::from_hours(5));
        assert_eq!(p.runs[0].sim().now(), p.runs[1].sim().now());
        assert_eq!(p.now(), SimTime::from_hours(5));
        // In slices of work, to the same two worlds.
        let mut sliced = Pairing::new(Pair::ConsolidationOnVsOff, &deployable(10)).unwrap();
        let mut slices = 0;
        let mut apart = 0;
        while !sliced.advance(SimTime::from_hours(5), 50)[1].done {
            slices += 1;
            // Mid-move the runs are at different moments: no common time to compare at.
            if sliced.runs[0].sim().now() != sliced.runs[1].sim().now() {
                assert_eq!(sliced.together(), None);
                apart += 1;
            }
        }
        assert!(slices > 2 && apart > 0);
        assert_eq!(sliced.together(), Some(SimTime::from_hours(5)));
        for i in 0..2 {
            assert_eq!(sliced.runs[i].sim().digest(), p.runs[i].sim().digest());
        }
    }

    #[test]
    fn table_rows_and_deltas() {
        let a = RunSummary {
            cost: Micros(2_000_000),
            peak_hosts: 3,
            ..RunSummary::default()
        };
        let b = RunSummary {
            cost: Micros(1_500_000),
            peak_hosts: 5,
            ..RunSummary::default()
        };
        let t = diff_table(&a, &b);
        let names: Vec<&str> = t.iter().map(|r| r.metric).collect();
        assert_eq!(
            names,
            [
                "cost",
                "peak hosts",
                "requests served by a faulty revision",
                "failed requests",
                "deployment duration"
            ]
        );
        assert_eq!((t[0].delta.as_str(), t[0].better), ("−$0.5000", Better::B));
        assert_eq!((t[1].delta.as_str(), t[1].better), ("+2", Better::A));
        assert_eq!(t[4].a, "—", "no deployment is not a zero-minute one");
        let text = crate::export::csv(diff_rows_text(["x", "y"], &t));
        assert_eq!(text.lines().count(), 6);
        assert!(text.starts_with("metric,x,y,"));
    }
}

#[cfg(test)]
mod lesson_tests {
    use super::*;

    /// The lesson of preset 4: at night auto scaling removes tasks, and only with
    /// consolidation on do the idle hosts go away, so the same two days cost less.
    #[test]
    fn consolidation_pays_off_over_a_diurnal_load() {
        let p = crate::presets::preset("diurnal-consolidation").unwrap();
        let base = Shared {
            script: p.full_script(),
            scenario: p.scenario,
            at: SimTime::ZERO,
            panel: None,
            lesson: None,
        };
        let v = variants(Pair::ConsolidationOnVsOff, &base).unwrap();
        let [on, off] = run_pair(&v, SimTime::from_days(2)).unwrap();
        assert!(on.cost < off.cost, "on {:?} vs off {:?}", on.cost, off.cost);
    }
}
