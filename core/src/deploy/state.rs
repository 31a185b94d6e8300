//! A deployment and where it stands. The state is one enum whose variants carry only what holds
//! in that state: a bake or a stage deadline exists only in a lifecycle stage, a rollback's reason
//! and exposure only once it rolls back, the final status and cost only once it has ended.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use super::alarms::AlarmState;
use super::hooks::HookRun;
use super::traffic::Traffic;
use crate::event::{DeploymentStatus, RollbackWhy};
use crate::scenario::{DeploymentConfiguration, LifecycleStage, Strategy};
use crate::time::SimTime;
use crate::world::{ServiceId, TaskId};

/// One stage as it happened (a linear deployment has one PRE_/PRODUCTION_TRAFFIC_SHIFT pair per
/// step).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StageRecord {
    pub stage: LifecycleStage,
    pub started_at: SimTime,
    pub ended_at: Option<SimTime>,
    /// Production step this record belongs to (1-based; 0 outside the traffic shift).
    pub step: u32,
    /// Run while traffic returns to blue.
    pub rollback: bool,
}

/// Where a rollback stands (the blue/green family shifts back first, then scales green down).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RollbackPhase {
    ProductionShiftBack,
    TestShiftBack,
    ScaleDown,
    /// Rolling: the previous revision is rolled out again.
    Rolling,
}

impl RollbackPhase {
    /// The lifecycle stage whose hooks the phase re-runs (the blue/green family); rolling has none.
    pub fn stage(self) -> Option<LifecycleStage> {
        match self {
            RollbackPhase::ProductionShiftBack => Some(LifecycleStage::ProductionTrafficShift),
            RollbackPhase::TestShiftBack => Some(LifecycleStage::TestTrafficShift),
            RollbackPhase::ScaleDown => Some(LifecycleStage::CleanUp),
            RollbackPhase::Rolling => None,
        }
    }
}

/// A blue/green-family deployment in one lifecycle stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staged {
    pub stage: LifecycleStage,
    pub started: SimTime,
    /// The stage fails at this time (24 h, longer for a pause hook or a protected task).
    pub deadline: SimTime,
    /// End of the current bake (a step's bake or BAKE_TIME).
    pub bake_until: Option<SimTime>,
    /// Before SCALE_UP: how many green tasks an earlier deployment left running that are kept
    /// (never more than were there at the start; a task that dies is not replaced, one on a
    /// draining host is, start before stop).
    pub kept_green: u32,
    /// CLEAN_UP has begun retiring blue: it is no longer kept at the desired count.
    pub retiring: bool,
}

/// A deployment returning to the revision that was in production when it started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollingBack {
    pub phase: RollbackPhase,
    /// The phase's start, which its stage limit counts from (a rolling rollback keeps the
    /// deployment's start: it has no stage, and its wake-up at that limit is harmless).
    pub since: SimTime,
    pub why: RollbackWhy,
    /// Green requests (milli) when the rollback started: the exposure to the new revision.
    pub exposure_milli: u64,
}

/// How a deployment ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    pub status: DeploymentStatus,
    pub at: SimTime,
    pub why: Option<RollbackWhy>,
    /// Requests (milli) the new revision served before a rollback started, or in all.
    pub exposure_milli: u64,
    pub cost: u64,
    /// A rollback had begun (a newer deployment may have stopped it before it finished).
    pub rolled_back: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// ROLLING replaces tasks; once the new revision is in place, alarms are watched until
    /// `monitor_until`.
    Rolling {
        monitor_until: Option<SimTime>,
    },
    Staged(Staged),
    RollingBack(RollingBack),
    Ended(Ended),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    pub id: u32,
    pub service: ServiceId,
    pub strategy: Strategy,
    pub config: DeploymentConfiguration,
    /// The revision in production when the deployment started.
    pub blue: u32,
    /// The revision being deployed.
    pub green: u32,
    pub state: State,
    pub started_at: SimTime,
    pub timeline: Vec<StageRecord>,
    pub hooks: Vec<HookRun>,
    pub traffic: Traffic,
    pub alarms: Vec<AlarmState>,
    /// Circuit-breaker failure count.
    pub failures: u32,
    /// The protected task (and its expiry) the deployment last said it waits for; kept across
    /// states so that a rollback waiting for the same task does not say it again.
    pub waiting_on: Option<(TaskId, SimTime)>,
    pub hosts_at_start: u32,
    pub peak_hosts: u32,
    pub cost_at_start: u64,
    pub rate_at_start: u64,
    pub(super) wakes: BTreeSet<SimTime>,
}

impl Deployment {
    pub fn status(&self) -> DeploymentStatus {
        match &self.state {
            State::Rolling { .. } | State::Staged(_) => DeploymentStatus::InProgress,
            State::RollingBack(_) => DeploymentStatus::RollbackInProgress,
            State::Ended(e) => e.status,
        }
    }
    pub fn finished_at(&self) -> Option<SimTime> {
        match &self.state {
            State::Ended(e) => Some(e.at),
            _ => None,
        }
    }
    /// The cost of the whole fleet when the deployment ended.
    pub fn cost_at_end(&self) -> Option<u64> {
        match &self.state {
            State::Ended(e) => Some(e.cost),
            _ => None,
        }
    }
    /// Why it rolled back or stopped.
    pub fn why(&self) -> Option<&RollbackWhy> {
        match &self.state {
            State::RollingBack(r) => Some(&r.why),
            State::Ended(e) => e.why.as_ref(),
            _ => None,
        }
    }
    /// The lifecycle stage it is in now (a rollback's stage while it rolls back); none for
    /// rolling and once it has ended.
    pub fn stage(&self) -> Option<LifecycleStage> {
        match &self.state {
            State::Staged(s) => Some(s.stage),
            State::RollingBack(r) => r.phase.stage(),
            State::Rolling { .. } | State::Ended(_) => None,
        }
    }
    pub fn bake_until(&self) -> Option<SimTime> {
        match &self.state {
            State::Staged(s) => s.bake_until,
            _ => None,
        }
    }
    pub fn is_rolling_back(&self) -> bool {
        matches!(self.state, State::RollingBack(_))
    }
    /// Production steps taken (each is one PRODUCTION_TRAFFIC_SHIFT before any rollback).
    pub fn step(&self) -> u32 {
        self.timeline
            .iter()
            .filter(|r| r.stage == LifecycleStage::ProductionTrafficShift && !r.rollback)
            .count() as u32
    }
    /// Requests (milli) the new revision served before the rollback started or the end.
    pub fn exposure_milli(&self) -> u64 {
        match &self.state {
            State::RollingBack(r) => r.exposure_milli,
            State::Ended(e) => e.exposure_milli,
            _ => self.traffic.green.requests_milli,
        }
    }
}
