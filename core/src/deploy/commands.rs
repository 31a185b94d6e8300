//! The deployment commands (ContinueHook is with the hooks): CreateService-style starts of a new
//! revision ("Deploy Amazon ECS services") and StopServiceDeployment, each one `match` over the
//! running deployment's state. A refused command changes nothing.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use super::alarms::{period_ms, AlarmState};
use super::hooks::{HookPhase, HookRun};
use super::state::{Deployment, Staged, State};
use super::traffic::Traffic;
use super::{plan, DeployNames, DEPLOYMENT_LIMIT_MS};
use crate::command::{Command, CommandError};
use crate::event::{EventKind, RollbackWhy};
use crate::scenario::{DeploymentConfiguration, LifecycleStage};
use crate::sim::Sim;
use crate::world::Owner;

/// What a new deployment does to the one running.
enum Supersede {
    Nothing,
    /// Stopped where it is (ABORT).
    Abort,
    /// Past its production shift: green stays in production and becomes the new blue.
    AfterShift {
        green: u32,
        stage: LifecycleStage,
    },
}

impl Sim {
    pub(crate) fn execute_deploy(&mut self, command: &Command) -> Option<Result<(), CommandError>> {
        Some(match command {
            Command::StartDeployment {
                service,
                revision,
                configuration,
            } => self.start_deployment(service, revision, configuration.as_ref()),
            Command::StopDeployment { service, rollback } => {
                self.stop_deployment(service, *rollback)
            }
            Command::ContinueHook {
                service,
                hook,
                action,
            } => self.continue_hook(service, hook, *action),
            _ => return None,
        })
    }

    pub(crate) fn execute_more(&mut self, command: &Command) -> Result<(), CommandError> {
        if let Some(r) = self.execute_lifecycle(command) {
            return r;
        }
        if let Some(r) = self.execute_deploy(command) {
            return r;
        }
        // Not `{command:?}`: that one message would put the Debug code of every command and
        // deployment setting into the browser download.
        Err(CommandError::NotNow(
            "this command is not supported yet".into(),
        ))
    }

    fn start_deployment(
        &mut self,
        service: &str,
        revision: &str,
        configuration: Option<&DeploymentConfiguration>,
    ) -> Result<(), CommandError> {
        let sid = self.service_by_name(service)?;
        let svc = &self.services[sid.0 as usize];
        let label = alloc::format!("{}:{}", svc.name, revision);
        let green = self
            .revisions
            .iter()
            .position(|r| r.owner == Owner::Service(sid) && r.label == label)
            .ok_or_else(|| CommandError::UnknownRevision {
                service: service.into(),
                revision: revision.into(),
            })? as u32;
        let config = match configuration {
            Some(c) => {
                let mut checker = crate::scenario::validate::Checker::default();
                crate::scenario::deployment_checks::check_deployment_configuration(
                    &mut checker,
                    "configuration",
                    c,
                );
                if let Some(e) = checker.errors.first() {
                    return Err(CommandError::Invalid(alloc::format!("{e}")));
                }
                c.clone()
            }
            None => self.scenario.services[svc.spec as usize]
                .deployment_configuration
                .clone(),
        };
        let supersede = match self.deploy.active.get(&sid).map(|d| (d, &d.state)) {
            None | Some((_, State::Ended(_))) => Supersede::Nothing,
            // A deployment superseded once all production traffic is on its new revision
            // leaves production there: that revision is the new deployment's blue.
            Some((d, State::Staged(s)))
                if matches!(s.stage, LifecycleStage::BakeTime | LifecycleStage::CleanUp) =>
            {
                Supersede::AfterShift {
                    green: d.green,
                    stage: s.stage,
                }
            }
            Some((_, State::Rolling { .. } | State::Staged(_) | State::RollingBack(_))) => {
                Supersede::Abort
            }
        };
        let blue = match supersede {
            Supersede::AfterShift { green, .. } => green,
            Supersede::Nothing | Supersede::Abort => self.services[sid.0 as usize].revision,
        };
        // Checked before anything changes: a refused command must leave the world as it was
        // (the recorded script omits it, so replay would otherwise differ from live play).
        if green == blue && !self.has_strays(sid, blue, green) {
            return Err(CommandError::NotNow(alloc::format!(
                "{label} is already the production revision"
            )));
        }
        match supersede {
            Supersede::AfterShift { stage, .. } => self.finish_superseded_after_shift(sid, stage),
            // A newer deployment replaces the running one; RECONCILE_SERVICE tidies up after it.
            Supersede::Abort => self.finish_abort(sid, RollbackWhy::Superseded),
            Supersede::Nothing => {}
        }
        self.deploy.next_id += 1;
        let id = self.deploy.next_id;
        self.deploy.names.insert(
            id,
            DeployNames {
                hooks: config
                    .lifecycle_hooks
                    .iter()
                    .map(|h| h.name.clone())
                    .collect(),
                alarms: config
                    .alarms
                    .alarms
                    .iter()
                    .map(|a| a.name.clone())
                    .collect(),
            },
        );
        let cost = self.cost();
        let hosts = self.hosts.len() as u32;
        let alarms = if config.alarms.enable {
            config
                .alarms
                .alarms
                .iter()
                .map(|a| AlarmState {
                    next_eval: self.now + period_ms(a),
                    ..AlarmState::default()
                })
                .collect()
        } else {
            Vec::new()
        };
        let strategy = config.strategy;
        let state = if plan(strategy).staged() {
            let first = if self.has_strays(sid, blue, green) {
                LifecycleStage::ReconcileService
            } else {
                LifecycleStage::PreScaleUp
            };
            State::Staged(Staged::entering(first, self.now, &config, u32::MAX))
        } else {
            State::Rolling {
                monitor_until: None,
            }
        };
        let d = Deployment {
            id,
            service: sid,
            strategy,
            hooks: config
                .lifecycle_hooks
                .iter()
                .map(|_| HookRun {
                    status: None,
                    invocations: 0,
                    stage: None,
                    phase: HookPhase::Idle,
                })
                .collect(),
            alarms,
            config,
            blue,
            green,
            state,
            started_at: self.now,
            timeline: Vec::new(),
            traffic: Traffic::new(self.now),
            failures: 0,
            waiting_on: None,
            hosts_at_start: hosts,
            peak_hosts: hosts,
            cost_at_start: cost.total().0,
            rate_at_start: cost.rate().0,
            wakes: BTreeSet::new(),
        };
        self.deploy.active.insert(sid, d);
        self.emit(EventKind::DeploymentStarted {
            service: sid,
            deployment: id,
            strategy,
            to_revision: green,
        });
        if plan(strategy).staged() {
            self.stage_entered(sid);
        }
        self.wake(sid, self.now + DEPLOYMENT_LIMIT_MS);
        self.touch(Owner::Service(sid));
        Ok(())
    }

    fn stop_deployment(&mut self, service: &str, rollback: bool) -> Result<(), CommandError> {
        let sid = self.service_by_name(service)?;
        match self.deploy.active.get(&sid).map(|d| &d.state) {
            None | Some(State::Ended(_)) => Err(CommandError::NotNow(alloc::format!(
                "{service} has no deployment in progress"
            ))),
            Some(State::RollingBack(_)) => Err(CommandError::NotNow(alloc::format!(
                "{service} is already rolling back"
            ))),
            Some(State::Rolling { .. } | State::Staged(_)) => {
                self.fail(sid, RollbackWhy::Manual, rollback);
                Ok(())
            }
        }
    }
}
