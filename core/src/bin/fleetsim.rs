//! `fleetsim`: run, validate, encode and decode scenarios from the command line.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use fleetsim_core::share::{self, Shared};
use fleetsim_core::time::parse_duration;
use fleetsim_core::{Scenario, Sim, SimTime};

const USAGE: &str = "usage:
  fleetsim run <scenario.json | share-string> [--until 30d] [--events out.jsonl] [--metrics out.csv]
  fleetsim run --world workshop|large|seed=N [--until …]   (the page's built-in worlds)
  fleetsim validate <scenario.json>
  fleetsim fields    (every numeric field a scenario and the commands take: range, unit, default,
                      whose number it is)
  fleetsim encode <scenario.json> [--at 2h]
  fleetsim decode <share-string>
  fleetsim compare-strategies <scenario.json | share-string> [--service NAME] [--revision NAME]
  fleetsim import <FILE>...   (ECS task definitions, services, capacity providers, CloudFormation
                               → a scenario on stdout, the import report on stderr)
  fleetsim export --format ecs-api|cloudformation <scenario.json> [--out DIR]
                              (files `aws ecs … --cli-input-json` or CloudFormation accepts;
                               placeholders and what ECS has no field for on stderr)
  fleetsim report <scenario.json> [--days 30] [--deploys-per-week 1]
                              (Managed Instances vs Fargate cost verdict, with its reasons)
  fleetsim golden    (the link of the determinism check's run; its digest is tests/golden/)
  fleetsim presets   (every workshop lesson whole, as JSON: its share string, and each step with
                      its question and the answer the simulation computes)
  fleetsim lesson <share-string>   (a lesson link's steps with the simulation's answers)
  fleetsim swarm --seeds A..B [--jobs N]   (random worlds and sessions; checks ECS's promises)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("fleetsim: {msg}");
            ExitCode::from(2)
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|s| Some(s.as_str()))
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

/// A path to a JSON file, or a share string (`f1.…`, optionally a whole URL with `#s=`).
fn load(input: &str) -> Result<Shared, String> {
    let fragment = input.rsplit_once("#s=").map_or(input, |(_, s)| s);
    if fragment.starts_with('f') && !std::path::Path::new(input).exists() {
        return share::decode(fragment).map_err(|e| e.to_string());
    }
    let text = std::fs::read_to_string(input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let scenario =
        Scenario::from_json(&text).map_err(|e| format!("{input} is not a valid scenario:\n{e}"))?;
    Ok(Shared {
        scenario,
        script: Vec::new(),
        at: SimTime::ZERO,
        panel: None,
        lesson: None,
    })
}

fn run(args: &[String]) -> Result<(), String> {
    let (cmd, rest) = args.split_first().ok_or(USAGE)?;
    let input = rest.first().filter(|a| !a.starts_with("--"));
    match cmd.as_str() {
        "run" => {
            let shared = match flag(rest, "--world")? {
                Some(name) => Shared {
                    scenario: fleetsim_core::worlds::BuiltIn::parse(name)?.scenario(),
                    script: Vec::new(),
                    at: SimTime::ZERO,
                    panel: None,
                    lesson: None,
                },
                None => load(input.ok_or(USAGE)?)?,
            };
            cmd_run(shared, rest)
        }
        "validate" => {
            let path = input.ok_or(USAGE)?;
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            match Scenario::from_json(&text) {
                Ok(_) => {
                    println!("{path}: valid");
                    Ok(())
                }
                Err(e) => Err(format!("{path}: {} problem(s)\n{e}", e.total())),
            }
        }
        "fields" => {
            print!("{}", fleetsim_core::scenario::fields::table());
            Ok(())
        }
        "encode" => {
            let mut shared = load(input.ok_or(USAGE)?)?;
            if let Some(at) = flag(rest, "--at")? {
                shared.at = SimTime(
                    parse_duration(at)
                        .ok_or_else(|| format!("--at: cannot read \"{at}\" (try 2h, 30d)"))?,
                );
            }
            println!("{}", share::encode(&shared));
            Ok(())
        }
        "decode" => {
            let shared = load(input.ok_or(USAGE)?)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&shared).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        "compare-strategies" => {
            let shared = load(input.ok_or(USAGE)?)?;
            let table = fleetsim_core::compare::strategies::compare_strategies(
                &shared.scenario,
                flag(rest, "--service")?,
                flag(rest, "--revision")?,
            )
            .map_err(|e| e.to_string())?;
            print!("{table}");
            Ok(())
        }
        "golden" => {
            println!("{}", share::encode(&fleetsim_core::golden::golden_shared()));
            Ok(())
        }
        "presets" => {
            // Instructors paste these into slides: `<page>#s=<share>` or `<page>#p=<id>`.
            let list: Vec<serde_json::Value> = fleetsim_core::presets::presets()
                .iter()
                .map(preset_json)
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        "lesson" => {
            let shared = load(input.ok_or(USAGE)?)?;
            let lesson = shared.lesson.as_ref().ok_or("this link holds no lesson")?;
            let out = serde_json::json!({
                "id": lesson.id,
                "title": lesson.title,
                "intro": lesson.intro,
                "steps": steps_json(&shared.scenario, &shared.script, lesson),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        "swarm" => cmd_swarm(rest),
        "export" => cmd_export(rest),
        "report" => cmd_report(rest),
        #[cfg(feature = "import")]
        "import" => cmd_import(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\"\n{USAGE}")),
    }
}

fn cmd_run(shared: Shared, rest: &[String]) -> Result<(), String> {
    let until = match flag(rest, "--until")? {
        Some(u) => SimTime(
            parse_duration(u)
                .ok_or_else(|| format!("--until: cannot read \"{u}\" (try 90m, 6h, 30d)"))?,
        ),
        None if shared.at > SimTime::ZERO => shared.at,
        None => SimTime::from_days(1),
    };
    let script = shared.full_script();
    let mut sim = Sim::new(shared.scenario).map_err(|e| format!("invalid scenario:\n{e}"))?;
    if until > sim.horizon() {
        return Err(format!(
            "--until: {until} is past the {}-day limit",
            fleetsim_core::scenario::MAX_DAYS
        ));
    }
    let mut events_out = match flag(rest, "--events")? {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("cannot write {p}: {e}"))?,
        )),
        None => None,
    };
    let started = std::time::Instant::now();
    let mut cursor = SimTime::ZERO;
    let mut script = script.into_iter().peekable();
    loop {
        // Step in slices so the event buffer is written out as we go.
        let next_cmd = script.peek().map(|c| c.at).filter(|at| *at <= until);
        let target = next_cmd
            .unwrap_or(until)
            .min(cursor + fleetsim_core::time::HOUR);
        sim.step_until(target);
        cursor = target;
        while next_cmd == Some(target) && script.peek().is_some_and(|c| c.at == target) {
            let c = script.next().expect("peeked");
            sim.apply(c.command)
                .map_err(|e| format!("command at {}: {e}", c.at))?;
        }
        write_events(&mut sim, events_out.as_mut())?;
        if cursor >= until && script.peek().is_none_or(|c| c.at > until) {
            break;
        }
    }
    let wall = started.elapsed();
    if let Some(p) = flag(rest, "--metrics")? {
        write_metrics(&sim, p)?;
    }
    print_summary(&sim, wall);
    Ok(())
}

fn write_events(
    sim: &mut Sim,
    out: Option<&mut std::io::BufWriter<std::fs::File>>,
) -> Result<(), String> {
    let events = sim.take_events();
    let Some(out) = out else { return Ok(()) };
    for e in &events {
        let line = serde_json::json!({
            "time": e.at.0,
            "clock": e.at.to_string(),
            "kind": e.kind.name(),
            "host": e.kind.host().map(|h| h.to_string()),
            "task": e.kind.task().map(|t| t.to_string()),
            "service": e.kind.service().map(|s| sim.services()[s.0 as usize].name.clone()),
            "reason": sim.describe(e),
            "detail": e.kind,
        });
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn write_metrics(sim: &Sim, path: &str) -> Result<(), String> {
    let mut out = String::from(
        "time_ms,hosts,hosts_draining,tasks_running,tasks_pending,ec2_per_hour,fee_per_hour,fargate_per_hour,lower_bound_per_hour,cumulative,fargate_cumulative,lower_bound_cumulative,oldest_host_ms,green_bp,rps,errors_per_sec\n",
    );
    for s in &sim.metrics().samples {
        out.push_str(&format!(
            "{},{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{},{},{},{}\n",
            s.at.0,
            s.hosts,
            s.hosts_draining,
            s.tasks_running,
            s.tasks_pending,
            s.ec2_per_hour.dollars(),
            s.fee_per_hour.dollars(),
            s.fargate_per_hour.dollars(),
            s.lower_bound_per_hour.dollars(),
            s.cumulative.dollars(),
            s.fargate_cumulative.dollars(),
            s.lower_bound_cumulative.dollars(),
            s.oldest_host_ms,
            s.green_bp,
            s.rps,
            s.errors_per_sec
        ));
    }
    std::fs::write(path, out).map_err(|e| format!("cannot write {path}: {e}"))
}

fn print_summary(sim: &Sim, wall: std::time::Duration) {
    let v = sim.view();
    println!(
        "{} — {}  ({} events, {:.0} ms wall)",
        sim.scenario().name,
        v.clock,
        sim.event_count(),
        wall.as_secs_f64() * 1e3
    );
    println!("\nHosts by type and AZ:");
    let mut by: BTreeMap<(String, String), u32> = BTreeMap::new();
    for az in &v.azs {
        for h in &az.hosts {
            *by.entry((h.instance_type.clone(), az.name.clone()))
                .or_default() += 1;
        }
    }
    let azs: Vec<&str> = v.azs.iter().map(|a| a.name.as_str()).collect();
    print!("  {:<14}", "type");
    for a in &azs {
        print!("{a:>11}");
    }
    println!();
    let types: std::collections::BTreeSet<&String> = by.keys().map(|k| &k.0).collect();
    for t in types {
        print!("  {t:<14}");
        for a in &azs {
            print!(
                "{:>11}",
                by.get(&(t.clone(), (*a).to_string())).copied().unwrap_or(0)
            );
        }
        println!();
    }
    let mut states: BTreeMap<String, u32> = BTreeMap::new();
    for t in sim.tasks() {
        *states.entry(t.state.to_string()).or_default() += 1;
    }
    println!(
        "\nTasks by state: {}",
        states
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (id, why) in v.unplaced.iter().take(5) {
        println!("  t-{id:03x} waits: {why}");
    }
    let c = sim.cost();
    let ratio = if c.lower_bound.0 > 0 {
        c.total().0 as f64 / c.lower_bound.0 as f64
    } else {
        0.0
    };
    println!(
        "\nNow:        {}/h  (EC2 {}/h + Managed Instances fee {}/h, fee is a 12 % estimate)",
        c.rate(),
        c.ec2_per_hour,
        c.fee_per_hour
    );
    println!("Cumulative: {}", c.total());
    println!(
        "Fargate-equivalent: {}  ({}/h now)",
        c.fargate, c.fargate_per_hour
    );
    println!(
        "Lower bound:        {}  ({}/h now)",
        c.lower_bound, c.lower_bound_per_hour
    );
    println!("Cost ÷ lower bound: {ratio:.3}");
    println!("Event-log digest:   {:016x}", sim.digest());
}

/// `fleetsim swarm --seeds A..B [--jobs N] [--plant stop-before-replacement]`: exits non-zero
/// on any violation, after printing each failing seed with the share string that replays it.
fn cmd_swarm(rest: &[String]) -> Result<(), String> {
    use fleetsim_core::swarm::{self, parallel};
    let seeds = flag(rest, "--seeds")?.unwrap_or("0..100");
    let (from, to) = seeds
        .split_once("..")
        .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
        .filter(|(a, b)| a < b)
        .ok_or_else(|| format!("--seeds: \"{seeds}\" is not a range like 0..2000"))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let jobs = match flag(rest, "--jobs")? {
        Some(j) => j
            .parse::<u32>()
            .ok()
            .filter(|j| (1..=256).contains(j))
            .ok_or_else(|| format!("--jobs: \"{j}\", must be 1–256"))?,
        None => cores,
    };
    let plant = match flag(rest, "--plant")? {
        None => None,
        Some("stop-before-replacement") => {
            Some(fleetsim_core::sim::PlantedBug::StopBeforeReplacementHealthy)
        }
        Some(other) => return Err(format!("--plant: unknown bug \"{other}\"")),
    };
    let started = std::time::Instant::now();
    let summary = parallel::run_range(from, to, jobs, swarm::Options { plant }, &|r| {
        for v in &r.violations {
            eprintln!(
                "swarm: seed {} violates \"{}\" at {}: {}\n  replay: fleetsim run '{}'",
                r.seed, v.invariant, v.at, v.detail, r.share
            );
        }
    });
    let days = summary.simulated_ms as f64 / 86_400_000.0;
    println!(
        "swarm: {} seeds, {} violations ({} commands, {} refused, {:.0} simulated days, {} events, {:.1} s on {jobs} jobs)",
        summary.seeds,
        summary.failures.len(),
        summary.commands,
        summary.refused,
        days,
        summary.events,
        started.elapsed().as_secs_f64()
    );
    let slow: Vec<String> = summary
        .slowest
        .iter()
        .map(|(seed, secs)| format!("{seed} ({secs:.2} s)"))
        .collect();
    println!("swarm: slowest seeds {}", slow.join(", "));
    let mut by_invariant: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for r in &summary.failures {
        for v in &r.violations {
            by_invariant.entry(v.invariant).or_default().push(r.seed);
        }
    }
    for (invariant, seeds) in &by_invariant {
        let first: Vec<String> = seeds.iter().take(8).map(u64::to_string).collect();
        println!(
            "swarm: {:>5} seeds break \"{invariant}\" (e.g. {})",
            seeds.len(),
            first.join(", ")
        );
    }
    if summary.failures.is_empty() {
        Ok(())
    } else {
        let seeds: Vec<String> = summary
            .failures
            .iter()
            .map(|r| r.seed.to_string())
            .collect();
        Err(format!("violations in seeds {}", seeds.join(", ")))
    }
}

/// Scenario on stdout (so it can be redirected into a file), report on stderr.
#[cfg(feature = "import")]
fn cmd_import(files: &[String]) -> Result<(), String> {
    use fleetsim_core::import::{import, Input};
    if files.is_empty() {
        return Err(String::from(USAGE));
    }
    let texts = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_err(|e| format!("cannot read {f}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs: Vec<Input<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input { name, text })
        .collect();
    let imported = import(&inputs).map_err(|e| e.to_string())?;
    println!("{}", imported.scenario.to_json_pretty());
    eprint!("{}", imported.report);
    Ok(())
}

/// The files go to `--out` (default: the current directory); their names and the `aws`
/// commands that use them go to stdout, placeholders and unexported settings to stderr.
fn cmd_export(rest: &[String]) -> Result<(), String> {
    use fleetsim_core::to_ecs;
    let format = flag(rest, "--format")?.ok_or("export needs --format ecs-api|cloudformation")?;
    let input = positional(rest, &["--format", "--out"]).ok_or(USAGE)?;
    let scenario = load(input)?.scenario;
    let export = match format {
        "ecs-api" => to_ecs::ecs_api(&scenario),
        "cloudformation" => to_ecs::cloudformation(&scenario),
        other => {
            return Err(format!(
                "--format: \"{other}\" is not ecs-api or cloudformation"
            ))
        }
    };
    let dir = std::path::PathBuf::from(flag(rest, "--out")?.unwrap_or("."));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for f in &export.files {
        let path = dir.join(&f.name);
        let text = serde_json::to_string_pretty(&f.json).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!(
            "{}",
            to_ecs::aws_command(&f.name, &path.display().to_string())
        );
    }
    for p in &export.placeholders {
        eprintln!("placeholder: {p}");
    }
    for n in &export.not_exported {
        eprintln!("not exported: {n}");
    }
    for n in &export.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}

/// The first argument that is neither a flag nor a flag's value.
fn positional<'a>(rest: &'a [String], valued: &[&str]) -> Option<&'a str> {
    let mut i = 0;
    while i < rest.len() {
        if valued.contains(&rest[i].as_str()) {
            i += 2;
        } else if rest[i].starts_with("--") {
            i += 1;
        } else {
            return Some(&rest[i]);
        }
    }
    None
}

fn cmd_report(rest: &[String]) -> Result<(), String> {
    let input = positional(rest, &["--days", "--deploys-per-week"]).ok_or(USAGE)?;
    let number = |name: &str, default: u32, max: u32| -> Result<u32, String> {
        match flag(rest, name)? {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n) || (name != "--days" && *n == 0))
                .ok_or_else(|| format!("{name} {v:?}, must be a whole number up to {max}")),
        }
    };
    use fleetsim_core::verdict as v;
    let days = number("--days", v::DEFAULT_DAYS, v::MAX_DAYS)?;
    let deploys = number(
        "--deploys-per-week",
        v::DEFAULT_DEPLOYS_PER_WEEK,
        v::MAX_DEPLOYS_PER_WEEK,
    )?;
    let scenario = load(input)?.scenario;
    let verdict = fleetsim_core::verdict::verdict(&scenario, days, deploys)
        .map_err(|e| format!("{input} is not a valid scenario:\n{e}"))?;
    print!("{verdict}");
    Ok(())
}

/// A preset's lesson whole: each step with its question and the simulation's answer.
fn preset_json(p: &fleetsim_core::presets::Preset) -> serde_json::Value {
    serde_json::json!({
        "id": p.id(),
        "title": p.title(),
        "intro": p.lesson.intro,
        "reference": p.reference,
        "until": p.until,
        "share": p.share(),
        // The same with the lesson's text; `#p=<id>` opens the lesson with a shorter link.
        "lessonShare": share::encode(&p.shared()),
        "steps": steps_json(&p.scenario, &p.script, &p.lesson),
    })
}

/// Each step with its narrative, question, and the answer the simulation computes (or why it
/// cannot).
fn steps_json(
    scenario: &Scenario,
    script: &[fleetsim_core::Timed],
    lesson: &fleetsim_core::lesson::Lesson,
) -> Vec<serde_json::Value> {
    let answers = fleetsim_core::lesson::answers(scenario, script, lesson);
    lesson
        .steps
        .iter()
        .zip(answers)
        .map(|(s, a)| {
            let mut step = serde_json::json!({
                "at": s.at,
                "clock": s.at.to_string(),
                "narrative": s.narrative,
                "question": s.question.prompt,
                "ask": s.question.ask,
                "choices": s.question.choices,
            });
            if let Some(c) = &s.command {
                step["command"] = serde_json::json!({ "at": s.command_at, "command": c });
            }
            if let Some(e) = &s.question.expected {
                step["expected"] = serde_json::json!(e);
            }
            match a {
                Ok(a) => {
                    step["answer"] = serde_json::json!(a.answer);
                    step["why"] = serde_json::json!(a.why);
                }
                Err(e) => step["error"] = serde_json::json!(e),
            }
            step
        })
        .collect()
}
