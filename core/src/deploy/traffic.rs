//! The load balancer ("Amazon ECS blue/green service deployments workflow"): a production and a
//! test listener, each forwarding to a blue and a green target group with weights in basis points
//! (green's share; blue has the rest), and request/error counters per target group from each
//! revision's error rate.

use serde::{Deserialize, Serialize};

use super::Deployment;
use crate::event::{DeploymentStatus, EventKind};
use crate::scenario::LoadCurve;
use crate::sim::Sim;
use crate::time::{SimTime, DAY, HOUR, MINUTE};
use crate::world::ServiceId;

/// 100 % in basis points.
pub const ALL_BP: u32 = 10_000;
/// Requests per second of a service without a load curve (illustrative).
pub const DEFAULT_RPS: u32 = 500;
/// Traffic is integrated in chunks of at most this long, so a diurnal curve is followed.
const CHUNK_MS: u64 = MINUTE;

/// Listener weights. Only green's share is stored, so blue's is always the rest of 100 %.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Weights {
    green_bp: u32,
}

impl Weights {
    pub fn blue() -> Weights {
        Weights::green(0)
    }
    pub fn green(bp: u32) -> Weights {
        Weights {
            green_bp: bp.min(ALL_BP),
        }
    }
    /// Green's share in basis points.
    pub fn green_bp(&self) -> u32 {
        self.green_bp
    }
    /// Blue's share in basis points.
    pub fn blue_bp(&self) -> u32 {
        ALL_BP - self.green_bp
    }
}

/// Requests and failed requests a target group received, in thousandths of a request (so
/// that short intervals at low rates are not rounded away).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroup {
    pub requests_milli: u64,
    pub errors_milli: u64,
}

impl TargetGroup {
    pub fn requests(&self) -> u64 {
        self.requests_milli / 1000
    }
    pub fn errors(&self) -> u64 {
        self.errors_milli / 1000
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traffic {
    pub production: Weights,
    pub test: Weights,
    /// Production requests per target group (test traffic is synthetic and not counted).
    pub blue: TargetGroup,
    pub green: TargetGroup,
    pub accounted_to: SimTime,
}

impl Traffic {
    pub fn new(now: SimTime) -> Traffic {
        Traffic {
            production: Weights::blue(),
            test: Weights::blue(),
            blue: TargetGroup::default(),
            green: TargetGroup::default(),
            accounted_to: now,
        }
    }
}

/// Requests per second of a load curve at `t`: trough-to-peak over the day, peaking at
/// `peakHour`. Smoothstep stands in for the cosine (integer only; within 1 % of it); the
/// curve's noise is left out so that traffic never draws from the world's PRNG.
pub fn rps_at(load: Option<&LoadCurve>, t: SimTime) -> u32 {
    let Some(l) = load else { return DEFAULT_RPS };
    let half = DAY / 2;
    let x = (t.0 % DAY + DAY - u64::from(l.peak_hour) * HOUR % DAY) % DAY;
    let d = x.min(DAY - x); // 0 at the peak, half a day at the trough
    let u = i128::from(d * 1_000_000 / half); // ppm of the way to the trough
    let s = (3 * u * u * 1_000_000 - 2 * u * u * u) / 1_000_000_000_000; // smoothstep, ppm
    let span = i128::from(l.peak_rps.saturating_sub(l.trough_rps));
    (i128::from(l.peak_rps) - span * s / 1_000_000) as u32
}

/// Requests and failed requests the new revision of a deployment served (whole requests).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Served {
    pub requests: u64,
    pub failed: u64,
}

/// Calls `f` with the requests (thousandths) the load sends in each chunk of `[from, to)`.
fn for_each_chunk(load: Option<&LoadCurve>, from: SimTime, to: SimTime, mut f: impl FnMut(u64)) {
    let mut t = from;
    while t < to {
        let dt = (to.0 - t.0).min(CHUNK_MS - t.0 % CHUNK_MS);
        // rps × ms = thousandths of a request.
        f(u64::from(rps_at(load, t)) * dt);
        t = t + dt;
    }
}

impl Sim {
    /// Counts the requests since the last call with the weights that held since then.
    pub(crate) fn account(&mut self, sid: ServiceId) {
        let now = self.now;
        let svc = &self.services[sid.0 as usize];
        let load = self.scenario.services[svc.spec as usize].load.clone();
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let (blue_err, green_err) = (
            u64::from(self.revisions[d.blue as usize].error_rate_bp),
            u64::from(self.revisions[d.green as usize].error_rate_bp),
        );
        let all = u64::from(ALL_BP);
        let green_bp = u64::from(d.traffic.production.green_bp());
        for_each_chunk(load.as_ref(), d.traffic.accounted_to, now, |requests| {
            let green = requests * green_bp / all;
            let blue = requests - green;
            let (green_e, blue_e) = (green * green_err / all, blue * blue_err / all);
            d.traffic.green.requests_milli += green;
            d.traffic.green.errors_milli += green_e;
            d.traffic.blue.requests_milli += blue;
            d.traffic.blue.errors_milli += blue_e;
            for a in &mut d.alarms {
                a.period_requests_milli += green;
                a.period_errors_milli += green_e;
            }
        });
        d.traffic.accounted_to = now;
    }

    /// What the new revision of deployment `d` served, counted to `until`: the production
    /// requests it got during the deployment up to a rollback (its exposure), and once the
    /// deployment succeeded every request after that, since it is then the production
    /// revision. Rolling deployments often finish the moment their tasks are healthy, so
    /// without the second part they would seem to expose no one. Compare mode and
    /// `compare-strategies` both count with this.
    pub fn new_revision_served(&self, d: &Deployment, until: SimTime) -> Served {
        let exposure = d.exposure_milli();
        let green = d.traffic.green;
        // Errors in proportion to the exposure (the counters keep running during a rollback).
        let mut failed = if green.requests_milli == 0 {
            0
        } else {
            (u128::from(green.errors_milli) * u128::from(exposure)
                / u128::from(green.requests_milli)) as u64
        };
        let mut requests = exposure;
        if let (DeploymentStatus::Successful, Some(end)) = (d.status(), d.finished_at()) {
            let svc = &self.services[d.service.0 as usize];
            let load = self.scenario.services[svc.spec as usize].load.as_ref();
            let err = u64::from(self.revisions[d.green as usize].error_rate_bp);
            for_each_chunk(load, end, until, |r| {
                requests += r;
                failed += r * err / u64::from(ALL_BP);
            });
        }
        Served {
            requests: requests / 1000,
            failed: failed / 1000,
        }
    }

    /// (production traffic on green in bp, requests/s, failed requests/s) across services.
    pub(crate) fn traffic_now(&self) -> (u32, u32, u32) {
        let (mut green, mut rps, mut errors) = (0u32, 0u64, 0u64);
        for svc in &self.services {
            let spec = &self.scenario.services[svc.spec as usize];
            let r = u64::from(rps_at(spec.load.as_ref(), self.now));
            rps += r;
            let (w, blue_rev, green_rev) = match self.deploy.active.get(&svc.id) {
                Some(d) => (d.traffic.production, d.blue, d.green),
                None => (Weights::blue(), svc.revision, svc.revision),
            };
            green = green.max(w.green_bp());
            let err = |rev: u32| u64::from(self.revisions[rev as usize].error_rate_bp);
            errors += r
                * (u64::from(w.blue_bp()) * err(blue_rev)
                    + u64::from(w.green_bp()) * err(green_rev))
                / (ALL_BP as u64 * ALL_BP as u64);
        }
        (green, rps.min(u64::from(u32::MAX)) as u32, errors as u32)
    }

    /// Moves listener weights (after counting the traffic that went the old way) and reports it.
    pub(crate) fn set_weights(
        &mut self,
        sid: ServiceId,
        production: Option<Weights>,
        test: Option<Weights>,
    ) {
        self.account(sid);
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let before = (d.traffic.production, d.traffic.test);
        if let Some(p) = production {
            d.traffic.production = p;
        }
        if let Some(t) = test {
            d.traffic.test = t;
        }
        if before != (d.traffic.production, d.traffic.test) {
            let (id, p, t) = (
                d.id,
                d.traffic.production.green_bp(),
                d.traffic.test.green_bp(),
            );
            self.emit(EventKind::TrafficShifted {
                service: sid,
                deployment: id,
                production_green_bp: p,
                test_green_bp: t,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_curve_peaks_at_peak_hour_and_bottoms_twelve_hours_later() {
        let l = LoadCurve {
            peak_rps: 1000,
            trough_rps: 200,
            peak_hour: 15,
            ..LoadCurve::default()
        };
        assert_eq!(rps_at(Some(&l), SimTime::from_hours(15)), 1000);
        assert_eq!(rps_at(Some(&l), SimTime::from_hours(3)), 200);
        let mid = rps_at(Some(&l), SimTime::from_hours(21));
        assert!((590..=610).contains(&mid), "{mid}");
        assert_eq!(rps_at(None, SimTime::ZERO), DEFAULT_RPS);
    }
}
