//! CloudWatch-style alarms on the green target group ("How CloudWatch alarms detect Amazon ECS
//! deployment failures"): each alarm evaluates its metric once per period; `evaluationPeriods`
//! breaching periods in a row put it in ALARM, which fails the deployment (and rolls back when
//! `alarms.rollback` is set). A period in which green served no request has no data and does not
//! breach.

use crate::event::{EventKind, RollbackWhy};
use crate::scenario::{AlarmMetric, AlarmSpec};
use crate::sim::Sim;
use crate::time::{SimTime, SECOND};
use crate::world::ServiceId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlarmState {
    pub next_eval: SimTime,
    /// Consecutive breaching periods.
    pub breaching: u32,
    pub period_requests_milli: u64,
    pub period_errors_milli: u64,
    pub in_alarm: bool,
}

pub(super) fn period_ms(a: &AlarmSpec) -> u64 {
    u64::from(a.period_seconds.max(1)) * SECOND
}

impl Sim {
    pub(super) fn evaluate_alarms(&mut self, sid: ServiceId) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        if d.is_rolling_back() || d.alarms.is_empty() {
            return;
        }
        let p99 = self.revisions[d.green as usize].p99_latency_ms;
        let mut breached = None;
        for (i, (a, spec)) in d.alarms.iter_mut().zip(&d.config.alarms.alarms).enumerate() {
            while a.next_eval <= now {
                a.next_eval = a.next_eval + period_ms(spec);
                let value = (a.period_requests_milli >= 1000).then(|| match spec.metric {
                    AlarmMetric::ErrorRateBp => {
                        (a.period_errors_milli * 10_000 / a.period_requests_milli) as u32
                    }
                    // Every green task has the revision's latency profile: p99 is the revision's.
                    AlarmMetric::P99LatencyMs => p99,
                });
                a.period_requests_milli = 0;
                a.period_errors_milli = 0;
                if value.is_some_and(|v| v > spec.threshold) {
                    a.breaching += 1;
                } else {
                    a.breaching = 0;
                }
                if a.breaching >= spec.evaluation_periods && !a.in_alarm && breached.is_none() {
                    a.in_alarm = true;
                    breached = Some((i as u32, a.breaching, spec.evaluation_periods));
                }
            }
        }
        let Some((alarm, periods, of)) = breached else {
            return;
        };
        let (id, rollback) = (d.id, d.config.alarms.rollback);
        self.emit(EventKind::AlarmBreached {
            service: sid,
            deployment: id,
            alarm,
            periods,
            of,
        });
        self.fail(sid, RollbackWhy::Alarm { alarm, periods, of }, rollback);
    }
}
