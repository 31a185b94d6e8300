//! Runs a range of seeds on every core (native only: threads need `std`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::{run_seed, Options, SeedReport, Violation};
use crate::time::SimTime;

#[derive(Debug, Default)]
pub struct Summary {
    pub seeds: u64,
    pub events: u64,
    pub commands: u64,
    pub refused: u64,
    pub simulated_ms: u64,
    /// Failing seeds, lowest first.
    pub failures: Vec<SeedReport>,
    /// The slowest seeds (seed, wall seconds), slowest first: where a bounded-work bug hides.
    pub slowest: Vec<(u64, f64)>,
}

/// Seeds `from..to`, pulled from a shared counter by `jobs` threads; `each` sees every report
/// as it finishes (for progress lines). The summary does not depend on `jobs`.
pub fn run_range(
    from: u64,
    to: u64,
    jobs: u32,
    options: Options,
    each: &(dyn Fn(&SeedReport) + Sync),
) -> Summary {
    let next = AtomicU64::new(from);
    let summary = Mutex::new(Summary::default());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let seed = next.fetch_add(1, Ordering::Relaxed);
                if seed >= to {
                    break;
                }
                let started = std::time::Instant::now();
                // A panic is a violation like any other: report the seed, keep going.
                let report = std::panic::catch_unwind(|| run_seed(seed, options))
                    .unwrap_or_else(|panic| panicked(seed, panic.as_ref()));
                let secs = started.elapsed().as_secs_f64();
                each(&report);
                let mut s = summary.lock().unwrap_or_else(|e| e.into_inner());
                s.seeds += 1;
                s.events += report.events;
                s.commands += u64::from(report.commands);
                s.refused += u64::from(report.refused);
                s.simulated_ms += report.simulated_ms;
                s.slowest.push((seed, secs));
                s.slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
                s.slowest.truncate(5);
                if !report.violations.is_empty() {
                    s.failures.push(report);
                }
            });
        }
    });
    let mut s = summary.into_inner().unwrap_or_else(|e| e.into_inner());
    s.failures.sort_by_key(|r| r.seed);
    s
}

fn panicked(seed: u64, panic: &(dyn std::any::Any + Send)) -> SeedReport {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| String::from("(no message)"));
    SeedReport {
        seed,
        violations: vec![Violation {
            at: SimTime::ZERO,
            invariant: "no panic",
            detail: format!(
                "the run panicked: {message}; rerun with fleetsim swarm --seeds {seed}..{}",
                seed + 1
            ),
        }],
        ..SeedReport::default()
    }
}
