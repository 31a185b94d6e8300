//! One Availability Zone: a column of host cards.

use crate::host_card::HostCard;
use fleetsim_core::view::AzView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AzLaneProps {
    pub az: AzView,
}

#[component]
pub fn AzLane(props: &AzLaneProps) -> Html {
    let az = &props.az;
    let class = classes!("az-lane", az.impaired.then_some("impaired"));
    html! {
        <section {class} data-testid="az-lane" aria-label={az.name.clone()}>
            <header class="az-header">
                <h2 data-testid="az-name">{ &az.name }</h2>
                if az.impaired {
                    <span class="badge impaired">{ "impaired" }</span>
                }
                <span class="az-count">{ format!("{} hosts · {} tasks", az.hosts.len(), az.tasks) }</span>
            </header>
            <div class="hosts">
                { for az.hosts.iter().map(|h| html! { <HostCard key={h.id} host={h.clone()} /> }) }
            </div>
        </section>
    }
}
