//! `compare-strategies` on a 50-task service with a faulty revision: all four strategies.
//! Goal: ≤ 50 ms natively. The bench checks its own result before timing it.

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::compare::strategies::compare;
use fleetsim_core::event::DeploymentStatus;
use fleetsim_core::scenario::{
    AlarmMetric, AlarmSpec, RevisionSpec, Scenario, ServiceSpec, Strategy,
};
use std::time::Instant;

fn scenario() -> Scenario {
    let mut web = ServiceSpec::sized("web", 50, 1024, 2048);
    web.revisions = vec![RevisionSpec {
        name: "bad".into(),
        error_rate_bp: 800,
        p99_latency_ms: 900,
        fails_to_start: false,
        unhealthy_after_seconds: None,
    }];
    let c = &mut web.deployment_configuration;
    c.alarms.enable = true;
    c.alarms.rollback = true;
    c.alarms.alarms = vec![AlarmSpec {
        name: "error-rate-green".into(),
        metric: AlarmMetric::ErrorRateBp,
        threshold: 200,
        period_seconds: 60,
        evaluation_periods: 3,
    }];
    Scenario {
        services: vec![web],
        ..Scenario::default()
    }
}

fn bench(c: &mut Criterion) {
    let s = scenario();
    let rows = compare(&s, None, None).expect("compare runs");
    assert_eq!(
        rows.iter().map(|r| r.strategy).collect::<Vec<_>>(),
        Strategy::ALL,
        "every strategy reported"
    );
    for r in &rows {
        assert_eq!(
            r.status,
            Some(DeploymentStatus::RollbackSuccessful),
            "faulty revision rolled back: {r:?}"
        );
    }
    let t = Instant::now();
    let n = 20;
    for _ in 0..n {
        std::hint::black_box(compare(&s, None, None).unwrap());
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    println!("compare-strategies, 50 tasks, faulty revision, 4 strategies: {ms:.1} ms per run (goal ≤ 50 ms)");
    print!(
        "{}",
        fleetsim_core::compare::strategies::render_table(&rows)
    );
    c.bench_function("compare_strategies_50_tasks_faulty", |b| {
        b.iter(|| compare(&s, None, None).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
