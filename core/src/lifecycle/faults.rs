//! Maintenance events and faults: scheduled EC2 maintenance and hardware degradation drain a
//! host early ("Patching in Amazon ECS Managed Instances") and retire it by force at a deadline; a
//! Spot interruption gives the documented two minutes' notice; an impaired AZ makes its hosts
//! unreachable, so their service tasks are replaced in the other AZs, and its recovery lets
//! rebalancing move them back. Random faults happen at seeded rates, drawn hourly per host.

use alloc::vec::Vec;

use crate::command::CommandError;
use crate::event::EventKind;
use crate::scenario::CapacityOptionType;
use crate::sim::Sim;
use crate::time::{HOUR, MINUTE};
use crate::world::{DrainCause, HostId, HostStatus};

/// EC2's Spot interruption notice (documented: two minutes).
pub const SPOT_NOTICE_MS: u64 = 2 * MINUTE;

impl Sim {
    pub(crate) fn maintenance_event(&mut self, h: HostId) {
        let hours = u64::from(self.scenario.faults.maintenance_event_deadline_hours);
        self.drain_with_deadline(h, DrainCause::MaintenanceEvent, self.now + hours * HOUR);
    }

    pub(crate) fn degrade_host(&mut self, h: HostId) {
        let hours = u64::from(self.scenario.faults.degraded_host_deadline_hours);
        self.drain_with_deadline(h, DrainCause::HardwareDegraded, self.now + hours * HOUR);
    }

    pub(crate) fn interrupt_spot(&mut self, h: HostId) -> Result<(), CommandError> {
        if self.hosts[&h].capacity_option != CapacityOptionType::Spot {
            return Err(CommandError::NotNow(alloc::format!(
                "{h} is an On-Demand instance, not Spot"
            )));
        }
        self.drain_with_deadline(h, DrainCause::SpotInterruption, self.now + SPOT_NOTICE_MS);
        Ok(())
    }

    pub(crate) fn impair_az(&mut self, az: u32) {
        if self.azs[az as usize].impaired {
            return;
        }
        self.azs[az as usize].impaired = true;
        for host in self.hosts.values_unordered_mut().filter(|h| h.az == az) {
            host.unreachable = true;
            self.leaving_hosts.insert(host.id);
            // Pending idle or consolidation checks are void while unreachable.
            host.timer_gen += 1;
        }
        self.emit(EventKind::AzImpaired { az });
        self.request_reconcile();
    }

    pub(crate) fn recover_az(&mut self, az: u32) {
        if !self.azs[az as usize].impaired {
            return;
        }
        self.azs[az as usize].impaired = false;
        let mut idle = Vec::new();
        for host in self.hosts.values_unordered_mut().filter(|h| h.az == az) {
            host.unreachable = false;
            if matches!(host.status, HostStatus::Active | HostStatus::Registering) {
                self.leaving_hosts.remove(&host.id);
            }
            if host.tasks.is_empty() && host.status == HostStatus::Active {
                idle.push(host.id);
            }
        }
        idle.sort_unstable();
        self.emit(EventKind::AzRecovered { az });
        // Steady services are not otherwise looked at again: check every one's spread.
        let all: Vec<_> = self.services.iter().map(|s| s.id).collect();
        self.lifecycle.check_balance.extend(all);
        for h in idle {
            self.host_became_idle(h);
        }
        // Rebalancing sees the AZ again and moves tasks back.
        self.request_reconcile();
    }

    /// Each host, once an hour, draws each enabled fault at its rate (ppm per host-day).
    pub(crate) fn random_faults(&mut self) {
        let f = &self.scenario.faults;
        let rates = [
            f.hardware_degradation_ppm_per_host_day,
            f.maintenance_event_ppm_per_host_day,
            f.spot_interruption_ppm_per_host_day,
        ];
        if rates.iter().all(|&r| r == 0) {
            return;
        }
        let candidates: Vec<(HostId, bool)> = self
            .hosts
            .values()
            .filter(|h| h.status == HostStatus::Active && !h.unreachable)
            .map(|h| (h.id, h.capacity_option == CapacityOptionType::Spot))
            .collect();
        for (h, spot) in candidates {
            // ppm per day → probability per hour = ppm / (24 × 10⁶).
            let mut hit = |rate: u32| rate > 0 && self.rng.below(24_000_000) < rate;
            let (degraded, maintenance) = (hit(rates[0]), hit(rates[1]));
            let reclaimed = spot && hit(rates[2]);
            if reclaimed {
                let _ = self.interrupt_spot(h);
            } else if degraded {
                self.degrade_host(h);
            } else if maintenance {
                self.maintenance_event(h);
            }
        }
    }
}
