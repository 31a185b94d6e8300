//! Times one run of a bench workload outside criterion, day by day, and prints the digest of
//! its event log (equal digests before and after a change mean the change kept every event).
//!
//! cargo run --profile bench -p fleetsim-tests --example run_workload -- heaviest 60

use std::time::Instant;

use fleetsim_core::{Sim, SimTime};
use fleetsim_tests::workloads;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "fleet_30d".into());
    let days: u64 = args.next().and_then(|d| d.parse().ok()).unwrap_or(30);
    let scenario = match name.as_str() {
        "fleet_30d" => workloads::fleet_30d(),
        "heaviest" => workloads::heaviest(),
        other => {
            eprintln!("unknown workload {other:?}: fleet_30d or heaviest");
            std::process::exit(2);
        }
    };
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
