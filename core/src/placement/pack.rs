//! Packing tasks onto *new* instances: cost-aware first-fit-decreasing.
//!
//! Tasks of identical shape are bucketed (a real fleet has few distinct sizes), biggest first.
//! For each new host every allowed type is tried with two fill rules (`fill.rs`). A fill is
//! worth what the lower-bound LP's dual prices for the *remaining* demand pay for the vCPU,
//! memory and task ENI slots it holds; divided by the type's price that is its value for money
//! (1.0: the host is as good as the optimal fractional cover). This is column generation's
//! pricing step, so the type mix follows the LP's solution and a resource that binds (ENI
//! slots for tiny awsvpc tasks) is priced, while one with slack is free. The rule then picks:
//! the best value, or the largest type within 1 % of it (the talk's "largest instance at the
//! best price"). Finally every host is right-sized to the cheapest type that still holds its
//! tasks, and a wasteful one may be split over smaller types.
//!
//! The values are `f64` from IEEE-754 add, multiply, divide and comparisons only (as in the
//! lower bound), which give the same bits on every platform, so a replay packs the same way
//! everywhere.

use alloc::vec::Vec;

use super::exact::{self, EXACT_MAX_TASKS};
use super::fill::{self, shares, Bucket, Fill, Rule};
use crate::cost::lower_bound::{to_f, LowerBound, TypeCost};
use crate::event::Binding;
use crate::scenario::Selection;
use crate::world::{Res, TaskId};

/// "Largest at best price" takes the largest type whose value for money is within this share
/// of the best (parts per million). AWS publishes no figure: illustrative.
pub const LARGEST_WITHIN_PPM: u64 = 10_000;

/// A host whose contents are worth at least this share of its price (ppm) is not split.
const SPLIT_BELOW_PPM: u64 = 980_000;

/// Nor is one whose busiest resource is this full (ppm): smaller hosts would be as full.
const SPLIT_FULL_PPM: u64 = 900_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub task: TaskId,
    pub need: Res,
    /// distinctInstance: at most one task with this key per host.
    pub distinct: Option<u32>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TypeInfo {
    /// Index into the sim's catalog.
    pub catalog_idx: u32,
    pub cap: Res,
    /// µ$/h incl. fee.
    pub price: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bin {
    /// Index into the `types` slice given to `pack`.
    pub ty: u32,
    pub items: Vec<Item>,
    pub used: Res,
    pub right_sized: bool,
}

/// Which resource of a host its tasks fill most, and what the type charges per unit of it.
pub fn binding(used: &Res, t: &TypeInfo) -> (Binding, u64) {
    let sh = shares(used, &t.cap);
    let (which, units) = if sh[2] > sh[0] && sh[2] > sh[1] {
        (Binding::TaskSlots, u64::from(t.cap.enis))
    } else if sh[1] > sh[0] {
        // Per GiB.
        (Binding::Memory, u64::from(t.cap.memory) / 1024)
    } else {
        (Binding::Vcpu, u64::from(t.cap.cpu) / 1024)
    };
    (which, t.price / units.max(1))
}

/// Types no other type beats: a type with the same capacity as a cheaper one never wins.
fn undominated(types: &[TypeInfo]) -> Vec<u32> {
    (0..types.len() as u32)
        .filter(|&i| {
            let t = &types[i as usize];
            !types.iter().enumerate().any(|(j, o)| {
                o.cap == t.cap && (o.price < t.price || (o.price == t.price && (j as u32) < i))
            })
        })
        .collect()
}

/// Packs `items` onto new hosts. Returns the hosts and the items no allowed type can hold.
pub fn pack(
    items: Vec<Item>,
    types: &[TypeInfo],
    bound: &LowerBound,
    rule: Selection,
) -> (Vec<Bin>, Vec<Item>) {
    let Some(largest) = types.iter().map(|t| t.cap).reduce(|a, b| Res {
        cpu: a.cpu.max(b.cpu),
        memory: a.memory.max(b.memory),
        enis: a.enis.max(b.enis),
    }) else {
        return (Vec::new(), items);
    };
    let mut misfits = Vec::new();
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut sorted = items;
    // Decreasing by dominant share of the largest type, then a fixed order for ties.
    sorted.sort_by(|a, b| {
        let (sa, sb) = (shares(&a.need, &largest), shares(&b.need, &largest));
        let (ka, kb) = (sa.iter().max(), sb.iter().max());
        kb.cmp(&ka)
            .then(b.need.cmp(&a.need))
            .then(a.distinct.cmp(&b.distinct))
            .then(a.task.cmp(&b.task))
    });
    let mut demand = Res::default();
    for it in sorted {
        if !types.iter().any(|t| it.need.fits_in(&t.cap)) {
            misfits.push(it);
            continue;
        }
        demand = demand.plus(&it.need);
        match buckets.last_mut() {
            Some(b) if b.need == it.need && b.distinct == it.distinct => b.tasks.push(it.task),
            _ => buckets.push(Bucket {
                need: it.need,
                distinct: it.distinct,
                tasks: alloc::vec![it.task],
            }),
        }
    }
    let mut left: Vec<u32> = buckets.iter().map(|b| b.tasks.len() as u32).collect();
    let mut bins: Vec<Bin> = Vec::new();
    let single_family = (rule == Selection::CheapestPerHost).then(|| cheapest_for(types, &demand));
    let live = undominated(types);
    // Fills stay valid while their buckets hold enough (see `Fill::still_valid`), so most
    // hosts of a big batch reuse them: index = type × 2 + rule.
    let mut memo: Vec<Option<Fill>> = alloc::vec![None; types.len() * 2];
    while let Some(first) = left.iter().position(|&n| n > 0) {
        let biggest = buckets[first].need;
        let candidates: Vec<u32> = match single_family {
            Some(t) if biggest.fits_in(&types[t as usize].cap) => alloc::vec![t],
            _ => live
                .iter()
                .copied()
                .filter(|&t| biggest.fits_in(&types[t as usize].cap))
                .collect(),
        };
        let y = bound.solve(&to_f(demand)).1;
        let mut scored: Vec<(f64, u32, u32)> = Vec::new();
        for ty in candidates {
            for (r, fill_rule) in [(0u32, Rule::Dot), (1, Rule::Aligned)] {
                let k = (ty * 2 + r) as usize;
                if !memo[k].as_ref().is_some_and(|f| f.still_valid(&left)) {
                    let cap = types[ty as usize].cap;
                    memo[k] = Some(fill::plan(&buckets, &left, &cap, fill_rule));
                }
                let u = memo[k].as_ref().map_or([0.0; 3], |f| to_f(f.used));
                let worth = u[0] * y[0] + u[1] * y[1] + u[2] * y[2];
                scored.push((worth / types[ty as usize].price as f64, ty, k as u32));
            }
        }
        // Duals that price nothing this host holds (a degenerate vertex): fall back to what
        // the cheapest cover of exactly its contents would cost.
        if scored.iter().all(|s| s.0 <= 0.0) {
            for s in &mut scored {
                let used = memo[s.2 as usize]
                    .as_ref()
                    .map_or(Res::default(), |f| f.used);
                s.0 = bound.solve(&to_f(used)).0 / types[s.1 as usize].price as f64;
            }
        }
        let Some(k) = pick(&scored, types, rule) else {
            break;
        };
        let Some(chosen) = memo[k as usize].clone() else {
            break;
        };
        let mut bin = Bin {
            ty: k / 2,
            items: Vec::new(),
            used: chosen.used,
            right_sized: false,
        };
        for &(i, take) in &chosen.steps {
            let b = &buckets[i as usize];
            let from = b.tasks.len() as u32 - left[i as usize];
            for n in from..from + take {
                bin.items.push(Item {
                    task: b.tasks[n as usize],
                    need: b.need,
                    distinct: b.distinct,
                });
            }
            left[i as usize] -= take;
        }
        demand = demand.minus(&chosen.used);
        bins.push(bin);
    }
    let mut out = Vec::with_capacity(bins.len());
    for bin in bins {
        out.extend(right_size(bin, types, bound, rule));
    }
    repack_worst(&mut out, types, bound);
    (out, misfits)
}

/// Searches the least efficient hosts' tasks exactly (as many hosts as hold at most
/// `EXACT_MAX_TASKS` tasks between them) and takes the regrouping if it is cheaper, or as cheap
/// on fewer hosts. On a small batch that is every host, so the whole batch is packed at its
/// optimum.
fn repack_worst(bins: &mut Vec<Bin>, types: &[TypeInfo], bound: &LowerBound) {
    let worth = |b: &Bin| bound.solve(&to_f(b.used)).0 / types[b.ty as usize].price as f64;
    let mut order: Vec<(f64, usize)> = bins
        .iter()
        .enumerate()
        .map(|(i, b)| (worth(b), i))
        .collect();
    order.sort_by(|a, b| {
        a.0.partial_cmp(&b.0)
            .unwrap_or(core::cmp::Ordering::Equal)
            .then(a.1.cmp(&b.1))
    });
    let mut chosen: Vec<usize> = Vec::new();
    let mut n = 0;
    for &(_, i) in &order {
        if n + bins[i].items.len() > EXACT_MAX_TASKS {
            break;
        }
        n += bins[i].items.len();
        chosen.push(i);
    }
    if chosen.is_empty() {
        return;
    }
    let items: Vec<Item> = chosen
        .iter()
        .flat_map(|&i| bins[i].items.iter().cloned())
        .collect();
    let now: u64 = chosen
        .iter()
        .map(|&i| types[bins[i].ty as usize].price)
        .sum();
    let Some((better, cost)) = exact::best(&items, types) else {
        return;
    };
    // Equal cost on fewer hosts wins too: one c6i.2xlarge rather than four c6i.large.
    if (cost, better.len()) >= (now, chosen.len()) {
        return;
    }
    chosen.sort_unstable();
    for &i in chosen.iter().rev() {
        bins.remove(i);
    }
    bins.extend(better.into_iter().map(|mut b| {
        b.right_sized = true;
        b
    }));
}

/// The memo index of the fill the rule chooses among `(value for money, type, memo index)`.
fn pick(scored: &[(f64, u32, u32)], types: &[TypeInfo], rule: Selection) -> Option<u32> {
    let top = scored.iter().map(|s| s.0).fold(0.0, f64::max);
    let cpu = |s: &(f64, u32, u32)| types[s.1 as usize].cap.cpu;
    let floor = match rule {
        Selection::LowestCost => top,
        _ => top * (1.0 - LARGEST_WITHIN_PPM as f64 / 1e6),
    };
    scored
        .iter()
        .filter(|s| s.0 >= floor)
        .max_by(|a, b| {
            let by_value = a.0.partial_cmp(&b.0).unwrap_or(core::cmp::Ordering::Equal);
            let order = match rule {
                Selection::LowestCost => by_value.then(cpu(a).cmp(&cpu(b))),
                _ => cpu(a).cmp(&cpu(b)).then(by_value),
            };
            order.then(b.2.cmp(&a.2))
        })
        .map(|s| s.2)
}

/// Moves a host to the cheapest type that still holds its tasks; if splitting its tasks over
/// smaller types is cheaper still (a partly-filled last host), does that instead.
fn right_size(mut bin: Bin, types: &[TypeInfo], bound: &LowerBound, rule: Selection) -> Vec<Bin> {
    // Any family: the downsizer (lifecycle/consolidation.rs) replaces a host whose tasks fit a
    // cheaper type, so placement must already launch that type or the two would loop.
    if let Some((c, _)) = exact::cheapest(types, &bin.used) {
        if types[c as usize].price < types[bin.ty as usize].price {
            bin.ty = c;
            bin.right_sized = true;
        }
    }
    let current = types[bin.ty as usize];
    if bin.items.len() < 2 {
        return alloc::vec![bin];
    }
    // Only a host with room left in every resource, whose contents are worth clearly less
    // than it costs, can gain from a split: memory at 80 % with vCPU at 50 % may.
    let fill = *shares(&bin.used, &current.cap).iter().max().unwrap_or(&0);
    let worth = bound.solve(&to_f(bin.used)).0;
    if fill >= SPLIT_FULL_PPM || worth >= current.price as f64 * (SPLIT_BELOW_PPM as f64 / 1e6) {
        return alloc::vec![bin];
    }
    let smaller: Vec<TypeInfo> = types
        .iter()
        .copied()
        .filter(|t| t.price < current.price)
        .collect();
    if smaller.is_empty() {
        return alloc::vec![bin];
    }
    let sub_bound = LowerBound::new(
        smaller
            .iter()
            .map(|t| TypeCost {
                cap: to_f(t.cap),
                price: t.price as f64,
            })
            .collect(),
    );
    let (split, misfits) = pack(bin.items.clone(), &smaller, &sub_bound, rule);
    let split_cost: u64 = split.iter().map(|b| smaller[b.ty as usize].price).sum();
    if !misfits.is_empty() || split_cost >= current.price {
        return alloc::vec![bin];
    }
    split
        .into_iter()
        .map(|mut b| {
            let t = smaller[b.ty as usize];
            b.ty = types.iter().position(|x| *x == t).unwrap_or(0) as u32;
            b.right_sized = true;
            b
        })
        .collect()
}

/// The baseline's single type: the one that covers the whole demand most cheaply on its own.
fn cheapest_for(types: &[TypeInfo], demand: &Res) -> u32 {
    types
        .iter()
        .enumerate()
        .min_by_key(|(i, t)| {
            let s = shares(demand, &t.cap);
            let n = *s.iter().max().unwrap_or(&0);
            (
                u128::from(n) * u128::from(t.price),
                u32::MAX - t.cap.cpu,
                *i,
            )
        })
        .map(|(i, _)| i as u32)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(cpu: u32, mem: u32, enis: u32, price: u64) -> TypeInfo {
        TypeInfo {
            catalog_idx: 0,
            cap: Res {
                cpu,
                memory: mem,
                enis,
            },
            price,
        }
    }

    fn bound(types: &[TypeInfo]) -> LowerBound {
        LowerBound::new(
            types
                .iter()
                .map(|t| TypeCost {
                    cap: to_f(t.cap),
                    price: t.price as f64,
                })
                .collect(),
        )
    }

    fn items(n: u32, need: Res) -> Vec<Item> {
        (0..n)
            .map(|i| Item {
                task: TaskId(i),
                need,
                distinct: None,
            })
            .collect()
    }

    #[test]
    fn small_batch_is_right_sized() {
        let types = [
            ty(2048, 8192, 10, 100),
            ty(8192, 32768, 40, 400),
            ty(32768, 131072, 60, 1600),
        ];
        let need = Res {
            cpu: 1024,
            memory: 2048,
            enis: 1,
        };
        let (bins, misfits) = pack(
            items(3, need),
            &types,
            &bound(&types),
            Selection::LargestAtBestPrice,
        );
        assert!(misfits.is_empty());
        let total: u64 = bins.iter().map(|b| types[b.ty as usize].price).sum();
        // 3 vCPU of tasks: two 2-vCPU hosts (200) is the cheapest whole-host answer.
        assert_eq!(total, 200, "{bins:?}");
    }

    #[test]
    fn distinct_instance_puts_each_task_on_its_own_host() {
        let types = [ty(8192, 32768, 40, 400)];
        let mut its = items(
            4,
            Res {
                cpu: 256,
                memory: 512,
                enis: 1,
            },
        );
        for it in &mut its {
            it.distinct = Some(7);
        }
        let (bins, _) = pack(its, &types, &bound(&types), Selection::LargestAtBestPrice);
        assert_eq!(bins.len(), 4);
    }

    #[test]
    fn too_big_for_every_type_is_returned() {
        let types = [ty(2048, 8192, 10, 100)];
        let (bins, misfits) = pack(
            items(
                1,
                Res {
                    cpu: 4096,
                    memory: 1024,
                    enis: 1,
                },
            ),
            &types,
            &bound(&types),
            Selection::LargestAtBestPrice,
        );
        assert!(bins.is_empty());
        assert_eq!(misfits.len(), 1);
    }

    #[test]
    fn never_overcommits_and_places_everything() {
        let types = [
            ty(2048, 4096, 10, 95),
            ty(2048, 8192, 10, 107),
            ty(2048, 16384, 10, 141),
            ty(32768, 131072, 60, 1720),
        ];
        let mut its = Vec::new();
        for i in 0..300u32 {
            let cpu = [256, 512, 1024, 2048][(i % 4) as usize];
            let mem = cpu * [2, 4, 8][(i % 3) as usize];
            its.push(Item {
                task: TaskId(i),
                need: Res {
                    cpu,
                    memory: mem,
                    enis: 1,
                },
                distinct: None,
            });
        }
        let (bins, misfits) = pack(its, &types, &bound(&types), Selection::LargestAtBestPrice);
        assert!(misfits.is_empty());
        let placed: usize = bins.iter().map(|b| b.items.len()).sum();
        assert_eq!(placed, 300);
        for b in &bins {
            assert!(b.used.fits_in(&types[b.ty as usize].cap), "{b:?}");
        }
    }
}
