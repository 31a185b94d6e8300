//! The app mounts in a real browser and draws exactly what the core's view holds.
//! Runs in headless Chromium: `cargo test -p fleetsim-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Yew renders on its scheduler, after the current task; poll for the condition
/// (bounded) rather than sleeping a fixed time.
async fn wait_for(root: &Element, selector: &str) -> u32 {
    for _ in 0..200 {
        let found = root
            .query_selector_all(selector)
            .expect("valid selector")
            .length();
        if found > 0 {
            return found;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("`{selector}` never appeared");
}

#[wasm_bindgen_test]
async fn app_draws_one_lane_per_az_and_every_host() {
    let view = fleetsim_web::opening_view().expect("default scenario is valid");
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();

    let app = yew::Renderer::<fleetsim_web::App>::with_root(root.clone()).render();

    let hosts = wait_for(&root, "[data-testid=host]").await;
    let lanes = root
        .query_selector_all("[data-testid=az-lane]")
        .unwrap()
        .length();
    assert_eq!(lanes as usize, view.azs.len());
    assert_eq!(hosts, view.totals.hosts);
    let clock = root.query_selector("[data-testid=clock]").unwrap().unwrap();
    assert_eq!(clock.text_content().unwrap_or_default(), view.clock);

    app.destroy();
}
