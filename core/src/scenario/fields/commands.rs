//! The numbers commands take that no scenario field holds. SetDesiredCount is bounded by
//! `DESIRED_COUNT` and StartDeployment's configuration by `DEPLOYMENT`, the scenario's own.

use super::{spec, Basis, FieldSpec, Unit};

/// RunTask's `count`.
pub const RUN_TASK_COUNT: FieldSpec = spec(
    "runTask.count",
    Unit::Tasks,
    (1, 10),
    Some(1),
    Basis::Aws("RunTask"),
    "Tasks one RunTask call starts.",
);

/// UpdateTaskProtection's `expiresInMinutes` ("Task scale-in protection"); 0 clears it.
pub const PROTECTION_MINUTES: FieldSpec = spec(
    "protectTask.minutes",
    Unit::Minutes,
    (0, 2_880),
    Some(120),
    Basis::Aws("Task scale-in protection"),
    "How long a task is protected from scale-in; 0 clears the protection.",
);

pub const COMMANDS: &[FieldSpec] = &[RUN_TASK_COUNT, PROTECTION_MINUTES];
