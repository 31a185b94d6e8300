//! The placement pass ("Amazon ECS Managed Instances auto scaling and task placement"). A snapshot
//! of the tasks without a host is placed:
//!
//! 1. **AZ spread first**: each task goes to the allowed AZ with the fewest tasks of its service
//!    (or standalone group); among equals, one where existing capacity has room.
//! 2. **Existing capacity first**: inside that AZ, an ACTIVE (or still-registering) host that
//!    fits and satisfies the constraints — the one with the fewest tasks of the service, then the
//!    fullest (best fit).
//! 3. **New capacity**: what is left is packed per AZ onto newly launched instances by
//!    cost-aware first-fit-decreasing (`pack`), types chosen by attribute-based selection.

mod exact;
mod fill;
pub mod pack;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::event::{EventKind, LaunchWhy, PendingWhy, PlaceWhy};
use crate::sim::Sim;
use crate::world::{HostId, Owner, Res, TaskId};
use pack::{Item, TypeInfo};

/// A host that accepts tasks, as this pass sees it. The pass reads these flat copies, not the
/// host map: a map lookup per candidate host per task was the heaviest scenario's whole cost.
struct Slot {
    id: HostId,
    free: Res,
    instance_type: u32,
    az: u32,
}

/// What the pass needs of one owner, worked out once per pass.
struct OwnerPass {
    /// The AZs its constraints allow that are not impaired, and whether any AZ is allowed.
    allowed: Vec<u32>,
    any_az: bool,
    /// Its tasks per AZ (as `az_counts`), counting this pass's choices too.
    counts: Vec<u32>,
    /// Its live tasks per slot (by slot index), built the first time a host is sought.
    same: Option<Vec<u32>>,
}

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
            .filter(|t| !self.throttled(t.owner))
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
        let mut owners: BTreeMap<Owner, OwnerPass> = BTreeMap::new();
        for &(_, owner, _) in &todo {
            if owners.contains_key(&owner) {
                continue;
            }
            let ok: Vec<u32> = (0..n_az as u32)
                .filter(|&az| self.az_allowed(owner, az))
                .collect();
            let allowed = ok
                .iter()
                .copied()
                .filter(|&az| !self.azs[az as usize].impaired)
                .collect();
            let pass = OwnerPass {
                allowed,
                any_az: !ok.is_empty(),
                counts: self.az_counts(owner),
                same: None,
            };
            owners.insert(owner, pass);
        }
        // Slots in host-id order, so `tasks_per_slot` can merge them with the spread index.
        let mut slots: Vec<Slot> = self
            .hosts
            .values()
            .filter(|h| h.accepts_tasks())
            .map(|h| Slot {
                id: h.id,
                free: h.free(),
                instance_type: h.instance_type,
                az: h.az,
            })
            .collect();
        let mut az_slots: Vec<Vec<u32>> = alloc::vec![Vec::new(); n_az];
        // Per AZ, the most free cpu, memory and ENIs of any slot: a task larger in any of them
        // fits no host there, so the scan is skipped (it stays an upper bound as slots fill).
        // At the launch quota, every capacity change retries the whole backlog.
        let mut az_room: Vec<Res> = alloc::vec![Res::default(); n_az];
        for (i, s) in slots.iter().enumerate() {
            az_slots[s.az as usize].push(i as u32);
            let room = &mut az_room[s.az as usize];
            room.cpu = room.cpu.max(s.free.cpu);
            room.memory = room.memory.max(s.free.memory);
            room.enis = room.enis.max(s.free.enis);
        }
        // A retried backlog brings many tasks at once: each AZ's slots are then ordered by the
        // free cpu they had when the pass began, most first, and a task scans only those that
        // had room for its cpu. Free room only shrinks during a pass, so none further can fit.
        let cpu0: Vec<u32> = slots.iter().map(|s| s.free.cpu).collect();
        let by_cpu = todo.len() > 16;
        if by_cpu {
            for list in &mut az_slots {
                list.sort_unstable_by_key(|&i| (core::cmp::Reverse(cpu0[i as usize]), i));
            }
        }
        let mut batches: Vec<Vec<(TaskId, Owner, Res)>> = alloc::vec![Vec::new(); n_az];
        // Per AZ, task sizes no host there had room for (owners without rules).
        let mut no_room: Vec<Vec<Res>> = alloc::vec![Vec::new(); n_az];
        self.events.reserve(todo.len() * 2);

        for (t, owner, need) in todo {
            let pass = owners.get_mut(&owner).expect("every owner has a pass");
            if pass.allowed.is_empty() {
                let why = if pass.any_az {
                    PendingWhy::NoHealthyAz
                } else {
                    PendingWhy::ConstraintUnsatisfiable
                };
                self.mark_unplaced(t, why);
                continue;
            }
            let c = &pass.counts;
            let min = pass
                .allowed
                .iter()
                .map(|&a| c[a as usize])
                .min()
                .unwrap_or(0);
            let mut tied = pass
                .allowed
                .iter()
                .copied()
                .filter(|&a| c[a as usize] == min);
            let first_tied = tied.clone().next().unwrap_or(0);
            let mut choice: Option<(u32, u32)> = None;
            let rules = self.rules(owner);
            let unruled = rules.member_of.is_empty() && !rules.distinct;
            for az in &mut tied {
                if !need.fits_in(&az_room[az as usize]) {
                    continue;
                }
                // Free room only shrinks during a pass: once no host in the AZ fits a size, no
                // host fits any size at least as large, for owners without rules.
                let known = &no_room[az as usize];
                if unruled && known.iter().any(|r| r.fits_in(&need)) {
                    continue;
                }
                let same = pass
                    .same
                    .get_or_insert_with(|| self.tasks_per_slot(owner, &slots));
                let in_az = &az_slots[az as usize];
                let in_az = match by_cpu {
                    true => &in_az[..in_az.partition_point(|&i| cpu0[i as usize] >= need.cpu)],
                    false => &in_az[..],
                };
                if let Some(i) = self.best_slot(&slots, in_az, owner, need, same) {
                    choice = Some((az, i));
                    break;
                }
                if unruled {
                    no_room[az as usize].push(need);
                }
            }
            let az = choice.map_or(first_tied, |c| c.0);
            let other_az_max = pass
                .allowed
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
            pass.counts[az as usize] += 1;
            match choice {
                Some((_, i)) => {
                    if let Some(same) = pass.same.as_mut() {
                        same[i as usize] += 1;
                    }
                    let slot = &mut slots[i as usize];
                    slot.free = slot.free.minus(&need);
                    self.assign(t, slot.id, why)
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
        // Every placed task counts but those on hosts that are leaving and not ACTIVE, and
        // those are only on leaving hosts (few), so the spread index answers in O(leaving).
        let mut c: Vec<u32> = (0..self.azs.len() as u32)
            .map(|az| self.spread.in_az(owner, az))
            .collect();
        for h in self.leaving_hosts.iter().filter_map(|h| self.hosts.get(h)) {
            if !(h.accepts_tasks() || h.status == crate::world::HostStatus::Active) {
                c[h.az as usize] -= self.spread.on(owner, h.id);
            }
        }
        #[cfg(debug_assertions)]
        {
            let mut full: BTreeMap<HostId, u32> = BTreeMap::new();
            for t in self.owned.get(&owner).into_iter().flatten() {
                if let Some(h) = self.tasks.get(t).and_then(|t| t.host) {
                    *full.entry(h).or_default() += 1;
                }
            }
            let index: BTreeMap<HostId, u32> = self.spread.hosts(owner).collect();
            debug_assert_eq!(full, index, "live tasks per host out of step");
            let mut scan = alloc::vec![0u32; self.azs.len()];
            for (h, n) in &full {
                let h = &self.hosts[h];
                if h.accepts_tasks() || h.status == crate::world::HostStatus::Active {
                    scan[h.az as usize] += n;
                }
            }
            debug_assert_eq!(scan, c, "tasks per AZ out of step");
        }
        c
    }

    /// Live tasks of `owner` per slot.
    fn tasks_per_slot(&self, owner: Owner, slots: &[Slot]) -> Vec<u32> {
        // Both lists are in host-id order: one merge, no search per host.
        let mut same = alloc::vec![0u32; slots.len()];
        let mut i = 0;
        for (h, n) in self.spread.hosts(owner) {
            while i < slots.len() && slots[i].id < h {
                i += 1;
            }
            if i == slots.len() {
                break;
            }
            if slots[i].id == h {
                same[i] = n;
            }
        }
        same
    }

    /// Whether some eligible instance type in this AZ satisfies the owner's memberOf rules.
    pub(crate) fn az_allowed(&self, owner: Owner, az: u32) -> bool {
        self.rules(owner).member_of.is_empty()
            || self
                .eligible
                .iter()
                .any(|&ty| self.host_allowed(owner, ty, az))
    }

    /// The slot in the AZ for a task: fits, satisfies constraints, fewest tasks of the same
    /// owner, then the fullest (best fit). `same` counts the owner's live tasks per slot.
    fn best_slot(
        &self,
        slots: &[Slot],
        in_az: &[u32],
        owner: Owner,
        need: Res,
        same: &[u32],
    ) -> Option<u32> {
        let rules = self.rules(owner);
        let (distinct, free_rules) = (rules.distinct, rules.member_of.is_empty());
        let mut best: Option<(u32, u32, HostId, u32)> = None;
        for &i in in_az {
            let s = &slots[i as usize];
            if !need.fits_in(&s.free)
                || !(free_rules || self.host_allowed(owner, s.instance_type, s.az))
            {
                continue;
            }
            let n = same[i as usize];
            if distinct && n > 0 {
                continue;
            }
            let key = (n, s.free.cpu, s.id, i);
            if best.is_none_or(|k| key < k) {
                best = Some(key);
            }
        }
        best.map(|b| b.3)
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
                    }
                })
                .collect();
            let quota = self.scenario.capacity_provider.max_instances;
            if self.hosts.len() as u32 >= quota
                && items.iter().all(|it| {
                    self.unplaced_reason.get(&it.task) == Some(&PendingWhy::LaunchQuota)
                        && infos.iter().any(|t| it.need.fits_in(&t.cap))
                })
            {
                // Nothing can launch and every task already waits for the quota (none is a
                // misfit): packing would only tell them so again.
                continue;
            }
            let bound = self.bound_for(&types).clone();
            let (bins, misfits) = pack::pack(items, &infos, &bound, rule);
            for it in misfits {
                self.mark_unplaced(it.task, PendingWhy::NoTypeFits);
            }
            for bin in bins {
                if self.hosts.len() as u32 >= quota {
                    for it in bin.items {
                        self.mark_unplaced(it.task, PendingWhy::LaunchQuota);
                    }
                    continue;
                }
                let info = &infos[bin.ty as usize];
                let (binding, per_unit) = pack::binding(&bin.used, info);
                let why = LaunchWhy {
                    pending_in_az,
                    tasks: bin.items.len() as u32,
                    rule,
                    right_sized: bin.right_sized,
                    price_per_hour: info.price,
                    binding,
                    per_unit,
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
