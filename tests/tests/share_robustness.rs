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

/// Regression (issue 11 §3): the decoder trimmed a link before checking its length, so a
/// valid link padded past the limit with whitespace was walked and accepted.
#[test]
fn share_decode_checks_length_before_trimming() {
    use fleetsim_core::share::{ShareError, MAX_SHARE_CHARS};
    let valid = encode(&Shared {
        scenario: Scenario::default_cluster(),
        script: Vec::new(),
        at: SimTime::ZERO,
        panel: None,
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
