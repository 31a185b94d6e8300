//! Diurnal load and target tracking: scale-in overnight → idle and underutilised hosts →
//! consolidation, visible in the $/h series; cheaper than the same day with optimisation off.

use crate::lifecycle_common::{run_to, Observer};
use fleetsim_core::event::EventKind;
use fleetsim_core::lifecycle::diurnal_rps;
use fleetsim_core::scenario::{AutoScaling, LoadCurve, PatchMode, Scenario, ServiceSpec};
use fleetsim_core::time::HOUR;
use fleetsim_core::world::ServiceId;
use fleetsim_core::{Sim, SimTime};

fn diurnal(optimise: bool) -> Scenario {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    if !optimise {
        s.capacity_provider.scale_in_after = Some(-1);
        s.capacity_provider.downsizing = false;
    }
    for (name, cpu, peak) in [("web", 1024, 6_000), ("api", 2048, 3_000)] {
        let mut svc = ServiceSpec::sized(name, 10, cpu, cpu * 2);
        svc.load = Some(LoadCurve {
            peak_rps: peak,
            trough_rps: peak / 10,
            peak_hour: 15,
            noise_percent: 5,
            rps_per_task_at_full_cpu: 100,
        });
        svc.auto_scaling = Some(AutoScaling {
            target_cpu_percent: 60,
            min_tasks: 3,
            max_tasks: 200,
            ..AutoScaling::default()
        });
        s.services.push(svc);
    }
    s
}

fn rate_at(sim: &Sim, t: SimTime) -> u64 {
    let s = sim.metrics().samples.iter().rfind(|s| s.at <= t).unwrap();
    (s.ec2_per_hour + s.fee_per_hour).0
}

#[test]
fn cost_falls_overnight_and_optimisation_saves_money() {
    let mut on = Sim::new(diurnal(true)).unwrap();
    let mut obs = Observer::new(&on);
    run_to(&mut on, &mut obs, SimTime::from_days(2));
    let mut off = Sim::new(diurnal(false)).unwrap();
    off.step_until(SimTime::from_days(2));

    // Auto scaling followed the curve: more tasks at the peak than at the trough.
    let peak = SimTime(HOUR * (24 + 15));
    let trough = SimTime(HOUR * (24 + 3));
    assert!(
        obs.count(|k| matches!(
            k,
            EventKind::DesiredChanged {
                by_autoscaling: true,
                ..
            }
        )) > 4
    );
    let web = on.scenario().services[0].load.clone().unwrap();
    assert!(diurnal_rps(&web, peak) > 5 * diurnal_rps(&web, trough));

    // With optimisation the fleet shrinks overnight …
    let (on_peak, on_trough) = (rate_at(&on, peak), rate_at(&on, trough));
    assert!(
        on_trough * 2 < on_peak,
        "$/h at 03:00 {on_trough} vs 15:00 {on_peak}"
    );
    // … without it, yesterday's peak fleet is still paid for at night.
    let off_trough = rate_at(&off, trough);
    assert!(on_trough < off_trough, "{on_trough} vs {off_trough} µ$/h");
    assert!(
        on.cost().total() < off.cost().total(),
        "cumulative {} vs {}",
        on.cost().total(),
        off.cost().total()
    );
    // Both served the same load: desired counts are the autoscaler's, not the fleet's.
    for s in 0..2 {
        assert_eq!(on.services()[s].desired, off.services()[s].desired);
        let load = on.service_load(ServiceId(s as u32)).unwrap();
        assert!(load.cpu_percent <= 100);
    }
    assert!(obs.violations.is_empty(), "{:#?}", obs.violations);
}
