//! What a page address asks for: a shared state (`#s=<share string>`), a preset by id
//! (`#p=<id>`), nothing, or a link that cannot be opened (with the sentence the banner shows).

use fleetsim_core::presets::preset;
use fleetsim_core::share::{decode, encode, Shared};

/// The fragment key of a shared state; what follows is exactly `fleetsim encode`'s output.
pub const STATE_KEY: &str = "s=";
/// The fragment key of a preset by its stable id (short links for slides).
pub const PRESET_KEY: &str = "p=";

#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    /// No fleetsim state in the fragment (the fragment may still mean something to the app).
    None,
    State(Box<Shared>),
    /// The link cannot be opened; the sentence names what is wrong.
    Bad(String),
}

/// Reads a `location.hash` (with or without its `#`).
pub fn parse(hash: &str) -> Link {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    if let Some(text) = h.strip_prefix(STATE_KEY) {
        // Chat tools sometimes percent-encode the dot; the share alphabet needs no escapes.
        let text = text.replace("%2E", ".").replace("%2e", ".");
        return match decode(&text) {
            Ok(s) => Link::State(Box::new(s)),
            Err(e) => Link::Bad(e.to_string()),
        };
    }
    if let Some(id) = h.strip_prefix(PRESET_KEY) {
        return match preset(id) {
            // The lesson rides in the preset, so a short link still opens it.
            Some(p) => Link::State(Box::new(p.shared())),
            None => Link::Bad(format!(
                "there is no preset called \"{}\"",
                truncate(id, 40)
            )),
        };
    }
    Link::None
}

/// The fragment that opens `shared`.
pub fn fragment(shared: &Shared) -> String {
    format!("#{STATE_KEY}{}", encode(shared))
}

/// Keeps a hostile id from filling the banner.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).chain(['…']).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleetsim_core::presets::presets;
    use fleetsim_core::{Scenario, SimTime};

    #[test]
    fn state_links_round_trip_and_presets_open_by_id() {
        let s = Shared {
            scenario: Scenario::default_cluster(),
            script: vec![],
            at: SimTime::from_mins(7),
            panel: None,
            lesson: None,
        };
        assert_eq!(parse(&fragment(&s)), Link::State(Box::new(s)));
        let p = &presets()[0];
        match parse(&format!("#p={}", p.id())) {
            Link::State(s) => {
                assert_eq!(s.scenario, p.scenario);
                assert_eq!(s.lesson.as_ref(), Some(&p.lesson));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_fragments_are_not_ours_and_bad_ones_say_why() {
        assert_eq!(parse(""), Link::None);
        assert_eq!(parse("#large"), Link::None);
        assert_eq!(parse("#seed=4"), Link::None);
        match parse("#s=f9.abc") {
            Link::Bad(m) => assert!(m.contains("newer fleetsim (format 9)"), "{m}"),
            other => panic!("{other:?}"),
        }
        match parse(&format!("#p={}", "x".repeat(500))) {
            Link::Bad(m) => assert!(m.len() < 100, "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
