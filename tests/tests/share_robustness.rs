//! The share decoder never panics on hostile input and round-trips valid states.

use fleetsim_core::rng::Pcg32;
use fleetsim_core::scenario::Scenario;
use fleetsim_core::share::{decode, encode, Shared};
use fleetsim_core::{Command, SimTime, Timed};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.f=#%+/ ";

fn mutate(rng: &mut Pcg32, s: &str) -> String {
    let mut b: Vec<u8> = s.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        if b.is_empty() {
            break;
        }
        let i = rng.below(b.len() as u32) as usize;
        match rng.below(4) {
            0 => b[i] = ALPHABET[rng.below(ALPHABET.len() as u32) as usize],
            1 => b.truncate(i),
            2 => b.insert(i, ALPHABET[rng.below(ALPHABET.len() as u32) as usize]),
            _ => {
                b.remove(i);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

#[test]
fn a_hundred_thousand_hostile_inputs_never_panic() {
    let valid = encode(&Shared {
        scenario: Scenario::default_cluster(),
        script: vec![Timed {
            at: SimTime::from_mins(3),
            command: Command::DrainHost { host: 1 },
        }],
        at: SimTime::from_hours(1),
        panel: None,
        lesson: None,
    });
    let mut rng = Pcg32::seeded(2026);
    let mut accepted = 0;
    for i in 0..100_000u32 {
        let input = match i % 4 {
            0 => mutate(&mut rng, &valid),
            1 => {
                let n = rng.below(200);
                let body: String = (0..n)
                    .map(|_| ALPHABET[rng.below(64) as usize] as char)
                    .collect();
                format!("f1.{body}")
            }
            2 => {
                // Valid compression of random JSON-ish text.
                let n = rng.below(300) as usize;
                let text: Vec<u8> = (0..n)
                    .map(|_| b"{}[]\":,0123456789abcdefnulltrue"[rng.below(31) as usize])
                    .collect();
                let packed = miniz_oxide::deflate::compress_to_vec(&text, 6);
                use base64::Engine;
                format!(
                    "f1.{}",
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
                )
            }
            _ => {
                let n = rng.below(64);
                (0..n)
                    .map(|_| char::from_u32(rng.below(0x3000)).unwrap_or('x'))
                    .collect()
            }
        };
        if decode(&input).is_ok() {
            accepted += 1;
        }
    }
    // Some single-character mutations still decode (e.g. a changed padding bit); most must not.
    assert!(accepted < 20_000, "{accepted} hostile inputs accepted");
}

/// Regression: the decoder trimmed a link before checking its length, so a
/// valid link padded past the limit with whitespace was walked and accepted.
#[test]
fn share_decode_checks_length_before_trimming() {
    use fleetsim_core::share::{ShareError, MAX_SHARE_CHARS};
    let valid = encode(&Shared {
        scenario: Scenario::default_cluster(),
        script: Vec::new(),
        at: SimTime::ZERO,
        panel: None,
        lesson: None,
    });
    let padded = format!("{}{valid}", " ".repeat(MAX_SHARE_CHARS));
    assert_eq!(
        decode(&padded),
        Err(ShareError::TooLong {
            chars: MAX_SHARE_CHARS + valid.len(),
            limit: MAX_SHARE_CHARS,
        })
    );
    // Padding within the limit is still forgiven.
    assert!(decode(&format!("  {valid}\n")).is_ok());
}

/// A link made before health came from the load balancer's checks (it carries
/// `timing.healthGraceSeconds`) still opens, and its tasks still turn healthy that long after
/// RUNNING, so a colleague's old link shows what it showed before.
#[test]
fn a_link_from_before_load_balancer_health_opens_and_plays_as_it_did() {
    const OLD: &str = "f1.7ZbbbiI5EIZfBfmaXUGGYRPugEYJEicRZi92NYqK7gpYuO1eH2BIxLtvlRsaEjKaeYDkJk3Zrvrrrw_ar8KlqMFKIzqvYovWSaNFp1kXGnIUHZHgMwTla6kKzqMVdZGhS60sfNwoFmuLWHNotzJFVzO6NgYNK8xqQ-08aA5Cao1zNR-3drcgFSylkn5f-8dodH9SUoeYxbJwsRxXRedfERw2_4CXJm08Pt6cH1vie12kUEBKR2bWbGVGOqkbeRQwx_-CtJij9i522S9C3wTt-UMuqYvGoS5yzI3dj2Xvg-i97M3Q_k3n3iwug6UKS4W0-GxszsXIEvxBZmXUz-Gsaxr9WuwL3jCdPCWDcXeSUBOwc9siXdigN1KvRMfbgGyHwvTo8Kg7vx88Lp66i6ce_5_Nh_0BnczhR2Wx6HxtNGg0ZqedfLlIFDSZETzZ-YJZD5XZkVaauOcTBy5UDo5cfj2NfIfLcsxkWnY06q4uPLgNt5-yC83GTevkjujcNFq3RAz6nbGbsck4S9kYj9abYiFzNME_Ymp0RsW-cO33o57jEhS1E-WLwaTbGw2SqKRQZs_j6xv9LFfBQmnNK-WmZ1yRBDGfjkbDyT0bI7XMQ_6AoPx6X_XbZIfINF6rgjfRtnMBadMgfc8ibEqI6MtBAz7ZaY1SS0g31Wd06Kf6WGoRHSpXGHa3Niq70uxLCHrTb5NkkDzNBvP-YLIg3VtQAeNc2BwFNneXCp5BuTcSYoAxJK1s8FCPpQ6eh9mkrpTUCPYDy7C48KQeA73rFO1IL_007K9SlOEzSKeNvY-EHKibCi0o5BVa7XdolTCd0Go17tqfaH2i9Uu0mI_T--mCrtY7ukqeTnQ1219uW594feL1E7y-cxHQGSiaMpvEL0oKepnHWZ8vGSMIOl1XmNyRPJnTPWgWlLqAhwuma8wePdgLqOpiHQdxbyHFKtyKE7a4kpEW6iFBBftqvUn63Tp4fu1Xwa9Mt7cydUNNFzYazUV5hrcAn66P6vOS-GTa_zamUUZoo-w5XUDA4SlFAns6_xedjrfBON012GwHFhNcWciivFnBfD4Y5-kA3ZGYWkkpNDs02JLn1ztcYXwsY0PxezkShIwReTB0_yKXbtkl1oBZPPZ2uR2Z5C9Ms93gv8P_";
    let shared = fleetsim_core::share::decode(OLD).expect("an old link opens");
    assert_eq!(shared.scenario.timing.legacy_health_grace_seconds, Some(40));
    assert_eq!(shared.scenario.timing.deregistration_delay_seconds, 15);
    let mut sim = fleetsim_core::Sim::new(shared.scenario.clone()).expect("valid");
    sim.step_until(fleetsim_core::SimTime::from_mins(30));
    let times = crate::health_checks::running_to_healthy(sim.events());
    assert!(!times.is_empty(), "no task turned healthy");
    for (running, healthy) in times {
        assert_eq!(
            healthy.ms() - running.ms(),
            40_000,
            "healthy 40 s after RUNNING"
        );
    }
    // Written back as it was read: the link round-trips.
    let again =
        fleetsim_core::share::decode(&fleetsim_core::share::encode(&shared)).expect("re-encoded");
    assert_eq!(again.scenario, shared.scenario);
}
