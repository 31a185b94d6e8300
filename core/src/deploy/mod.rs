//! Deployments (reference §1): rolling, blue/green, linear and canary.

pub mod compare;
pub mod validate;

use serde::{Deserialize, Serialize};

use crate::command::{Command, CommandError};
use crate::sim::Sim;
use crate::world::{ServiceId, TaskId};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployState {}

impl Sim {
    /// Handles the service's scheduling while a deployment owns it; `false` → the plain
    /// service scheduler runs.
    pub(crate) fn deploy_reconcile(&mut self, _sid: ServiceId) -> bool {
        false
    }

    pub fn deployment_active(&self, _sid: ServiceId) -> bool {
        false
    }

    pub(crate) fn deploy_timer(&mut self, _sid: ServiceId, _gen: u32) {}

    pub(crate) fn task_failed_to_start(&mut self, _t: TaskId) {}

    pub(crate) fn task_became_healthy(&mut self, _t: TaskId) {}

    /// (production traffic on green in bp, requests/s, failed requests/s) across services.
    pub(crate) fn traffic_now(&self) -> (u32, u32, u32) {
        (0, 0, 0)
    }

    pub(crate) fn execute_deploy(&mut self, _command: &Command) -> Option<Result<(), CommandError>> {
        None
    }

    pub(crate) fn execute_more(&mut self, command: &Command) -> Result<(), CommandError> {
        if let Some(r) = self.execute_lifecycle(command) {
            return r;
        }
        if let Some(r) = self.execute_deploy(command) {
            return r;
        }
        Err(CommandError::NotNow(alloc::format!("{command:?} is not supported yet")))
    }
}
