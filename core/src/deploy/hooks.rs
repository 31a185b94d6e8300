//! Lifecycle hooks ("Lifecycle hooks for Amazon ECS service deployments"). Lambda hooks answer from
//! the scenario's script, indexed by the hook's invocation number over the deployment (the last
//! answer repeats; no script means SUCCEEDED). IN_PROGRESS re-invokes after `callBackDelay`
//! (default 30 s); a missing answer is a failure. Pause hooks wait in AWAITING_ACTION for
//! ContinueHook or their timeout. All hooks of a stage run in parallel; the stage waits for every
//! one of them.

use crate::command::CommandError;
use crate::event::{EventKind, HookOutcome, RollbackWhy};
use crate::scenario::{HookResponse, HookTarget, LifecycleHook, LifecycleStage, TimeoutAction};
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE, SECOND};
use crate::world::ServiceId;

use super::state::State;
use crate::scenario::fields::CALL_BACK_DELAY;

/// The ready-made hooks the page's deployment form offers, each showing one way a hook
/// steers a deployment.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExampleHook {
    /// Waits before production traffic until the user continues or rolls back.
    Pause,
    /// A Lambda smoke test after test traffic that succeeds.
    LambdaPasses,
    /// The same test failing, which rolls the deployment back.
    LambdaFails,
}

impl ExampleHook {
    pub const ALL: [ExampleHook; 3] = [
        ExampleHook::Pause,
        ExampleHook::LambdaPasses,
        ExampleHook::LambdaFails,
    ];

    pub fn hook(self) -> LifecycleHook {
        // 20 s: long enough to watch the stage wait, short enough not to stall a lesson.
        let lambda = |answer| LifecycleHook {
            name: "smoke-test".into(),
            target_type: HookTarget::AwsLambda,
            lifecycle_stages: alloc::vec![LifecycleStage::PostTestTrafficShift],
            script: alloc::vec![answer],
            duration_seconds: 20,
            ..LifecycleHook::default()
        };
        match self {
            ExampleHook::Pause => LifecycleHook {
                name: "approve-production".into(),
                target_type: HookTarget::Pause,
                lifecycle_stages: alloc::vec![LifecycleStage::PreProductionTrafficShift],
                ..LifecycleHook::default()
            },
            ExampleHook::LambdaPasses => lambda(HookResponse::Succeeded),
            ExampleHook::LambdaFails => lambda(HookResponse::Failed),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HookPhase {
    Idle,
    /// A Lambda invocation answers at this time.
    Answering(SimTime),
    /// IN_PROGRESS: invoked again at this time.
    Reinvoke(SimTime),
    /// A pause hook waits for ContinueHook until this timeout.
    Awaiting(SimTime),
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookRun {
    pub status: Option<HookOutcome>,
    /// Invocations over the whole deployment (the script is indexed by it).
    pub invocations: u32,
    pub stage: Option<LifecycleStage>,
    pub phase: HookPhase,
}

/// ECS invokes an IN_PROGRESS Lambda hook again after this long unless it says otherwise.
pub const DEFAULT_CALLBACK_S: u32 = CALL_BACK_DELAY.default_u32();

pub(super) fn due(p: HookPhase) -> Option<SimTime> {
    match p {
        HookPhase::Answering(t) | HookPhase::Reinvoke(t) | HookPhase::Awaiting(t) => Some(t),
        HookPhase::Idle | HookPhase::Done => None,
    }
}

impl Sim {
    /// Starts every hook registered for `stage`; the others go idle.
    pub(super) fn start_hooks(&mut self, sid: ServiceId, stage: LifecycleStage) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let mut start = alloc::vec::Vec::new();
        for (i, h) in d.hooks.iter_mut().enumerate() {
            h.phase = HookPhase::Idle;
            h.stage = None;
            if d.config.lifecycle_hooks[i]
                .lifecycle_stages
                .contains(&stage)
            {
                h.stage = Some(stage);
                h.status = None;
                start.push(i as u32);
            }
        }
        for i in start {
            self.invoke_hook(sid, i);
        }
    }

    fn invoke_hook(&mut self, sid: ServiceId, i: u32) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let spec = &d.config.lifecycle_hooks[i as usize];
        let h = &mut d.hooks[i as usize];
        let Some(stage) = h.stage else { return };
        h.invocations += 1;
        let (id, invocation) = (d.id, h.invocations);
        let status = match spec.target_type {
            HookTarget::AwsLambda => {
                h.phase = HookPhase::Answering(now + u64::from(spec.duration_seconds) * SECOND);
                HookOutcome::InProgress
            }
            HookTarget::Pause => {
                h.phase = HookPhase::Awaiting(
                    now + u64::from(spec.timeout_configuration.timeout_in_minutes) * MINUTE,
                );
                HookOutcome::AwaitingAction
            }
        };
        h.status = Some(status);
        self.emit(EventKind::HookInvoked {
            service: sid,
            deployment: id,
            hook: i,
            stage,
            invocation,
        });
        if status == HookOutcome::AwaitingAction {
            self.emit(EventKind::HookResult {
                service: sid,
                deployment: id,
                hook: i,
                stage,
                status,
            });
        }
    }

    /// Processes hook answers and timeouts that are due. Returns why the deployment must roll
    /// back, if a hook says so (failures while rolling back are reported but do not stop it).
    pub(super) fn poll_hooks(&mut self, sid: ServiceId) -> Option<RollbackWhy> {
        let now = self.now;
        let n = self.deploy.active.get(&sid)?.hooks.len() as u32;
        let mut verdict = None;
        for i in 0..n {
            let d = self.deploy.active.get_mut(&sid)?;
            let rolling_back = d.is_rolling_back();
            let h = &mut d.hooks[i as usize];
            let Some(stage) = h.stage else { continue };
            let spec = &d.config.lifecycle_hooks[i as usize];
            let (status, why) = match h.phase {
                HookPhase::Answering(t) if t <= now => {
                    let k = (h.invocations as usize)
                        .saturating_sub(1)
                        .min(spec.script.len().saturating_sub(1));
                    match spec.script.get(k).unwrap_or(&HookResponse::Succeeded) {
                        HookResponse::Succeeded => {
                            h.phase = HookPhase::Done;
                            (HookOutcome::Succeeded, None)
                        }
                        HookResponse::Failed | HookResponse::NoResponse => {
                            h.phase = HookPhase::Done;
                            (
                                HookOutcome::Failed,
                                Some(RollbackWhy::HookFailed { hook: i, stage }),
                            )
                        }
                        HookResponse::InProgress { call_back_delay } => {
                            let s = call_back_delay.unwrap_or(DEFAULT_CALLBACK_S);
                            h.phase = HookPhase::Reinvoke(now + u64::from(s) * SECOND);
                            (HookOutcome::InProgress, None)
                        }
                    }
                }
                HookPhase::Reinvoke(t) if t <= now => {
                    self.invoke_hook(sid, i);
                    continue;
                }
                HookPhase::Awaiting(t) if t <= now => {
                    h.phase = HookPhase::Done;
                    let why = match spec.timeout_configuration.action {
                        TimeoutAction::Rollback => {
                            Some(RollbackWhy::HookTimedOut { hook: i, stage })
                        }
                        TimeoutAction::Continue => None,
                    };
                    (HookOutcome::TimedOut, why)
                }
                _ => continue,
            };
            h.status = Some(status);
            let id = d.id;
            self.emit(EventKind::HookResult {
                service: sid,
                deployment: id,
                hook: i,
                stage,
                status,
            });
            if !rolling_back && verdict.is_none() {
                verdict = why;
            }
        }
        verdict
    }

    /// Every hook started for the current stage has finished well (or was continued).
    pub(super) fn hooks_done(&self, sid: ServiceId) -> bool {
        self.deploy.active.get(&sid).is_none_or(|d| {
            d.hooks
                .iter()
                .all(|h| h.stage.is_none() || h.phase == HookPhase::Done)
        })
    }

    /// ContinueServiceDeployment for a pause hook awaiting action.
    pub(super) fn continue_hook(
        &mut self,
        service: &str,
        hook: &str,
        action: TimeoutAction,
    ) -> Result<(), CommandError> {
        let sid = self.service_by_name(service)?;
        let unknown = || CommandError::UnknownHook {
            service: service.into(),
            hook: hook.into(),
        };
        let d = self.deploy.active.get_mut(&sid).ok_or_else(unknown)?;
        // Only the lifecycle-stage engine runs hooks (a rollback re-runs the traffic shifts').
        match d.state {
            State::Staged(_) | State::RollingBack(_) => {}
            State::Rolling { .. } | State::Ended(_) => return Err(unknown()),
        }
        let i = d
            .config
            .lifecycle_hooks
            .iter()
            .enumerate()
            .position(|(i, h)| h.name == hook && matches!(d.hooks[i].phase, HookPhase::Awaiting(_)))
            .ok_or_else(unknown)?;
        let h = &mut d.hooks[i];
        let stage = h.stage.unwrap_or(LifecycleStage::PreScaleUp);
        h.phase = HookPhase::Done;
        let (status, why) = match action {
            TimeoutAction::Continue => (HookOutcome::Succeeded, None),
            TimeoutAction::Rollback => (
                HookOutcome::Failed,
                Some(RollbackWhy::HookRolledBack {
                    hook: i as u32,
                    stage,
                }),
            ),
        };
        h.status = Some(status);
        let id = d.id;
        self.emit(EventKind::HookResult {
            service: sid,
            deployment: id,
            hook: i as u32,
            stage,
            status,
        });
        if let Some(why) = why {
            self.fail(sid, why, true);
        }
        self.account(sid);
        self.advance(sid);
        Ok(())
    }
}
