//! The event queue: timers keyed by (time, insertion sequence), so timers due at the same
//! millisecond fire in the order they were scheduled and runs replay exactly.

use alloc::collections::BTreeMap;
use serde::{Deserialize, Serialize};

use crate::time::SimTime;
use crate::world::{HostId, ServiceId, TaskId};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timer {
    /// The service scheduler and placement pass (coalesced: at most one queued).
    Reconcile,
    HostRegistered(HostId),
    /// Advance a task one lifecycle step; the generation cancels stale timers.
    TaskStep(TaskId, u32),
    TaskHealthy(TaskId, u32),
    /// The target group reports the task unhealthy (after the health-check grace period).
    TaskUnhealthy(TaskId, u32),
    /// The idle or underutilisation check of a host, after `scaleInAfter`.
    HostCheck(HostId, u32),
    /// A host's hard deadline (day 21, Spot reclaim): deregister whatever remains.
    HostDeadline(HostId),
    /// The host's patch drain is due (day 14 or an earlier window).
    PatchDue(HostId),
    Sample,
    /// Load, auto scaling, random faults and image releases, once a minute.
    Minute,
    /// A deployment's next step.
    Deploy(ServiceId, u32),
    /// Scale-in protection expiring frees a blocked drain.
    ProtectionExpired(TaskId),
    /// A service's launch throttle ends: its waiting tasks may be placed again.
    ThrottleEnds(ServiceId),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    timers: BTreeMap<(SimTime, u64), Timer>,
    next_seq: u64,
}

impl Queue {
    pub fn push(&mut self, at: SimTime, timer: Timer) {
        self.timers.insert((at, self.next_seq), timer);
        self.next_seq += 1;
    }
    pub fn next_at(&self) -> Option<SimTime> {
        self.timers.keys().next().map(|k| k.0)
    }
    /// The earliest timer if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Timer)> {
        let entry = self.timers.first_entry()?;
        if entry.key().0 > until {
            return None;
        }
        let ((at, _), timer) = entry.remove_entry();
        Some((at, timer))
    }
    pub fn len(&self) -> u64 {
        self.timers.len() as u64
    }
    pub fn is_empty(&self) -> bool {
        self.timers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_timers_fire_in_insertion_order() {
        let mut q = Queue::default();
        q.push(SimTime(5), Timer::Sample);
        q.push(SimTime(3), Timer::Reconcile);
        q.push(SimTime(5), Timer::Minute);
        q.push(SimTime(5), Timer::Reconcile);
        assert_eq!(q.next_at(), Some(SimTime(3)));
        assert_eq!(q.pop_due(SimTime(2)), None);
        let order: alloc::vec::Vec<Timer> =
            core::iter::from_fn(|| q.pop_due(SimTime(10)).map(|x| x.1)).collect();
        assert_eq!(
            order,
            [
                Timer::Reconcile,
                Timer::Sample,
                Timer::Minute,
                Timer::Reconcile
            ]
        );
    }
}
