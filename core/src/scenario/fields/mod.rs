//! One table of the scenario's numeric fields and the commands' numbers: each field's JSON
//! path, unit, range, default, one line of help and whose number it is. Validation checks the
//! ranges by walking the scenario's JSON against this table (`walk.rs`), commands take their
//! limits from it, and the page builds its editor hints and its deployment form from it, so a
//! range is written once.
//!
//! Rules between fields (a task's memory against its CPU, `minTasks` ≤ `maxTasks`) stay code
//! in `validate.rs`; they read their bounds from here where they have any.

mod cluster;
mod commands;
mod deployment;
mod services;
mod text;
mod walk;

pub use cluster::*;
pub use commands::*;
pub use deployment::*;
pub use services::*;
pub use text::table;
pub(crate) use walk::check_under;

use alloc::format;
use alloc::string::String;

use super::provenance::Source;
use super::validate::Checker;
use super::Tenths;

/// How a field's number is written in the JSON, and so in messages.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Milliseconds,
    MiB,
    /// 1,024 CPU units are one vCPU; messages give the range in vCPU too.
    CpuUnits,
    Vcpu,
    Enis,
    Percent,
    /// A percentage in steps of 0.1, held in tenths (`Tenths`); the JSON writes `12.5`.
    PercentTenths,
    /// Basis points: 100 bp = 1 %.
    BasisPoints,
    RequestsPerSecond,
    /// Events per million hosts per day.
    PartsPerMillion,
    /// Micro-dollars per hour.
    MicrosPerHour,
    Tasks,
    Instances,
    /// An hour of the day, 0–23 UTC.
    HourOfDay,
    /// A plain count (health checks, evaluation periods).
    Count,
}

impl Unit {
    /// What follows a number in a message: "30 s", "5000 tasks", "11".
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Seconds => " s",
            Unit::Minutes => " min",
            Unit::Hours => " h",
            Unit::Days => " days",
            Unit::Milliseconds => " ms",
            Unit::MiB => " MiB",
            Unit::CpuUnits => " CPU units",
            Unit::Vcpu => " vCPU",
            Unit::Enis => " ENIs",
            Unit::Percent | Unit::PercentTenths => " %",
            Unit::BasisPoints => " bp",
            Unit::RequestsPerSecond => " rps",
            Unit::PartsPerMillion => " ppm",
            Unit::MicrosPerHour => " µ$/h",
            Unit::Tasks => " tasks",
            Unit::Instances => " instances",
            Unit::HourOfDay | Unit::Count => "",
        }
    }

    /// The unit on its own, for a form label or the CLI's table: "s", "CPU units", "count".
    pub fn name(self) -> &'static str {
        match self {
            Unit::HourOfDay => "hour (UTC)",
            Unit::Count => "count",
            u => u.suffix().trim_start(),
        }
    }

    /// A number of this unit as the JSON writes it (tenths as a decimal percentage).
    fn number(self, v: i128) -> String {
        match (self, u32::try_from(v)) {
            (Unit::PercentTenths, Ok(t)) => format!("{}", Tenths(t)),
            _ => format!("{v}"),
        }
    }
}

/// Whose numbers a field's range and default are.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// AWS's, from the documentation page or API shape named.
    Aws(&'static str),
    /// The talk's claim or our estimate; `scenario::provenance` says why and links the page.
    Labelled(Source),
    /// fleetsim's own setting, with no AWS counterpart: the range keeps a run inside what a
    /// browser tab can simulate, the default is illustrative.
    Fleetsim,
}

impl Basis {
    /// "AWS: Amazon ECS service quotas", "our estimate", "fleetsim's own setting".
    pub fn describe(self) -> String {
        match self {
            Basis::Aws(page) => format!("AWS: {page}"),
            Basis::Labelled(Source::Talk) => String::from("the talk's claim"),
            Basis::Labelled(Source::Estimate) => String::from("our estimate"),
            Basis::Fleetsim => String::from("fleetsim's own setting"),
        }
    }
}

/// How validation reads the value a spec bounds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// The number at the spec's path in the scenario's JSON.
    Json,
    /// A value computed from several fields (a task's size from its containers when it names
    /// none), so `validate.rs` checks it in code against this spec's range.
    Derived,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// JSON path with `[]` for any index: `services[].revisions[].errorRateBp`.
    pub path: &'static str,
    /// The spec holds only when this sibling field has one of these JSON values (a circuit
    /// breaker's `value` is a count or a percentage by its `type`).
    pub when: Option<(&'static str, &'static [&'static str])>,
    pub unit: Unit,
    pub min: u64,
    pub max: u64,
    /// −1 is also accepted, and turns the setting off.
    pub off: bool,
    /// What applies when the scenario does not say; `None` when the field has no single default
    /// (a catalog type's price) or leaving it out means "not set".
    pub default: Option<u64>,
    pub help: &'static str,
    pub basis: Basis,
    pub read: Read,
}

/// A field read from the JSON; the modifiers below add the rest.
pub(crate) const fn spec(
    path: &'static str,
    unit: Unit,
    (min, max): (u64, u64),
    default: Option<u64>,
    basis: Basis,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        path,
        when: None,
        unit,
        min,
        max,
        off: false,
        default,
        help,
        basis,
        read: Read::Json,
    }
}

impl FieldSpec {
    pub(crate) const fn when(
        mut self,
        sibling: &'static str,
        values: &'static [&'static str],
    ) -> Self {
        self.when = Some((sibling, values));
        self
    }
    pub(crate) const fn or_off(mut self) -> Self {
        self.off = true;
        self
    }
    pub(crate) const fn derived(mut self) -> Self {
        self.read = Read::Derived;
        self
    }

    /// The default as the `u32` most fields hold (0 when there is none; used in constants).
    pub const fn default_u32(&self) -> u32 {
        match self.default {
            Some(d) => d as u32,
            None => 0,
        }
    }

    /// "0–5000 tasks", "256–196608 (0.25–192 vCPU)", "-1 (off) or 0–3600 s".
    pub fn range_text(&self) -> String {
        let (lo, hi) = (i128::from(self.min), i128::from(self.max));
        let range = match self.unit {
            Unit::CpuUnits => format!("{lo}–{hi} ({}–{} vCPU)", vcpu(self.min), vcpu(self.max)),
            u => format!("{}–{}{}", u.number(lo), u.number(hi), u.suffix()),
        };
        if self.off {
            format!("-1 (off) or {range}")
        } else {
            range
        }
    }

    /// "30 s", "12.5 %", "1 task": a value of this field as messages show it.
    pub fn value_text(&self, v: i128) -> String {
        let suffix = self.unit.suffix();
        let counted = matches!(self.unit, Unit::Tasks | Unit::Instances | Unit::Days);
        let suffix = match suffix.strip_suffix('s') {
            Some(one) if counted && v == 1 => one,
            _ => suffix,
        };
        format!("{}{suffix}", self.unit.number(v))
    }

    pub fn accepts(&self, v: i128) -> bool {
        (self.off && v == -1) || (i128::from(self.min)..=i128::from(self.max)).contains(&v)
    }

    /// Reports `v` at `path` when it is outside the range: value, range and unit.
    pub(crate) fn check(&self, c: &mut Checker, path: impl Into<String>, v: i128) {
        if !self.accepts(v) {
            c.err(
                path,
                format!("{}, must be {}", self.value_text(v), self.range_text()),
            );
        }
    }

    /// Whether `concrete` (`services[2].desiredCount`) is a path of this spec.
    pub fn matches(&self, concrete: &str) -> bool {
        pattern_matches(self.path, concrete)
    }
}

/// "0.25" for 256 CPU units, "192" for 196,608.
fn vcpu(units: u64) -> String {
    let (whole, part) = (units / 1024, units % 1024);
    if part == 0 {
        format!("{whole}")
    } else {
        let hundredths = part * 100 / 1024;
        format!("{whole}.{hundredths:02}")
            .trim_end_matches('0')
            .into()
    }
}

/// `services[].task.cpu` against `services[12].task.cpu`: literal parts equal, `[]` any index.
fn pattern_matches(pattern: &str, concrete: &str) -> bool {
    let mut rest = concrete;
    for (i, literal) in pattern.split("[]").enumerate() {
        if i > 0 {
            let Some(inner) = rest.strip_prefix('[') else {
                return false;
            };
            let digits = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let Some(after) = inner[digits..].strip_prefix(']').filter(|_| digits > 0) else {
                return false;
            };
            rest = after;
        }
        let Some(after) = rest.strip_prefix(literal) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

/// Every scenario field in the table, section by section in the JSON's order.
pub fn scenario_fields() -> impl Iterator<Item = &'static FieldSpec> {
    [
        CAPACITY, CATALOG, SERVICES, DEPLOYMENT, STANDALONE, TIMING, PATCHING, FAULTS,
    ]
    .into_iter()
    .flatten()
}

/// The specs of the scenario field at `concrete` (two when its range depends on a sibling,
/// as a circuit breaker threshold's does on its `type`).
pub fn specs_at(concrete: &str) -> impl Iterator<Item = &'static FieldSpec> + '_ {
    scenario_fields().filter(move |s| s.matches(concrete))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_any_index_and_nothing_else() {
        let p = "services[].revisions[].errorRateBp";
        assert!(pattern_matches(p, "services[0].revisions[12].errorRateBp"));
        assert!(!pattern_matches(p, "services[].revisions[1].errorRateBp"));
        assert!(!pattern_matches(p, "services[x].revisions[1].errorRateBp"));
        assert!(!pattern_matches(p, "services[0].revisions[1].errorRateBpX"));
        assert!(pattern_matches(
            "timing.shutdownSeconds",
            "timing.shutdownSeconds"
        ));
        assert!(!pattern_matches(
            "timing.shutdownSeconds",
            "timing.shutdown"
        ));
    }

    #[test]
    fn ranges_read_in_the_json_s_units() {
        let cpu = spec(
            "t.cpu",
            Unit::CpuUnits,
            (256, 196_608),
            None,
            Basis::Fleetsim,
            "",
        );
        assert_eq!(cpu.range_text(), "256–196608 (0.25–192 vCPU)");
        let pct = spec(
            "t.p",
            Unit::PercentTenths,
            (1, 1000),
            None,
            Basis::Fleetsim,
            "",
        );
        assert_eq!(pct.range_text(), "0.1–100 %");
        assert_eq!(pct.value_text(25), "2.5 %");
        let s = spec("t.s", Unit::Seconds, (0, 3600), None, Basis::Fleetsim, "").or_off();
        assert_eq!(s.range_text(), "-1 (off) or 0–3600 s");
        assert!(s.accepts(-1) && s.accepts(0) && !s.accepts(-2) && !s.accepts(3601));
    }
}
