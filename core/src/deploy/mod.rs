//! Deployments (the AWS docs, "Deploy Amazon ECS services"): rolling, blue/green, linear and
//! canary.
//!
//! One `Deployment` per service at a time. The blue/green family shares one stage engine
//! (`stages.rs`); linear and canary only choose the production steps (`Plan`). Rolling
//! replaces tasks within the min/max window (`rolling.rs`). Hooks, traffic and alarms have a
//! file each. Everything is driven by the service scheduler (task changes) and by one timer
//! kind, `Timer::Deploy(service, deployment id)`: a wake-up that re-checks whatever is due.

mod alarms;
mod canary;
mod hooks;
mod linear;
mod protection;
mod rolling;
mod stages;
pub mod traffic;
pub mod view;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::{Command, CommandError};
use crate::event::{DeploymentStatus, EventKind, HookOutcome, RollbackWhy};
use crate::queue::Timer;
use crate::scenario::{DeploymentConfiguration, LifecycleStage, Strategy};
use crate::sim::Sim;
use crate::time::{SimTime, DAY, HOUR};
use crate::world::{Owner, ServiceId, TaskId};

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

/// One stage as it happened (a linear deployment has one PRE_/PRODUCTION_TRAFFIC_SHIFT pair per
/// step).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub stage: LifecycleStage,
    pub started_at: SimTime,
    pub ended_at: Option<SimTime>,
    /// Production step this record belongs to (1-based; 0 outside the traffic shift).
    pub step: u32,
    /// Run while traffic returns to blue.
    pub rollback: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HookPhase {
    Idle,
    /// A Lambda invocation answers at this time.
    Answering(SimTime),
    /// IN_PROGRESS: invoked again at this time.
    Reinvoke(SimTime),
    /// A pause hook waits for ContinueHook until this timeout.
    Awaiting(SimTime),
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookRun {
    pub status: Option<HookOutcome>,
    /// Invocations over the whole deployment (the script is indexed by it).
    pub invocations: u32,
    pub stage: Option<LifecycleStage>,
    pub phase: HookPhase,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmState {
    pub next_eval: SimTime,
    /// Consecutive breaching periods.
    pub breaching: u32,
    pub period_requests_milli: u64,
    pub period_errors_milli: u64,
    pub in_alarm: bool,
}

/// Where a rollback stands (the blue/green family shifts back first, then scales green down).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RollbackPhase {
    ProductionShiftBack,
    TestShiftBack,
    ScaleDown,
    /// Rolling: the previous revision is rolled out again.
    Rolling,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub id: u32,
    pub service: ServiceId,
    pub strategy: Strategy,
    pub config: DeploymentConfiguration,
    /// The revision in production when the deployment started.
    pub blue: u32,
    /// The revision being deployed.
    pub green: u32,
    pub status: DeploymentStatus,
    pub started_at: SimTime,
    pub finished_at: Option<SimTime>,
    pub stage: Option<LifecycleStage>,
    pub stage_started: SimTime,
    pub stage_deadline: SimTime,
    pub timeline: Vec<StageRecord>,
    /// Production steps taken.
    pub step: u32,
    /// End of the current bake (step bake, canary bake or BAKE_TIME).
    pub bake_until: Option<SimTime>,
    /// Rolling: alarms are watched until then after the new revision is in place.
    pub monitor_until: Option<SimTime>,
    pub hooks: Vec<HookRun>,
    pub traffic: Traffic,
    pub alarms: Vec<AlarmState>,
    /// Circuit-breaker failure count.
    pub failures: u32,
    pub why: Option<RollbackWhy>,
    pub rollback: Option<RollbackPhase>,
    /// Green requests (milli) when the rollback started: the exposure to the new revision.
    pub exposure_milli: Option<u64>,
    /// Blue/green family before SCALE_UP: how many green tasks an earlier deployment left
    /// running that are kept (never more than were there at the start; a task that dies is not
    /// replaced, one on a draining host is, start before stop).
    #[serde(default)]
    pub kept_green: u32,
    /// CLEAN_UP (or a rollback's scale-down) has begun retiring the other revision: it is no
    /// longer kept at the desired count.
    #[serde(default)]
    pub retiring: bool,
    /// The protected task (and its expiry) the deployment last said it waits for.
    #[serde(default)]
    pub waiting_on: Option<(TaskId, SimTime)>,
    pub hosts_at_start: u32,
    pub peak_hosts: u32,
    pub cost_at_start: u64,
    pub rate_at_start: u64,
    pub cost_at_end: u64,
    wakes: BTreeSet<SimTime>,
}

impl Deployment {
    pub fn is_rolling_back(&self) -> bool {
        self.rollback.is_some()
    }
    /// Requests (milli) the new revision served before the rollback started or the end.
    pub fn exposure_milli(&self) -> u64 {
        self.exposure_milli
            .unwrap_or(self.traffic.green.requests_milli)
    }
}

/// Hook and alarm names of a deployment, kept for sentences after it ends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployNames {
    pub hooks: Vec<String>,
    pub alarms: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
        for _ in 0..16 {
            let Some(d) = self.deploy.active.get(&sid) else {
                break;
            };
            let before = (d.stage, d.rollback, d.step);
            if plan(d.strategy).staged() {
                self.bg_reconcile(sid);
            } else {
                self.rolling_reconcile(sid);
            }
            self.advance(sid);
            match self.deploy.active.get(&sid) {
                Some(d) if (d.stage, d.rollback, d.step) != before => continue,
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

    /// Counts a task of the new revision that failed to start ("How the Amazon ECS deployment
    /// circuit breaker detects failures", stage 1) or failed its load balancer's health checks once
    /// RUNNING (stage 2) toward the circuit breaker.
    pub(crate) fn count_deployment_failure(&mut self, t: TaskId) {
        let Some(sid) = self.tasks.get(&t).and_then(|t| t.service()) else {
            return;
        };
        let rev = self.tasks[&t].revision;
        let desired = self.services[sid.0 as usize].desired;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        let cb = &d.config.deployment_circuit_breaker;
        if !cb.enable || d.rollback.is_some() || rev != d.green {
            return;
        }
        d.failures += 1;
        let (failures, threshold, rollback) = (d.failures, cb.threshold(desired), cb.rollback);
        if failures >= threshold {
            let id = d.id;
            self.emit(EventKind::CircuitBreakerTripped {
                service: sid,
                deployment: id,
                failures,
                threshold,
            });
            self.fail(
                sid,
                RollbackWhy::CircuitBreaker {
                    failures,
                    threshold,
                },
                rollback,
            );
        }
    }

    /// `resetOnHealthyTask`: a healthy task of the new revision clears the failure count.
    pub(crate) fn task_became_healthy(&mut self, t: TaskId) {
        let Some(task) = self.tasks.get(&t) else {
            return;
        };
        let (Some(sid), rev) = (task.service(), task.revision) else {
            return;
        };
        if let Some(d) = self.deploy.active.get_mut(&sid) {
            if rev == d.green && d.config.deployment_circuit_breaker.reset_on_healthy_task {
                d.failures = 0;
            }
        }
    }

    /// (production traffic on green in bp, requests/s, failed requests/s) across services.
    pub(crate) fn traffic_now(&self) -> (u32, u32, u32) {
        let (mut green, mut rps, mut errors) = (0u32, 0u64, 0u64);
        for svc in &self.services {
            let spec = &self.scenario.services[svc.spec as usize];
            let r = u64::from(traffic::rps_at(spec.load.as_ref(), self.now));
            rps += r;
            let (w, blue_rev, green_rev) = match self.deploy.active.get(&svc.id) {
                Some(d) => (d.traffic.production, d.blue, d.green),
                None => (Weights::blue(), svc.revision, svc.revision),
            };
            green = green.max(w.green_bp());
            let err = |rev: u32| u64::from(self.revisions[rev as usize].error_rate_bp);
            errors += r
                * (u64::from(w.blue_bp()) * err(blue_rev)
                    + u64::from(w.green_bp()) * err(green_rev))
                / (traffic::ALL_BP as u64 * traffic::ALL_BP as u64);
        }
        (green, rps.min(u64::from(u32::MAX)) as u32, errors as u32)
    }

    pub(crate) fn execute_deploy(&mut self, command: &Command) -> Option<Result<(), CommandError>> {
        Some(match command {
            Command::StartDeployment {
                service,
                revision,
                configuration,
            } => self.start_deployment(service, revision, configuration.as_ref()),
            Command::StopDeployment { service, rollback } => {
                self.stop_deployment(service, *rollback)
            }
            Command::ContinueHook {
                service,
                hook,
                action,
            } => self.continue_hook(service, hook, *action),
            _ => return None,
        })
    }

    pub(crate) fn execute_more(&mut self, command: &Command) -> Result<(), CommandError> {
        if let Some(r) = self.execute_lifecycle(command) {
            return r;
        }
        if let Some(r) = self.execute_deploy(command) {
            return r;
        }
        // Not `{command:?}`: that one message would put the Debug code of every command and
        // deployment setting into the browser download.
        Err(CommandError::NotNow(
            "this command is not supported yet".into(),
        ))
    }

    fn start_deployment(
        &mut self,
        service: &str,
        revision: &str,
        configuration: Option<&DeploymentConfiguration>,
    ) -> Result<(), CommandError> {
        let sid = self.service_by_name(service)?;
        let svc = &self.services[sid.0 as usize];
        let label = alloc::format!("{}:{}", svc.name, revision);
        let green = self
            .revisions
            .iter()
            .position(|r| r.owner == Owner::Service(sid) && r.label == label)
            .ok_or_else(|| CommandError::UnknownRevision {
                service: service.into(),
                revision: revision.into(),
            })? as u32;
        let config = match configuration {
            Some(c) => {
                let mut checker = crate::scenario::validate::Checker::default();
                crate::scenario::deployment_checks::check_deployment_configuration(
                    &mut checker,
                    "configuration",
                    c,
                );
                if let Some(e) = checker.errors.first() {
                    return Err(CommandError::Invalid(alloc::format!("{e}")));
                }
                c.clone()
            }
            None => self.scenario.services[svc.spec as usize]
                .deployment_configuration
                .clone(),
        };
        // A deployment superseded once all production traffic is on its new revision leaves
        // production there: that revision is the new deployment's blue.
        let shifted = self.deploy.active.get(&sid).and_then(|d| {
            let after = matches!(
                d.stage,
                Some(LifecycleStage::BakeTime | LifecycleStage::CleanUp)
            );
            (after && d.rollback.is_none() && plan(d.strategy).staged())
                .then_some((d.green, d.stage))
        });
        let blue = shifted.map_or(self.services[sid.0 as usize].revision, |(g, _)| g);
        // Checked before anything changes: a refused command must leave the world as it was
        // (the recorded script omits it, so replay would otherwise differ from live play).
        if green == blue && !self.has_strays(sid, blue, green) {
            return Err(CommandError::NotNow(alloc::format!(
                "{label} is already the production revision"
            )));
        }
        if let Some((_, Some(stage))) = shifted {
            self.finish_superseded_after_shift(sid, stage);
        } else if self.deploy.active.contains_key(&sid) {
            // A newer deployment replaces the running one; RECONCILE_SERVICE tidies up after it.
            self.finish_abort(sid, RollbackWhy::Superseded);
        }
        self.deploy.next_id += 1;
        let id = self.deploy.next_id;
        self.deploy.names.insert(
            id,
            DeployNames {
                hooks: config
                    .lifecycle_hooks
                    .iter()
                    .map(|h| h.name.clone())
                    .collect(),
                alarms: config
                    .alarms
                    .alarms
                    .iter()
                    .map(|a| a.name.clone())
                    .collect(),
            },
        );
        let cost = self.cost();
        let hosts = self.hosts.len() as u32;
        let alarms = if config.alarms.enable {
            config
                .alarms
                .alarms
                .iter()
                .map(|a| AlarmState {
                    next_eval: self.now + alarms::period_ms(a),
                    ..AlarmState::default()
                })
                .collect()
        } else {
            Vec::new()
        };
        let d = Deployment {
            id,
            service: sid,
            strategy: config.strategy,
            hooks: config
                .lifecycle_hooks
                .iter()
                .map(|_| HookRun {
                    status: None,
                    invocations: 0,
                    stage: None,
                    phase: HookPhase::Idle,
                })
                .collect(),
            alarms,
            config,
            blue,
            green,
            status: DeploymentStatus::InProgress,
            started_at: self.now,
            finished_at: None,
            stage: None,
            stage_started: self.now,
            stage_deadline: self.now + STAGE_LIMIT_MS,
            timeline: Vec::new(),
            step: 0,
            bake_until: None,
            monitor_until: None,
            traffic: Traffic::new(self.now),
            failures: 0,
            why: None,
            rollback: None,
            exposure_milli: None,
            kept_green: u32::MAX,
            retiring: false,
            waiting_on: None,
            hosts_at_start: hosts,
            peak_hosts: hosts,
            cost_at_start: cost.total().0,
            rate_at_start: cost.rate().0,
            cost_at_end: 0,
            wakes: BTreeSet::new(),
        };
        let strategy = d.strategy;
        self.deploy.active.insert(sid, d);
        self.emit(EventKind::DeploymentStarted {
            service: sid,
            deployment: id,
            strategy,
            to_revision: green,
        });
        if plan(strategy).staged() {
            let first = if self.has_strays(sid, blue, green) {
                LifecycleStage::ReconcileService
            } else {
                LifecycleStage::PreScaleUp
            };
            self.enter_stage(sid, first, false);
        }
        self.wake(sid, self.now + DEPLOYMENT_LIMIT_MS);
        self.touch(Owner::Service(sid));
        Ok(())
    }

    /// Live tasks of revisions other than `blue` and `green` (left by an earlier deployment).
    pub(crate) fn has_strays(&self, sid: ServiceId, blue: u32, green: u32) -> bool {
        self.owned.get(&Owner::Service(sid)).is_some_and(|ids| {
            ids.iter()
                .filter_map(|t| self.tasks.get(t))
                .any(|t| t.live() && t.revision != blue && t.revision != green)
        })
    }

    /// Like `has_strays`, without protected tasks: RECONCILE_SERVICE does not wait for those.
    pub(crate) fn has_unprotected_strays(&self, sid: ServiceId, blue: u32, green: u32) -> bool {
        self.owned.get(&Owner::Service(sid)).is_some_and(|ids| {
            ids.iter().filter_map(|t| self.tasks.get(t)).any(|t| {
                t.live() && t.revision != blue && t.revision != green && !t.is_protected(self.now)
            })
        })
    }

    fn stop_deployment(&mut self, service: &str, rollback: bool) -> Result<(), CommandError> {
        let sid = self.service_by_name(service)?;
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return Err(CommandError::NotNow(alloc::format!(
                "{service} has no deployment in progress"
            )));
        };
        if d.rollback.is_some() {
            return Err(CommandError::NotNow(alloc::format!(
                "{service} is already rolling back"
            )));
        }
        d.status = if rollback {
            DeploymentStatus::RollbackRequested
        } else {
            DeploymentStatus::StopRequested
        };
        self.fail(sid, RollbackWhy::Manual, rollback);
        Ok(())
    }

    /// The deployment failed: roll back, or (without rollback) stop where it is.
    pub(crate) fn fail(&mut self, sid: ServiceId, why: RollbackWhy, rollback: bool) {
        if !rollback {
            self.finish_abort(sid, why);
            return;
        }
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        if d.rollback.is_some() {
            return;
        }
        d.status = DeploymentStatus::RollbackInProgress;
        d.why = Some(why.clone());
        d.exposure_milli = Some(d.traffic.green.requests_milli);
        d.bake_until = None;
        d.monitor_until = None;
        let (id, staged) = (d.id, plan(d.strategy).staged());
        self.emit(EventKind::DeploymentRollingBack {
            service: sid,
            deployment: id,
            why,
        });
        if staged {
            self.bg_start_rollback(sid);
        } else if let Some(d) = self.deploy.active.get_mut(&sid) {
            d.rollback = Some(RollbackPhase::Rolling);
        }
        self.touch(Owner::Service(sid));
    }

    /// ABORT (or a failure without rollback): production traffic stays on the production
    /// revision, the new revision's tasks are left for the next deployment's RECONCILE_SERVICE.
    fn finish_abort(&mut self, sid: ServiceId, why: RollbackWhy) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        d.why = Some(why);
        if d.exposure_milli.is_none() {
            d.exposure_milli = Some(d.traffic.green.requests_milli);
        }
        if d.traffic.production != Weights::blue() || d.traffic.test != Weights::blue() {
            self.set_weights(sid, Some(Weights::blue()), Some(Weights::blue()));
        }
        self.finish(sid, DeploymentStatus::Stopped);
    }

    /// A newer deployment arrives in BAKE_TIME or CLEAN_UP. The lifecycle-stage reference says
    /// nothing of this case; the assumption (stated in the event) is the safest one: production
    /// and test traffic stay on the new revision, which already serves all of it and passed
    /// every hook, so no traffic moves without its hooks; it becomes the production revision
    /// (what the newer deployment starts from and would roll back to), and the older revision's
    /// tasks are left for the newer deployment's RECONCILE_SERVICE. The superseded deployment
    /// ends STOPPED, since its bake did not finish.
    fn finish_superseded_after_shift(&mut self, sid: ServiceId, stage: LifecycleStage) {
        let Some(d) = self.deploy.active.get_mut(&sid) else {
            return;
        };
        d.why = Some(RollbackWhy::SupersededAfterProductionShift { stage });
        if d.exposure_milli.is_none() {
            d.exposure_milli = Some(d.traffic.green.requests_milli);
        }
        let green = d.green;
        self.services[sid.0 as usize].revision = green;
        self.finish(sid, DeploymentStatus::Stopped);
    }

    pub(crate) fn finish(&mut self, sid: ServiceId, status: DeploymentStatus) {
        self.account(sid);
        let now = self.now;
        let total = self.cost().total().0;
        let Some(mut d) = self.deploy.active.remove(&sid) else {
            return;
        };
        d.status = status;
        d.finished_at = Some(now);
        d.cost_at_end = total;
        if let Some(r) = d.timeline.last_mut() {
            r.ended_at.get_or_insert(now);
        }
        for h in &mut d.hooks {
            h.phase = HookPhase::Idle;
        }
        if status == DeploymentStatus::Successful {
            self.services[sid.0 as usize].revision = d.green;
        }
        self.emit(EventKind::DeploymentFinished {
            service: sid,
            deployment: d.id,
            status,
            why: d.why.clone(),
        });
        let list = self.deploy.finished.entry(sid).or_default();
        list.push(d);
        if list.len() > HISTORY {
            list.remove(0);
        }
        self.touch(Owner::Service(sid));
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
        if d.rollback.is_none() && now.since(d.started_at) >= DEPLOYMENT_LIMIT_MS {
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
        at.extend(d.bake_until);
        at.extend(d.monitor_until);
        if d.rollback.is_some() {
            at.push(d.stage_started + STAGE_LIMIT_MS);
        } else {
            at.extend(d.alarms.iter().map(|a| a.next_eval));
            if d.stage.is_some() {
                at.push(d.stage_deadline);
            }
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
