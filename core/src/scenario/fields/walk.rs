//! Checks the table's ranges against a scenario's JSON: each spec's path is followed through
//! the document (every element of a `[]` list; a field left out, or `null`, is not set and
//! has nothing to check), so the path in an error is the one the JSON spells.

use alloc::format;
use alloc::string::String;
use serde_json::Value;

use super::{FieldSpec, Read, Unit};
use crate::scenario::validate::Checker;

/// Checks every spec in `specs` whose path starts with `prefix` (a pattern such as
/// `services[].deploymentConfiguration`, or empty for the whole document) against `value`,
/// the JSON found there; errors name paths under `at`, the concrete spelling of `prefix`.
pub(crate) fn check_under<'a>(
    c: &mut Checker,
    specs: impl Iterator<Item = &'a FieldSpec>,
    prefix: &str,
    value: &Value,
    at: &str,
) {
    for spec in specs.filter(|s| s.read == Read::Json) {
        let rest = if prefix.is_empty() {
            Some(spec.path)
        } else {
            spec.path
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('.'))
        };
        if let Some(rest) = rest {
            walk(c, spec, rest, value, at);
        }
    }
}

fn walk(c: &mut Checker, spec: &FieldSpec, rest: &str, value: &Value, at: &str) {
    let (part, next) = rest.split_once('.').unwrap_or((rest, ""));
    let (key, list) = match part.strip_suffix("[]") {
        Some(key) => (key, true),
        None => (part, false),
    };
    let Some(child) = value.get(key) else {
        return;
    };
    let path = if at.is_empty() {
        String::from(key)
    } else {
        format!("{at}.{key}")
    };
    if list {
        // Every list in the table holds objects; its field is further along the path.
        for (i, item) in child.as_array().into_iter().flatten().enumerate() {
            walk(c, spec, next, item, &format!("{path}[{i}]"));
        }
    } else if next.is_empty() {
        leaf(c, spec, value, child, path);
    } else {
        walk(c, spec, next, child, &path);
    }
}

/// `parent` holds the field, for the sibling a `when` names.
fn leaf(c: &mut Checker, spec: &FieldSpec, parent: &Value, v: &Value, path: String) {
    if let Some((sibling, values)) = spec.when {
        let kind = parent.get(sibling).and_then(Value::as_str).unwrap_or("");
        if !values.contains(&kind) {
            return;
        }
    }
    if let Some(n) = number(spec.unit, v) {
        spec.check(c, path, n);
    }
}

/// The value in the spec's own unit: a decimal percentage becomes tenths.
fn number(unit: Unit, v: &Value) -> Option<i128> {
    if unit == Unit::PercentTenths {
        // The reader accepts only multiples of 0.1 from 0, so rounding loses nothing.
        return v.as_f64().map(|p| (p * 10.0 + 0.5) as i128);
    }
    v.as_u64()
        .map(i128::from)
        .or_else(|| v.as_i64().map(i128::from))
}
