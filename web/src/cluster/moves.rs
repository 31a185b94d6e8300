//! Replacements seen as movement: when a task is replaced by one on another host (start before
//! stop off a draining host, AZ rebalancing), a copy of the chip flies from the old task to
//! the new one while the new chip waits to appear. The flight is a Web Animations transform on
//! an element outside Yew's tree, so it never delays a render or blocks input, and it is
//! skipped when animations are off or the viewer prefers reduced motion.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};
use yew::prelude::*;

use crate::engine::Move;

/// Flights started per frame at most: a patch wave at top speed replaces hundreds of tasks,
/// and a sky full of chips would tell the viewer less than a few and cost frames.
const FLIGHTS_PER_FRAME: usize = 12;
const FLIGHT_MS: f64 = 700.0;

#[derive(Properties, PartialEq)]
pub struct MoveLayerProps {
    pub moves: Rc<Vec<Move>>,
    /// Bumped whenever `moves` holds new replacements.
    pub generation: u64,
    pub enabled: bool,
}

#[component]
pub fn MoveLayer(props: &MoveLayerProps) -> Html {
    let moves = props.moves.clone();
    let enabled = props.enabled;
    // Runs after the render that put the new chips in the DOM.
    use_effect_with(props.generation, move |_| {
        if enabled && !reduced_motion() {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                for m in moves.iter().rev().take(FLIGHTS_PER_FRAME) {
                    fly(&doc, *m);
                }
            }
        }
    });
    Html::default()
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|q| q.matches())
}

fn chip(doc: &Document, task: u32) -> Option<Element> {
    doc.query_selector(&format!("[data-task-id=\"{task}\"]"))
        .ok()
        .flatten()
}

fn fly(doc: &Document, m: Move) -> Option<()> {
    let (from, to) = (chip(doc, m.from)?, chip(doc, m.to)?);
    let (a, b) = (
        from.get_bounding_client_rect(),
        to.get_bounding_client_rect(),
    );
    // Layout size, not the box on screen: the new chip may still be scaling in.
    let size = to.dyn_ref::<HtmlElement>()?;
    let (w, h) = (
        f64::from(size.offset_width()),
        f64::from(size.offset_height()),
    );
    if a.width() == 0.0 || w == 0.0 {
        return None; // not laid out (a collapsed panel, a hidden tab)
    }
    let centre = |r: &web_sys::DomRect| (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    let ((ax, ay), (bx, by)) = (centre(&a), centre(&b));
    let ghost = doc.create_element("div").ok()?;
    ghost.set_class_name("move-ghost");
    ghost
        .set_attribute(
            "style",
            &format!(
                "left:{}px;top:{}px;width:{w}px;height:{h}px",
                ax - w / 2.0,
                ay - h / 2.0,
            ),
        )
        .ok()?;
    ghost.set_attribute("aria-hidden", "true").ok()?;
    // The old chip's look (service colour, revision shape, running): the task is what moves.
    // A shallow clone carries no id-bearing children and no Yew handlers.
    let copy = from.clone_node().ok()?.dyn_into::<Element>().ok()?;
    copy.remove_attribute("data-task-id").ok()?;
    copy.remove_attribute("data-testid").ok()?;
    ghost.append_child(&copy).ok()?;
    doc.body()?.append_child(&ghost).ok()?;
    let path = keyframes(&format!(
        r#"[{{"transform":"translate(0px,0px) scale(1.6)","easing":"ease-in-out"}},{{"transform":"translate({}px,{}px) scale(1)"}}]"#,
        bx - ax,
        by - ay
    ))?;
    let flight = animate(&ghost, &path)?;
    // The new chip appears as the copy lands.
    let wait = keyframes(r#"[{"opacity":0},{"opacity":0,"offset":0.95},{"opacity":1}]"#)?;
    animate(&to, &wait)?;
    let done = Closure::once_into_js(move || ghost.remove());
    js_sys::Reflect::set(&flight, &JsValue::from_str("onfinish"), &done).ok()?;
    Some(())
}

/// `element.animate(keyframes, FLIGHT_MS)`, called by name: web-sys marks `animate` unstable.
fn animate(el: &Element, frames: &js_sys::Object) -> Option<JsValue> {
    let f = js_sys::Reflect::get(el, &JsValue::from_str("animate"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.call2(el, frames, &JsValue::from_f64(FLIGHT_MS)).ok()
}

fn keyframes(json: &str) -> Option<js_sys::Object> {
    js_sys::JSON::parse(json)
        .ok()?
        .dyn_into::<js_sys::Object>()
        .ok()
}
