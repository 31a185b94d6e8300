//! A Managed Instances capacity provider (CreateCapacityProvider input or a CloudFormation
//! `AWS::ECS::CapacityProvider`) → the scenario's capacity provider.

use serde_json::{Map, Value};

use super::assemble::CapacityPart;
use super::parse::join;
use super::read::{field, Ctx};
use super::ImportError;
use crate::catalog::default_catalog;
use crate::scenario::{
    CapacityOptionType, CapacityProvider, Inclusion, InstanceRequirements, Range,
};

fn why(key: &str) -> &'static str {
    match key {
        "infrastructureRoleArn"
        | "InfrastructureRoleArn"
        | "ec2InstanceProfileArn"
        | "Ec2InstanceProfileArn" => "IAM roles do not change the simulation",
        "networkConfiguration" | "NetworkConfiguration" => {
            "subnets are not modelled; the scenario's Availability Zones stand for them"
        }
        "storageConfiguration" | "StorageConfiguration" => "storage is not modelled",
        "propagateTags" | "PropagateTags" | "tags" | "Tags" => "tags do not change the simulation",
        "cpuManufacturers" | "CpuManufacturers" => "fleetsim's catalog holds Intel x86 types only",
        "acceleratorTypes"
        | "AcceleratorTypes"
        | "acceleratorManufacturers"
        | "AcceleratorManufacturers"
        | "acceleratorCount"
        | "AcceleratorCount"
        | "acceleratorNames"
        | "acceleratorTotalMemoryMiB" => "accelerators are not modelled",
        "bareMetal" | "BareMetal" => "the catalog holds no bare-metal types",
        "autoRepairConfiguration" | "AutoRepairConfiguration" => {
            "auto repair is not modelled (its semantics are not researched)"
        }
        "cluster" | "Cluster" | "clusterName" | "ClusterName" => "the scenario is one cluster",
        _ => "not modelled by fleetsim",
    }
}

fn range(ctx: &mut Ctx<'_>, v: &Value, path: &str, hi: u32) -> Result<Range, ImportError> {
    let mut r = Range::default();
    if let Some(o) = ctx.object(v, path)? {
        if let Some((k, v)) = field(&o, "min") {
            r.min = ctx.u32(v, &join(path, k), hi, None)?.unwrap_or(0);
        }
        if let Some((k, v)) = field(&o, "max") {
            r.max = ctx.u32(v, &join(path, k), hi, None)?;
        }
    }
    Ok(r)
}

fn names(ctx: &mut Ctx<'_>, v: &Value, path: &str) -> Result<Vec<String>, ImportError> {
    let mut out = Vec::new();
    for (i, n) in ctx.list(v, path)?.iter().enumerate() {
        if let Some(s) = ctx.string(n, &format!("{path}[{i}]"), None)? {
            out.push(s);
        }
    }
    Ok(out)
}

pub fn read(
    ctx: &mut Ctx<'_>,
    obj: &Map<String, Value>,
    path: &str,
    fallback_name: &str,
) -> Result<Option<CapacityPart>, ImportError> {
    let p = |k: &str| join(path, k);
    let name = match field(obj, "name") {
        Some((k, v)) => ctx
            .string(v, &p(k), Some(fallback_name))?
            .unwrap_or_default(),
        None => fallback_name.to_string(),
    };
    let Some((mk, mv)) = field(obj, "managedInstancesProvider") else {
        ctx.report.ignored(ctx.file, path, "not a Managed Instances capacity provider (an Auto Scaling group or Fargate); fleetsim simulates Managed Instances");
        return Ok(None);
    };
    let mp = p(mk);
    let mut cp = CapacityProvider::default();
    let Some(m) = ctx.object(mv, &mp)? else {
        return Ok(None);
    };
    if let Some((k, v)) = field(&m, "infrastructureOptimization") {
        let ip = join(&mp, k);
        if let Some(o) = ctx.object(v, &ip)? {
            if let Some((sk, sv)) = field(&o, "scaleInAfter") {
                cp.scale_in_after = ctx
                    .int(sv, &join(&ip, sk), -1, 3_600, None)?
                    .map(|n| n as i32);
            }
        }
    }
    if let Some((k, v)) = field(&m, "instanceLaunchTemplate") {
        let lp = join(&mp, k);
        if let Some(lt) = ctx.object(v, &lp)? {
            if let Some((ck, cv)) = field(&lt, "capacityOptionType") {
                let cpth = join(&lp, ck);
                cp.capacity_option_type = match ctx.string(cv, &cpth, None)?.as_deref() {
                    Some("ON_DEMAND") | None => CapacityOptionType::OnDemand,
                    Some("SPOT") => CapacityOptionType::Spot,
                    Some("RESERVED") => {
                        ctx.choice(&cpth, "reserved capacity is not modelled; priced On-Demand");
                        CapacityOptionType::OnDemand
                    }
                    Some(o) => {
                        return Err(
                            ctx.err(&cpth, format!("{o:?} is not ON_DEMAND, SPOT or RESERVED"))
                        )
                    }
                };
            }
            if let Some((rk, rv)) = field(&lt, "instanceRequirements") {
                let rp = join(&lp, rk);
                if let Some(r) = ctx.object(rv, &rp)? {
                    cp.instance_requirements = requirements(ctx, &r, &rp)?;
                }
            }
            ctx.ignore_rest(
                &lt,
                &lp,
                &["capacityOptionType", "instanceRequirements"],
                why,
            );
        }
    }
    ctx.ignore_rest(
        &m,
        &mp,
        &["infrastructureOptimization", "instanceLaunchTemplate"],
        why,
    );
    ctx.ignore_rest(obj, path, &["name", "managedInstancesProvider"], why);
    Ok(Some(CapacityPart {
        file: ctx.file.to_string(),
        name,
        cfn_id: None,
        provider: cp,
    }))
}

fn requirements(
    ctx: &mut Ctx<'_>,
    r: &Map<String, Value>,
    path: &str,
) -> Result<InstanceRequirements, ImportError> {
    let p = |k: &str| join(path, k);
    let mut out = InstanceRequirements::default();
    if let Some((k, v)) = field(r, "vCpuCount") {
        out.v_cpu_count = range(ctx, v, &p(k), 100_000)?;
    }
    if let Some((k, v)) = field(r, "memoryMiB") {
        out.memory_mib = range(ctx, v, &p(k), u32::MAX / 2)?;
    }
    if let Some((k, v)) = field(r, "memoryGiBPerVCpu") {
        // EC2 allows decimals here; the scenario holds whole GiB, so a fractional bound is
        // widened to the next whole number outward and reported.
        let gp = p(k);
        if let Some(o) = ctx.object(v, &gp)? {
            for (name, up) in [("min", false), ("max", true)] {
                if let Some((bk, bv)) = field(&o, name) {
                    let bp = join(&gp, bk);
                    let x = match ctx.resolve(bv, &bp, None)? {
                        Some(Value::Number(n)) => n.as_f64(),
                        Some(Value::String(s)) => s.parse::<f64>().ok(),
                        _ => None,
                    }
                    .filter(|x| (0.0..=10_000.0).contains(x))
                    .ok_or_else(|| ctx.err(&bp, "expected a number of GiB from 0 to 10000"))?;
                    let whole = if up { x.ceil() } else { x.floor() };
                    if whole != x {
                        ctx.choice(
                            &bp,
                            format!("{x} GiB per vCPU; fleetsim holds whole GiB, used {whole}"),
                        );
                    }
                    if up {
                        out.memory_gib_per_vcpu.max = Some(whole as u32);
                    } else {
                        out.memory_gib_per_vcpu.min = whole as u32;
                    }
                }
            }
        }
    }
    let catalog = default_catalog();
    for (name, excluded) in [
        ("allowedInstanceTypes", false),
        ("excludedInstanceTypes", true),
    ] {
        if let Some((k, v)) = field(r, name) {
            let list = names(ctx, v, &p(k))?;
            let (known, unknown): (Vec<String>, Vec<String>) = list.into_iter().partition(|pat| {
                catalog
                    .iter()
                    .any(|t| crate::query::wildcard_match(pat, &t.name))
            });
            if !unknown.is_empty() {
                ctx.report.ignored(
                    ctx.file,
                    &p(k),
                    &format!("{} match no type in fleetsim's catalog", unknown.join(", ")),
                );
            }
            if excluded {
                out.excluded_instance_types = known;
            } else {
                out.allowed_instance_types = known;
            }
        }
    }
    if let Some((k, v)) = field(r, "instanceGenerations") {
        out.instance_generations = names(ctx, v, &p(k))?;
    }
    if let Some((k, v)) = field(r, "burstablePerformance") {
        out.burstable_performance = match ctx.string(v, &p(k), None)?.as_deref() {
            Some("included") => Inclusion::Included,
            Some("required") => Inclusion::Required,
            Some("excluded") | None => Inclusion::Excluded,
            Some(o) => {
                return Err(ctx.err(
                    &p(k),
                    format!("{o:?} is not included, required or excluded"),
                ))
            }
        };
    }
    if !catalog.iter().any(|t| out.check(t).is_ok()) {
        ctx.choice(path, "no type in fleetsim's catalog meets these requirements; used the whole catalog so the tasks can run");
        out = InstanceRequirements::default();
    }
    ctx.ignore_rest(
        r,
        path,
        &[
            "vCpuCount",
            "memoryMiB",
            "memoryGiBPerVCpu",
            "allowedInstanceTypes",
            "excludedInstanceTypes",
            "instanceGenerations",
            "burstablePerformance",
        ],
        why,
    );
    Ok(out)
}
