//! The share codec: (scenario, command script, time, open panel, lesson) ⇄ a compact URL-safe
//! string: `f<format>.` + base64url(deflate(JSON)). A link with a lesson is written as format 2
//! (a page that predates lessons then says the link is newer instead of failing on the
//! field); a link without one stays format 1, byte for byte as before. Decoding anything else — truncated, garbage, a newer
//! format, a decompression bomb — returns a typed error, never panics, and never allocates more
//! than the limits below.

use alloc::string::String;
use alloc::vec::Vec;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use core::fmt;
use serde::{Deserialize, Serialize};

use crate::command::Timed;
use crate::lesson::Lesson;
use crate::scenario::{Scenario, ValidationErrors, MAX_COMMANDS, MAX_DAYS, MAX_SCENARIO_BYTES};
use crate::time::{SimTime, DAY};

/// The newest share format this build writes (for links with a lesson); it reads formats 1 up
/// to this one.
pub const SHARE_FORMAT: u32 = 2;
/// The format of links without a lesson.
const PLAIN_FORMAT: u32 = 1;
/// Longest share string accepted (characters).
pub const MAX_SHARE_CHARS: usize = 400_000;
/// Most bytes the JSON may inflate to.
pub const MAX_INFLATED_BYTES: usize = MAX_SCENARIO_BYTES * 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Shared {
    pub scenario: Scenario,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<Timed>,
    #[serde(default)]
    pub at: SimTime,
    /// The UI panel that was open ("deployment", "cost", …); the UI ignores unknown ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
    /// A lesson told over this scenario; its step commands run after `script`'s at equal
    /// times (`lesson::script`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

impl Shared {
    /// The commands the page runs: the script with the lesson's step commands merged in.
    pub fn full_script(&self) -> Vec<Timed> {
        crate::lesson::script(&self.script, self.lesson.as_ref())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareError {
    Empty,
    TooLong {
        chars: usize,
        limit: usize,
    },
    /// No `f<N>.` prefix: not a fleetsim link.
    NotFleetsim,
    FutureFormat {
        found: u32,
        newest: u32,
    },
    BadBase64,
    /// Truncated or corrupted compressed data.
    BadCompression,
    TooLarge {
        limit: usize,
    },
    BadJson(String),
    InvalidScenario(ValidationErrors),
    InvalidLesson(ValidationErrors),
    ScriptTooLong {
        commands: usize,
        limit: u32,
    },
    TimeOutOfRange {
        at: SimTime,
    },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the link holds no scenario"),
            ShareError::TooLong { chars, limit } => {
                write!(f, "the link is {chars} characters long; the limit is {limit}")
            }
            ShareError::NotFleetsim => write!(f, "this is not a fleetsim link (it should start with #s=f1.)"),
            ShareError::FutureFormat { found, newest } => write!(
                f,
                "this link was made by a newer fleetsim (format {found}); this page reads format 1–{newest}"
            ),
            ShareError::BadBase64 => write!(f, "the link is damaged: it contains characters a fleetsim link never has"),
            ShareError::BadCompression => write!(f, "the link is truncated or damaged (its data does not decompress)"),
            ShareError::TooLarge { limit } => {
                write!(f, "the link's scenario is larger than the {limit}-byte limit")
            }
            ShareError::BadJson(e) => write!(f, "the link's scenario is not valid: {e}"),
            ShareError::InvalidScenario(e) => write!(f, "the link's scenario is not valid: {e}"),
            ShareError::InvalidLesson(e) => write!(f, "the link's lesson is not valid: {e}"),
            ShareError::ScriptTooLong { commands, limit } => {
                write!(f, "the link has {commands} commands; the limit is {limit}")
            }
            ShareError::TimeOutOfRange { at } => {
                write!(f, "the link's time ({at}) is past the {MAX_DAYS}-day limit")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ShareError {}

pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let format = if shared.lesson.is_some() {
        SHARE_FORMAT
    } else {
        PLAIN_FORMAT
    };
    let mut out = alloc::format!("f{format}.");
    URL_SAFE_NO_PAD.encode_string(&packed, &mut out);
    out
}

pub fn decode(text: &str) -> Result<Shared, ShareError> {
    // Length first: anything after this walks or copies the text.
    if text.len() > MAX_SHARE_CHARS {
        return Err(ShareError::TooLong {
            chars: text.len(),
            limit: MAX_SHARE_CHARS,
        });
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(ShareError::Empty);
    }
    let rest = text.strip_prefix('f').ok_or(ShareError::NotFleetsim)?;
    let (version, body) = rest.split_once('.').ok_or(ShareError::NotFleetsim)?;
    if version.is_empty() || version.len() > 6 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotFleetsim);
    }
    let version: u32 = version.parse().map_err(|_| ShareError::NotFleetsim)?;
    if version == 0 {
        return Err(ShareError::NotFleetsim);
    }
    if version > SHARE_FORMAT {
        return Err(ShareError::FutureFormat {
            found: version,
            newest: SHARE_FORMAT,
        });
    }
    let packed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| ShareError::BadBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
        .map_err(|e| {
            if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
                ShareError::TooLarge {
                    limit: MAX_INFLATED_BYTES,
                }
            } else {
                ShareError::BadCompression
            }
        })?;
    // Through `from_str`, like every other JSON read: one reader type means one copy of the
    // scenario's deserializers in the browser build.
    let text = core::str::from_utf8(&json)
        .map_err(|e| ShareError::BadJson(alloc::format!("not UTF-8: {e}")))?;
    // The error is clipped there: serde quotes the offending key, which a link can make as
    // long as itself.
    let shared: Shared = crate::scenario::parse::from_json(text)
        .map_err(|e| ShareError::BadJson(alloc::format!("{e}")))?;
    let commands = shared.script.len() + shared.lesson.as_ref().map_or(0, |l| l.steps.len());
    if commands > MAX_COMMANDS as usize {
        return Err(ShareError::ScriptTooLong {
            commands,
            limit: MAX_COMMANDS,
        });
    }
    if shared.at.0 > MAX_DAYS * DAY || shared.script.iter().any(|c| c.at.0 > MAX_DAYS * DAY) {
        return Err(ShareError::TimeOutOfRange { at: shared.at });
    }
    shared
        .scenario
        .validate()
        .map_err(ShareError::InvalidScenario)?;
    if let Some(l) = &shared.lesson {
        l.validate(&shared.scenario)
            .map_err(ShareError::InvalidLesson)?;
    }
    Ok(shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    fn sample() -> Shared {
        Shared {
            scenario: Scenario::default_cluster(),
            script: alloc::vec![Timed {
                at: SimTime::from_mins(5),
                command: Command::SetDesiredCount {
                    service: "web".into(),
                    count: 12
                },
            }],
            at: SimTime::from_hours(2),
            panel: Some("cost".into()),
            lesson: None,
        }
    }

    #[test]
    fn round_trips() {
        let s = sample();
        let text = encode(&s);
        assert!(text.starts_with("f1."));
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{text}"
        );
        assert_eq!(decode(&text).unwrap(), s);
    }

    #[test]
    fn typed_errors() {
        let good = encode(&sample());
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(decode("hello"), Err(ShareError::NotFleetsim));
        assert_eq!(
            decode("f3.abcd"),
            Err(ShareError::FutureFormat {
                found: 3,
                newest: 2
            })
        );
        assert_eq!(decode("f1.***"), Err(ShareError::BadBase64));
        // Cut on a base64 quantum so the damage is in the compressed stream, not the alphabet.
        let cut = 3 + ((good.len() - 3) / 2) / 4 * 4;
        assert_eq!(decode(&good[..cut]), Err(ShareError::BadCompression));
        assert_eq!(
            alloc::format!("{}", decode("f3.x").unwrap_err()),
            "this link was made by a newer fleetsim (format 3); this page reads format 1–2"
        );
    }

    #[test]
    fn decompression_bomb_is_refused() {
        let zeros = alloc::vec![b' '; MAX_INFLATED_BYTES + 10];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        let text = alloc::format!("f1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(text.len() < 10_000);
        assert_eq!(
            decode(&text),
            Err(ShareError::TooLarge {
                limit: MAX_INFLATED_BYTES
            })
        );
    }
}
