//! A cheap, serialisable snapshot of the world for the UI and the JavaScript API: hosts grouped
//! by AZ with their tasks, and the totals. The web crate renders only this.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::money::Micros;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::{HostStatus, Owner, ServiceId, Task, TaskState};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: u32,
    pub service: String,
    pub service_index: u32,
    pub revision: String,
    /// Runs a revision other than the service's production one (the "green" side).
    pub green: bool,
    pub state: TaskState,
    pub standalone: bool,
    pub protected: bool,
    pub healthy: bool,
    pub stopping: bool,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveCounts {
    pub live: u32,
    pub green: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostView {
    pub id: u32,
    pub name: String,
    pub instance_type: String,
    pub az: u32,
    pub status: HostStatus,
    pub cpu_used: u32,
    pub cpu_total: u32,
    pub mem_used: u32,
    pub mem_total: u32,
    pub enis_used: u32,
    pub enis_total: u32,
    pub price_per_hour: Micros,
    pub age_ms: u64,
    pub image_version: u32,
    pub spot: bool,
    pub unreachable: bool,
    pub drain_reason: Option<String>,
    /// Why the optimiser last left this host alone ("why wasn't this host removed?").
    pub kept_reason: Option<String>,
    pub tasks: Vec<TaskView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AzView {
    pub name: String,
    pub impaired: bool,
    pub hosts: Vec<HostView>,
    /// Tasks assigned to this AZ that have no host yet are not listed; see `Totals`.
    pub tasks: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub hosts: u32,
    pub tasks_running: u32,
    pub tasks_pending: u32,
    pub rate_per_hour: Micros,
    pub cumulative: Micros,
    pub fargate_per_hour: Micros,
    pub fargate_cumulative: Micros,
    pub lower_bound_per_hour: Micros,
    pub lower_bound_cumulative: Micros,
    /// Patch compliance: the oldest host's age and hosts past day 14 / day 21.
    pub oldest_host_ms: u64,
    pub hosts_past_day14: u32,
    pub hosts_past_day21: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub now: SimTime,
    /// "Day 3 · 14:20:05"
    pub clock: String,
    pub azs: Vec<AzView>,
    pub totals: Totals,
    /// Tasks without a host, with the reason they wait.
    pub unplaced: Vec<(u32, String)>,
}

impl Sim {
    pub fn view(&self) -> View {
        let mut azs: Vec<AzView> = self
            .azs
            .iter()
            .map(|a| AzView {
                name: a.name.clone(),
                impaired: a.impaired,
                hosts: Vec::new(),
                tasks: 0,
            })
            .collect();
        for h in self.hosts.values() {
            let t = &self.catalog[h.instance_type as usize];
            let tasks: Vec<TaskView> = h
                .tasks
                .iter()
                .filter_map(|id| self.tasks.get(id))
                .map(|t| self.task_view(t))
                .collect();
            let az = &mut azs[h.az as usize];
            az.tasks += tasks.len() as u32;
            az.hosts.push(HostView {
                id: h.id.0,
                name: h.id.to_string(),
                instance_type: t.name.clone(),
                az: h.az,
                status: h.status,
                cpu_used: h.used.cpu,
                cpu_total: h.capacity.cpu,
                mem_used: h.used.memory,
                mem_total: h.capacity.memory,
                enis_used: h.used.enis,
                enis_total: h.capacity.enis,
                price_per_hour: self.host_price_per_hour(h),
                age_ms: h.age_ms(self.now),
                image_version: h.image_version,
                spot: h.spot(),
                unreachable: h.unreachable,
                drain_reason: h.drain.map(|d| self.names().drain_cause(&d)),
                kept_reason: self.host_kept_reason(h.id).map(|k| self.names().keep(&k)),
                tasks,
            });
        }
        let cost = self.cost();
        let mut totals = Totals {
            hosts: self.hosts.len() as u32,
            rate_per_hour: cost.rate(),
            cumulative: cost.total(),
            fargate_per_hour: cost.fargate_per_hour,
            fargate_cumulative: cost.fargate,
            lower_bound_per_hour: cost.lower_bound_per_hour,
            lower_bound_cumulative: cost.lower_bound,
            ..Totals::default()
        };
        for h in self.hosts.values_unordered() {
            let age = h.age_ms(self.now);
            totals.oldest_host_ms = totals.oldest_host_ms.max(age);
            totals.hosts_past_day14 += u32::from(age >= 14 * crate::time::DAY);
            totals.hosts_past_day21 += u32::from(age >= 21 * crate::time::DAY);
        }
        for t in self.tasks.values_unordered() {
            match t.state {
                TaskState::Running => totals.tasks_running += 1,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating => {
                    totals.tasks_pending += 1
                }
                _ => {}
            }
        }
        let names = self.names();
        let unplaced = self
            .unplaced_reason
            .iter()
            .map(|(t, why)| (t.0, names.pending(why)))
            .collect();
        View {
            now: self.now,
            clock: self.now.to_string(),
            azs,
            totals,
            unplaced,
        }
    }

    /// Whether a task runs another revision than its service's production one: the green
    /// side of a deployment (or a rollback's leftovers). Standalone tasks are never green.
    pub fn is_green(&self, t: &Task) -> bool {
        match t.owner {
            Owner::Service(s) => t.revision != self.services[s.0 as usize].revision,
            Owner::Standalone(_) => false,
        }
    }

    /// A service's live tasks, and how many of them are green.
    pub fn live_counts(&self, s: ServiceId) -> LiveCounts {
        // From the per-revision counts the scheduler keeps, not a scan of every task: the page
        // asks for each service on every render.
        let owner = Owner::Service(s);
        let production = self.services[s.0 as usize].revision;
        let mut c = LiveCounts::default();
        for (&(_, rev), &(live, _)) in self.counts.range((owner, 0)..=(owner, u32::MAX)) {
            c.live += live;
            if rev != production {
                c.green += live;
            }
        }
        c
    }

    pub fn task_view(&self, t: &Task) -> TaskView {
        let green = self.is_green(t);
        let (service, service_index, standalone) = match t.owner {
            Owner::Service(s) => (self.services[s.0 as usize].name.clone(), s.0, false),
            Owner::Standalone(g) => (self.groups[g as usize].clone(), g, true),
        };
        TaskView {
            id: t.id.0,
            service,
            service_index,
            revision: self.revisions[t.revision as usize].label.clone(),
            green,
            state: t.state,
            standalone,
            protected: t.is_protected(self.now),
            healthy: t.healthy,
            stopping: t.stopping.is_some(),
        }
    }
}
