//! A CloudFormation template: its `AWS::ECS::TaskDefinition`, `Service` and `CapacityProvider`
//! resources, read with `Ref` / `Fn::GetAtt` between them resolved to logical IDs.

use serde_json::{Map, Value};

use super::assemble::Parts;
use super::read::{Ctx, Template};
use super::report::Report;
use super::service::Source;
use super::{capacity, service, taskdef, ImportError};

pub fn read(
    file: &str,
    o: &Map<String, Value>,
    report: &mut Report,
    parts: &mut Parts,
) -> Result<(), ImportError> {
    let resources = match o.get("Resources") {
        Some(Value::Object(r)) => r,
        _ => {
            return Err(ImportError::new(
                file,
                "Resources",
                "a template needs a Resources object",
            ))
        }
    };
    let mut ctx = Ctx {
        file,
        template: Some(Template {
            parameters: o.get("Parameters").and_then(Value::as_object),
            resources,
            conditions: o.get("Conditions").and_then(Value::as_object),
        }),
        report,
    };
    let mut other_types = std::collections::BTreeMap::<&str, u32>::new();
    for (id, r) in resources {
        let path = format!("Resources.{id}");
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or_default();
        let props_path = format!("{path}.Properties");
        let empty = Map::new();
        let props = match r.get("Properties") {
            Some(Value::Object(p)) => p,
            None => &empty,
            Some(_) => return Err(ctx.err(&props_path, "expected an object")),
        };
        if let Some(c) = r.get("Condition").and_then(Value::as_str) {
            if kind.starts_with("AWS::ECS::") {
                ctx.choice(
                    &path,
                    format!("created only when Conditions.{c} holds; imported as if it does"),
                );
            }
        }
        match kind {
            "AWS::ECS::TaskDefinition" => {
                let mut td = taskdef::read(&mut ctx, props, &props_path, id)?;
                td.cfn_id = Some(id.clone());
                parts.task_defs.push(td);
            }
            "AWS::ECS::Service" => {
                let mut s = service::read(&mut ctx, props, &props_path, id, Source::Create)?;
                s.cfn_id = Some(id.clone());
                parts.services.push(s);
            }
            "AWS::ECS::CapacityProvider" => {
                if let Some(mut cp) = capacity::read(&mut ctx, props, &props_path, id)? {
                    cp.cfn_id = Some(id.clone());
                    parts.capacity.push(cp);
                }
            }
            other => *other_types.entry(other).or_default() += 1,
        }
    }
    for (t, n) in other_types {
        ctx.report.ignored(
            file,
            &format!("Resources ({n} × {t})"),
            "only ECS task definitions, services and capacity providers are simulated",
        );
    }
    for key in o.keys() {
        if ![
            "Resources",
            "Parameters",
            "Conditions",
            "AWSTemplateFormatVersion",
            "Description",
        ]
        .contains(&key.as_str())
        {
            ctx.report.ignored(file, key, "only resources are read");
        }
    }
    Ok(())
}
