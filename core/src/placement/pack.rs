//! Packing tasks onto *new* instances: cost-aware first-fit-decreasing.
//!
//! Tasks of identical shape are bucketed (a real fleet has few distinct sizes), biggest first.
//! Each new host gets the type that the lower-bound LP says an optimal cover of the remaining
//! demand uses — largest size first, the talk's "largest instance at best price" — and is
//! filled with the buckets whose shape best matches the host's free capacity (a dot-product
//! rule, so memory-heavy tasks land on memory-heavy types). As the remaining demand shifts, the
//! LP shifts the type mix with it. Finally every host is right-sized to the cheapest type that
//! still holds its tasks, which trims the partly-filled last host of each batch.

use alloc::vec::Vec;

use crate::cost::lower_bound::{to_f, LowerBound, TypeCost};
use crate::scenario::Selection;
use crate::world::{Res, TaskId};

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
    /// Instance family (the part of the name before the dot), hashed.
    pub family: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bin {
    /// Index into the `types` slice given to `pack`.
    pub ty: u32,
    pub items: Vec<Item>,
    pub used: Res,
    pub right_sized: bool,
    distinct: Vec<u32>,
}

struct Bucket {
    need: Res,
    distinct: Option<u32>,
    tasks: Vec<TaskId>,
}

/// Shares in parts per million of `cap`.
fn shares(r: &Res, cap: &Res) -> [u64; 3] {
    let s = |a: u32, b: u32| {
        if b == 0 {
            0
        } else {
            u64::from(a) * 1_000_000 / u64::from(b)
        }
    };
    [
        s(r.cpu, cap.cpu),
        s(r.memory, cap.memory),
        s(r.enis, cap.enis),
    ]
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
    // Each bucket hands out tasks from the front; `next[i]` is the first unplaced one.
    let mut next: Vec<u32> = alloc::vec![0; buckets.len()];
    let mut left = buckets.iter().map(|b| b.tasks.len() as u64).sum::<u64>();
    let mut bins: Vec<Bin> = Vec::new();
    let single_family = (rule == Selection::CheapestPerHost).then(|| cheapest_for(types, &demand));
    while left > 0 {
        let first = (0..buckets.len()).find(|&i| (next[i] as usize) < buckets[i].tasks.len());
        let Some(first) = first else { break };
        let biggest = buckets[first].need;
        let candidates = match single_family {
            Some(t) if biggest.fits_in(&types[t as usize].cap) => alloc::vec![t],
            _ => candidate_types(types, bound, &demand, &biggest),
        };
        let mut best: Option<(f64, u32, Plan, Res)> = None;
        for (ty, rule) in candidates
            .iter()
            .flat_map(|&t| [(t, Fill::Dot), (t, Fill::Aligned)])
        {
            let t = &types[ty as usize];
            let (plan, used) = plan_fill(&buckets, &next, &t.cap, rule);
            // How well the host's contents use what it costs: the cheapest fractional cover of
            // exactly those tasks, divided by the host's price (1.0 = no waste at all).
            let eff = bound.solve(&to_f(used)).0 / t.price as f64;
            let better = match &best {
                None => true,
                Some((e, bty, _, _)) => {
                    eff > *e || (eff == *e && t.cap.cpu > types[*bty as usize].cap.cpu)
                }
            };
            if better {
                best = Some((eff, ty, plan, used));
            }
        }
        let Some((_, ty, plan, used)) = best else {
            break;
        };
        let mut bin = Bin {
            ty,
            items: Vec::new(),
            used,
            right_sized: false,
            distinct: Vec::new(),
        };
        for (i, take) in plan {
            let b = &buckets[i as usize];
            for _ in 0..take {
                bin.items.push(Item {
                    task: b.tasks[next[i as usize] as usize],
                    need: b.need,
                    distinct: b.distinct,
                });
                next[i as usize] += 1;
            }
            left -= u64::from(take);
        }
        demand = demand.minus(&used);
        bins.push(bin);
    }
    let mut out = Vec::with_capacity(bins.len());
    for bin in bins {
        out.extend(right_size(bin, types, rule));
    }
    (out, misfits)
}

/// Moves a host to the cheapest type that still holds its tasks; if splitting its tasks over
/// smaller types is cheaper still (a partly-filled last host), does that instead.
fn right_size(mut bin: Bin, types: &[TypeInfo], rule: Selection) -> Vec<Bin> {
    // Any family: the downsizer (lifecycle/optimize.rs) replaces a host whose tasks fit a
    // cheaper type, so placement must already launch that type or the two would loop.
    let cheapest = types
        .iter()
        .enumerate()
        .filter(|(_, t)| bin.used.fits_in(&t.cap))
        .min_by(|a, b| {
            a.1.price
                .cmp(&b.1.price)
                .then(b.1.cap.cpu.cmp(&a.1.cap.cpu))
        })
        .map(|(i, _)| i as u32);
    if let Some(c) = cheapest {
        if types[c as usize].price < types[bin.ty as usize].price {
            bin.ty = c;
            bin.right_sized = true;
        }
    }
    let current = types[bin.ty as usize];
    let smaller: Vec<TypeInfo> = types
        .iter()
        .copied()
        .filter(|t| t.price < current.price)
        .collect();
    if smaller.is_empty() || bin.items.len() < 2 {
        return alloc::vec![bin];
    }
    // Only a partly-filled host can gain from a split.
    let fill = *shares(&bin.used, &current.cap).iter().max().unwrap_or(&0);
    if fill > 750_000 {
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

/// (bucket, count) steps of one host's fill.
type Plan = Vec<(u32, u32)>;

/// How `plan_fill` picks the next shape.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Fill {
    Dot,
    Aligned,
}

/// Fills one host of capacity `cap` from the buckets without taking anything: returns
/// (bucket, count) steps and the resources used. Each step takes the bucket whose shape best
/// matches the free capacity (largest dot product of shares), a few tasks at a time.
fn plan_fill(buckets: &[Bucket], next: &[u32], cap: &Res, rule: Fill) -> (Plan, Res) {
    let mut left: Vec<u32> = buckets
        .iter()
        .zip(next)
        .map(|(b, n)| b.tasks.len() as u32 - n)
        .collect();
    let mut plan: Vec<(u32, u32)> = Vec::new();
    let mut used = Res::default();
    let mut distinct: Vec<u32> = Vec::new();
    loop {
        let free = cap.minus(&used);
        let free_sh = shares(&free, cap);
        let mut best: Option<(f64, usize)> = None;
        for (i, b) in buckets.iter().enumerate() {
            if left[i] == 0
                || !b.need.fits_in(&free)
                || b.distinct.is_some_and(|d| distinct.contains(&d))
            {
                continue;
            }
            // Two rules, both tried per host: the dot product of shares (big tasks first, as in
            // first-fit-decreasing) or alignment with the free capacity (cosine: fills every
            // resource evenly). Among near-equal scores the bigger shape (earlier bucket) wins.
            let s = shares(&b.need, cap).map(|v| v as f64);
            let dot =
                s[0] * free_sh[0] as f64 + s[1] * free_sh[1] as f64 + s[2] * free_sh[2] as f64;
            let score = if rule == Fill::Aligned {
                // cos² (no sqrt in no_std; the order is the same since dot ≥ 0).
                let norm2 = s[0] * s[0] + s[1] * s[1] + s[2] * s[2];
                if norm2 > 0.0 {
                    dot * dot / norm2
                } else {
                    0.0
                }
            } else {
                dot
            };
            if best.is_none_or(|(bs, _)| score > bs * (1.0 + 1e-3)) {
                best = Some((score, i));
            }
        }
        let Some((_, i)) = best else { break };
        let b = &buckets[i];
        let mut take = left[i];
        for (need, have) in [
            (b.need.cpu, free.cpu),
            (b.need.memory, free.memory),
            (b.need.enis, free.enis),
        ] {
            if let Some(n) = have.checked_div(need) {
                take = take.min(n);
            }
        }
        if let Some(d) = b.distinct {
            take = take.min(1);
            distinct.push(d);
        }
        // Re-score after a few tasks so one big bucket cannot fill a host lopsidedly.
        take = take.clamp(1, 4);
        left[i] -= take;
        used = used.plus(&Res {
            cpu: b.need.cpu * take,
            memory: b.need.memory * take,
            enis: b.need.enis * take,
        });
        match plan.last_mut() {
            Some((j, n)) if *j == i as u32 => *n += take,
            _ => plan.push((i as u32, take)),
        }
    }
    (plan, used)
}

/// Types worth trying for the next host: those on the LP's optimal face for the remaining
/// demand that hold the biggest remaining task, or else the one with the lowest price per
/// dominant share of that task.
fn candidate_types(
    types: &[TypeInfo],
    bound: &LowerBound,
    demand: &Res,
    biggest: &Res,
) -> Vec<u32> {
    let tight: Vec<u32> = bound
        .tight_types(*demand)
        .into_iter()
        .filter(|&i| biggest.fits_in(&types[i as usize].cap))
        .collect();
    if tight.is_empty() {
        return alloc::vec![choose_type(types, bound, demand, biggest)];
    }
    // Largest at best price: only the largest tight size of each family is tried, so mixing
    // happens between families and small sizes appear only when right-sizing the tail.
    let mut out: Vec<u32> = Vec::new();
    for i in tight {
        let fam = types[i as usize].family;
        match out.iter_mut().find(|j| types[**j as usize].family == fam) {
            Some(j) if types[*j as usize].cap.cpu < types[i as usize].cap.cpu => *j = i,
            Some(_) => {}
            None => out.push(i),
        }
    }
    out
}

/// The type for the next new host: on the LP's optimal face for the remaining demand, largest
/// first; if none of those holds the biggest remaining task, the type with the lowest price per
/// dominant share of that task.
fn choose_type(types: &[TypeInfo], bound: &LowerBound, demand: &Res, biggest: &Res) -> u32 {
    let tight = bound.tight_types(*demand);
    let pick = tight
        .iter()
        .copied()
        .filter(|&i| biggest.fits_in(&types[i as usize].cap))
        .max_by(|&a, &b| {
            let (ta, tb) = (&types[a as usize], &types[b as usize]);
            ta.cap
                .cpu
                .cmp(&tb.cap.cpu)
                .then(tb.price.cmp(&ta.price))
                .then(b.cmp(&a))
        });
    pick.unwrap_or_else(|| {
        types
            .iter()
            .enumerate()
            .filter(|(_, t)| biggest.fits_in(&t.cap))
            .min_by_key(|(i, t)| {
                let dom = *shares(biggest, &t.cap).iter().max().unwrap_or(&1);
                (t.price * 1_000_000 / dom.max(1), u32::MAX - t.cap.cpu, *i)
            })
            .map(|(i, _)| i as u32)
            .unwrap_or(0)
    })
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
            family: mem / cpu,
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
