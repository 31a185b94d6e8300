//! Every workshop preset is a valid scenario whose URL fits in chat tools and slides, and whose
//! scripted lesson actually runs. (Their questions: `lessons.rs`.)

use fleetsim_core::presets::presets;
use fleetsim_core::share::decode;
use fleetsim_core::Sim;

/// The longest page address we expect a preset link to carry in front of `#s=`.
const ORIGIN: &str = "https://fleetsim.example.org/#s=";

#[test]
fn at_least_ten_presets_each_with_a_lesson_and_steps() {
    let ps = presets();
    assert!(ps.len() >= 10, "{} presets", ps.len());
    let mut ids: Vec<&str> = ps.iter().map(|p| p.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ps.len(), "preset ids are unique");
    for p in &ps {
        assert!(
            p.lesson.intro.matches(". ").count() >= 1,
            "{}: lesson has two sentences",
            p.id()
        );
        assert!(
            p.lesson.steps.len() >= 4,
            "{}: has at least 4 steps",
            p.id()
        );
        assert!(
            p.lesson
                .steps
                .iter()
                .all(|s| s.question.prompt.ends_with('?')),
            "{}: prompts are questions",
            p.id()
        );
        assert!(p.reference.starts_with("https://"), "{}", p.id());
    }
}

#[test]
fn every_preset_url_is_at_most_2000_characters() {
    for p in presets() {
        let url = format!("{ORIGIN}{}", p.share());
        assert!(url.len() <= 2000, "{}: {} characters", p.id(), url.len());
    }
}

#[test]
fn every_preset_round_trips_and_its_script_replays() {
    for p in presets() {
        let shared = decode(&p.share()).unwrap_or_else(|e| panic!("{}: {e}", p.id()));
        assert_eq!(shared.scenario, p.scenario);
        assert_eq!(
            shared.script,
            p.full_script(),
            "{}: the link runs the lesson's commands",
            p.id()
        );
        let mut sim = Sim::new(shared.scenario).unwrap_or_else(|e| panic!("{}: {e}", p.id()));
        sim.replay(
            &shared.script,
            p.until.min(fleetsim_core::SimTime::from_days(2)),
        )
        .unwrap_or_else(|(i, e)| panic!("{}: command {i}: {e}", p.id()));
        assert!(
            sim.hosts().count() > 0,
            "{}: the lesson launches hosts",
            p.id()
        );
    }
}
