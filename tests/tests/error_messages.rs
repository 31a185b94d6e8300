//! What a user reads when a scenario or a link is wrong: the JSON path of the value at fault,
//! in the spelling the format accepts, and the value and its allowed range in the unit the
//! user typed.

use fleetsim_core::catalog::default_catalog;
use fleetsim_core::scenario::{Scenario, Tenths};
use fleetsim_core::share::{decode, encode, Shared};
use fleetsim_core::{SimTime, ValidationError};
use serde_json::Value;

fn errors(json: &str) -> Vec<ValidationError> {
    Scenario::from_json(json).expect_err(json).0
}

fn one(json: &str) -> (String, String) {
    let e = errors(json);
    assert_eq!(e.len(), 1, "{json}: {e:?}");
    (e[0].path.clone(), e[0].message.clone())
}

fn service(extra: &str) -> String {
    format!(r#"{{"services":[{{"name":"web",{extra}}}]}}"#)
}

/// "LinearConfiguration" and "CanaryConfiguration" in the ECS API reference: both are
/// percentages in multiples of 0.1 (3.0–100.0 and 0.1–100.0), and JSON writes them in percent.
#[test]
fn linear_and_canary_percentages_are_reported_in_percent() {
    let dc = |inner: &str| service(&format!(r#""deploymentConfiguration":{{{inner}}}"#));
    let p = "services[0].deploymentConfiguration";
    assert_eq!(
        one(&dc(r#""linearConfiguration":{"stepPercent":2}"#)),
        (
            format!("{p}.linearConfiguration.stepPercent"),
            "2 %, must be 3–100 %".into()
        )
    );
    assert_eq!(
        one(&dc(r#""linearConfiguration":{"stepPercent":2.5}"#)).1,
        "2.5 %, must be 3–100 %"
    );
    assert_eq!(
        one(&dc(r#""canaryConfiguration":{"canaryPercent":0}"#)),
        (
            format!("{p}.canaryConfiguration.canaryPercent"),
            "0 %, must be 0.1–100 %".into()
        )
    );
    assert_eq!(
        one(&dc(r#""canaryConfiguration":{"canaryPercent":100.1}"#)).1,
        "100.1 %, must be 0.1–100 %"
    );
    // Set in code (the editor, a command) rather than typed: the same words.
    let mut s = Scenario::default_cluster();
    s.services[1]
        .deployment_configuration
        .canary_configuration
        .canary_percent = Tenths(1_005);
    let e = s.validate().unwrap_err().to_string();
    assert!(
        e.contains("services[1].deploymentConfiguration.canaryConfiguration.canaryPercent: 100.5 %, must be 0.1–100 %"),
        "{e}"
    );
}

/// A task's `cpu` is written in CPU units (1024 = 1 vCPU), and its range is given in them
/// too, with vCPU alongside ("Amazon ECS task definition parameters": 0.25–192 vCPU on EC2).
#[test]
fn task_cpu_is_reported_in_cpu_units() {
    assert_eq!(
        one(&service(r#""task":{"cpu":128,"memory":512}"#)),
        (
            "services[0].task.cpu".into(),
            "128 CPU units, must be 256–196608 (0.25–192 vCPU)".into()
        )
    );
}

/// Type, sign, overflow, unknown-field and duplicate-key errors name the JSON path, and say what
/// was found and what is allowed without Rust's type names: the field's own range where it
/// has one.
#[test]
fn every_parse_error_names_its_json_path() {
    let cases: [(String, &str, &str); 12] = [
        (
            r#"{"capacityProvider":{"scaleInAfter":"5m"}}"#.into(),
            "capacityProvider.scaleInAfter",
            "text \"5m\", must be -1 (off) or 0–3600 s",
        ),
        // Any whole number is a valid seed: the type's range is the field's.
        (
            r#"{"seed":-7}"#.into(),
            "seed",
            "-7, must be a whole number 0–18446744073709551615",
        ),
        (
            service(r#""task":{"cpu":-1}"#),
            "services[0].task.cpu",
            "-1, must be 256–196608 (0.25–192 vCPU)",
        ),
        (
            service(r#""desiredCount":"3""#),
            "services[0].desiredCount",
            "text \"3\", must be 0–5000 tasks",
        ),
        (
            service(r#""desiredCount":5000000000"#),
            "services[0].desiredCount",
            "5000000000, must be 0–5000 tasks",
        ),
        (
            service(r#""task":{"containers":[{"name":"c","memoryReservation":1.5}]}"#),
            "services[0].task.containers[0].memoryReservation",
            "1.5, must be a whole number 0–4294967295",
        ),
        (
            service(r#""task":{"cpus":512}"#),
            "services[0].task.cpus",
            "not a field here; the fields here are `cpu`, `memory`, `containers`, `networkMode`, `stopTimeoutSeconds`",
        ),
        (
            service(r#""task":{"cpu":256,"memory":512,"cpu":512}"#),
            "services[0].task.cpu",
            "given twice",
        ),
        (
            service(r#""deploymentConfiguration":{"strategy":"BLUEGREEN"}"#),
            "services[0].deploymentConfiguration.strategy",
            "BLUEGREEN, must be one of `ROLLING`, `BLUE_GREEN`, `LINEAR`, `CANARY`",
        ),
        (
            service(r#""deploymentConfiguration":{"canaryConfiguration":{"canaryPercent":2.55}}"#),
            "services[0].deploymentConfiguration.canaryConfiguration.canaryPercent",
            "2.55 %, must be a multiple of 0.1 % from 0 to 100 %",
        ),
        (
            r#"{"patching":{"maintenanceWindows":[{"startDay":"sat","startHour":true}]}}"#.into(),
            "patching.maintenanceWindows[0].startHour",
            "true, must be 0–23",
        ),
        (
            r#"{"seed":1,"seed":2}"#.into(),
            "seed",
            "given twice",
        ),
    ];
    for (json, path, message) in cases {
        assert_eq!(
            one(&json),
            (path.to_string(), message.to_string()),
            "{json}"
        );
    }
}

/// A link's scenario and script are read the same way, with paths from the link's root. Only
/// the type's range is given, not the field's: links are written by the page, not by hand, and
/// the lookup costs download size for each type read.
#[test]
fn a_links_parse_errors_name_the_path_inside_the_link() {
    use base64::Engine;
    let link = |json: &str| {
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!(
            "f1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
        )
    };
    let e = decode(&link(
        r#"{"scenario":{"services":[{"name":"a","task":{"memory":-512}}]}}"#,
    ))
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "the link's scenario is not valid: scenario.services[0].task.memory: -512, must be a whole number 0–4294967295"
    );
    let e = decode(&link(
        r#"{"scenario":{},"script":[{"at":60000,"type":"setDesiredCount","service":"a","count":-3}]}"#,
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("script[0]"), "{e}");
    assert!(e.contains("-3, must be a whole number"), "{e}");
}

/// `memoryMiB`, as EC2's and ECS's `InstanceRequirements` spell it (the API's
/// InstanceRequirementsRequest), is what a catalog entry is written and read as, and what its
/// messages say; `memoryMib`, written by earlier versions, still opens.
#[test]
fn catalog_memory_is_spelled_memory_mib_like_the_api() {
    let s = Scenario {
        catalog: Some(default_catalog()[..2].to_vec()),
        ..Scenario::default()
    };
    let json: Value = serde_json::from_str(&s.to_json()).unwrap();
    let entry = json["catalog"][0].as_object().unwrap();
    assert!(entry.contains_key("memoryMiB"), "{entry:?}");
    assert!(!entry.contains_key("memoryMib"), "{entry:?}");

    // Only the catalog's key changed; `instanceRequirements.memoryMiB` (an object) always was.
    let old = s
        .to_json()
        .replace("\"memoryMiB\":{", "\u{0}")
        .replace("\"memoryMiB\"", "\"memoryMib\"")
        .replace('\u{0}', "\"memoryMiB\":{");
    assert_ne!(old, s.to_json());
    assert_eq!(Scenario::from_json(&old).unwrap(), s);
    let shared = Shared {
        scenario: s.clone(),
        script: vec![],
        at: SimTime::ZERO,
        panel: None,
        lesson: None,
    };
    assert_eq!(decode(&encode(&shared)).unwrap().scenario, s);

    let mut bad = s.clone();
    bad.catalog.as_mut().unwrap()[1].memory_mib = 100;
    let e = bad.validate().unwrap_err();
    assert_eq!(e.0[0].path, "catalog[1].memoryMiB");
    assert_eq!(e.0[0].message, "100 MiB, must be 512–33554432 MiB");
}

/// Walks `a.b[2].c` in a JSON value.
fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = root;
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            v = v.get(key)?;
        }
        for i in indexes.split('[').filter(|s| !s.is_empty()) {
            v = v.get(i.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(v)
}

/// Every path validation reports is one the user can find in the scenario's JSON: the spelling
/// of the message and of the format are the same.
#[test]
fn every_reported_path_exists_in_the_scenarios_json() {
    let mut s = Scenario::default_cluster();
    let mut catalog = default_catalog()[..3].to_vec();
    catalog[0].memory_mib = 1;
    catalog[1].vcpu = 0;
    catalog[2].max_enis = 0;
    s.catalog = Some(catalog);
    s.capacity_provider.max_instances = 0;
    s.capacity_provider.underutilized_below_percent = 101;
    let svc = &mut s.services[0];
    svc.desired_count = 9_999;
    svc.task.cpu = Some(1);
    svc.task.memory = Some(1);
    svc.task.stop_timeout_seconds = 0;
    let dc = &mut svc.deployment_configuration;
    dc.minimum_healthy_percent = 101;
    dc.maximum_percent = 99;
    dc.linear_configuration.step_percent = Tenths(20);
    dc.canary_configuration.canary_percent = Tenths(0);
    dc.bake_time_in_minutes = 2_000;
    s.timing.metrics_interval_seconds = 1;
    s.faults.degraded_host_deadline_hours = 0;
    let json: Value = serde_json::from_str(&s.to_json()).unwrap();
    let e = s.validate().unwrap_err();
    assert!(e.0.len() >= 15, "{e}");
    for err in &e.0 {
        assert!(
            lookup(&json, &err.path).is_some(),
            "{} is not a path in the scenario's JSON ({})",
            err.path,
            err.message
        );
    }
}

/// A scenario that uses most of the format: a catalog, containers, constraints, hooks,
/// alarms, windows, standalone tasks.
fn rich_scenario() -> Scenario {
    use fleetsim_core::scenario::*;
    let mut s = Scenario::default_cluster();
    s.catalog = Some(default_catalog()[..3].to_vec());
    s.patching.maintenance_windows = vec![MaintenanceWindow {
        start_day: Weekday::Sat,
        start_hour: 2,
        duration_hours: 4,
    }];
    let svc = &mut s.services[0];
    svc.task.cpu = None;
    svc.task.containers = vec![ContainerSpec {
        name: "app".into(),
        cpu: Some(512),
        memory: Some(1024),
        memory_reservation: Some(512),
    }];
    svc.placement_constraints = vec![
        PlacementConstraint::DistinctInstance,
        PlacementConstraint::MemberOf {
            expression: "attribute:ecs.instance-type =~ m6i.*".into(),
        },
    ];
    svc.revisions = vec![RevisionSpec {
        name: "v2".into(),
        ..RevisionSpec::default()
    }];
    svc.load = Some(LoadCurve::default());
    svc.auto_scaling = Some(AutoScaling::default());
    let dc = &mut svc.deployment_configuration;
    dc.strategy = Strategy::Canary;
    dc.lifecycle_hooks = vec![LifecycleHook {
        name: "check".into(),
        lifecycle_stages: vec![LifecycleStage::PostTestTrafficShift],
        ..LifecycleHook::default()
    }];
    s.standalone_tasks = vec![StandaloneSpec {
        group: "batch".into(),
        count: 2,
        task: TaskSpec::with_size(512, 1024),
        ..StandaloneSpec::default()
    }];
    s
}

/// Every JSON pointer in `v`, the root left out.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{k}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

/// serde_path_to_error's path, written the way validation writes paths.
fn oracle_path(text: &str) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut de = serde_json::Deserializer::from_str(text);
    let e = serde_path_to_error::deserialize::<_, Scenario>(&mut de).err()?;
    let mut out = String::new();
    for segment in e.path() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => break,
        }
    }
    Some(out)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

    /// One value of a valid scenario broken (wrong type, sign, overflow, an unknown key, a
    /// required key removed), compact or indented: the reported path is the one
    /// `serde_path_to_error` finds by tracking the reader (a missing field adds its name).
    #[test]
    fn error_paths_agree_with_serde_path_to_error(
        pick in 0usize..10_000,
        kind in 0u8..3,
        bad in 0usize..9,
        pretty in proptest::bool::ANY,
    ) {
        let mut v: Value = serde_json::to_value(rich_scenario()).unwrap();
        let mut all = Vec::new();
        pointers(&v, String::new(), &mut all);
        let at = &all[pick % all.len()];
        match kind {
            0 => {
                let bad_values = [
                    serde_json::json!(-1),
                    serde_json::json!(1.5),
                    serde_json::json!("x"),
                    serde_json::json!(true),
                    serde_json::json!(null),
                    serde_json::json!({}),
                    serde_json::json!([]),
                    serde_json::json!(1e30),
                    serde_json::json!(5_000_000_000u64),
                ];
                *v.pointer_mut(at).unwrap() = bad_values[bad].clone();
            }
            1 => match v.pointer_mut(at).unwrap() {
                Value::Object(m) => {
                    m.insert("zzzUnknown".into(), serde_json::json!(1));
                }
                other => *other = serde_json::json!({"zzzUnknown": 1}),
            },
            _ => {
                let (parent, key) = at.rsplit_once('/').unwrap();
                let parent = if parent.is_empty() { &mut v } else { v.pointer_mut(parent).unwrap() };
                match parent {
                    Value::Object(m) => {
                        m.remove(key);
                    }
                    Value::Array(a) => {
                        a.remove(key.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            }
        }
        let text = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        let ours = fleetsim_core::scenario::parse::from_json::<Scenario>(&text);
        match (oracle_path(&text), ours) {
            (None, Ok(_)) => {}
            (Some(expected), Err(e)) => {
                let path = match e.message.as_str() {
                    "missing, and required" => e.path.rsplit_once('.').map_or("", |(p, _)| p).to_string(),
                    _ => e.path.clone(),
                };
                proptest::prop_assert_eq!(path, expected, "{} ({}) in {}", e.path, e.message, text);
            }
            (oracle, ours) => proptest::prop_assert!(false, "{oracle:?} vs {ours:?} for {text}"),
        }
    }
}
