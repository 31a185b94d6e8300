//! Promises that hold at the end of every instant (all events at one simulated millisecond): no
//! timer storm, no live task left on a deregistering host, and the fleet's cost never below its
//! lower bound.

use alloc::format;

use super::{Observer, INSTANTS_PER_SECOND};
use crate::sim::Sim;
use crate::time::{SimTime, SECOND};
use crate::world::HostStatus;

impl Observer {
    /// Checks that hold at the end of every instant (all events at one simulated ms).
    pub fn end_instant(&mut self, sim: &Sim, at: SimTime) {
        self.drain_batch.clear();
        if self.last_instant != Some(at) {
            self.last_instant = Some(at);
            let second = at.ms() / SECOND;
            if second != self.second {
                self.second = second;
                self.instants = 0;
            }
            self.instants += 1;
            if self.instants == INSTANTS_PER_SECOND {
                self.fail(
                    at,
                    "timer storm",
                    format!("{INSTANTS_PER_SECOND} firing instants within one simulated second"),
                );
            }
        }
        let mut stranded = None;
        for (h, host) in &self.hosts {
            if host.status != HostStatus::Deregistering {
                continue;
            }
            if let Some(t) = host
                .tasks
                .iter()
                .find(|t| self.tasks.get(t).is_some_and(|t| t.stopping.is_none()))
            {
                stranded = Some((*h, *t));
            }
        }
        if let Some((h, t)) = stranded {
            self.fail(
                at,
                "live task on a deregistering host",
                format!("{t} still live on {h}"),
            );
        }
        let cost = sim.cost();
        let (rate, bound_rate) = (cost.rate().0, cost.lower_bound_per_hour.0);
        // The bound is an LP optimum rounded to µ$: allow rounding, nothing more.
        if rate + rate / 1_000 + 10 < bound_rate {
            self.fail(
                at,
                "cost ≥ lower bound",
                format!("fleet costs {rate} µ$/h, below its lower bound {bound_rate} µ$/h"),
            );
        }
        let (total, bound_total) = (cost.total().0, cost.lower_bound.0);
        if total + total / 1_000 + 10 < bound_total {
            self.fail(
                at,
                "cost ≥ lower bound",
                format!("fleet cost {total} µ$ so far, below its lower bound {bound_total} µ$"),
            );
        }
    }
}
