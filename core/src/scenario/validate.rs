//! Validation: every problem at once, each naming its JSON path, the value and the allowed range.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};

use super::fields::{self, FieldSpec};
use super::*;
use crate::query::Expression;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ValidationError {
    /// JSON path, e.g. `services[1].task.cpu`; empty for the document as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn single(path: &str, message: String) -> Self {
        ValidationErrors(alloc::vec![ValidationError {
            path: path.to_string(),
            message,
        }])
    }
    /// Every problem found, including those only counted past `MAX_REPORTED_ERRORS`.
    pub fn total(&self) -> u64 {
        let more = self.0.last().and_then(|e| {
            let rest = e.message.strip_prefix(MORE_PREFIX)?;
            rest.strip_suffix(MORE_SUFFIX)?.parse::<u64>().ok()
        });
        match more {
            Some(n) => self.0.len() as u64 - 1 + n,
            None => self.0.len() as u64,
        }
    }
    /// Errors for one field (the editor shows them next to it).
    pub fn for_path<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a ValidationError> + 'a {
        self.0.iter().filter(move |e| e.path == path)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ValidationErrors {}

/// The closing line of a cut-short answer: "… and 51 more problems".
const MORE_PREFIX: &str = "… and ";
const MORE_SUFFIX: &str = " more problems";

/// Collects problems while walking the scenario: the first `MAX_REPORTED_ERRORS` in full, the
/// rest only counted, so a scenario with a million mistakes gets a short answer.
#[derive(Default)]
pub struct Checker {
    pub errors: Vec<ValidationError>,
    /// Problems found after the first `MAX_REPORTED_ERRORS`.
    pub more: u64,
}

impl Checker {
    pub fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        if self.errors.len() >= MAX_REPORTED_ERRORS {
            self.more += 1;
            return;
        }
        self.errors.push(ValidationError {
            path: path.into(),
            message: clip(message.into(), MAX_ERROR_CHARS),
        });
    }
    /// Every problem found so far, reported or only counted.
    pub fn count(&self) -> u64 {
        self.errors.len() as u64 + self.more
    }
    pub fn finish(mut self) -> Result<(), ValidationErrors> {
        if self.more > 0 {
            self.errors.push(ValidationError {
                path: String::new(),
                message: format!("{MORE_PREFIX}{}{MORE_SUFFIX}", self.more),
            });
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
    /// `value` must lie in `lo..=hi`; the message shows the value and range with `unit`.
    pub fn range(&mut self, path: impl Into<String>, value: u64, lo: u64, hi: u64, unit: &str) {
        if value < lo || value > hi {
            self.err(path, format!("{value}{unit}, must be {lo}–{hi}{unit}"));
        }
    }
    pub fn name(&mut self, path: String, name: &str) {
        if name.trim().is_empty() {
            self.err(path, "must not be empty");
        } else if name.chars().count() as u32 > MAX_NAME_CHARS {
            self.err(
                path,
                format!(
                    "{} characters, at most {MAX_NAME_CHARS}",
                    name.chars().count()
                ),
            );
        }
    }
}

/// At most `max` characters of `text`, with "…" when it was cut (input quoted in a message can
/// be as long as the whole scenario).
pub fn clip(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A name quoted in a message, clipped to the longest valid name.
fn quoted(name: &str) -> String {
    clip(format!("\"{name}"), MAX_NAME_CHARS as usize + 1) + "\""
}

/// A task's size, which comes from its containers when the task names none, against the
/// table's bounds; `task` is e.g. `services[0].task`.
fn check_task_size(c: &mut Checker, task: &str, t: &TaskSpec, cpu: &FieldSpec, memory: &FieldSpec) {
    let size = t.size();
    cpu.check(c, format!("{task}.cpu"), size.cpu.into());
    memory.check(c, format!("{task}.memory"), size.memory.into());
}

fn check_constraints(c: &mut Checker, path: &str, cs: &[PlacementConstraint], azs: &[String]) {
    for (i, pc) in cs.iter().enumerate() {
        if let PlacementConstraint::MemberOf { expression } = pc {
            let p = format!("{path}[{i}].expression");
            if expression.len() as u32 > MAX_EXPRESSION_CHARS {
                c.err(
                    p,
                    format!(
                        "{} characters, at most {MAX_EXPRESSION_CHARS}",
                        expression.len()
                    ),
                );
                continue;
            }
            match Expression::parse(expression) {
                Err(e) => c.err(p, e),
                Ok(expr) => {
                    for zone in expr.zone_literals() {
                        if !azs.contains(&zone) {
                            c.err(
                                p.clone(),
                                format!("zone \"{zone}\" is not one of the scenario's availability zones"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The table's ranges for one item of a list (`services[3]`), whose JSON is `item`.
fn item_ranges(c: &mut Checker, specs: &[FieldSpec], list: &str, item: &Value, at: &str) {
    fields::check_under(c, specs.iter(), &format!("{list}[]"), item, at);
}

impl Scenario {
    /// The range validation gives the value at `path` ("0–5000 tasks"), when that value is
    /// out of it.
    pub fn range_at(&self, path: &str) -> Option<String> {
        let errors = self.validate().err()?;
        let e = errors.for_path(path).next()?;
        e.message
            .split_once(", must be ")
            .map(|(_, r)| r.to_string())
    }

    /// Every problem at once; `Ok` means `Sim::new` will accept the scenario.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        if super::lists::check_list_lengths(&mut c, self) {
            return c.finish();
        }
        if self.version == 0 || self.version > FORMAT_VERSION {
            c.err(
                "version",
                format!(
                    "format {} is not readable by this fleetsim, which reads format 1–{FORMAT_VERSION}",
                    self.version
                ),
            );
        }
        if self.name.chars().count() as u32 > MAX_NAME_CHARS * 2 {
            c.err("name", format!("at most {} characters", MAX_NAME_CHARS * 2));
        }
        if self.description.chars().count() as u32 > MAX_DESCRIPTION_CHARS {
            c.err(
                "description",
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            );
        }
        let azs = &self.availability_zones;
        let mut seen = BTreeSet::new();
        for (i, z) in azs.iter().enumerate() {
            c.name(format!("availabilityZones[{i}]"), z);
            if !seen.insert(z.as_str()) {
                c.err(
                    format!("availabilityZones[{i}]"),
                    format!("{} is listed twice", quoted(z)),
                );
            }
        }

        // The ranges are checked on the scenario as its JSON spells it, so each error's path
        // is the file's; reading it back from the compact text costs no second serializer.
        let json: Value = serde_json::from_str(&self.to_json()).unwrap_or(Value::Null);
        fields::check_under(&mut c, fields::CAPACITY.iter(), "", &json, "");
        let req = &self.capacity_provider.instance_requirements;
        if req.v_cpu_count.max.is_some_and(|m| m < req.v_cpu_count.min) {
            c.err(
                "capacityProvider.instanceRequirements.vCpuCount",
                "max is below min",
            );
        }
        if req.memory_mib.max.is_some_and(|m| m < req.memory_mib.min) {
            c.err(
                "capacityProvider.instanceRequirements.memoryMiB",
                "max is below min",
            );
        }
        // Matching patterns against type names costs their lengths multiplied, so it waits
        // until both are known to be short.
        let before_types = c.count();
        for (name, patterns) in [
            ("allowedInstanceTypes", &req.allowed_instance_types),
            ("excludedInstanceTypes", &req.excluded_instance_types),
        ] {
            for (i, pattern) in patterns.iter().enumerate() {
                let n = pattern.chars().count() as u64;
                c.range(
                    format!("capacityProvider.instanceRequirements.{name}[{i}]"),
                    n,
                    1,
                    u64::from(MAX_TYPE_PATTERN_CHARS),
                    " characters",
                );
            }
        }
        if !req.allowed_instance_types.is_empty() && !req.excluded_instance_types.is_empty() {
            c.err(
                "capacityProvider.instanceRequirements",
                "use allowedInstanceTypes or excludedInstanceTypes, not both",
            );
        }
        for (i, t) in self.catalog.iter().flatten().enumerate() {
            let p = format!("catalog[{i}]");
            c.name(format!("{p}.name"), &t.name);
            item_ranges(&mut c, fields::CATALOG, "catalog", &json["catalog"][i], &p);
        }
        if c.count() == before_types && !self.catalog().iter().any(|t| req.check(t).is_ok()) {
            c.err(
                "capacityProvider.instanceRequirements",
                "no instance type in the catalog satisfies these requirements",
            );
        }

        let mut task_total: u64 = 0;
        let mut names = BTreeSet::new();
        for (i, s) in self.services.iter().enumerate() {
            let p = format!("services[{i}]");
            c.name(format!("{p}.name"), &s.name);
            if !names.insert(s.name.as_str()) {
                c.err(
                    format!("{p}.name"),
                    format!("{} is used by another service", quoted(&s.name)),
                );
            }
            item_ranges(
                &mut c,
                fields::SERVICES,
                "services",
                &json["services"][i],
                &p,
            );
            check_task_size(
                &mut c,
                &format!("{p}.task"),
                &s.task,
                &fields::SERVICE_TASK_CPU,
                &fields::SERVICE_TASK_MEMORY,
            );
            check_constraints(
                &mut c,
                &format!("{p}.placementConstraints"),
                &s.placement_constraints,
                azs,
            );
            let mut peak = u64::from(s.desired_count);
            if let Some(a) = &s.auto_scaling {
                let ap = format!("{p}.autoScaling");
                if a.min_tasks > a.max_tasks {
                    c.err(
                        format!("{ap}.minTasks"),
                        format!("{} is above maxTasks {}", a.min_tasks, a.max_tasks),
                    );
                }
                if s.load.is_none() {
                    c.err(
                        ap,
                        "auto scaling needs a load curve (services[].load) to track",
                    );
                }
                peak = peak.max(u64::from(a.max_tasks));
            }
            if let Some(l) = s.load.as_ref().filter(|l| l.trough_rps > l.peak_rps) {
                c.err(
                    format!("{p}.load.troughRps"),
                    format!("{} is above peakRps {}", l.trough_rps, l.peak_rps),
                );
            }
            for (j, r) in s.revisions.iter().enumerate() {
                c.name(format!("{p}.revisions[{j}].name"), &r.name);
            }
            super::deployment_checks::check_deployment_configuration(
                &mut c,
                &format!("{p}.deploymentConfiguration"),
                &s.deployment_configuration,
            );
            task_total += peak;
        }
        for (i, s) in self.standalone_tasks.iter().enumerate() {
            let p = format!("standaloneTasks[{i}]");
            c.name(format!("{p}.group"), &s.group);
            let item = &json["standaloneTasks"][i];
            item_ranges(&mut c, fields::STANDALONE, "standaloneTasks", item, &p);
            check_task_size(
                &mut c,
                &format!("{p}.task"),
                &s.task,
                &fields::STANDALONE_TASK_CPU,
                &fields::STANDALONE_TASK_MEMORY,
            );
            check_constraints(
                &mut c,
                &format!("{p}.placementConstraints"),
                &s.placement_constraints,
                azs,
            );
            task_total += u64::from(s.count);
        }
        if task_total > u64::from(MAX_TASKS) {
            c.err(
                "services",
                format!("{task_total} tasks at peak in all, the limit is {MAX_TASKS}"),
            );
        }

        for section in [fields::TIMING, fields::PATCHING, fields::FAULTS] {
            fields::check_under(&mut c, section.iter(), "", &json, "");
        }
        let ws = &self.patching.maintenance_windows;
        let total: u64 = ws.iter().map(|w| u64::from(w.duration_hours)).sum();
        if !ws.is_empty() && total < 4 {
            c.err(
                "patching.maintenanceWindows",
                format!("{total} h in all, EC2 event windows need at least 4 h per week"),
            );
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_cpu_names_path_value_and_range() {
        let mut s = Scenario::default_cluster();
        s.services[1].task.cpu = Some(0);
        s.services[1].task.containers.clear();
        let e = s.validate().unwrap_err();
        let texts: Vec<String> = e.0.iter().map(|e| e.to_string()).collect();
        assert!(
            texts.contains(&String::from(
                "services[1].task.cpu: 0 CPU units, must be 256–196608 (0.25–192 vCPU)"
            )),
            "{texts:?}"
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut s = Scenario::default_cluster();
        s.availability_zones.clear();
        s.capacity_provider.scale_in_after = Some(5000);
        s.services[0].desired_count = 9999;
        let e = s.validate().unwrap_err();
        let paths: Vec<&str> = e.0.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"availabilityZones"));
        assert!(paths.contains(&"capacityProvider.scaleInAfter"));
        assert!(paths.contains(&"services[0].desiredCount"));
    }

    #[test]
    fn windows_follow_ec2_event_window_rules() {
        let mut s = Scenario::default();
        s.patching.maintenance_windows = alloc::vec![MaintenanceWindow {
            duration_hours: 1,
            ..MaintenanceWindow::suggested()
        }];
        let e = s.validate().unwrap_err();
        let paths: Vec<&str> = e.0.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"patching.maintenanceWindows[0].durationHours"));
        assert!(paths.contains(&"patching.maintenanceWindows"));
    }

    #[test]
    fn too_many_tasks_is_refused_before_any_work() {
        let s = Scenario {
            services: (0..5)
                .map(|i| ServiceSpec::sized(&format!("s{i}"), 5_000, 256, 512))
                .collect(),
            ..Scenario::default()
        };
        let e = s.validate().unwrap_err();
        assert!(e.to_string().contains("the limit is 20000"), "{e}");
    }
}
