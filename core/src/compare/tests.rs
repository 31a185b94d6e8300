//! Compare mode's variants, summaries, diff table and paired runs.

use super::*;
use crate::command::Command;
use crate::money::Micros;
use crate::scenario::{
    AlarmSpec, Alarms, LoadCurve, RevisionSpec, Scenario, ServiceSpec, Strategy,
};
use crate::share::Shared;
use crate::sim::Sim;
use crate::time::SimTime;

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
    };
    let e = variants(Pair::CanaryVsBlueGreen, &base).unwrap_err();
    assert_eq!(e, CompareError::NoRevisionToDeploy);
    assert!(e.to_string().contains("services[].revisions"), "{e}");
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

/// The lesson of preset 4: at night auto scaling removes tasks, and only with
/// consolidation on do the idle hosts go away, so the same two days cost less.
#[test]
fn consolidation_pays_off_over_a_diurnal_load() {
    let p = crate::presets::preset("diurnal-consolidation").unwrap();
    let base = Shared {
        scenario: p.scenario,
        script: p.script,
        at: SimTime::ZERO,
        panel: None,
    };
    let v = variants(Pair::ConsolidationOnVsOff, &base).unwrap();
    let [on, off] = run_pair(&v, SimTime::from_days(2)).unwrap();
    assert!(on.cost < off.cost, "on {:?} vs off {:?}", on.cost, off.cost);
}
