//! Bounded work: every accepted input is refused up front or finishes with bounded work, and
//! the answer to a bad one stays short.

use fleetsim_core::catalog::default_catalog;
use fleetsim_core::scenario::*;
use fleetsim_core::share::{decode, ShareError};
use fleetsim_core::{ValidationError, ValidationErrors};
use fleetsim_tests::hostile;

fn only(e: &ValidationErrors, path: &str, message: &str) {
    assert_eq!(
        e.0,
        vec![ValidationError {
            path: path.into(),
            message: message.into(),
        }]
    );
}

/// Regression: an ~840-character link (36,000 zones, 8 services naming an unknown zone 6,600
/// times each) took 17 s to validate and answered with 7 MB of problems.
#[test]
fn zone_cross_link_is_refused_by_the_zone_limit_alone() {
    let link = hostile::zone_cross_link();
    assert!(link.len() < 879, "{} characters", link.len());
    match decode(&link) {
        Err(ShareError::InvalidScenario(e)) => {
            only(&e, "availabilityZones", "36000 zones, must be 1–6 zones")
        }
        other => panic!("{other:?}"),
    }
}

/// Regression: a 1 MiB scenario of the same shape (100,000 zones, 46 services) ran for more
/// than 500 s.
#[test]
fn zone_cross_scenario_of_1_mib_is_refused_by_the_zone_limit_alone() {
    let json = hostile::zone_cross_1mib();
    assert!(json.len() <= MAX_SCENARIO_BYTES);
    let e = Scenario::from_json(&json).unwrap_err();
    only(&e, "availabilityZones", "100000 zones, must be 1–6 zones");
}

/// Each list past its limit is the one problem reported, even when every item of it (and of
/// everything else) is wrong too.
#[test]
fn every_list_is_refused_by_its_limit_before_its_items_are_checked() {
    let broken_task = TaskSpec::with_size(1, 1);
    let base = || {
        let mut s = Scenario::default_cluster();
        s.services[0].task = broken_task.clone();
        s
    };
    type Edit = Box<dyn Fn(&mut Scenario)>;
    let cases: Vec<(&str, &str, Edit)> = vec![
        (
            "services",
            "51 services, must be 0–50 services",
            Box::new(|s| s.services = vec![ServiceSpec::sized("x", 99_999, 1, 1); 51]),
        ),
        (
            "catalog",
            "201 types, must be 1–200 types",
            Box::new(|s| {
                let mut t = default_catalog()[0].clone();
                t.vcpu = 0;
                s.catalog = Some(vec![t; 201]);
            }),
        ),
        (
            "standaloneTasks",
            "51 groups, must be 0–50 groups",
            Box::new(|s| {
                s.standalone_tasks = vec![
                    StandaloneSpec {
                        count: 99_999,
                        ..Default::default()
                    };
                    51
                ]
            }),
        ),
        (
            "patching.maintenanceWindows",
            "21 windows, must be 0–20 windows",
            Box::new(|s| {
                s.patching.maintenance_windows = vec![
                    MaintenanceWindow {
                        start_day: Weekday::Mon,
                        start_hour: 99,
                        duration_hours: 0
                    };
                    21
                ]
            }),
        ),
        (
            "capacityProvider.instanceRequirements.allowedInstanceTypes",
            "401 patterns, must be 0–400 patterns",
            Box::new(|s| {
                s.capacity_provider
                    .instance_requirements
                    .allowed_instance_types = vec!["*".repeat(100); 401]
            }),
        ),
        (
            "capacityProvider.instanceRequirements.excludedInstanceTypes",
            "401 patterns, must be 0–400 patterns",
            Box::new(|s| {
                s.capacity_provider
                    .instance_requirements
                    .excluded_instance_types = vec![String::new(); 401]
            }),
        ),
        (
            "capacityProvider.instanceRequirements.instanceGenerations",
            "3 generations, must be 0–2 generations",
            Box::new(|s| {
                s.capacity_provider
                    .instance_requirements
                    .instance_generations = vec!["current".into(); 3]
            }),
        ),
        (
            "services[1].task.containers",
            "11 containers, must be 0–10 containers",
            Box::new(|s| s.services[1].task.containers = vec![ContainerSpec::default(); 11]),
        ),
        (
            "standaloneTasks[0].placementConstraints",
            "11 constraints, must be 0–10 constraints",
            Box::new(|s| {
                s.standalone_tasks = vec![StandaloneSpec {
                    placement_constraints: vec![
                        PlacementConstraint::MemberOf {
                            expression: "nonsense".into()
                        };
                        11
                    ],
                    ..Default::default()
                }]
            }),
        ),
        (
            "services[2].revisions",
            "21 revisions, must be 0–20 revisions",
            Box::new(|s| {
                s.services[2].revisions = vec![
                    RevisionSpec {
                        name: String::new(),
                        ..Default::default()
                    };
                    21
                ]
            }),
        ),
        (
            "services[1].deploymentConfiguration.alarms.alarms",
            "11 alarms, must be 0–10 alarms",
            Box::new(|s| {
                s.services[1].deployment_configuration.alarms.alarms = vec![
                    AlarmSpec {
                        period_seconds: 0,
                        ..Default::default()
                    };
                    11
                ]
            }),
        ),
        (
            "services[1].deploymentConfiguration.lifecycleHooks",
            "21 hooks, must be 0–20 hooks",
            Box::new(|s| {
                s.services[1].deployment_configuration.lifecycle_hooks =
                    vec![LifecycleHook::default(); 21]
            }),
        ),
        (
            "services[1].deploymentConfiguration.lifecycleHooks[0].script",
            "101 steps, must be 0–100 steps",
            Box::new(|s| {
                s.services[1].deployment_configuration.lifecycle_hooks = vec![LifecycleHook {
                    script: vec![
                        HookResponse::InProgress {
                            call_back_delay: Some(0)
                        };
                        101
                    ],
                    ..Default::default()
                }]
            }),
        ),
        (
            "services[1].deploymentConfiguration.lifecycleHooks[0].lifecycleStages",
            "12 stages, must be 0–11 stages",
            Box::new(|s| {
                s.services[1].deployment_configuration.lifecycle_hooks = vec![LifecycleHook {
                    lifecycle_stages: vec![LifecycleStage::CleanUp; 12],
                    ..Default::default()
                }]
            }),
        ),
    ];
    for (path, message, edit) in cases {
        let mut s = base();
        edit(&mut s);
        only(&s.validate().unwrap_err(), path, message);
    }
}

#[test]
fn the_answer_lists_the_first_fifty_problems_and_counts_the_rest() {
    // Two problems per service, and the total over the task limit: 101 in all.
    let s = Scenario {
        services: (0..50)
            .map(|i| ServiceSpec::sized(&format!("s{i}"), 6_000, 1, 512))
            .collect(),
        ..Scenario::default()
    };
    let e = s.validate().unwrap_err();
    assert_eq!(e.0.len(), MAX_REPORTED_ERRORS + 1);
    assert_eq!(e.0[0].path, "services[0].desiredCount");
    assert_eq!(e.0[1].path, "services[0].task.cpu");
    assert_eq!(e.0[49].path, "services[24].task.cpu");
    assert_eq!(
        e.0[50],
        ValidationError {
            path: String::new(),
            message: "… and 51 more problems".into(),
        }
    );
    assert_eq!(e.total(), 101);
}

#[test]
fn a_long_input_quoted_in_an_answer_is_clipped() {
    let long = "z".repeat(100_000);
    let s = Scenario {
        availability_zones: vec![long.clone(), long],
        ..Scenario::default()
    };
    let text = s.validate().unwrap_err().to_string();
    assert!(text.contains("is listed twice"), "{text}");
    assert!(text.len() < 1_000, "{} bytes", text.len());

    let unknown_key = format!(r#"{{"{}": 1}}"#, "k".repeat(500_000));
    let text = Scenario::from_json(&unknown_key).unwrap_err().to_string();
    assert!(text.starts_with("kkkk"), "{text}");
    assert!(
        text.contains("…: not a field here; the fields here are"),
        "{text}"
    );
    assert!(
        text.chars().count() <= MAX_ERROR_CHARS + 1,
        "{} chars",
        text.len()
    );
}

#[test]
fn an_instance_type_pattern_is_at_most_30_characters() {
    let mut s = Scenario::default();
    let req = &mut s.capacity_provider.instance_requirements;
    req.allowed_instance_types = vec!["m6i.*".into(), format!("m6i.{}", "*".repeat(27))];
    only(
        &s.validate().unwrap_err(),
        "capacityProvider.instanceRequirements.allowedInstanceTypes[1]",
        "31 characters, must be 1–30 characters",
    );
}

#[test]
fn the_heaviest_valid_scenario_fits_the_size_limit_and_is_accepted() {
    let json = hostile::heaviest_valid().to_json();
    assert!(json.len() <= MAX_SCENARIO_BYTES, "{} bytes", json.len());
    Scenario::from_json(&json).unwrap();
}

// ---- the task limit at run time --------------------------------------------------------

use fleetsim_core::{Command, CommandError, Sim, SimTime};

fn desired(service: &str, count: u32) -> Command {
    Command::SetDesiredCount {
        service: service.into(),
        count,
    }
}

/// Regression: a short link scaled 50 services to 5,000 tasks each (250,000 tasks, twelve
/// times the documented 20,000). The fourth command now finds no room for 5,000.
#[test]
fn commands_bypassed_the_task_cap_scaling_50_services_to_5000_each() {
    let services: Vec<String> = (0..50).map(|i| format!(r#"{{"name":"s{i}"}}"#)).collect();
    let script: Vec<String> = (0..50)
        .map(|i| {
            format!(r#"{{"at":60000,"type":"setDesiredCount","service":"s{i}","count":5000}}"#)
        })
        .collect();
    let link = hostile::link_of(&format!(
        r#"{{"scenario":{{"services":[{}]}},"script":[{}],"at":60000}}"#,
        services.join(","),
        script.join(",")
    ));
    assert!(link.len() < 700, "{} characters", link.len());
    let shared = decode(&link).unwrap();
    let mut sim = Sim::new(shared.scenario).unwrap();
    // Three services at 5,000 and 47 at 1 use 15,047; the fourth may have 20,000 − 15,046.
    let (i, e) = sim.replay(&shared.script, shared.at).unwrap_err();
    assert_eq!(i, 3);
    assert_eq!(
        e,
        CommandError::OverTaskLimit {
            field: "desiredCount",
            value: 5_000,
            min: 0,
            max: 4_954,
            others: 15_046,
            others_are: "other services and standalone tasks",
        }
    );
    assert_eq!(
        e.to_string(),
        "desiredCount: 5000, must be 0–4954 (the cluster may run 20,000 tasks at peak; \
         other services and standalone tasks use 15,046)"
    );
    // The refusal changed nothing, and what the message offers is accepted.
    assert_eq!(sim.committed_tasks(None), 15_047);
    assert!(sim.apply(desired("s3", 4_954)).is_ok());
    assert_eq!(sim.committed_tasks(None), MAX_TASKS);
    let e = sim.apply(desired("s4", 2)).unwrap_err();
    assert_eq!(
        e.to_string().split(" (").next(),
        Some("desiredCount: 2, must be 0–1")
    );
    // Scaling in is always possible.
    assert!(sim.apply(desired("s0", 0)).is_ok());
}

#[test]
fn auto_scaling_maxima_count_against_the_limit() {
    let scaled = |name: &str| {
        let mut s = ServiceSpec::sized(name, 2, 256, 512);
        s.load = Some(LoadCurve::default());
        s.auto_scaling = Some(AutoScaling {
            max_tasks: 5_000,
            ..AutoScaling::default()
        });
        s
    };
    let mut sim = Sim::new(Scenario {
        services: vec![
            scaled("a"),
            scaled("b"),
            scaled("c"),
            ServiceSpec::sized("d", 1, 256, 512),
            ServiceSpec::sized("e", 0, 256, 512),
        ],
        ..Scenario::default()
    })
    .unwrap();
    assert_eq!(sim.committed_tasks(None), 15_001);
    assert!(sim.apply(desired("d", 5_000)).is_ok());
    assert_eq!(
        sim.apply(desired("e", 1)).unwrap_err().to_string(),
        "desiredCount: 1, must be 0–0 (the cluster may run 20,000 tasks at peak; \
         other services and standalone tasks use 20,000)"
    );
    // Below its auto-scaling maximum a service's desired count takes no extra room.
    assert!(sim.apply(desired("a", 4_000)).is_ok());
}

#[test]
fn run_task_is_refused_past_the_limit_with_the_room_left() {
    let mut sim = Sim::new(Scenario {
        services: vec![
            ServiceSpec::sized("a", 5_000, 256, 512),
            ServiceSpec::sized("b", 5_000, 256, 512),
            ServiceSpec::sized("c", 5_000, 256, 512),
            ServiceSpec::sized("d", 4_993, 256, 512),
        ],
        standalone_tasks: vec![StandaloneSpec {
            count: 2,
            ..StandaloneSpec::default()
        }],
        ..Scenario::default()
    })
    .unwrap();
    let run = |count| Command::RunTask {
        group: "batch".into(),
        count,
    };
    assert_eq!(
        sim.apply(run(10)).unwrap_err().to_string(),
        "count: 10, must be 1–5 (the cluster may run 20,000 tasks at peak; \
         services and standalone tasks use 19,995)"
    );
    assert!(sim.apply(run(5)).is_ok());
    assert_eq!(
        sim.apply(run(1)).unwrap_err().to_string(),
        "count: 1, no room left (the cluster may run 20,000 tasks at peak; \
         services and standalone tasks use 20,000)"
    );
    // A stopped standalone task gives its room back.
    let batch = sim
        .tasks()
        .find(|t| t.service().is_none() && t.live())
        .map(|t| t.id.0)
        .unwrap();
    sim.apply(Command::StopTask { task: batch }).unwrap();
    assert!(sim.apply(run(1)).is_ok());
}

#[test]
fn hosts_never_exceed_max_instances_through_drains_and_patching() {
    let mut s = Scenario {
        services: vec![ServiceSpec::sized("big", 40, 4096, 16_384)],
        ..Scenario::default()
    };
    s.capacity_provider.max_instances = 3;
    let mut sim = Sim::new(s).unwrap();
    let mut quota_seen = false;
    let mut t = SimTime::ZERO;
    while t < SimTime::from_hours(24 * 16) {
        t = t + SimTime::from_mins(10).0;
        sim.step_until(t);
        let first = sim.hosts().next().map(|h| h.id.0);
        if let Some(host) = first.filter(|_| t.0 % SimTime::from_hours(24).0 == 0) {
            // Refused when that host is already draining; either way nothing may pass the quota.
            let _ = sim.apply(Command::DrainHost { host });
        }
        let hosts = sim.hosts().count() as u32;
        assert!(hosts <= 3, "{hosts} hosts at {t}");
        assert!(sim.live_tasks() <= MAX_LIVE_TASKS && hosts <= MAX_HOSTS);
        quota_seen |= sim.events().iter().any(|e| {
            matches!(
                e.kind,
                fleetsim_core::EventKind::TaskUnplaced {
                    why: fleetsim_core::event::PendingWhy::LaunchQuota,
                    ..
                }
            )
        });
    }
    assert!(quota_seen, "the quota was the binding limit");
}
