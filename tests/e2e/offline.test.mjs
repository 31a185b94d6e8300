// Workshop Wi-Fi drops: after one load the page reloads, opens links, plays and imports ECS
// files offline, and a new build replaces the cached one only when the user accepts
// "updated, reload".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { ready } from "./lib/page.mjs";
import { decode, presets } from "./lib/cli.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { realEcsText } from "./lib/real-ecs.mjs";

let root = DIST;
let server;
let browser;
let builds;

before(async () => {
  await access(join(DIST, "index.html"));
  builds = await mkdtemp(join(tmpdir(), "fleetsim-builds-"));
  server = await serveDir(() => root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await rm(builds, { recursive: true, force: true });
});

/** Waits until a service worker controls the page. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

async function plays(page) {
  const before = await page.evaluate(() => window.fleetsim.state().nowMs);
  await page.evaluate(() => window.fleetsim.play());
  await page.waitForFunction((t) => window.fleetsim.state().nowMs > t, before, { timeout: 20_000 });
  await page.evaluate(() => window.fleetsim.pause());
}

test("after one load: reload, a preset link and play all work with the network off", async () => {
  const [lesson] = await presets();
  const { scenario } = await decode(lesson.share);
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await controlled(page);
  const manifest = await page.evaluate(async () => (await fetch("manifest.webmanifest")).json());
  assert.equal(manifest.short_name, "fleetsim");
  assert.ok(manifest.icons.some((i) => i.sizes === "512x512"), "an installable icon size");

  await browser.context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    assert.ok((await page.locator('[data-testid="host"]').count()) > 0, "hosts drawn offline");
    await plays(page);

    const linked = await browser.context.newPage();
    await linked.goto(`${server.url}#s=${lesson.share}`);
    await ready(linked);
    await linked.waitForFunction(
      (name) => document.querySelector('[data-testid="scenario"]')?.textContent.includes(name),
      scenario.name,
      { timeout: 30_000 },
    );
    await plays(linked);
    await linked.screenshot({ path: join(ARTIFACTS, "offline-preset.png") });
    await linked.close();
  } finally {
    await browser.context.setOffline(false);
  }
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await page.close();
});

test("after one load, Import from AWS works with the network off", async () => {
  // The importer is a module of its own, fetched when its panel opens: the worker must have
  // kept it at install, although this page never opened the panel while online.
  const text = await realEcsText("24-cfn-managed-instances-two-services.json");
  const services = Object.values(JSON.parse(text).Resources).filter((r) => r.Type === "AWS::ECS::Service");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await controlled(page);

  await browser.context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-text"]', text);
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-report"]', { timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="import-service"]').count(), services.length);
    await page.screenshot({ path: join(ARTIFACTS, "offline-import.png") });
  } finally {
    await browser.context.setOffline(false);
  }
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await page.close();
});

test("a new build waits until the user accepts 'updated, reload', then replaces the cache", async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await ready(page);
  await controlled(page);
  const oldCaches = await page.evaluate(() => caches.keys());

  // The "new build": the same files under a new content hash, as a rebuild would name them.
  const next = join(builds, "next");
  await cp(DIST, next, { recursive: true });
  // The page's own module (the importer's carries no hash).
  const wasm = (await readdir(next)).find((f) => /-[0-9a-f]+_bg\.wasm$/.test(f));
  const renamed = wasm.replace(/-([0-9a-f]+)_bg\.wasm$/, "-0123456789abcdef_bg.wasm");
  await rename(join(next, wasm), join(next, renamed));
  const html = await readFile(join(next, "index.html"), "utf8");
  await writeFile(join(next, "index.html"), html.replaceAll(wasm, renamed));
  root = next;
  try {
    await page.reload();
    await ready(page);
    const offer = page.locator('[data-testid="update-offer"]');
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await offer.textContent(), /updated/);
    await page.screenshot({ path: join(ARTIFACTS, "update-offer.png") });
    await Promise.all([page.waitForEvent("load"), offer.locator("button").click()]);
    await ready(page);
    await page.waitForFunction(
      () => navigator.serviceWorker.controller?.scriptURL.includes("v=0123456789abcdef"),
      null,
      { timeout: 30_000 },
    );
    const caches = await page.evaluate(() => caches.keys());
    assert.deepEqual(caches, ["fleetsim-0123456789abcdef"], `old caches ${oldCaches} are gone`);
  } finally {
    root = DIST;
  }
  await page.close();
});
