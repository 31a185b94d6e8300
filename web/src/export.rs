//! Downloads: text (CSV, JSON) and chart canvases (PNG), all built in the page and handed to
//! the browser as a blob: URL, so nothing leaves the machine and no request is made.
//!
//! What the files contain is rendered by the core (`fleetsim_core::export`, tested natively);
//! this module only moves bytes to a download.

use fleetsim_core::export::{events_csv, events_json};
use fleetsim_core::{Event, Sim};
use js_sys::Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};
use yew::prelude::*;

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

/// Offers compact JSON as an indented `.json` download. The browser indents it: the core's
/// own pretty printer would add a second copy of every serializer to the download.
pub fn download_json(name: &str, compact: &str) {
    let text = js_sys::JSON::parse(compact)
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2))
        })
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| compact.to_string());
    download_text(name, "application/json", &text);
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

/// Every chart canvas on the page as PNG, named by its `data-chart` attribute (or position).
pub fn download_charts() -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let Ok(list) = document.query_selector_all("canvas") else {
        return 0;
    };
    let mut n = 0;
    for i in 0..list.length() {
        if let Some(canvas) = list
            .item(i)
            .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
        {
            if canvas.width() == 0 || canvas.height() == 0 {
                continue;
            }
            let label = canvas
                .get_attribute("data-chart")
                .unwrap_or_else(|| format!("chart-{}", i + 1));
            let safe: String = label
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            download_canvas(&format!("fleetsim-{safe}.png"), &canvas);
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
}

impl ExportData {
    /// Renders a run's log (`(position, event)` pairs) and its scenario.
    pub fn of<'a>(sim: &Sim, log: impl Iterator<Item = (u64, &'a Event)> + Clone) -> ExportData {
        ExportData {
            events_csv: events_csv(sim, log.clone()),
            events_json: events_json(sim, log),
            scenario_json: sim.scenario().to_json(),
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
        let status = status.clone();
        Callback::from(move |_| {
            let n = download_charts();
            status.set(if n == 0 {
                "No chart is on screen".into()
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
            <button type="button" data-testid="export-charts" onclick={charts}>{ "Charts PNG" }</button>
            <span class="export-status" role="status">{ (*status).clone() }</span>
        </div>
    }
}
