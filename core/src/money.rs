//! Money in integer micro-dollars, so cost series are exact and identical on every platform.

use core::fmt;
use serde::{Deserialize, Serialize};

use crate::time::HOUR;

/// An amount of money in micro-dollars (1 $ = 1,000,000).
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Micros(pub u64);

impl Micros {
    pub const ZERO: Micros = Micros(0);
    pub fn dollars(self) -> f64 {
        self.0 as f64 / 1e6
    }
    /// Parses a price written as a decimal number of dollars ("0.1008") exactly.
    pub fn parse_dollars(text: &str) -> Option<Micros> {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if frac.len() > 6 || (whole.is_empty() && frac.is_empty()) {
            return None;
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut frac_v: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        for _ in frac.len()..6 {
            frac_v *= 10;
        }
        whole
            .checked_mul(1_000_000)?
            .checked_add(frac_v)
            .map(Micros)
    }
}

impl core::ops::Add for Micros {
    type Output = Micros;
    fn add(self, o: Micros) -> Micros {
        Micros(self.0.saturating_add(o.0))
    }
}

impl core::iter::Sum for Micros {
    fn sum<I: Iterator<Item = Micros>>(iter: I) -> Micros {
        iter.fold(Micros::ZERO, |a, b| a + b)
    }
}

/// "$1.2345" — four decimals, enough to tell instance fees apart.
impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "${}.{:04}",
            self.0 / 1_000_000,
            (self.0 % 1_000_000) / 100
        )
    }
}

/// A running total of a piecewise-constant rate (µ$ per hour) over time. It keeps the exact
/// product rate × milliseconds, so no rounding accumulates however often the rate changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accrual {
    /// Current rate in micro-dollars per hour.
    pub rate: u64,
    last_ms: u64,
    /// Σ rate × ms (µ$·ms/h).
    area: u128,
}

impl Accrual {
    pub fn advance(&mut self, now_ms: u64) {
        let dt = now_ms.saturating_sub(self.last_ms);
        self.area += u128::from(self.rate) * u128::from(dt);
        self.last_ms = now_ms.max(self.last_ms);
    }
    pub fn set_rate(&mut self, now_ms: u64, rate: u64) {
        self.advance(now_ms);
        self.rate = rate;
    }
    pub fn add_rate(&mut self, now_ms: u64, delta: u64) {
        let r = self.rate.saturating_add(delta);
        self.set_rate(now_ms, r);
    }
    pub fn sub_rate(&mut self, now_ms: u64, delta: u64) {
        let r = self.rate.saturating_sub(delta);
        self.set_rate(now_ms, r);
    }
    /// A one-off charge of `rate` for `ms` (the 60-second billing minimum).
    pub fn charge(&mut self, rate: u64, ms: u64) {
        self.area += u128::from(rate) * u128::from(ms);
    }
    /// The total up to `now_ms` without changing state.
    pub fn total_at(&self, now_ms: u64) -> Micros {
        let dt = now_ms.saturating_sub(self.last_ms);
        let area = self.area + u128::from(self.rate) * u128::from(dt);
        Micros(u64::try_from(area / u128::from(HOUR)).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prices_exactly() {
        assert_eq!(Micros::parse_dollars("0.1008"), Some(Micros(100_800)));
        assert_eq!(Micros::parse_dollars("4.608"), Some(Micros(4_608_000)));
        assert_eq!(Micros::parse_dollars("2"), Some(Micros(2_000_000)));
        assert_eq!(Micros::parse_dollars("0.1234567"), None);
        assert_eq!(Micros::parse_dollars("abc"), None);
    }

    #[test]
    fn accrual_integrates_piecewise_rates() {
        let mut a = Accrual::default();
        a.set_rate(0, 96_000); // m6i.large for one hour
        a.add_rate(HOUR, 96_000); // a second one for half an hour
        assert_eq!(a.total_at(HOUR + HOUR / 2), Micros(96_000 + 96_000));
        a.charge(96_000, 60_000); // one billed minute
        assert_eq!(a.total_at(HOUR + HOUR / 2), Micros(192_000 + 1_600));
    }
}
