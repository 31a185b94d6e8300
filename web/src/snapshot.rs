//! Cheap, comparable pictures of the world for the components. Each frame builds a new
//! snapshot but reuses the previous `Rc` of every host whose picture did not change, so
//! `PartialEq` props stop at a pointer comparison and only changed hosts re-render.

use std::rc::Rc;

use fleetsim_core::deploy::view::DeploymentView;
use fleetsim_core::lifecycle::{PatchBar, PatchStage};
use fleetsim_core::metrics::Sample;
use fleetsim_core::time::HOUR;
use fleetsim_core::world::{HostStatus, Owner, ServiceId, TaskState};
use fleetsim_core::{Micros, Sim, SimTime};
use yew::AttrValue;

use crate::engine::{Engine, Mark};

/// Points per chart series: about one per CSS pixel of a wide chart.
pub const CHART_POINTS: usize = 480;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chip {
    pub id: u32,
    pub svc: u32,
    pub green: bool,
    pub state: TaskState,
    pub protected: bool,
    pub standalone: bool,
    pub stopping: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HostSnap {
    pub id: u32,
    pub name: AttrValue,
    pub instance_type: AttrValue,
    pub status: HostStatus,
    pub cpu: (u32, u32),
    pub mem: (u32, u32),
    pub enis: (u32, u32),
    pub price: Micros,
    /// Whole hours: finer steps would re-render every host on every frame.
    pub age_hours: u32,
    pub image_version: u32,
    pub spot: bool,
    pub unreachable: bool,
    pub drain_reason: Option<AttrValue>,
    /// Fixed at launch, so computed once per host and shared between frames.
    pub patch: Rc<PatchBar>,
    pub patch_stage: PatchStage,
    pub tasks: Vec<Chip>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AzSnap {
    pub index: u32,
    pub name: AttrValue,
    pub impaired: bool,
    pub hosts: Vec<Rc<HostSnap>>,
    pub tasks: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cluster {
    pub azs: Vec<Rc<AzSnap>>,
    pub hosts: u32,
    /// Compact tiles with canvas chips (`cluster::is_dense`).
    pub dense: bool,
    /// Names of services (then standalone groups) by chip `svc` index.
    pub services: Rc<Vec<AttrValue>>,
    pub groups: Rc<Vec<AttrValue>>,
}

impl Cluster {
    pub fn build(sim: &Sim, prev: &Cluster) -> Cluster {
        // The previous picture of each host, found by walking each AZ's old list alongside the
        // new one: both are in id order, as the sim lists hosts.
        let mut old: Vec<(&[Rc<HostSnap>], usize)> =
            prev.azs.iter().map(|a| (&a.hosts[..], 0)).collect();
        let mut find = |az: u32, id: u32| -> Option<&Rc<HostSnap>> {
            let (list, i) = old.get_mut(az as usize)?;
            while list.get(*i).is_some_and(|p| p.id < id) {
                *i += 1;
            }
            list.get(*i).filter(|p| p.id == id)
        };
        let catalog = sim.catalog();
        let now = sim.now();
        let names = sim.names();
        let mut azs: Vec<AzSnap> = sim
            .az_names()
            .enumerate()
            .map(|(i, name)| AzSnap {
                index: i as u32,
                name: AttrValue::from(name.to_string()),
                impaired: sim.az_impaired(i as u32),
                hosts: Vec::new(),
                tasks: 0,
            })
            .collect();
        let services = sim.services();
        let live_tasks: usize = sim.hosts().map(|h| h.tasks.len()).sum();
        let dense = crate::cluster::is_dense(sim.hosts().count() as u32, live_tasks as u32);
        for h in sim.hosts() {
            let tasks: Vec<Chip> = h
                .tasks
                .iter()
                .filter_map(|t| sim.task(*t))
                .map(|t| {
                    let (svc, standalone) = match t.owner {
                        Owner::Service(s) => (s.0, false),
                        Owner::Standalone(g) => (g, true),
                    };
                    Chip {
                        id: t.id.0,
                        svc,
                        green: sim.is_green(t),
                        state: t.state,
                        protected: t.is_protected(now),
                        standalone,
                        stopping: t.stopping.is_some(),
                    }
                })
                .collect();
            let prev = find(h.az, h.id.0);
            let same_text = |p: &&Rc<HostSnap>| p.drain_reason.is_some() == h.drain.is_some();
            let patch = prev.map_or_else(
                || Rc::new(sim.patch_bar(h.launched_at)),
                |p| Rc::clone(&p.patch),
            );
            let snap = HostSnap {
                id: h.id.0,
                name: prev.map_or_else(|| AttrValue::from(h.id.to_string()), |p| p.name.clone()),
                instance_type: prev.map_or_else(
                    || AttrValue::from(catalog[h.instance_type as usize].name.clone()),
                    |p| p.instance_type.clone(),
                ),
                status: h.status,
                cpu: (h.used.cpu, h.capacity.cpu),
                mem: (h.used.memory, h.capacity.memory),
                enis: (h.used.enis, h.capacity.enis),
                price: sim.host_price_per_hour(h),
                // Dense tiles draw no age bar: an age there would change every tile once a
                // simulated day (every second at top speed) and redraw the whole fleet.
                age_hours: if dense {
                    0
                } else {
                    (h.age_ms(now) / HOUR) as u32
                },
                image_version: h.image_version,
                spot: h.spot(),
                unreachable: h.unreachable,
                drain_reason: match prev.filter(same_text) {
                    Some(p) => p.drain_reason.clone(),
                    None => h.drain.map(|d| AttrValue::from(names.drain_cause(&d))),
                },
                patch_stage: if dense {
                    PatchStage::Fresh
                } else {
                    patch.stage(now)
                },
                patch,
                tasks,
            };
            let az = &mut azs[h.az as usize];
            az.tasks += snap.tasks.len() as u32;
            az.hosts.push(match prev {
                Some(p) if **p == snap => Rc::clone(p),
                _ => Rc::new(snap),
            });
        }
        let hosts = azs.iter().map(|a| a.hosts.len() as u32).sum();
        let azs = azs
            .into_iter()
            .map(|az| match prev.azs.get(az.index as usize) {
                Some(p) if **p == az => Rc::clone(p),
                _ => Rc::new(az),
            })
            .collect();
        let services = if prev.services.len() == services.len() {
            Rc::clone(&prev.services)
        } else {
            Rc::new(
                services
                    .iter()
                    .map(|s| AttrValue::from(s.name.clone()))
                    .collect(),
            )
        };
        let groups = if prev.groups.len() == sim.group_names().len() {
            Rc::clone(&prev.groups)
        } else {
            Rc::new(
                sim.group_names()
                    .iter()
                    .map(|g| AttrValue::from(g.clone()))
                    .collect(),
            )
        };
        Cluster {
            azs,
            hosts,
            dense,
            services,
            groups,
        }
    }
}

/// The series the charts draw, thinned to `CHART_POINTS`, and the marks that annotate them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    pub samples: Vec<Sample>,
    pub marks: Vec<Mark>,
    pub now: SimTime,
}

impl ChartData {
    pub fn build(engine: &Engine) -> ChartData {
        let sim = engine.sim();
        let all = &sim.metrics().samples;
        let stride = all.len().div_ceil(CHART_POINTS).max(1);
        let mut samples: Vec<Sample> = all.iter().step_by(stride).copied().collect();
        let now = sim.sample_now();
        if samples.last().is_none_or(|s| s.at < now.at) {
            samples.push(now);
        }
        ChartData {
            samples,
            marks: engine.marks().iter().copied().collect(),
            now: sim.now(),
        }
    }
}

/// The deployment the views follow: the service's active one, or the most recent one.
pub fn focus_deployment(sim: &Sim) -> Option<DeploymentView> {
    (0..sim.services().len() as u32)
        .filter_map(|i| sim.deployment_view(ServiceId(i)))
        .max_by_key(|d| (d.finished_at.is_none(), d.started_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::workshop;

    #[test]
    fn unchanged_hosts_keep_their_rc() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_mins(30));
        let a = Cluster::build(e.sim(), &Cluster::default());
        e.advance(1_000);
        let b = Cluster::build(e.sim(), &a);
        assert!(a.hosts > 0);
        for (x, y) in a.azs.iter().zip(&b.azs) {
            assert!(Rc::ptr_eq(x, y), "a quiet second changes nothing");
        }
    }

    #[test]
    fn chart_series_are_thinned() {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_days(10));
        let c = ChartData::build(&e);
        assert!(c.samples.len() <= CHART_POINTS + 1);
        assert_eq!(c.samples.last().unwrap().at, e.now());
    }
}
