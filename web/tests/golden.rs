//! Determinism across platforms: the event-log digest of the golden run, computed here in
//! Chromium's WebAssembly engine, equals the value the native test suite checks
//! (`tests/tests/determinism.rs` against the same file).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_digest_in_the_browser_equals_native() {
    let want = include_str!("../../tests/golden/default_cluster_6h.digest").trim();
    let got = fleetsim_core::golden::golden_run().expect("the default cluster is valid");
    assert_eq!(format!("{got:016x}"), want);
}
