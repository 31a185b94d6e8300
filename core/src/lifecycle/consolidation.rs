//! Infrastructure optimisation ("Amazon ECS Managed Instances infrastructure optimization"): idle
//! hosts are deregistered `scaleInAfter` after their last task stopped; underutilised hosts whose
//! service tasks fit elsewhere in the same AZ are drained start-before-stop; a host whose tasks fit
//! a cheaper type is replaced by one (downsizing). Every decision not to act is recorded as a
//! `HostKept` reason.

use alloc::vec::Vec;

use crate::event::{DeregisterWhy, EventKind, KeepWhy};
use crate::queue::Timer;
use crate::sim::Sim;
use crate::world::{DrainCause, HostId, HostStatus, Owner, Res, TaskState};

impl Sim {
    /// Records why a host was left alone; the event is emitted only when the reason changes
    /// (a countdown's remaining time is not a change).
    pub(crate) fn keep(&mut self, h: HostId, why: KeepWhy) {
        let same = match (self.lifecycle.kept.get(&h), &why) {
            (Some(KeepWhy::WithinScaleInAfter { .. }), KeepWhy::WithinScaleInAfter { .. }) => true,
            (Some(old), new) => old == new,
            (None, _) => false,
        };
        self.lifecycle.kept.insert(h, why);
        if !same {
            self.emit(EventKind::HostKept { host: h, why });
        }
    }

    /// The last task left an ACTIVE host: after `scaleInAfter` it is deregistered, unless a task
    /// arrives first (which bumps the host's timer generation).
    pub(crate) fn host_became_idle(&mut self, h: HostId) {
        let Some(after) = self.scenario.capacity_provider.scale_in_after_ms() else {
            self.keep(h, KeepWhy::OptimisationOff);
            return;
        };
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        if host.unreachable {
            // Nothing can be done to a host ECS cannot reach; recovery restarts the timer.
            return;
        }
        host.timer_gen += 1;
        let gen = host.timer_gen;
        self.queue.push(self.now + after, Timer::HostCheck(h, gen));
        if after > 0 {
            self.keep(
                h,
                KeepWhy::WithinScaleInAfter {
                    remaining_ms: after,
                },
            );
        }
    }

    /// (Re)starts the underutilisation check of a host that has tasks.
    pub(crate) fn schedule_check(&mut self, h: HostId) {
        let Some(after) = self.scenario.capacity_provider.scale_in_after_ms() else {
            return;
        };
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        if !matches!(host.status, HostStatus::Active | HostStatus::Registering)
            || host.tasks.is_empty()
        {
            return;
        }
        let due = self.now + after;
        // Many tasks arriving at once (a launch fills a host) would each queue the same check:
        // the one already queued for this moment, not cancelled since, is that check.
        if after > 0 && host.check_queued == Some((due, host.timer_gen)) {
            return;
        }
        host.timer_gen += 1;
        let gen = host.timer_gen;
        host.check_queued = Some((due, gen));
        self.queue.push(due, Timer::HostCheck(h, gen));
        self.lifecycle.changed_at.insert(h, self.now);
    }

    /// A task stopped on `h`: in `scaleInAfter`, look at the emptiest hosts of its AZ too.
    pub(crate) fn schedule_sweep(&mut self, h: HostId) {
        let Some(after) = self.scenario.capacity_provider.scale_in_after_ms() else {
            return;
        };
        let Some(az) = self.hosts.get(&h).map(|h| h.az) else {
            return;
        };
        self.lifecycle.sweep_at.insert(az, self.now + after);
    }

    /// Runs the AZ sweeps that are due (checked each minute).
    pub(crate) fn due_sweeps(&mut self) {
        let due: Vec<u32> = self
            .lifecycle
            .sweep_at
            .iter()
            .filter(|(_, at)| **at <= self.now)
            .map(|(az, _)| *az)
            .collect();
        for az in due {
            self.lifecycle.sweep_at.remove(&az);
            self.sweep_az(az);
        }
    }

    /// Checks the least-utilised settled hosts of an AZ, emptiest first, until one drains.
    fn sweep_az(&mut self, az: u32) {
        let after = self
            .scenario
            .capacity_provider
            .scale_in_after_ms()
            .unwrap_or(0);
        let mut candidates: Vec<(u64, HostId)> = self
            .hosts
            .values()
            .filter(|h| {
                h.az == az
                    && h.status == HostStatus::Active
                    && !h.unreachable
                    && !h.tasks.is_empty()
            })
            .filter(|h| {
                self.lifecycle
                    .changed_at
                    .get(&h.id)
                    .is_none_or(|t| self.now.since(*t) >= after)
            })
            .map(|h| (utilisation(&h.used, &h.capacity), h.id))
            .collect();
        candidates.sort_unstable();
        for (_, h) in candidates.into_iter().take(3) {
            if self.lifecycle.consolidating.values().any(|&a| a == az) {
                break;
            }
            self.consider_underutilised(h);
        }
    }

    pub(crate) fn host_check(&mut self, h: HostId, gen: u32) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        if host.timer_gen != gen || host.status != HostStatus::Active || host.unreachable {
            return;
        }
        if host.tasks.is_empty() {
            let idle_ms = self
                .scenario
                .capacity_provider
                .scale_in_after_ms()
                .unwrap_or(0);
            self.deregister(h, DeregisterWhy::Idle { idle_ms });
        } else {
            self.consider_underutilised(h);
        }
    }

    fn consider_underutilised(&mut self, h: HostId) {
        let host = &self.hosts[&h];
        let az = host.az;
        if self.lifecycle.consolidating.values().any(|&a| a == az) {
            // Another consolidation in this AZ is still moving tasks: look again later, so two
            // drains never count on the same free capacity.
            if let Some(after) = self.scenario.capacity_provider.scale_in_after_ms() {
                let gen = host.timer_gen;
                self.queue.push(
                    self.now + after.max(crate::time::MINUTE),
                    Timer::HostCheck(h, gen),
                );
            }
            return;
        }
        let mut owners = Vec::new();
        let mut needs: Vec<(Res, Owner)> = Vec::new();
        for t in host.tasks.iter().filter_map(|t| self.tasks.get(t)) {
            if matches!(t.owner, Owner::Standalone(_)) {
                return self.keep(h, KeepWhy::StandaloneTask);
            }
            if t.is_protected(self.now) {
                let id = t.id;
                return self.keep(h, KeepWhy::ProtectedTask(id));
            }
            if t.live() && t.state != TaskState::Running {
                // Still starting: the task's arrival already restarted this check.
                return;
            }
            if !owners.contains(&t.owner) {
                owners.push(t.owner);
            }
            if t.live() {
                needs.push((t.need, t.owner));
            }
        }
        if owners
            .iter()
            .any(|o| matches!(o, Owner::Service(s) if self.deployment_active(*s)))
        {
            return self.keep(h, KeepWhy::DeploymentInProgress);
        }
        let pct = self.scenario.capacity_provider.underutilized_below_percent;
        let util = utilisation(&host.used, &host.capacity);
        let mut fallback = None;
        if util < u64::from(pct) {
            if self.fits_elsewhere(h, &needs, Some(az)) {
                return self.start_consolidation(h, DrainCause::Underutilized);
            }
            fallback = Some(if self.fits_elsewhere(h, &needs, None) {
                KeepWhy::WouldBreakAzSpread
            } else {
                KeepWhy::TasksDoNotFitElsewhere
            });
        }
        if self.scenario.capacity_provider.downsizing {
            if let Some((to_type, saves_per_hour)) = self.cheaper_type(h, &owners) {
                return self.start_consolidation(
                    h,
                    DrainCause::Downsize {
                        to_type,
                        saves_per_hour,
                    },
                );
            }
            if fallback.is_none() && util < 50 {
                // Half empty, yet no cheaper type holds its tasks (ENIs or memory bind).
                fallback = Some(KeepWhy::NoCheaperTypeFits);
            }
        }
        match fallback {
            Some(why) => self.keep(h, why),
            None => {
                self.lifecycle.kept.remove(&h);
            }
        }
    }

    fn start_consolidation(&mut self, h: HostId, cause: DrainCause) {
        let az = self.hosts[&h].az;
        self.lifecycle.consolidating.insert(h, az);
        self.lifecycle.kept.remove(&h);
        self.drain_host(h, cause);
    }

    /// Whether the tasks fit the free room of other hosts (in `az`, or anywhere reachable),
    /// first-fit-decreasing, honouring memberOf and distinctInstance.
    fn fits_elsewhere(&self, h: HostId, needs: &[(Res, Owner)], az: Option<u32>) -> bool {
        let total = needs.iter().fold(Res::default(), |a, (n, _)| a.plus(n));
        // Type and AZ ride along: this runs on every task start and stop of an underused
        // host, and a host lookup per candidate per task was most of the fleet bench's time.
        let mut free: Vec<(HostId, Res, u32, u32)> = self
            .hosts
            .values()
            .filter(|o| o.id != h && o.status == HostStatus::Active && o.accepts_tasks())
            .filter(|o| az.is_none_or(|a| o.az == a) && !self.azs[o.az as usize].impaired)
            .map(|o| (o.id, o.free(), o.instance_type, o.az))
            .collect();
        let room = free.iter().fold(Res::default(), |a, f| a.plus(&f.1));
        if !total.fits_in(&room) {
            return false;
        }
        let mut sorted: Vec<&(Res, Owner)> = needs.iter().collect();
        sorted.sort_by_key(|n| core::cmp::Reverse((n.0.cpu, n.0.memory)));
        let mut placed: Vec<(HostId, Owner)> = Vec::new();
        for (need, owner) in sorted {
            let rules = self.rules(*owner);
            let (constrained, distinct) = (!rules.member_of.is_empty(), rules.distinct);
            let slot = free.iter_mut().find(|(id, f, ty, host_az)| {
                need.fits_in(f)
                    && (!constrained || self.host_allowed(*owner, *ty, *host_az))
                    && (!distinct || !self.runs_owner(*id, *owner, &placed))
            });
            match slot {
                Some((id, f, _, _)) => {
                    *f = f.minus(need);
                    placed.push((*id, *owner));
                }
                None => return false,
            }
        }
        true
    }

    fn runs_owner(&self, h: HostId, owner: Owner, placed: &[(HostId, Owner)]) -> bool {
        placed.contains(&(h, owner))
            || self.hosts[&h].tasks.iter().any(|t| {
                self.tasks
                    .get(t)
                    .is_some_and(|t| t.owner == owner && t.live())
            })
    }

    /// The cheapest allowed type that holds the host's tasks, if it is cheaper: (type, µ$/h saved).
    fn cheaper_type(&self, h: HostId, owners: &[Owner]) -> Option<(u32, u64)> {
        let host = &self.hosts[&h];
        let option = host.capacity_option;
        let (ec2, fee) = self.host_prices(host.instance_type, option);
        let current = ec2 + fee;
        let trunking = self.scenario.capacity_provider.awsvpc_trunking;
        // Owners without memberOf rules allow every type: look their rules up once, not per type.
        let constrained: Vec<Owner> = owners
            .iter()
            .copied()
            .filter(|o| !self.rules(*o).member_of.is_empty())
            .collect();
        let mut best: Option<(u64, u32)> = None;
        for &ty in &self.eligible {
            let t = &self.catalog[ty as usize];
            let cap = Res {
                cpu: t.cpu_units(),
                memory: t.memory_mib,
                enis: t.task_enis(trunking),
            };
            if !host.used.fits_in(&cap)
                || !constrained
                    .iter()
                    .all(|o| self.host_allowed(*o, ty, host.az))
            {
                continue;
            }
            let (e, f) = self.host_prices(ty, option);
            let price = e + f;
            if price < current && best.is_none_or(|(p, _)| price < p) {
                best = Some((price, ty));
            }
        }
        best.map(|(p, ty)| (ty, current - p))
    }
}

/// The busiest resource's share of capacity, percent.
fn utilisation(used: &Res, cap: &Res) -> u64 {
    let share = |u: u32, c: u32| {
        if c == 0 {
            0
        } else {
            u64::from(u) * 100 / u64::from(c)
        }
    };
    share(used.cpu, cap.cpu)
        .max(share(used.memory, cap.memory))
        .max(share(used.enis, cap.enis))
}
