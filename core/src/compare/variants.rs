//! The two variants a comparison runs: the base scenario with exactly one setting changed, so
//! any difference in the table is that setting's doing (the seed, services and command script
//! stay the same).

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::CompareError;
use crate::command::{Command, Timed};
use crate::scenario::{PatchMode, Scenario, Strategy};
use crate::share::Shared;
use crate::time::SimTime;

/// When an added deployment starts: after the opening placement has settled (the presets use
/// the same moment).
pub const DEPLOY_AT: SimTime = SimTime::from_mins(10);

/// The comparisons the page offers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pair {
    CanaryVsBlueGreen,
    ConsolidationOnVsOff,
    DocumentedVsTalkPatch,
}

impl Pair {
    pub const ALL: [Pair; 3] = [
        Pair::CanaryVsBlueGreen,
        Pair::ConsolidationOnVsOff,
        Pair::DocumentedVsTalkPatch,
    ];

    /// Stable id for URLs and test selectors.
    pub fn id(self) -> &'static str {
        match self {
            Pair::CanaryVsBlueGreen => "canary-vs-blue-green",
            Pair::ConsolidationOnVsOff => "consolidation",
            Pair::DocumentedVsTalkPatch => "patch-cycle",
        }
    }
    pub fn from_id(id: &str) -> Option<Pair> {
        Pair::ALL.into_iter().find(|p| p.id() == id)
    }
    pub fn title(self) -> &'static str {
        match self {
            Pair::CanaryVsBlueGreen => "Canary vs blue/green",
            Pair::ConsolidationOnVsOff => "Idle-host consolidation on vs off",
            Pair::DocumentedVsTalkPatch => "Documented vs talk patch cycle",
        }
    }
    pub fn labels(self) -> [&'static str; 2] {
        match self {
            Pair::CanaryVsBlueGreen => ["canary", "blue/green"],
            Pair::ConsolidationOnVsOff => ["consolidation on", "consolidation off"],
            Pair::DocumentedVsTalkPatch => ["documented 14/21 days", "talk's 30 days"],
        }
    }
    /// How far to run for the difference to show (a deployment; a night; a patch cycle).
    pub fn suggested_until(self) -> SimTime {
        match self {
            Pair::CanaryVsBlueGreen => SimTime::from_hours(2),
            Pair::ConsolidationOnVsOff => SimTime::from_days(2),
            Pair::DocumentedVsTalkPatch => SimTime::from_days(35),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub label: String,
    pub scenario: Scenario,
    pub script: Vec<Timed>,
}

/// The service a deployment comparison deploys: the first one the script deploys, else the
/// first with a revision to roll to.
fn deployed_service(base: &Shared) -> Option<usize> {
    let scripted = base.script.iter().find_map(|t| match &t.command {
        Command::StartDeployment { service, .. } => Some(service.as_str()),
        _ => None,
    });
    match scripted {
        Some(name) => base.scenario.services.iter().position(|s| s.name == name),
        None => base
            .scenario
            .services
            .iter()
            .position(|s| !s.revisions.is_empty()),
    }
}

fn with_strategy(base: &Shared, strategy: Strategy, label: &str) -> Result<Variant, CompareError> {
    let i = deployed_service(base).ok_or(CompareError::NoRevisionToDeploy)?;
    let mut scenario = base.scenario.clone();
    for s in &mut scenario.services {
        s.deployment_configuration.strategy = strategy;
    }
    let mut script = base.script.clone();
    for t in &mut script {
        if let Command::StartDeployment {
            configuration: Some(c),
            ..
        } = &mut t.command
        {
            c.strategy = strategy;
        }
    }
    if !script
        .iter()
        .any(|t| matches!(t.command, Command::StartDeployment { .. }))
    {
        // The revision most likely to show a difference: the one with the most errors (a
        // canary limits how many users a faulty release reaches; blue/green does not).
        let spec = &scenario.services[i];
        let revision = spec
            .revisions
            .iter()
            .rev()
            .max_by_key(|r| (r.error_rate_bp, r.fails_to_start))
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let command = Command::StartDeployment {
            service: spec.name.clone(),
            revision,
            configuration: None,
        };
        let at = script
            .iter()
            .position(|t| t.at > DEPLOY_AT)
            .unwrap_or(script.len());
        script.insert(
            at,
            Timed {
                at: DEPLOY_AT,
                command,
            },
        );
    }
    Ok(Variant {
        label: String::from(label),
        scenario,
        script,
    })
}

fn with_scenario(base: &Shared, label: &str, change: impl FnOnce(&mut Scenario)) -> Variant {
    let mut scenario = base.scenario.clone();
    change(&mut scenario);
    Variant {
        label: String::from(label),
        scenario,
        script: base.script.clone(),
    }
}

/// The two variants of `base` that `pair` compares. The base's own setting does not matter:
/// both sides are set explicitly.
pub fn variants(pair: Pair, base: &Shared) -> Result<[Variant; 2], CompareError> {
    let [a, b] = pair.labels();
    Ok(match pair {
        Pair::CanaryVsBlueGreen => [
            with_strategy(base, Strategy::Canary, a)?,
            with_strategy(base, Strategy::BlueGreen, b)?,
        ],
        Pair::ConsolidationOnVsOff => [
            with_scenario(base, a, |s| {
                if s.capacity_provider.scale_in_after == Some(-1) {
                    s.capacity_provider.scale_in_after = None;
                }
                s.capacity_provider.downsizing = true;
            }),
            with_scenario(base, b, |s| {
                s.capacity_provider.scale_in_after = Some(-1);
                s.capacity_provider.downsizing = false;
            }),
        ],
        Pair::DocumentedVsTalkPatch => [
            with_scenario(base, a, |s| s.patching.mode = PatchMode::Documented),
            with_scenario(base, b, |s| s.patching.mode = PatchMode::Talk),
        ],
    })
}
