//! The importer runs in a module of its own (`importer/`), in a web worker
//! (`static/import-worker.js`) started the first time the Import panel opens: the ECS readers
//! and the YAML parser are about 88 KiB gzipped that the page's first download need not
//! carry. Files go to the worker as names and texts; the scenario comes back as JSON text and
//! is read with the core's own parser, as a scenario file would be.

use std::cell::RefCell;

use fleetsim_core::scenario::Scenario;
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use super::files::Loaded;

/// Trunk copies it beside the page; it loads the importer's module from the same folder.
const WORKER_SCRIPT: &str = "import-worker.js";

/// An import the importer accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: Scenario,
    /// The report: each value used because no file gave it, with why.
    pub choices: Vec<String>,
    /// The report: each field fleetsim does not model, with why.
    pub ignored: Vec<String>,
}

thread_local! {
    /// Kept once started, so later imports do not load the module again.
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Starts the worker unless it runs already, so the module loads while the user picks files.
pub fn start() -> Result<Worker, String> {
    WORKER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some(worker) = &*cell {
            return Ok(worker.clone());
        }
        let worker = Worker::new(WORKER_SCRIPT).map_err(|e| failure(&e))?;
        *cell = Some(worker.clone());
        Ok(worker)
    })
}

/// The scenario `files` make, with the import report, or the importer's refusal.
pub async fn import(files: &[Loaded]) -> Result<Imported, String> {
    let worker = start()?;
    let message: Array = files
        .iter()
        .map(|f| {
            let file = Object::new();
            set(&file, "name", &f.name);
            set(&file, "text", &f.text);
            JsValue::from(file)
        })
        .collect();
    // The panel sends one import at a time, so the worker's next answer is this one's.
    let answer = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    worker.post_message(&message).map_err(|e| failure(&e))?;
    let data = match JsFuture::from(answer).await {
        Ok(event) => event.unchecked_into::<MessageEvent>().data(),
        Err(e) => {
            // The script or its module did not load (offline before the first load): the next
            // import starts a new worker instead of asking this dead one.
            WORKER.with(|cell| cell.borrow_mut().take());
            return Err(failure(&e));
        }
    };
    if let Some(refusal) = text(&data, "error") {
        return Err(refusal);
    }
    let scenario = Scenario::from_json(&text(&data, "scenario").unwrap_or_default())
        .map_err(|e| e.to_string())?;
    Ok(Imported {
        scenario,
        choices: lines(&data, "choices"),
        ignored: lines(&data, "ignored"),
    })
}

fn set(object: &Object, key: &str, value: &str) {
    // Setting a property on a plain object just made cannot fail.
    let _ = Reflect::set(object, &key.into(), &value.into());
}

fn text(data: &JsValue, key: &str) -> Option<String> {
    Reflect::get(data, &key.into()).ok()?.as_string()
}

fn lines(data: &JsValue, key: &str) -> Vec<String> {
    Reflect::get(data, &key.into())
        .ok()
        .map(|v| {
            Array::from(&v)
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A worker's error event or a DOM exception, as a sentence.
fn failure(e: &JsValue) -> String {
    let detail = text(e, "message").filter(|m| !m.is_empty());
    match detail {
        Some(m) => format!("the importer could not be loaded: {m}"),
        None => "the importer could not be loaded; check the network and try again".to_string(),
    }
}
