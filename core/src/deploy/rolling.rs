//! ROLLING (the API's DeploymentConfiguration; "How the Amazon ECS deployment circuit breaker
//! detects failures"): new tasks start and old ones stop within the window [ceil(desired ×
//! minimumHealthyPercent), floor(desired × maximumPercent)] over RUNNING + PENDING tasks of every
//! revision; with the defaults (100/200) that is start-before-stop. The circuit breaker counts
//! failed starts of the new revision; a rollback rolls the last completed revision (the one in
//! production when the deployment started) out again the same way. Production traffic follows the
//! healthy tasks: each revision gets its share of them.

use alloc::vec::Vec;

use super::alarms::period_ms;
use super::state::State;
use super::traffic::{Weights, ALL_BP};
use super::Plan;
use crate::event::DeploymentStatus;
use crate::sim::Sim;
use crate::world::{Owner, ServiceId, StopCause, TaskState};

pub(super) struct Rolling;

impl Plan for Rolling {
    fn staged(&self) -> bool {
        false
    }
}

impl Sim {
    pub(super) fn rolling_reconcile(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let target = if d.is_rolling_back() { d.blue } else { d.green };
        let cfg = &d.config;
        let (min_pct, max_pct) = (cfg.minimum_healthy_percent, cfg.maximum_percent);
        let desired = self.services[sid.0 as usize].desired;
        let max_live = (u64::from(desired) * u64::from(max_pct) / 100) as u32;
        let min_healthy = (u64::from(desired) * u64::from(min_pct)).div_ceil(100) as u32;

        let all = self.census(sid, None);
        let tgt = self.census(sid, Some(target));
        // Tasks an impaired AZ made unreachable neither serve nor count as healthy.
        let healthy_all = all.healthy_staying
            + all
                .leaving
                .iter()
                .filter(|t| self.tasks[*t].healthy && !self.unreachable(**t))
                .count() as u32;
        // Old: every live task not of the target revision, plus target tasks on leaving hosts.
        let mut old: Vec<_> = all
            .staying
            .iter()
            .chain(&all.leaving)
            .filter(|t| self.tasks[*t].revision != target)
            .copied()
            .collect();
        old.extend(tgt.leaving.iter().copied());
        let mut live = (all.staying.len() + all.leaving.len()) as u32;
        // Unreachable ones stop at once, with their reason (ECS's exception for impaired AZs).
        old.retain(|&t| {
            if !self.unreachable(t) {
                return true;
            }
            self.stop_task(t, StopCause::AzImpaired);
            live -= 1;
            false
        });
        let unhealthy_old = old.iter().filter(|t| !self.tasks[*t].healthy).count() as u32;
        let healthy_old = old.len() as u32 - unhealthy_old;
        // Healthy old tasks may go while the healthy count stays at or above the minimum.
        let healthy_stops = healthy_all.saturating_sub(min_healthy).min(healthy_old);
        // Unstarted and unhealthy old tasks first, then healthy ones, protected ones never.
        old.sort_by_key(|t| {
            let task = &self.tasks[t];
            (task.healthy, task.state == TaskState::Running, *t)
        });
        let mut budget_healthy = healthy_stops;
        for t in old {
            let task = &self.tasks[&t];
            if task.is_protected(self.now) {
                continue;
            }
            if task.healthy {
                if budget_healthy == 0 {
                    continue;
                }
                budget_healthy -= 1;
            }
            self.stop_task(t, StopCause::Deployment);
            live -= 1;
        }
        let staying = tgt.staying.len() as u32;
        let start = desired
            .saturating_sub(staying)
            .min(max_live.saturating_sub(live));
        for _ in 0..start {
            self.create_task(
                Owner::Service(sid),
                target,
                crate::event::CreateWhy::Deployment,
            );
        }
        if staying > desired {
            self.scale_in(sid, tgt.staying, staying - desired, StopCause::ScaleIn);
        }
        self.rolling_weights(sid);
    }

    /// Production traffic goes to healthy tasks evenly, so green's weight is its healthy share.
    fn rolling_weights(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let green = self.census(sid, Some(d.green)).healthy_staying;
        let total = self.census(sid, None).healthy_staying;
        if total > 0 {
            let bp = (u64::from(green) * u64::from(ALL_BP) / u64::from(total)) as u32;
            self.set_weights(sid, Some(Weights::green(bp)), None);
        }
    }

    /// Done when only the target revision runs, at the desired count and healthy; with alarms
    /// the deployment then watches them for `evaluationPeriods × period` of the longest alarm
    /// (ECS derives this rolling bake from the alarm settings).
    pub(super) fn rolling_advance(&mut self, sid: ServiceId) {
        let now = self.now;
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let target = if d.is_rolling_back() { d.blue } else { d.green };
        let desired = self.services[sid.0 as usize].desired;
        let all = self.census(sid, None);
        let tgt = self.census(sid, Some(target));
        let settled = all.staying.len() == tgt.staying.len()
            && all.leaving.is_empty()
            && tgt.staying.len() as u32 == desired
            && tgt.healthy_staying == desired;
        if !settled {
            return;
        }
        let watch = d
            .config
            .alarms
            .alarms
            .iter()
            .map(|a| period_ms(a) * u64::from(a.evaluation_periods))
            .max()
            .unwrap_or(0);
        let watching = !d.alarms.is_empty();
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let done = match &mut d.state {
            State::RollingBack(_) => Some(DeploymentStatus::RollbackSuccessful),
            State::Rolling { monitor_until } => (!watching
                || *monitor_until.get_or_insert(now + watch) <= now)
                .then_some(DeploymentStatus::Successful),
            State::Staged(_) | State::Ended(_) => None,
        };
        if let Some(status) = done {
            self.finish(sid, status);
        }
    }
}
