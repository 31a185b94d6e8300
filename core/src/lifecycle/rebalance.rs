//! Availability Zone rebalancing ("Balancing an Amazon ECS service across Availability Zones").
//! Once a service is at steady state, per-AZ targets are desired ÷ AZs with the remainder spread;
//! on imbalance it starts tasks (placement puts them in the AZ with the fewest), waits until they
//! are healthy, then stops tasks in the AZ with the most. Protected tasks and deployments stop it.
//! The surplus it starts is carried as `extra` above desired, so the scheduler's scale-in does not
//! undo it. With maximumPercent = 100 or a placement constraint on the AZ it never starts; an
//! imbalance it then leaves is logged with the reason.

use alloc::vec::Vec;

use crate::event::{CreateWhy, EventKind, KeepWhy, ReplaceWhy};
use crate::lifecycle::Rebalance;
use crate::sim::Sim;
use crate::world::{Host, Owner, ServiceId, StopCause, TaskId, TaskState};

/// One placed, live task of the production revision on a host that stays.
struct Placed {
    id: TaskId,
    az: u32,
    host_tasks: u32,
    healthy: bool,
    protected: bool,
}

/// Tasks to move for an even spread: Σ|count − target| / 2, the largest AZs taking the remainder.
fn moves_needed(counts: &[u32], desired: u32) -> u32 {
    let n = counts.len() as u32;
    let mut sorted: Vec<u32> = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let (base, rem) = (desired / n, desired % n);
    let off: u32 = sorted
        .iter()
        .enumerate()
        .map(|(i, &c)| c.abs_diff(base + u32::from((i as u32) < rem)))
        .sum();
    off / 2
}

impl Sim {
    /// Tasks a rebalance has started above the service's desired count.
    pub(crate) fn rebalance_extra(&self, sid: ServiceId) -> u32 {
        self.lifecycle.rebalancing.get(&sid).map_or(0, |r| r.extra)
    }

    /// Looks only at services with a rebalance in progress or whose spread may have changed
    /// (newly steady, an AZ recovered): a steady service's spread cannot change without it
    /// leaving steady state first, and the scan is O(tasks of the service).
    pub(crate) fn rebalance_pass(&mut self, services: &[ServiceId]) {
        for &sid in services {
            if self.lifecycle.rebalancing.contains_key(&sid)
                || self.lifecycle.check_balance.remove(&sid)
            {
                self.rebalance_service(sid);
            }
        }
        // Services not reconciled this pass (an AZ recovery marks them all).
        let rest: Vec<ServiceId> = core::mem::take(&mut self.lifecycle.check_balance)
            .into_iter()
            .collect();
        for sid in rest {
            self.rebalance_service(sid);
        }
    }

    fn end_rebalance(&mut self, sid: ServiceId, why: Option<KeepWhy>) {
        if let Some(r) = self.lifecycle.rebalancing.remove(&sid) {
            if let Some(why) = why {
                self.emit(EventKind::RebalancingStopped { service: sid, why });
            }
            // Shed the surplus now: this pass's own changes do not trigger another.
            if r.extra > 0 && !self.deployment_active(sid) {
                let svc = &self.services[sid.0 as usize];
                let (rev, desired) = (svc.revision, svc.desired);
                self.reconcile_revision(sid, rev, desired, true);
            }
        }
    }

    fn rebalance_service(&mut self, sid: ServiceId) {
        let svc = &self.services[sid.0 as usize];
        let (desired, rev, steady, enabled) =
            (svc.desired, svc.revision, svc.steady, svc.rebalancing);
        let spec = &self.scenario.services[svc.spec as usize];
        let max_pct = spec.deployment_configuration.maximum_percent;
        let unavailable = spec.rebalancing_unavailable();
        let owner = Owner::Service(sid);
        if !enabled || (unavailable.is_some() && self.lifecycle.rebalancing.contains_key(&sid)) {
            return self.end_rebalance(sid, None);
        }
        if self.deployment_active(sid) {
            return self.end_rebalance(sid, Some(KeepWhy::DeploymentInProgress));
        }
        // Rebalancing starts only from a steady state; skip the task scan otherwise.
        if !steady && !self.lifecycle.rebalancing.contains_key(&sid) {
            return;
        }
        let usable: Vec<u32> = (0..self.azs.len() as u32)
            .filter(|&a| !self.azs[a as usize].impaired && self.az_allowed(owner, a))
            .collect();
        if usable.len() < 2 {
            return self.end_rebalance(sid, None);
        }
        let balanced = |c: &[u32]| c.iter().max().unwrap_or(&0) - c.iter().min().unwrap_or(&0) <= 1;
        if !self.lifecycle.rebalancing.contains_key(&sid) {
            if let Some((counts, unsettled)) = self.settled_spread(sid, rev, &usable) {
                if unsettled > 0 || balanced(&counts) {
                    return;
                }
            }
        }
        let mut counts = alloc::vec![0u32; usable.len()];
        let mut placed: Vec<Placed> = Vec::new();
        let (mut unsettled, mut healthy) = (0u32, 0u32);
        // maximumPercent bounds every live task of the service: other revisions' (a protected
        // task a deployment left) and those on leaving hosts count too, not only the ones moved.
        let mut live = 0u32;
        for t in self
            .owned
            .get(&owner)
            .into_iter()
            .flatten()
            .filter_map(|t| self.tasks.get(t))
        {
            // One host lookup per task: this scan runs on every pass of a steady service.
            live += u32::from(t.live());
            let host = t.host.map(|h| self.hosts.get(&h));
            if !t.live() || t.revision != rev || host.is_some_and(|h| h.is_none_or(Host::leaving)) {
                continue;
            }
            let host = host.flatten();
            let slot = host.and_then(|h| usable.iter().position(|&a| a == h.az));
            match (host, slot) {
                (Some(h), Some(i)) if t.state == TaskState::Running => {
                    counts[i] += 1;
                    healthy += u32::from(t.healthy);
                    placed.push(Placed {
                        id: t.id,
                        az: i as u32,
                        host_tasks: h.tasks.len() as u32,
                        healthy: t.healthy,
                        protected: t.is_protected(self.now),
                    });
                }
                _ => unsettled += 1,
            }
        }

        let Some(mut r) = self.lifecycle.rebalancing.get(&sid).cloned() else {
            if !steady || unsettled > 0 || balanced(&counts) {
                return;
            }
            // An imbalance ECS would rebalance, were a precondition met: the log says which
            // one is not, rather than nothing ("Balancing an Amazon ECS service across
            // Availability Zones").
            if let Some(why) = unavailable {
                self.emit(EventKind::RebalancingUnavailable { service: sid, why });
                return;
            }
            let moves = moves_needed(&counts, desired);
            self.emit(EventKind::RebalancingStarted {
                service: sid,
                moves,
            });
            return self.start_moves(sid, rev, desired, live, max_pct, moves, 0);
        };
        if r.desired != desired {
            // Auto scaling or the user changed the count: the scheduler takes over; a later
            // steady state starts a new rebalance if one is still needed.
            return self.end_rebalance(sid, None);
        }
        // Stop phase: only while the service has more healthy tasks than desired, so a stop
        // never takes it below desired (and so never below minimumHealthyPercent).
        while r.extra > 0 && healthy > desired {
            let (most, _) = counts
                .iter()
                .enumerate()
                .max_by_key(|(i, c)| (**c, core::cmp::Reverse(*i)))
                .unwrap_or((0, &0));
            let victim = placed
                .iter()
                .filter(|p| p.az == most as u32 && !p.protected)
                .min_by_key(|p| (p.healthy, p.host_tasks, core::cmp::Reverse(p.id)))
                .map(|p| (p.id, p.healthy));
            let Some((victim, was_healthy)) = victim else {
                let blocker = placed
                    .iter()
                    .find(|p| p.az == most as u32)
                    .map_or(TaskId(0), |p| p.id);
                return self.end_rebalance(sid, Some(KeepWhy::ProtectedTask(blocker)));
            };
            placed.retain(|p| p.id != victim);
            counts[most] -= 1;
            healthy -= u32::from(was_healthy);
            r.extra -= 1;
            live = live.saturating_sub(1);
            let from = self.tasks.get(&victim).and_then(|t| t.host);
            self.stop_task(victim, StopCause::Rebalance);
            // Placement may have put a started task next to the victim: that is no move.
            let moved = |t: &TaskId| {
                self.tasks
                    .get(t)
                    .is_some_and(|t| t.live() && t.host.is_some() && t.host != from)
            };
            if let Some(i) = r.started.iter().position(moved) {
                let new = r.started.remove(i);
                self.emit(EventKind::TaskReplaced {
                    old: victim,
                    new,
                    why: ReplaceWhy::Rebalance,
                });
            }
        }
        if r.extra > 0 {
            self.lifecycle.rebalancing.insert(sid, r);
            return;
        }
        if balanced(&counts) && unsettled == 0 {
            self.lifecycle.rebalancing.remove(&sid);
            self.emit(EventKind::RebalancingCompleted { service: sid });
            return;
        }
        if unsettled > 0 {
            self.lifecycle.rebalancing.insert(sid, r);
            return;
        }
        // Another round; bounded, in case placement keeps choosing an AZ we did not expect.
        if r.rounds >= desired + 2 {
            self.lifecycle.rebalancing.remove(&sid);
            return;
        }
        let moves = moves_needed(&counts, desired);
        self.start_moves(sid, rev, desired, live, max_pct, moves, r.rounds + 1);
    }

    /// The scan's per-AZ counts and unsettled tasks, read from the spread index, when every live
    /// task of the service is a healthy task of `rev` on a host that stays: then every one is
    /// running and placed, so the index counts exactly the tasks the scan would. `None` when
    /// that does not hold (the scan decides).
    fn settled_spread(&self, sid: ServiceId, rev: u32, usable: &[u32]) -> Option<(Vec<u32>, u32)> {
        let owner = Owner::Service(sid);
        let (live, healthy) = self.counts.get(&(owner, rev)).copied().unwrap_or_default();
        let all: u32 = self
            .counts
            .range((owner, 0)..=(owner, u32::MAX))
            .map(|(_, c)| c.0)
            .sum();
        if all != live || healthy != live || !self.census_counts(sid, Some(rev)).leaving.is_empty()
        {
            return None;
        }
        let counts: Vec<u32> = usable
            .iter()
            .map(|&az| self.spread.in_az(owner, az))
            .collect();
        let unsettled = live - counts.iter().sum::<u32>();
        #[cfg(debug_assertions)]
        {
            let mut scan = alloc::vec![0u32; usable.len()];
            let mut scan_unsettled = 0;
            for t in self.owned.get(&owner).into_iter().flatten() {
                let az = self.tasks[t].host.map(|h| self.hosts[&h].az);
                match az.and_then(|az| usable.iter().position(|&a| a == az)) {
                    Some(i) => scan[i] += 1,
                    None => scan_unsettled += 1,
                }
            }
            debug_assert_eq!(
                (&scan, scan_unsettled),
                (&counts, unsettled),
                "spread index"
            );
        }
        Some((counts, unsettled))
    }

    /// Starts up to `moves` tasks within maximumPercent; placement puts each in the AZ with the
    /// fewest tasks of the service.
    #[allow(clippy::too_many_arguments)]
    fn start_moves(
        &mut self,
        sid: ServiceId,
        rev: u32,
        desired: u32,
        live: u32,
        max_pct: u32,
        moves: u32,
        rounds: u32,
    ) {
        let max_live = (u64::from(desired) * u64::from(max_pct) / 100) as u32;
        let k = moves.min(max_live.saturating_sub(live));
        if k == 0 {
            self.lifecycle.rebalancing.remove(&sid);
            return;
        }
        self.lifecycle.rebalancing.insert(
            sid,
            Rebalance {
                extra: k,
                desired,
                rounds,
                started: Vec::new(),
            },
        );
        let started: Vec<TaskId> = (0..k)
            .filter_map(|_| self.create_task(Owner::Service(sid), rev, CreateWhy::Rebalance))
            .collect();
        if let Some(r) = self.lifecycle.rebalancing.get_mut(&sid) {
            r.started = started;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_follow_the_documented_targets() {
        // 5 tasks over 3 AZs → 1+2+2; from 5/0/0 that is 3 moves.
        assert_eq!(moves_needed(&[5, 0, 0], 5), 3);
        assert_eq!(moves_needed(&[2, 2, 1], 5), 0);
        assert_eq!(moves_needed(&[5, 5, 0], 10), 3);
        assert_eq!(moves_needed(&[1, 2], 3), 0);
    }
}
