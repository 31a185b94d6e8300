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
    // Seed 29599: after a canary deployment left a protected task of the retired revision
    // running, AZ rebalancing counted only the production revision's tasks against
    // maximumPercent and started two moves: 8 tasks with a maximum of 7 (125 % of 6).
    const REBALANCE_BESIDE_A_KEPT_TASK: &str = "f1.5R3bUttK8ldSemZPzV1S3gw4gVoCFJfd2j2VooQtQIVvK8vkkBT_vj2yLcnSSKO7nd2nBKunNdPT3dO3af0yliN35vje3Pj8y3hz_aU3nxmf8ZExc6au8dm4_eH4008_5v5k_InY3LaNI2PsLke-twhCUGPwyXdm4_kWaP70KXhxPy3DcYG7DP6AEUvXHQNWatomRRYnAiFGsM0QOTKcN8ebOI_exAve_z2fuUvj85_Gaunivzk_MYzd_JfE_6Xxf1n8X258PzJGzsIZAaJrf_7mjV1frsqbLQNnNnJv3P-sPN-durNgGa72ZLE6ma9mgfxj6sFa0MeRMXWnc__9m3es-PWrd3zt-v-AcTsPnclk_sMdn2_ec_e-WC9iKrw_Jo7_7MqZPa58ePw4cQHD09yfSkignvvXaLIaA3U-4slfhaSVaADg6vLhdPhtcHkKK3V-LN8Wozt_NXv1Zs_G58BfuZK4E3e02YyTs-Hgenh793A9vHk4u7q9g1FT56_t1GBaBCHYwfmP2dL7mUCymgG1VgHswk93fOzCgmCewBpAHFuucen6b16I4M9fW95Yvo3Qmh2ArOMNKTHwTuAsXyWFRpJQGBG2JaB8PbOAudwAuOX123ws8ayXJdkkmC_uvKk7XwW37mg-G8PrMAlJnGKSG_fRmcCKwhUYw8vB8cXwNJzLYjJ_l1t8Mp89ec8r31lT5hcgh_-7z--SSoPLwc2_JGm8mTddTc9cZxK8vEcrRiHR5JPoJ0z4DnbPH6284Nh3ndc1l4EUweZuyenPJ5NHZ_Qa_e0u3eBqtnnRXUifJ2eyhEfBCzx8mU_GmRkHaw44ubq_lPv45kxW8DfnHyHPgXwtky_eoIvfHP4AoI8wRUnV89k3b7YK5B5iWOHEm7mOryCTu4hXjY7CH46zKFDIsKA63jMo1j9HSDjaQh6rZvIhp_Lkjt5HE_dsPn_dYbEX-EHyWCDFKNiIxPXg_nZoJIbdBs7zWuSub4YP1zdXp_cnd-cgOXc3gy9fzk8ebs_Ov9xJKRxvphmxFzEB-ZrlsvRf_56YrYClOJGsXV3enV_eDw3Yj50J4_SEB_-8fbgYfDs-HeTMGgT14U6KrX7CGIn2Z0yqkLjCZKWsl58r5om53lxdXBwPTv4Oc_3-IQXozZNn0w53vMl5u74_929AtI8Xa4Zd2PYF_DkbvX9b648j4wm0x_JuDovwg0gwIjSPzjiNh3CUwQSaU4tq5DvLl1qTknpCrjSpXbFeuxIuYuXKMamkW2n7qvXi_HI4uMlXrUIclG69vzwG7Xo6PJUH5skwqWcxU-tZ9SS2cDFzhiywlJRwA98bbX_ZMEVibpszeeGCFTZOyDlwkZxKOOXr8KFkwlAaGqh0mqvRcXmNXqDQ0cf_jbQmZNUDTqi9OGl9vay5d_AUuH7EAxw2-7vcLzCwnQnIpmRuSdPvoVoNJTS2by-c1Wz0khBueJs3BbV9vZpMEj_LzRu9uONwCvHvR8Z6Dicv7uj1fAbzAO7bYcfNHO9ioVptOCqaf_oZ2cH61XdG7vUun0tr1PXdZy9UIsAzp-7EeY8ey_Nr-bIKpMUa02UrVMvMPGHVwH8LJxi9bMgzXSvCu8HF340NQW7AYnaW7nbwqfO-Yf8nZzVZOwcvjj8GF8Y9dZ99Z7yWwYVUWWfzZQADNkaiByhmkvjDN5CMLMRyMQ_C1_irRTkcp64zlnJ8NgeHYX2CjsM5uONw2O5jIaVt7Y2FouZIdUothELu3yi5pdzo00i_GpE1H9vwW4HdiumoQMUfX9wPH77eDIeX1Sxojspp-Ywhm6_m10-aaHlGmlvToqTqlcdcY2sa_YGLzenQtlPywdgHXpNMBMt_kf98tiJYRlkVnsG7PBPqv5ZwrZVyhIwzsovMBVQJk0iBbLTRS1scHGNrB4c3XTieP_gpXeqf8HcUQcgdUf6tmMRIrCZ0kOdchIqiNCqw5qQIbM1Bi8cUo5xp9l16XRF9EWmgLZKzVOAqJhuKySaKJpRaq80iYCHs3Y1a-PMAoiE78LQAfqNbd6hDcQxv2kwLj3kBfIb2NGIQbHJkaaBJPHeLEKKDpvnQPhyREOAr4Hps42qSW8QLNkGiNY1iE6FTZZRXgcb2FhrIxHSbgFk-dI4uIUZiiN3kPN4aqU2PZIzaDGttz8dufC9q9xfjyneIREuHcuJMzjKDSqEwGsPTlIrIaEMsktCirgImCSwMC41E8IREMKvi6ZodUuF4jQWXoWqHdGKxCYGGteq0KhVVoDmOoU1LaE8nOK-jAYKmKJ-ntBPqxRSW7shhVj50NbX8lnyxSUTFEyY7RkURQmmoxdbSQ4BX4vHr2TeYfrEi1YWvlEp0nVKp49kUaNGSrk2uCiWoBRXaX0ipWIOSdpMEMoJ9ezK4GD7cXyvj1rZdO269n6wAY-0E2osELXXuEGrlQ2d1UOKUspipwY3tWOQtntZYpdW8WYCkhg2Wj02x3PicstI-R7V3Y43Kkvt3fvm1Wsi9vsrqNOZuNtdZpTObnac2aygtrUrQpDcTkUCJHwYGKxhoXF493Axvr68uQSVKvtx5eH4pcYL3cHsrWc2ZTI6ByGEYFhaBP5RZyINIm9agROFiOfjmqtVapJJ2ZSxnvQn9all2ZeMpM6aCdc_ysShNMNtKmGBhDcZmuM0t3cGQcCVswTXBHIpRPnQeUZiRPybH_cDREArbbFV8DYzRLoSYMTQjugPCiqEFRQ0D9jGqdPBM5V7aPAFP64ZXWQJJCTeHYjvBUQLlj64edOoqOLJHuz5d9NNbLppnU9FCnYqmuanoxsVFopVUdBcHcNp1yDtnbu9PToZDMHIM5YlC2jDXGx-fw2IvyKLtz5LUonidkz6xA0ftmUNcbQ9x0YbDGNsHCq1YPrgVHb_UZKKtFFQWlyJOHie_FK8uv4D4fDKFKHdUUyN_jDYgSU3T0uYAYjuFmpZJtBm26HxnJrdJ01RIJyn50l5gheh_85Q8Zb1Frjo_gpL5-Cwf6KO7zBRm18mjWjHP0tUc7dfs5Vfs4f6yRhz1WsvBTDOVN9L7i5B9qJ2O5_lIsrrOjGJdzBY2aceVqYwKV-d8beis3Zxp4zqmlFPAzN68AozaKFFtLFrllTIujszFgmWbXHf0C5YP3XL-SXczpVEst2t-5LgcP270cdtuKq7qpqIe-bH3SHFdt6nQ_aHr4qWyflaxK0WE2pVCbQdbIRpna8rnAEsVaG7H0JSwfVfbKi9V8APRCsTa6z2KnOAV7u4ehWjP_usggdRy8qj8Q2WECR9CHKwTVclFJVX5ZXB-kRcsxNVu0XUThquZeSymEcLVGKqISrSVe5GJU8OmGHXsgNRzvcv6Hx3k7lO63ewtUtOKv102UiPA9dTHOnE-ePksmihAAmaHhtt2djbCZCJqHWrB8T4LT3IDRxz970QcOyiVq3ShXqBDKJ1LpbZKmTZKZ6TS0bu-c1pcWZeVTlW23MrJlleWbVw1W95tBWz7iYTUiYRZn90x2jiUMCp7KplYW5eP4-SfsDitW2VPcG0syisFWSzKe1TxRS1h85QTrs-VZMf0HJzjPUlG3cYx_UXnqoSLcz3xw5HCPfeoEaLd4m5hZy-BlDc1oyYKeaiqyBzuIB6-x3Yi-bcxDjEGRhpKHu06T4N-kwrqgriOpg7M5rWDFuUDYI2uwtAGBnD5flNdxC3LFoAp79Og1u3-jKZUmkAsKhsyMcG1K6gSSFIFvrDAAOYdipNKOUs6JRhJsahc1KqL01YMngmnlTZHEzShrC4SFCNhvK1r7ibmjJWmL9qlL9HQl_OqVwRgjF2uXg4XjKnRYiOLRMXdZswNpH6riCj3ZlJGSKel4zrz4-Cug6Zzb7y3C1UFzW1wS4Gtj-TG13ZtYz1ALYrKFIrGtaUWxim2VQVv7NAqzQZvrI3C1IzmdsnR7Yd1ezW3W_Bw8yO6-LcyuHvtIFW2NMpaR1PqSRlLYLHY713H1-e1fUr2WkNVlXF7LZfV-IofRSyXaSEV61U7bcJloXlUD2ublGqvCsRKWwGubCAV2TS2lS74Vp8RKH-AakJxFymEkSk6vI5ey2TapygWtYCl-7x2VzVeKloImOK2ChrjLoSIYLOuHysKsKQbZyakKTmMU20m3zarwcfijRFNXzbKnRZJtIlDDKWuE-evJvm2zDC9eweDsChx4RuZVH3jWyIw9Uav7IxWMER_xVoxSEF7nnwJQaTL0st6qmx_F2PS-R7792pg3Vx7ifaTrgfKZR3U_NfkMkoO8IxsymS088tdqOeOVqJJCxNlQDuUDG370p1DgYhua1e6tT37jF_QQ4jbtR9SwEhYrcXeFchK9LhFwia6KhpCRRJeWCWsH4ET5lPC0jORVbfDShILpqJalxvFmBohdsBCuOgwwa8N3fBWG7N0efuY9ddJnqMeWi5-JJnA7vTaY_0WPfv7qED6Mq44jMJD3FY1fK93jzL2imkeQhlxhQ6cArdvYJnZGyjpXmuIkEL4-oerSVNxxbqZ7Xg_Ytyicp9jOUjbWx-bZgF8cZUbyq9yU-KqFjSNUdkkdc9DbU9Ydk4PZImB171uEpcHAxpKG7elKcCmDHSbuLX3Ny9lb2JZ9Fk72OMHHwu8AbG3g0VTS1vo95q87t1J5aVA4NpM8-IaTTgBDU9pAW2TKjnG1noujFWEtwrga7kqgMPaZ7ysUY1Cr7fO2H7bt1Rt6yh6LchvPXzWRYlp0X1kRo8Ou0Wy4tOyvB0btsHHZXX6vFrjaay1sXGmoqt2xyoFLpXCtZPwdsWPCSnGqL-gYeeaj4CAEV1r_0SaDVKBHJXNVZKCYapMahI-Xd6mrcYLx1QNi2XHqOJ_VgKe2S1-zg5Ts9rXoCqjK-8LiPpolO1GAY2FdS4aib-Po4A_iALeLsKL9YJK1kE2eKOd3RtC7X9xqzGT7fmbQX1mndhBdF7FB315rExbga1ZWKnJDzsEc1GbR-a4_WmSxtOs1X2IWaTSDllmu9dwMSHEKmlZQTiw1rBEPFR-SrB5HV4Wi-KIF3E4gFATlwh3hh9wV9urWQyqN5rV4NkOfkrK7oJVMKyC5VWIJmONs_ijh5jidDmS3kymmJUJOe_6DLxgeEHVIQjOdpCg0qb8-C8";
    let shared = share::decode(REBALANCE_BESIDE_A_KEPT_TASK).expect("the link decodes");
    let found = replay_checked(&shared, None);
    assert!(found.is_empty(), "{found:?}");
}
