//! Property test: listener weights sum to 10,000 bp at every event, whatever the strategy,
//! its parameters and the hooks' scripts; every deployment ends in a final status with the
//! production revision at its desired count.

use crate::deploy_common::*;

use fleetsim_core::event::{DeploymentStatus, EventKind};
use fleetsim_core::scenario::{
    HookResponse, LifecycleHook, LifecycleStage, Strategy as Deploy, Tenths,
};
use proptest::prelude::*;

fn response() -> impl Strategy<Value = HookResponse> {
    prop_oneof![
        4 => Just(HookResponse::Succeeded),
        1 => Just(HookResponse::Failed),
        1 => Just(HookResponse::NoResponse),
        2 => (1u32..120).prop_map(|s| HookResponse::InProgress { call_back_delay: Some(s) }),
        1 => Just(HookResponse::InProgress { call_back_delay: None }),
    ]
}

fn hook(i: usize) -> impl Strategy<Value = LifecycleHook> {
    let hookable: Vec<LifecycleStage> = LifecycleStage::ALL
        .into_iter()
        .filter(|s| s.hookable())
        .collect();
    // The last answer repeats: end scripts with a final answer so that runs stay short (a hook
    // that never finishes is the stage-limit test's business).
    let last = prop_oneof![3 => Just(HookResponse::Succeeded), 1 => Just(HookResponse::Failed)];
    (
        proptest::sample::subsequence(hookable, 1..3),
        proptest::collection::vec(response(), 0..4),
        last,
        0u32..60,
    )
        .prop_map(move |(stages, mut script, last, secs)| LifecycleHook {
            name: format!("h{i}"),
            lifecycle_stages: stages,
            script: {
                script.push(last);
                script
            },
            duration_seconds: secs,
            ..LifecycleHook::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn weights_sum_to_all_at_every_event(
        strategy in proptest::sample::select(Deploy::ALL.to_vec()),
        step in 30u32..=1000,
        canary in 1u32..=1000,
        step_bake in 0u32..8,
        bake in 0u32..15,
        desired in 1u32..5,
        faulty in any::<bool>(),
        hooks in (hook(0), hook(1)),
    ) {
        let s = scenario(desired, strategy);
        let mut c = config(&s);
        c.linear_configuration.step_percent = Tenths(step);
        c.linear_configuration.step_bake_time_in_minutes = step_bake;
        c.canary_configuration.canary_percent = Tenths(canary);
        c.canary_configuration.canary_bake_time_in_minutes = step_bake;
        c.bake_time_in_minutes = bake;
        c.lifecycle_hooks = vec![hooks.0, hooks.1];
        let c = with_alarms(c, vec![error_alarm()]);
        let mut sim = warm(s);
        deploy(&mut sim, if faulty { "bad" } else { "v2" }, Some(c));
        let events = run_with(&mut sim, |_, new| {
            for e in new {
                if let EventKind::TrafficShifted { production_green_bp, test_green_bp, .. } = e.kind {
                    assert!(production_green_bp <= 10_000 && test_green_bp <= 10_000);
                }
            }
        });
        let status = finished(&events);
        prop_assert!(matches!(status, DeploymentStatus::Successful | DeploymentStatus::RollbackSuccessful), "{status:?}");
        let prod = sim.services()[0].revision;
        prop_assert_eq!(healthy(&sim, prod), desired);
        if status == DeploymentStatus::RollbackSuccessful {
            prop_assert_eq!(view(&sim).production.green_bp(), 0);
        }
    }
}
