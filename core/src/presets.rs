//! Workshop presets: ready-made lessons, each a scenario with a lesson (steps that ask the room
//! questions the simulation answers), a link to the concept in the AWS documentation, and how
//! far it runs. They are data, `presets/*.json`, compiled in.
//!
//! A preset's lesson rides in the preset, not in its link: `share()` holds the scenario and
//! every command (the lesson's included) and stays short enough for a slide or a chat message
//! (≤ 2,000 characters with the page address), and `#p=<id>` opens the preset with its lesson.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::Timed;
use crate::lesson::Lesson;
use crate::scenario::{parse, Scenario, ValidationError};
use crate::share::{encode, Shared};
use crate::time::SimTime;

/// The presets in the order the page lists them.
pub const FILES: [(&str, &str); 10] = [
    (
        "spread-then-pack",
        include_str!("presets/spread-then-pack.json"),
    ),
    ("image-cache", include_str!("presets/image-cache.json")),
    (
        "start-before-stop",
        include_str!("presets/start-before-stop.json"),
    ),
    (
        "diurnal-consolidation",
        include_str!("presets/diurnal-consolidation.json"),
    ),
    ("patch-cycle", include_str!("presets/patch-cycle.json")),
    ("blue-green", include_str!("presets/blue-green.json")),
    ("linear", include_str!("presets/linear.json")),
    (
        "canary-rollback",
        include_str!("presets/canary-rollback.json"),
    ),
    ("fargate-vs-mi", include_str!("presets/fargate-vs-mi.json")),
    ("az-impairment", include_str!("presets/az-impairment.json")),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preset {
    pub reference: String,
    /// How far the lesson runs.
    pub until: SimTime,
    pub scenario: Scenario,
    /// Commands that belong to no step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<Timed>,
    pub lesson: Lesson,
}

impl Preset {
    /// Stable id used in URLs (`#p=<id>`).
    pub fn id(&self) -> &str {
        &self.lesson.id
    }
    pub fn title(&self) -> &str {
        &self.lesson.title
    }
    /// Every command the lesson runs, its steps' included.
    pub fn full_script(&self) -> Vec<Timed> {
        crate::lesson::script(&self.script, Some(&self.lesson))
    }
    /// The state that opens this preset at the start, with its lesson.
    pub fn shared(&self) -> Shared {
        Shared {
            scenario: self.scenario.clone(),
            script: self.script.clone(),
            at: SimTime::ZERO,
            panel: None,
            lesson: Some(self.lesson.clone()),
        }
    }
    /// The share string that opens this preset at the start: its scenario and every command,
    /// without the lesson's text.
    pub fn share(&self) -> String {
        encode(&Shared {
            scenario: self.scenario.clone(),
            script: self.full_script(),
            at: SimTime::ZERO,
            panel: None,
            lesson: None,
        })
    }
}

/// Reads one preset file; the error names the JSON path.
pub fn parse_preset(text: &str) -> Result<Preset, ValidationError> {
    parse::from_json(text)
}

/// Every preset that reads (the native tests hold each file to reading and validating).
pub fn presets() -> Vec<Preset> {
    FILES
        .iter()
        .filter_map(|(_, text)| parse_preset(text).ok())
        .collect()
}

pub fn preset(id: &str) -> Option<Preset> {
    let (_, text) = FILES.iter().find(|(file, _)| *file == id)?;
    parse_preset(text).ok()
}
