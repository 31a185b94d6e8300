//! The lifecycle-stage engine blue/green, linear and canary share ("Amazon ECS blue/green service
//! deployments workflow"). BLUE_GREEN itself moves production traffic all at once; LINEAR and
//! CANARY differ only in their steps.
//!
//! Green is started in SCALE_UP and must reach 100 % of the desired count, healthy, before any
//! traffic moves (Managed Instances launches hosts for it, so the fleet doubles for a while).
//! Blue keeps running until CLEAN_UP, so a rollback only moves the weights back (re-running the
//! traffic-shift hooks) and then scales green down; it never starts blue tasks.

use alloc::vec::Vec;

use super::traffic::{Weights, ALL_BP};
use super::{plan, Plan, RollbackPhase, StageRecord, STAGE_LIMIT_MS};
use crate::event::{DeploymentStatus, EventKind, RollbackWhy};
use crate::scenario::{HookTarget, LifecycleStage as S};
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE};
use crate::world::{Owner, ServiceId, StopCause};

pub(super) struct BlueGreen;

impl Plan for BlueGreen {}

impl Sim {
    /// Keeps blue at the desired count and green at its stage's target; stops stray revisions.
    pub(super) fn bg_reconcile(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let (blue, green, stage, rollback) = (d.blue, d.green, d.stage, d.rollback);
        let retiring = d.retiring && rollback.is_none();
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
        if rollback.is_none() && green != blue {
            // Before SCALE_UP green gets no new tasks, but green tasks an earlier deployment
            // left running are kept: SCALE_UP counts them, and stopping a healthy task only
            // to start its twin minutes later would cut the healthy count for nothing. Kept
            // tasks are held at their count, so one on a draining host is replaced before it
            // stops, like any other task.
            let scaling = stage.is_some_and(|s| s >= S::ScaleUp);
            let green_target = if scaling {
                desired
            } else {
                let live = self.census_counts(sid, Some(green)).live;
                let d = self.deploy.active.get_mut(&sid).expect("checked above");
                d.kept_green = d.kept_green.min(live);
                d.kept_green.min(desired)
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
            if d.rollback.is_some() {
                if !self.bg_rollback_advance(sid) {
                    return;
                }
                continue;
            }
            if let Some(why) = self.poll_hooks(sid) {
                self.fail(sid, why, true);
                continue;
            }
            let Some(d) = self.deploy.active.get(&sid) else {
                return;
            };
            let Some(stage) = d.stage else { return };
            if self.stage_done(sid) {
                match self.next_stage(sid) {
                    Some(next) => self.enter_stage(sid, next, false),
                    None => {
                        self.clean_up(sid);
                        return;
                    }
                }
            } else if self.now >= d.stage_deadline {
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
        if !self.hooks_done(sid) {
            return false;
        }
        let baked = d.bake_until.is_none_or(|t| t <= self.now);
        match d.stage {
            Some(S::ReconcileService) => !self.has_unprotected_strays(sid, d.blue, d.green),
            // CLEAN_UP too: blue goes only once green runs healthy at the desired count again
            // (a green task lost during the bake is replaced first).
            Some(S::ScaleUp | S::CleanUp) => {
                let desired = self.services[sid.0 as usize].desired;
                self.census(sid, Some(d.green)).healthy_staying >= desired
            }
            Some(S::ProductionTrafficShift | S::BakeTime) => baked,
            None => false,
            Some(_) => true,
        }
    }

    fn next_stage(&self, sid: ServiceId) -> Option<S> {
        let d = self.deploy.active.get(&sid)?;
        Some(match d.stage? {
            S::ReconcileService => S::PreScaleUp,
            S::PreScaleUp => S::ScaleUp,
            S::ScaleUp => S::PostScaleUp,
            S::PostScaleUp => S::TestTrafficShift,
            S::TestTrafficShift => S::PostTestTrafficShift,
            S::PostTestTrafficShift => S::PreProductionTrafficShift,
            S::PreProductionTrafficShift => S::ProductionTrafficShift,
            S::ProductionTrafficShift
                if (d.step as usize) < plan(d.strategy).steps(&d.config).len() =>
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
        let step = match stage {
            S::PreProductionTrafficShift if !rollback => d.step + 1,
            S::ProductionTrafficShift if !rollback => d.step,
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

    pub(super) fn enter_stage(&mut self, sid: ServiceId, stage: S, rollback: bool) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        if stage == S::ProductionTrafficShift {
            d.step += 1;
        }
        // A pause hook may wait longer than the 24 h stage limit when configured to.
        let longest_pause = d
            .config
            .lifecycle_hooks
            .iter()
            .filter(|h| h.target_type == HookTarget::Pause && h.lifecycle_stages.contains(&stage))
            .map(|h| u64::from(h.timeout_configuration.timeout_in_minutes) * MINUTE)
            .max()
            .unwrap_or(0);
        d.stage = Some(stage);
        d.stage_started = now;
        d.stage_deadline = now + STAGE_LIMIT_MS.max(longest_pause);
        d.bake_until = None;
        let (id, step) = (d.id, d.step);
        let steps = plan(d.strategy).steps(&d.config);
        let step_bake = plan(d.strategy).step_bake_ms(&d.config, step.saturating_sub(1));
        let bake = u64::from(d.config.bake_time_in_minutes) * MINUTE;
        self.push_record(sid, stage, rollback);
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
        d.retiring = true;
        let green = d.green;
        if self.retire_all_but(sid, green) {
            self.finish(sid, DeploymentStatus::Successful);
        }
    }

    fn set_bake(&mut self, sid: ServiceId, until: SimTime) {
        if let Some(d) = self.deploy.active.get_mut(&sid) {
            d.bake_until = Some(until);
        }
    }

    /// Returns 100 % of production and test traffic to blue at once, then re-runs the
    /// traffic-shift hooks (production first, then test) and scales green down.
    pub(super) fn bg_start_rollback(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let shifted = |s: S| d.timeline.iter().any(|r| r.stage == s && !r.rollback);
        let (prod, test) = (
            shifted(S::ProductionTrafficShift),
            shifted(S::TestTrafficShift),
        );
        self.set_weights(sid, Some(Weights::blue()), Some(Weights::blue()));
        let phase = if prod {
            RollbackPhase::ProductionShiftBack
        } else if test {
            RollbackPhase::TestShiftBack
        } else {
            RollbackPhase::ScaleDown
        };
        self.rollback_phase(sid, phase);
    }

    fn rollback_phase(&mut self, sid: ServiceId, phase: RollbackPhase) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        d.rollback = Some(phase);
        let stage = match phase {
            RollbackPhase::ProductionShiftBack => S::ProductionTrafficShift,
            RollbackPhase::TestShiftBack => S::TestTrafficShift,
            RollbackPhase::ScaleDown | RollbackPhase::Rolling => S::CleanUp,
        };
        d.stage = Some(stage);
        d.stage_started = self.now;
        self.push_record(sid, stage, true);
        if stage.hookable() {
            self.start_hooks(sid, stage);
        } else {
            // No hook runs while green scales down.
            self.start_hooks(sid, S::CleanUp);
        }
    }

    /// One rollback step; `false` when it has to wait (for hooks).
    fn bg_rollback_advance(&mut self, sid: ServiceId) -> bool {
        let _ = self.poll_hooks(sid);
        if !self.hooks_done(sid) {
            // Hooks that never answer cannot hold the rollback for ever: after the stage limit
            // it fails (traffic is already back on blue; green is left for RECONCILE_SERVICE).
            let started = self
                .deploy
                .active
                .get(&sid)
                .map_or(self.now, |d| d.stage_started);
            if self.now.since(started) >= STAGE_LIMIT_MS {
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
        match d.rollback {
            Some(RollbackPhase::ProductionShiftBack) if test => {
                self.rollback_phase(sid, RollbackPhase::TestShiftBack)
            }
            Some(RollbackPhase::ProductionShiftBack | RollbackPhase::TestShiftBack) => {
                self.rollback_phase(sid, RollbackPhase::ScaleDown)
            }
            _ => {
                // Green goes only once blue runs healthy at the desired count again (tasks blue
                // lost during the deployment are replaced first), as CLEAN_UP waits for green.
                let (blue, green, started) = (d.blue, d.green, d.stage_started);
                let desired = self.services[sid.0 as usize].desired;
                if self.census(sid, Some(blue)).healthy_staying < desired {
                    if self.now.since(started) >= STAGE_LIMIT_MS {
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
}
