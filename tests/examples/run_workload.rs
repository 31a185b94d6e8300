//! Times one run of a bench workload outside criterion, day by day, and prints the digest of
//! its event log (equal digests before and after a change mean the change kept every event).
//!
//! cargo run --profile bench -p fleetsim-tests --example run_workload -- heaviest 60
//!
//! With `json` in place of the days it prints the workload's scenario instead, which the page
//! bench opens to time the same run in the browser.

use std::time::Instant;

use fleetsim_core::{Sim, SimTime};
use fleetsim_tests::workloads;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "fleet_30d".into());
    let days_arg = args.next();
    let scenario = match name.as_str() {
        "fleet_30d" => workloads::fleet_30d(),
        "heaviest" => workloads::heaviest(),
        other => {
            eprintln!("unknown workload {other:?}: fleet_30d or heaviest");
            std::process::exit(2);
        }
    };
    if days_arg.as_deref() == Some("json") {
        println!(
            "{}",
            serde_json::to_string(&scenario).expect("a scenario serialises")
        );
        return;
    }
    let days: u64 = days_arg.and_then(|d| d.parse().ok()).unwrap_or(30);
    let mut sim = Sim::new(scenario).expect("valid scenario");
    let start = Instant::now();
    for day in 1..=days {
        let t = Instant::now();
        let r = sim.step_until(SimTime::from_days(day));
        let v = sim.view();
        let (hosts, tasks) = (
            sim.hosts().count(),
            sim.tasks().filter(|t| t.live()).count(),
        );
        println!(
            "day {day:>2}: {:>7.3} s, {:>8} events, {hosts} hosts, {tasks} live tasks, {} waiting",
            t.elapsed().as_secs_f64(),
            r.events,
            v.unplaced.len()
        );
    }
    let wall = start.elapsed().as_secs_f64();
    println!(
        "{name}: {days} days in {wall:.3} s wall, {} events, digest {:016x}",
        sim.event_count(),
        sim.digest()
    );
}
