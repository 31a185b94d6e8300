//! The session: seeking anywhere (forwards, backwards, in slices) gives exactly the run a fresh
//! replay of the script gives, a script replays in one forward pass, and checkpoints stay
//! bounded. `Sim::replay` is the oracle: it shares no code with the session's loop.

use fleetsim_core::presets::presets;
use fleetsim_core::scenario::Scenario;
use fleetsim_core::session::CHECKPOINT_CAP;
use fleetsim_core::{Command, Session, Sim, SimTime, Timed};

fn desired(service: &str, count: u32) -> Command {
    Command::SetDesiredCount {
        service: service.into(),
        count,
    }
}

/// A script that scales the default cluster's two services up and down every 20 minutes.
fn busy_script(commands: u32) -> Vec<Timed> {
    (0..commands)
        .map(|i| Timed {
            at: SimTime::from_mins(20 * u64::from(i + 1)),
            command: desired(if i % 2 == 0 { "web" } else { "api" }, 2 + (i * 7) % 13),
        })
        .collect()
}

fn replayed(scenario: &Scenario, script: &[Timed], t: SimTime) -> Sim {
    let mut sim = Sim::new(scenario.clone()).unwrap();
    sim.replay(script, t).unwrap();
    sim
}

#[test]
fn seeking_back_and_forth_equals_a_fresh_replay() {
    let scenario = Scenario::default_cluster();
    let script = busy_script(30);
    let mut session = Session::open(scenario.clone(), script.clone()).unwrap();
    // Forward, far back, forward past recorded commands, back by a minute, to the same time.
    for mins in [600, 45, 300, 299, 1_000, 0, 1_000, 20, 21, 2 * 24 * 60] {
        let t = SimTime::from_mins(mins);
        let p = session.seek(t);
        assert!(p.done);
        assert_eq!(session.now(), t);
        let oracle = replayed(&scenario, &script, t);
        assert_eq!(session.sim().digest(), oracle.digest(), "at {t}");
        assert_eq!(session.sim().event_count(), oracle.event_count(), "at {t}");
        assert_eq!(session.sim().view(), oracle.view(), "at {t}");
    }
    assert_eq!(
        session.script(),
        script.as_slice(),
        "a rewind keeps later commands"
    );
}

#[test]
fn every_preset_seeks_back_to_the_replayed_moment() {
    for p in presets() {
        let mut session = Session::open(p.scenario.clone(), p.full_script()).unwrap();
        let end = p.until.min(SimTime::from_days(2));
        session.seek(end);
        let mid = SimTime(end.0 / 3);
        session.seek(mid);
        let oracle = replayed(&p.scenario, &p.full_script(), mid);
        assert_eq!(session.sim().digest(), oracle.digest(), "{}", p.id());
    }
}

/// Regression: opening a link re-ran the simulation once per recorded command (a 3.6 KB link
/// took about 2 hours). Opening now fires exactly the timers of one forward replay.
#[test]
fn a_link_with_many_commands_replays_in_one_pass() {
    let scenario = Scenario::default_cluster();
    let script = busy_script(400);
    let at = SimTime::from_hours(140);
    // The oracle counts the timers of one forward pass by hand.
    let mut sim = Sim::new(scenario.clone()).unwrap();
    let mut timers = 0;
    for c in &script {
        timers += sim.step_until(c.at).timers;
        sim.apply(c.command.clone()).unwrap();
    }
    timers += sim.step_until(at).timers;

    let mut session = Session::open(scenario, script).unwrap();
    let p = session.seek(at);
    assert!(p.done);
    assert_eq!(p.restored, None, "no rewind while opening");
    assert_eq!(p.timers, timers, "one pass: every timer fires once");
    assert_eq!(session.sim().digest(), sim.digest());
}

#[test]
fn a_budgeted_advance_in_slices_gives_the_same_run_as_one_advance() {
    let scenario = Scenario::default_cluster();
    let script = busy_script(12);
    let target = SimTime::from_hours(8);
    let mut whole = Session::open(scenario.clone(), script.clone()).unwrap();
    let all = whole.seek(target);

    for budget in [1, 7, 500] {
        let mut sliced = Session::open(scenario.clone(), script.clone()).unwrap();
        let (mut calls, mut timers) = (0, 0);
        loop {
            let p = sliced.advance(target, budget);
            calls += 1;
            timers += p.timers;
            assert!(p.timers <= budget, "a slice keeps to its budget");
            assert!(p.reached <= target);
            if p.done {
                break;
            }
        }
        assert!(
            calls >= all.timers.div_ceil(budget) && calls > 1,
            "budget {budget}: {calls} slices for {} timers",
            all.timers
        );
        assert_eq!(timers, all.timers, "budget {budget}: no work repeated");
        assert_eq!(
            sliced.sim().digest(),
            whole.sim().digest(),
            "budget {budget}"
        );
    }
    // Backwards in slices too.
    let mut back = whole.branch();
    let early = SimTime::from_mins(95);
    while !back.advance(early, 3).done {}
    assert_eq!(
        back.sim().digest(),
        replayed(&scenario, &script, early).digest()
    );
}

/// A slice can stop between two timers of one millisecond; a command issued there must give
/// the world a replay of the recorded script gives (replay fires that millisecond first).
#[test]
fn a_command_between_slices_replays_to_the_same_world() {
    let scenario = Scenario::default_cluster();
    let mut session = Session::new(scenario.clone()).unwrap();
    let target = SimTime::from_mins(30);
    let mut checked = 0;
    while !session.advance(target, 5).done {
        let mut live = session.branch();
        live.apply(desired("web", 3)).unwrap();
        live.seek(SimTime::from_mins(40));
        let oracle = replayed(&scenario, live.script(), SimTime::from_mins(40));
        assert_eq!(
            live.sim().digest(),
            oracle.digest(),
            "after {checked} slices"
        );
        checked += 1;
    }
    assert!(checked > 3);
}

#[test]
fn a_command_after_a_rewind_starts_a_new_branch() {
    let scenario = Scenario::default_cluster();
    let mut session = Session::open(scenario.clone(), busy_script(10)).unwrap();
    session.seek(SimTime::from_hours(5));
    session.seek(SimTime::from_mins(50));
    session.apply(desired("web", 1)).unwrap();
    assert_eq!(
        session.script().len(),
        3,
        "the two commands before 50 min and the new one"
    );
    session.seek(SimTime::from_hours(5));
    let web = session
        .sim()
        .services()
        .iter()
        .find(|s| s.name == "web")
        .unwrap();
    assert_eq!(
        web.desired, 1,
        "the dropped branch's commands are not replayed"
    );
    let oracle = replayed(&scenario, session.script(), SimTime::from_hours(5));
    assert_eq!(session.sim().digest(), oracle.digest());
}

#[test]
fn a_branch_moves_independently_of_its_origin() {
    let scenario = Scenario::default_cluster();
    let mut a = Session::open(scenario.clone(), busy_script(6)).unwrap();
    a.seek(SimTime::from_hours(1));
    let mut b = a.branch();
    b.apply(desired("api", 9)).unwrap();
    b.seek(SimTime::from_hours(3));
    a.seek(SimTime::from_hours(3));
    assert_ne!(a.sim().digest(), b.sim().digest());
    assert_eq!(
        a.sim().digest(),
        replayed(&scenario, &busy_script(6), SimTime::from_hours(3)).digest()
    );
    // The branch still rewinds to before the point it was made at.
    b.seek(SimTime::from_mins(30));
    assert_eq!(
        b.sim().digest(),
        replayed(&scenario, &busy_script(6), SimTime::from_mins(30)).digest()
    );
}

/// A hand-made link may list commands out of time order. Each applies at the time the run
/// has reached, after the timers due then, exactly as an in-order script at those times.
#[test]
fn commands_out_of_time_order_apply_where_the_run_is() {
    let scenario = Scenario::default_cluster();
    let mut script = busy_script(4);
    script.swap(1, 3);
    let mut session = Session::open(scenario.clone(), script.clone()).unwrap();
    let times: Vec<u64> = session.script().iter().map(|c| c.at.0 / 60_000).collect();
    assert_eq!(times, [20, 80, 80, 80]);
    session.seek(SimTime::from_hours(3));
    let in_order = session.script().to_vec();
    let oracle = replayed(&scenario, &in_order, SimTime::from_hours(3));
    assert_eq!(session.sim().digest(), oracle.digest());
    // Rewinding and seeking again gives the same run.
    session.seek(SimTime::ZERO);
    session.seek(SimTime::from_hours(3));
    assert_eq!(session.sim().digest(), oracle.digest());
}

#[test]
fn a_recorded_command_that_does_not_apply_cuts_the_script_and_says_which() {
    let mut script = busy_script(3);
    script[1].command = desired("no-such-service", 2);
    let mut session = Session::open(Scenario::default_cluster(), script).unwrap();
    session.seek(SimTime::from_hours(2));
    let e = session.replay_error().expect("an error");
    assert_eq!(e.index, 1);
    assert_eq!(e.at, SimTime::from_mins(40));
    assert!(e.to_string().contains("command 2"), "{e}");
    assert_eq!(session.script().len(), 1);
    assert_eq!(session.now(), SimTime::from_hours(2), "the run goes on");
}

#[test]
fn checkpoints_stay_bounded_over_a_long_run_and_a_far_seek_is_exact() {
    let scenario = Scenario::default_cluster();
    let mut session = Session::new(scenario.clone()).unwrap();
    session.seek(SimTime::from_days(40));
    assert!(session.checkpoint_count() <= CHECKPOINT_CAP);
    assert!(session.checkpoint_count() >= CHECKPOINT_CAP / 2);
    session.seek(SimTime::from_days(17));
    assert_eq!(
        session.sim().digest(),
        replayed(&scenario, &[], SimTime::from_days(17)).digest()
    );
    // Forwards again from the rewind jumps to a later checkpoint instead of re-running.
    let p = session.seek(SimTime::from_days(39));
    assert!(p.restored.is_some(), "a later checkpoint is used");
    assert_eq!(
        session.sim().digest(),
        replayed(&scenario, &[], SimTime::from_days(39)).digest()
    );
}

#[test]
fn a_large_world_keeps_fewer_checkpoints() {
    // 12,000 tasks: twice the task records up to which all checkpoints are kept.
    let mut scenario = Scenario::default();
    scenario.services = (0..30)
        .map(|i| fleetsim_core::scenario::ServiceSpec::sized(&format!("s{i}"), 400, 256, 512))
        .collect();
    let mut session = Session::new(scenario).unwrap();
    session.seek(SimTime::from_days(2));
    let n = session.checkpoint_count();
    assert!(
        n <= CHECKPOINT_CAP / 2,
        "{n} checkpoints of a 12,000-task world"
    );
    assert!(n >= fleetsim_core::session::MIN_CHECKPOINTS, "{n}");
}
