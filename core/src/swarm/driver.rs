//! Random instructor sessions: what a person at the page (or a `window.fleetsim` script) can
//! do, at random moments, aimed at what exists right now — and, on purpose, sometimes at what
//! does not (unknown hosts, out-of-range counts, a deployment to the revision already in
//! production), because refused commands must change nothing.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::world::{percent_chance, pick, random_deployment};
use crate::command::Command;
use crate::deploy::HookPhase;
use crate::rng::Pcg32;
use crate::scenario::TimeoutAction;
use crate::sim::Sim;
use crate::time::{SimTime, MINUTE};

pub(crate) struct Driver {
    r: Pcg32,
}

impl Driver {
    pub(crate) fn new(seed: u64) -> Driver {
        Driver {
            r: super::world::harness_rng(seed, 0x4452_4956),
        }
    }

    /// When the next burst of commands comes: mostly minutes apart, sometimes hours.
    pub(crate) fn next_at(&mut self, now: SimTime) -> SimTime {
        let gap = match self.r.below(10) {
            0..=5 => 1 + self.r.below(20),
            6..=8 => 20 + self.r.below(240),
            _ => 240 + self.r.below(24 * 60),
        };
        now + u64::from(gap) * MINUTE
    }

    /// 1–3 commands, as an instructor clicks them in quick succession.
    pub(crate) fn burst(&mut self, sim: &Sim) -> Vec<Command> {
        let n = 1 + self.r.below(3);
        (0..n).map(|_| self.command(sim)).collect()
    }

    fn service(&mut self, sim: &Sim) -> String {
        let services = sim.services();
        if services.is_empty() || percent_chance(&mut self.r, 3) {
            return String::from("no-such-service");
        }
        services[self.r.below(services.len() as u32) as usize]
            .name
            .clone()
    }

    fn host(&mut self, sim: &Sim) -> u32 {
        let ids: Vec<u32> = sim.hosts().map(|h| h.id.0).collect();
        if ids.is_empty() || percent_chance(&mut self.r, 5) {
            return 9_999 + self.r.below(10);
        }
        pick(&mut self.r, &ids)
    }

    fn task(&mut self, sim: &Sim) -> u32 {
        let ids: Vec<u32> = sim.tasks().filter(|t| t.live()).map(|t| t.id.0).collect();
        if ids.is_empty() || percent_chance(&mut self.r, 5) {
            return 99_999;
        }
        pick(&mut self.r, &ids)
    }

    fn az(&mut self, sim: &Sim) -> String {
        let names: Vec<&str> = sim.az_names().collect();
        if percent_chance(&mut self.r, 5) {
            return String::from("use1-az9");
        }
        String::from(pick(&mut self.r, &names))
    }

    fn command(&mut self, sim: &Sim) -> Command {
        let r = &mut self.r;
        match r.below(100) {
            0..=13 => {
                let service = self.service(sim);
                let count = match self.r.below(20) {
                    0 => 6_000,
                    1 => 0,
                    _ => self.r.below(25),
                };
                Command::SetDesiredCount { service, count }
            }
            14..=17 => {
                let groups = sim.group_names();
                let group = if groups.is_empty() || percent_chance(&mut self.r, 10) {
                    String::from("no-such-group")
                } else {
                    groups[self.r.below(groups.len() as u32) as usize].clone()
                };
                let count = pick(&mut self.r, &[0, 1, 2, 5, 10, 11]);
                Command::RunTask { group, count }
            }
            18..=22 => Command::StopTask {
                task: self.task(sim),
            },
            23..=28 => {
                let task = self.task(sim);
                // No duration at all: the documented default.
                let minutes = pick(&mut self.r, &[0, 5, 60, 120, 2_880, 3_000, u32::MAX]);
                let minutes = (minutes != u32::MAX).then_some(minutes);
                Command::ProtectTask { task, minutes }
            }
            29..=38 => Command::DrainHost {
                host: self.host(sim),
            },
            39..=42 => Command::MaintenanceEvent {
                host: self.host(sim),
            },
            43..=46 => Command::DegradeHost {
                host: self.host(sim),
            },
            47..=50 => Command::InterruptSpot {
                host: self.host(sim),
            },
            51..=56 => Command::ImpairAz { az: self.az(sim) },
            57..=62 => Command::RecoverAz { az: self.az(sim) },
            63..=84 => {
                let service = self.service(sim);
                let revision = String::from(pick(
                    &mut self.r,
                    &["1", "v2", "v2", "bad", "crash", "sick", "nope"],
                ));
                let configuration =
                    percent_chance(&mut self.r, 60).then(|| random_deployment(&mut self.r));
                Command::StartDeployment {
                    service,
                    revision,
                    configuration,
                }
            }
            85..=90 => Command::StopDeployment {
                service: self.service(sim),
                rollback: percent_chance(&mut self.r, 60),
            },
            _ => self.continue_hook(sim),
        }
    }

    /// Answers a pause hook that waits, or names one that does not.
    fn continue_hook(&mut self, sim: &Sim) -> Command {
        let action = pick(
            &mut self.r,
            &[TimeoutAction::Continue, TimeoutAction::Rollback],
        );
        let mut waiting = Vec::new();
        for svc in sim.services() {
            let Some(d) = sim.deploy_state().active.get(&svc.id) else {
                continue;
            };
            for (i, h) in d.hooks.iter().enumerate() {
                if matches!(h.phase, HookPhase::Awaiting(_)) {
                    let name = d.config.lifecycle_hooks[i].name.clone();
                    waiting.push((svc.name.clone(), name));
                }
            }
        }
        if waiting.is_empty() || percent_chance(&mut self.r, 10) {
            return Command::ContinueHook {
                service: self.service(sim),
                hook: format!("hook{}", self.r.below(4)),
                action,
            };
        }
        let (service, hook) = waiting.swap_remove(self.r.below(waiting.len() as u32) as usize);
        Command::ContinueHook {
            service,
            hook,
            action,
        }
    }
}
