//! Comparing runs of one scenario. Compare mode runs two variants, on the same seed, side by
//! side to the same time, with a diff table of what the choice changed (`variants`, `summary`,
//! `pairing`: the page's side-by-side view at any moment). `strategies` runs every deployment
//! strategy to the end of its deployment (the CLI's `compare-strategies`).

use alloc::format;
use alloc::string::String;
use core::fmt;

use crate::command::CommandError;
use crate::scenario::ValidationErrors;
use crate::session::ReplayError;
use crate::time::{DAY, HOUR, MINUTE};

mod pairing;
pub mod strategies;
mod summary;
mod variants;

pub use pairing::{run_pair, Pairing, Run};
pub use summary::{diff_rows_text, diff_table, summarize, Better, DiffRow, RunSummary};
pub use variants::{variants, Pair, Variant, DEPLOY_AT};

/// Why a comparison cannot run.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareError {
    /// A deployment comparison needs a service with a revision to roll to.
    NoRevisionToDeploy,
    NoSuchService(String),
    /// The named service has no revisions.
    NoRevisions(String),
    /// One side's scenario does not validate.
    Invalid {
        side: String,
        errors: ValidationErrors,
    },
    /// One side's recorded command did not apply again.
    Replay {
        side: String,
        error: ReplayError,
    },
    /// The deployment could not start.
    Command(CommandError),
    /// The started deployment is not in the service's record (a defect, reported not hidden).
    DeploymentNotRecorded,
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::NoRevisionToDeploy => f.write_str(
                "no service has a revision to deploy: add one under the service's revisions (services[].revisions)",
            ),
            CompareError::NoSuchService(name) => write!(f, "no service named \"{name}\""),
            CompareError::NoRevisions(name) => write!(f, "service {name} has no revisions"),
            CompareError::Invalid { side, errors } => write!(f, "{side}: {errors}"),
            CompareError::Replay { side, error } => write!(f, "{side}: {error}"),
            CompareError::Command(e) => write!(f, "{e}"),
            CompareError::DeploymentNotRecorded => {
                f.write_str("the started deployment is missing from the service's record")
            }
        }
    }
}

/// A duration in its two largest units ("2 d 3 h", "1 h 05 min", "4 min 30 s", "12 s").
pub(crate) fn duration(ms: u64) -> String {
    let (d, h, m, s) = (
        ms / DAY,
        ms % DAY / HOUR,
        ms % HOUR / MINUTE,
        ms % MINUTE / 1000,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min {s:02} s"),
        (0, _, _) => format!("{h} h {m:02} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests;
