//! The core names each visible replacement (`TaskReplaced`), so the page draws moves without
//! guessing: a drained host's tasks each move to another host, and AZ rebalancing pairs each
//! stop with a task it started in another AZ.

use std::collections::BTreeMap;

use crate::lifecycle_common::{apply, impair_and_recover, run_to, Observer};
use fleetsim_core::event::{EventKind, ReplaceWhy};
use fleetsim_core::scenario::{PatchMode, Scenario, ServiceSpec};
use fleetsim_core::world::{HostId, StopCause, TaskId};
use fleetsim_core::{Command, Sim, SimTime};

fn pairs(obs: &Observer, why: ReplaceWhy) -> Vec<(TaskId, TaskId)> {
    obs.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskReplaced { old, new, why: w } if w == why => Some((old, new)),
            _ => None,
        })
        .collect()
}

fn az_of_hosts(obs: &Observer) -> BTreeMap<HostId, u32> {
    obs.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::HostLaunched { host, az, .. } => Some((host, az)),
            _ => None,
        })
        .collect()
}

#[test]
fn each_task_of_a_drained_host_is_replaced_by_one_on_another_host() {
    let mut sim = Sim::new(fleetsim_core::worlds::workshop()).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_hours(1));
    let host = sim.hosts().find(|h| h.tasks.len() >= 2).unwrap();
    let (id, tasks) = (host.id, host.tasks.clone());
    apply(&mut sim, &mut obs, Command::DrainHost { host: id.0 });
    run_to(&mut sim, &mut obs, SimTime::from_hours(2));
    let moved = pairs(&obs, ReplaceWhy::HostDraining);
    let olds: Vec<TaskId> = moved.iter().map(|p| p.0).collect();
    assert_eq!(
        olds.iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        tasks,
        "one replacement per task of the drained host"
    );
    assert_eq!(olds.len(), tasks.len(), "each named once");
    for (old, new) in &moved {
        assert_eq!(obs.owner[old], obs.owner[new], "{new} is {old}'s service");
        assert!(
            obs.host_of[new] != id,
            "{new} replaces {old} from another host"
        );
    }
}

#[test]
fn rebalancing_pairs_each_stop_with_a_task_started_in_another_az() {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.services.push(ServiceSpec::sized("web", 9, 512, 1024));
    let (_, obs) = impair_and_recover(s, SimTime::from_hours(3));
    let moved = pairs(&obs, ReplaceWhy::Rebalance);
    let stopped: Vec<TaskId> = obs
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskStopping {
                task,
                cause: StopCause::Rebalance,
            } => Some(task),
            _ => None,
        })
        .collect();
    assert!(!stopped.is_empty(), "the recovered AZ is rebalanced");
    assert_eq!(
        moved.iter().map(|p| p.0).collect::<Vec<_>>(),
        stopped,
        "every rebalancing stop is paired, in order"
    );
    let azs = az_of_hosts(&obs);
    for (old, new) in &moved {
        let (from, to) = (azs[&obs.host_of[old]], azs[&obs.host_of[new]]);
        assert_ne!(from, to, "{new} replaces {old} in another AZ");
        let created = |t: &TaskId| {
            obs.events
                .iter()
                .position(|e| matches!(e.kind, EventKind::TaskCreated { task, .. } if task == *t))
        };
        assert!(
            created(new) > created(old),
            "{new} was started for the rebalance"
        );
    }
    let news: std::collections::BTreeSet<_> = moved.iter().map(|p| p.1).collect();
    assert_eq!(news.len(), moved.len(), "each started task pairs once");
}
