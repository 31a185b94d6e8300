//! The service scheduler: keeps each service at its desired count, replaces tasks on draining
//! hosts start-before-stop within minimumHealthyPercent / maximumPercent, and scales in from
//! the AZ (then host) with the most tasks. Then it runs the placement pass.

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

use crate::event::{CreateWhy, EventKind};
use crate::queue::Timer;
use crate::sim::Sim;
use crate::world::{HostId, Owner, ServiceId, StopCause, Task, TaskId, TaskState};

/// How a service's live tasks of one revision stand.
#[derive(Default)]
pub(crate) struct Census {
    /// Live tasks on hosts that stay (or not yet placed).
    pub staying: Vec<TaskId>,
    /// Live tasks on draining, deregistering or unreachable hosts.
    pub leaving: Vec<TaskId>,
    pub healthy_staying: u32,
}

/// What the scale-in greedy needs of one candidate.
pub(crate) struct Candidate {
    t: TaskId,
    unstarted: bool,
    unhealthy: bool,
    protected: bool,
    /// Its host and the host's AZ.
    host: Option<(HostId, u32)>,
}

/// A census by counts: live tasks, those staying and healthy among them, and the leaving ones.
pub(crate) struct Counts {
    pub live: u32,
    pub staying: u32,
    pub healthy_staying: u32,
    pub leaving: Vec<TaskId>,
}

/// Candidates that may stop without touching the healthy count: unhealthy (or unstarted) and
/// not protected.
fn stoppable_unhealthy(candidates: &[Candidate]) -> u32 {
    candidates
        .iter()
        .filter(|c| c.unhealthy && !c.protected)
        .count() as u32
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
        // Only hosts that hold a live task of the service (the spread index knows which).
        for h in self
            .leaving_hosts
            .iter()
            .filter(|h| self.spread.on(owner, **h) > 0)
        {
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
        // maximumPercent bounds RUNNING + PENDING (rounded down) of the whole service, as a
        // share of its desired count. Outside a deployment that means every revision (tasks an
        // aborted deployment left behind take room too) and desired without AZ rebalancing's
        // extra tasks, which must fit inside the same window. A staged deployment runs each
        // revision at up to 100 % of desired, so there the window is per revision.
        let plain = !self.deploy.active.contains_key(&sid);
        let base = if plain {
            self.services[sid.0 as usize].desired.min(target)
        } else {
            target
        };
        let max_live = ((u64::from(base) * u64::from(max_pct)) / 100).max(u64::from(base)) as u32;
        let min_healthy = (u64::from(target) * u64::from(min_pct)).div_ceil(100) as u32;

        // Leaving tasks that never started stop at once, and so do those an impaired AZ made
        // unreachable (ECS's exception: they neither serve nor count as healthy). Both happen
        // before any start, so the room they free is there for the replacements this pass.
        let mut live = if plain {
            self.census_counts(sid, None).live
        } else {
            c.live
        };
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
        // minimumHealthyPercent is a promise about the whole service (every revision), not
        // about one revision's target: a revision scaled to zero must not take the healthy
        // tasks of the service below the floor either.
        let (mut healthy_service, floor) = self.service_floor(sid);
        for t in draining {
            let task = &self.tasks[&t];
            if let Some(until) = task.protected_until.filter(|u| *u > self.now) {
                let host = task.host.unwrap_or(HostId(0));
                self.report_drain_blocked(host, t, until);
                continue;
            }
            let after = healthy - u32::from(task.healthy);
            let after_service = healthy_service - u32::from(task.healthy);
            if after < min_healthy || after_service < floor {
                continue;
            }
            let planted =
                self.planted == Some(crate::sim::PlantedBug::StopBeforeReplacementHealthy);
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
            healthy_service = after_service;
            live -= 1;
            self.stop_task(t, cause);
        }

        if may_scale_in && staying > target {
            let candidates = self.staying_candidates(sid, rev);
            // Unstarted and unhealthy tasks go first (protected ones never); healthy ones only
            // down to the floor.
            let spare = stoppable_unhealthy(&candidates) + healthy_service.saturating_sub(floor);
            let n = (staying - target).min(spare);
            self.stop_greedy(candidates, n as usize, StopCause::ScaleIn);
        }
    }

    /// Healthy, reachable tasks of the whole service, and the floor minimumHealthyPercent
    /// (the running deployment's, else the service's) puts under them.
    pub(crate) fn service_floor(&self, sid: ServiceId) -> (u32, u32) {
        let all = self.census_counts(sid, None);
        let healthy = all.healthy_staying
            + all
                .leaving
                .iter()
                .filter(|t| self.tasks[*t].healthy && !self.unreachable(**t))
                .count() as u32;
        let desired = self.services[sid.0 as usize].desired;
        let floor = (u64::from(desired) * u64::from(self.window(sid).0)).div_ceil(100) as u32;
        (healthy, floor)
    }

    fn report_drain_blocked(&mut self, host: HostId, task: TaskId, until: crate::time::SimTime) {
        if self.lifecycle.reported_blocks.insert((host, task, until)) {
            self.emit(EventKind::DrainBlocked { host, task, until });
            self.queue.push(until, Timer::ProtectionExpired(task));
        }
    }

    /// Stops up to `surplus` of `candidates`: unstarted tasks first, then from the AZ with the
    /// most tasks of the service, then the host with the most. Protected tasks are skipped, and
    /// healthy ones stop only while the service keeps its minimumHealthyPercent floor (a
    /// protected task that never started cannot be the one that goes, so a healthy one must
    /// not take the service below the floor in its place).
    pub(crate) fn scale_in(
        &mut self,
        sid: ServiceId,
        candidates: Vec<TaskId>,
        surplus: u32,
        cause: StopCause,
    ) -> u32 {
        let facts: Vec<Candidate> = candidates
            .iter()
            .map(|t| self.candidate(&self.tasks[t]))
            .collect();
        let (healthy, floor) = self.service_floor(sid);
        let n = surplus.min(stoppable_unhealthy(&facts) + healthy.saturating_sub(floor));
        self.stop_greedy(facts, n as usize, cause)
    }

    /// A scale-in candidate's fixed facts, read once.
    fn candidate(&self, task: &Task) -> Candidate {
        Candidate {
            t: task.id,
            unstarted: task.state != TaskState::Running,
            unhealthy: !task.healthy,
            protected: task.is_protected(self.now),
            host: task.host.map(|h| (h, self.hosts[&h].az)),
        }
    }

    /// The census's staying tasks of one revision as scale-in candidates, in task order: one
    /// visit per task instead of a census and then a second lookup of each task and host.
    fn staying_candidates(&self, sid: ServiceId, rev: u32) -> Vec<Candidate> {
        let mut out = Vec::new();
        for t in self
            .owned
            .get(&Owner::Service(sid))
            .into_iter()
            .flatten()
            .filter_map(|t| self.tasks.get(t))
        {
            if !t.live() || t.revision != rev {
                continue;
            }
            let host = match t.host {
                Some(h) => match self.hosts.get(&h) {
                    Some(host) if !host.leaving() => Some((h, host.az)),
                    _ => continue,
                },
                None => None,
            };
            out.push(Candidate {
                t: t.id,
                unstarted: t.state != TaskState::Running,
                unhealthy: !t.healthy,
                protected: t.is_protected(self.now),
                host,
            });
        }
        out
    }

    /// The scale-in greedy over candidates' facts (see `scale_in`).
    fn stop_greedy(&mut self, candidates: Vec<Candidate>, n: usize, cause: StopCause) -> u32 {
        if n == 0 {
            return 0;
        }
        // Hosts are numbered ("slots") in order of first appearance, which the tie-break below
        // depends on; the host table's dense positions index that numbering without a sort.
        let mut slot_of: Vec<u32> = alloc::vec![u32::MAX; self.hosts.len()];
        let mut per_az: Vec<u32> = alloc::vec![0; self.azs.len()];
        // Per slot: candidates on it (protected ones count too), and its AZ.
        let mut per_host: Vec<u32> = Vec::new();
        let mut slot_az: Vec<u32> = Vec::new();
        // (task, unstarted, unhealthy, host slot) of the unprotected candidates.
        let mut pool: Vec<(TaskId, bool, bool, Option<u32>)> = Vec::with_capacity(candidates.len());
        for c in &candidates {
            let s = c.host.map(|(h, az)| {
                let p = self
                    .hosts
                    .dense_index(&h)
                    .expect("a candidate's host exists");
                if slot_of[p] == u32::MAX {
                    slot_of[p] = per_host.len() as u32;
                    per_host.push(0);
                    slot_az.push(az);
                }
                let i = slot_of[p];
                per_host[i as usize] += 1;
                per_az[az as usize] += 1;
                i
            });
            if !c.protected {
                pool.push((c.t, c.unstarted, c.unhealthy, s));
            }
        }
        // Within a host, the oldest task goes first; a census lists tasks in id order already.
        let in_id_order = candidates.is_sorted_by_key(|c| c.t);
        // Greedy: unstarted before started, unhealthy before healthy; then the AZ with the most
        // tasks of the service, then the host with the most, then the oldest task. Per class,
        // each AZ keeps a heap of its hosts by (tasks, earliest slot), so a pick costs O(AZs +
        // log hosts), not a scan of every host.
        let mut stopped = 0;
        for class in [(true, true), (true, false), (false, true), (false, false)] {
            if !pool.iter().any(|p| (p.1, p.2) == class) {
                continue;
            }
            let mut unplaced: Vec<TaskId> = Vec::new();
            // This class's placed tasks grouped by slot (a counting sort), oldest first within
            // each; next[slot] is where the slot's group starts and ends.
            let mut next: Vec<(u32, u32)> = alloc::vec![(0, 0); per_host.len()];
            for &(t, unstarted, unhealthy, s) in &pool {
                if (unstarted, unhealthy) != class {
                    continue;
                }
                match s {
                    Some(i) => next[i as usize].1 += 1,
                    None => unplaced.push(t),
                }
            }
            for t in unplaced {
                if stopped >= n {
                    return stopped as u32;
                }
                self.stop_task(t, cause);
                stopped += 1;
            }
            let mut total = 0;
            for g in &mut next {
                let len = g.1;
                *g = (total, total);
                total += len;
            }
            if total == 0 {
                continue;
            }
            let mut placed: Vec<TaskId> = alloc::vec![TaskId(0); total as usize];
            for &(t, unstarted, unhealthy, s) in &pool {
                if let (Some(i), true) = (s, (unstarted, unhealthy) == class) {
                    let g = &mut next[i as usize];
                    placed[g.1 as usize] = t;
                    g.1 += 1;
                }
            }
            let mut heaps: Vec<BinaryHeap<(u32, Reverse<u32>)>> =
                alloc::vec![BinaryHeap::new(); per_az.len()];
            for (s, &(at, end)) in next.iter().enumerate() {
                if at < end {
                    if !in_id_order {
                        placed[at as usize..end as usize].sort_unstable();
                    }
                    heaps[slot_az[s] as usize].push((per_host[s], Reverse(s as u32)));
                }
            }
            while stopped < n {
                let az = (0..per_az.len())
                    .filter(|&az| !heaps[az].is_empty())
                    .max_by_key(|&az| (per_az[az], Reverse(az)));
                let Some(az) = az else { break };
                let (count, Reverse(s)) = heaps[az].pop().expect("AZ has hosts");
                let (at, end) = next[s as usize];
                let t = placed[at as usize];
                next[s as usize].0 += 1;
                per_az[az] -= 1;
                per_host[s as usize] -= 1;
                if at + 1 < end {
                    heaps[az].push((count - 1, Reverse(s)));
                }
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
