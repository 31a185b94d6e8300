//! Hostile inputs of accepted size: share links and scenarios built to make validation slow or
//! its answer long. The tests in `tests/limits.rs` and the `validate_worst` bench share them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use fleetsim_core::catalog::InstanceType;
use fleetsim_core::scenario::*;
use fleetsim_core::Micros;

/// A share string holding this JSON as its `Shared` object.
pub fn link_of(shared_json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(shared_json.as_bytes(), 9);
    format!("f1.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// `azs` copies of the zone "a" and `services` copies of a service whose ten memberOf
/// constraints each name the zone "b" `literals` times. Every literal used to be looked up in
/// the whole zone list (zones × literals work), and each miss was a line of the answer.
pub fn zone_cross_json(azs: usize, services: usize, literals: usize) -> String {
    let expression = format!(
        "attribute:ecs.availability-zone in [{}]",
        vec!["b"; literals].join(",")
    );
    let constraint = format!(r#"{{"type":"memberOf","expression":"{expression}"}}"#);
    let service = format!(
        r#"{{"name":"s","placementConstraints":[{}]}}"#,
        [constraint.as_str(); 10].join(",")
    );
    format!(
        r#"{{"availabilityZones":[{}],"services":[{}]}}"#,
        vec![r#""a""#; azs].join(","),
        vec![service.as_str(); services].join(",")
    )
}

/// The reproduction of the 879-character link that once took 12 s to validate: 36,000 zones and 8 such services fit
/// in about 840 characters (it took 17 s to validate and answered with 7 MB).
pub fn zone_cross_link() -> String {
    link_of(&format!(
        r#"{{"scenario":{}}}"#,
        zone_cross_json(36_000, 8, 660)
    ))
}

/// The 1 MiB case: 100,000 zones and 46 such services, just under `MAX_SCENARIO_BYTES`.
pub fn zone_cross_1mib() -> String {
    zone_cross_json(100_000, 46, 660)
}

/// A valid scenario with every list at its limit and as much checking work as 1 MiB holds:
/// 50 services and 50 standalone groups with 10 long memberOf constraints each, 20 revisions,
/// 20 hooks (of 5 script steps: 1 MiB does not hold 100 for every hook) and 10 alarms per service, 200 catalog types and 400
/// instance-type patterns that make the matcher backtrack on every type.
pub fn heaviest_valid() -> Scenario {
    let zones: Vec<String> = (1..=MAX_AZS).map(|i| format!("use1-az{i}")).collect();
    // Every literal is a real zone, so each is looked up and none is an error.
    let literals = vec![zones[0].as_str(); 50].join(",");
    let constraint = PlacementConstraint::MemberOf {
        expression: format!("attribute:ecs.availability-zone in [{literals}]"),
    };
    let constraints = vec![constraint; MAX_CONSTRAINTS as usize];
    let mut s = Scenario {
        availability_zones: zones,
        ..Scenario::default()
    };
    s.catalog = Some(
        (0..MAX_CATALOG_TYPES)
            .map(|i| InstanceType {
                name: format!("m6i{}.{}large", "a".repeat(40), i),
                vcpu: 2 + i % 64,
                memory_mib: 8_192,
                max_enis: 4,
                trunk_enis: 20,
                price_per_hour: Micros(96_000),
                fee_per_hour: None,
                generation: "current".into(),
                burstable: false,
            })
            .collect(),
    );
    let req = &mut s.capacity_provider.instance_requirements;
    // `*a*a…*b` against "m6iaaa…": each star restarts the scan, the last letter never matches.
    req.allowed_instance_types = (0..MAX_TYPE_PATTERNS - 1)
        .map(|_| format!("{}*b", "*a".repeat(14)))
        .chain(["m6i*".into()])
        .collect();
    for i in 0..MAX_SERVICES {
        let mut svc = ServiceSpec::sized(&format!("svc{i:02}"), 100, 256, 512);
        svc.placement_constraints = constraints.clone();
        svc.revisions = (0..MAX_REVISIONS)
            .map(|r| RevisionSpec {
                name: format!("v{r}"),
                ..RevisionSpec::default()
            })
            .collect();
        let d = &mut svc.deployment_configuration;
        d.alarms.alarms = (0..MAX_ALARMS)
            .map(|a| AlarmSpec {
                name: format!("alarm{a}"),
                ..AlarmSpec::default()
            })
            .collect();
        d.lifecycle_hooks = (0..2 * MAX_HOOKS_PER_KIND)
            .map(|h| {
                let lambda = h < MAX_HOOKS_PER_KIND;
                LifecycleHook {
                    name: format!("hook{h}"),
                    target_type: if lambda {
                        HookTarget::AwsLambda
                    } else {
                        HookTarget::Pause
                    },
                    lifecycle_stages: vec![LifecycleStage::PreScaleUp],
                    script: if lambda {
                        vec![HookResponse::Succeeded; 5]
                    } else {
                        Vec::new()
                    },
                    ..LifecycleHook::default()
                }
            })
            .collect();
        s.services.push(svc);
    }
    for g in 0..MAX_STANDALONE_GROUPS {
        s.standalone_tasks.push(StandaloneSpec {
            group: format!("batch{g:02}"),
            count: 100,
            task: TaskSpec::with_size(256, 512),
            placement_constraints: constraints.clone(),
        });
    }
    s.patching.maintenance_windows = (0..MAX_WINDOWS)
        .map(|_| MaintenanceWindow {
            start_day: Weekday::Sat,
            start_hour: 2,
            duration_hours: 4,
        })
        .collect();
    s
}
