//! fleetsim-importer: the core's importer (`fleetsim_core::import`) as a wasm module of its
//! own. `static/import-worker.js` loads it in a web worker the first time the Import panel
//! opens, so the ECS readers and the YAML parser (about 88 KiB gzipped) stay out of the page's
//! first download, and a large template is read off the page's thread.
//!
//! The page and the worker share no memory, so what crosses is plain JS data: file names and
//! texts in, and the scenario as JSON text out (the format both sides read with the core's
//! own parser) beside the report's lines.

use fleetsim_core::import::{import, Input};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// Imports `files`, an array of `{name, text}`. Answers `{scenario, choices, ignored}` (the
/// scenario as JSON text, the report's lines as arrays of strings) or `{error}`: the import's
/// own message, naming the file and JSON path.
#[wasm_bindgen]
pub fn import_files(files: Array) -> Object {
    let read: Vec<(String, String)> = files
        .iter()
        .map(|f| (text_of(&f, "name"), text_of(&f, "text")))
        .collect();
    let inputs: Vec<Input<'_>> = read
        .iter()
        .map(|(name, text)| Input { name, text })
        .collect();
    let answer = Object::new();
    match import(&inputs) {
        Ok(imported) => {
            set(&answer, "scenario", &imported.scenario.to_json().into());
            set(&answer, "choices", &lines(&imported.report.choices));
            set(&answer, "ignored", &lines(&imported.report.ignored));
        }
        Err(e) => set(&answer, "error", &e.to_string().into()),
    }
    answer
}

/// A string field of a file the page sent (it always sends both).
fn text_of(value: &JsValue, key: &str) -> String {
    Reflect::get(value, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn lines(texts: &[String]) -> JsValue {
    texts
        .iter()
        .map(|t| JsValue::from_str(t))
        .collect::<Array>()
        .into()
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object this function just made cannot fail.
    let _ = Reflect::set(object, &key.into(), value);
}
