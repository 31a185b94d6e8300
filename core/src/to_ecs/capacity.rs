//! The capacity provider → the CreateCapacityProvider input (the reverse of
//! `import/capacity.rs`).

use serde_json::{json, Map, Value};

use super::{
    Shape, CAPACITY_PROVIDER_NAME, CLUSTER, INFRASTRUCTURE_ROLE, INSTANCE_PROFILE, SECURITY_GROUPS,
    SUBNETS,
};
use crate::scenario::{CapacityOptionType, CapacityProvider, Inclusion, Range};

fn range(r: Range) -> Value {
    let mut o = Map::new();
    o.insert("min".into(), json!(r.min));
    if let Some(m) = r.max {
        o.insert("max".into(), json!(m));
    }
    Value::Object(o)
}

pub fn provider(cp: &CapacityProvider, shape: &mut impl Shape, file: &str) -> Value {
    let r = &cp.instance_requirements;
    // vCpuCount and memoryMiB are required by EC2's attribute-based selection; the other
    // attributes are written only when they narrow the choice, as the importer's defaults
    // are EC2's.
    let mut req = Map::new();
    req.insert("vCpuCount".into(), range(r.v_cpu_count));
    req.insert("memoryMiB".into(), range(r.memory_mib));
    if r.memory_gib_per_vcpu != Range::default() {
        req.insert("memoryGiBPerVCpu".into(), range(r.memory_gib_per_vcpu));
    }
    if !r.allowed_instance_types.is_empty() {
        req.insert(
            "allowedInstanceTypes".into(),
            json!(r.allowed_instance_types),
        );
    }
    if !r.excluded_instance_types.is_empty() {
        req.insert(
            "excludedInstanceTypes".into(),
            json!(r.excluded_instance_types),
        );
    }
    if !r.instance_generations.is_empty() {
        req.insert("instanceGenerations".into(), json!(r.instance_generations));
    }
    req.insert(
        "burstablePerformance".into(),
        json!(match r.burstable_performance {
            Inclusion::Included => "included",
            Inclusion::Required => "required",
            Inclusion::Excluded => "excluded",
        }),
    );
    let base = "managedInstancesProvider.instanceLaunchTemplate";
    let mut lt = Map::new();
    lt.insert(
        "ec2InstanceProfileArn".into(),
        shape.placeholder(
            INSTANCE_PROFILE,
            file,
            &alloc::format!("{base}.ec2InstanceProfileArn"),
        ),
    );
    let subnets = shape.placeholder(
        SUBNETS,
        file,
        &alloc::format!("{base}.networkConfiguration.subnets"),
    );
    let groups = shape.placeholder(
        SECURITY_GROUPS,
        file,
        &alloc::format!("{base}.networkConfiguration.securityGroups"),
    );
    lt.insert(
        "networkConfiguration".into(),
        json!({"subnets": subnets, "securityGroups": groups}),
    );
    lt.insert(
        "capacityOptionType".into(),
        json!(match cp.capacity_option_type {
            CapacityOptionType::OnDemand => "ON_DEMAND",
            CapacityOptionType::Spot => "SPOT",
        }),
    );
    lt.insert("instanceRequirements".into(), Value::Object(req));
    let mut mp = Map::new();
    mp.insert(
        "infrastructureRoleArn".into(),
        shape.placeholder(
            INFRASTRUCTURE_ROLE,
            file,
            "managedInstancesProvider.infrastructureRoleArn",
        ),
    );
    mp.insert("instanceLaunchTemplate".into(), Value::Object(lt));
    if let Some(s) = cp.scale_in_after {
        mp.insert(
            "infrastructureOptimization".into(),
            json!({"scaleInAfter": s}),
        );
    }
    let mut o = Map::new();
    o.insert("name".into(), json!(CAPACITY_PROVIDER_NAME));
    o.insert(
        "cluster".into(),
        shape.placeholder(CLUSTER, file, "cluster"),
    );
    o.insert("managedInstancesProvider".into(), Value::Object(mp));
    Value::Object(o)
}
