//! Host promises: hosts move REGISTERING → ACTIVE → DRAINING → DEREGISTERING → terminated and
//! never back, a drained or idle host deregisters only once empty, a host terminates only from
//! DEREGISTERING with no task left, and the fleet stays within the instance limit.

use alloc::collections::BTreeSet;
use alloc::format;

use super::{HostObs, Observer};
use crate::event::DeregisterWhy;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{HostId, HostStatus, Res};

impl Observer {
    pub(super) fn host_launched(
        &mut self,
        sim: &Sim,
        at: SimTime,
        host: HostId,
        az: u32,
        instance_type: u32,
    ) {
        let t = &sim.catalog()[instance_type as usize];
        let trunking = sim.scenario().capacity_provider.awsvpc_trunking;
        self.hosts.insert(
            host,
            HostObs {
                az,
                cap: Res {
                    cpu: t.cpu_units(),
                    memory: t.memory_mib,
                    enis: t.task_enis(trunking),
                },
                used: Res::default(),
                status: HostStatus::Registering,
                tasks: BTreeSet::new(),
            },
        );
        if self.hosts.len() as u32 > self.max_hosts {
            let n = self.hosts.len();
            let cap = self.max_hosts;
            self.fail(
                at,
                "instance limit",
                format!("{n} instances, the limit is {cap}"),
            );
        }
    }

    pub(super) fn host_deregistering(&mut self, at: SimTime, host: HostId, why: &DeregisterWhy) {
        self.host_moves(
            at,
            host,
            HostStatus::Deregistering,
            &[
                HostStatus::Registering,
                HostStatus::Active,
                HostStatus::Draining,
            ],
        );
        if let DeregisterWhy::Drained(_) | DeregisterWhy::Idle { .. } = why {
            let live = self.hosts.get(&host).map_or(0, |h| {
                h.tasks
                    .iter()
                    .filter(|t| self.tasks.get(t).is_some_and(|t| t.stopping.is_none()))
                    .count()
            });
            if live > 0 {
                self.fail(
                    at,
                    "deregistration",
                    format!("{host} deregistered as drained or idle with {live} live tasks"),
                );
            }
        }
    }

    pub(super) fn host_terminated(&mut self, at: SimTime, host: HostId) {
        match self.hosts.remove(&host) {
            Some(h) if h.status != HostStatus::Deregistering => self.fail(
                at,
                "host transition",
                format!("{host} terminated from {}", h.status),
            ),
            Some(h) if !h.tasks.is_empty() => self.fail(
                at,
                "live task on a gone host",
                format!(
                    "{host} terminated with {} tasks not yet stopped",
                    h.tasks.len()
                ),
            ),
            Some(_) => {}
            None => self.fail(at, "host transition", format!("{host} terminated twice")),
        }
    }

    pub(super) fn host_moves(
        &mut self,
        at: SimTime,
        h: HostId,
        to: HostStatus,
        from: &[HostStatus],
    ) {
        let Some(host) = self.hosts.get_mut(&h) else {
            return self.fail(at, "host transition", format!("{h} unknown moved to {to}"));
        };
        let was = host.status;
        host.status = to;
        if !from.contains(&was) {
            self.fail(at, "host transition", format!("{h} {was} → {to}"));
        }
    }
}
