//! List lengths, checked before anything else. The later checks walk these lists, some of them
//! pairwise, so a list past its limit is refused at once with the limit named and nothing else
//! is looked at: a link holding thousands of zone names costs one pass, not millions.

use alloc::format;
use alloc::string::String;

use super::validate::Checker;
use super::*;

/// One list's length against `lo..=hi`; the path is built only for a problem. `true` when the
/// list is longer than its limit.
pub(crate) fn list(
    c: &mut Checker,
    path: impl FnOnce() -> String,
    len: usize,
    lo: u32,
    hi: u32,
    unit: &str,
) -> bool {
    let len = len as u64;
    if len < u64::from(lo) || len > u64::from(hi) {
        c.range(path(), len, u64::from(lo), u64::from(hi), unit);
    }
    len > u64::from(hi)
}

/// Every list's length against its range; `true` when one is longer than its limit.
pub(crate) fn check_list_lengths(c: &mut Checker, s: &Scenario) -> bool {
    let azs = s.availability_zones.len();
    let mut over = list(c, || "availabilityZones".into(), azs, 1, MAX_AZS, " zones");
    let req = &s.capacity_provider.instance_requirements;
    let rp = "capacityProvider.instanceRequirements";
    for (name, patterns) in [
        ("allowedInstanceTypes", &req.allowed_instance_types),
        ("excludedInstanceTypes", &req.excluded_instance_types),
    ] {
        let n = patterns.len();
        over |= list(
            c,
            || format!("{rp}.{name}"),
            n,
            0,
            MAX_TYPE_PATTERNS,
            " patterns",
        );
    }
    // "current" and "previous" are the only generations.
    let n = req.instance_generations.len();
    over |= list(
        c,
        || format!("{rp}.instanceGenerations"),
        n,
        0,
        2,
        " generations",
    );
    if let Some(cat) = &s.catalog {
        over |= list(
            c,
            || "catalog".into(),
            cat.len(),
            1,
            MAX_CATALOG_TYPES,
            " types",
        );
    }
    let n = s.services.len();
    over |= list(c, || "services".into(), n, 0, MAX_SERVICES, " services");
    let n = s.standalone_tasks.len();
    over |= list(
        c,
        || "standaloneTasks".into(),
        n,
        0,
        MAX_STANDALONE_GROUPS,
        " groups",
    );
    let n = s.patching.maintenance_windows.len();
    over |= list(
        c,
        || "patching.maintenanceWindows".into(),
        n,
        0,
        MAX_WINDOWS,
        " windows",
    );
    if over {
        // The per-item lists below would be walked once per item of an over-long list.
        return true;
    }
    for (i, svc) in s.services.iter().enumerate() {
        let p = || format!("services[{i}]");
        over |= task_lists(c, &p, &svc.task, &svc.placement_constraints);
        let n = svc.revisions.len();
        over |= list(
            c,
            || format!("{}.revisions", p()),
            n,
            0,
            MAX_REVISIONS,
            " revisions",
        );
        over |= super::deployment_checks::deployment_list_lengths(
            c,
            &|| format!("{}.deploymentConfiguration", p()),
            &svc.deployment_configuration,
        );
    }
    for (i, g) in s.standalone_tasks.iter().enumerate() {
        let p = || format!("standaloneTasks[{i}]");
        over |= task_lists(c, &p, &g.task, &g.placement_constraints);
    }
    over
}

fn task_lists(
    c: &mut Checker,
    p: &dyn Fn() -> String,
    task: &TaskSpec,
    constraints: &[PlacementConstraint],
) -> bool {
    let n = task.containers.len();
    let over = list(
        c,
        || format!("{}.task.containers", p()),
        n,
        0,
        MAX_CONTAINERS,
        " containers",
    );
    let n = constraints.len();
    over | list(
        c,
        || format!("{}.placementConstraints", p()),
        n,
        0,
        MAX_CONSTRAINTS,
        " constraints",
    )
}
