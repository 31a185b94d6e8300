//! Validation: every problem at once, each naming its JSON path, the value and the allowed range.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};

use super::*;
use crate::query::Expression;

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
    /// A percentage held in tenths (`stepPercent`, `canaryPercent`) must lie in `lo..=hi`; the
    /// message speaks in percent, the unit the JSON and the editor use.
    pub fn percent(&mut self, path: impl Into<String>, value: Tenths, lo: Tenths, hi: Tenths) {
        if value < lo || value > hi {
            self.err(path, format!("{value} %, must be {lo}–{hi} %"));
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

pub(crate) fn check_task(c: &mut Checker, path: &str, t: &TaskSpec) {
    let size = t.size();
    // EC2-hosted tasks may use 0.25–192 vCPU ("Task definition parameters for Managed Instances").
    // The JSON counts CPU units, so the message does too.
    if size.cpu < 256 || size.cpu > 192 * 1024 {
        c.err(
            format!("{path}.cpu"),
            format!("{} CPU units, must be 256–196608 (0.25–192 vCPU)", size.cpu),
        );
    }
    c.range(
        format!("{path}.memory"),
        u64::from(size.memory),
        6,
        1_572_864,
        " MiB",
    );
    c.range(
        format!("{path}.stopTimeoutSeconds"),
        u64::from(t.stop_timeout_seconds),
        1,
        120,
        " s",
    );
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

        let cp = &self.capacity_provider;
        if let Some(s) = cp.scale_in_after {
            if s != -1 && !(0..=3600).contains(&s) {
                c.err(
                    "capacityProvider.scaleInAfter",
                    format!("{s} s, must be -1 (off) or 0–3600 s"),
                );
            }
        }
        c.range(
            "capacityProvider.maxInstances",
            u64::from(cp.max_instances),
            1,
            u64::from(MAX_HOSTS),
            " instances",
        );
        let req = &cp.instance_requirements;
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
        let catalog = self.catalog();
        if let Some(cat) = &self.catalog {
            for (i, t) in cat.iter().enumerate() {
                c.name(format!("catalog[{i}].name"), &t.name);
                c.range(format!("catalog[{i}].vcpu"), u64::from(t.vcpu), 1, 896, "");
                c.range(
                    format!("catalog[{i}].memoryMiB"),
                    u64::from(t.memory_mib),
                    512,
                    32 << 20,
                    " MiB",
                );
                c.range(
                    format!("catalog[{i}].maxEnis"),
                    u64::from(t.max_enis),
                    1,
                    1000,
                    "",
                );
                c.range(
                    format!("catalog[{i}].trunkEnis"),
                    u64::from(t.trunk_enis),
                    0,
                    1000,
                    "",
                );
                c.range(
                    format!("catalog[{i}].pricePerHour"),
                    t.price_per_hour.0,
                    1,
                    MAX_PRICE_PER_HOUR,
                    " µ$/h",
                );
                if let Some(fee) = t.fee_per_hour {
                    c.range(
                        format!("catalog[{i}].feePerHour"),
                        fee.0,
                        0,
                        MAX_PRICE_PER_HOUR,
                        " µ$/h",
                    );
                }
            }
        }
        if c.count() == before_types && !catalog.iter().any(|t| req.check(t).is_ok()) {
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
            c.range(
                format!("{p}.desiredCount"),
                u64::from(s.desired_count),
                0,
                5_000,
                " tasks",
            );
            check_task(&mut c, &format!("{p}.task"), &s.task);
            check_constraints(
                &mut c,
                &format!("{p}.placementConstraints"),
                &s.placement_constraints,
                azs,
            );
            let mut peak = u64::from(s.desired_count);
            if let Some(a) = &s.auto_scaling {
                let ap = format!("{p}.autoScaling");
                c.range(
                    format!("{ap}.targetCpuPercent"),
                    u64::from(a.target_cpu_percent),
                    10,
                    95,
                    " %",
                );
                c.range(
                    format!("{ap}.maxTasks"),
                    u64::from(a.max_tasks),
                    1,
                    5_000,
                    " tasks",
                );
                if a.min_tasks > a.max_tasks {
                    c.err(
                        format!("{ap}.minTasks"),
                        format!("{} is above maxTasks {}", a.min_tasks, a.max_tasks),
                    );
                }
                c.range(
                    format!("{ap}.scaleOutCooldownSeconds"),
                    u64::from(a.scale_out_cooldown_seconds),
                    0,
                    3_600,
                    " s",
                );
                c.range(
                    format!("{ap}.scaleInCooldownSeconds"),
                    u64::from(a.scale_in_cooldown_seconds),
                    0,
                    3_600,
                    " s",
                );
                if s.load.is_none() {
                    c.err(
                        ap,
                        "auto scaling needs a load curve (services[].load) to track",
                    );
                }
                peak = peak.max(u64::from(a.max_tasks));
            }
            if let Some(l) = &s.load {
                let lp = format!("{p}.load");
                c.range(
                    format!("{lp}.peakRps"),
                    u64::from(l.peak_rps),
                    0,
                    10_000_000,
                    " rps",
                );
                if l.trough_rps > l.peak_rps {
                    c.err(
                        format!("{lp}.troughRps"),
                        format!("{} is above peakRps {}", l.trough_rps, l.peak_rps),
                    );
                }
                c.range(format!("{lp}.peakHour"), u64::from(l.peak_hour), 0, 23, "");
                c.range(
                    format!("{lp}.noisePercent"),
                    u64::from(l.noise_percent),
                    0,
                    50,
                    " %",
                );
                c.range(
                    format!("{lp}.rpsPerTaskAtFullCpu"),
                    u64::from(l.rps_per_task_at_full_cpu),
                    1,
                    1_000_000,
                    " rps",
                );
            }
            for (j, r) in s.revisions.iter().enumerate() {
                c.name(format!("{p}.revisions[{j}].name"), &r.name);
                c.range(
                    format!("{p}.revisions[{j}].errorRateBp"),
                    u64::from(r.error_rate_bp),
                    0,
                    10_000,
                    " bp",
                );
                c.range(
                    format!("{p}.revisions[{j}].p99LatencyMs"),
                    u64::from(r.p99_latency_ms),
                    0,
                    u64::from(MAX_LATENCY_MS),
                    " ms",
                );
                if let Some(n) = r.unhealthy_after_seconds {
                    c.range(
                        format!("{p}.revisions[{j}].unhealthyAfterSeconds"),
                        u64::from(n),
                        0,
                        86_400,
                        " s",
                    );
                }
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
            c.range(format!("{p}.count"), u64::from(s.count), 0, 5_000, " tasks");
            check_task(&mut c, &format!("{p}.task"), &s.task);
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

        let t = &self.timing;
        c.range(
            "timing.instanceLaunchSeconds",
            u64::from(t.instance_launch_seconds),
            1,
            3_600,
            " s",
        );
        c.range(
            "timing.imagePullSeconds",
            u64::from(t.image_pull_seconds),
            0,
            3_600,
            " s",
        );
        c.range(
            "timing.cachedStartSeconds",
            u64::from(t.cached_start_seconds),
            0,
            600,
            " s",
        );
        // The ELB target-group ranges; the grace period capped at a day like other waits.
        c.range(
            "timing.healthCheckIntervalSeconds",
            u64::from(t.health_check_interval_seconds),
            5,
            300,
            " s",
        );
        c.range(
            "timing.healthyThresholdCount",
            u64::from(t.healthy_threshold_count),
            2,
            10,
            "",
        );
        c.range(
            "timing.unhealthyThresholdCount",
            u64::from(t.unhealthy_threshold_count),
            2,
            10,
            "",
        );
        c.range(
            "timing.healthCheckGracePeriodSeconds",
            u64::from(t.health_check_grace_period_seconds),
            0,
            86_400,
            " s",
        );
        if let Some(g) = t.legacy_health_grace_seconds {
            c.range("timing.healthGraceSeconds", u64::from(g), 0, 3_600, " s");
        }
        c.range(
            "timing.deregistrationDelaySeconds",
            u64::from(t.deregistration_delay_seconds),
            0,
            3_600,
            " s",
        );
        c.range(
            "timing.shutdownSeconds",
            u64::from(t.shutdown_seconds),
            0,
            120,
            " s",
        );
        c.range(
            "timing.metricsIntervalSeconds",
            u64::from(t.metrics_interval_seconds),
            10,
            3_600,
            " s",
        );

        check_patching(&mut c, &self.patching);
        let f = &self.faults;
        for (name, v) in [
            (
                "hardwareDegradationPpmPerHostDay",
                f.hardware_degradation_ppm_per_host_day,
            ),
            (
                "maintenanceEventPpmPerHostDay",
                f.maintenance_event_ppm_per_host_day,
            ),
            (
                "spotInterruptionPpmPerHostDay",
                f.spot_interruption_ppm_per_host_day,
            ),
        ] {
            c.range(format!("faults.{name}"), u64::from(v), 0, 1_000_000, " ppm");
        }
        c.range(
            "faults.maintenanceEventDeadlineHours",
            u64::from(f.maintenance_event_deadline_hours),
            1,
            336,
            " h",
        );
        c.range(
            "faults.degradedHostDeadlineHours",
            u64::from(f.degraded_host_deadline_hours),
            1,
            168,
            " h",
        );
        c.range(
            "capacityProvider.underutilizedBelowPercent",
            u64::from(cp.underutilized_below_percent),
            0,
            100,
            " %",
        );

        c.finish()
    }
}

fn check_patching(c: &mut Checker, p: &Patching) {
    c.range(
        "patching.imageReleaseIntervalDays",
        u64::from(p.image_release_interval_days),
        1,
        60,
        " days",
    );
    let ws = &p.maintenance_windows;
    let mut total = 0u64;
    for (i, w) in ws.iter().enumerate() {
        let path = format!("patching.maintenanceWindows[{i}]");
        c.range(
            format!("{path}.startHour"),
            u64::from(w.start_hour),
            0,
            23,
            "",
        );
        // EC2 event windows: each time range at least 2 h (and at most a week).
        c.range(
            format!("{path}.durationHours"),
            u64::from(w.duration_hours),
            2,
            168,
            " h",
        );
        total += u64::from(w.duration_hours);
    }
    if !ws.is_empty() && total < 4 {
        c.err(
            "patching.maintenanceWindows",
            format!("{total} h in all, EC2 event windows need at least 4 h per week"),
        );
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
            start_day: Weekday::Sat,
            start_hour: 2,
            duration_hours: 1,
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
