//! Copying a link. The Clipboard API can be missing (insecure origin), refused (permissions)
//! or throw; every one of those ends in `Err`, and the bar then shows the link in a text box
//! to copy by hand. Nothing here panics on a hostile or old browser.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let navigator: JsValue = window.navigator().into();
    let clipboard =
        Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| "no clipboard")?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err("this page has no clipboard access".into());
    }
    let write = Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("the clipboard cannot take text")?;
    let promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .map_err(|_| "the clipboard refused the link")?
        .dyn_into::<Promise>()
        .map_err(|_| "the clipboard refused the link")?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused clipboard access".into())
}
