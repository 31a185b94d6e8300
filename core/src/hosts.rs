//! Host lifecycle: launch → REGISTERING → ACTIVE → DRAINING → DEREGISTERING → terminated.
//! Every way a host leaves (operator drain, patch, consolidation, faults) goes through `drain_host`
//! or, at a hard deadline, `deregister`.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use crate::event::{DeregisterWhy, EventKind, LaunchWhy};
use crate::money::Micros;
use crate::queue::Timer;
use crate::scenario::CapacityOptionType;
use crate::sim::Sim;
use crate::time::SECOND;
use crate::world::{DrainCause, Host, HostId, HostStatus, Res, StopCause};

/// Spot price as a share of On-Demand, percent (third-party "up to ~70 % off"; illustrative).
pub const SPOT_PRICE_PERCENT: u64 = 35;

impl Sim {
    /// µ$/h for a host of this type: EC2 price (Spot-discounted if Spot) and the fee, which we
    /// assume follows the type, not the purchase option ("Amazon ECS pricing").
    pub fn host_prices(&self, instance_type: u32, option: CapacityOptionType) -> (u64, u64) {
        let t = &self.catalog[instance_type as usize];
        let ec2 = match option {
            CapacityOptionType::OnDemand => t.price_per_hour.0,
            CapacityOptionType::Spot => t.price_per_hour.0 * SPOT_PRICE_PERCENT / 100,
        };
        (ec2, t.fee().0)
    }

    /// What a host costs an hour as billed: EC2 (at its purchase option) plus the fee.
    pub fn host_price_per_hour(&self, h: &Host) -> Micros {
        let (ec2, fee) = self.host_prices(h.instance_type, h.capacity_option);
        Micros(ec2 + fee)
    }

    pub(crate) fn launch_host(
        &mut self,
        instance_type: u32,
        az: u32,
        mut why: LaunchWhy,
    ) -> HostId {
        let id = HostId(self.next_host);
        self.next_host += 1;
        let option = self.scenario.capacity_provider.capacity_option_type;
        let trunking = self.scenario.capacity_provider.awsvpc_trunking;
        let t = &self.catalog[instance_type as usize];
        let capacity = Res {
            cpu: t.cpu_units(),
            memory: t.memory_mib,
            enis: t.task_enis(trunking),
        };
        let (ec2, fee) = self.host_prices(instance_type, option);
        why.price_per_hour = ec2 + fee;
        self.hosts.insert(
            id,
            Host {
                id,
                instance_type,
                az,
                status: HostStatus::Registering,
                launched_at: self.now,
                registered_at: None,
                image_version: self.image_version,
                capacity_option: option,
                capacity,
                used: Res::default(),
                tasks: BTreeSet::new(),
                cached: BTreeSet::new(),
                drain: None,
                drain_since: None,
                timer_gen: 0,
                check_queued: None,
                unreachable: false,
            },
        );
        self.ledger.host_started(self.now.ms(), ec2, fee);
        self.emit(EventKind::HostLaunched {
            host: id,
            az,
            instance_type,
            why,
        });
        let delay = u64::from(self.scenario.timing.instance_launch_seconds) * SECOND;
        self.queue.push(self.now + delay, Timer::HostRegistered(id));
        self.host_launched_hook(id);
        id
    }

    pub(crate) fn host_registered(&mut self, h: HostId) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        if host.status != HostStatus::Registering {
            return;
        }
        host.status = HostStatus::Active;
        host.registered_at = Some(self.now);
        self.capacity_epoch += 1;
        let waiting: Vec<_> = host.tasks.iter().copied().collect();
        self.emit(EventKind::HostRegistered { host: h });
        for t in waiting {
            if self.tasks.get(&t).is_some_and(|t| t.live()) {
                self.begin_pull(t);
            }
        }
        if self.hosts.get(&h).is_some_and(|h| h.tasks.is_empty()) {
            self.host_became_idle(h);
        }
        self.request_placement();
    }

    /// DRAINING: no new tasks; service tasks are replaced start-before-stop by the scheduler.
    pub(crate) fn drain_host(&mut self, h: HostId, cause: DrainCause) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        if matches!(
            host.status,
            HostStatus::Draining | HostStatus::Deregistering
        ) {
            return;
        }
        host.status = HostStatus::Draining;
        self.leaving_hosts.insert(h);
        host.drain = Some(cause);
        host.drain_since = Some(self.now);
        host.timer_gen += 1;
        let empty = host.tasks.is_empty();
        self.emit(EventKind::HostDraining { host: h, cause });
        if empty {
            self.deregister(h, DeregisterWhy::Drained(cause));
        } else {
            self.touch_host(h);
        }
    }

    /// DEREGISTERING: whatever still runs is stopped; the instance terminates when empty.
    pub(crate) fn deregister(&mut self, h: HostId, why: DeregisterWhy) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return;
        };
        if host.status == HostStatus::Deregistering {
            return;
        }
        host.status = HostStatus::Deregistering;
        self.leaving_hosts.insert(h);
        host.timer_gen += 1;
        let remaining: Vec<_> = host.tasks.iter().copied().collect();
        self.touch_host(h);
        self.emit(EventKind::HostDeregistering { host: h, why });
        for t in remaining {
            self.stop_task(t, StopCause::HostDeregistered);
        }
        if self.hosts.get(&h).is_some_and(|h| h.tasks.is_empty()) {
            self.terminate(h);
        }
    }

    fn terminate(&mut self, h: HostId) {
        let Some(host) = self.hosts.remove(&h) else {
            return;
        };
        self.leaving_hosts.remove(&h);
        // A launch-quota slot is free again.
        self.capacity_epoch += 1;
        let (ec2, fee) = self.host_prices(host.instance_type, host.capacity_option);
        let lived = self.now.since(host.launched_at);
        self.ledger.host_stopped(self.now.ms(), ec2, fee, lived);
        let billed_ms = lived.max(crate::time::MINUTE);
        let cost =
            (u128::from(ec2 + fee) * u128::from(billed_ms) / u128::from(crate::time::HOUR)) as u64;
        self.emit(EventKind::HostTerminated {
            host: h,
            billed_ms,
            cost,
        });
        self.host_terminated_hook(&host);
    }

    /// A task left the host: finish a drain, terminate a deregistering host, or start the idle
    /// timer.
    pub(crate) fn host_lost_task(&mut self, h: HostId) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        if !host.tasks.is_empty() {
            self.task_left_host_hook(h);
            return;
        }
        match (host.status, host.drain) {
            (HostStatus::Deregistering, _) => self.terminate(h),
            (HostStatus::Draining, Some(cause)) => {
                self.deregister(h, DeregisterWhy::Drained(cause))
            }
            (HostStatus::Active, _) => self.host_became_idle(h),
            _ => {}
        }
    }

    /// Where it was stopping or starting tasks; `None` for hosts that are gone.
    pub fn host_is_leaving(&self, h: HostId) -> bool {
        self.hosts.get(&h).is_none_or(Host::leaving)
    }
}
