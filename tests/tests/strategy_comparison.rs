//! Comparing strategies counts what the new revision served the same way everywhere: the
//! `compare-strategies` table and compare mode's diff table read one definition
//! (`Sim::new_revision_served`), and a rolling deployment is not shown exposing no one.

use crate::deploy_common::*;

use fleetsim_core::compare::strategies::{compare, run_strategy};
use fleetsim_core::compare::summarize;
use fleetsim_core::event::DeploymentStatus;
use fleetsim_core::scenario::Strategy;

/// A healthy rolling deployment's tasks serve production as they register: once it is done
/// every request goes to the new revision. It finishes before the blue/green family, so over
/// the same window it has served at least as much as blue/green, which moves all traffic at
/// once, and more than linear and canary, which move it in steps.
#[test]
fn a_healthy_rolling_deployment_counts_what_its_tasks_serve() {
    let s = scenario(6, Strategy::Rolling);
    let rows = compare(&s, Some("web"), Some("v2")).expect("runs");
    let get = |st: Strategy| rows.iter().find(|r| r.strategy == st).expect("a row");
    let rolling = get(Strategy::Rolling);
    assert_eq!(rolling.status, Some(DeploymentStatus::Successful));
    assert!(rolling.new_revision_requests > 0, "{rolling:?}");
    for other in [Strategy::BlueGreen, Strategy::Linear, Strategy::Canary] {
        let o = get(other);
        assert!(o.duration_ms >= rolling.duration_ms, "{o:?}");
        assert!(
            rolling.new_revision_requests >= o.new_revision_requests,
            "rolling {} < {other:?} {}",
            rolling.new_revision_requests,
            o.new_revision_requests
        );
    }
    // Failed requests follow v2's 0.1 % error rate.
    let rate = rolling.failed_requests as f64 / rolling.new_revision_requests as f64;
    assert!((0.0008..=0.0012).contains(&rate), "{rate}");
}

/// On the same run, compare mode's figures equal the strategy table's (a rollback: nothing is
/// counted after it, so the window does not matter).
#[test]
fn compare_mode_and_the_strategy_table_agree_on_the_same_run() {
    let mut s = scenario(10, Strategy::Canary);
    s.services[0].deployment_configuration = with_alarms(config(&s), vec![error_alarm()]);
    let rows = compare(&s, Some("web"), Some("bad")).expect("runs");
    for strategy in Strategy::ALL {
        let sim = run_strategy(&s, 0, "bad", strategy).expect("runs");
        let summary = summarize(&sim);
        let row = rows.iter().find(|r| r.strategy == strategy).expect("a row");
        assert_eq!(row.status, Some(DeploymentStatus::RollbackSuccessful));
        assert!(row.failed_requests > 0, "{row:?}");
        assert_eq!(
            (summary.faulty_requests, summary.failed_requests),
            (row.new_revision_requests, row.failed_requests),
            "{strategy:?}"
        );
    }
}
