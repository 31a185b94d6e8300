//! A step as the page's lesson form holds it (text boxes) and the step it makes, with each
//! problem named by its form field, so the page only shows fields and messages.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::{Ask, Question, Step};
use crate::command::Command;
use crate::scenario::MAX_DAYS;
use crate::scenario::{ValidationError, ValidationErrors};
use crate::time::{parse_duration, SimTime, DAY};

/// The commands the form offers: id, label, and what its one text box holds.
pub const COMMANDS: [(&str, &str, &str); 6] = [
    ("", "No command", ""),
    ("drainHost", "Drain a host", "host number, e.g. 1 for i-001"),
    (
        "setDesiredCount",
        "Set a service's desired count",
        "service and count, e.g. web 12",
    ),
    (
        "startDeployment",
        "Start a deployment",
        "service and revision, e.g. web v2",
    ),
    ("impairAz", "Impair an AZ", "zone, e.g. use1-az2"),
    ("recoverAz", "Recover an AZ", "zone, e.g. use1-az2"),
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepDraft {
    /// A time as people type it: `20m`, `2h`, `14d`, `1d12h`.
    pub at: String,
    pub command: String,
    pub command_arg: String,
    /// Empty: where the previous step ended.
    pub command_at: String,
    pub narrative: String,
    pub prompt: String,
    pub kind: String,
    pub service: String,
    pub az: String,
    pub n: String,
    pub state: String,
    pub status: String,
    pub revision: String,
    /// Comma-separated; empty for a number question.
    pub choices: String,
}

fn time(errors: &mut Vec<ValidationError>, field: &str, text: &str) -> Option<SimTime> {
    match parse_duration(text) {
        Some(ms) if ms <= MAX_DAYS * DAY => Some(SimTime(ms)),
        _ => {
            errors.push(ValidationError {
                path: field.to_string(),
                message: format!(
                    "\"{text}\", must be a time from 0s to {MAX_DAYS}d, such as 20m, 2h or 14d"
                ),
            });
            None
        }
    }
}

impl StepDraft {
    /// The step, or every problem with the form field it is in.
    pub fn build(&self) -> Result<Step, ValidationErrors> {
        let mut errors = Vec::new();
        let at = time(&mut errors, "at", &self.at);
        let command = self.command().map_err(|m| {
            errors.push(ValidationError {
                path: "command".into(),
                message: m,
            })
        });
        let command_at = if self.command_at.trim().is_empty() {
            None
        } else {
            time(&mut errors, "commandAt", &self.command_at)
        };
        let ask = self.ask().map_err(|e| errors.push(e));
        let choices: Vec<String> = self
            .choices
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        match (at, command, ask) {
            (Some(at), Ok(command), Ok(ask)) if errors.is_empty() => Ok(Step {
                narrative: self.narrative.trim().to_string(),
                at,
                command_at: command_at.filter(|_| command.is_some()),
                command,
                question: Question {
                    prompt: self.prompt.trim().to_string(),
                    ask,
                    choices,
                    expected: None,
                },
            }),
            _ => Err(ValidationErrors(errors)),
        }
    }

    fn command(&self) -> Result<Option<Command>, String> {
        let words: Vec<&str> = self.command_arg.split_whitespace().collect();
        let value = match (self.command.as_str(), words.as_slice()) {
            ("", _) => return Ok(None),
            ("drainHost", [host]) => {
                let host: u32 = host
                    .trim_start_matches("i-")
                    .parse()
                    .map_err(|_| format!("\"{host}\", must be a host number such as 1 (i-001)"))?;
                json!({ "type": "drainHost", "host": host })
            }
            ("setDesiredCount", [service, count]) => {
                let count: u32 = count
                    .parse()
                    .map_err(|_| format!("\"{count}\", must be a whole number of tasks"))?;
                json!({ "type": "setDesiredCount", "service": service, "count": count })
            }
            ("startDeployment", [service, revision]) => {
                json!({ "type": "startDeployment", "service": service, "revision": revision })
            }
            (kind @ ("impairAz" | "recoverAz"), [az]) => json!({ "type": kind, "az": az }),
            (kind, _) => {
                let hint = COMMANDS
                    .iter()
                    .find(|c| c.0 == kind)
                    .map_or("a known command", |c| c.2);
                return Err(format!("\"{}\", must be {hint}", self.command_arg));
            }
        };
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| format!("{e}"))
    }

    fn ask(&self) -> Result<Ask, ValidationError> {
        let params = Ask::KINDS
            .iter()
            .find(|k| k.0 == self.kind)
            .map(|k| k.2)
            .ok_or_else(|| ValidationError {
                path: "kind".into(),
                message: format!("\"{}\", must be one of the question kinds", self.kind),
            })?;
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(self.kind.as_str()));
        for &p in params {
            let text = match p {
                "service" => &self.service,
                "az" => &self.az,
                "n" => &self.n,
                "state" => &self.state,
                "status" => &self.status,
                _ => &self.revision,
            };
            let text = text.trim();
            let value = match p {
                "n" => Value::from(text.parse::<u32>().map_err(|_| ValidationError {
                    path: "n".into(),
                    message: format!("\"{text}\", must be a whole number from 1"),
                })?),
                // Any status: the question counts every host.
                "status" if text.is_empty() => continue,
                _ => Value::from(text),
            };
            map.insert(p.into(), value);
        }
        serde_json::from_value(Value::Object(map)).map_err(|e| ValidationError {
            path: "kind".into(),
            message: format!("{e}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> StepDraft {
        StepDraft {
            at: "30m".into(),
            command: "drainHost".into(),
            command_arg: "i-001".into(),
            command_at: "20m".into(),
            narrative: "A host drains.".into(),
            prompt: "How many hosts are DRAINING?".into(),
            kind: "hosts".into(),
            status: "DRAINING".into(),
            choices: "0, 1, 2".into(),
            ..StepDraft::default()
        }
    }

    #[test]
    fn a_filled_form_makes_its_step() {
        let s = draft().build().unwrap();
        assert_eq!(s.at, SimTime::from_mins(30));
        assert_eq!(s.command, Some(Command::DrainHost { host: 1 }));
        assert_eq!(s.command_at, Some(SimTime::from_mins(20)));
        assert_eq!(
            s.question.ask,
            Ask::Hosts {
                status: Some(crate::world::HostStatus::Draining)
            }
        );
        assert_eq!(s.question.choices, ["0", "1", "2"]);
    }

    #[test]
    fn every_kind_the_form_offers_reads_back() {
        for (kind, _, params) in Ask::KINDS {
            let d = StepDraft {
                kind: kind.into(),
                service: "web".into(),
                az: "use1-az1".into(),
                n: "3".into(),
                state: "RUNNING".into(),
                revision: "v2".into(),
                ..draft()
            };
            let s = d.build().unwrap_or_else(|e| panic!("{kind}: {e}"));
            let json = serde_json::to_value(&s.question.ask).unwrap();
            assert_eq!(json["kind"], *kind);
            assert!(json.as_object().unwrap().len() - 1 <= params.len());
        }
    }

    #[test]
    fn each_bad_box_is_named() {
        let d = StepDraft {
            at: "soon".into(),
            command_arg: "web".into(),
            kind: "azOfTask".into(),
            service: "web".into(),
            n: "first".into(),
            ..draft()
        };
        let e = d.build().unwrap_err();
        let paths: Vec<&str> = e.0.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["at", "command", "n"]);
        assert!(e.0[0].message.contains("such as 20m"), "{e}");
        assert!(e.0[1].message.contains("host number"), "{e}");
    }
}
