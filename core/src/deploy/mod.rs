//! Deployments (the AWS docs, "Deploy Amazon ECS services"): rolling, blue/green, linear and
//! canary.
//!
//! One `Deployment` per service at a time, its state one enum (`state.rs`): rolling, in a
//! lifecycle stage, rolling back, or ended. Each command (`commands.rs`, ContinueHook in
//! `hooks.rs`) is one `match` over that state. The blue/green family shares one stage engine
//! (`stages.rs`); linear and canary only choose the production steps (`Plan`). Rolling replaces
//! tasks within the min/max window (`rolling.rs`). Hooks, traffic, alarms, the circuit breaker
//! and how a deployment ends (`ending.rs`) have a file each. Everything is driven by the service
//! scheduler (task changes) and by one timer kind, `Timer::Deploy(service, deployment id)`: a
//! wake-up that re-checks whatever is due.

mod alarms;
mod canary;
mod circuit_breaker;
mod commands;
mod ending;
mod hooks;
mod linear;
mod protection;
mod rolling;
mod stages;
mod state;
pub mod traffic;
pub mod view;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::event::RollbackWhy;
use crate::queue::Timer;
use crate::scenario::{DeploymentConfiguration, Strategy};
use crate::sim::Sim;
use crate::time::{SimTime, DAY, HOUR};
use crate::world::ServiceId;

pub use alarms::AlarmState;
pub use hooks::{ExampleHook, HookPhase, HookRun};
pub use state::{Deployment, Ended, RollbackPhase, RollingBack, StageRecord, Staged, State};
pub use traffic::{TargetGroup, Traffic, Weights};

/// Each lifecycle stage (and each linear step) may last this long; then the deployment fails.
pub const STAGE_LIMIT_MS: u64 = 24 * HOUR;
/// The whole deployment times out after 30 days.
pub const DEPLOYMENT_LIMIT_MS: u64 = 30 * DAY;
/// Finished deployments kept per service for the UI and comparisons.
const HISTORY: usize = 4;

/// How a strategy moves production traffic. The blue/green family differs only here: a trait
/// with no-op defaults and one small type per strategy (design.md, "strategies").
pub(crate) trait Plan {
    /// Cumulative production weight on green after each step, in bp; the last is 10,000.
    fn steps(&self, _c: &DeploymentConfiguration) -> Vec<u32> {
        alloc::vec![traffic::ALL_BP]
    }
    /// Wait after production step `i` (0-based) before the next one, ms.
    fn step_bake_ms(&self, _c: &DeploymentConfiguration, _i: u32) -> u64 {
        0
    }
    /// Uses the lifecycle-stage engine (everything but rolling).
    fn staged(&self) -> bool {
        true
    }
}

pub(crate) fn plan(s: Strategy) -> &'static dyn Plan {
    match s {
        Strategy::Rolling => &rolling::Rolling,
        Strategy::BlueGreen => &stages::BlueGreen,
        Strategy::Linear => &linear::Linear,
        Strategy::Canary => &canary::Canary,
    }
}

/// Hook and alarm names of a deployment, kept for sentences after it ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeployNames {
    pub hooks: Vec<String>,
    pub alarms: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeployState {
    pub next_id: u32,
    pub active: BTreeMap<ServiceId, Deployment>,
    /// Finished deployments, newest last, a few per service.
    pub finished: BTreeMap<ServiceId, Vec<Deployment>>,
    pub names: BTreeMap<u32, DeployNames>,
}

impl DeployState {
    pub fn hook_name(&self, deployment: u32, hook: u32) -> Option<&str> {
        self.names
            .get(&deployment)?
            .hooks
            .get(hook as usize)
            .map(String::as_str)
    }
    pub fn alarm_name(&self, deployment: u32, alarm: u32) -> Option<&str> {
        self.names
            .get(&deployment)?
            .alarms
            .get(alarm as usize)
            .map(String::as_str)
    }
}

impl Sim {
    /// Handles the service's scheduling while a deployment owns it; `false` → the plain
    /// service scheduler runs.
    pub(crate) fn deploy_reconcile(&mut self, sid: ServiceId) -> bool {
        self.account(sid);
        // A stage change asks for another pass, but the scheduler drops what a pass itself
        // dirtied, so repeat here until the deployment stands still.
        let position = |d: &Deployment| {
            let rollback = match &d.state {
                State::RollingBack(r) => Some(r.phase),
                _ => None,
            };
            (d.stage(), rollback, d.step())
        };
        for _ in 0..16 {
            let Some(d) = self.deploy.active.get(&sid) else {
                break;
            };
            let before = position(d);
            if plan(d.strategy).staged() {
                self.bg_reconcile(sid);
            } else {
                self.rolling_reconcile(sid);
            }
            self.advance(sid);
            match self.deploy.active.get(&sid) {
                Some(d) if position(d) != before => continue,
                _ => break,
            }
        }
        // Finished during this pass: the plain scheduler takes the service over now.
        self.deploy.active.contains_key(&sid)
    }

    pub fn deployment_active(&self, sid: ServiceId) -> bool {
        self.deploy.active.contains_key(&sid)
    }

    /// The active deployment of a service, or its last finished one.
    pub fn deployment(&self, sid: ServiceId) -> Option<&Deployment> {
        self.deploy
            .active
            .get(&sid)
            .or_else(|| self.deploy.finished.get(&sid).and_then(|v| v.last()))
    }

    pub fn deploy_state(&self) -> &crate::deploy::DeployState {
        &self.deploy
    }

    pub(crate) fn deploy_timer(&mut self, sid: ServiceId, gen: u32) {
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        if d.id != gen {
            return;
        }
        d.wakes = d.wakes.split_off(&SimTime(now.0 + 1));
        self.account(sid);
        self.advance(sid);
    }

    /// Schedules a wake-up of the service's deployment (one timer per distinct time).
    pub(crate) fn wake(&mut self, sid: ServiceId, at: SimTime) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let at = at.max(self.now);
        if d.wakes.insert(at) {
            self.queue.push(at, Timer::Deploy(sid, d.id));
        }
    }

    /// Checks everything due: deadlines, alarms, hooks, stage progress.
    fn advance(&mut self, sid: ServiceId) {
        let hosts = self.hosts.len() as u32;
        let now = self.now;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        d.peak_hosts = d.peak_hosts.max(hosts);
        if !d.is_rolling_back() && now.since(d.started_at) >= DEPLOYMENT_LIMIT_MS {
            self.fail(sid, RollbackWhy::DeploymentTimeout, true);
        }
        self.evaluate_alarms(sid);
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        if plan(d.strategy).staged() {
            self.bg_advance(sid);
        } else {
            self.rolling_advance(sid);
        }
        self.schedule_wakes(sid);
    }

    fn schedule_wakes(&mut self, sid: ServiceId) {
        let Some(d) = self.deploy.active.get(&sid) else {
            return;
        };
        let mut at: Vec<SimTime> = d.hooks.iter().filter_map(|h| hooks::due(h.phase)).collect();
        match &d.state {
            State::Rolling { monitor_until } => {
                at.extend(*monitor_until);
                at.extend(d.alarms.iter().map(|a| a.next_eval));
            }
            State::Staged(s) => {
                at.extend(s.bake_until);
                at.extend(d.alarms.iter().map(|a| a.next_eval));
                at.push(s.deadline);
            }
            State::RollingBack(r) => at.push(r.since + STAGE_LIMIT_MS),
            State::Ended(_) => {}
        }
        // What falls due now was handled by this pass, or needs one more a millisecond on (a
        // wake at `now` could fire for ever). What fell due earlier was seen by an earlier pass
        // and waits on something else (a hook still pending after its bake, a rolling rollback
        // past a stage limit it has no use for), whose own change wakes the deployment; re-arming
        // it would fire every millisecond until then.
        let now = self.now;
        for t in at.into_iter().filter(|t| *t >= now) {
            self.wake(sid, t.max(now + 1));
        }
    }
}
