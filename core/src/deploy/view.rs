//! A read-only snapshot of a service's deployment for the UI: strategy, status, the stage
//! timeline with the current stage, hooks, bake timer, listener weights and counters.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::{plan, HookPhase, StageRecord, State, Weights};
use crate::event::{DeploymentStatus, HookOutcome};
use crate::scenario::{HookTarget, LifecycleStage, Strategy};
use crate::sim::Sim;
use crate::time::SimTime;
use crate::world::ServiceId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookView {
    pub name: String,
    pub target: HookTarget,
    pub stages: Vec<LifecycleStage>,
    /// `DeploymentLifecycleHookDetail.status` of its latest run, if it ran.
    pub status: Option<HookOutcome>,
    pub invocations: u32,
    /// The stage it is running for now.
    pub running_on: Option<LifecycleStage>,
    /// A pause hook waits for ContinueHook (the UI shows Continue / Roll back buttons).
    pub awaiting_action: bool,
    /// Next answer, re-invocation or timeout.
    pub next_at: Option<SimTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroupView {
    pub revision: String,
    pub requests: u64,
    pub errors: u64,
    pub running_tasks: u32,
    pub healthy_tasks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmView {
    pub name: String,
    pub breaching_periods: u32,
    pub evaluation_periods: u32,
    pub in_alarm: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub id: u32,
    pub service: String,
    pub strategy: Strategy,
    pub status: DeploymentStatus,
    pub started_at: SimTime,
    pub finished_at: Option<SimTime>,
    /// None for rolling.
    pub stage: Option<LifecycleStage>,
    /// Rolling back, or (once ended) a rollback had begun.
    pub rolling_back: bool,
    pub timeline: Vec<StageRecord>,
    /// Production weights per step (bp on green), and how many were taken.
    pub steps: Vec<u32>,
    pub step: u32,
    pub bake_until: Option<SimTime>,
    pub stage_deadline: Option<SimTime>,
    pub hooks: Vec<HookView>,
    pub production: Weights,
    pub test: Weights,
    pub blue: TargetGroupView,
    pub green: TargetGroupView,
    pub alarms: Vec<AlarmView>,
    pub circuit_breaker_failures: u32,
    pub circuit_breaker_threshold: Option<u32>,
    /// "Rolled back: …" when it failed.
    pub reason: Option<String>,
    /// Requests the new revision served before the rollback started (or so far).
    pub exposed_requests: u64,
}

impl Sim {
    /// The service's active deployment, or its last finished one.
    pub fn deployment_view(&self, service: ServiceId) -> Option<DeploymentView> {
        let d = self.deployment(service)?;
        let svc = &self.services[service.0 as usize];
        let active = d.finished_at().is_none();
        let group = |rev: u32, tg: &super::TargetGroup| {
            let c = self.census(service, Some(rev));
            let running = c
                .staying
                .iter()
                .chain(&c.leaving)
                .filter(|t| self.tasks[*t].state == crate::world::TaskState::Running)
                .count() as u32;
            TargetGroupView {
                revision: self.revisions[rev as usize].label.clone(),
                requests: tg.requests(),
                errors: tg.errors(),
                running_tasks: running,
                healthy_tasks: c.healthy_staying,
            }
        };
        let cb = &d.config.deployment_circuit_breaker;
        Some(DeploymentView {
            id: d.id,
            service: svc.name.clone(),
            strategy: d.strategy,
            status: d.status(),
            started_at: d.started_at,
            finished_at: d.finished_at(),
            stage: d.stage(),
            rolling_back: match &d.state {
                State::RollingBack(_) => true,
                State::Ended(e) => e.rolled_back,
                State::Rolling { .. } | State::Staged(_) => false,
            },
            timeline: d.timeline.clone(),
            steps: plan(d.strategy).steps(&d.config),
            step: d.step(),
            bake_until: d.bake_until(),
            stage_deadline: match &d.state {
                State::Staged(s) => Some(s.deadline),
                _ => None,
            },
            hooks: d
                .config
                .lifecycle_hooks
                .iter()
                .zip(&d.hooks)
                .map(|(spec, h)| HookView {
                    name: spec.name.clone(),
                    target: spec.target_type,
                    stages: spec.lifecycle_stages.clone(),
                    status: h.status,
                    invocations: h.invocations,
                    running_on: h.stage.filter(|_| active && h.phase != HookPhase::Done),
                    awaiting_action: active && matches!(h.phase, HookPhase::Awaiting(_)),
                    next_at: super::hooks::due(h.phase).filter(|_| active),
                })
                .collect(),
            production: d.traffic.production,
            test: d.traffic.test,
            blue: group(d.blue, &d.traffic.blue),
            green: group(d.green, &d.traffic.green),
            alarms: d
                .alarms
                .iter()
                .zip(&d.config.alarms.alarms)
                .map(|(a, spec)| AlarmView {
                    name: spec.name.clone(),
                    breaching_periods: a.breaching,
                    evaluation_periods: spec.evaluation_periods,
                    in_alarm: a.in_alarm,
                })
                .collect(),
            circuit_breaker_failures: d.failures,
            circuit_breaker_threshold: cb.enable.then(|| cb.threshold(svc.desired)),
            reason: d.why().map(|w| self.names().rollback_why(d.id, w)),
            exposed_requests: d.exposure_milli() / 1000,
        })
    }
}
