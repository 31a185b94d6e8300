//! Validation of the worst inputs of accepted size: the ~840-character link and
//! the 1 MiB scenario that used to take 17 s and minutes, and the heaviest valid scenario (every
//! list at its limit). Each is checked for the answer it must give before it is timed.

use criterion::{criterion_group, criterion_main, Criterion};
use fleetsim_core::scenario::{Scenario, MAX_REPORTED_ERRORS, MAX_SCENARIO_BYTES};
use fleetsim_core::share::{decode, ShareError};
use fleetsim_tests::hostile;
use std::time::Instant;

fn report(what: &str, n: u32, mut f: impl FnMut()) {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    println!("validate_worst, {what}: {ms:.2} ms");
}

fn bench(c: &mut Criterion) {
    let link = hostile::zone_cross_link();
    let refused = |r: Result<_, ShareError>| match r {
        Err(ShareError::InvalidScenario(e)) => e,
        other => panic!("the link must be refused as invalid, got {other:?}"),
    };
    let e = refused(decode(&link));
    assert_eq!(e.0.len(), 1, "only the zone limit: {e}");
    assert_eq!(e.0[0].path, "availabilityZones");

    let big = hostile::zone_cross_1mib();
    assert!(big.len() <= MAX_SCENARIO_BYTES);
    let e = Scenario::from_json(&big).unwrap_err();
    assert_eq!(e.0[0].path, "availabilityZones", "{e}");

    let heavy = hostile::heaviest_valid().to_json();
    assert!(heavy.len() <= MAX_SCENARIO_BYTES, "{} bytes", heavy.len());
    Scenario::from_json(&heavy).expect("the heaviest scenario is valid");

    // Every item of every list at its limit is wrong: the answer stops at the reporting cap.
    let mut wrong = hostile::heaviest_valid();
    for s in &mut wrong.services {
        s.desired_count = 9_999;
        s.task.cpu = Some(1);
    }
    let e = wrong.validate().unwrap_err();
    assert_eq!(e.0.len(), MAX_REPORTED_ERRORS + 1);

    println!(
        "link {} chars, zone-cross scenario {} bytes, heaviest valid scenario {} bytes",
        link.len(),
        big.len(),
        heavy.len()
    );
    report(
        &format!("{}-char zone-cross link (decode)", link.len()),
        200,
        || {
            let _ = std::hint::black_box(decode(&link));
        },
    );
    report("1 MiB zone-cross scenario (parse + validate)", 20, || {
        let _ = std::hint::black_box(Scenario::from_json(&big));
    });
    report("heaviest valid scenario (parse + validate)", 20, || {
        let _ = std::hint::black_box(Scenario::from_json(&heavy));
    });

    let mut g = c.benchmark_group("validate_worst");
    g.sample_size(20);
    g.bench_function("link_zone_cross", |b| b.iter(|| decode(&link)));
    g.bench_function("scenario_1mib_zone_cross", |b| {
        b.iter(|| Scenario::from_json(&big))
    });
    g.bench_function("scenario_heaviest_valid", |b| {
        b.iter(|| Scenario::from_json(&heavy))
    });
    g.bench_function("scenario_all_wrong", |b| b.iter(|| wrong.validate()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
