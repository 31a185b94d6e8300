//! Commands: everything a user, an instructor's script or the UI can do to the world. They are
//! recorded with their time, so a command script replays (and shares) exactly.

use alloc::string::String;
use core::fmt;
use serde::{Deserialize, Serialize};

use crate::scenario::fields::FieldSpec;
use crate::scenario::{DeploymentConfiguration, TimeoutAction};
use crate::time::SimTime;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Command {
    /// UpdateService desiredCount.
    SetDesiredCount {
        service: String,
        count: u32,
    },
    /// RunTask: `count` more tasks of a standalone group from the scenario.
    RunTask {
        group: String,
        count: u32,
    },
    StopTask {
        task: u32,
    },
    /// UpdateTaskProtection: protect for `minutes` (1–2,880; 0 clears). Without it,
    /// `expiresInMinutes` takes its documented default of 120 ("Task scale-in protection").
    ProtectTask {
        task: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },
    /// UpdateContainerInstancesState → DRAINING.
    DrainHost {
        host: u32,
    },
    /// A scheduled EC2 maintenance event on the host.
    MaintenanceEvent {
        host: u32,
    },
    /// Hardware degradation: the host drains early.
    DegradeHost {
        host: u32,
    },
    /// Spot interruption notice (2 minutes).
    InterruptSpot {
        host: u32,
    },
    ImpairAz {
        az: String,
    },
    RecoverAz {
        az: String,
    },
    /// StartDeployment (UpdateService with a new task-definition revision).
    StartDeployment {
        service: String,
        /// Name of one of the service's `revisions`.
        revision: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration: Option<DeploymentConfiguration>,
    },
    /// StopServiceDeployment with stopType ABORT or ROLLBACK.
    StopDeployment {
        service: String,
        rollback: bool,
    },
    /// ContinueServiceDeployment for a pause hook.
    ContinueHook {
        service: String,
        hook: String,
        action: TimeoutAction,
    },
}

/// A command with the simulated time it was issued at.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timed {
    pub at: SimTime,
    #[serde(flatten)]
    pub command: Command,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CommandError {
    UnknownService(String),
    UnknownGroup(String),
    UnknownHost(u32),
    UnknownTask(u32),
    UnknownAz(String),
    UnknownRevision {
        service: String,
        revision: String,
    },
    UnknownHook {
        service: String,
        hook: String,
    },
    /// The value is outside what the API accepts.
    OutOfRange {
        field: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
    /// The command does not apply in the current state (e.g. no deployment to stop).
    NotNow(String),
    Invalid(String),
    /// The value is within the API's range but would take the cluster past its task limit
    /// (`MAX_TASKS`) given what `others_are` already use.
    OverTaskLimit {
        field: &'static str,
        value: u32,
        min: u32,
        max: u32,
        others: u32,
        others_are: &'static str,
    },
    /// Too many commands in one script.
    ScriptTooLong {
        limit: u32,
    },
}

impl CommandError {
    /// `value` of the command's `field`, outside the range the table gives for it.
    pub(crate) fn out_of_range(field: &'static str, spec: &FieldSpec, value: u32) -> Self {
        CommandError::OutOfRange {
            field,
            value: u64::from(value),
            min: spec.min,
            max: spec.max,
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::UnknownService(s) => write!(f, "no service named \"{s}\""),
            CommandError::UnknownGroup(s) => write!(f, "no standalone task group named \"{s}\""),
            CommandError::UnknownHost(h) => write!(f, "no running host i-{h:03x}"),
            CommandError::UnknownTask(t) => write!(f, "no live task t-{t:03x}"),
            CommandError::UnknownAz(a) => write!(f, "no availability zone \"{a}\""),
            CommandError::UnknownRevision { service, revision } => {
                write!(f, "service \"{service}\" has no revision \"{revision}\"")
            }
            CommandError::UnknownHook { service, hook } => {
                write!(
                    f,
                    "service \"{service}\" has no hook \"{hook}\" awaiting action"
                )
            }
            CommandError::OutOfRange {
                field,
                value,
                min,
                max,
            } => {
                write!(f, "{field}: {value}, must be {min}–{max}")
            }
            CommandError::OverTaskLimit {
                field,
                value,
                min,
                max,
                others,
                others_are,
            } => {
                let limit = thousands(crate::scenario::MAX_TASKS);
                let others = thousands(*others);
                if max < min {
                    write!(f, "{field}: {value}, no room left ")?;
                } else {
                    write!(f, "{field}: {value}, must be {min}–{max} ")?;
                }
                write!(
                    f,
                    "(the cluster may run {limit} tasks at peak; {others_are} use {others})"
                )
            }
            CommandError::NotNow(why) => write!(f, "{why}"),
            CommandError::Invalid(why) => write!(f, "{why}"),
            CommandError::ScriptTooLong { limit } => {
                write!(f, "the command script is longer than {limit} commands")
            }
        }
    }
}

/// "18,800"
fn thousands(n: u32) -> String {
    let digits = alloc::format!("{n}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(feature = "std")]
impl std::error::Error for CommandError {}
