//! Load and service auto scaling. Each service with a load curve gets a diurnal request rate
//! (a smooth day curve between trough and peak, plus seeded noise); its tasks' CPU utilisation
//! is that rate over what the running tasks serve at full CPU; target tracking sets the desired
//! count that would bring utilisation to the target, within min/max, after the cooldowns.
//! Integer arithmetic throughout: a float cosine could differ between native and wasm.

use serde::{Deserialize, Serialize};

use crate::scenario::LoadCurve;
use crate::sim::Sim;
use crate::time::{SimTime, DAY, MINUTE, SECOND};
use crate::world::{Owner, ServiceId, TaskState};

const PPM: u64 = 1_000_000;
/// Target tracking's CloudWatch alarms on one-minute metrics: 3 datapoints above target to
/// scale out, 15 below to scale in (AWS's documented alarm shape; the exact numbers are not in
/// our reference, so treat them as illustrative).
pub const SCALE_OUT_DATAPOINTS: u32 = 3;
pub const SCALE_IN_DATAPOINTS: u32 = 15;

/// Requests per second of the curve at `t`, without noise. The shape is the smoothstep
/// 1 − 3u² + 2u³ of the distance u from the peak hour (0 at the peak, 1 twelve hours away):
/// within 1 % of a raised cosine, and exact in integers.
pub fn diurnal_rps(curve: &LoadCurve, t: SimTime) -> u32 {
    let minute = (t.ms() % DAY) / MINUTE;
    let peak = u64::from(curve.peak_hour % 24) * 60;
    let d = minute.abs_diff(peak);
    let d = d.min(1_440 - d);
    let u = d * PPM / 720;
    let f = (PPM + 2 * (u * u / PPM) * u / PPM).saturating_sub(3 * u * u / PPM);
    let span = u64::from(curve.peak_rps.saturating_sub(curve.trough_rps));
    (u64::from(curve.trough_rps) + span * f.min(PPM) / PPM) as u32
}

/// A service's load now, for the UI.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadNow {
    pub rps: u32,
    /// Average CPU utilisation of its running tasks, percent (capped at 100).
    pub cpu_percent: u32,
    pub running: u32,
}

impl Sim {
    pub(crate) fn autoscale_tick(&mut self) {
        for i in 0..self.services.len() {
            let sid = ServiceId(i as u32);
            let spec = &self.scenario.services[self.services[i].spec as usize];
            let Some(curve) = spec.load.clone() else {
                continue;
            };
            let scaling = spec.auto_scaling.clone();
            let mut rps = u64::from(diurnal_rps(&curve, self.now));
            if curve.noise_percent > 0 {
                let n = u64::from(curve.noise_percent) * 10;
                // ± noise, in per-mille steps; noise is at most 50 %, so the factor stays positive.
                let draw = u64::from(self.rng.below((2 * n + 1) as u32));
                rps = rps * (1_000 - n + draw) / 1_000;
            }
            let state = self.lifecycle.scaling.entry(sid).or_default();
            state.rps = rps as u32;
            let Some(a) = scaling else { continue };
            // The count at which average CPU would sit at the target.
            let per_task = u64::from(curve.rps_per_task_at_full_cpu.max(1))
                * u64::from(a.target_cpu_percent.max(1));
            let want = (rps * 100)
                .div_ceil(per_task)
                .clamp(u64::from(a.min_tasks), u64::from(a.max_tasks))
                as u32;
            let desired = self.services[i].desired;
            let now = self.now;
            let since = |t: Option<SimTime>| t.map_or(u64::MAX, |t| now.since(t));
            let st = self.lifecycle.scaling.entry(sid).or_default();
            // A run of minutes on one side of the target; the count it asks for is the most
            // conservative seen in the run (no flapping on noise).
            if want > desired {
                st.out_want = if st.out_streak == 0 {
                    want
                } else {
                    st.out_want.min(want)
                };
                st.out_streak += 1;
                st.in_streak = 0;
            } else if want < desired {
                st.in_want = if st.in_streak == 0 {
                    want
                } else {
                    st.in_want.max(want)
                };
                st.in_streak += 1;
                st.out_streak = 0;
            } else {
                st.out_streak = 0;
                st.in_streak = 0;
            }
            let out_cool = u64::from(a.scale_out_cooldown_seconds) * SECOND;
            let in_cool = u64::from(a.scale_in_cooldown_seconds) * SECOND;
            let to =
                if st.out_streak >= SCALE_OUT_DATAPOINTS && since(st.last_scale_out) >= out_cool {
                    st.last_scale_out = Some(now);
                    st.out_streak = 0;
                    Some(st.out_want)
                } else if st.in_streak >= SCALE_IN_DATAPOINTS
                    && since(st.last_scale_in) >= in_cool
                    && since(st.last_scale_out) >= in_cool
                {
                    st.last_scale_in = Some(now);
                    st.in_streak = 0;
                    Some(st.in_want)
                } else {
                    None
                };
            if let Some(to) = to {
                self.set_desired(sid, to, true);
            }
        }
    }

    /// Requests per second and CPU utilisation of a service's running tasks.
    pub fn service_load(&self, sid: ServiceId) -> Option<LoadNow> {
        let spec = &self.scenario.services[self.services.get(sid.0 as usize)?.spec as usize];
        let curve = spec.load.as_ref()?;
        let rps = self.lifecycle.scaling.get(&sid).map_or(0, |s| s.rps);
        let running = self.owned.get(&Owner::Service(sid)).map_or(0, |ids| {
            ids.iter()
                .filter(|t| {
                    self.tasks
                        .get(t)
                        .is_some_and(|t| t.state == TaskState::Running)
                })
                .count() as u32
        });
        let capacity = u64::from(running) * u64::from(curve.rps_per_task_at_full_cpu.max(1));
        // No running task: all load is unserved, report saturation.
        let cpu_percent = (u64::from(rps) * 100)
            .checked_div(capacity)
            .map_or(100, |p| p.min(100) as u32);
        Some(LoadNow {
            rps,
            cpu_percent,
            running,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::HOUR;

    #[test]
    fn curve_peaks_at_the_peak_hour_and_bottoms_twelve_hours_later() {
        let c = LoadCurve {
            peak_rps: 1000,
            trough_rps: 100,
            peak_hour: 15,
            noise_percent: 0,
            rps_per_task_at_full_cpu: 100,
        };
        assert_eq!(diurnal_rps(&c, SimTime(15 * HOUR)), 1000);
        assert_eq!(diurnal_rps(&c, SimTime(3 * HOUR)), 100);
        assert_eq!(diurnal_rps(&c, SimTime(DAY + 3 * HOUR)), 100);
        // Half way (6 h from the peak) is the mid-point of a smoothstep.
        assert_eq!(diurnal_rps(&c, SimTime(9 * HOUR)), 550);
        let mut last = 0;
        for h in 3..=15 {
            let v = diurnal_rps(&c, SimTime(h * HOUR));
            assert!(v >= last, "rises from trough to peak");
            last = v;
        }
    }
}
