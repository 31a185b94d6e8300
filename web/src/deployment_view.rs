//! The deployment: its lifecycle stages as a timeline with the current one highlighted, the
//! hooks with status and invocation count, the bake countdown, Continue / Roll back for pause
//! hooks, alarms, and the outcome in a sentence.

use std::rc::Rc;

use fleetsim_core::deploy::view::DeploymentView;
use fleetsim_core::event::DeploymentStatus;
use fleetsim_core::scenario::{HookTarget, LifecycleStage, Strategy, TimeoutAction};
use fleetsim_core::{Command, SimTime};
use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DeploymentPanelProps {
    pub deployment: Option<Rc<DeploymentView>>,
    pub now: SimTime,
    pub dispatch: Callback<Action>,
}

/// Short stage names for the timeline; the full API name is in the tooltip.
fn short(stage: LifecycleStage) -> &'static str {
    match stage {
        LifecycleStage::ReconcileService => "Reconcile",
        LifecycleStage::PreScaleUp => "Pre scale-up",
        LifecycleStage::ScaleUp => "Scale up",
        LifecycleStage::PostScaleUp => "Post scale-up",
        LifecycleStage::TestTrafficShift => "Test traffic",
        LifecycleStage::PostTestTrafficShift => "Post test",
        LifecycleStage::PreProductionTrafficShift => "Pre production",
        LifecycleStage::ProductionTrafficShift => "Production traffic",
        LifecycleStage::PostProductionTrafficShift => "Post production",
        LifecycleStage::BakeTime => "Bake",
        LifecycleStage::CleanUp => "Clean up",
    }
}

fn duration(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn status_class(s: DeploymentStatus) -> &'static str {
    match s {
        DeploymentStatus::Successful => "good",
        DeploymentStatus::RollbackSuccessful
        | DeploymentStatus::RollbackFailed
        | DeploymentStatus::Stopped => "bad",
        DeploymentStatus::RollbackInProgress
        | DeploymentStatus::RollbackRequested
        | DeploymentStatus::StopRequested => "warn",
        _ => "info",
    }
}

#[component]
pub fn DeploymentPanel(props: &DeploymentPanelProps) -> Html {
    let Some(d) = props.deployment.as_deref() else {
        return html! {
            <section class="panel deployment" aria-label="Deployment" data-testid="deployment-view">
                <h3>{ "Deployment" }</h3>
                <p class="muted">{ "No deployment yet. Start one below: pick a strategy, and try the faulty revision to see a rollback." }</p>
            </section>
        };
    };
    let active = d.finished_at.is_none();
    let now = props.now;
    let reached: Vec<LifecycleStage> = d.timeline.iter().map(|r| r.stage).collect();
    let stage_html = |stage: LifecycleStage| {
        let current = d.stage == Some(stage);
        let records: Vec<_> = d.timeline.iter().filter(|r| r.stage == stage).collect();
        let rolled = records.iter().any(|r| r.rollback);
        let done = !current && !records.is_empty();
        let class = classes!(
            "stage",
            current.then_some("current"),
            done.then_some("done"),
            rolled.then_some("rollback"),
            (!reached.contains(&stage)).then_some("todo")
        );
        let hooks: Vec<_> = d
            .hooks
            .iter()
            .filter(|h| h.stages.contains(&stage))
            .collect();
        html! {
            <li {class} title={stage.api_name()} data-stage={stage.api_name()} aria-current={current.then_some("step")}>
                <span class="stage-dot"></span>
                <span class="stage-name">{ short(stage) }</span>
                if !hooks.is_empty() { <span class="stage-hook" title="has a lifecycle hook">{ "⚓" }</span> }
            </li>
        }
    };
    let stop = {
        let (dispatch, service) = (props.dispatch.clone(), d.service.clone());
        Callback::from(move |_| {
            dispatch.emit(Action::Command(Command::StopDeployment {
                service: service.clone(),
                rollback: true,
            }))
        })
    };
    let answer = |hook: &str, action: TimeoutAction| {
        let (dispatch, service, hook) =
            (props.dispatch.clone(), d.service.clone(), hook.to_string());
        Callback::from(move |_| {
            dispatch.emit(Action::Command(Command::ContinueHook {
                service: service.clone(),
                hook: hook.clone(),
                action,
            }))
        })
    };
    let steps = if matches!(d.strategy, Strategy::Linear | Strategy::Canary) && !d.steps.is_empty()
    {
        Some(format!(
            "Step {} of {}: {}",
            d.step.min(d.steps.len() as u32),
            d.steps.len(),
            d.steps
                .iter()
                .map(|bp| format!("{} %", f64::from(*bp) / 100.0))
                .collect::<Vec<_>>()
                .join(" → ")
        ))
    } else {
        None
    };
    html! {
        <section class="panel deployment" aria-label="Deployment" data-testid="deployment-view"
            data-status={d.status.api_name()} data-stage={d.stage.map(|s| s.api_name())}>
            <h3>
                { format!("Deployment #{} · {} · {}", d.id, d.service, d.strategy.api_name()) }
                <span class={classes!("badge", status_class(d.status))} data-testid="deployment-status">{ d.status.api_name() }</span>
            </h3>
            if d.strategy == Strategy::Rolling {
                <p class="muted">{ "Rolling update: tasks are replaced in batches within minimumHealthyPercent and maximumPercent; there are no lifecycle stages." }</p>
            } else {
                <ol class="stages" data-testid="stage-timeline">
                    { for LifecycleStage::ALL.into_iter().map(stage_html) }
                </ol>
            }
            <div class="deploy-facts">
                if let Some(s) = steps { <span>{ s }</span> }
                if let Some(until) = d.bake_until {
                    <span class="bake" data-testid="bake">{ format!("Bake: {} left", duration(until.since(now))) }</span>
                }
                if let Some(deadline) = d.stage_deadline {
                    <span class="muted">{ format!("stage times out in {}", duration(deadline.since(now))) }</span>
                }
                if let Some(t) = d.circuit_breaker_threshold {
                    <span class="muted">{ format!("circuit breaker {}/{}", d.circuit_breaker_failures, t) }</span>
                }
            </div>
            if !d.hooks.is_empty() {
                <table class="hooks" data-testid="hooks">
                    <thead><tr><th>{ "Hook" }</th><th>{ "Stages" }</th><th>{ "Status" }</th><th>{ "Runs" }</th></tr></thead>
                    <tbody>
                    { for d.hooks.iter().map(|h| html! {
                        <>
                        <tr data-testid="hook">
                            <td>{ &h.name }<span class="muted">{ if h.target == HookTarget::Pause { " · pause" } else { " · Lambda" } }</span></td>
                            <td class="muted">{ h.stages.iter().map(|s| short(*s)).collect::<Vec<_>>().join(", ") }</td>
                            <td><span class={classes!("badge", h.status.map(|s| s.api_name().to_lowercase()))} data-testid="hook-status">
                                // The API name, with spaces so a narrow column can wrap it.
                                { h.status.map_or("—".into(), |s| s.api_name().replace('_', " ")) }</span></td>
                            <td>{ h.invocations }</td>
                        </tr>
                        // The answer gets a row of its own, so the buttons never push the
                        // table past a narrow panel.
                        if h.awaiting_action {
                            <tr class="hook-answer"><td colspan="4">
                                <button class="primary small" data-testid="hook-continue" onclick={answer(&h.name, TimeoutAction::Continue)}>{ "Continue" }</button>
                                <button class="danger small" data-testid="hook-rollback" onclick={answer(&h.name, TimeoutAction::Rollback)}>{ "Roll back" }</button>
                            </td></tr>
                        }
                        </>
                    }) }
                    </tbody>
                </table>
            }
            if !d.alarms.is_empty() {
                <ul class="alarms">
                    { for d.alarms.iter().map(|a| html! {
                        <li class={classes!(a.in_alarm.then_some("in-alarm"))}>
                            { format!("Alarm {}: {} of {} periods breaching{}", a.name, a.breaching_periods, a.evaluation_periods,
                                if a.in_alarm { " — IN ALARM" } else { "" }) }
                        </li>
                    }) }
                </ul>
            }
            if let Some(reason) = &d.reason {
                <p class="outcome bad" data-testid="deployment-reason">{ reason }</p>
            } else if d.status == DeploymentStatus::Successful {
                <p class="outcome good" data-testid="deployment-reason">
                    { format!("Completed: {} now serves all traffic ({} requests reached the new revision during the rollout).", d.green.revision, d.exposed_requests) }
                </p>
            }
            if active {
                <button class="danger" onclick={stop} data-testid="deployment-stop">{ "Stop and roll back" }</button>
            }
        </section>
    }
}
