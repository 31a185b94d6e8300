//! `fleetsim export` then `fleetsim import` gives back every field fleetsim models, in both
//! formats (ecs-api files and one CloudFormation template). The scenarios vary every field the
//! importer reads: task sizes at task and container level, network mode, stop timeout, desired
//! count, placement constraints, AZ rebalancing, the whole deployment configuration (strategy,
//! percents, bake time, circuit breaker with its threshold, alarm names, linear and canary
//! steps, Lambda and pause hooks) and the capacity provider (option type, scale-in delay,
//! instance requirements). Settings ECS has no field for stay at their defaults here; the
//! export lists them instead (checked below).

use fleetsim_core::catalog::default_catalog;
use fleetsim_core::import::{import, Input};
use fleetsim_core::scenario::{
    AlarmSpec, CapacityOptionType, CircuitBreaker, ContainerSpec, HookTarget, Inclusion,
    InstanceRequirements, LifecycleHook, LifecycleStage, NetworkMode, PlacementConstraint, Range,
    Rebalancing, Scenario, ServiceSpec, Strategy as Deploy, TaskSpec, Tenths,
    ThresholdConfiguration, ThresholdType, TimeoutAction, TimeoutConfiguration,
};
use fleetsim_core::to_ecs::{aws_command, cloudformation, ecs_api, Export};
use proptest::prelude::*;

const SIZES: [(u32, u32); 5] = [
    (256, 512),
    (512, 1536),
    (1024, 3000),
    (2048, 4096),
    (4096, 16384),
];

fn task() -> impl Strategy<Value = TaskSpec> {
    (
        0..SIZES.len(),
        any::<bool>(),
        1u32..=120,
        // 0: task-level size only; 1: containers beside it; 2: containers give the size.
        0u8..3,
        prop::collection::vec(
            (
                prop::option::of(prop::sample::select(vec![0u32, 128, 256, 512])),
                prop::option::of(64u32..4096),
                prop::option::of(64u32..2048),
            ),
            1..3,
        ),
    )
        .prop_map(|(size, host, stop, how, containers)| {
            let (cpu, memory) = SIZES[size];
            let mut t = TaskSpec::with_size(cpu, memory);
            t.network_mode = if host {
                NetworkMode::Host
            } else {
                NetworkMode::Awsvpc
            };
            t.stop_timeout_seconds = stop;
            if how > 0 {
                t.containers = containers
                    .into_iter()
                    .enumerate()
                    .map(|(i, (cpu, memory, memory_reservation))| ContainerSpec {
                        name: format!("c{i}"),
                        cpu,
                        memory,
                        memory_reservation,
                    })
                    .collect();
            }
            if how == 2 {
                t.cpu = None;
                t.memory = None;
                // Containers without memory would make a task ECS refuses.
                t.containers[0].memory.get_or_insert(512);
            }
            if t.size().cpu < 256 {
                t.containers[0].cpu = Some(256);
            }
            t
        })
}

fn hooks(strategy: Deploy) -> impl Strategy<Value = Vec<LifecycleHook>> {
    let hookable: Vec<LifecycleStage> = LifecycleStage::ALL
        .into_iter()
        .filter(|s| s.pausable())
        .collect();
    prop::collection::vec(
        (
            any::<bool>(),
            prop::sample::subsequence(hookable, 1..3),
            1u32..=20_160,
            any::<bool>(),
        ),
        if strategy == Deploy::Rolling {
            0..1
        } else {
            0..3
        },
    )
    .prop_map(|hs| {
        hs.into_iter()
            .enumerate()
            .map(|(i, (pause, stages, timeout, rollback))| LifecycleHook {
                // Pause hooks have no ARN to carry a name; the importer numbers them, so
                // the generator names them that way. Lambda hooks are named by their function.
                name: if pause {
                    format!("hook-{}", i + 1)
                } else {
                    format!("check_{i}")
                },
                target_type: if pause {
                    HookTarget::Pause
                } else {
                    HookTarget::AwsLambda
                },
                lifecycle_stages: stages,
                timeout_configuration: TimeoutConfiguration {
                    timeout_in_minutes: timeout,
                    action: if rollback {
                        TimeoutAction::Rollback
                    } else {
                        TimeoutAction::Continue
                    },
                },
                ..LifecycleHook::default()
            })
            .collect()
    })
}

fn service(i: usize) -> impl Strategy<Value = ServiceSpec> {
    (
        (
            task(),
            0u32..40,
            prop::sample::select(vec!["web", "api_v1", "Worker-2"]),
            prop::sample::subsequence(
                vec![
                    PlacementConstraint::DistinctInstance,
                    PlacementConstraint::MemberOf {
                        expression: "attribute:ecs.instance-family == r6i".into(),
                    },
                ],
                0..=2,
            ),
            any::<bool>(),
        ),
        (
            prop::sample::select(Deploy::ALL.to_vec()),
            0u32..=100,
            100u32..=200,
            0u32..=1440,
            (any::<[bool; 3]>(), 0u8..3, 1u32..=100),
            (any::<[bool; 2]>(), 0usize..3),
            (30u32..=1000, 0u32..=1440, 1u32..=1000, 0u32..=1440),
        ),
    )
        .prop_flat_map(move |(svc, dep)| {
            let strategy = dep.0;
            (Just((svc, dep)), hooks(strategy))
        })
        .prop_map(move |((svc, dep), hooks)| {
            let (task, desired, name, placement, rebalance) = svc;
            let (strategy, min, max, bake, breaker, alarms, steps) = dep;
            let mut s = ServiceSpec {
                name: format!("{name}-{i}"),
                desired_count: desired,
                task,
                placement_constraints: placement,
                availability_zone_rebalancing: if rebalance {
                    Rebalancing::Enabled
                } else {
                    Rebalancing::Disabled
                },
                ..ServiceSpec::default()
            };
            let d = &mut s.deployment_configuration;
            d.strategy = strategy;
            d.minimum_healthy_percent = min;
            d.maximum_percent = max;
            d.bake_time_in_minutes = bake;
            d.deployment_circuit_breaker = CircuitBreaker {
                enable: breaker.0[0],
                rollback: breaker.0[1],
                reset_on_healthy_task: breaker.0[2],
                threshold_configuration: ThresholdConfiguration {
                    kind: [
                        ThresholdType::BoundedPercent,
                        ThresholdType::UnboundedPercent,
                        ThresholdType::Count,
                    ][breaker.1 as usize],
                    value: breaker.2,
                },
            };
            d.alarms.enable = alarms.0[0];
            d.alarms.rollback = alarms.0[1];
            d.alarms.alarms = (0..alarms.1)
                .map(|k| AlarmSpec {
                    name: format!("alarm-{k}"),
                    ..AlarmSpec::default()
                })
                .collect();
            // ECS reads these only with their own strategy, so only then are they set.
            if strategy == Deploy::Linear {
                d.linear_configuration.step_percent = Tenths(steps.0);
                d.linear_configuration.step_bake_time_in_minutes = steps.1;
            }
            if strategy == Deploy::Canary {
                d.canary_configuration.canary_percent = Tenths(steps.2);
                d.canary_configuration.canary_bake_time_in_minutes = steps.3;
            }
            d.lifecycle_hooks = hooks;
            s
        })
}

fn range(lo: u32, hi: Option<u32>) -> Range {
    Range { min: lo, max: hi }
}

fn requirements() -> impl Strategy<Value = InstanceRequirements> {
    (
        (0u32..4, prop::option::of(16u32..=192)),
        (0u32..8192, prop::option::of(65_536u32..=1_048_576)),
        prop::option::of((0u32..=4, prop::option::of(4u32..=16))),
        prop::sample::subsequence(vec!["m6i.*", "r6i.*", "c6i.*", "m7i.*"], 0..=2),
        prop::sample::subsequence(vec!["*.8xlarge", "m6i.large"], 0..=1),
        any::<bool>(),
        0u8..3,
    )
        .prop_map(
            |(v, m, per, allowed, excluded, current, burst)| InstanceRequirements {
                v_cpu_count: range(v.0, v.1),
                memory_mib: range(m.0, m.1),
                memory_gib_per_vcpu: per.map_or(Range::default(), |(lo, hi)| range(lo, hi)),
                allowed_instance_types: allowed.into_iter().map(String::from).collect(),
                excluded_instance_types: excluded.into_iter().map(String::from).collect(),
                instance_generations: if current {
                    vec!["current".into()]
                } else {
                    Vec::new()
                },
                burstable_performance: [
                    Inclusion::Excluded,
                    Inclusion::Included,
                    Inclusion::Required,
                ][burst as usize],
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(any::<u8>(), 1..4)
            .prop_flat_map(|v| (0..v.len()).map(service).collect::<Vec<_>>()),
        requirements(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![-1i32, 0, 60, 300, 3600])),
    )
        .prop_map(|(services, req, spot, scale_in)| {
            let mut s = Scenario {
                services,
                ..Scenario::default()
            };
            s.capacity_provider.instance_requirements = req;
            s.capacity_provider.capacity_option_type = if spot {
                CapacityOptionType::Spot
            } else {
                CapacityOptionType::OnDemand
            };
            s.capacity_provider.scale_in_after = scale_in;
            s
        })
}

fn import_back(export: &Export) -> Result<Scenario, String> {
    let texts: Vec<(String, String)> = export
        .files
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                serde_json::to_string_pretty(&f.json).expect("JSON prints"),
            )
        })
        .collect();
    let inputs: Vec<Input<'_>> = texts
        .iter()
        .map(|(name, text)| Input { name, text })
        .collect();
    import(&inputs)
        .map(|i| i.scenario)
        .map_err(|e| e.to_string())
}

/// What the round trip must keep: everything but the scenario's name and description (ECS
/// has no place for them), and the one container ECS requires, which the export adds to a
/// task sized only at task level and which carries no size of its own.
fn modelled(mut s: Scenario, original: &Scenario) -> Scenario {
    s.name = original.name.clone();
    s.description = original.description.clone();
    for (back, orig) in s.services.iter_mut().zip(&original.services) {
        if orig.task.containers.is_empty() {
            assert_eq!(
                back.task.containers,
                vec![ContainerSpec {
                    name: "app".into(),
                    ..ContainerSpec::default()
                }],
                "the added container must be size-less"
            );
            back.task.containers.clear();
        }
    }
    s
}

fn satisfiable(s: &Scenario) -> bool {
    let req = &s.capacity_provider.instance_requirements;
    default_catalog().iter().any(|t| req.check(t).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_is_the_identity_on_modelled_fields(s in scenario()) {
        prop_assume!(s.validate().is_ok() && satisfiable(&s));
        for (format, export) in [("ecs-api", ecs_api(&s)), ("cloudformation", cloudformation(&s))] {
            let back = import_back(&export)
                .map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
            let back = modelled(back, &s);
            prop_assert_eq!(&back.services, &s.services, "{}", format);
            prop_assert_eq!(&back.capacity_provider, &s.capacity_provider, "{}", format);
            prop_assert_eq!(&back, &s, "{}", format);
        }
    }
}

#[test]
fn ecs_api_files_use_ecs_names_shapes_and_placeholders() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("web", 3, 512, 1024);
    svc.deployment_configuration.strategy = Deploy::Linear;
    s.services.push(svc);
    let e = ecs_api(&s);
    let names: Vec<&str> = e.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "capacity-provider.json",
            "task-definition-01-web.json",
            "service-01-web.json"
        ]
    );
    // RegisterTaskDefinition: sizes as strings, Managed Instances compatibility, a placeholder
    // image. CreateService: the task definition's family, the linear configuration alone, the
    // capacity provider by the name its file creates, placeholders for the network.
    let pretty = |i: usize| serde_json::to_string_pretty(&e.files[i].json).unwrap();
    insta::assert_snapshot!("ecs_api_task_definition", pretty(1));
    insta::assert_snapshot!("ecs_api_service", pretty(2));
    insta::assert_snapshot!("ecs_api_capacity_provider", pretty(0));
    // Every placeholder written is listed, and every listed one is in a file.
    let all: String = e.files.iter().map(|f| f.json.to_string()).collect();
    for p in &e.placeholders {
        let value = p.split(" = ").nth(1).unwrap().split(' ').next().unwrap();
        assert!(all.contains(value), "{p}");
    }
    assert_eq!(
        all.matches("PLACEHOLDER_").count(),
        e.placeholders.len(),
        "{:#?}",
        e.placeholders
    );
}

#[test]
fn the_template_links_services_with_ref_and_asks_for_parameters() {
    let mut s = Scenario::default();
    s.services.push(ServiceSpec::sized("a", 1, 256, 512));
    s.services.push(ServiceSpec::sized("b", 1, 256, 512));
    let e = cloudformation(&s);
    assert_eq!(e.files.len(), 1);
    let t = &e.files[0].json;
    let r = &t["Resources"];
    assert_eq!(r["CapacityProvider"]["Type"], "AWS::ECS::CapacityProvider");
    assert_eq!(r["TaskDefinition2"]["Type"], "AWS::ECS::TaskDefinition");
    assert_eq!(r["Service2"]["Type"], "AWS::ECS::Service");
    assert_eq!(
        r["Service2"]["Properties"]["TaskDefinition"]["Ref"],
        "TaskDefinition2"
    );
    assert_eq!(
        r["Service1"]["Properties"]["CapacityProviderStrategy"][0]["CapacityProvider"]["Ref"],
        "CapacityProvider"
    );
    // Every Ref names a resource, a parameter or a pseudo parameter.
    let text = t.to_string();
    for piece in text.split("{\"Ref\":\"").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            r.get(name).is_some() || t["Parameters"].get(name).is_some(),
            "Ref {name} resolves to nothing"
        );
    }
    assert!(t["Parameters"]["ContainerImage"].is_object());
    assert!(t["Parameters"]["SubnetIds"]["Type"]
        .as_str()
        .unwrap()
        .starts_with("List<"));
}

#[test]
fn settings_ecs_has_no_field_for_are_listed_not_lost() {
    let mut s = Scenario::default();
    let mut svc = ServiceSpec::sized("api \"v1\"", 2, 256, 512);
    svc.auto_scaling = Some(Default::default());
    s.services.push(svc);
    s.capacity_provider.max_instances = 7;
    let e = ecs_api(&s);
    // Auto scaling, the instance cap and the renamed service, each with what to do instead.
    insta::assert_snapshot!(e.not_exported.join("\n"));
    assert_eq!(e.files[2].json["serviceName"], "api--v1-");
}

/// Every real file that imports exports and imports back to the same scenario.
#[test]
fn real_files_survive_export_and_import() {
    let dir = fleetsim_tests::real_ecs::dir();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut checked = 0;
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(imported) = import(&[Input {
            name: &name,
            text: &text,
        }]) else {
            continue;
        };
        let s = imported.scenario;
        for (format, export) in [
            ("ecs-api", ecs_api(&s)),
            ("cloudformation", cloudformation(&s)),
        ] {
            let renamed = export
                .not_exported
                .iter()
                .any(|n| n.contains("exported as"));
            let back = import_back(&export).unwrap_or_else(|e| panic!("{name} {format}: {e}"));
            let back = modelled(back, &s);
            if renamed {
                assert_eq!(back.services.len(), s.services.len(), "{name} {format}");
            } else {
                assert_eq!(back, s, "{name} {format}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} real files imported");
}

/// CloudFormation's `AWS::ECS::Service` schema has no hook target type or timeout yet: the
/// template leaves them out when they are the defaults, and says so when it cannot.
#[test]
fn the_template_writes_hook_fields_only_when_needed() {
    let mut svc = ServiceSpec::sized("web", 2, 256, 512);
    svc.deployment_configuration.strategy = Deploy::BlueGreen;
    svc.deployment_configuration.lifecycle_hooks = vec![
        LifecycleHook {
            name: "smoke".into(),
            lifecycle_stages: vec![LifecycleStage::PostScaleUp],
            ..LifecycleHook::default()
        },
        LifecycleHook {
            name: "hook-2".into(),
            target_type: HookTarget::Pause,
            lifecycle_stages: vec![LifecycleStage::PreScaleUp],
            ..LifecycleHook::default()
        },
    ];
    let s = scenario_of(svc);
    let e = cloudformation(&s);
    let hooks = &e.files[0].json["Resources"]["Service1"]["Properties"]["DeploymentConfiguration"]
        ["LifecycleHooks"];
    assert!(hooks[0].get("TargetType").is_none());
    assert!(hooks[0].get("TimeoutConfiguration").is_none());
    assert_eq!(
        hooks[0]["HookTargetArn"]["Fn::Sub"]
            .as_str()
            .map(|a| a.ends_with(":function:smoke")),
        Some(true)
    );
    assert_eq!(hooks[1]["TargetType"], "PAUSE");
    assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
    assert!(e.notes[0].contains("lifecycleHooks[1]"));
    // The API takes both fields, so the ecs-api file always writes them.
    let api = ecs_api(&s);
    let hooks = &api.files[2].json["deploymentConfiguration"]["lifecycleHooks"];
    assert_eq!(hooks[0]["targetType"], "AWS_LAMBDA");
    assert_eq!(hooks[0]["timeoutConfiguration"]["timeoutInMinutes"], 1440);
    assert!(api.notes.is_empty());
}

fn scenario_of(svc: ServiceSpec) -> Scenario {
    Scenario {
        services: vec![svc],
        ..Scenario::default()
    }
}

#[test]
fn each_file_comes_with_the_aws_command_that_takes_it() {
    let s = Scenario {
        services: vec![ServiceSpec::sized("web", 2, 512, 1024)],
        ..Scenario::default()
    };
    let commands: Vec<String> = ecs_api(&s)
        .files
        .iter()
        .map(|f| aws_command(&f.name, &format!("out/{}", f.name)))
        .collect();
    assert_eq!(commands.len(), 3);
    assert!(
        commands[0].starts_with("aws ecs create-capacity-provider --cli-input-json file://out/")
    );
    assert!(
        commands[1].starts_with("aws ecs register-task-definition --cli-input-json file://out/")
    );
    assert!(commands[2].starts_with("aws ecs create-service --cli-input-json file://out/"));
    let template = &cloudformation(&s).files[0];
    let deploy = aws_command(&template.name, "cfn/template.json");
    assert!(deploy.starts_with("aws cloudformation deploy "), "{deploy}");
    assert!(
        deploy.ends_with(" --template-file cfn/template.json"),
        "{deploy}"
    );
}
