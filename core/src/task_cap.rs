//! The task limit at run time (rule in `scenario::limits`): commands that raise the task count
//! are refused with the room left, and no task is created past `MAX_LIVE_TASKS`.

use crate::command::CommandError;
use crate::event::EventKind;
use crate::scenario::fields::{DESIRED_COUNT, RUN_TASK_COUNT};
use crate::scenario::{MAX_LIVE_TASKS, MAX_TASKS};
use crate::sim::Sim;
use crate::world::{Owner, ServiceId};

impl Sim {
    /// Tasks the world is committed to: each service's peak (its desired count, or its auto
    /// scaling maximum when higher) and every live standalone task; `except` leaves one out.
    pub fn committed_tasks(&self, except: Option<ServiceId>) -> u32 {
        let services: u32 = self
            .services
            .iter()
            .filter(|s| Some(s.id) != except)
            .map(|s| {
                let spec = &self.scenario.services[s.spec as usize];
                let scaling_max = spec.auto_scaling.as_ref().map_or(0, |a| a.max_tasks);
                s.desired.max(scaling_max)
            })
            .sum();
        let standalone: u32 = self
            .owned
            .range(Owner::Standalone(0)..)
            .map(|(_, ids)| ids.len() as u32)
            .sum();
        services + standalone
    }

    /// Tasks not yet told to stop (what `MAX_LIVE_TASKS` bounds).
    pub fn live_tasks(&self) -> u32 {
        self.live_tasks
    }

    pub(crate) fn check_desired(&self, sid: ServiceId, count: u32) -> Result<(), CommandError> {
        // desiredCount's own range (UpdateService), before the cluster-wide limit.
        let own = DESIRED_COUNT.max as u32;
        let others = self.committed_tasks(Some(sid));
        let max = MAX_TASKS.saturating_sub(others).min(own);
        if count <= max {
            return Ok(());
        }
        if max == own {
            return Err(CommandError::out_of_range(
                "desiredCount",
                &DESIRED_COUNT,
                count,
            ));
        }
        Err(CommandError::OverTaskLimit {
            field: "desiredCount",
            value: count,
            min: 0,
            max,
            others,
            others_are: "other services and standalone tasks",
        })
    }

    pub(crate) fn check_run_task(&self, count: u32) -> Result<(), CommandError> {
        if !RUN_TASK_COUNT.accepts(count.into()) {
            return Err(CommandError::out_of_range("count", &RUN_TASK_COUNT, count));
        }
        let committed = self.committed_tasks(None);
        let max = MAX_TASKS
            .saturating_sub(committed)
            .min(RUN_TASK_COUNT.max as u32);
        if count > max {
            return Err(CommandError::OverTaskLimit {
                field: "count",
                value: count,
                min: RUN_TASK_COUNT.min as u32,
                max,
                others: committed,
                others_are: "services and standalone tasks",
            });
        }
        if self.live_tasks + count > MAX_LIVE_TASKS {
            return Err(CommandError::NotNow(alloc::format!(
                "count: {count} more tasks would pass the {MAX_LIVE_TASKS} tasks the cluster \
                 runs at once while deployments and drains replace tasks ({} are live); \
                 try again when they finish",
                self.live_tasks
            )));
        }
        Ok(())
    }

    /// Whether one more task may be created; the first refusal after the world reached the cap
    /// is an event, so the log says why a service waits below its desired count.
    pub(crate) fn task_room(&mut self, owner: Owner) -> bool {
        if self.live_tasks < MAX_LIVE_TASKS {
            return true;
        }
        if !self.at_task_cap {
            self.at_task_cap = true;
            self.emit(EventKind::TaskLimitReached {
                owner,
                live: self.live_tasks,
            });
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::CreateWhy;
    use crate::scenario::{Scenario, ServiceSpec};

    #[test]
    fn no_task_is_created_past_the_live_cap_and_the_first_refusal_is_an_event() {
        let mut sim = Sim::new(Scenario {
            services: alloc::vec![ServiceSpec::sized("web", 2, 256, 512)],
            ..Scenario::default()
        })
        .unwrap();
        let owner = Owner::Service(ServiceId(0));
        // Stand-in for a world of 40,000 live tasks: the counter is what the guard reads.
        sim.live_tasks = MAX_LIVE_TASKS;
        let before = sim.event_count();
        assert_eq!(sim.create_task(owner, 0, CreateWhy::Rebalance), None);
        assert_eq!(sim.create_task(owner, 0, CreateWhy::Rebalance), None);
        assert_eq!(
            sim.event_count(),
            before + 1,
            "reported once, not per attempt"
        );
        assert_eq!(
            sim.events().last().map(|e| &e.kind),
            Some(&EventKind::TaskLimitReached {
                owner,
                live: MAX_LIVE_TASKS
            })
        );
        sim.live_tasks = MAX_LIVE_TASKS - 1;
        sim.at_task_cap = false;
        assert!(sim.create_task(owner, 0, CreateWhy::Rebalance).is_some());
        assert_eq!(sim.live_tasks(), MAX_LIVE_TASKS);
    }

    #[test]
    fn the_limit_message_names_field_value_range_and_what_uses_the_rest() {
        let e = CommandError::OverTaskLimit {
            field: "desiredCount",
            value: 5_000,
            min: 0,
            max: 1_200,
            others: 18_800,
            others_are: "other services and standalone tasks",
        };
        assert_eq!(
            alloc::format!("{e}"),
            "desiredCount: 5000, must be 0–1200 (the cluster may run 20,000 tasks at peak; \
             other services and standalone tasks use 18,800)"
        );
    }
}
