//! One Availability Zone: a column of host cards, with the impairment toggle.

use std::rc::Rc;

use fleetsim_core::Command;
use yew::prelude::*;

use super::HostCard;
use crate::snapshot::AzSnap;
use crate::state::Action;
use crate::theme::Theme;

#[derive(Properties, PartialEq)]
pub struct AzLaneProps {
    pub az: Rc<AzSnap>,
    pub services: Rc<Vec<AttrValue>>,
    pub dense: bool,
    pub selected_host: Option<u32>,
    pub selected_task: Option<u32>,
    pub theme: Theme,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn AzLane(props: &AzLaneProps) -> Html {
    let az = &props.az;
    let class = classes!("az-lane", az.impaired.then_some("impaired"));
    let toggle = {
        let (name, impaired, dispatch) = (az.name.to_string(), az.impaired, props.dispatch.clone());
        Callback::from(move |_| {
            let az = name.clone();
            dispatch.emit(Action::Command(if impaired {
                Command::RecoverAz { az }
            } else {
                Command::ImpairAz { az }
            }))
        })
    };
    html! {
        <section {class} data-testid="az-lane" aria-label={format!("Availability Zone {}", az.name)}>
            <header class="az-header">
                <h2 data-testid="az-name">{ &az.name }</h2>
                if az.impaired {
                    <span class="badge impaired">{ "impaired" }</span>
                }
                <span class="az-count">{ format!("{} hosts · {} tasks", az.hosts.len(), az.tasks) }</span>
                <button class="small" onclick={toggle} data-testid="az-toggle"
                    aria-label={format!("{} {}", if az.impaired { "Recover" } else { "Impair" }, az.name)}>
                    { if az.impaired { "Recover" } else { "Impair" } }
                </button>
            </header>
            <div class="hosts">
                { for az.hosts.iter().map(|h| {
                    let selected = props.selected_host == Some(h.id);
                    let selected_task = props.selected_task.filter(|t| h.tasks.iter().any(|c| c.id == *t));
                    html! {
                        <HostCard key={h.id} host={h.clone()} services={props.services.clone()} dense={props.dense}
                            {selected} {selected_task} theme={props.theme} dispatch={props.dispatch.clone()} />
                    }
                }) }
            </div>
        </section>
    }
}
