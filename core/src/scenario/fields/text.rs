//! The table as plain text (`fleetsim fields`): what a scenario file and the commands accept.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::{scenario_fields, FieldSpec, COMMANDS};

/// Per field: its path (and the sibling value it depends on), then its range with the unit,
/// default and basis, then its help.
pub fn table() -> String {
    let mut out = String::from("Scenario fields ([] is any index):\n");
    for s in scenario_fields() {
        row(&mut out, s);
    }
    out.push_str(
        "\nCommand numbers (SetDesiredCount takes services[].desiredCount's range, \
         StartDeployment's configuration the deploymentConfiguration fields'):\n",
    );
    for s in COMMANDS {
        row(&mut out, s);
    }
    out
}

fn row(out: &mut String, s: &FieldSpec) {
    let when = match s.when {
        Some((sibling, values)) => format!(" (when {sibling} is {})", values.join(" or ")),
        None => String::new(),
    };
    let default = match s.default {
        Some(d) => format!("default {}", s.value_text(d.into())),
        None => String::from("no default"),
    };
    let _ = writeln!(
        out,
        "  {}{when}\n      {}; {default}; {}\n      {}",
        s.path,
        s.range_text(),
        s.basis.describe(),
        s.help
    );
}
