//! Lessons: every preset's questions are answered by the simulation (one correct choice each,
//! and any hand-written answer agrees), answers follow the world rather than the text, a lesson
//! rides in a link, and a bad lesson is refused with the field and range named.

use fleetsim_core::command::Command;
use fleetsim_core::lesson::{answers, Answering, Ask, Lesson, StepAnswer};
use fleetsim_core::presets::{parse_preset, presets, Preset, FILES};
use fleetsim_core::share::{decode, encode, ShareError, Shared};
use fleetsim_core::{EventKind, Session, Sim, SimTime};

/// Where the author's own answer disagrees with the simulation's.
fn disagreements(lesson: &Lesson, computed: &[Result<StepAnswer, String>]) -> Vec<String> {
    lesson
        .steps
        .iter()
        .zip(computed)
        .filter_map(|(s, a)| {
            let expected = s.question.expected.as_ref()?;
            match a {
                Ok(a) if a.is(expected) => None,
                Ok(a) => Some(format!(
                    "{}: expected {expected}, the simulation says {} ({})",
                    s.question.prompt, a.answer, a.why
                )),
                Err(e) => Some(format!("{}: {e}", s.question.prompt)),
            }
        })
        .collect()
}

fn preset(id: &str) -> Preset {
    presets().into_iter().find(|p| p.id() == id).unwrap()
}

/// The first step whose question is of the kind `is` accepts.
fn step_asking(p: &Preset, is: impl Fn(&Ask) -> bool) -> usize {
    p.lesson
        .steps
        .iter()
        .position(|s| is(&s.question.ask))
        .unwrap()
}

#[test]
fn every_preset_file_reads_and_its_lesson_validates() {
    assert_eq!(presets().len(), FILES.len(), "every file reads");
    for (file, text) in FILES {
        let p = parse_preset(text).unwrap_or_else(|e| panic!("{file}.json: {e}"));
        assert_eq!(p.id(), file, "a preset's id is its file name");
        p.lesson
            .validate(&p.scenario)
            .unwrap_or_else(|e| panic!("{file}.json: {e}"));
        assert!(p.lesson.steps.len() >= 4, "{file}: at least 4 steps");
    }
}

#[test]
fn every_preset_question_has_exactly_one_computed_answer() {
    for p in presets() {
        let computed = answers(&p.scenario, &p.script, &p.lesson);
        assert_eq!(computed.len(), p.lesson.steps.len());
        for (step, a) in p.lesson.steps.iter().zip(&computed) {
            let a = a
                .as_ref()
                .unwrap_or_else(|e| panic!("{}: {}: {e}", p.id(), step.question.prompt));
            let q = &step.question;
            let matching = q.choices.iter().filter(|c| a.is(c)).count();
            if q.choices.is_empty() {
                assert!(a.answer.parse::<u64>().is_ok(), "{}: {}", p.id(), a.answer);
            } else {
                assert_eq!(matching, 1, "{}: {}: {}", p.id(), q.prompt, a.answer);
                let i = a.choice.expect("a choice question names its choice") as usize;
                assert!(a.is(&q.choices[i]));
            }
            assert!(!a.why.is_empty(), "{}: {}: a reason", p.id(), q.prompt);
        }
        assert_eq!(disagreements(&p.lesson, &computed), Vec::<String>::new());
    }
}

#[test]
fn a_hand_written_answer_that_disagrees_is_caught() {
    let mut p = preset("canary-rollback");
    let i = step_asking(&p, |a| matches!(a, Ask::DeploymentOutcome { .. }));
    // A canary whose alarm trips cannot end SUCCESSFUL.
    p.lesson.steps[i].question.expected = Some("SUCCESSFUL".into());
    let computed = answers(&p.scenario, &p.script, &p.lesson);
    let found = disagreements(&p.lesson, &computed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("ROLLBACK_SUCCESSFUL"), "{}", found[0]);
}

#[test]
fn answers_are_read_from_the_world_not_the_text() {
    // Twelve web tasks over three AZs instead of nine: the same question's answer moves.
    let mut p = preset("spread-then-pack");
    let i = step_asking(&p, |a| matches!(a, Ask::TasksInAz { .. }));
    let before = answers(&p.scenario, &p.script, &p.lesson)[i]
        .clone()
        .unwrap();
    p.scenario.services[0].desired_count = 12;
    p.lesson.steps[i].question.choices = vec!["3".into(), "4".into()];
    let after = answers(&p.scenario, &p.script, &p.lesson)[i]
        .clone()
        .unwrap();
    assert_eq!(before.answer, "3");
    assert_eq!(after.answer, "4");
    assert_eq!(after.choice, Some(1));
}

/// The answers come from one run that steps through the lesson; the page instead opens a
/// session with the merged script and seeks. Both must see the same world.
#[test]
fn answers_match_an_independent_session_at_each_step() {
    for id in ["start-before-stop", "az-impairment", "fargate-vs-mi"] {
        let p = preset(id);
        let computed = answers(&p.scenario, &p.script, &p.lesson);
        let mut session = Session::open(p.scenario.clone(), p.full_script()).unwrap();
        for (step, a) in p.lesson.steps.iter().zip(&computed) {
            session.seek(step.at);
            let sim = session.sim();
            let a = a.as_ref().unwrap();
            let expected = match &step.question.ask {
                Ask::Hosts { status } => sim
                    .hosts()
                    .filter(|h| status.is_none_or(|s| h.status == s))
                    .count()
                    .to_string(),
                Ask::TasksInAz { service, az } => {
                    let view = sim.view();
                    let zone = view.azs.iter().find(|z| &z.name == az).unwrap();
                    zone.hosts
                        .iter()
                        .flat_map(|h| &h.tasks)
                        .filter(|t| &t.service == service && !t.stopping)
                        .count()
                        .to_string()
                }
                _ => continue,
            };
            assert_eq!(a.answer, expected, "{id}: {}", step.question.prompt);
        }
    }
}

#[test]
fn the_nth_task_is_counted_in_creation_order() {
    let p = preset("spread-then-pack");
    let i = p
        .lesson
        .steps
        .iter()
        .rposition(|s| matches!(s.question.ask, Ask::AzOfTask { .. }))
        .unwrap();
    let step = &p.lesson.steps[i];
    let Ask::AzOfTask { n, .. } = &step.question.ask else {
        unreachable!()
    };
    let a = answers(&p.scenario, &p.script, &p.lesson)[i]
        .clone()
        .unwrap();
    // Oracle: a plain replay's event log, web being service 0.
    let mut sim = Sim::new(p.scenario.clone()).unwrap();
    sim.replay(&p.full_script(), step.at).unwrap();
    let events = sim.events().to_vec();
    let task = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TaskCreated { task, owner, .. }
                if *owner
                    == fleetsim_core::world::Owner::Service(fleetsim_core::world::ServiceId(0)) =>
            {
                Some(*task)
            }
            _ => None,
        })
        .nth(*n as usize - 1)
        .unwrap();
    let az = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::TaskPlaced { task: t, az, .. } if *t == task => Some(*az),
            _ => None,
        })
        .unwrap();
    assert_eq!(a.answer, p.scenario.availability_zones[az as usize]);
    assert!(a.why.contains("placed"), "{}", a.why);
}

#[test]
fn a_lesson_rides_in_a_link_as_format_2() {
    let p = preset("canary-rollback");
    let with = p.shared();
    let text = encode(&with);
    assert!(text.starts_with("f2."), "{}", &text[..8]);
    assert_eq!(decode(&text).unwrap(), with);
    let without = Shared {
        lesson: None,
        ..with.clone()
    };
    assert!(encode(&without).starts_with("f1."));
    // The link runs the same commands as the preset.
    assert_eq!(decode(&text).unwrap().full_script(), p.full_script());
}

#[test]
fn a_bad_lesson_in_a_link_names_each_field_and_its_range() {
    let p = preset("az-impairment");
    let mut l = p.lesson.clone();
    l.steps[1].at = SimTime::from_mins(1);
    l.steps[0].question.choices = vec!["1".into(); 5];
    l.steps[2].question.ask = Ask::TasksInAz {
        service: "nope".into(),
        az: "mars-1".into(),
    };
    l.steps[3].question.ask = Ask::AzOfTask {
        service: "web".into(),
        n: 0,
    };
    l.steps[4].question.choices = vec!["three".into(), "4".into()];
    l.steps[4].command = Some(Command::DrainHost { host: 1 });
    l.steps[4].command_at = Some(SimTime::from_days(1));
    let shared = Shared {
        lesson: Some(l),
        ..p.shared()
    };
    let Err(ShareError::InvalidLesson(e)) = decode(&encode(&shared)) else {
        panic!("accepted");
    };
    let text = e.to_string();
    for expected in [
        "lesson.steps[0].question.choices: 5 choices, must be 2–4 choices",
        "lesson.steps[0].question.choices[1]: \"1\" is listed twice",
        "lesson.steps[1].at: 60000 ms, must be 900001–5184000000 ms",
        "lesson.steps[2].question.ask.service: \"nope\" is not one of the scenario's services (web, api)",
        "lesson.steps[2].question.ask.az: \"mars-1\" is not one of the scenario's availability zones",
        "lesson.steps[3].question.ask.n: 0, must be 1–20000",
        "lesson.steps[4].question.choices[0]: \"three\", must be a whole number",
        "lesson.steps[4].commandAt: 86400000 ms, must be 7200000–10800000 ms",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(decode(&encode(&shared))
        .unwrap_err()
        .to_string()
        .starts_with("the link's lesson is not valid: "));
}

#[test]
fn a_lesson_with_a_wrong_type_names_its_json_path() {
    let text = r#"{"scenario":{},"lesson":{"id":"x","title":"t","steps":[{"narrative":"n","at":0,"question":{"prompt":"p","ask":{"kind":"hosts","status":"ASLEEP"}}}]}}"#;
    let e = fleetsim_core::scenario::parse::from_json::<Shared>(text).unwrap_err();
    // serde reads a tagged `ask` whole before it looks inside, so the path stops at its question.
    assert!(e.path.starts_with("lesson.steps[0].question"), "{e}");
    assert!(
        e.message.contains("ASLEEP") && e.message.contains("DRAINING"),
        "{e}"
    );
}

#[test]
fn a_question_the_simulation_cannot_answer_says_why_instead_of_panicking() {
    let mut p = preset("spread-then-pack");
    // Web never has a 500th task; the first drain never happens in an hour.
    p.lesson.steps[0].question.ask = Ask::AzOfTask {
        service: "web".into(),
        n: 500,
    };
    p.lesson.steps[1].question.ask = Ask::FirstDrainDay;
    p.lesson.steps[1].question.choices.clear();
    // Validation refuses a 0th task; a caller that skipped it still gets a sentence.
    p.lesson.steps[2].question.ask = Ask::AzOfTask {
        service: "web".into(),
        n: 0,
    };
    let computed = answers(&p.scenario, &p.script, &p.lesson);
    let e0 = computed[0].clone().unwrap_err();
    assert!(e0.starts_with("step 1: web has created "), "{e0}");
    let e1 = computed[1].clone().unwrap_err();
    assert!(e1.contains("no host has started draining"), "{e1}");
    let e2 = computed[2].clone().unwrap_err();
    assert!(e2.contains("counted from 1"), "{e2}");
    assert!(computed[3..].iter().all(Result::is_ok));
}

/// The page answers in slices across frames; any slicing must give the one-go answers.
#[test]
fn answering_in_small_slices_gives_the_same_answers() {
    for id in ["az-impairment", "patch-cycle"] {
        let p = preset(id);
        let whole = answers(&p.scenario, &p.script, &p.lesson);
        for budget in [1, 37, 5_000] {
            let mut run = Answering::new(&p.scenario, &p.script, &p.lesson);
            let mut calls = 0;
            while !run.work(budget) {
                calls += 1;
                let (done, of) = run.progress();
                assert!(done <= of);
            }
            assert_eq!(
                run.answers(),
                whole.as_slice(),
                "{id}, {budget} timers a slice"
            );
            if budget == 1 {
                assert!(
                    calls > 100,
                    "{id}: a one-timer budget takes many calls ({calls})"
                );
            }
        }
    }
}
