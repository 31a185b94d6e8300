//! What the simulation lets its callers read: the world, the events, the cost and the
//! placement rules, without a way to change them.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Rules, Sim};
use crate::catalog::InstanceType;
use crate::command::Timed;
use crate::cost::CostNow;
use crate::event::Event;
use crate::metrics::Metrics;
use crate::scenario::Scenario;
use crate::world::{Host, HostId, Owner, Res, Revision, Service, Task, TaskId};

impl Sim {
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn catalog(&self) -> &[InstanceType] {
        &self.catalog
    }
    pub fn hosts(&self) -> impl Iterator<Item = &Host> {
        self.hosts.values()
    }
    pub fn host(&self, id: HostId) -> Option<&Host> {
        self.hosts.get(&id)
    }
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id)
    }
    pub fn services(&self) -> &[Service] {
        &self.services
    }
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }
    pub fn az_names(&self) -> impl Iterator<Item = &str> {
        self.azs.iter().map(|a| a.name.as_str())
    }
    pub fn az_impaired(&self, az: u32) -> bool {
        self.azs.get(az as usize).is_some_and(|a| a.impaired)
    }
    pub fn group_names(&self) -> &[String] {
        &self.groups
    }
    /// Events since the last call (the buffer keeps at most `EVENT_BUFFER_CAP`).
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// A digest of every event so far: equal digests mean identical runs.
    pub fn digest(&self) -> u64 {
        self.digest
    }
    pub fn event_count(&self) -> u64 {
        self.event_count
    }
    pub fn script(&self) -> &[Timed] {
        &self.script
    }
    pub fn cost(&self) -> CostNow {
        self.ledger.at(self.now.ms())
    }
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    pub fn image_version(&self) -> u32 {
        self.image_version
    }
    /// µ$/h of the cheapest fractional cover of `demand` by the allowed instance types.
    pub fn lower_bound_for(&self, demand: Res) -> u64 {
        self.ledger.bound.rate(demand)
    }
    pub fn pending_reason(&self, t: TaskId) -> Option<crate::event::PendingWhy> {
        self.unplaced_reason.get(&t).copied()
    }
    pub(crate) fn rules(&self, owner: Owner) -> &Rules {
        static EMPTY: Rules = Rules {
            member_of: Vec::new(),
            distinct: false,
        };
        self.rules.get(&owner).unwrap_or(&EMPTY)
    }
    /// Whether a host satisfies the owner's memberOf constraints.
    pub fn host_allowed(&self, owner: Owner, instance_type: u32, az: u32) -> bool {
        let attrs = crate::query::Attributes {
            instance_type: &self.catalog[instance_type as usize].name,
            availability_zone: &self.azs[az as usize].name,
        };
        self.rules(owner)
            .member_of
            .iter()
            .all(|e| e.matches(&attrs))
    }
    /// Whether a placed task satisfies all its placement constraints where it is.
    pub fn task_satisfies_constraints(&self, t: TaskId) -> bool {
        let Some(task) = self.tasks.get(&t) else {
            return true;
        };
        let Some(host) = task.host.and_then(|h| self.hosts.get(&h)) else {
            return true;
        };
        if !self.host_allowed(task.owner, host.instance_type, host.az) {
            return false;
        }
        if self.rules(task.owner).distinct {
            let same = host
                .tasks
                .iter()
                .filter(|o| {
                    self.tasks
                        .get(o)
                        .is_some_and(|o| o.owner == task.owner && o.live())
                })
                .count();
            return same <= 1 || !task.live();
        }
        true
    }
}
