//! The service scheduler: keeps each service at its desired count, replaces tasks on draining
//! hosts start-before-stop within minimumHealthyPercent / maximumPercent, and scales in from
//! the AZ (then host) with the most tasks. Then it runs the placement pass.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::event::{CreateWhy, EventKind};
use crate::queue::Timer;
use crate::sim::Sim;
use crate::world::{HostId, Owner, ServiceId, StopCause, TaskId, TaskState};

/// How a service's live tasks of one revision stand.
#[derive(Default)]
pub(crate) struct Census {
    /// Live tasks on hosts that stay (or not yet placed).
    pub staying: Vec<TaskId>,
    /// Live tasks on draining, deregistering or unreachable hosts.
    pub leaving: Vec<TaskId>,
    pub healthy_staying: u32,
}

/// A census by counts: live tasks, those staying and healthy among them, and the leaving ones.
pub(crate) struct Counts {
    pub live: u32,
    pub staying: u32,
    pub healthy_staying: u32,
    pub leaving: Vec<TaskId>,
}

impl Sim {
    pub(crate) fn reconcile(&mut self) {
        let dirty: Vec<ServiceId> = if core::mem::take(&mut self.dirty_all) {
            self.services.iter().map(|s| s.id).collect()
        } else {
            core::mem::take(&mut self.dirty).into_iter().collect()
        };
        self.dirty.clear();
        for &sid in &dirty {
            let i = sid.0;
            if !self.deploy_reconcile(sid) {
                let svc = &self.services[i as usize];
                // A rebalance in progress runs `extra` tasks above desired until it stops some.
                let (rev, desired) = (svc.revision, svc.desired + self.rebalance_extra(sid));
                self.reconcile_revision(sid, rev, desired, true);
            }
            self.update_steady(sid);
        }
        self.rebalance_pass(&dirty);
        self.place_pending();
        // What this pass itself changed needs no second pass.
        for sid in &dirty {
            self.dirty.remove(sid);
        }
    }

    /// The census without the list of staying tasks, from the counters and the leaving hosts.
    pub(crate) fn census_counts(&self, sid: ServiceId, rev: Option<u32>) -> Counts {
        let owner = Owner::Service(sid);
        let (live, healthy) = match rev {
            Some(r) => self.counts.get(&(owner, r)).copied().unwrap_or_default(),
            None => self
                .counts
                .range((owner, 0)..=(owner, u32::MAX))
                .fold((0, 0), |a, (_, c)| (a.0 + c.0, a.1 + c.1)),
        };
        let mut c = Counts {
            live,
            staying: live,
            healthy_staying: healthy,
            leaving: Vec::new(),
        };
        for h in &self.leaving_hosts {
            for t in self
                .hosts
                .get(h)
                .into_iter()
                .flat_map(|h| h.tasks.iter())
                .filter_map(|t| self.tasks.get(t))
            {
                if t.owner == owner && t.live() && rev.is_none_or(|r| r == t.revision) {
                    c.leaving.push(t.id);
                    c.staying = c.staying.saturating_sub(1);
                    c.healthy_staying = c.healthy_staying.saturating_sub(u32::from(t.healthy));
                }
            }
        }
        // Task order, as the full census gives it.
        c.leaving.sort_unstable();
        #[cfg(debug_assertions)]
        {
            let full = self.census(sid, rev);
            debug_assert_eq!(
                (
                    full.staying.len() as u32,
                    full.healthy_staying,
                    &full.leaving
                ),
                (c.staying, c.healthy_staying, &c.leaving),
                "census counters out of step"
            );
        }
        c
    }

    pub(crate) fn census(&self, sid: ServiceId, rev: Option<u32>) -> Census {
        let mut c = Census::default();
        let Some(ids) = self.owned.get(&Owner::Service(sid)) else {
            return c;
        };
        for t in ids.iter().filter_map(|t| self.tasks.get(t)) {
            if !t.live() || rev.is_some_and(|r| r != t.revision) {
                continue;
            }
            if t.host.is_some_and(|h| self.host_is_leaving(h)) {
                c.leaving.push(t.id);
            } else {
                if t.healthy {
                    c.healthy_staying += 1;
                }
                c.staying.push(t.id);
            }
        }
        c
    }

    /// The minimumHealthyPercent / maximumPercent that govern a service now: the running
    /// deployment's own configuration, else the service's.
    pub(crate) fn window(&self, sid: ServiceId) -> (u32, u32) {
        let c = match self.deploy.active.get(&sid) {
            Some(d) => &d.config,
            None => {
                let spec = self.services[sid.0 as usize].spec;
                &self.scenario.services[spec as usize].deployment_configuration
            }
        };
        (c.minimum_healthy_percent, c.maximum_percent)
    }

    /// Whether the task's host is unreachable (its AZ is impaired).
    pub(crate) fn unreachable(&self, t: TaskId) -> bool {
        self.tasks
            .get(&t)
            .and_then(|t| t.host)
            .and_then(|h| self.hosts.get(&h))
            .is_some_and(|h| h.unreachable)
    }

    /// Brings one revision of a service to `target` tasks. `may_scale_in` is false while a
    /// deployment owns scale-in of that revision.
    pub(crate) fn reconcile_revision(
        &mut self,
        sid: ServiceId,
        rev: u32,
        target: u32,
        may_scale_in: bool,
    ) {
        let (min_pct, max_pct) = self.window(sid);
        let c = self.census_counts(sid, Some(rev));
        let staying = c.staying;
        // maximumPercent bounds RUNNING + PENDING (rounded down); never below the target itself.
        let max_live =
            ((u64::from(target) * u64::from(max_pct)) / 100).max(u64::from(target)) as u32;
        let min_healthy = (u64::from(target) * u64::from(min_pct)).div_ceil(100) as u32;

        // Leaving tasks that never started stop at once, and so do those an impaired AZ made
        // unreachable (ECS's exception: they neither serve nor count as healthy). Both happen
        // before any start, so the room they free is there for the replacements this pass.
        let mut live = c.live;
        let mut draining = Vec::new();
        for &t in &c.leaving {
            if self.tasks[&t].state != TaskState::Running {
                self.stop_task(t, StopCause::PendingOnDrainingHost);
                live -= 1;
            } else if self.unreachable(t) {
                self.stop_task(t, StopCause::AzImpaired);
                live -= 1;
            } else {
                draining.push(t);
            }
        }

        let need = target.saturating_sub(staying);
        let room = max_live.saturating_sub(live);
        let start = need.min(room);
        let mut replaced = c.leaving.iter();
        for _ in 0..start {
            let why = match replaced.next() {
                Some(old) => CreateWhy::Replaces(*old),
                None => CreateWhy::BelowDesired {
                    live: c.live,
                    desired: target,
                },
            };
            self.create_task(Owner::Service(sid), rev, why);
        }

        // Running tasks on draining hosts: each goes once the healthy tasks left after it still
        // reach the target (its replacement is healthy) — or, when maximumPercent leaves no room
        // to start a replacement first, as far as minimumHealthyPercent allows. When the target
        // fell below what runs (scale-in during a drain), draining tasks are the surplus that
        // goes first, down to maximumPercent and again no further than the minimum.
        live += start;
        let window_blocked = need > start;
        let mut healthy =
            c.healthy_staying + draining.iter().filter(|t| self.tasks[t].healthy).count() as u32;
        for t in draining {
            let task = &self.tasks[&t];
            if let Some(until) = task.protected_until.filter(|u| *u > self.now) {
                let host = task.host.unwrap_or(HostId(0));
                self.report_drain_blocked(host, t, until);
                continue;
            }
            let after = healthy - u32::from(task.healthy);
            if after < min_healthy {
                continue;
            }
            let planted = self.planted == Some(crate::sim::PlantedBug::StopBeforeReplacementHealthy);
            let cause = if after >= target || planted {
                StopCause::HostDraining
            } else if live > max_live {
                StopCause::ScaleIn
            } else if window_blocked {
                StopCause::HostDrainingNoRoom
            } else {
                continue;
            };
            healthy = after;
            live -= 1;
            self.stop_task(t, cause);
        }

        if may_scale_in && staying > target {
            let staying_ids = self.census(sid, Some(rev)).staying;
            self.scale_in(
                sid,
                staying_ids,
                (staying - target) as usize,
                StopCause::ScaleIn,
            );
        }
    }

    fn report_drain_blocked(&mut self, host: HostId, task: TaskId, until: crate::time::SimTime) {
        if self.lifecycle.reported_blocks.insert((host, task, until)) {
            self.emit(EventKind::DrainBlocked { host, task, until });
            self.queue.push(until, Timer::ProtectionExpired(task));
        }
    }

    /// Stops `n` of `candidates`: unstarted tasks first, then from the AZ with the most tasks of
    /// the service, then the host with the most. Protected tasks are skipped.
    pub(crate) fn scale_in(
        &mut self,
        sid: ServiceId,
        candidates: Vec<TaskId>,
        n: usize,
        cause: StopCause,
    ) -> u32 {
        let _ = sid;
        // Each candidate's fixed facts, read once; AZ and host counts in dense arrays, so the
        // greedy choice below costs no map lookups (it runs n × candidates times).
        struct Cand {
            t: TaskId,
            unstarted: bool,
            unhealthy: bool,
            slot: Option<(u32, u32)>,
        }
        let mut per_az: Vec<u32> = alloc::vec![0; self.azs.len()];
        let mut host_slot: BTreeMap<HostId, u32> = BTreeMap::new();
        let mut per_host: Vec<u32> = Vec::new();
        let mut pool: Vec<Cand> = Vec::new();
        for t in &candidates {
            let task = &self.tasks[t];
            let slot = task.host.map(|h| {
                let az = self.hosts[&h].az;
                let next = host_slot.len() as u32;
                let i = *host_slot.entry(h).or_insert(next);
                if i as usize == per_host.len() {
                    per_host.push(0);
                }
                per_host[i as usize] += 1;
                per_az[az as usize] += 1;
                (az, i)
            });
            if !task.is_protected(self.now) {
                pool.push(Cand {
                    t: *t,
                    unstarted: task.state != TaskState::Running,
                    unhealthy: !task.healthy,
                    slot,
                });
            }
        }
        // Greedy: unstarted before started, unhealthy before healthy; then the AZ with the most
        // tasks of the service, then the host with the most, then the oldest task. Per class,
        // candidates are grouped per host so each pick costs O(AZs + hosts in that AZ).
        let mut stopped = 0;
        for class in [(true, true), (true, false), (false, true), (false, false)] {
            let mut by_host: BTreeMap<(u32, u32), Vec<TaskId>> = BTreeMap::new();
            let mut unplaced: Vec<TaskId> = Vec::new();
            for c in pool.iter().filter(|c| (c.unstarted, c.unhealthy) == class) {
                match c.slot {
                    Some(slot) => by_host.entry(slot).or_default().push(c.t),
                    None => unplaced.push(c.t),
                }
            }
            for t in unplaced {
                if stopped >= n {
                    return stopped as u32;
                }
                self.stop_task(t, cause);
                stopped += 1;
            }
            for list in by_host.values_mut() {
                // Pop from the back: the oldest (smallest id) goes first.
                list.sort_unstable_by(|a, b| b.cmp(a));
            }
            while stopped < n && !by_host.is_empty() {
                let az = by_host
                    .keys()
                    .map(|(az, _)| *az)
                    .max_by_key(|az| (per_az[*az as usize], core::cmp::Reverse(*az)));
                let Some(az) = az else { break };
                let key = by_host
                    .range((az, 0)..=(az, u32::MAX))
                    .map(|(k, _)| *k)
                    .max_by_key(|(_, h)| (per_host[*h as usize], core::cmp::Reverse(*h)));
                let Some(key) = key else { break };
                let list = by_host.get_mut(&key).expect("key from the map");
                let t = list.pop().expect("lists are never empty");
                if list.is_empty() {
                    by_host.remove(&key);
                }
                per_az[key.0 as usize] -= 1;
                per_host[key.1 as usize] -= 1;
                self.stop_task(t, cause);
                stopped += 1;
            }
            if stopped >= n {
                break;
            }
        }
        stopped as u32
    }

    fn update_steady(&mut self, sid: ServiceId) {
        let svc = &self.services[sid.0 as usize];
        let c = self.census_counts(sid, None);
        let steady = c.leaving.is_empty()
            && c.staying == svc.desired
            && c.healthy_staying == svc.desired
            && !self.deployment_active(sid);
        if steady && !svc.steady {
            self.lifecycle.check_balance.insert(sid);
            self.emit(EventKind::ServiceSteady { service: sid });
        }
        self.services[sid.0 as usize].steady = steady;
    }
}
