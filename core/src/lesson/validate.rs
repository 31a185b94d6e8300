//! A lesson's checks against its scenario: every problem at once, each with its JSON path
//! (`lesson.steps[2].question.choices`), the value and the allowed range, like the scenario's.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::scenario::validate::Checker;
use crate::scenario::{Scenario, Strategy, ValidationErrors, MAX_DAYS, MAX_NAME_CHARS, MAX_TASKS};
use crate::time::DAY;

/// Where a lesson sits in a share string's JSON.
const ROOT: &str = "lesson";

impl Lesson {
    /// Every problem at once; `Ok` means each step's question names things the scenario has.
    pub fn validate(&self, scenario: &Scenario) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        check(&mut c, self, scenario);
        c.finish()
    }
}

fn text(c: &mut Checker, path: String, value: &str, max: u32) {
    let n = value.chars().count() as u64;
    c.range(path, n, 1, u64::from(max), " characters");
}

fn check(c: &mut Checker, l: &Lesson, scenario: &Scenario) {
    if l.version == 0 || l.version > LESSON_FORMAT {
        c.err(
            format!("{ROOT}.version"),
            format!(
                "lesson format {} is not readable by this fleetsim, which reads format 1–{LESSON_FORMAT}",
                l.version
            ),
        );
    }
    text(c, format!("{ROOT}.id"), &l.id, MAX_NAME_CHARS);
    if !l
        .id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        c.err(
            format!("{ROOT}.id"),
            "may hold only a–z, 0–9 and - (it goes into links)",
        );
    }
    text(c, format!("{ROOT}.title"), &l.title, MAX_NAME_CHARS * 2);
    if l.intro.chars().count() as u32 > MAX_NARRATIVE_CHARS {
        c.err(
            format!("{ROOT}.intro"),
            format!(
                "{} characters, at most {MAX_NARRATIVE_CHARS}",
                l.intro.chars().count()
            ),
        );
    }
    let n = l.steps.len() as u64;
    c.range(
        format!("{ROOT}.steps"),
        n,
        1,
        u64::from(MAX_LESSON_STEPS),
        " steps",
    );
    if n > u64::from(MAX_LESSON_STEPS) {
        return;
    }
    let mut previous = SimTime::ZERO;
    for (i, s) in l.steps.iter().enumerate() {
        let p = format!("{ROOT}.steps[{i}]");
        text(
            c,
            format!("{p}.narrative"),
            &s.narrative,
            MAX_NARRATIVE_CHARS,
        );
        // Each step moves time forward, so the room always sees something new.
        let lo = if i == 0 { 0 } else { previous.0 + 1 };
        c.range(format!("{p}.at"), s.at.0, lo, MAX_DAYS * DAY, " ms");
        if let Some(at) = s.command_at {
            c.range(format!("{p}.commandAt"), at.0, previous.0, s.at.0, " ms");
            if s.command.is_none() {
                c.err(
                    format!("{p}.commandAt"),
                    "is set but the step has no command",
                );
            }
        }
        check_question(c, &format!("{p}.question"), &s.question, scenario);
        previous = s.at;
    }
}

fn check_question(c: &mut Checker, p: &str, q: &Question, scenario: &Scenario) {
    text(c, format!("{p}.prompt"), &q.prompt, MAX_PROMPT_CHARS);
    check_ask(c, &format!("{p}.ask"), &q.ask, scenario);
    let n = q.choices.len() as u64;
    if q.ask.needs_choices() || n > 0 {
        c.range(
            format!("{p}.choices"),
            n,
            u64::from(MIN_CHOICES),
            u64::from(MAX_CHOICES),
            " choices",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, choice) in q.choices.iter().enumerate() {
        let cp = format!("{p}.choices[{i}]");
        text(c, cp.clone(), choice, MAX_CHOICE_CHARS);
        if seen.contains(&choice.as_str()) {
            c.err(cp.clone(), format!("\"{choice}\" is listed twice"));
        }
        seen.push(choice);
        check_choice(c, cp, choice, &q.ask);
    }
    if let Some(e) = &q.expected {
        let ep = format!("{p}.expected");
        if !q.choices.is_empty() && !q.choices.contains(e) {
            c.err(ep, format!("\"{e}\" is not one of the choices"));
        } else if q.choices.is_empty() {
            check_choice(c, ep, e, &q.ask);
        }
    }
}

/// A choice must be something the kind can answer: a number, a strategy, a status.
fn check_choice(c: &mut Checker, path: String, choice: &str, ask: &Ask) {
    match ask {
        Ask::FewerExposed { .. } if !Strategy::ALL.iter().any(|s| s.api_name() == choice) => {
            c.err(
                path,
                format!("\"{choice}\", must be ROLLING, BLUE_GREEN, LINEAR or CANARY"),
            );
        }
        Ask::CheaperPerHour if !answer::CHEAPER.contains(&choice) => {
            c.err(
                path,
                format!("\"{choice}\", must be \"Managed Instances\" or \"Fargate\""),
            );
        }
        _ if !ask.needs_choices() && choice.parse::<u64>().is_err() => {
            c.err(
                path,
                format!("\"{choice}\", must be a whole number (this question's answer is one)"),
            );
        }
        _ => {}
    }
}

fn check_ask(c: &mut Checker, p: &str, ask: &Ask, scenario: &Scenario) {
    let service = |c: &mut Checker, name: &str| {
        let found = scenario.services.iter().find(|s| s.name == name);
        if found.is_none() {
            let names: Vec<&str> = scenario.services.iter().map(|s| s.name.as_str()).collect();
            c.err(
                format!("{p}.service"),
                format!(
                    "\"{name}\" is not one of the scenario's services ({})",
                    names.join(", ")
                ),
            );
        }
        found
    };
    match ask {
        Ask::AzOfTask { service: s, n } => {
            service(c, s);
            c.range(format!("{p}.n"), u64::from(*n), 1, u64::from(MAX_TASKS), "");
        }
        Ask::TasksInState { service: s, .. }
        | Ask::TrafficOnNew { service: s }
        | Ask::DeploymentOutcome { service: s } => {
            service(c, s);
        }
        Ask::TasksInAz { service: s, az } => {
            service(c, s);
            if !scenario.availability_zones.contains(az) {
                c.err(
                    format!("{p}.az"),
                    format!(
                        "\"{az}\" is not one of the scenario's availability zones ({})",
                        scenario.availability_zones.join(", ")
                    ),
                );
            }
        }
        Ask::FewerExposed {
            service: s,
            revision,
        } => {
            if let Some(spec) = service(c, s) {
                if !spec.revisions.iter().any(|r| &r.name == revision) {
                    c.err(
                        format!("{p}.revision"),
                        format!("\"{revision}\" is not one of {s}'s revisions"),
                    );
                }
            }
        }
        Ask::Hosts { .. }
        | Ask::HostsLaunched
        | Ask::PeakHosts
        | Ask::CostPerHour
        | Ask::CheaperPerHour
        | Ask::FirstDrainDay => {}
    }
}
