//! The cluster view: one lane per Availability Zone, host cards inside, task chips on them.

mod az_lane;
mod chip_image;
mod host_card;
mod moves;

pub use az_lane::AzLane;
pub use host_card::HostCard;
pub use moves::MoveLayer;

use std::rc::Rc;

use yew::prelude::*;

use crate::snapshot::Cluster;
use crate::state::{Action, Selection};
use crate::theme::Theme;

/// Above this many hosts the cards drop their text rows and their tasks are drawn on a
/// canvas, so a 300-host cluster still fits a screen and 20,000 tasks cost no DOM.
pub const DENSE_HOSTS: u32 = 40;
/// Above this many tasks too: a few hosts can hold thousands of tasks.
pub const DENSE_TASKS: u32 = 2_000;

/// Whether the cluster is drawn as compact tiles with canvas chips.
pub fn is_dense(hosts: u32, tasks: u32) -> bool {
    hosts > DENSE_HOSTS || tasks > DENSE_TASKS
}

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub cluster: Rc<Cluster>,
    pub selection: Option<Selection>,
    pub theme: Theme,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let dense = props.cluster.dense;
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
                    {dense} {selected_host} {selected_task} theme={props.theme} dispatch={props.dispatch.clone()} />
            }) }
        </section>
    }
}
