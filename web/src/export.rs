//! Downloads: text (CSV, JSON) and chart canvases (PNG), all built in the page and handed to
//! the browser as a blob: URL, so nothing leaves the machine and no request is made.
//!
//! What the files contain is rendered by the core (`fleetsim_core::export`, tested natively);
//! this module only moves bytes to a download.

use fleetsim_core::export::{events_csv, events_json};
use js_sys::Array;
use plotters::prelude::{IntoDrawingArea, IntoFont};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};
use yew::prelude::*;

use crate::charts::{draw, ChartKind, Palette};
use crate::engine::Engine;
use crate::snapshot::ChartData;

fn download_blob(name: &str, blob: &Blob) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(a) = document
        .create_element("a")
        .map(|e| e.unchecked_into::<HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = Url::revoke_object_url(&url);
}

/// Offers `text` as a file download.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    let parts = Array::of1(&JsValue::from_str(text));
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &bag) {
        download_blob(name, &blob);
    }
}

/// Compact JSON indented by the browser: the core's own pretty printer would add a second
/// copy of every serializer to the download.
pub fn pretty_json(compact: &str) -> String {
    js_sys::JSON::parse(compact)
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2))
        })
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| compact.to_string())
}

/// Offers compact JSON as an indented `.json` download.
pub fn download_json(name: &str, compact: &str) {
    download_text(name, "application/json", &pretty_json(compact));
}

/// Offers a canvas as a PNG download (`toBlob`, which does not hold the image in a string).
pub fn download_canvas(name: &str, canvas: &HtmlCanvasElement) {
    let name = name.to_string();
    let done = Closure::once_into_js(move |blob: JsValue| {
        if let Some(blob) = blob.dyn_ref::<Blob>() {
            download_blob(&name, blob);
        }
    });
    let _ = canvas.to_blob(done.unchecked_ref());
}

/// Size of an exported chart in CSS pixels; drawn at twice that for print and slides.
const EXPORT_SIZE: (u32, u32) = (960, 540);
const EXPORT_SCALE: f64 = 2.0;

/// Every chart, not just the tab on screen, drawn off-screen on white (the light palette:
/// exports end up in documents and slides) and offered as one PNG each.
pub fn download_charts(data: &ChartData) -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let mut n = 0;
    for kind in ChartKind::ALL {
        let Some(canvas) = document
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        canvas.set_width((f64::from(EXPORT_SIZE.0) * EXPORT_SCALE) as u32);
        canvas.set_height((f64::from(EXPORT_SIZE.1) * EXPORT_SCALE) as u32);
        let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
            continue;
        };
        let area = backend.into_drawing_area();
        // Out of the page a chart needs its own title (in the page the tab names it).
        let pal = Palette::LIGHT;
        let _ = area.fill(&pal.bg);
        let font = ("sans-serif", 18.0 * EXPORT_SCALE)
            .into_font()
            .color(&pal.fg);
        let Ok(body) = area.titled(kind.title(), font) else {
            continue;
        };
        if draw(&body, kind, data, &pal, EXPORT_SCALE).is_ok() && area.present().is_ok() {
            download_canvas(&format!("fleetsim-{}.png", kind.id()), &canvas);
            n += 1;
        }
    }
    n
}

/// What the export menu needs from the app, read only when a button is pressed.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportData {
    pub events_csv: String,
    pub events_json: String,
    pub scenario_json: String,
    pub charts: ChartData,
}

impl ExportData {
    /// Renders a run's log (`(position, event)` pairs) and its scenario.
    pub fn of(engine: &Engine) -> ExportData {
        let (sim, log) = (engine.sim(), engine.log().iter().map(|l| (l.seq, &l.event)));
        ExportData {
            events_csv: events_csv(sim, log.clone()),
            events_json: events_json(sim, log),
            scenario_json: sim.scenario().to_json(),
            charts: ChartData::build(engine),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportMenuProps {
    /// Renders the exports from the current run (called on click, never per frame).
    pub data: Callback<(), ExportData>,
}

#[component]
pub fn ExportMenu(props: &ExportMenuProps) -> Html {
    let status = use_state(String::new);
    let button = |label: &'static str, id: &'static str, f: fn(&ExportData)| {
        let (data, status) = (props.data.clone(), status.clone());
        let onclick = Callback::from(move |_| {
            f(&data.emit(()));
            status.set(format!("{label}: downloaded"));
        });
        html! { <button type="button" data-testid={id} {onclick}>{ label }</button> }
    };
    let charts = {
        let (data, status) = (props.data.clone(), status.clone());
        Callback::from(move |_| {
            let n = download_charts(&data.emit(()).charts);
            status.set(if n == 0 {
                "The charts could not be drawn".into()
            } else {
                format!("{n} chart PNG{}: downloaded", if n == 1 { "" } else { "s" })
            });
        })
    };
    html! {
        <div class="export-menu" role="group" aria-label="exports">
            { button("Event log CSV", "export-events-csv", |d| download_text("fleetsim-events.csv", "text/csv", &d.events_csv)) }
            { button("Event log JSON", "export-events-json", |d| download_json("fleetsim-events.json", &d.events_json)) }
            { button("Scenario JSON", "export-scenario", |d| download_json("fleetsim-scenario.json", &d.scenario_json)) }
            <button type="button" data-testid="export-charts" onclick={charts}>{ "Charts PNG (all four)" }</button>
            <span class="export-status" role="status">{ (*status).clone() }</span>
        </div>
    }
}
