//! Exact packing of a handful of tasks: every way to group them onto hosts, each group on the
//! cheapest type that holds it, with branch and bound. Greedy packing can be far from the best
//! on few tasks (a distinctInstance pair forcing a third host), and few tasks are cheap to
//! search: Bell(8) = 4,140 groupings at most.

use alloc::vec::Vec;

use super::pack::{Bin, Item, TypeInfo};
use crate::world::Res;

/// The most tasks searched exactly.
pub const EXACT_MAX_TASKS: usize = 8;

struct Group {
    used: Res,
    items: Vec<Item>,
    /// Index of the cheapest type that holds it, and its price.
    ty: u32,
    price: u64,
}

/// The cheapest type that holds `used` (the larger of equal prices), or None.
pub(super) fn cheapest(types: &[TypeInfo], used: &Res) -> Option<(u32, u64)> {
    types
        .iter()
        .enumerate()
        .filter(|(_, t)| used.fits_in(&t.cap))
        .min_by(|a, b| {
            a.1.price
                .cmp(&b.1.price)
                .then(b.1.cap.cpu.cmp(&a.1.cap.cpu))
        })
        .map(|(i, t)| (i as u32, t.price))
}

/// The cheapest grouping of `items` (at most `EXACT_MAX_TASKS`) and its µ$/h, or None when
/// some item fits no type. Among equal costs the one with fewer hosts wins.
pub fn best(items: &[Item], types: &[TypeInfo]) -> Option<(Vec<Bin>, u64)> {
    if items.len() > EXACT_MAX_TASKS {
        return None;
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut found: Found = None;
    search(items, types, &mut groups, 0, &mut found);
    let (cost, _, best) = found?;
    let bins = best
        .into_iter()
        .map(|(ty, items)| Bin {
            ty,
            used: items.iter().fold(Res::default(), |a, it| a.plus(&it.need)),
            items,
            right_sized: false,
        })
        .collect();
    Some((bins, cost))
}

type Found = Option<(u64, usize, Vec<(u32, Vec<Item>)>)>;

fn search(
    rest: &[Item],
    types: &[TypeInfo],
    groups: &mut Vec<Group>,
    cost: u64,
    found: &mut Found,
) {
    // Adding a task to a group never makes it cheaper, so a partial cost at or over the best
    // cannot lead anywhere better (equal cost with fewer hosts is checked at the leaves).
    if found
        .as_ref()
        .is_some_and(|(c, n, _)| cost > *c || (cost == *c && groups.len() >= *n))
    {
        return;
    }
    let Some((first, rest)) = rest.split_first() else {
        *found = Some((
            cost,
            groups.len(),
            groups.iter().map(|g| (g.ty, g.items.clone())).collect(),
        ));
        return;
    };
    for i in 0..groups.len() {
        let g = &groups[i];
        if first
            .distinct
            .is_some_and(|d| g.items.iter().any(|o| o.distinct == Some(d)))
        {
            continue;
        }
        let used = g.used.plus(&first.need);
        let Some((ty, price)) = cheapest(types, &used) else {
            continue;
        };
        let was = (g.used, g.ty, g.price);
        let next = cost - was.2 + price;
        let g = &mut groups[i];
        (g.used, g.ty, g.price) = (used, ty, price);
        g.items.push(first.clone());
        search(rest, types, groups, next, found);
        let g = &mut groups[i];
        g.items.pop();
        (g.used, g.ty, g.price) = was;
    }
    let Some((ty, price)) = cheapest(types, &first.need) else {
        return;
    };
    groups.push(Group {
        used: first.need,
        items: alloc::vec![first.clone()],
        ty,
        price,
    });
    search(rest, types, groups, cost + price, found);
    groups.pop();
}
