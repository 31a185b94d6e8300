//! The lifecycle-stage engine blue/green, linear and canary share ("Amazon ECS blue/green service
//! deployments workflow"). BLUE_GREEN itself moves production traffic all at once; LINEAR and
//! CANARY differ only in their steps.
//!
//! Green is started in SCALE_UP and must reach 100 % of the desired count, healthy, before any
//! traffic moves (Managed Instances launches hosts for it, so the fleet doubles for a while).
//! Blue keeps running until CLEAN_UP, so a rollback only moves the weights back (re-running the
//! traffic-shift hooks) and then scales green down; it never starts blue tasks.

use alloc::vec::Vec;

use super::state::{RollbackPhase, RollingBack, StageRecord, Staged, State};
use super::traffic::{Weights, ALL_BP};
use super::{plan, Plan, STAGE_LIMIT_MS};
use crate::event::{DeploymentStatus, EventKind, RollbackWhy};
use crate::scenario::{DeploymentConfiguration, HookTarget, LifecycleStage as S};
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE};
use crate::world::{Owner, ServiceId, StopCause};

pub(super) struct BlueGreen;

impl Plan for BlueGreen {}

impl Staged {
    /// The state on entering `stage` at `now`; `kept_green` carries over until SCALE_UP.
    pub(super) fn entering(
        stage: S,
        now: SimTime,
        config: &DeploymentConfiguration,
        kept_green: u32,
    ) -> Staged {
        // A pause hook may wait longer than the 24 h stage limit when configured to.
        let longest_pause = config
            .lifecycle_hooks
            .iter()
            .filter(|h| h.target_type == HookTarget::Pause && h.lifecycle_stages.contains(&stage))
            .map(|h| u64::from(h.timeout_configuration.timeout_in_minutes) * MINUTE)
            .max()
            .unwrap_or(0);
        Staged {
            stage,
            started: now,
            deadline: now + STAGE_LIMIT_MS.max(longest_pause),
            bake_until: None,
            kept_green,
            retiring: false,
        }
    }
}

/// The first rollback phase: shift back whatever traffic moved, latest first.
pub(super) fn first_rollback_phase(timeline: &[StageRecord]) -> RollbackPhase {
    let shifted = |s: S| timeline.iter().any(|r| r.stage == s && !r.rollback);
    if shifted(S::ProductionTrafficShift) {
        RollbackPhase::ProductionShiftBack
    } else if shifted(S::TestTrafficShift) {
        RollbackPhase::TestShiftBack
    } else {
        RollbackPhase::ScaleDown
    }
}

impl Sim {
    /// Keeps blue at the desired count and green at its stage's target; stops stray revisions.
    pub(super) fn bg_reconcile(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let (blue, green) = (d.blue, d.green);
        // While it rolls back, green is scaled down by the rollback, not here.
        let (stage, retiring) = match &d.state {
            State::Staged(s) => (Some(s.stage), s.retiring),
            State::Rolling { .. } | State::RollingBack(_) | State::Ended(_) => (None, false),
        };
        let desired = self.services[sid.0 as usize].desired;
        let strays: Vec<_> = self
            .owned
            .get(&Owner::Service(sid))
            .map(|ids| {
                ids.iter()
                    .filter(|t| {
                        self.tasks
                            .get(t)
                            .is_some_and(|t| t.revision != blue && t.revision != green)
                    })
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        // RECONCILE_SERVICE: strays left by an earlier deployment may be all that serves (a
        // production revision that fails to start). Unhealthy or unreachable ones stop at once;
        // healthy ones only while the service keeps minimumHealthyPercent (the deployment's),
        // the rest as blue becomes healthy.
        // Protected strays stay until their protection expires ("Task scale-in protection");
        // CLEAN_UP waits for them.
        let (mut healthy, floor) = self.service_floor(sid);
        let mut strays = strays;
        strays.retain(|t| !self.is_protected_task(*t));
        strays.sort_by_key(|t| (self.tasks[t].healthy, *t));
        for t in strays {
            if self.tasks[&t].healthy && !self.unreachable(t) {
                if healthy <= floor {
                    continue;
                }
                healthy -= 1;
            }
            self.stop_task(t, StopCause::Deployment);
        }
        // Once CLEAN_UP retires blue (only protected tasks are left of it), it is not refilled.
        if !retiring {
            self.reconcile_revision(sid, blue, desired, true);
        }
        // Redeploying the production revision (green = blue, to clear strays): green's target
        // must not scale blue's tasks in.
        if let (Some(stage), true) = (stage, green != blue) {
            // Before SCALE_UP green gets no new tasks, but green tasks an earlier deployment
            // left running are kept: SCALE_UP counts them, and stopping a healthy task only
            // to start its twin minutes later would cut the healthy count for nothing. Kept
            // tasks are held at their count, so one on a draining host is replaced before it
            // stops, like any other task.
            let scaling = stage >= S::ScaleUp;
            let green_target = if scaling {
                desired
            } else {
                let live = self.census_counts(sid, Some(green)).live;
                let Some(State::Staged(s)) = self.deploy.active.get_mut(&sid).map(|d| &mut d.state)
                else {
                    return;
                };
                s.kept_green = s.kept_green.min(live);
                s.kept_green.min(desired)
            };
            self.reconcile_revision(sid, green, green_target, scaling);
        }
    }

    pub(super) fn bg_advance(&mut self, sid: ServiceId) {
        // Each pass either moves a stage or returns; the bound only guards against a bug.
        for _ in 0..64 {
            let Some(d) = self.deploy.active.get(&sid) else {
                return;
            };
            if d.is_rolling_back() {
                if !self.bg_rollback_advance(sid) {
                    return;
                }
                continue;
            }
            if let Some(why) = self.poll_hooks(sid) {
                self.fail(sid, why, true);
                continue;
            }
            let Some(State::Staged(s)) = self.deploy.active.get(&sid).map(|d| &d.state) else {
                return;
            };
            let (stage, deadline) = (s.stage, s.deadline);
            if self.stage_done(sid) {
                match self.next_stage(sid) {
                    Some(next) => self.enter_stage(sid, next),
                    None => {
                        self.clean_up(sid);
                        return;
                    }
                }
            } else if self.now >= deadline {
                self.fail(sid, RollbackWhy::StageTimeout { stage }, true);
            } else {
                return;
            }
        }
    }

    fn stage_done(&self, sid: ServiceId) -> bool {
        let Some(d) = self.deploy.active.get(&sid) else {
            return false;
        };
        let State::Staged(s) = &d.state else {
            return false;
        };
        if !self.hooks_done(sid) {
            return false;
        }
        match s.stage {
            S::ReconcileService => !self.has_unprotected_strays(sid, d.blue, d.green),
            // CLEAN_UP too: blue goes only once green runs healthy at the desired count again
            // (a green task lost during the bake is replaced first).
            S::ScaleUp | S::CleanUp => {
                let desired = self.services[sid.0 as usize].desired;
                self.census(sid, Some(d.green)).healthy_staying >= desired
            }
            S::ProductionTrafficShift | S::BakeTime => s.bake_until.is_none_or(|t| t <= self.now),
            _ => true,
        }
    }

    fn next_stage(&self, sid: ServiceId) -> Option<S> {
        let d = self.deploy.active.get(&sid)?;
        let State::Staged(s) = &d.state else {
            return None;
        };
        Some(match s.stage {
            S::ReconcileService => S::PreScaleUp,
            S::PreScaleUp => S::ScaleUp,
            S::ScaleUp => S::PostScaleUp,
            S::PostScaleUp => S::TestTrafficShift,
            S::TestTrafficShift => S::PostTestTrafficShift,
            S::PostTestTrafficShift => S::PreProductionTrafficShift,
            S::PreProductionTrafficShift => S::ProductionTrafficShift,
            S::ProductionTrafficShift
                if (d.step() as usize) < plan(d.strategy).steps(&d.config).len() =>
            {
                S::PreProductionTrafficShift
            }
            S::ProductionTrafficShift => S::PostProductionTrafficShift,
            S::PostProductionTrafficShift => S::BakeTime,
            S::BakeTime => S::CleanUp,
            S::CleanUp => return None,
        })
    }

    fn push_record(&mut self, sid: ServiceId, stage: S, rollback: bool) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        if let Some(r) = d.timeline.last_mut() {
            r.ended_at.get_or_insert(now);
        }
        // The step a production shift belongs to: the one it takes (so the one after those taken).
        let step = match stage {
            S::PreProductionTrafficShift | S::ProductionTrafficShift if !rollback => d.step() + 1,
            _ => 0,
        };
        d.timeline.push(StageRecord {
            stage,
            started_at: now,
            ended_at: None,
            step,
            rollback,
        });
    }

    fn enter_stage(&mut self, sid: ServiceId, stage: S) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let State::Staged(s) = &mut d.state else {
            return;
        };
        *s = Staged::entering(stage, now, &d.config, s.kept_green);
        self.stage_entered(sid);
    }

    /// What entering the deployment's current stage does: its record, its event, its traffic
    /// or bake, its hooks.
    pub(super) fn stage_entered(&mut self, sid: ServiceId) {
        let now = self.now;
        let Some(stage) = self.deploy.active.get(&sid).and_then(|d| d.stage()) else {
            return;
        };
        self.push_record(sid, stage, false);
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let (id, step) = (d.id, d.step());
        let steps = plan(d.strategy).steps(&d.config);
        let step_bake = plan(d.strategy).step_bake_ms(&d.config, step.saturating_sub(1));
        let bake = u64::from(d.config.bake_time_in_minutes) * MINUTE;
        self.emit(EventKind::DeploymentStage {
            service: sid,
            deployment: id,
            stage,
        });
        match stage {
            S::ScaleUp => self.touch(Owner::Service(sid)),
            S::TestTrafficShift => self.set_weights(sid, None, Some(Weights::green(ALL_BP))),
            S::ProductionTrafficShift => {
                let bp = steps.get(step as usize - 1).copied().unwrap_or(ALL_BP);
                self.set_weights(sid, Some(Weights::green(bp)), None);
                if (step as usize) < steps.len() {
                    self.set_bake(sid, now + step_bake);
                }
            }
            S::BakeTime => self.set_bake(sid, now + bake),
            _ => {}
        }
        if stage.hookable() {
            self.start_hooks(sid, stage);
        }
    }

    /// The end of CLEAN_UP: blue (and any older revision) scales to zero and green is the
    /// production revision. Protected tasks are not stopped: CLEAN_UP waits for them.
    fn clean_up(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let State::Staged(s) = &mut d.state else {
            return;
        };
        s.retiring = true;
        let green = d.green;
        if self.retire_all_but(sid, green) {
            self.finish(sid, DeploymentStatus::Successful);
        }
    }

    fn set_bake(&mut self, sid: ServiceId, until: SimTime) {
        if let Some(State::Staged(s)) = self.deploy.active.get_mut(&sid).map(|d| &mut d.state) {
            s.bake_until = Some(until);
        }
    }

    /// Moves production and test traffic back to blue and enters the rollback's first phase.
    pub(super) fn bg_start_rollback(&mut self, sid: ServiceId) {
        self.set_weights(sid, Some(Weights::blue()), Some(Weights::blue()));
        self.rollback_phase_entered(sid);
    }

    fn rollback_phase(&mut self, sid: ServiceId, phase: RollbackPhase) {
        let now = self.now;
        let Some(State::RollingBack(r)) = self.deploy.active.get_mut(&sid).map(|d| &mut d.state)
        else {
            return;
        };
        r.phase = phase;
        r.since = now;
        self.rollback_phase_entered(sid);
    }

    /// Records the rollback's current phase and runs its stage's hooks again (CLEAN_UP has
    /// none, so no hook runs while green scales down).
    fn rollback_phase_entered(&mut self, sid: ServiceId) {
        let Some(stage) = self.deploy.active.get(&sid).and_then(|d| d.stage()) else {
            return;
        };
        self.push_record(sid, stage, true);
        self.start_hooks(sid, stage);
    }

    /// One rollback step; `false` when it has to wait (for hooks).
    fn bg_rollback_advance(&mut self, sid: ServiceId) -> bool {
        let _ = self.poll_hooks(sid);
        let Some(RollingBack { phase, since, .. }) =
            self.deploy.active.get(&sid).and_then(|d| match &d.state {
                State::RollingBack(r) => Some(r.clone()),
                _ => None,
            })
        else {
            return false;
        };
        if !self.hooks_done(sid) {
            // Hooks that never answer cannot hold the rollback for ever: after the stage limit
            // it fails (traffic is already back on blue; green is left for RECONCILE_SERVICE).
            if self.now.since(since) >= STAGE_LIMIT_MS {
                self.finish(sid, DeploymentStatus::RollbackFailed);
                return true;
            }
            return false;
        }
        let Some(d) = self.deploy.active.get(&sid) else {
            return false;
        };
        let test = d
            .timeline
            .iter()
            .any(|r| r.stage == S::TestTrafficShift && !r.rollback);
        match phase {
            RollbackPhase::ProductionShiftBack if test => {
                self.rollback_phase(sid, RollbackPhase::TestShiftBack)
            }
            RollbackPhase::ProductionShiftBack | RollbackPhase::TestShiftBack => {
                self.rollback_phase(sid, RollbackPhase::ScaleDown)
            }
            RollbackPhase::ScaleDown | RollbackPhase::Rolling => {
                // Green goes only once blue runs healthy at the desired count again (tasks blue
                // lost during the deployment are replaced first), as CLEAN_UP waits for green.
                let (blue, green) = (d.blue, d.green);
                let desired = self.services[sid.0 as usize].desired;
                if self.census(sid, Some(blue)).healthy_staying < desired {
                    if self.now.since(since) >= STAGE_LIMIT_MS {
                        // Blue cannot get back (no capacity): green's tasks are left for the
                        // next deployment's RECONCILE_SERVICE rather than cut the service.
                        self.finish(sid, DeploymentStatus::RollbackFailed);
                        return true;
                    }
                    return false;
                }
                // Green's protected tasks are kept until their protection expires.
                if green != blue && !self.retire_all_but(sid, blue) {
                    return false;
                }
                self.finish(sid, DeploymentStatus::RollbackSuccessful);
            }
        }
        true
    }

    /// Live tasks of revisions other than `blue` and `green` (left by an earlier deployment).
    pub(crate) fn has_strays(&self, sid: ServiceId, blue: u32, green: u32) -> bool {
        self.owned.get(&Owner::Service(sid)).is_some_and(|ids| {
            ids.iter()
                .filter_map(|t| self.tasks.get(t))
                .any(|t| t.live() && t.revision != blue && t.revision != green)
        })
    }

    /// Like `has_strays`, without protected tasks: RECONCILE_SERVICE does not wait for those.
    pub(crate) fn has_unprotected_strays(&self, sid: ServiceId, blue: u32, green: u32) -> bool {
        self.owned.get(&Owner::Service(sid)).is_some_and(|ids| {
            ids.iter().filter_map(|t| self.tasks.get(t)).any(|t| {
                t.live() && t.revision != blue && t.revision != green && !t.is_protected(self.now)
            })
        })
    }
}
