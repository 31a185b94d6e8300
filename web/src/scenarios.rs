//! The world menu: the core's built-in worlds (`fleetsim_core::worlds`) and their URL
//! fragments, plus a scenario opened from a link, a preset or the editor.

use fleetsim_core::scenario::Scenario;
use fleetsim_core::worlds::BuiltIn;

pub use fleetsim_core::worlds::workshop;

/// Which world to build; the seed of `Random` is shown in the header so it can be shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum World {
    Workshop,
    Large,
    Random(u64),
    /// A scenario opened from a share link, a preset or the editor: the link or the scenario
    /// itself names it, not the world menu.
    Opened,
}

impl World {
    /// `#large`, `#seed=42` or anything else (the workshop cluster).
    pub fn from_hash(hash: &str) -> World {
        match BuiltIn::parse(hash.trim_start_matches('#')) {
            Ok(BuiltIn::Large) => World::Large,
            Ok(BuiltIn::Random(seed)) => World::Random(seed),
            Ok(BuiltIn::Workshop) | Err(_) => World::Workshop,
        }
    }

    fn built_in(self) -> Option<BuiltIn> {
        match self {
            World::Workshop => Some(BuiltIn::Workshop),
            World::Large => Some(BuiltIn::Large),
            World::Random(seed) => Some(BuiltIn::Random(seed)),
            World::Opened => None,
        }
    }

    /// The URL fragment that reopens this world (none for the workshop, the page's default);
    /// `None` for an opened scenario, whose share link (`#s=…`) is already in the URL and must
    /// stay there.
    pub fn hash(self) -> Option<String> {
        self.built_in().map(|w| match w {
            BuiltIn::Workshop => String::new(),
            other => format!("#{}", other.name()),
        })
    }

    /// A short name for scripts (`window.fleetsim.state().world`).
    pub fn name(self) -> String {
        self.hash().unwrap_or_else(|| "opened".into())
    }

    /// The scenario to build; `None` for an opened one (it came with its own).
    pub fn scenario(self) -> Option<Scenario> {
        self.built_in().map(BuiltIn::scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_round_trips() {
        for w in [World::Workshop, World::Large, World::Random(42)] {
            assert_eq!(World::from_hash(&w.hash().unwrap()), w);
        }
        assert_eq!(
            World::Opened.hash(),
            None,
            "an opened scenario keeps its share link"
        );
        assert_eq!(World::from_hash("#nonsense"), World::Workshop);
    }
}
