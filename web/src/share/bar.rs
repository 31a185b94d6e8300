//! The share bar: the Share button with its confirmation, the bad-link banner, the restore
//! offer, and the effects that read the address at startup, follow back/forward and autosave.

use std::cell::Cell;
use std::rc::Rc;

use fleetsim_core::share::Shared;
use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::link::{self, Link};
use super::{clipboard, session};

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The state now: scenario, command script, time and open panel. Called on Share and
    /// when the session is saved, never on every frame.
    pub state: Callback<(), Shared>,
    /// Open this state (a link at startup, back/forward, a restored session).
    pub on_load: Callback<Shared>,
    /// Back/forward reached an entry without a shared state: show the default scenario.
    #[prop_or_default]
    pub on_default: Callback<()>,
    /// Changes whenever the scenario or the command script changes; the session is saved then.
    pub save_key: u64,
}

#[derive(Clone, PartialEq)]
enum Copy {
    Idle,
    Copied(String),
    /// The Clipboard API was missing or refused: the link is shown to copy by hand.
    Refused {
        url: String,
        why: String,
    },
}

fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let banner = use_state(|| None::<String>);
    let offer = use_state(|| None::<Shared>);
    let copy = use_state(|| Copy::Idle);
    // Autosave starts only once the user changed something, so opening a page (or a bad
    // link) never overwrites the session it offers back; a load is not a user change.
    let baseline = use_mut_ref(|| None::<u64>);
    let dirty = use_mut_ref(|| Rc::new(Cell::new(false)));
    let loading = use_mut_ref(|| false);
    let latest_state = use_mut_ref(|| props.state.clone());
    *latest_state.borrow_mut() = props.state.clone();

    // Startup: open the link in the address, and listen for back/forward.
    {
        let (banner, offer, loading) = (banner.clone(), offer.clone(), loading.clone());
        let (on_load, on_default) = (props.on_load.clone(), props.on_default.clone());
        use_effect_with((), move |_| {
            let opened = match link::parse(&hash()) {
                Link::State(s) => {
                    *loading.borrow_mut() = true;
                    on_load.emit(*s);
                    true
                }
                Link::Bad(why) => {
                    banner.set(Some(why));
                    false
                }
                Link::None => false,
            };
            if !opened {
                offer.set(session::load());
            }
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "popstate", move |_| match link::parse(&hash()) {
                    Link::State(s) => {
                        *loading.borrow_mut() = true;
                        banner.set(None);
                        on_load.emit(*s);
                    }
                    Link::Bad(why) => banner.set(Some(why)),
                    Link::None => on_default.emit(()),
                })
            });
            move || drop(listener)
        });
    }

    // Autosave when the scenario or script changes, and when the page goes away.
    {
        let (baseline, dirty, loading, latest) = (
            baseline.clone(),
            dirty.clone(),
            loading.clone(),
            latest_state.clone(),
        );
        use_effect_with(props.save_key, move |key| {
            let mut base = baseline.borrow_mut();
            match *base {
                None => *base = Some(*key),
                Some(b) if b == *key => {}
                Some(_) if std::mem::take(&mut *loading.borrow_mut()) => *base = Some(*key),
                Some(_) => {
                    *base = Some(*key);
                    dirty.borrow().set(true);
                    session::save(&latest.borrow().emit(()));
                }
            }
        });
    }
    {
        let (dirty, latest) = (dirty.borrow().clone(), latest_state.clone());
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "pagehide", move |_| {
                    if dirty.get() {
                        session::save(&latest.borrow().emit(()));
                    }
                })
            });
            move || drop(listener)
        });
    }

    let on_share = {
        let (state, copy) = (props.state.clone(), copy.clone());
        Callback::from(move |_: MouseEvent| {
            let shared = state.emit(());
            let fragment = link::fragment(&shared);
            let Some(window) = web_sys::window() else {
                return;
            };
            // A new history entry only when the state differs, so Back leaves this state.
            if hash() != fragment {
                if let Ok(h) = window.history() {
                    let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&fragment));
                }
            }
            let url = window.location().href().unwrap_or(fragment);
            let copy = copy.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match clipboard::copy(&url).await {
                    Ok(()) => copy.set(Copy::Copied(url)),
                    Err(why) => copy.set(Copy::Refused { url, why }),
                }
            });
        })
    };

    let banner_html = banner.as_ref().map(|why| {
        let banner = banner.clone();
        html! {
            <div class="share-banner" role="alert" data-testid="link-error">
                <p class="banner-text">
                    <strong>{ "This link could not be opened: " }</strong>
                    // Text from the link is only ever a text node.
                    { why.clone() }
                    { ". You are looking at the default scenario." }
                </p>
                <button type="button" onclick={Callback::from(move |_| banner.set(None))}>{ "Dismiss" }</button>
            </div>
        }
    });

    let offer_html = offer.as_ref().map(|saved| {
        let restore = {
            let (offer, on_load, saved, banner) = (offer.clone(), props.on_load.clone(), saved.clone(), banner.clone());
            Callback::from(move |_| {
                offer.set(None);
                banner.set(None);
                on_load.emit(saved.clone());
            })
        };
        let dismiss = {
            let offer = offer.clone();
            Callback::from(move |_| offer.set(None))
        };
        html! {
            <div class="restore-offer" role="status" data-testid="restore-offer">
                <p class="banner-text">
                    { "Restore your last session: “" }{ saved.scenario.name.clone() }
                    { format!("”, {} command{}, at {}.", saved.script.len(), if saved.script.len() == 1 { "" } else { "s" }, saved.at) }
                </p>
                <button type="button" onclick={restore} data-testid="restore">{ "Restore" }</button>
                <button type="button" onclick={dismiss}>{ "No thanks" }</button>
            </div>
        }
    });

    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    let copy_html = match &*copy {
        Copy::Idle => html! {},
        Copy::Copied(url) => html! {
            <span class="share-status" role="status" data-testid="share-status" data-state="copied">
                { "Link copied to the clipboard " }
                <input class="share-url" readonly=true value={url.clone()} data-testid="share-url"
                       aria-label="share link" onfocus={select_all} />
            </span>
        },
        Copy::Refused { url, why } => html! {
            <span class="share-status refused" role="status" data-testid="share-status" data-state="refused">
                { format!("Could not copy ({why}). Copy this link: ") }
                <input class="share-url" readonly=true value={url.clone()} data-testid="share-url"
                       aria-label="share link" onfocus={select_all} autofocus=true />
            </span>
        },
    };

    html! {
        <div class="share-bar">
            <button type="button" class="share-button" data-testid="share" onclick={on_share}
                    title="Put this moment in the address and copy the link">{ "Share" }</button>
            { copy_html }
            { for banner_html }
            { for offer_html }
        </div>
    }
}
