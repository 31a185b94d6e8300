//! The worlds the page can open: the workshop cluster, a large one for the frame-time bench,
//! and a random one drawn from a seed. Each is an ordinary core `Scenario`.

use fleetsim_core::rng::Pcg32;
use fleetsim_core::scenario::{AlarmSpec, Alarms, LoadCurve, RevisionSpec, Scenario, ServiceSpec};

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
        let h = hash.trim_start_matches('#');
        if h == "large" {
            return World::Large;
        }
        match h.strip_prefix("seed=").and_then(|s| s.parse().ok()) {
            Some(seed) => World::Random(seed),
            None => World::Workshop,
        }
    }

    /// The URL fragment that reopens this world; `None` for an opened scenario, whose
    /// share link (`#s=…`) is already in the URL and must stay there.
    pub fn hash(self) -> Option<String> {
        match self {
            World::Workshop => Some(String::new()),
            World::Large => Some("#large".into()),
            World::Random(seed) => Some(format!("#seed={seed}")),
            World::Opened => None,
        }
    }

    /// A short name for scripts (`window.fleetsim.state().world`).
    pub fn name(self) -> String {
        self.hash().unwrap_or_else(|| "opened".into())
    }

    /// The scenario to build; `None` for an opened one (it came with its own).
    pub fn scenario(self) -> Option<Scenario> {
        match self {
            World::Workshop => Some(workshop()),
            World::Large => Some(large()),
            World::Random(seed) => Some(random(seed)),
            World::Opened => None,
        }
    }
}

/// A healthy next revision and a faulty one (15 % errors, slow), so any deployment form can
/// show both outcomes.
fn revisions(s: &mut ServiceSpec) {
    s.revisions = vec![
        RevisionSpec {
            name: "v2".into(),
            error_rate_bp: 10,
            p99_latency_ms: 120,
            fails_to_start: false,
            unhealthy_after_seconds: None,
        },
        RevisionSpec {
            name: "v2-faulty".into(),
            error_rate_bp: 1500,
            p99_latency_ms: 900,
            fails_to_start: false,
            unhealthy_after_seconds: None,
        },
    ];
    s.load = Some(LoadCurve::default());
    s.deployment_configuration.alarms = Alarms {
        enable: true,
        rollback: true,
        alarms: vec![AlarmSpec::default()],
    };
}

/// The core's default cluster with deployable revisions and request load on every service.
pub fn workshop() -> Scenario {
    let mut s = Scenario::default_cluster();
    s.services.iter_mut().for_each(revisions);
    s
}

/// 300 hosts and 5,000 tasks: the scale the frame-time budget is measured at. One instance
/// type keeps the host count predictable (16 half-vCPU tasks per m6i.2xlarge... minus ENIs).
pub fn large() -> Scenario {
    let mut s = Scenario {
        name: "Large cluster".into(),
        description: "5,000 tasks of ten services on about 300 hosts.".into(),
        ..Scenario::default()
    };
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = vec!["m6i.2xlarge".into()];
    s.services = (0..10)
        .map(|i| {
            let mut svc = ServiceSpec::sized(&format!("svc-{i}"), 500, 512, 1024);
            revisions(&mut svc);
            svc
        })
        .collect();
    s
}

/// Two to six services of random sizes and counts; the same seed always gives the same world.
pub fn random(seed: u64) -> Scenario {
    let mut rng = Pcg32::seeded(seed);
    const NAMES: [&str; 8] = [
        "web", "api", "worker", "auth", "search", "cart", "media", "jobs",
    ];
    const SIZES: [(u32, u32); 5] = [
        (256, 512),
        (512, 1024),
        (1024, 2048),
        (2048, 4096),
        (4096, 8192),
    ];
    let n = 2 + rng.below(5);
    let mut s = Scenario {
        name: format!("Random cluster {seed}"),
        description: "Services of random size and count, drawn from the seed.".into(),
        seed,
        ..Scenario::default()
    };
    s.services = (0..n)
        .map(|i| {
            let (cpu, mem) = SIZES[rng.below(SIZES.len() as u32) as usize];
            let mut svc = ServiceSpec::sized(NAMES[i as usize], 2 + rng.below(14), cpu, mem);
            revisions(&mut svc);
            svc
        })
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleetsim_core::Sim;

    #[test]
    fn every_world_is_a_valid_scenario() {
        for w in [
            World::Workshop,
            World::Large,
            World::Random(7),
            World::Random(u64::MAX),
        ] {
            Sim::new(w.scenario().unwrap()).unwrap_or_else(|e| panic!("{w:?}: {e}"));
        }
    }

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
