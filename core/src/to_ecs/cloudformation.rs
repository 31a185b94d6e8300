//! The scenario → one CloudFormation template: the `ecs-api` JSON with PascalCase keys, the
//! services linked to their task definitions and the capacity provider with `Ref`, and one
//! template parameter for each value fleetsim does not model.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::simulator_only;
use super::{capacity, names, service, taskdef, EcsFile, Export, Placeholder, Shape};
use crate::scenario::Scenario;

/// `CLUSTER_NAME` → `ClusterName`.
fn parameter_name(p: Placeholder) -> String {
    p.key
        .split('_')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// CloudFormation spells ECS's properties with a capital first letter, nested ones too.
fn pascal(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    // A `Ref` or `Fn::` key is already CloudFormation's own.
                    if k == "Ref" || k.starts_with("Fn::") {
                        return (k, v);
                    }
                    let mut cs = k.chars();
                    let key = cs
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                        .unwrap_or_default();
                    (key, pascal(v))
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(pascal).collect()),
        other => other,
    }
}

struct Cfn {
    parameters: BTreeMap<String, Placeholder>,
    placeholders: Vec<String>,
}

impl Shape for Cfn {
    fn placeholder(&mut self, p: Placeholder, file: &str, _path: &str) -> Value {
        let name = parameter_name(p);
        if self.parameters.insert(name.clone(), p).is_none() {
            self.placeholders
                .push(alloc::format!("{file}: Parameters.{name} ({})", p.what));
        }
        json!({"Ref": name})
    }
    fn task_ref(&self, index: usize, _family: &str) -> Value {
        json!({"Ref": alloc::format!("TaskDefinition{}", index + 1)})
    }
    fn capacity_ref(&self, _name: &str) -> Value {
        json!({"Ref": "CapacityProvider"})
    }
    /// The template's own Region and account: a Lambda in the stack's account is the usual
    /// case, and the importer reads the function's name from the string's tail.
    fn hook_fields_always(&self) -> bool {
        false
    }
    fn lambda_arn(&mut self, name: &str, _file: &str, _path: &str) -> Value {
        json!({"Fn::Sub": alloc::format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}")})
    }
}

pub fn cloudformation(s: &Scenario) -> Export {
    let file = "template.json";
    let mut out = Export::default();
    let mut shape = Cfn {
        parameters: BTreeMap::new(),
        placeholders: Vec::new(),
    };
    let mut resources = Map::new();
    let cp = capacity::provider(&s.capacity_provider, &mut shape, file);
    resources.insert(
        "CapacityProvider".into(),
        json!({"Type": "AWS::ECS::CapacityProvider", "Properties": pascal(rename_cluster(cp))}),
    );
    let names = names::service_names(s, &mut out.not_exported);
    for (i, (sv, name)) in s.services.iter().zip(&names).enumerate() {
        let td = taskdef::task_definition(sv, name, &mut shape, file, &mut out.not_exported);
        resources.insert(
            alloc::format!("TaskDefinition{}", i + 1),
            json!({"Type": "AWS::ECS::TaskDefinition", "Properties": pascal(td)}),
        );
        let svc = service::service(sv, i, name, &mut shape, file);
        resources.insert(
            alloc::format!("Service{}", i + 1),
            // The `Ref` to the capacity provider orders the two; no DependsOn needed.
            json!({"Type": "AWS::ECS::Service", "Properties": pascal(svc)}),
        );
    }
    let parameters: Map<String, Value> = shape
        .parameters
        .iter()
        .map(|(name, p)| {
            let kind = match (p.key, p.list) {
                ("SUBNET_IDS", _) => "List<AWS::EC2::Subnet::Id>",
                ("SECURITY_GROUP_IDS", _) => "List<AWS::EC2::SecurityGroup::Id>",
                (_, true) => "CommaDelimitedList",
                _ => "String",
            };
            (name.clone(), json!({"Type": kind, "Description": p.what}))
        })
        .collect();
    out.files.push(EcsFile {
        name: String::from(file),
        json: json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": alloc::format!("{} (exported by fleetsim)", s.name),
            "Parameters": parameters,
            "Resources": resources,
        }),
    });
    simulator_only(s, &mut out.not_exported);
    super::newer_fields(s, &mut out.notes, true);
    out.placeholders = shape.placeholders;
    out
}

/// CreateCapacityProvider's `cluster` is `ClusterName` in CloudFormation.
fn rename_cluster(mut cp: Value) -> Value {
    if let Some(o) = cp.as_object_mut() {
        if let Some(c) = o.remove("cluster") {
            o.insert("clusterName".into(), c);
        }
    }
    cp
}
