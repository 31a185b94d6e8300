//! Names ECS accepts: service names, task-definition families and container names are 1–255
//! letters, digits, hyphens and underscores. A scenario name may hold anything (the editor
//! allows spaces and quotes), so such a name is rewritten and the rewrite reported.

use alloc::string::String;
use alloc::vec::Vec;

use crate::scenario::Scenario;

pub fn valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn cleaned(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(240)
        .collect();
    if out.trim_matches('-').is_empty() {
        out = String::from("service");
    }
    out
}

/// One ECS name per service, unique, in the scenario's order.
pub fn service_names(s: &Scenario, notes: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, sv) in s.services.iter().enumerate() {
        let base = if valid(&sv.name) {
            sv.name.clone()
        } else {
            cleaned(&sv.name)
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.contains(&name) {
            name = alloc::format!("{base}-{n}");
            n += 1;
        }
        if name != sv.name {
            notes.push(alloc::format!(
                "services[{i}].name {:?} (ECS names are letters, digits, - and _; exported as {name:?})",
                sv.name
            ));
        }
        out.push(name);
    }
    out
}
