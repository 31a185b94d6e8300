//! The built-in worlds: the workshop cluster, a large one (the scale the page's frame-time
//! budget is measured at) and a random one drawn from a seed. Each is an ordinary `Scenario`;
//! the page's world menu and `fleetsim run --world` open the same ones.

use alloc::format;
use alloc::string::String;
use alloc::vec;

use crate::rng::Pcg32;
use crate::scenario::{AlarmSpec, Alarms, LoadCurve, RevisionSpec, Scenario, ServiceSpec};
use crate::time::SimTime;

/// Where a built-in world opens: long enough for the default cluster's hosts to register and
/// take their tasks. Fixed, so every visitor sees the same picture.
pub const OPENING_TIME: SimTime = SimTime::from_mins(10);

/// A built-in world; the seed of `Random` is shown in the page's header so it can be shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltIn {
    Workshop,
    Large,
    Random(u64),
}

impl BuiltIn {
    /// `workshop`, `large` or `seed=42` (the names `--world` and the page's URL use).
    pub fn parse(name: &str) -> Result<BuiltIn, String> {
        match name {
            "workshop" => Ok(BuiltIn::Workshop),
            "large" => Ok(BuiltIn::Large),
            other => other
                .strip_prefix("seed=")
                .and_then(|s| s.parse().ok())
                .map(BuiltIn::Random)
                .ok_or_else(|| {
                    format!(
                        "world: \"{other}\" is not a built-in world (workshop, large, or seed=N with N from 0 to {})",
                        u64::MAX
                    )
                }),
        }
    }

    /// The name `parse` reads back.
    pub fn name(self) -> String {
        match self {
            BuiltIn::Workshop => "workshop".into(),
            BuiltIn::Large => "large".into(),
            BuiltIn::Random(seed) => format!("seed={seed}"),
        }
    }

    /// What a world menu calls it.
    pub fn title(self) -> &'static str {
        match self {
            BuiltIn::Workshop => "Workshop cluster",
            BuiltIn::Large => "Large: 300 hosts, 5,000 tasks",
            BuiltIn::Random(_) => "Random cluster",
        }
    }

    pub fn scenario(self) -> Scenario {
        match self {
            BuiltIn::Workshop => workshop(),
            BuiltIn::Large => large(),
            BuiltIn::Random(seed) => random(seed),
        }
    }
}

/// A healthy next revision and a faulty one, so any deployment form can show both outcomes.
fn revisions(s: &mut ServiceSpec) {
    s.revisions = vec![
        RevisionSpec::default(),
        RevisionSpec::faulty("v2-faulty".into()),
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
    use crate::Sim;

    #[test]
    fn every_world_is_a_valid_scenario() {
        for w in [
            BuiltIn::Workshop,
            BuiltIn::Large,
            BuiltIn::Random(7),
            BuiltIn::Random(u64::MAX),
        ] {
            Sim::new(w.scenario()).unwrap_or_else(|e| panic!("{w:?}: {e}"));
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!(BuiltIn::parse("large"), Ok(BuiltIn::Large));
        assert_eq!(BuiltIn::parse("seed=42"), Ok(BuiltIn::Random(42)));
        for w in [BuiltIn::Workshop, BuiltIn::Large, BuiltIn::Random(u64::MAX)] {
            assert_eq!(BuiltIn::parse(&w.name()), Ok(w));
        }
        let err = BuiltIn::parse("seed=-1").unwrap_err();
        assert!(err.contains("world") && err.contains("seed=N"), "{err}");
    }
}
