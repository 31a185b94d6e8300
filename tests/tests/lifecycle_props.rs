//! Property: over random scenarios and command sequences, no drain, rebalance, consolidation,
//! patch replacement or scale-in stop takes a service's healthy running count below
//! ceil(desired × minimumHealthyPercent). Forced deregistration and AZ impairment are outside
//! the rule (their stops are not checked), but the stops that follow them still are.
//! Also: standalone tasks are never moved, and protected tasks are stopped only when forced.

use crate::lifecycle_common::{run_to, Observer};
use fleetsim_core::event::EventKind;
use fleetsim_core::scenario::{
    MaintenanceWindow, PatchMode, Scenario, ServiceSpec, StandaloneSpec, TaskSpec, Weekday,
};
use fleetsim_core::world::{Owner, StopCause, TaskId};
use fleetsim_core::{Command, Sim, SimTime};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Svc {
    desired: u32,
    cpu: u32,
    min_pct: u32,
    max_pct: u32,
}

#[derive(Clone, Debug)]
enum Act {
    Drain(u32),
    Maintenance(u32),
    Degrade(u32),
    Protect(u32, u32),
    Desired(u32, u32),
    Impair(u32),
    Recover(u32),
    RunTask,
}

fn svc() -> impl Strategy<Value = Svc> {
    (
        1u32..10,
        prop::sample::select(vec![256u32, 512, 1024, 2048, 4096]),
        prop::sample::select(vec![0u32, 50, 75, 100]),
        prop::sample::select(vec![100u32, 150, 200]),
    )
        .prop_map(|(desired, cpu, min_pct, max_pct)| Svc {
            desired,
            cpu,
            min_pct,
            max_pct,
        })
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        any::<u32>().prop_map(Act::Drain),
        any::<u32>().prop_map(Act::Maintenance),
        any::<u32>().prop_map(Act::Degrade),
        (any::<u32>(), 1u32..300).prop_map(|(t, m)| Act::Protect(t, m)),
        (0u32..3, 0u32..14).prop_map(|(s, n)| Act::Desired(s, n)),
        (0u32..3).prop_map(Act::Impair),
        (0u32..3).prop_map(Act::Recover),
        Just(Act::RunTask),
    ]
}

fn scenario(svcs: &[Svc], standalone: u32, scale_in: i32, windows: bool, seed: u64) -> Scenario {
    let mut s = Scenario {
        seed,
        ..Scenario::default()
    };
    s.capacity_provider.scale_in_after = Some(scale_in);
    s.capacity_provider.underutilized_below_percent = 60;
    s.patching.mode = PatchMode::Documented;
    if windows {
        s.patching.maintenance_windows = vec![MaintenanceWindow {
            start_day: Weekday::Wed,
            start_hour: 1,
            duration_hours: 4,
        }];
    }
    for (i, v) in svcs.iter().enumerate() {
        let mut spec = ServiceSpec::sized(&format!("s{i}"), v.desired, v.cpu, v.cpu * 2);
        spec.deployment_configuration.minimum_healthy_percent = v.min_pct;
        spec.deployment_configuration.maximum_percent = v.max_pct;
        s.services.push(spec);
    }
    if standalone > 0 {
        s.standalone_tasks.push(StandaloneSpec {
            group: "batch".into(),
            count: standalone,
            task: TaskSpec::with_size(512, 1024),
            ..Default::default()
        });
    }
    s
}

fn command(sim: &Sim, a: &Act) -> Option<Command> {
    let hosts: Vec<u32> = sim.hosts().map(|h| h.id.0).collect();
    let pick = |i: u32, v: &[u32]| (!v.is_empty()).then(|| v[i as usize % v.len()]);
    let azs: Vec<String> = sim.az_names().map(String::from).collect();
    let n_svc = sim.services().len() as u32;
    Some(match *a {
        Act::Drain(i) => Command::DrainHost {
            host: pick(i, &hosts)?,
        },
        Act::Maintenance(i) => Command::MaintenanceEvent {
            host: pick(i, &hosts)?,
        },
        Act::Degrade(i) => Command::DegradeHost {
            host: pick(i, &hosts)?,
        },
        Act::Protect(i, minutes) => {
            let tasks: Vec<u32> = sim
                .tasks()
                .filter(|t| t.live() && matches!(t.owner, Owner::Service(_)))
                .map(|t| t.id.0)
                .collect();
            Command::ProtectTask {
                task: pick(i, &tasks)?,
                minutes: Some(minutes),
            }
        }
        Act::Desired(s, count) => Command::SetDesiredCount {
            service: format!("s{}", s % n_svc),
            count,
        },
        Act::Impair(a) => Command::ImpairAz {
            az: azs[a as usize % azs.len()].clone(),
        },
        Act::Recover(a) => Command::RecoverAz {
            az: azs[a as usize % azs.len()].clone(),
        },
        Act::RunTask => {
            if sim.group_names().is_empty() {
                return None;
            }
            Command::RunTask {
                group: "batch".into(),
                count: 1,
            }
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn drains_never_break_minimum_healthy_percent(
        svcs in prop::collection::vec(svc(), 1..4),
        standalone in 0u32..3,
        scale_in in prop::sample::select(vec![-1i32, 0, 120, 600]),
        windows in any::<bool>(),
        seed in any::<u64>(),
        acts in prop::collection::vec((1u64..(16 * 24 * 60), act()), 0..14),
    ) {
        let mut sim = Sim::new(scenario(&svcs, standalone, scale_in, windows, seed)).unwrap();
        let mut obs = Observer::new(&sim);
        let mut acts = acts;
        acts.sort_by_key(|(m, _)| *m);
        let mut protected: Vec<(TaskId, SimTime)> = Vec::new();
        for (minute, a) in &acts {
            run_to(&mut sim, &mut obs, SimTime::from_mins(*minute));
            if let Some(c) = command(&sim, a) {
                if let Command::ProtectTask { task, minutes } = c {
                    let minutes = minutes.unwrap_or(120);
                    protected.push((TaskId(task), sim.now() + u64::from(minutes) * 60_000));
                }
                if sim.apply(c).is_ok() {
                    obs.feed(&mut sim);
                }
            }
        }
        run_to(&mut sim, &mut obs, SimTime::from_days(16));
        prop_assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
        for e in &obs.events {
            if let EventKind::TaskStopping { task, cause } = e.kind {
                // Standalone tasks: never moved, only stopped by force (or by the user).
                if matches!(obs.owner.get(&task), Some(Owner::Standalone(_))) {
                    prop_assert!(matches!(cause, StopCause::HostDeregistered | StopCause::UserInitiated), "{task} {cause:?}");
                }
                // Protected tasks: not stopped before expiry unless forced (or their AZ failed).
                if let Some((_, until)) = protected.iter().rev().find(|(t, _)| *t == task) {
                    if e.at < *until {
                        prop_assert!(matches!(cause, StopCause::HostDeregistered | StopCause::AzImpaired), "{task} {cause:?} at {}", e.at);
                    }
                }
            }
        }
        // Every host launched at day 0 was replaced (documented mode, 16 days > 14 + drain).
        for (h, at) in &obs.launched {
            let end = obs.terminated.get(h).copied().unwrap_or(sim.now());
            prop_assert!(end.ms() - at.ms() <= 21 * 86_400_000, "{h}");
        }
    }
}
