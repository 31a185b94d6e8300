// The importer's web worker. The page starts it the first time the Import panel opens (web's
// aws/importer.rs): it loads the importer's own wasm module, which trunk builds from importer/
// as wasm-bindgen "no-modules" output, and answers each message, an array of {name, text},
// with what `import_files` returns. The page's first download carries none of this.
importScripts("fleetsim-importer.js");
const ready = wasm_bindgen({ module_or_path: "fleetsim-importer_bg.wasm" });

onmessage = async ({ data }) => {
  try {
    await ready;
    postMessage(wasm_bindgen.import_files(data));
  } catch (err) {
    // A module that could not load, or a trap inside it: the panel shows this as a refusal.
    postMessage({ error: `the importer failed: ${err?.message ?? err}` });
  }
};
