//! The swarm must be able to fail: with a known bug planted (a task on a draining host stopped
//! before its replacement is healthy), seeds that run clean report "start before stop", and
//! the link in the report replays the session to the same violation.

use fleetsim_core::share;
use fleetsim_core::sim::PlantedBug;
use fleetsim_core::swarm::{replay_checked, run_seed, Options};

const STOP_BEFORE_START: &str = "start before stop";

#[test]
fn a_planted_stop_before_start_bug_is_reported_with_a_link_that_reproduces_it() {
    let plant = Some(PlantedBug::StopBeforeReplacementHealthy);
    let mut caught = Vec::new();
    for seed in 0..24 {
        let planted = run_seed(seed, Options { plant });
        if !planted
            .violations
            .iter()
            .any(|v| v.invariant == STOP_BEFORE_START)
        {
            continue;
        }
        let clean = run_seed(seed, Options::default());
        if clean
            .violations
            .iter()
            .any(|v| v.invariant == STOP_BEFORE_START)
        {
            continue;
        }
        let shared = share::decode(&planted.share).expect("the report's link decodes");
        let again = replay_checked(&shared, plant);
        assert!(
            again.iter().any(|v| v.invariant == STOP_BEFORE_START),
            "seed {seed}: the link does not reproduce the violation: {again:?}"
        );
        caught.push(seed);
        if caught.len() == 2 {
            return;
        }
    }
    panic!("the planted bug was caught only in seeds {caught:?}");
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let a = run_seed(3, Options::default());
    let b = run_seed(3, Options::default());
    assert!(a.events > 0);
    assert_eq!(a.events, b.events);
    assert_eq!(a.violations, b.violations);
    assert_eq!(a.share, b.share);
}

#[test]
fn every_random_world_survives_the_share_codec() {
    use fleetsim_core::share::Shared;
    use fleetsim_core::swarm::random_world;
    for seed in 0..300 {
        let scenario = random_world(seed);
        let shared = Shared {
            scenario: scenario.clone(),
            script: Vec::new(),
            at: fleetsim_core::SimTime::ZERO,
            panel: None,
            lesson: None,
        };
        let back = share::decode(&share::encode(&shared)).expect("decodes");
        assert_eq!(back.scenario, scenario, "seed {seed}");
    }
}

/// Sessions the swarm once broke, replayed under the observer from the links it printed (a
/// link keeps its world and commands even when the generator changes).
#[test]
fn sessions_the_swarm_broke_stay_fixed() {
    // Seed 7830: during a rolling deployment, auto scaling lowered the desired count while the
    // surplus was a protected task that had not started; scale-in stopped a healthy task in
    // its place, below minimumHealthyPercent 100.
    const PROTECTED_PENDING_SCALE_IN: &str = "f1.5Vlbb-pGEP4rkZ9p5RsG8mbAJ0ElgIC0ao-O0MbegBVju-s1KYn4751ZXzBgruGkpzpPib3e2bl8883s8C5FNvUJcwPp9l1aUBa5gS_dKhXJJ3Mq3UqjV8LmN68B85ybWl2TpYrk0MhmbsjFl5J5w4jvBNk3wfMNn9GbSGzjNOK_wo6IUgeEyoqu6ZpsyA3FqDdqjYYmVySyIK5HnlzP5cu_Ap9G0u1XKY6o8gt5U2Bv-q-6_leTvlUkm4TEhi0DFixchzJU3_UjTnybDunfscvonPo8Ema1wrgVxD7Hh7kLWsurijSn84AtH9xmyds7tzmg7HfYt7H4FDM44cmjsPgcsDkeBi6g_9he7ICJq7VefeGf8TLED_q9Sdt6MHtt9IVNPNrxzWeOSlfBAa_RIrTHLPZfXH8q3T4TL6LoM4_aqY-75vDOGo0n5njSxL-DYadlgaw5-aeT2gyGahCa4NWP3LeinNgH78Qc_PtGnSb1gldQHmIOzqit8Bi2cMX2r-9ZzKOFncYZvOikngNNOYle0B82ukWRVT1zl3Sryw0DMEM5oODlIXBQTGIYmsyDcOzOaRDzEbUD34HTFBUduh38IX0iHpgjDJCsntnsWm2hSugFSwxoK_Cf3WnMSOKadxAO_9Mp6CAN-91up3eHjnF9dx7P7ynx-GyZG6zIsnAaruUvVXxZOMBlduzyJqPkJYEV5AeEPHcoCzzvidjgCc5ifKYR5X0_PWssfJR-ymewOAs8Z0drngCj2X_sta32ZGANW1ZvDJoviBfDitpYoXs8yKLooA7iBUITtEUfd_wH1485BlQBuzzXp4SVOI2GawdUK-JFs0SEQDTww3JHRPI6FyL_qmSflsnBYHvuM7WXtkfvg-BlA3AzeIGI44RNKU-TxvxjNOmaD822KRX2jjiZJhwx6ItM6LcfW-MOZNh4aH750mlNRvedL2OkiISlxDl4AOzkMeyUev3J0BoN-r2RBRm7tTh6bLUsC2IirUCEkxq8hq3cADUTLO8GNXlfsNtAgsuyGOHZNFu_SSs8tWC68mmmd3q47Q7MH0kYLs9rAora1COQP4rSKLW5do7FkE1Fm1v93rjTewRHr76tMFcWLlaYjegvkNspYwEbQiY3wwS5YaPRhUffXj4kdFGRnoEsonEA1jCeIz8X80ScbTlqVd6RlCh4WJTNSDS7SCmkBLS0yKXKDpfKW1yasGfGpXWloZ7Fpdr1qRR41DKH-5m0hEeVU3k0pc0TaDRZuZxFq9VyFi3XIPtujUwR_wi9QDlz7exNioiCZnAUooNCH-XkYcHkp6iJ0HcgFgWnfivna-NEvtb20rV8Ml2juldl64H5OLL2sNXQmoxaZteaPA6kMoKp6-cwjKLrexjmGqw6xv5qh093VK5-hBQLhQChQGIejICLRaa-pzpD65kHy9BEHmJOoDCReulDPW0o-6gHABH6vw38pd3mzpqIcACMCQeGkKHDECXXQTZnQTydiWetWhGL90HMRBnwAzeiRRyyMIJH1MXkX2LPEw2zXv1ZmV7dYfraFtNXFXVN9EkLfQbRq-DY0CM2TekbCdsVl5yvORk6bsRd3-bZxUD0MdctDi2zZw7_PLPNVrDN_NHabL328Tbb-HibbVyHt9Xv1GSfyon6NVrjkxixphcZUSsyIibYRZSoyaWkWMUcLZCiqhVJUd0mRTy-lBU14ydiRbyCAPs4xAOySQMDBk_BjaFQldszxKKdsKR63dkC9MOoAWAuBVA2GOqS2LdnxYhXJHcOWB9AlAqvMcfsGXWEUev3FWkm2Kc1o_ZLx4cBDtDIGv7Z8nK85qNsdBL7e9bUDaF3DMh9sNtGwgiHTl1BwYAecV9bl3JwwizmG1iuZi1rtKNmAvMQI5B6Z564dGx2f5NSfwxh-EQimm1ukyXs1FcY7dhLhmozwhwY8tE2nTLiJC1uiHR_H0S8jfdJUQSgPAGpgu-tBeTH7hdRGHBxDIvD02S0KXGQbzEBUas6ugd1oI7YtrlsIMEXrsME-ylDFkmQVgd3HhKXmW9gPHmD53z4iBlBRE7LGxugELWLVT6foq1nZymwlfpeGQitdl4Ot2UgJWRkkee2_d_Nvk6_s51ak1tQkwuV2JCvMPD66P3p9DqsfOb96di0Z6cSa8ZZF6qLblPHFD5441Nk7VpDpSskaS2XUd9khpAFHIbwAthZiVIMkWKp63CKXb7XwdYcCQl2zvAPtmflnx7hAmWTC5LinMnSErsvMFvdJ2IPH6rrM3VtcwdEFe4csYB6mfYIoALwS9q-fZIvcc1hojw22TKMkrtL9fo_EZw423rs7f-NwPg4ZX7q3eUAZQL7X4oBeRMDizVOFdlQP5JpojE_hKVm99GawDTd6p2Hp_-w7B7Ak659Wgm-Cp6O1eDVxThQDzEuSNPq3xNVl7Vy32O-8tH5O7S_n4Uo4ZMPj8WVw-OV1SEMBOERjtq2dp-o7QtP3kBo-R4I9rFuQ9n_8d4DCnu02hkHHP9YX3-sV_WjTVajuqfJ2tnNYj_duW-4sNZTbSj14_2dSK485vW6vH___yvxP-93N7X6I1SSK_0aViwk5yKgpDfBaXwiKkHy6l8";
    let shared = share::decode(PROTECTED_PENDING_SCALE_IN).expect("the link decodes");
    let found = replay_checked(&shared, None);
    assert!(found.is_empty(), "{found:?}");
}
