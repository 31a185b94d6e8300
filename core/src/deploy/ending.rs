//! How a deployment ends: a failure rolls it back or stops it where it is ("How the Amazon ECS
//! deployment circuit breaker detects failures", "How CloudWatch alarms detect Amazon ECS
//! deployment failures"), a newer deployment supersedes it, or it finishes; finished deployments
//! are kept, a few per service, for the UI and comparisons.

use super::stages::first_rollback_phase;
use super::state::{Ended, RollbackPhase, RollingBack, State};
use super::traffic::Weights;
use super::HISTORY;
use crate::event::{DeploymentStatus, EventKind, RollbackWhy};
use crate::scenario::LifecycleStage;
use crate::sim::Sim;
use crate::world::{Owner, ServiceId};

impl Sim {
    /// The deployment failed: roll back, or (without rollback) stop where it is.
    pub(crate) fn fail(&mut self, sid: ServiceId, why: RollbackWhy, rollback: bool) {
        if !rollback {
            self.finish_abort(sid, why);
            return;
        }
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let (phase, since) = match &d.state {
            State::Rolling { .. } => (RollbackPhase::Rolling, d.started_at),
            State::Staged(_) => (first_rollback_phase(&d.timeline), now),
            State::RollingBack(_) | State::Ended(_) => return,
        };
        d.state = State::RollingBack(RollingBack {
            phase,
            since,
            why: why.clone(),
            exposure_milli: d.traffic.green.requests_milli,
        });
        let id = d.id;
        self.emit(EventKind::DeploymentRollingBack {
            service: sid,
            deployment: id,
            why,
        });
        if phase != RollbackPhase::Rolling {
            self.bg_start_rollback(sid);
        }
        self.touch(Owner::Service(sid));
    }

    /// ABORT (or a failure without rollback): production traffic stays on the production
    /// revision, the new revision's tasks are left for the next deployment's RECONCILE_SERVICE.
    pub(super) fn finish_abort(&mut self, sid: ServiceId, why: RollbackWhy) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let exposure = d.exposure_milli();
        if d.traffic.production != Weights::blue() || d.traffic.test != Weights::blue() {
            self.set_weights(sid, Some(Weights::blue()), Some(Weights::blue()));
        }
        self.end(sid, DeploymentStatus::Stopped, Some(why), Some(exposure));
    }

    /// A newer deployment arrives in BAKE_TIME or CLEAN_UP. The lifecycle-stage reference says
    /// nothing of this case; the assumption (stated in the event) is the safest one: production
    /// and test traffic stay on the new revision, which already serves all of it and passed
    /// every hook, so no traffic moves without its hooks; it becomes the production revision
    /// (what the newer deployment starts from and would roll back to), and the older revision's
    /// tasks are left for the newer deployment's RECONCILE_SERVICE. The superseded deployment
    /// ends STOPPED, since its bake did not finish.
    pub(super) fn finish_superseded_after_shift(&mut self, sid: ServiceId, stage: LifecycleStage) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let (exposure, green) = (d.exposure_milli(), d.green);
        self.services[sid.0 as usize].revision = green;
        let why = RollbackWhy::SupersededAfterProductionShift { stage };
        self.end(sid, DeploymentStatus::Stopped, Some(why), Some(exposure));
    }

    /// The deployment reached `status` by itself: a rollback keeps its reason and exposure.
    pub(super) fn finish(&mut self, sid: ServiceId, status: DeploymentStatus) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let (why, exposure) = match &d.state {
            State::RollingBack(r) => (Some(r.why.clone()), Some(r.exposure_milli)),
            State::Rolling { .. } | State::Staged(_) | State::Ended(_) => (None, None),
        };
        self.end(sid, status, why, exposure);
    }

    /// Ends the deployment. Without an `exposure_milli` the new revision was exposed to every
    /// request it served.
    fn end(
        &mut self,
        sid: ServiceId,
        status: DeploymentStatus,
        why: Option<RollbackWhy>,
        exposure_milli: Option<u64>,
    ) {
        self.account(sid);
        let now = self.now;
        let total = self.cost().total().0;
        let Some(mut d) = self.deploy.active.remove(&sid) else {
            return;
        };
        d.state = State::Ended(Ended {
            status,
            at: now,
            why: why.clone(),
            exposure_milli: exposure_milli.unwrap_or(d.traffic.green.requests_milli),
            cost: total,
            rolled_back: d.is_rolling_back(),
        });
        if let Some(r) = d.timeline.last_mut() {
            r.ended_at.get_or_insert(now);
        }
        for h in &mut d.hooks {
            h.phase = super::HookPhase::Idle;
        }
        if status == DeploymentStatus::Successful {
            self.services[sid.0 as usize].revision = d.green;
        }
        self.emit(EventKind::DeploymentFinished {
            service: sid,
            deployment: d.id,
            status,
            why,
        });
        let list = self.deploy.finished.entry(sid).or_default();
        list.push(d);
        if list.len() > HISTORY {
            list.remove(0);
        }
        self.touch(Owner::Service(sid));
    }
}
