//! The event log: every automatic action as a plain sentence with its reason, newest first,
//! filtered by kind and service. Clicking an entry selects its host or task and moves the
//! timeline to it. Sentences are made only for the rows on screen.

use std::rc::Rc;

use fleetsim_core::event::Category;
use fleetsim_core::world::ServiceId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::charts::canvas::time_only;
use crate::state::{Action, Filter, Selection, SharedRef};

/// Rows drawn at once; the rest are a scroll of the timeline away.
const ROWS: usize = 150;

const CATEGORIES: [(Category, &str); 5] = [
    (Category::Host, "Hosts"),
    (Category::Task, "Tasks"),
    (Category::Service, "Services"),
    (Category::Deployment, "Deployments"),
    (Category::Command, "Commands"),
];

fn category_class(c: Category) -> &'static str {
    match c {
        Category::Host => "cat-host",
        Category::Task => "cat-task",
        Category::Service => "cat-service",
        Category::Deployment => "cat-deployment",
        Category::Command => "cat-command",
    }
}

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub shared: SharedRef,
    /// Changes when the engine has news worth redrawing for.
    pub generation: u64,
    pub filter: Filter,
    pub services: Rc<Vec<AttrValue>>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let engine = props.shared.0.engine.borrow();
    let sim = engine.sim();
    let f = &props.filter;
    let rows: Vec<Html> = engine
        .log()
        .iter()
        .rev()
        .filter(|e| f.routine || !e.event.kind.is_routine())
        .filter(|e| f.category.is_none_or(|c| e.event.kind.category() == c))
        .filter(|e| {
            f.service
                .is_none_or(|s| e.event.kind.service() == Some(ServiceId(s)))
        })
        .take(ROWS)
        .map(|e| {
            let kind = &e.event.kind;
            let selection = kind
                .task()
                .map(|t| Selection::Task(t.0))
                .or_else(|| kind.host().map(|h| Selection::Host(h.0)));
            let at = e.event.at;
            let onclick = {
                let d = props.dispatch.clone();
                Callback::from(move |_| d.emit(Action::GoToEvent { at, selection }))
            };
            html! {
                <li key={e.seq} class={category_class(kind.category())} data-kind={kind.name()}>
                    <button class="event" {onclick} data-testid="event">
                        <time>{ time_only(at) }</time>
                        <span class="sentence">{ sim.describe(&e.event) }</span>
                    </button>
                </li>
            }
        })
        .collect();
    drop(engine);
    let set = |g: Box<dyn Fn(&mut Filter)>| {
        let (d, f) = (props.dispatch.clone(), props.filter.clone());
        Callback::from(move |_: MouseEvent| {
            let mut f = f.clone();
            g(&mut f);
            d.emit(Action::SetFilter(f))
        })
    };
    let on_service = {
        let (d, f) = (props.dispatch.clone(), props.filter.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::SetFilter(Filter {
                service: v.parse().ok(),
                ..f.clone()
            }))
        })
    };
    html! {
        <section class="panel log" aria-label="Event log">
            <h3>{ "What happened, and why" }</h3>
            <div class="filters" role="toolbar" aria-label="Filter events">
                <button class={classes!("chip-button", f.category.is_none().then_some("on"))}
                    aria-pressed={f.category.is_none().to_string()} onclick={set(Box::new(|f| f.category = None))}>{ "All" }</button>
                { for CATEGORIES.iter().map(|(c, label)| {
                    let c = *c;
                    let on = f.category == Some(c);
                    html! { <button class={classes!("chip-button", category_class(c), on.then_some("on"))} aria-pressed={on.to_string()}
                        data-testid={format!("filter-{}", label.to_lowercase())}
                        onclick={set(Box::new(move |f| f.category = Some(c)))}>{ *label }</button> }
                }) }
                <select onchange={on_service} aria-label="Filter by service" data-testid="filter-service">
                    <option value="" selected={f.service.is_none()}>{ "every service" }</option>
                    { for props.services.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={f.service == Some(i as u32)}>{ s.clone() }</option>
                    }) }
                </select>
                <label class="check">
                    <input type="checkbox" checked={f.routine} onclick={set(Box::new(|f| f.routine = !f.routine))} />
                    { "task steps" }
                </label>
            </div>
            <ol class="events" data-testid="event-log" aria-live="off">{ for rows }</ol>
        </section>
    }
}
