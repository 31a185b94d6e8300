//! Filling one new host from the buckets of pending tasks, without taking anything yet: the
//! packer scores many (type, rule) fills per host and commits only the winner.

use alloc::vec::Vec;

use crate::world::{Res, TaskId};

/// Tasks of one shape (and one distinctInstance key), handed out from the front.
pub(super) struct Bucket {
    pub need: Res,
    pub distinct: Option<u32>,
    pub tasks: Vec<TaskId>,
}

/// How `plan` picks the next shape.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(super) enum Rule {
    /// The dot product of shares: big tasks first, as in first-fit-decreasing.
    Dot,
    /// Alignment with the free capacity (cosine): fills every resource evenly.
    Aligned,
}

/// One host's fill: (bucket, count) steps, what they use, and how many each bucket gives
/// (sorted by bucket), which tells whether the fill is still possible after other hosts took
/// their tasks.
#[derive(Clone)]
pub(super) struct Fill {
    pub steps: Vec<(u32, u32)>,
    pub used: Res,
    totals: Vec<(u32, u32)>,
}

impl Fill {
    /// Whether the same fill would be planned again with `left` tasks per bucket. The rules
    /// never look at how many tasks a bucket has beyond "any" and the per-step cap, so a fill
    /// whose buckets all still hold what it takes is unchanged; buckets it did not use only
    /// lost tasks, and losing a candidate that was never chosen cannot change the choice.
    pub fn still_valid(&self, left: &[u32]) -> bool {
        self.totals.iter().all(|&(i, n)| left[i as usize] >= n)
    }
}

/// Shares in parts per million of `cap`.
pub(super) fn shares(r: &Res, cap: &Res) -> [u64; 3] {
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

/// Plans one host of capacity `cap` from the buckets with `left` tasks each. Each step takes
/// the bucket whose shape best matches the free capacity, a few tasks at a time.
pub(super) fn plan(buckets: &[Bucket], left: &[u32], cap: &Res, rule: Rule) -> Fill {
    let mut left = left.to_vec();
    let mut steps: Vec<(u32, u32)> = Vec::new();
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
            let s = shares(&b.need, cap).map(|v| v as f64);
            let dot =
                s[0] * free_sh[0] as f64 + s[1] * free_sh[1] as f64 + s[2] * free_sh[2] as f64;
            let score = if rule == Rule::Aligned {
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
            // Among near-equal scores the bigger shape (earlier bucket) wins.
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
        match steps.last_mut() {
            Some((j, n)) if *j == i as u32 => *n += take,
            _ => steps.push((i as u32, take)),
        }
    }
    let mut totals: Vec<(u32, u32)> = Vec::new();
    for &(i, n) in &steps {
        match totals.iter_mut().find(|(j, _)| *j == i) {
            Some((_, m)) => *m += n,
            None => totals.push((i, n)),
        }
    }
    Fill {
        steps,
        used,
        totals,
    }
}
