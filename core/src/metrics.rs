//! Metric series sampled at a fixed interval: cost rates and totals, fleet size, task counts.
//! The series is bounded: past `MAX_SAMPLES` every other sample is dropped (resolution halves),
//! so a 60-day run in a browser tab keeps a few hundred KB.

use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::money::Micros;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{HostStatus, TaskState};

pub const MAX_SAMPLES: usize = 4_096;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub at: SimTime,
    pub hosts: u32,
    pub hosts_draining: u32,
    pub tasks_running: u32,
    pub tasks_pending: u32,
    pub ec2_per_hour: Micros,
    pub fee_per_hour: Micros,
    pub fargate_per_hour: Micros,
    pub lower_bound_per_hour: Micros,
    pub cumulative: Micros,
    pub fargate_cumulative: Micros,
    pub lower_bound_cumulative: Micros,
    /// Oldest host age in ms (patch compliance).
    pub oldest_host_ms: u64,
    /// Hosts at or past day 14 (should be draining) and day 21 (should be gone) of the patch cycle.
    pub hosts_past_day14: u32,
    pub hosts_past_day21: u32,
    /// Production traffic on green, basis points (0 when no deployment).
    pub green_bp: u32,
    /// Requests per second across services, and failed requests per second.
    pub rps: u32,
    pub errors_per_sec: u32,
}

impl Sample {
    /// What the fleet cost an hour at this sample: EC2 plus the management fee.
    pub fn rate(&self) -> Micros {
        self.ec2_per_hour + self.fee_per_hour
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    pub samples: Vec<Sample>,
    /// Keep every `stride`-th sample (doubles each time the buffer is compacted).
    pub stride: u32,
    taken: u64,
}

impl Metrics {
    fn push(&mut self, s: Sample) {
        if self.stride == 0 {
            self.stride = 1;
        }
        self.taken += 1;
        if (self.taken - 1) % u64::from(self.stride) != 0 {
            return;
        }
        if self.samples.len() >= MAX_SAMPLES {
            let kept: Vec<Sample> = self.samples.iter().step_by(2).copied().collect();
            self.samples = kept;
            self.stride *= 2;
        }
        self.samples.push(s);
    }
}

impl Sim {
    /// The current values, as a sample would record them.
    pub fn sample_now(&self) -> Sample {
        let cost = self.cost();
        let mut s = Sample {
            at: self.now,
            ec2_per_hour: cost.ec2_per_hour,
            fee_per_hour: cost.fee_per_hour,
            fargate_per_hour: cost.fargate_per_hour,
            lower_bound_per_hour: cost.lower_bound_per_hour,
            cumulative: cost.total(),
            fargate_cumulative: cost.fargate,
            lower_bound_cumulative: cost.lower_bound,
            ..Sample::default()
        };
        for h in self.hosts.values_unordered() {
            s.hosts += 1;
            if h.status == HostStatus::Draining {
                s.hosts_draining += 1;
            }
            let age = h.age_ms(self.now);
            s.oldest_host_ms = s.oldest_host_ms.max(age);
            s.hosts_past_day14 += u32::from(age >= 14 * crate::time::DAY);
            s.hosts_past_day21 += u32::from(age >= 21 * crate::time::DAY);
        }
        for t in self.tasks.values_unordered() {
            match t.state {
                TaskState::Running => s.tasks_running += 1,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating => {
                    s.tasks_pending += 1
                }
                _ => {}
            }
        }
        let (green_bp, rps, errors) = self.traffic_now();
        s.green_bp = green_bp;
        s.rps = rps;
        s.errors_per_sec = errors;
        s
    }

    pub(crate) fn sample(&mut self) {
        let s = self.sample_now();
        self.metrics.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compaction_halves_resolution_and_stays_bounded() {
        let mut m = Metrics::default();
        for i in 0..(MAX_SAMPLES as u64 * 3) {
            m.push(Sample {
                at: SimTime(i),
                ..Sample::default()
            });
        }
        assert!(m.samples.len() <= MAX_SAMPLES);
        assert!(m.stride >= 2);
        // Still ordered and evenly spaced.
        let d = m.samples[1].at.0 - m.samples[0].at.0;
        assert!(m.samples.windows(2).all(|w| w[1].at.0 - w[0].at.0 == d));
    }
}
