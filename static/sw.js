// Offline after the first load: workshop Wi-Fi drops. The worker keeps one cache per build
// (boot.js registers `sw.js?v=<the wasm's content hash>`, so every build is a new worker and a
// new cache, never a mix of old and new files).
//
// - Navigations go to the network first and fall back to the cached page when it fails, so
//   `trunk serve` and a fresh deploy are always seen while online.
// - The importer's files (IMPORTER) go to the network first too: trunk names a worker's files
//   without a content hash, so a new build may change them while the page's files, and with
//   them this worker's version, stay the same.
// - Every other file is content-hashed (or fixed, like the icons), so the cache answers first.
const VERSION = new URL(self.location.href).searchParams.get("v") ?? "unversioned";
const CACHE = `fleetsim-${VERSION}`;
// Not named in index.html's tags (trunk's copy-file links are dropped from the output).
const FIXED = ["manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png"];
// Loaded only when the Import panel opens (web's aws/importer.rs), so not named in index.html
// either, and kept at install so import works offline.
const IMPORTER = ["import-worker.js", "fleetsim-importer.js", "fleetsim-importer_bg.wasm"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = await fetch("./", { cache: "no-store" });
      if (!page.ok) throw new Error(`index.html: HTTP ${page.status}`);
      const html = await page.clone().text();
      // The page's own files: the boot module, the hashed .js, .wasm and .css.
      const named = [...html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)]
        .map((m) => m[1])
        .filter((u) => !u.startsWith("data:") && !/^[a-z]+:\/\//.test(u));
      await cache.put("./", page);
      await cache.addAll([...new Set([...named, ...FIXED])]);
      await cache.addAll(IMPORTER.map((u) => new Request(u, { cache: "no-cache" })));
      // The first worker takes over at once; a later one waits until the page offers the
      // update ("updated, reload") and the user accepts.
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skipWaiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("fleetsim-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match("./", { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  if (IMPORTER.includes(url.pathname.split("/").pop())) {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request, { cache: "no-cache" });
          if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
          return response;
        } catch {
          return (await caches.match(request, { cacheName: CACHE })) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)),
  );
});
