//! Every real ECS file in `shared/real-ecs/` (kept outside the repository, read at test time)
//! imports into a scenario the core accepts, or is refused with a message naming the file and
//! the JSON path. Expected values are read from the files here with serde_json, independently
//! of the importer.

use std::path::PathBuf;

use fleetsim_core::import::{import, ImportError, Imported, Input};
use fleetsim_core::scenario::{NetworkMode, Rebalancing, Strategy};
use fleetsim_core::Scenario;
use serde_json::Value;

fn dir() -> PathBuf {
    fleetsim_tests::real_ecs::dir()
}

fn text(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn run(names: &[&str]) -> Result<Imported, ImportError> {
    let texts: Vec<String> = names.iter().map(|n| text(n)).collect();
    let inputs: Vec<Input<'_>> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input { name, text })
        .collect();
    import(&inputs)
}

fn ok(name: &str) -> Imported {
    let imported = run(&[name]).unwrap_or_else(|e| panic!("{name} should import: {e}"));
    // What `fleetsim import` prints must be a scenario `fleetsim run` accepts.
    Scenario::from_json(&imported.scenario.to_json())
        .unwrap_or_else(|e| panic!("{name}: the imported scenario is refused: {e}"));
    imported
}

fn json(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap()
}

fn num(v: &Value) -> u32 {
    match v {
        Value::Number(n) => n.as_u64().unwrap() as u32,
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn every_file_imports_or_is_refused_with_its_path() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 25, "{names:?}");
    for n in &names {
        let refused = n.starts_with("07-");
        match run(&[n.as_str()]) {
            Ok(i) => {
                assert!(!refused, "{n} is broken JSON and must be refused");
                Scenario::from_json(&i.scenario.to_json())
                    .unwrap_or_else(|e| panic!("{n}: the imported scenario is refused: {e}"));
                assert!(
                    !i.scenario.services.is_empty() || n.starts_with("25-"),
                    "{n}: no service"
                );
            }
            Err(e) => {
                assert!(refused, "{n} should import: {e}");
                assert_eq!(e.file, *n);
                assert!(e.to_string().contains(n.as_str()), "{e}");
            }
        }
    }
}

#[test]
fn broken_json_names_the_file_and_the_line() {
    let e = run(&["07-tomcat-ec2-broken-json.json"]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("07-tomcat-ec2-broken-json.json: not valid JSON at line 5"),
        "{msg}"
    );
}

#[test]
fn task_level_sizes_are_the_files_own() {
    for name in [
        "05-ecspresso-fargate-templated-taskdef.json",
        "06-bluegreen-demo-taskdef.json",
        "08-describe-output-fargate.json",
        "09-describe-output-ec2-no-networkmode.json",
        "12-arm64-managed-instances-host.json",
    ] {
        let file = json(name);
        let s = &ok(name).scenario.services[0];
        assert_eq!(s.task.cpu, Some(num(&file["cpu"])), "{name}");
        assert_eq!(s.task.memory, Some(num(&file["memory"])), "{name}");
        assert_eq!(s.name, file["family"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn container_sizes_follow_the_managed_instances_memory_rule() {
    // 03 is wrapped ({"taskDefinition": …}) with two containers of `memory` 500.
    let file = json("03-awscli-describe-taskdef-wrapped.json");
    let containers = file["taskDefinition"]["containerDefinitions"]
        .as_array()
        .unwrap();
    let want: u32 = containers.iter().map(|c| num(&c["memory"])).sum();
    let t = &ok("03-awscli-describe-taskdef-wrapped.json")
        .scenario
        .services[0]
        .task;
    assert_eq!(t.containers.len(), containers.len());
    assert_eq!(t.size().memory, want);
    // 13: memoryReservation counts, not the hard limit.
    let file = json("13-simplehttp-awsvpc-container-sizes.json");
    let c = &file["containerDefinitions"][0];
    let t = &ok("13-simplehttp-awsvpc-container-sizes.json")
        .scenario
        .services[0]
        .task;
    assert_eq!(t.size().memory, num(&c["memoryReservation"]));
    assert_eq!(t.size().cpu, num(&c["cpu"]));
    assert_eq!(t.network_mode, NetworkMode::Awsvpc);
}

#[test]
fn cpu_below_a_quarter_vcpu_is_a_reported_choice() {
    let i = ok("01-consul-server-host.json");
    assert_eq!(i.scenario.services[0].task.size().cpu, 256);
    assert_eq!(i.scenario.services[0].task.network_mode, NetworkMode::Host);
    assert!(
        i.report
            .choices
            .iter()
            .any(|c| c.contains("asks for 128 CPU units")),
        "{:?}",
        i.report.choices
    );
}

#[test]
fn absent_network_mode_is_ecs_default_for_the_launch_type() {
    let i = ok("09-describe-output-ec2-no-networkmode.json");
    assert!(i
        .report
        .choices
        .iter()
        .any(|c| c.contains("networkMode: absent") && c.contains("bridge")));
    assert_eq!(i.scenario.services[0].task.network_mode, NetworkMode::Host);
}

#[test]
fn placeholders_in_ignored_fields_are_fine_and_fatal_in_needed_ones() {
    let i = ok("05-ecspresso-fargate-templated-taskdef.json");
    assert!(i
        .report
        .ignored
        .iter()
        .any(|x| x.contains("containerDefinitions[0].image")));
    let broken = text("06-bluegreen-demo-taskdef.json").replace("\"512\"", "\"${TASK_CPU}\"");
    let e = import(&[Input {
        name: "06.json",
        text: &broken,
    }])
    .unwrap_err();
    assert_eq!(e.path, "cpu");
    assert!(e.message.contains("placeholder"), "{e}");
}

#[test]
fn wrong_types_and_out_of_range_values_name_the_path() {
    let t = text("13-simplehttp-awsvpc-container-sizes.json")
        .replace("\"cpu\": 256", "\"cpu\": \"lots\"");
    let e = import(&[Input {
        name: "13.json",
        text: &t,
    }])
    .unwrap_err();
    assert_eq!(e.path, "containerDefinitions[0].cpu", "{e}");
    let s = text("17-awscli-describe-services.json").replace(
        "\"desiredCount\": 10,\n            \"createdAt\"",
        "\"desiredCount\": 99999,\n            \"createdAt\"",
    );
    let e = import(&[Input {
        name: "17.json",
        text: &s,
    }])
    .unwrap_err();
    assert_eq!(e.path, "services[0].desiredCount", "{e}");
}

#[test]
fn services_keep_their_counts_and_deployment_configuration() {
    let file = json("14-bluegreen-lifecycle-hooks-service.json");
    let i = ok("14-bluegreen-lifecycle-hooks-service.json");
    let s = &i.scenario.services[0];
    assert_eq!(s.desired_count, num(&file["desiredCount"]));
    let d = &s.deployment_configuration;
    assert_eq!(d.strategy, Strategy::BlueGreen);
    assert_eq!(
        d.bake_time_in_minutes,
        num(&file["deploymentConfiguration"]["bakeTimeInMinutes"])
    );
    let hooks = file["deploymentConfiguration"]["lifecycleHooks"]
        .as_array()
        .unwrap();
    assert_eq!(d.lifecycle_hooks.len(), hooks.len());
    assert_eq!(
        d.lifecycle_hooks[1].lifecycle_stages[0].api_name(),
        hooks[1]["lifecycleStages"][0]
    );

    let file = json("17-awscli-describe-services.json");
    let s = &ok("17-awscli-describe-services.json").scenario.services[0];
    assert_eq!(s.desired_count, num(&file["services"][0]["desiredCount"]));
    assert_eq!(s.name, file["services"][0]["serviceName"].as_str().unwrap());

    let file = json("18-awscli-update-service-output-az-rebalancing.json");
    let s = &ok("18-awscli-update-service-output-az-rebalancing.json")
        .scenario
        .services[0];
    assert_eq!(s.desired_count, num(&file["service"]["desiredCount"]));
    assert_eq!(s.availability_zone_rebalancing, Rebalancing::Enabled);
    assert!(s.deployment_configuration.deployment_circuit_breaker.enable);
    assert!(
        s.deployment_configuration
            .deployment_circuit_breaker
            .rollback
    );
}

#[test]
fn a_duplicate_key_is_reported_and_the_last_value_wins() {
    let i = ok("19-simplehttp-service-duplicate-key.json");
    assert!(i
        .report
        .choices
        .iter()
        .any(|c| c.contains("schedulingStrategy: this key appears more than once")));
    let s = &i.scenario.services[0];
    assert_eq!(s.deployment_configuration.maximum_percent, 100);
    assert_eq!(s.deployment_configuration.minimum_healthy_percent, 50);
}

#[test]
fn a_service_finds_its_task_definition_in_another_file() {
    let i = run(&[
        "06-bluegreen-demo-taskdef.json",
        "14-bluegreen-lifecycle-hooks-service.json",
    ])
    .unwrap();
    let td = json("06-bluegreen-demo-taskdef.json");
    assert_eq!(
        i.scenario.services.len(),
        1,
        "the task definition is the service's, not a second service"
    );
    assert_eq!(i.scenario.services[0].task.cpu, Some(num(&td["cpu"])));
    assert_eq!(i.scenario.services[0].task.memory, Some(num(&td["memory"])));
}

#[test]
fn capacity_provider_requirements_are_read() {
    let file = json("25-managed-instances-capacity-provider-graviton.json");
    let req = &file["managedInstancesProvider"]["instanceLaunchTemplate"]["instanceRequirements"];
    let i = ok("25-managed-instances-capacity-provider-graviton.json");
    let r = &i.scenario.capacity_provider.instance_requirements;
    assert_eq!(r.v_cpu_count.min, num(&req["vCpuCount"]["min"]));
    assert_eq!(r.v_cpu_count.max, Some(num(&req["vCpuCount"]["max"])));
    assert_eq!(r.memory_mib.min, num(&req["memoryMiB"]["min"]));
    assert_eq!(r.memory_mib.max, Some(num(&req["memoryMiB"]["max"])));
    assert!(i
        .report
        .ignored
        .iter()
        .any(|x| x.contains("cpuManufacturers")));
}

#[test]
fn cloudformation_json_resolves_refs_between_resources() {
    let file = json("24-cfn-managed-instances-two-services.json");
    let res = &file["Resources"];
    let i = ok("24-cfn-managed-instances-two-services.json");
    assert_eq!(i.scenario.services.len(), 2);
    for (svc, td) in [
        ("ManagedInstancesServiceDFC92B6D", "TaskDef54694570"),
        ("ManagedInstancesService2", "TaskDef2"),
    ] {
        let props = &res[svc]["Properties"];
        let s = i
            .scenario
            .services
            .iter()
            .find(|s| s.name == props["ServiceName"].as_str().unwrap())
            .unwrap();
        assert_eq!(s.desired_count, num(&props["DesiredCount"]));
        assert_eq!(s.task.memory, Some(num(&res[td]["Properties"]["Memory"])));
        assert_eq!(s.task.cpu, Some(num(&res[td]["Properties"]["Cpu"])));
        assert_eq!(
            s.deployment_configuration.minimum_healthy_percent,
            num(&props["DeploymentConfiguration"]["MinimumHealthyPercent"])
        );
    }
}

#[test]
fn cloudformation_yaml_parameters_and_conditions_are_reported_choices() {
    let i = ok("22-cfn-refarch-product-service.yaml");
    assert_eq!(i.scenario.services.len(), 1);
    // `DesiredCount: !Ref DesiredCount` with `Default: 2`; the task's only size is Memory: 128.
    assert_eq!(i.scenario.services[0].desired_count, 2);
    assert_eq!(i.scenario.services[0].task.size().memory, 128);
    assert!(i
        .report
        .choices
        .iter()
        .any(|c| c.contains("Parameters.DesiredCount is deployed with its Default; used 2")));

    let i = ok("21-cfn-mineru-gpu-conditions.yaml");
    assert!(i
        .report
        .choices
        .iter()
        .any(|c| c.contains("Conditions.PrewarmedMode")));
    assert!(i
        .report
        .ignored
        .iter()
        .any(|x| x.contains("ECSCapacityProvider") && x.contains("not a Managed Instances")));
    let s = &i.scenario.services[0];
    assert_eq!((s.task.cpu, s.task.memory), (Some(3072), Some(12288)));

    let i = ok("20-cfn-gpu-managed-instances-pipeline.yaml");
    assert_eq!(i.scenario.services.len(), 2);
    assert!(i
        .report
        .ignored
        .iter()
        .any(|x| x.contains("ResourceRequirements") && x.contains("GPU")));
}

#[test]
fn a_parameter_without_default_is_a_reported_choice() {
    let t = text("22-cfn-refarch-product-service.yaml")
        .replace("    Type: Number\n    Default: 2\n", "    Type: Number\n");
    let i = import(&[Input {
        name: "22.yaml",
        text: &t,
    }])
    .unwrap();
    assert!(
        i.report
            .choices
            .iter()
            .any(|c| c.contains("Parameters.DesiredCount has no default; used 2")),
        "{:?}",
        i.report.choices
    );
}
