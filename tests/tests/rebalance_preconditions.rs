//! AZ rebalancing's preconditions ("Balancing an Amazon ECS service across
//! Availability Zones"): not available with `maximumPercent` = 100 or with a placement
//! constraint on `attribute:ecs.availability-zone`. It never starts then, and the log says why
//! when the service is left unevenly spread.

use crate::lifecycle_common::{impair_and_recover, Observer};
use fleetsim_core::event::EventKind;
use fleetsim_core::scenario::{
    PatchMode, PlacementConstraint, RebalancingUnavailable, Scenario, ServiceSpec,
};
use fleetsim_core::{Sim, SimTime};

fn one_service(web: ServiceSpec) -> Scenario {
    let mut s = Scenario::default();
    s.patching.mode = PatchMode::Off;
    s.services.push(web);
    s
}

fn impair_and_recover_2h(s: Scenario) -> (Sim, Observer) {
    impair_and_recover(s, SimTime::from_hours(2))
}

fn unavailable(obs: &Observer) -> Vec<RebalancingUnavailable> {
    obs.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::RebalancingUnavailable { why, .. } => Some(why),
            _ => None,
        })
        .collect()
}

fn started(obs: &Observer) -> usize {
    obs.count(|k| matches!(k, EventKind::RebalancingStarted { .. }))
}

#[test]
fn balancing_across_azs_is_not_available_with_maximum_percent_100_and_the_log_says_why() {
    // The control: with 200 % the same story rebalances.
    let (_, obs) = impair_and_recover_2h(one_service(ServiceSpec::sized("web", 9, 1024, 2048)));
    assert!(started(&obs) >= 1);
    assert!(unavailable(&obs).is_empty());

    let mut web = ServiceSpec::sized("web", 9, 1024, 2048);
    web.deployment_configuration.maximum_percent = 100;
    web.deployment_configuration.minimum_healthy_percent = 50;
    assert_eq!(
        web.rebalancing_unavailable(),
        Some(RebalancingUnavailable::MaximumPercent100)
    );
    let (sim, obs) = impair_and_recover_2h(one_service(web));
    assert_eq!(started(&obs), 0, "no rebalancing with maximumPercent = 100");
    assert_eq!(
        unavailable(&obs).first(),
        Some(&RebalancingUnavailable::MaximumPercent100),
        "never silent"
    );
    let e = obs
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::RebalancingUnavailable { .. }))
        .unwrap();
    let sentence = sim.describe(e);
    assert!(sentence.contains("maximumPercent is 100"), "{sentence}");
}

#[test]
fn balancing_across_azs_is_not_available_with_an_availability_zone_constraint() {
    let mut web = ServiceSpec::sized("web", 8, 1024, 2048);
    web.placement_constraints
        .push(PlacementConstraint::MemberOf {
            expression: "attribute:ecs.availability-zone in [use1-az1, use1-az2]".into(),
        });
    let (_, obs) = impair_and_recover_2h(one_service(web.clone()));
    assert_eq!(started(&obs), 0, "no rebalancing with an AZ constraint");
    assert_eq!(
        web.rebalancing_unavailable(),
        Some(RebalancingUnavailable::AvailabilityZoneConstraint)
    );
    assert_eq!(
        unavailable(&obs).first(),
        Some(&RebalancingUnavailable::AvailabilityZoneConstraint)
    );
    // A constraint on something else leaves rebalancing available.
    let mut api = ServiceSpec::sized("api", 8, 1024, 2048);
    api.placement_constraints
        .push(PlacementConstraint::MemberOf {
            expression: "attribute:ecs.instance-family != c6i".into(),
        });
    assert_eq!(api.rebalancing_unavailable(), None);
}
