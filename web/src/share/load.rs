//! A shared state as the page's engine: the scenario, its command timeline, the moment.

use fleetsim_core::share::Shared;
use fleetsim_core::ValidationErrors;

use crate::engine::Engine;

/// An engine at the start of `shared.scenario` whose whole script stays on its timeline,
/// with a seek to `shared.at` begun: the caller runs it (in slices in the page, at once in
/// tests). The script replays once, forwards; commands after `at` apply when time passes
/// them, as after a rewind.
pub fn engine_for(shared: &Shared) -> Result<Engine, ValidationErrors> {
    let mut engine = Engine::open(shared.scenario.clone(), shared.full_script())?;
    engine.begin_seek(shared.at, false);
    Ok(engine)
}

/// The state to share: everything needed to reproduce this moment (a lesson's commands are in
/// the timeline; the lesson's own link comes from the lesson form).
pub fn shared_of(engine: &Engine, panel: Option<String>) -> Shared {
    Shared {
        scenario: engine.sim().scenario().clone(),
        script: engine.timeline().to_vec(),
        at: engine.now(),
        panel,
        lesson: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleetsim_core::presets::presets;
    use fleetsim_core::share::{decode, encode};
    use fleetsim_core::{Sim, SimTime};

    #[test]
    fn a_shared_state_opens_at_the_same_moment_as_a_plain_replay() {
        for p in presets().into_iter().take(4) {
            let at = SimTime::from_mins(45);
            let shared = Shared {
                scenario: p.scenario.clone(),
                script: p.full_script(),
                at,
                panel: None,
                lesson: None,
            };
            let mut engine = engine_for(&decode(&encode(&shared)).unwrap()).unwrap();
            while engine.busy().is_some() {
                engine.work(1_000);
            }
            let mut sim = Sim::new(p.scenario.clone()).unwrap();
            sim.replay(&p.full_script(), at).unwrap();
            assert_eq!(engine.now(), at, "{}", p.id());
            assert_eq!(engine.sim().digest(), sim.digest(), "{}", p.id());
            // Sharing again gives the same link.
            assert_eq!(
                encode(&shared_of(&engine, None)),
                encode(&shared),
                "{}",
                p.id()
            );
        }
    }

    #[test]
    fn commands_after_the_shared_moment_stay_on_the_timeline() {
        let p = &presets()[0];
        let shared = Shared {
            scenario: p.scenario.clone(),
            script: p.full_script(),
            at: SimTime::from_mins(5),
            panel: None,
            lesson: None,
        };
        let mut engine = engine_for(&shared).unwrap();
        while engine.busy().is_some() {
            engine.work(1_000);
        }
        assert_eq!(engine.timeline(), p.full_script().as_slice());
        engine.seek(SimTime::from_hours(1));
        let mut sim = Sim::new(p.scenario.clone()).unwrap();
        sim.replay(&p.full_script(), SimTime::from_hours(1))
            .unwrap();
        assert_eq!(engine.sim().digest(), sim.digest());
    }
}
