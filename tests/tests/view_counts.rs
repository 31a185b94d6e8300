//! `Sim::live_counts`, which the page asks for on every render, reads the scheduler's
//! per-revision counts; it must agree with a scan of every task at every moment of a
//! deployment, including a rollback's leftovers.

use crate::trust_common::*;

use fleetsim_core::scenario::Strategy;
use fleetsim_core::time::SECOND;
use fleetsim_core::world::{Owner, ServiceId};
use fleetsim_core::{Sim, SimTime};

fn scanned(sim: &Sim, s: ServiceId) -> (u32, u32) {
    sim.tasks()
        .filter(|t| t.owner == Owner::Service(s) && t.live())
        .fold((0, 0), |(live, green), t| {
            (live + 1, green + u32::from(sim.is_green(t)))
        })
}

#[test]
fn live_counts_agree_with_a_scan_through_deployments() {
    for strategy in Strategy::ALL {
        for revision in ["v2", "broken"] {
            let mut sim = steady(web(4, strategy, 3));
            deploy(&mut sim, revision, None);
            let mut saw_green = false;
            let end = sim.now() + SimTime::from_hours(3).ms();
            while sim.now() < end {
                let t = sim.now().plus_ms(30 * SECOND);
                sim.step_until(t);
                let c = sim.live_counts(WEB);
                assert_eq!(
                    (c.live, c.green),
                    scanned(&sim, WEB),
                    "{strategy:?} to {revision} at {}",
                    sim.now().ms()
                );
                saw_green |= c.green > 0;
            }
            assert!(
                saw_green,
                "{strategy:?} to {revision}: no green task was ever live"
            );
        }
    }
}
