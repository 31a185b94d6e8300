//! The field table (`scenario::fields`) against what validation and the commands really do:
//! every path is one the JSON has, every default is what the code's `Default`s give and is
//! accepted, and at each bound the value is accepted while one past it is refused with the
//! path, the value and the range. The cases come from the table; the verdicts come from
//! `Scenario::from_json` and `Sim::apply`.

use fleetsim_core::scenario::fields::{
    scenario_fields, Basis, FieldSpec, Unit, COMMANDS, DEPLOYMENT, DEPLOYMENT_CONFIGURATION,
    PROTECTION_MINUTES, RUN_TASK_COUNT,
};
use fleetsim_core::scenario::provenance::provenance;
use fleetsim_core::scenario::*;
use fleetsim_core::{Command, CommandError, Sim};
use serde_json::{json, Value};

/// A scenario with every optional part present, from the code's own defaults: two services
/// (a circuit breaker counting tasks, and one counting percent), auto scaling, a load curve, a
/// revision, two alarms (one per metric), a Lambda hook answering IN_PROGRESS, a standalone
/// group, a custom catalog, a maintenance window and a legacy health grace.
fn everything() -> Scenario {
    let mut first = ServiceSpec {
        name: "first".into(),
        auto_scaling: Some(AutoScaling::default()),
        load: Some(LoadCurve::default()),
        revisions: vec![RevisionSpec {
            unhealthy_after_seconds: Some(600),
            ..RevisionSpec::default()
        }],
        ..ServiceSpec::default()
    };
    let d = &mut first.deployment_configuration;
    d.alarms.alarms = vec![
        AlarmSpec::default(),
        AlarmSpec {
            name: "latency".into(),
            metric: AlarmMetric::P99LatencyMs,
            threshold: 900,
            ..AlarmSpec::default()
        },
    ];
    d.lifecycle_hooks = vec![LifecycleHook {
        lifecycle_stages: vec![LifecycleStage::PostScaleUp],
        script: vec![HookResponse::InProgress {
            call_back_delay: Some(60),
        }],
        ..LifecycleHook::default()
    }];
    let mut second = ServiceSpec {
        name: "second".into(),
        revisions: vec![RevisionSpec::default()],
        ..ServiceSpec::default()
    };
    second
        .deployment_configuration
        .deployment_circuit_breaker
        .threshold_configuration = ThresholdConfiguration {
        kind: ThresholdType::Count,
        value: 4,
    };
    let mut s = Scenario {
        services: vec![first, second],
        standalone_tasks: vec![StandaloneSpec::default()],
        catalog: Some(fleetsim_core::catalog::default_catalog()),
        ..Scenario::default()
    };
    s.capacity_provider.scale_in_after = Some(DEFAULT_SCALE_IN_AFTER_SECONDS);
    s.catalog.as_mut().unwrap()[0].fee_per_hour = Some(fleetsim_core::money::Micros(1_000));
    s.patching.maintenance_windows = vec![MaintenanceWindow {
        start_day: Weekday::Sat,
        start_hour: 2,
        duration_hours: 4,
    }];
    s.timing.legacy_health_grace_seconds = Some(60);
    s.validate().expect("the fixture is valid");
    s
}

/// Every concrete path of `spec` in `root`, with the value there (`[]` expanded over the
/// lists; a `when` sibling must hold).
fn instances(spec: &FieldSpec, root: &Value) -> Vec<(String, Value)> {
    let mut found = vec![(String::new(), root.clone(), Value::Null)];
    for part in spec.path.split('.') {
        let (key, list) = match part.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (part, false),
        };
        let mut next = vec![];
        for (path, v, _) in found {
            let path = if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            };
            let Some(child) = v.get(key) else { continue };
            if list {
                for (i, item) in child.as_array().into_iter().flatten().enumerate() {
                    next.push((format!("{path}[{i}]"), item.clone(), v.clone()));
                }
            } else {
                next.push((path, child.clone(), v.clone()));
            }
        }
        found = next;
    }
    found
        .into_iter()
        .filter(|(_, v, parent)| {
            !v.is_null()
                && spec.when.is_none_or(|(sibling, values)| {
                    values.contains(&parent[sibling].as_str().unwrap_or(""))
                })
        })
        .map(|(p, v, _)| (p, v))
        .collect()
}

/// `root` with the value at `path` (`a.b[2].c`) replaced.
fn with(root: &Value, path: &str, value: Value) -> Value {
    let mut out = root.clone();
    let mut v = &mut out;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        v = &mut v[key];
        if let Some(i) = index {
            v = &mut v[i];
        }
    }
    *v = value;
    out
}

/// A value of `spec` as the JSON writes it (tenths as a decimal percentage).
fn written(spec: &FieldSpec, v: i128) -> Value {
    if spec.unit == Unit::PercentTenths && v % 10 != 0 {
        json!(v as f64 / 10.0)
    } else if spec.unit == Unit::PercentTenths {
        json!(v / 10)
    } else if v < 0 {
        json!(v as i64)
    } else {
        json!(v as u64)
    }
}

/// Problems `from_json` reports at `path` (a refused read is one problem).
fn problems_at(doc: &Value, path: &str) -> Vec<String> {
    match Scenario::from_json(&doc.to_string()) {
        Ok(_) => vec![],
        Err(e) => e.for_path(path).map(|e| e.message.clone()).collect(),
    }
}

#[test]
fn every_path_in_the_table_is_in_the_json() {
    let root = serde_json::to_value(everything()).unwrap();
    for spec in scenario_fields() {
        assert!(
            !instances(spec, &root).is_empty(),
            "{} is not a field of the scenario's JSON",
            spec.path
        );
    }
}

#[test]
fn defaults_are_the_code_s_and_are_accepted() {
    let root = serde_json::to_value(everything()).unwrap();
    for spec in scenario_fields() {
        let Some(default) = spec.default else {
            continue;
        };
        assert!(spec.min <= default && default <= spec.max, "{}", spec.path);
        for (path, value) in instances(spec, &root) {
            // The fixture set these away from their defaults, to have them at all.
            let set_on_purpose = [
                "unhealthyAfterSeconds",
                "callBackDelay",
                "healthGraceSeconds",
            ];
            if !set_on_purpose.iter().any(|f| path.ends_with(f)) {
                assert_eq!(
                    written(spec, default.into()),
                    value,
                    "{path}: the table's default is not the code's"
                );
            }
            let doc = with(&root, &path, written(spec, default.into()));
            assert!(
                Scenario::from_json(&doc.to_string()).is_ok(),
                "{path} = its default is refused"
            );
        }
    }
}

/// The fields with no spec, each for a reason: a rule between fields checks it, or any value
/// of its type is fine.
const UNBOUNDED: [&str; 12] = [
    "version",
    "seed",
    "vCpuCount.min",
    "vCpuCount.max",
    "memoryMiB.min",
    "memoryMiB.max",
    "memoryGiBPerVCpu.min",
    "memoryGiBPerVCpu.max",
    "autoScaling.minTasks",
    "load.troughRps",
    "containers[].cpu",
    "containers[].memory",
];

#[test]
fn every_number_in_the_json_has_a_spec_or_a_reason() {
    let root = serde_json::to_value(everything()).unwrap();
    let mut numbers = vec![];
    collect_numbers(&root, String::new(), &mut numbers);
    for path in numbers {
        let covered = scenario_fields().any(|s| s.matches(&path));
        let pattern = strip_indices(&path);
        let excused = UNBOUNDED.iter().any(|u| pattern.ends_with(u));
        assert!(covered || excused, "{path} has no field spec");
    }
}

fn collect_numbers(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_numbers(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect_numbers(item, p, out);
            }
        }
        _ => {}
    }
}

fn strip_indices(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            c if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn each_bound_is_accepted_and_one_past_it_refused_with_path_value_and_range() {
    let root = serde_json::to_value(everything()).unwrap();
    for spec in scenario_fields() {
        let (lo, hi) = (i128::from(spec.min), i128::from(spec.max));
        // Below a minimum of 0 is -1, which `off` fields accept: -2 then.
        let below = if spec.off && lo == 0 { -2 } else { lo - 1 };
        for (path, _) in instances(spec, &root) {
            for ok in [lo, hi] {
                let doc = with(&root, &path, written(spec, ok));
                assert_eq!(
                    problems_at(&doc, &path),
                    Vec::<String>::new(),
                    "{path} = {ok}"
                );
            }
            if spec.off {
                let doc = with(&root, &path, json!(-1));
                assert_eq!(
                    problems_at(&doc, &path),
                    Vec::<String>::new(),
                    "{path} = -1"
                );
            }
            for bad in [below, hi + 1] {
                let doc = with(&root, &path, written(spec, bad));
                let got = problems_at(&doc, &path);
                let range = spec.range_text();
                let value = written(spec, bad).to_string();
                assert!(
                    got.iter().any(
                        |m| m.starts_with(&value) && m.ends_with(&format!(", must be {range}"))
                    ),
                    "{path} = {bad}: expected a refusal with the range {range}, got {got:?}"
                );
            }
        }
    }
}

#[test]
fn units_show_in_the_refusal() {
    let mut s = everything();
    s.services[0].deployment_configuration.bake_time_in_minutes = 1_441;
    s.timing.shutdown_seconds = 121;
    s.services[0]
        .deployment_configuration
        .canary_configuration
        .canary_percent = Tenths(1_001);
    let e = s.validate().unwrap_err().to_string();
    for line in [
        "services[0].deploymentConfiguration.bakeTimeInMinutes: 1441 min, must be 0–1440 min",
        "timing.shutdownSeconds: 121 s, must be 0–120 s",
        "services[0].deploymentConfiguration.canaryConfiguration.canaryPercent: 100.1 %, must be 0.1–100 %",
    ] {
        assert!(e.lines().any(|l| l == line), "{line} not in\n{e}");
    }
}

fn started(s: Scenario) -> Sim {
    let mut sim = Sim::new(s).unwrap();
    sim.step_until(fleetsim_core::SimTime(600_000));
    sim
}

#[test]
fn commands_take_their_limits_from_the_table() {
    let mut sim = started(everything());
    let group = sim.scenario().standalone_tasks[0].group.clone();
    let run = |count| Command::RunTask {
        group: group.clone(),
        count,
    };
    assert!(sim.apply(run(RUN_TASK_COUNT.max as u32)).is_ok());
    for bad in [RUN_TASK_COUNT.min - 1, RUN_TASK_COUNT.max + 1] {
        let e = sim.apply(run(bad as u32)).unwrap_err();
        assert_eq!(
            e,
            CommandError::OutOfRange {
                field: "count",
                value: bad,
                min: RUN_TASK_COUNT.min,
                max: RUN_TASK_COUNT.max,
            }
        );
    }
    let task = sim.tasks().find(|t| t.service().is_some()).unwrap().id.0;
    let protect = |minutes| Command::ProtectTask {
        task,
        minutes: Some(minutes),
    };
    assert!(sim.apply(protect(PROTECTION_MINUTES.max as u32)).is_ok());
    let e = sim
        .apply(protect(PROTECTION_MINUTES.max as u32 + 1))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "expiresInMinutes: {}, must be 0–{}",
            PROTECTION_MINUTES.max + 1,
            PROTECTION_MINUTES.max
        )
    );
    assert_eq!(COMMANDS.len(), 2, "a new command spec needs a case here");
}

/// StartDeployment's configuration is checked by the scenario's deployment specs, under the
/// command's own path.
#[test]
fn a_deployment_s_configuration_is_refused_one_past_each_bound() {
    let s = everything();
    let base = serde_json::to_value(&s.services[1].deployment_configuration).unwrap();
    for spec in DEPLOYMENT.iter().filter(|s| s.when.is_none()) {
        let rest = &spec.path[DEPLOYMENT_CONFIGURATION.len() + 1..];
        if rest.contains("[]") {
            continue;
        }
        for (v, refused) in [
            (i128::from(spec.max), false),
            (i128::from(spec.max) + 1, true),
        ] {
            let cfg: DeploymentConfiguration =
                serde_json::from_value(with(&base, rest, written(spec, v))).unwrap();
            let mut sim = started(s.clone());
            let got = sim.apply(Command::StartDeployment {
                service: "second".into(),
                revision: s.services[1].revisions[0].name.clone(),
                configuration: Some(cfg),
            });
            match (refused, got) {
                (false, Ok(())) => {}
                (true, Err(CommandError::Invalid(m))) => assert_eq!(
                    m,
                    format!(
                        "configuration.{rest}: {}, must be {}",
                        spec.value_text(v),
                        spec.range_text()
                    )
                ),
                (_, other) => panic!("{rest} = {v}: {other:?}"),
            }
        }
    }
}

/// A field the table calls the talk's or our estimate carries that label on the page, and a
/// labelled field is one the table says is not simply AWS's or fleetsim's.
#[test]
fn the_table_and_the_page_s_labels_agree() {
    for spec in scenario_fields() {
        let label = provenance(spec.path).map(|p| p.source);
        match spec.basis {
            Basis::Labelled(source) => assert_eq!(label, Some(source), "{}", spec.path),
            _ => assert_eq!(label, None, "{} is labelled on the page", spec.path),
        }
    }
}
