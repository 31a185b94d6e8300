//! The patch cycle: drain from day 14 (earlier, into a maintenance window), forced by day 21,
//! never patched in place; the talk's variant; compliance metrics.

use crate::lifecycle_common::{run_to, Observer};
use fleetsim_core::event::{DeregisterWhy, EventKind};
use fleetsim_core::scenario::{
    MaintenanceWindow, PatchMode, Scenario, ServiceSpec, StandaloneSpec, TaskSpec, Weekday,
};
use fleetsim_core::time::{DAY, HOUR, WEEK};
use fleetsim_core::world::{DrainCause, Owner, StopCause, TaskState};
use fleetsim_core::{Sim, SimTime};

fn fleet(mode: PatchMode, windows: Vec<MaintenanceWindow>) -> Scenario {
    let mut s = Scenario::default_cluster();
    s.patching.mode = mode;
    s.patching.maintenance_windows = windows;
    s.standalone_tasks.push(StandaloneSpec {
        group: "batch".into(),
        count: 2,
        task: TaskSpec::with_size(512, 1024),
        ..Default::default()
    });
    s
}

fn saturday_window() -> Vec<MaintenanceWindow> {
    vec![MaintenanceWindow {
        start_day: Weekday::Sat,
        start_hour: 2,
        duration_hours: 4,
    }]
}

fn in_saturday_window(t: SimTime) -> bool {
    let off = t.ms() % WEEK;
    let start = 5 * DAY + 2 * HOUR;
    off >= start && off < start + 4 * HOUR
}

#[test]
fn documented_mode_no_host_outlives_day_21_and_every_day_0_host_is_replaced_by_a_new_one() {
    let mut sim = Sim::new(fleet(PatchMode::Documented, vec![])).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_days(30));
    let day0: Vec<_> = obs
        .launched
        .iter()
        .filter(|(_, at)| at.ms() < HOUR)
        .map(|(h, _)| *h)
        .collect();
    assert!(!day0.is_empty());
    for h in &day0 {
        assert!(
            obs.terminated.contains_key(h),
            "{h} from day 0 was replaced within 30 days"
        );
    }
    for (h, launched) in &obs.launched {
        let end = obs.terminated.get(h).copied().unwrap_or(sim.now());
        assert!(
            end.ms() - launched.ms() <= 21 * DAY,
            "{h} lived {} ms",
            end.ms() - launched.ms()
        );
    }
    // Compliance series: nothing past day 21 at any sample.
    assert!(sim
        .metrics()
        .samples
        .iter()
        .all(|s| s.hosts_past_day21 == 0 && s.oldest_host_ms <= 21 * DAY));
    assert!(
        sim.metrics().samples.iter().any(|s| s.hosts_past_day14 > 0),
        "drains take time, so some hosts pass day 14"
    );
    // Drains start on day 14 exactly (no windows configured).
    for e in &obs.events {
        if let EventKind::HostDraining {
            host,
            cause: DrainCause::Patch { .. },
        } = e.kind
        {
            assert_eq!(e.at.ms() - obs.launched[&host].ms(), 14 * DAY, "{host}");
        }
    }
    // Never patched in place: every launch is a new id, and later hosts carry newer images.
    let ids: Vec<_> = obs
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::HostLaunched { host, .. } => Some(host),
            _ => None,
        })
        .collect();
    let mut dedup = ids.clone();
    dedup.dedup();
    assert_eq!(ids.len(), dedup.len());
    assert!(
        sim.hosts().all(|h| h.image_version > 1),
        "replacements run a newer image"
    );
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}

#[test]
fn standalone_tasks_go_only_at_the_forced_deadline() {
    let mut sim = Sim::new(fleet(PatchMode::Documented, vec![])).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_days(22));
    let standalone: Vec<_> = obs
        .owner
        .iter()
        .filter(|(_, o)| matches!(o, Owner::Standalone(_)))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(standalone.len(), 2);
    for t in standalone {
        let stop = obs.events.iter().find_map(|e| match e.kind {
            EventKind::TaskStopping { task, cause } if task == t => Some((e.at, cause)),
            _ => None,
        });
        let (at, cause) = stop.expect("stopped by day 22");
        assert_eq!(cause, StopCause::HostDeregistered);
        let launched = obs.launched[&obs.host_of[&t]];
        let age = at.ms() - launched.ms();
        assert!(
            age > 20 * DAY && age <= 21 * DAY,
            "stopped at age {age} ms: only when forced"
        );
        // Its host was deregistered by force, not drained to empty.
        let host = obs.host_of[&t];
        assert!(obs.count(|k| matches!(k, EventKind::HostDeregistering { host: h, why: DeregisterWhy::Forced(DrainCause::Patch { .. }) } if *h == host)) == 1);
    }
}

/// "Patching in Amazon ECS Managed Instances": draining starts on day 14, in
/// the first event window that opens then or after, and the host is gone by day 21.
#[test]
fn patching_in_managed_instances_drains_in_the_first_window_from_day_14() {
    let mut sim = Sim::new(fleet(PatchMode::Documented, saturday_window())).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_days(22));
    let mut drains = 0;
    for e in &obs.events {
        if let EventKind::HostDraining {
            host,
            cause: DrainCause::Patch { in_window, .. },
        } = e.kind
        {
            drains += 1;
            let age = e.at.ms() - obs.launched[&host].ms();
            assert!(
                in_window && in_saturday_window(e.at),
                "{host} drained at {} outside the window",
                e.at
            );
            // Day 14 or later, and within a week of it (a weekly window opens in that week).
            assert!(
                (14 * DAY..21 * DAY).contains(&age),
                "drains from day 14, before day 21: {age}"
            );
        }
    }
    assert!(drains > 0);
    for (h, launched) in &obs.launched {
        let end = obs.terminated.get(h).copied().unwrap_or(sim.now());
        assert!(end.ms() - launched.ms() <= 21 * DAY, "{h}");
    }
}

#[test]
fn talk_mode_drains_in_a_window_from_day_14_and_replaces_everything_within_30_days() {
    let mut sim = Sim::new(fleet(PatchMode::Talk, saturday_window())).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_days(31));
    let mut drains = 0;
    for e in &obs.events {
        if let EventKind::HostDraining {
            host,
            cause: DrainCause::Patch { .. },
        } = e.kind
        {
            drains += 1;
            let age = e.at.ms() - obs.launched[&host].ms();
            assert!(
                in_saturday_window(e.at) && (14 * DAY..21 * DAY).contains(&age),
                "{host} at {}",
                e.at
            );
        }
    }
    assert!(drains > 0);
    for (h, launched) in &obs.launched {
        let end = obs.terminated.get(h).copied().unwrap_or(sim.now());
        assert!(end.ms() - launched.ms() <= 30 * DAY, "{h}");
    }
    let day0: Vec<_> = obs
        .launched
        .iter()
        .filter(|(_, at)| at.ms() < HOUR)
        .map(|(h, _)| *h)
        .collect();
    assert!(day0.iter().all(|h| obs.terminated.contains_key(h)));
}

#[test]
fn a_protected_task_delays_a_drain_until_its_protection_expires() {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.services.push(ServiceSpec::sized("web", 3, 1024, 2048));
    let mut sim = Sim::new(s).unwrap();
    let mut obs = Observer::new(&sim);
    run_to(&mut sim, &mut obs, SimTime::from_mins(10));
    let t = sim.tasks().find(|t| t.healthy).unwrap().id;
    let h = sim.task(t).unwrap().host.unwrap();
    crate::lifecycle_common::apply(
        &mut sim,
        &mut obs,
        fleetsim_core::Command::ProtectTask {
            task: t.0,
            minutes: Some(60),
        },
    );
    crate::lifecycle_common::apply(
        &mut sim,
        &mut obs,
        fleetsim_core::Command::DrainHost { host: h.0 },
    );
    run_to(&mut sim, &mut obs, SimTime::from_mins(69));
    assert!(
        obs.count(|k| matches!(k, EventKind::DrainBlocked { task, .. } if *task == t)) == 1,
        "the event says why"
    );
    assert!(
        sim.task(t)
            .is_some_and(|t| t.live() && t.state == TaskState::Running),
        "not stopped while protected"
    );
    run_to(&mut sim, &mut obs, SimTime::from_mins(80));
    assert!(sim.task(t).is_none(), "stopped once protection expired");
    assert!(sim.host(h).is_none(), "and the drain finished");
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}
