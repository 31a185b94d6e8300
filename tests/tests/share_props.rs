//! Any valid state survives the share URL unchanged, and the run it describes replays to the
//! same event log (same digest) from the decoded copy.

use fleetsim_core::scenario::{
    AutoScaling, ContainerSpec, LoadCurve, MaintenanceWindow, NetworkMode, PatchMode,
    PlacementConstraint, RevisionSpec, Scenario, ServiceSpec, StandaloneSpec, Strategy as Deploy,
    TaskSpec, Weekday,
};
use fleetsim_core::share::{decode, encode, Shared};
use fleetsim_core::{Command, Sim, SimTime, Timed};
use proptest::prelude::*;

const AZS: [&str; 4] = ["use1-az1", "use1-az2", "use1-az4", "use1-az6"];
const SIZES: [(u32, u32); 5] = [
    (256, 512),
    (512, 1024),
    (1024, 2048),
    (2048, 4096),
    (4096, 16384),
];

/// A container with any mix of the three size fields ECS lets a container definition set.
fn container() -> impl Strategy<Value = ContainerSpec> {
    (
        prop::option::of(prop::sample::select(vec![0u32, 128, 256, 512, 1024])),
        prop::option::of(64u32..4096),
        prop::option::of(64u32..2048),
    )
        .prop_map(|(cpu, memory, memory_reservation)| ContainerSpec {
            name: "app".into(),
            cpu,
            memory,
            memory_reservation,
        })
}

/// A task sized at task level (the common case), or by its containers at either or both
/// levels ("Memory management on Amazon ECS Managed Instances").
fn task(size: usize) -> impl Strategy<Value = TaskSpec> {
    (
        prop::collection::vec(container(), 1..4),
        // 0: task-level size only; 1: containers beside a task-level size; 2: containers give
        // the CPU; 3: containers give the memory; 4: containers give both.
        0u8..5,
    )
        .prop_map(move |(containers, how)| {
            let (cpu, mem) = SIZES[size];
            let mut t = TaskSpec::with_size(cpu, mem);
            if how > 0 {
                t.containers = containers;
            }
            if how == 2 || how == 4 {
                t.cpu = None;
            }
            if how == 3 || how == 4 {
                t.memory = None;
            }
            // At least the smallest task CPU an EC2-hosted task may have (0.25 vCPU).
            if t.size().cpu < 256 {
                t.containers[0].cpu = Some(256);
            }
            t
        })
}

fn service(i: usize) -> impl Strategy<Value = ServiceSpec> {
    (
        (0..SIZES.len()).prop_flat_map(task),
        0u32..12,
        prop::sample::select(Deploy::ALL.to_vec()),
        any::<bool>(),
        any::<bool>(),
        0u32..3000,
        any::<bool>(),
        // Names with text a URL must carry intact: spaces, quotes, non-ASCII.
        prop::sample::select(vec!["web", "api \"v1\"", "wörker", "<b>x</b>", "a,b"]),
    )
        .prop_map(
            move |(task, desired, strategy, host_mode, scaling, err_bp, distinct, name)| {
                let mut s = ServiceSpec::sized(&format!("{name}-{i}"), desired, 1024, 2048);
                s.task = task;
                s.task.network_mode = if host_mode {
                    NetworkMode::Host
                } else {
                    NetworkMode::Awsvpc
                };
                s.deployment_configuration.strategy = strategy;
                s.revisions = vec![RevisionSpec {
                    name: "v2".into(),
                    error_rate_bp: err_bp,
                    ..RevisionSpec::default()
                }];
                s.load = Some(LoadCurve::default());
                if scaling {
                    s.auto_scaling = Some(AutoScaling {
                        min_tasks: 1,
                        max_tasks: 20,
                        ..AutoScaling::default()
                    });
                }
                if distinct {
                    s.placement_constraints = vec![PlacementConstraint::DistinctInstance];
                }
                s
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<u64>(),
        1usize..=AZS.len(),
        prop::collection::vec(any::<u8>(), 1..4)
            .prop_flat_map(|v| (0..v.len()).map(service).collect::<Vec<_>>()),
        0u32..4,
        prop::sample::select(vec![PatchMode::Documented, PatchMode::Talk, PatchMode::Off]),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![-1i32, 0, 60, 300, 3600])),
    )
        .prop_map(
            |(seed, azs, services, standalone, mode, window, scale_in)| {
                let mut s = Scenario {
                    seed,
                    name: "prop \u{1F680}".into(),
                    availability_zones: AZS[..azs].iter().map(|z| z.to_string()).collect(),
                    services,
                    ..Scenario::default()
                };
                s.standalone_tasks = (0..standalone.min(1))
                    .map(|_| StandaloneSpec {
                        group: "batch".into(),
                        count: standalone,
                        task: TaskSpec::with_size(512, 1024),
                        ..StandaloneSpec::default()
                    })
                    .collect();
                s.patching.mode = mode;
                if window {
                    s.patching.maintenance_windows = vec![MaintenanceWindow {
                        start_day: Weekday::Sat,
                        start_hour: 2,
                        duration_hours: 4,
                    }];
                }
                s.capacity_provider.scale_in_after = scale_in;
                s
            },
        )
}

fn command(services: Vec<String>, azs: Vec<String>) -> impl Strategy<Value = Command> {
    let svc = prop::sample::select(services);
    let az = prop::sample::select(azs);
    prop_oneof![
        (svc.clone(), 0u32..20)
            .prop_map(|(service, count)| Command::SetDesiredCount { service, count }),
        (1u32..6).prop_map(|host| Command::DrainHost { host }),
        az.clone().prop_map(|az| Command::ImpairAz { az }),
        az.prop_map(|az| Command::RecoverAz { az }),
        svc.prop_map(|service| Command::StartDeployment {
            service,
            revision: "v2".into(),
            configuration: None
        }),
    ]
}

fn shared() -> impl Strategy<Value = Shared> {
    scenario().prop_flat_map(|sc| {
        let names: Vec<String> = sc.services.iter().map(|s| s.name.clone()).collect();
        let azs = sc.availability_zones.clone();
        let timed = (0u64..180, command(names, azs)).prop_map(|(m, command)| Timed {
            at: SimTime::from_mins(m),
            command,
        });
        (
            Just(sc),
            prop::collection::vec(timed, 0..6),
            0u64..(4 * 60),
            prop::option::of(prop::sample::select(vec!["cost", "deployment", "<script>"])),
        )
            .prop_map(|(scenario, mut script, at_mins, panel)| {
                script.sort_by_key(|t| t.at);
                Shared {
                    scenario,
                    script,
                    at: SimTime::from_mins(at_mins),
                    panel: panel.map(String::from),
                    lesson: None,
                }
            })
    })
}

/// Runs a shared state the way the page opens it: replay the script to the shared time.
/// A command that does not apply (draining a host that never launched) ends the replay the
/// same way on both sides, so the outcome is part of what must match.
fn replay(s: &Shared) -> (u64, u64, Option<u32>) {
    let mut sim = Sim::new(s.scenario.clone()).expect("generated scenarios are valid");
    let failed = sim.replay(&s.script, s.at).err().map(|(i, _)| i);
    (sim.digest(), sim.event_count(), failed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn state_to_url_to_state_is_identical_and_replays_the_same_log(s in shared()) {
        prop_assume!(s.scenario.validate().is_ok());
        let url = encode(&s);
        prop_assert!(url.starts_with("f1."));
        // Safe in a URL fragment as is: nothing to percent-encode, nothing a chat tool mangles.
        prop_assert!(url.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        let back = decode(&url).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &s);
        // Encoding is a function of the state: the decoded copy shares as the same URL.
        prop_assert_eq!(encode(&back), url);
        let (digest, events, failed) = replay(&s);
        prop_assert!(events > 0);
        prop_assert_eq!(replay(&back), (digest, events, failed));
    }
}

#[test]
fn different_states_give_different_urls_and_different_logs() {
    // Guards the property above against a codec that drops a field on both sides.
    let base = Shared {
        scenario: Scenario::default_cluster(),
        script: vec![],
        at: SimTime::from_hours(1),
        panel: None,
        lesson: None,
    };
    let mut seeded = base.clone();
    seeded.scenario.seed = 99;
    let mut scripted = base.clone();
    scripted.script = vec![Timed {
        at: SimTime::from_mins(5),
        command: Command::SetDesiredCount {
            service: "web".into(),
            count: 20,
        },
    }];
    // Hosts take 90 s to register, so 30 s in the log is shorter than an hour in.
    let mut earlier = base.clone();
    earlier.at = SimTime::from_secs(30);
    let mut panel = base.clone();
    panel.panel = Some("cost".into());
    let urls: Vec<String> = [&base, &seeded, &scripted, &earlier, &panel]
        .iter()
        .map(|s| encode(s))
        .collect();
    for (i, a) in urls.iter().enumerate() {
        for b in &urls[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert_ne!(
        replay(&base).0,
        replay(&scripted).0,
        "the script changes the log"
    );
    assert_ne!(
        replay(&base).0,
        replay(&earlier).0,
        "the time changes the log"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The editor's export is `to_json_pretty` and its import `from_json`: any valid scenario
    /// comes back equal, and exporting it again writes the same bytes.
    #[test]
    fn scenario_json_the_editor_writes_round_trips_exactly(s in scenario()) {
        prop_assume!(s.validate().is_ok());
        let text = s.to_json_pretty();
        let back = Scenario::from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(back.to_json_pretty(), text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A scenario read from JSON, shared as a link, opened and written out again is the same
    /// JSON, byte for byte: container-sized tasks included.
    #[test]
    fn scenario_json_to_share_to_json_is_unchanged(s in scenario()) {
        prop_assume!(s.validate().is_ok());
        let text = s.to_json();
        let read = Scenario::from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shared = Shared { scenario: read, script: vec![], at: SimTime::ZERO, panel: None, lesson: None };
        let back = decode(&encode(&shared)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.scenario.to_json(), text);
        prop_assert_eq!(&back.scenario, &s);
    }
}

/// The documented example of a task sized only by its containers ("Task definition parameters
/// for Managed Instances": containers {memory 1024, reservation 512} + {memory 512} → 1024 MiB)
/// keeps that size, not the 1 vCPU / 2 GB default, through JSON and through a link.
#[test]
fn a_task_sized_by_its_containers_keeps_its_size_through_json_and_links() {
    let mut s = Scenario::default_cluster();
    let task = &mut s.services[0].task;
    task.cpu = None;
    task.memory = None;
    task.containers = vec![
        ContainerSpec {
            name: "app".into(),
            cpu: Some(256),
            memory: Some(1024),
            memory_reservation: Some(512),
        },
        ContainerSpec {
            name: "sidecar".into(),
            cpu: Some(256),
            memory: Some(512),
            memory_reservation: None,
        },
    ];
    let json = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(
        (json.services[0].task.cpu, json.services[0].task.memory),
        (None, None)
    );
    let size = json.services[0].task.size();
    assert_eq!((size.cpu, size.memory), (512, 1024));
    let shared = Shared {
        scenario: s.clone(),
        script: vec![],
        at: SimTime::ZERO,
        panel: None,
        lesson: None,
    };
    assert_eq!(decode(&encode(&shared)).unwrap().scenario, s);
}

/// What links made before container-sized tasks round-tripped say: a task with containers and
/// no task-level size is sized by its containers; a task with neither keeps 1 vCPU / 2 GB.
#[test]
fn task_json_without_a_task_level_size() {
    let text = r#"{"services":[
        {"name":"a","task":{"containers":[{"name":"c","cpu":512,"memory":768}]}},
        {"name":"b","task":{"containers":[{"name":"c","cpu":512}],"memory":4096}},
        {"name":"c","task":{}}
    ]}"#;
    let s = Scenario::from_json(text).unwrap();
    let sizes: Vec<(u32, u32)> = s
        .services
        .iter()
        .map(|x| (x.task.size().cpu, x.task.size().memory))
        .collect();
    assert_eq!(sizes, vec![(512, 768), (512, 4096), (1024, 2048)]);
}

#[test]
fn every_preset_scenario_round_trips_through_the_editors_json() {
    for p in fleetsim_core::presets::presets() {
        let text = p.scenario.to_json_pretty();
        let back = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", p.id()));
        assert_eq!(back, p.scenario, "{}", p.id());
        assert_eq!(back.to_json_pretty(), text, "{}", p.id());
    }
}
