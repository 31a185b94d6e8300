//! Which kind of file this is, told by its shape alone (the keys ECS's inputs and outputs use).

use serde_json::Value;

use super::assemble::Parts;
use super::read::{field, Ctx};
use super::report::Report;
use super::service::Source;
use super::{capacity, service, taskdef, template, ImportError};

fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    base.split('.').next().unwrap_or(base).to_string()
}

pub fn read_file(
    file: &str,
    v: &Value,
    report: &mut Report,
    parts: &mut Parts,
) -> Result<(), ImportError> {
    let Value::Object(o) = v else {
        return Err(ImportError::new(
            file,
            "",
            "expected a JSON or YAML object at the top",
        ));
    };
    if o.contains_key("Resources") || o.contains_key("AWSTemplateFormatVersion") {
        return template::read(file, o, report, parts);
    }
    let mut ctx = Ctx {
        file,
        template: None,
        report,
    };
    let name = stem(file);
    if let Some(Value::Object(td)) = o.get("taskDefinition") {
        parts
            .task_defs
            .push(taskdef::read(&mut ctx, td, "taskDefinition", &name)?);
        ctx.ignore_rest(o, "", &["taskDefinition"], |_| {
            "not part of the task definition"
        });
    } else if o.contains_key("containerDefinitions") {
        parts.task_defs.push(taskdef::read(&mut ctx, o, "", &name)?);
    } else if let Some(list) = o.get("services") {
        let Value::Array(list) = list else {
            return Err(ctx.err("services", "expected a list of services"));
        };
        for (i, s) in list.iter().enumerate() {
            let p = format!("services[{i}]");
            let s = s
                .as_object()
                .ok_or_else(|| ctx.err(&p, "expected a service object"))?;
            parts.services.push(service::read(
                &mut ctx,
                s,
                &p,
                &format!("{name}-{i}"),
                Source::Output,
            )?);
        }
        ctx.ignore_rest(o, "", &["services"], |_| "not part of a service");
    } else if let Some(Value::Object(s)) = o.get("service") {
        parts.services.push(service::read(
            &mut ctx,
            s,
            "service",
            &name,
            Source::Output,
        )?);
        ctx.ignore_rest(o, "", &["service"], |_| "not part of a service");
    } else if field(o, "managedInstancesProvider").is_some()
        || field(o, "autoScalingGroupProvider").is_some()
    {
        if let Some(cp) = capacity::read(&mut ctx, o, "", &name)? {
            parts.capacity.push(cp);
        }
    } else if let Some(Value::Object(cp)) = o.get("capacityProvider") {
        if let Some(cp) = capacity::read(&mut ctx, cp, "capacityProvider", &name)? {
            parts.capacity.push(cp);
        }
    } else if o.contains_key("serviceName")
        || o.contains_key("desiredCount")
        || o.contains_key("taskDefinition")
    {
        parts
            .services
            .push(service::read(&mut ctx, o, "", &name, Source::Create)?);
    } else {
        return Err(ctx.err(
            "",
            "not a task definition (containerDefinitions), service (serviceName, services, service), capacity provider (managedInstancesProvider) or CloudFormation template (Resources)",
        ));
    }
    Ok(())
}
