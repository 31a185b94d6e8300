//! `fleetsim report`: the cost verdict's totals come from the simulation's ledger, its reasons
//! add up to the difference, and each reason is zero exactly when its cause is absent. The
//! expected figures are worked out here from the published prices, not taken from a run.

use fleetsim_core::import::{import, Input};
use fleetsim_core::scenario::{NetworkMode, Scenario, ServiceSpec};
use fleetsim_core::verdict::{verdict, Cause, Job};
use fleetsim_core::{Sim, SimTime};

fn scenario(services: Vec<ServiceSpec>) -> Scenario {
    Scenario {
        services,
        ..Scenario::default()
    }
}

#[test]
fn totals_are_the_ledgers_and_the_reasons_add_up_to_the_difference() {
    let s = scenario(vec![
        ServiceSpec::sized("web", 6, 1024, 3000),
        ServiceSpec::sized("worker", 3, 512, 1024),
    ]);
    let v = verdict(&s, 7, 0).unwrap();
    // A plain run of the same days, read through the public cost snapshot.
    let mut sim = Sim::new(s.clone()).unwrap();
    sim.step_until(SimTime::from_days(7));
    let c = sim.cost();
    assert_eq!(v.base.ec2, c.ec2.0);
    assert_eq!(v.base.fee, c.fee.0);
    assert_eq!(v.base.fargate, c.fargate.0);
    assert_eq!(v.base.lower_bound, c.lower_bound.0);
    let sum: i64 = v.reasons.iter().map(|r| r.micros).sum();
    let difference = (c.ec2.0 + c.fee.0) as i64 - c.fargate.0 as i64;
    assert_eq!(sum, difference);
    assert_eq!(v.difference(), difference);
    assert_eq!(v.reason(Cause::ManagementFee), c.fee.0 as i64);
    // Each reason named once, in the order the report prints them.
    let causes: Vec<Cause> = v.reasons.iter().map(|r| r.cause).collect();
    assert_eq!(
        causes,
        [
            Cause::ManagementFee,
            Cause::FargateRounding,
            Cause::EniDensity,
            Cause::ScaleInDelay,
            Cause::DeploymentSurge,
            Cause::PriceAndPacking
        ]
    );
}

#[test]
fn tasks_of_exact_fargate_sizes_cost_nothing_in_rounding() {
    let s = scenario(vec![
        ServiceSpec::sized("a", 4, 256, 512),
        ServiceSpec::sized("b", 2, 2048, 8192),
        ServiceSpec::sized("c", 2, 4096, 30720),
    ]);
    let v = verdict(&s, 3, 1).unwrap();
    assert_eq!(v.reason(Cause::FargateRounding), 0);
    assert!(v.rounded.is_empty());
    assert!(v.to_string().contains("nothing is rounded"));
}

#[test]
fn rounding_costs_what_the_price_list_says() {
    // Two tasks of 1 vCPU / 3000 MiB for 10 days: Fargate bills 1 vCPU / 3 GB. Per hour the
    // rounding is (3072 − 3000) / 1024 GB × $0.004445 = $0.0003125 a task.
    let s = scenario(vec![ServiceSpec::sized("web", 2, 1024, 3000)]);
    let v = verdict(&s, 10, 0).unwrap();
    let expected = 2.0 * 240.0 * (72.0 / 1024.0) * 0.004445 * 1e6;
    let got = -v.reason(Cause::FargateRounding) as f64;
    // Tasks start a few minutes in (an instance has to launch first), so a little less; the
    // ledger rounds each hourly rate up to a whole µ$, so at most 1 µ$ a task-hour more.
    assert!(
        got <= expected + 2.0 * 240.0 && got >= expected * 0.98,
        "rounding {got} µ$, expected about {expected} µ$"
    );
    assert_eq!(v.rounded.len(), 1);
}

#[test]
fn without_awsvpc_tasks_eni_density_costs_nothing() {
    let mut a = ServiceSpec::sized("a", 8, 512, 1024);
    a.task.network_mode = NetworkMode::Host;
    let v = verdict(&scenario(vec![a]), 3, 1).unwrap();
    assert_eq!(v.reason(Cause::EniDensity), 0);
    assert!(v.to_string().contains("no task needs an ENI"));
}

#[test]
fn without_a_scale_in_delay_idle_capacity_costs_nothing() {
    let mut s = scenario(vec![ServiceSpec::sized("a", 5, 1024, 2048)]);
    s.capacity_provider.scale_in_after = Some(0);
    let v = verdict(&s, 3, 1).unwrap();
    assert_eq!(v.reason(Cause::ScaleInDelay), 0);
}

#[test]
fn deployments_are_weekly_per_service_and_cost_nothing_when_off() {
    let s = scenario(vec![
        ServiceSpec::sized("a", 3, 1024, 2048),
        ServiceSpec::sized("b", 3, 1024, 2048),
    ]);
    // 30 days, first deployment on day 1, then every 7 days: days 1, 8, 15, 22, 29.
    let v = verdict(&s, 30, 1).unwrap();
    assert_eq!(v.deployments, 2 * 5);
    let off = verdict(&s, 30, 0).unwrap();
    assert_eq!(off.deployments, 0);
    assert_eq!(off.reason(Cause::DeploymentSurge), 0);
    assert!(off.to_string().contains("No deployment"));
}

#[test]
fn the_verdict_says_so_when_fargate_wins() {
    // One 0.25 vCPU / 0.5 GB task: $0.0123425/h on Fargate. Managed Instances never launches
    // fewer than 2 vCPU, and the cheapest such type in the catalog is $0.085/h.
    let s = scenario(vec![ServiceSpec::sized("tiny", 1, 256, 512)]);
    let v = verdict(&s, 2, 0).unwrap();
    assert!(v.difference() > 0);
    let text = v.to_string();
    assert!(text.contains("Fargate wins"), "{text}");
    assert!(!text.contains("Managed Instances wins"), "{text}");
    // One screen.
    assert!(text.lines().count() <= 40, "{text}");
}

#[test]
fn a_real_template_imports_and_gets_a_verdict() {
    let path = fleetsim_tests::real_ecs::dir().join("24-cfn-managed-instances-two-services.json");
    // Read at test time from beside the repository, as `import_real_files` does.
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
    let imported = import(&[Input {
        name: "24.json",
        text: &text,
    }])
    .unwrap();
    let v = verdict(&imported.scenario, 30, 1).unwrap();
    let sum: i64 = v.reasons.iter().map(|r| r.micros).sum();
    assert_eq!(sum, v.difference());
    assert!(v.base.ec2 > 0 && v.base.fargate > 0);
    assert!(v.base.lower_bound <= v.base.ec2 + v.base.fee);
}

#[test]
fn a_verdict_worked_in_small_slices_is_the_verdict_worked_at_once() {
    let s = scenario(vec![
        ServiceSpec::sized("web", 4, 1024, 3000),
        ServiceSpec::sized("worker", 2, 512, 1024),
    ]);
    let whole = verdict(&s, 10, 2).unwrap();
    let mut job = Job::new(&s, 10, 2).unwrap();
    let (mut last, total) = job.progress();
    // Three runs with a deployment plan (and the run without it): four runs of ten days.
    assert_eq!((last, total), (0, 40));
    let mut slices = 0;
    while job.verdict().is_none() {
        let fired = job.work(37);
        assert!(
            fired <= 37,
            "a slice fires at most its budget, fired {fired}"
        );
        let (done, t) = job.progress();
        assert_eq!(t, total);
        assert!(done >= last && done <= total, "{last} → {done} of {total}");
        last = done;
        slices += 1;
    }
    assert_eq!(job.progress(), (40, 40));
    assert!(
        slices > 40,
        "the job stopped at its budgets ({slices} slices)"
    );
    assert_eq!(job.verdict(), Some(&whole));
    assert_eq!(whole.deploys_per_week, 2);
    assert!(
        whole.to_string().contains("deployed twice a week"),
        "{whole}"
    );
}

#[test]
fn a_job_refuses_an_invalid_scenario_before_any_work() {
    let s = scenario(vec![ServiceSpec::sized("web", 2, 100, 512)]);
    assert!(Job::new(&s, 3, 1).is_err());
}

#[test]
fn explanations_for_the_page_are_plain_sentences_with_a_line_per_rounded_service() {
    let s = scenario(vec![
        ServiceSpec::sized("odd", 2, 1024, 3000),
        ServiceSpec::sized("odder", 2, 512, 1500),
    ]);
    let v = verdict(&s, 8, 1).unwrap();
    let surge = v.explanation(Cause::DeploymentSurge);
    assert!(!surge.contains('\n'), "{surge:?}");
    assert!(!surge.contains("  "), "{surge:?}");
    let rounding = v.explanation(Cause::FargateRounding);
    // 1024/3000 rounds up to Fargate's 1024/3072, 512/1500 to 512/2048.
    assert_eq!(
        rounding.lines().skip(1).collect::<Vec<_>>(),
        ["odd: 1024/3000 → 1024/3072", "odder: 512/1500 → 512/2048"]
    );
    // The terminal report keeps its own layout.
    insta::assert_snapshot!(v.to_string());
}
