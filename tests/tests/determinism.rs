//! Determinism: the same scenario gives the same event log, run after run, and the digest kept
//! in `tests/golden/` is the one the browser must compute too (see web/tests/).

use fleetsim_core::scenario::Scenario;
use fleetsim_core::{Command, Sim, SimTime};

/// `DrainHost { host: 0 }` stands for "the oldest host still running".
fn with_live_host(sim: &Sim, c: &Command) -> Command {
    match c {
        Command::DrainHost { host: 0 } => Command::DrainHost {
            host: sim.hosts().next().expect("a host").id.0,
        },
        other => other.clone(),
    }
}

fn run(s: &Scenario, commands: &[(u64, Command)]) -> (u64, u64) {
    let mut sim = Sim::new(s.clone()).unwrap();
    for (at, c) in commands {
        sim.step_until(SimTime::from_mins(*at));
        sim.apply(with_live_host(&sim, c)).unwrap();
    }
    sim.step_until(SimTime::from_hours(6));
    (sim.digest(), sim.event_count())
}

#[test]
fn same_scenario_same_event_log() {
    let s = Scenario::default_cluster();
    let script = [
        (
            30,
            Command::SetDesiredCount {
                service: "web".into(),
                count: 14,
            },
        ),
        (90, Command::DrainHost { host: 0 }),
    ];
    let a = run(&s, &script);
    let b = run(&s, &script);
    assert_eq!(a, b);
    assert!(a.1 > 50, "a real run has many events, got {}", a.1);
    // A different command script gives a different log.
    let c = run(&s, &script[..1]);
    assert_ne!(a.0, c.0);
}

#[test]
fn replaying_the_recorded_script_reproduces_the_run() {
    let mut sim = Sim::new(Scenario::default_cluster()).unwrap();
    sim.step_until(SimTime::from_mins(20));
    sim.apply(Command::SetDesiredCount {
        service: "api".into(),
        count: 2,
    })
    .unwrap();
    sim.step_until(SimTime::from_mins(45));
    sim.apply(with_live_host(&sim, &Command::DrainHost { host: 0 }))
        .unwrap();
    sim.step_until(SimTime::from_hours(3));
    let script = sim.script().to_vec();
    let mut again = Sim::new(Scenario::default_cluster()).unwrap();
    again.replay(&script, SimTime::from_hours(3)).unwrap();
    assert_eq!(again.digest(), sim.digest());
    assert_eq!(again.view(), sim.view());
}

#[test]
fn clones_are_checkpoints() {
    let mut sim = Sim::new(Scenario::default_cluster()).unwrap();
    sim.step_until(SimTime::from_hours(1));
    let checkpoint = sim.clone();
    sim.step_until(SimTime::from_hours(4));
    let mut resumed = checkpoint.clone();
    resumed.step_until(SimTime::from_hours(4));
    assert_eq!(resumed.digest(), sim.digest());
}

/// The browser test (`tests/e2e/default-page.test.mjs`) asserts the same file's value, so native
/// and wasm agree.
#[test]
fn golden_digest_matches_the_file() {
    let digest = fleetsim_core::golden::golden_run().unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/default_cluster_6h.digest"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, format!("{digest:016x}\n")).unwrap();
    }
    let want = std::fs::read_to_string(path).expect("golden file (run with UPDATE_GOLDEN=1 once)");
    assert_eq!(
        format!("{digest:016x}"),
        want.trim(),
        "the simulation changed; if on purpose, run with UPDATE_GOLDEN=1"
    );
}
