//! The cost ledger: what the fleet costs (EC2 + Managed Instances fee, per second with a
//! 60-second minimum), what the same tasks would cost on Fargate, and the lower bound.

pub mod fargate;
pub mod lower_bound;

use serde::{Deserialize, Serialize};

use crate::money::{Accrual, Micros};
use crate::scenario::TaskSize;
use crate::time::MINUTE;
use crate::world::Res;
use lower_bound::LowerBound;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub ec2: Accrual,
    pub fee: Accrual,
    pub fargate: Accrual,
    /// The same tasks on Fargate at their own sizes, not rounded up: what the cost verdict
    /// needs to say how much Fargate's size rounding adds (`verdict/`).
    #[serde(default)]
    pub fargate_unrounded: Accrual,
    pub lower: Accrual,
    /// CPU units, MiB and ENIs of the tasks that currently occupy hosts (what the lower bound
    /// covers), in `u64`: 20,000 tasks of 1.5 TiB pass `u32`, and the sum must stay exact.
    pub demand: [u64; 3],
    pub bound: LowerBound,
}

/// A snapshot of the ledger at one time.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostNow {
    pub ec2_per_hour: Micros,
    pub fee_per_hour: Micros,
    pub fargate_per_hour: Micros,
    pub lower_bound_per_hour: Micros,
    pub ec2: Micros,
    pub fee: Micros,
    pub fargate: Micros,
    pub lower_bound: Micros,
}

impl CostNow {
    pub fn rate(&self) -> Micros {
        self.ec2_per_hour + self.fee_per_hour
    }
    pub fn total(&self) -> Micros {
        self.ec2 + self.fee
    }
}

/// How much cheaper than Fargate a rate or total is, in basis points of Fargate's (negative
/// when dearer); `None` when Fargate's is zero, where no share means anything.
pub fn saving_vs_fargate_bp(managed: Micros, fargate: Micros) -> Option<i64> {
    (fargate.0 > 0).then(|| {
        let diff = i128::from(fargate.0) - i128::from(managed.0);
        (diff * 10_000 / i128::from(fargate.0)) as i64
    })
}

fn parts(r: Res) -> [u64; 3] {
    [u64::from(r.cpu), u64::from(r.memory), u64::from(r.enis)]
}

impl Ledger {
    pub fn new(bound: LowerBound) -> Ledger {
        Ledger {
            bound,
            ..Ledger::default()
        }
    }

    pub fn host_started(&mut self, now: u64, price: u64, fee: u64) {
        self.ec2.add_rate(now, price);
        self.fee.add_rate(now, fee);
    }

    /// Billing stops; a host that lived under a minute is billed for the whole minute.
    pub fn host_stopped(&mut self, now: u64, price: u64, fee: u64, lived_ms: u64) {
        self.ec2.sub_rate(now, price);
        self.fee.sub_rate(now, fee);
        if lived_ms < MINUTE {
            self.ec2.charge(price, MINUTE - lived_ms);
            self.fee.charge(fee, MINUTE - lived_ms);
        }
    }

    pub fn task_started(&mut self, now: u64, need: Res, size: TaskSize) {
        self.fargate.add_rate(now, fargate::price_per_hour(size));
        self.fargate_unrounded
            .add_rate(now, fargate::unrounded_price_per_hour(size));
        for (d, n) in self.demand.iter_mut().zip(parts(need)) {
            *d += n;
        }
        let r = self.bound.rate_of(self.demand.map(|v| v as f64));
        self.lower.set_rate(now, r);
    }

    pub fn task_stopped(&mut self, now: u64, need: Res, size: TaskSize, lived_ms: u64) {
        let price = fargate::price_per_hour(size);
        self.fargate.sub_rate(now, price);
        let unrounded = fargate::unrounded_price_per_hour(size);
        self.fargate_unrounded.sub_rate(now, unrounded);
        if lived_ms < MINUTE {
            self.fargate.charge(price, MINUTE - lived_ms);
            self.fargate_unrounded.charge(unrounded, MINUTE - lived_ms);
        }
        for (d, n) in self.demand.iter_mut().zip(parts(need)) {
            *d = d.saturating_sub(n);
        }
        let r = self.bound.rate_of(self.demand.map(|v| v as f64));
        self.lower.set_rate(now, r);
    }

    pub fn at(&self, now: u64) -> CostNow {
        CostNow {
            ec2_per_hour: Micros(self.ec2.rate),
            fee_per_hour: Micros(self.fee.rate),
            fargate_per_hour: Micros(self.fargate.rate),
            lower_bound_per_hour: Micros(self.lower.rate),
            ec2: self.ec2.total_at(now),
            fee: self.fee.total_at(now),
            fargate: self.fargate.total_at(now),
            lower_bound: self.lower.total_at(now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_is_signed_and_needs_a_fargate_price() {
        let bp = |m, f| saving_vs_fargate_bp(Micros(m), Micros(f));
        assert_eq!(bp(750_000, 1_000_000), Some(2_500));
        assert_eq!(bp(1_500_000, 1_000_000), Some(-5_000));
        assert_eq!(bp(1, 0), None);
    }
}
