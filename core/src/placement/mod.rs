//! The placement pass (reference §3.4, §8.3). A snapshot of the tasks without a host is placed:
//!
//! 1. **AZ spread first**: each task goes to the allowed AZ with the fewest tasks of its service
//!    (or standalone group); among equals, one where existing capacity has room.
//! 2. **Existing capacity first**: inside that AZ, an ACTIVE (or still-registering) host that
//!    fits and satisfies the constraints — the one with the fewest tasks of the service, then the
//!    fullest (best fit).
//! 3. **New capacity**: what is left is packed per AZ onto newly launched instances by
//!    cost-aware first-fit-decreasing (`pack`), types chosen by attribute-based selection.

pub mod pack;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::event::{EventKind, LaunchWhy, PendingWhy, PlaceWhy};
use crate::sim::Sim;
use crate::world::{HostId, Owner, Res, TaskId};
use pack::{Item, TypeInfo};

impl Sim {
    pub(crate) fn place_pending(&mut self) {
        if self.unplaced.is_empty() {
            return;
        }
        let retry_waiting = self.tried_epoch != self.capacity_epoch;
        self.tried_epoch = self.capacity_epoch;
        let mut todo: Vec<(TaskId, Owner, Res)> = self
            .unplaced
            .iter()
            .filter(|t| retry_waiting || !self.unplaced_reason.contains_key(t))
            .filter_map(|t| self.tasks.get(t))
            .filter(|t| t.live() && t.host.is_none())
            .map(|t| (t.id, t.owner, t.need))
            .collect();
        if todo.is_empty() {
            return;
        }
        // Biggest first (first-fit-decreasing), then oldest.
        todo.sort_by(|a, b| {
            (b.2.cpu, b.2.memory)
                .cmp(&(a.2.cpu, a.2.memory))
                .then(a.0.cmp(&b.0))
        });

        let n_az = self.azs.len();
        let mut counts: BTreeMap<Owner, Vec<u32>> = BTreeMap::new();
        for &(_, owner, _) in &todo {
            counts.entry(owner).or_insert_with(|| self.az_counts(owner));
        }
        let mut az_hosts: Vec<Vec<HostId>> = alloc::vec![Vec::new(); n_az];
        for h in self.hosts.values().filter(|h| h.accepts_tasks()) {
            az_hosts[h.az as usize].push(h.id);
        }
        let mut batches: Vec<Vec<(TaskId, Owner, Res)>> = alloc::vec![Vec::new(); n_az];
        // Per owner: the AZs its constraints allow and that are not impaired (computed once).
        let mut zones: BTreeMap<Owner, (Vec<u32>, bool)> = BTreeMap::new();
        let mut per_host: BTreeMap<Owner, BTreeMap<HostId, u32>> = BTreeMap::new();
        self.events.reserve(todo.len() * 2);

        for (t, owner, need) in todo {
            let (allowed, any_az) = zones
                .entry(owner)
                .or_insert_with(|| {
                    let ok: Vec<u32> = (0..n_az as u32)
                        .filter(|&az| self.az_allowed(owner, az))
                        .collect();
                    let healthy = ok
                        .iter()
                        .copied()
                        .filter(|&az| !self.azs[az as usize].impaired)
                        .collect();
                    (healthy, !ok.is_empty())
                })
                .clone();
            if allowed.is_empty() {
                self.mark_unplaced(
                    t,
                    if any_az {
                        PendingWhy::NoHealthyAz
                    } else {
                        PendingWhy::ConstraintUnsatisfiable
                    },
                );
                continue;
            }
            let c = &counts[&owner];
            let min = allowed.iter().map(|&a| c[a as usize]).min().unwrap_or(0);
            let mut tied = allowed.iter().copied().filter(|&a| c[a as usize] == min);
            let first_tied = tied.clone().next().unwrap_or(0);
            let mut choice: Option<(u32, HostId)> = None;
            for az in &mut tied {
                let same = per_host
                    .entry(owner)
                    .or_insert_with(|| self.tasks_per_host(owner));
                if let Some(h) = self.best_host(&az_hosts[az as usize], owner, need, same) {
                    choice = Some((az, h));
                    break;
                }
            }
            let az = choice.map_or(first_tied, |c| c.0);
            let other_az_max = allowed
                .iter()
                .filter(|&&a| a != az)
                .map(|&a| c[a as usize])
                .max()
                .unwrap_or(0);
            let why = PlaceWhy {
                az_count: min,
                other_az_max,
                new_host: false,
                cached: false,
            };
            counts.get_mut(&owner).expect("counted above")[az as usize] += 1;
            match choice {
                Some((_, h)) => {
                    *per_host.entry(owner).or_default().entry(h).or_default() += 1;
                    self.assign(t, h, why)
                }
                None => batches[az as usize].push((t, owner, need)),
            }
        }

        for (az, batch) in batches.into_iter().enumerate() {
            if !batch.is_empty() {
                self.launch_for(az as u32, batch);
            }
        }
    }

    /// Tasks of `owner` per AZ (live tasks on hosts that are not leaving, and ones on their way).
    fn az_counts(&self, owner: Owner) -> Vec<u32> {
        let mut c = alloc::vec![0u32; self.azs.len()];
        if let Some(ids) = self.owned.get(&owner) {
            for t in ids.iter().filter_map(|t| self.tasks.get(t)) {
                if let Some(h) = t.host.and_then(|h| self.hosts.get(&h)) {
                    if h.accepts_tasks() || h.status == crate::world::HostStatus::Active {
                        c[h.az as usize] += 1;
                    }
                }
            }
        }
        c
    }

    /// Live tasks of `owner` per host.
    fn tasks_per_host(&self, owner: Owner) -> BTreeMap<HostId, u32> {
        let mut m = BTreeMap::new();
        for t in self
            .owned
            .get(&owner)
            .into_iter()
            .flatten()
            .filter_map(|t| self.tasks.get(t))
        {
            if let Some(h) = t.host {
                *m.entry(h).or_default() += 1;
            }
        }
        m
    }

    /// Whether some eligible instance type in this AZ satisfies the owner's memberOf rules.
    pub(crate) fn az_allowed(&self, owner: Owner, az: u32) -> bool {
        self.rules(owner).member_of.is_empty()
            || self
                .eligible
                .iter()
                .any(|&ty| self.host_allowed(owner, ty, az))
    }

    /// The host in the AZ for a task: fits, satisfies constraints, fewest tasks of the same
    /// owner, then the fullest (best fit). `same` counts the owner's live tasks per host.
    fn best_host(
        &self,
        hosts: &[HostId],
        owner: Owner,
        need: Res,
        same: &BTreeMap<HostId, u32>,
    ) -> Option<HostId> {
        let rules = self.rules(owner);
        let (distinct, free_rules) = (rules.distinct, rules.member_of.is_empty());
        let mut best: Option<(u32, u32, HostId)> = None;
        for &h in hosts {
            let host = &self.hosts[&h];
            let free = host.free();
            if !need.fits_in(&free)
                || !(free_rules || self.host_allowed(owner, host.instance_type, host.az))
            {
                continue;
            }
            let n = same.get(&h).copied().unwrap_or(0);
            if distinct && n > 0 {
                continue;
            }
            let key = (n, free.cpu, h);
            if best.is_none_or(|k| key < k) {
                best = Some(key);
            }
        }
        best.map(|b| b.2)
    }

    fn mark_unplaced(&mut self, t: TaskId, why: PendingWhy) {
        if self.unplaced_reason.get(&t) == Some(&why) {
            return;
        }
        // The task stays PROVISIONING (waiting for capacity, with the reason): PENDING would
        // have to go back to PROVISIONING once it is placed on a host still launching.
        self.unplaced_reason.insert(t, why);
        self.emit(EventKind::TaskUnplaced { task: t, why });
    }

    /// Launches new instances in `az` for tasks existing capacity could not take.
    fn launch_for(&mut self, az: u32, batch: Vec<(TaskId, Owner, Res)>) {
        let trunking = self.scenario.capacity_provider.awsvpc_trunking;
        let rule = self.scenario.capacity_provider.selection;
        let pending_in_az = batch.len() as u32;
        // Group by the instance types each owner's constraints allow in this AZ.
        let mut groups: BTreeMap<Vec<u32>, Vec<Item>> = BTreeMap::new();
        let mut per_owner: BTreeMap<Owner, (Vec<u32>, Option<u32>)> = BTreeMap::new();
        for (t, owner, need) in batch {
            let (types, distinct) = per_owner
                .entry(owner)
                .or_insert_with(|| {
                    let rules = self.rules(owner);
                    let types = if rules.member_of.is_empty() {
                        self.eligible.clone()
                    } else {
                        self.eligible
                            .iter()
                            .copied()
                            .filter(|&ty| self.host_allowed(owner, ty, az))
                            .collect()
                    };
                    (types, rules.distinct.then_some(owner_key(owner)))
                })
                .clone();
            groups.entry(types).or_default().push(Item {
                task: t,
                need,
                distinct,
            });
        }
        for (types, items) in groups {
            if types.is_empty() {
                for it in items {
                    self.mark_unplaced(it.task, PendingWhy::ConstraintUnsatisfiable);
                }
                continue;
            }
            let infos: Vec<TypeInfo> = types
                .iter()
                .map(|&i| {
                    let t = &self.catalog[i as usize];
                    TypeInfo {
                        catalog_idx: i,
                        cap: Res {
                            cpu: t.cpu_units(),
                            memory: t.memory_mib,
                            enis: t.task_enis(trunking),
                        },
                        price: t.total_per_hour().0,
                        family: crate::hash::fold(0, &t.family()) as u32,
                    }
                })
                .collect();
            let bound = self.bound_for(&types).clone();
            let (bins, misfits) = pack::pack(items, &infos, &bound, rule);
            for it in misfits {
                self.mark_unplaced(it.task, PendingWhy::NoTypeFits);
            }
            let quota = self.scenario.capacity_provider.max_instances;
            for bin in bins {
                if self.hosts.len() as u32 >= quota {
                    for it in bin.items {
                        self.mark_unplaced(it.task, PendingWhy::LaunchQuota);
                    }
                    continue;
                }
                let why = LaunchWhy {
                    pending_in_az,
                    tasks: bin.items.len() as u32,
                    rule,
                    right_sized: bin.right_sized,
                    price_per_hour: 0,
                };
                let h = self.launch_host(infos[bin.ty as usize].catalog_idx, az, why);
                for it in bin.items {
                    let t = it.task;
                    let why = PlaceWhy {
                        az_count: 0,
                        other_az_max: 0,
                        new_host: true,
                        cached: false,
                    };
                    self.assign(t, h, why);
                }
            }
        }
    }
}

fn owner_key(owner: Owner) -> u32 {
    match owner {
        Owner::Service(s) => s.0,
        Owner::Standalone(g) => 0x8000_0000 | g,
    }
}
