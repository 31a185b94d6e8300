//! Simulated time. Integer milliseconds so every run replays bit-for-bit on any platform.

use core::fmt;
use core::ops::{Add, Sub};
use serde::{Deserialize, Serialize};

/// A point in simulated time, in milliseconds since the scenario started (day 0, 00:00 UTC,
/// a Monday — maintenance windows are weekly, so the week needs a fixed start).
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

pub const SECOND: u64 = 1_000;
pub const MINUTE: u64 = 60 * SECOND;
pub const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;
pub const WEEK: u64 = 7 * DAY;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s * SECOND)
    }
    pub const fn from_mins(m: u64) -> Self {
        SimTime(m * MINUTE)
    }
    pub const fn from_hours(h: u64) -> Self {
        SimTime(h * HOUR)
    }
    pub const fn from_days(d: u64) -> Self {
        SimTime(d * DAY)
    }
    pub const fn ms(self) -> u64 {
        self.0
    }
    pub const fn plus_ms(self, ms: u64) -> Self {
        SimTime(self.0.saturating_add(ms))
    }
    pub const fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
    pub const fn day(self) -> u64 {
        self.0 / DAY
    }
    /// Milliseconds since the start of the (Monday-based) week.
    pub const fn week_offset(self) -> u64 {
        self.0 % WEEK
    }
}

impl Add<u64> for SimTime {
    type Output = SimTime;
    fn add(self, ms: u64) -> SimTime {
        self.plus_ms(ms)
    }
}

impl Sub for SimTime {
    type Output = u64;
    fn sub(self, other: SimTime) -> u64 {
        self.since(other)
    }
}

/// Renders as the clock the UI shows: "Day 3 · 14:20:05".
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let in_day = self.0 % DAY;
        write!(
            f,
            "Day {} · {:02}:{:02}:{:02}",
            self.day(),
            in_day / HOUR,
            (in_day % HOUR) / MINUTE,
            (in_day % MINUTE) / SECOND
        )
    }
}

/// A duration written the way people type it: `90s`, `15m`, `6h`, `30d`, `1d12h`, or a bare
/// number of seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(secs) = text.parse::<u64>() {
        return secs.checked_mul(SECOND);
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(u64::from(d))?,
            );
            continue;
        }
        let unit = match c {
            'd' => DAY,
            'h' => HOUR,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'm' => MINUTE,
            's' => SECOND,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
    }
    if number.is_some() {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_day_and_time() {
        let t = SimTime::from_days(3) + 14 * HOUR + 20 * MINUTE;
        assert_eq!(alloc::format!("{t}"), "Day 3 · 14:20:00");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30d"), Some(30 * DAY));
        assert_eq!(parse_duration("1d12h"), Some(DAY + 12 * HOUR));
        assert_eq!(parse_duration("90"), Some(90 * SECOND));
        assert_eq!(parse_duration("250ms"), Some(250));
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration("d"), None);
        assert_eq!(parse_duration("12"), Some(12_000));
        assert_eq!(parse_duration("3h5"), None);
    }
}
