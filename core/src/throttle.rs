//! The service throttle: when a service's tasks keep failing to start, ECS slows down how
//! often it launches new ones instead of restarting them as fast as they crash. AWS describes
//! the behaviour but not its numbers; ours are an assumption, labelled as such in the event:
//! the first two failures in a row are retried at once, then each further one doubles a wait
//! that starts at 15 s, up to 15 minutes. A healthy task of the service ends the throttle.
//! Besides fidelity, this bounds the work of a crash-looping service: without it a service of
//! a revision that never starts creates a task every few seconds for as long as the run lasts.

use crate::event::EventKind;
use crate::queue::Timer;
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE, SECOND};
use crate::world::Owner;

/// Failures in a row retried without waiting.
const FREE_RETRIES: u32 = 2;
const FIRST_WAIT_MS: u64 = 15 * SECOND;
const MAX_WAIT_MS: u64 = 15 * MINUTE;

/// The wait after `failures` failed starts in a row (0 while retries are free).
pub fn backoff_ms(failures: u32) -> u64 {
    if failures <= FREE_RETRIES {
        return 0;
    }
    let doublings = (failures - FREE_RETRIES - 1).min(16);
    (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS)
}

impl Sim {
    /// A task of `owner` failed to start: the next launch may have to wait.
    pub(crate) fn throttle_after_failure(&mut self, owner: Owner) {
        let Owner::Service(sid) = owner else { return };
        let now = self.now;
        let svc = &mut self.services[sid.0 as usize];
        svc.failed_starts = svc.failed_starts.saturating_add(1);
        let wait = backoff_ms(svc.failed_starts);
        if wait == 0 {
            return;
        }
        let until = now + wait;
        svc.throttled_until = Some(until);
        let failures = svc.failed_starts;
        self.emit(EventKind::ServiceThrottled {
            service: sid,
            failures,
            until,
        });
        self.queue.push(until, Timer::ThrottleEnds(sid));
    }

    /// A healthy task ends the throttle.
    pub(crate) fn throttle_reset(&mut self, owner: Owner) {
        if let Owner::Service(sid) = owner {
            let svc = &mut self.services[sid.0 as usize];
            svc.failed_starts = 0;
            svc.throttled_until = None;
        }
    }

    /// Tasks of a throttled service wait (PROVISIONING) until the back-off ends.
    pub(crate) fn throttled(&self, owner: Owner) -> bool {
        match owner {
            Owner::Service(sid) => self.services[sid.0 as usize]
                .throttled_until
                .is_some_and(|until: SimTime| until > self.now),
            Owner::Standalone(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_the_third_failure_and_stop_at_fifteen_minutes() {
        assert_eq!(backoff_ms(1), 0);
        assert_eq!(backoff_ms(2), 0);
        assert_eq!(backoff_ms(3), 15 * SECOND);
        assert_eq!(backoff_ms(4), 30 * SECOND);
        assert_eq!(backoff_ms(8), 8 * MINUTE);
        assert_eq!(backoff_ms(9), 15 * MINUTE);
        assert_eq!(backoff_ms(u32::MAX), 15 * MINUTE);
    }
}
