//! The cluster view: one lane per Availability Zone, host cards inside, task chips on them.

mod az_lane;
mod host_card;
mod moves;

pub use az_lane::AzLane;
pub use host_card::HostCard;
pub use moves::MoveLayer;

use std::rc::Rc;

use yew::prelude::*;

use crate::snapshot::Cluster;
use crate::state::{Action, Selection};

/// Above this many hosts the cards drop their text rows and chips shrink, so a 300-host
/// cluster still fits a screen (and costs less to lay out).
pub const DENSE_HOSTS: u32 = 40;

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub cluster: Rc<Cluster>,
    pub selection: Option<Selection>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let dense = props.cluster.hosts > DENSE_HOSTS;
    let selected_host = match props.selection {
        Some(Selection::Host(h)) => Some(h),
        _ => None,
    };
    let selected_task = match props.selection {
        Some(Selection::Task(t)) => Some(t),
        _ => None,
    };
    html! {
        <section class={classes!("lanes", dense.then_some("dense"))} aria-label="Availability Zones">
            { for props.cluster.azs.iter().map(|az| html! {
                <AzLane key={az.name.as_str()} az={az.clone()} services={props.cluster.services.clone()}
                    {dense} {selected_host} {selected_task} dispatch={props.dispatch.clone()} />
            }) }
        </section>
    }
}
