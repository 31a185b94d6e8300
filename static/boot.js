// Starts the wasm app. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy forbids; Trunk.toml's pattern_script emits this external module
// instead, with the content-hashed file names in data attributes.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

// Offline use (sw.js). The worker's URL carries this build's wasm hash, so a new build is a
// new worker; when one is waiting, the page says so and reloads into it on request.
if ("serviceWorker" in navigator) {
  const build = tag.dataset.wasm.match(/-([0-9a-f]+)_bg\.wasm$/)?.[1] ?? "unversioned";
  let accepted = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
  const offer = (worker) => {
    if (document.querySelector(".update-offer")) return;
    const bar = document.createElement("div");
    bar.className = "update-offer";
    bar.setAttribute("role", "status");
    bar.dataset.testid = "update-offer";
    bar.textContent = "fleetsim was updated. ";
    const button = document.createElement("button");
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      accepted = true;
      worker.postMessage("skipWaiting");
    });
    bar.append(button);
    document.body.append(bar);
  };
  try {
    const reg = await navigator.serviceWorker.register(`sw.js?v=${build}`);
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const worker = reg.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
  } catch (err) {
    // Without the worker the app still runs; it just needs the network to reload.
    console.info("fleetsim: offline use unavailable:", err?.message ?? err);
  }
}
