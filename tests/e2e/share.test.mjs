// Shareable links: every preset opens by URL, a shared moment reopens identically in a fresh
// browser, back/forward moves between shared states, bad links explain themselves, and the
// last session is offered back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { presets, decode, nativeEvents } from "./lib/cli.mjs";
import { ready, moment } from "./lib/page.mjs";

// A realistic deployed origin: longer than 127.0.0.1, so the length check is not flattered.
const PUBLIC_ORIGIN = "https://fleetsim.example.org/";
const LIMIT = 2000;
// The log hides routine task-state steps unless asked (kinds the core calls routine).
const ROUTINE = new Set(["task_state", "task_healthy"]);

let server;
let browser;
let allPresets;

before(async () => {
  await access(join(DIST, "index.html")).catch(() => {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
  });
  server = await serveDir(DIST);
  browser = await launch();
  allPresets = await presets();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("every preset link fits in 2,000 characters", () => {
  assert.ok(allPresets.length >= 10, `${allPresets.length} presets`);
  for (const p of allPresets) {
    const url = `${PUBLIC_ORIGIN}#s=${p.share}`;
    assert.ok(url.length <= LIMIT, `${p.id}: ${url.length} characters`);
  }
});

test("each preset opens by URL with its title and the first events a native run has", async () => {
  for (const p of allPresets) {
    const { scenario } = await decode(p.share);
    // The title names the lesson the scenario is (the number is the preset's place in the list).
    assert.ok(p.title.length > scenario.name.length / 2, p.id);
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${server.url}#s=${p.share}`);
    await ready(page);
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid="scenario"]')?.textContent.includes(name),
      scenario.name,
      { timeout: 30_000 },
    );
    const m = await moment(page);
    assert.match(m.clock, /00:00/, `${p.id} opens at its start: ${m.clock}`);

    const native = (await nativeEvents(p.share, "0s")).filter((e) => !ROUTINE.has(e.kind));
    assert.ok(native.length > 0, `${p.id}: the lesson starts with events`);
    // The page lists the newest first and keeps a window of them.
    const expected = native.map((e) => e.reason).reverse().slice(0, m.log.length);
    assert.ok(m.log.length > 0, `${p.id}: the log shows the first events`);
    assert.deepEqual(m.log, expected, `${p.id}: the page's first events are the native run's`);
    assert.equal(await page.locator('[role="alert"]').count(), 0, `${p.id}: no banner`);
    // The world menu names what is open, not the built-in world it replaced.
    const menu = await page.$eval('[data-testid="world"]', (s) => s.selectedOptions[0]?.textContent);
    assert.equal(menu, `Opened: ${scenario.name}`, `${p.id}: world menu`);
    assert.ok(page.url().includes("#s="), `${p.id}: the link stays in the address bar`);
    if (p.id === allPresets[0].id) {
      await page.screenshot({ path: join(ARTIFACTS, "preset-by-url.png") });
    }
    assert.deepEqual(problems, [], `${p.id}: no console problems`);
    await page.close();
  }
});

test("share, then open the copied link in a fresh browser: same clock, hosts and log", async () => {
  const page = await browser.context.newPage();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector('[data-testid="host"]');
  // Make the moment specific: a recorded command, then time moved on past it.
  const r = await page.evaluate(() => {
    window.fleetsim.seek(25 * 60_000);
    return window.fleetsim.command({ type: "setDesiredCount", service: "web", count: 14 });
  });
  assert.equal(r.ok, true, JSON.stringify(r));
  await page.evaluate(() => window.fleetsim.seek(95 * 60_000));
  await page.waitForFunction(() => document.querySelector('[data-testid="clock"]').textContent.includes("01:35"));
  const before = await moment(page);

  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-status"][data-state="copied"]');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.inputValue('[data-testid="share-url"]'), "the box shows what was copied");
  assert.match(copied, /#s=f1\.[A-Za-z0-9_-]+$/);
  assert.equal(await page.evaluate(() => location.href), copied, "the address holds the state");
  await page.screenshot({ path: join(ARTIFACTS, "share-copied.png") });

  const other = await launch();
  try {
    const fresh = await other.context.newPage();
    const freshProblems = collectProblems(fresh);
    await fresh.goto(copied);
    await ready(fresh);
    await fresh.waitForFunction(
      (clock) => document.querySelector('[data-testid="clock"]').textContent.trim() === clock,
      before.clock,
      { timeout: 30_000 },
    );
    const after = await moment(fresh);
    assert.deepEqual(after, before);
    assert.ok(after.hosts.length > 0 && after.log.length > 0);
    await fresh.screenshot({ path: join(ARTIFACTS, "share-reopened.png") });
    assert.deepEqual(freshProblems, []);
  } finally {
    await other.close();
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("back and forward move between shared states", async () => {
  const page = await browser.context.newPage();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  const clockIs = (c) =>
    page.waitForFunction((c) => document.querySelector('[data-testid="clock"]').textContent.trim() === c, c);

  await page.evaluate(() => window.fleetsim.seek(30 * 60_000));
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-status"]');
  const first = (await moment(page)).clock;
  await page.evaluate(() => window.fleetsim.seek(3 * 3600_000));
  await page.click('[data-testid="share"]');
  await page.waitForFunction((f) => location.hash.length > 10 && !document.querySelector('[data-testid="clock"]').textContent.includes(f), first);
  const second = (await moment(page)).clock;
  assert.notEqual(first, second);

  await page.goBack();
  await clockIs(first);
  await page.goForward();
  await clockIs(second);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a refused clipboard shows the link in a box to copy by hand", async () => {
  const context = (await launch()).context;
  try {
    await context.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", {
        value: { writeText: () => Promise.reject(new DOMException("denied", "NotAllowedError")) },
      });
    });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    await ready(page);
    await page.click('[data-testid="share"]');
    await page.waitForSelector('[data-testid="share-status"][data-state="refused"]');
    const shown = await page.inputValue('[data-testid="share-url"]');
    assert.equal(shown, await page.evaluate(() => location.href));
    assert.match(await page.textContent('[data-testid="share-status"]'), /copy this link/i);
    await page.screenshot({ path: join(ARTIFACTS, "share-refused.png") });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("bad links show a banner naming the problem, the default scenario, and no console error", async () => {
  const good = allPresets[0].share;
  const cases = [
    ["#s=garbage", /not a fleetsim link/],
    ["#s=f3.AAAA", /newer fleetsim \(format 3\)/],
    [`#s=${good.slice(0, 3 + Math.floor((good.length - 3) / 8) * 4)}`, /truncated or damaged/],
    ["#s=f1.***", /damaged/],
    ["#p=no-such-lesson", /no preset called "no-such-lesson"/],
  ];
  for (const [hash, reason] of cases) {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url + hash);
    await ready(page);
    const banner = page.locator('[role="alert"][data-testid="link-error"]');
    await banner.waitFor();
    assert.match(await banner.textContent(), reason, hash);
    // The default scenario is running underneath.
    await page.waitForSelector('[data-testid="host"]');
    assert.match(await page.textContent('[data-testid="scenario"]'), /Default cluster/);
    if (hash === "#s=garbage") await page.screenshot({ path: join(ARTIFACTS, "bad-link.png") });
    assert.deepEqual(problems, [], hash);
    await page.close();
  }
});

test("after a bad link, the last session is offered back and restores", async () => {
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    await ready(page);
    // A change worth keeping: a recorded command.
    const r = await page.evaluate(() => window.fleetsim.command({ type: "setDesiredCount", service: "api", count: 2 }));
    assert.equal(r.ok, true);
    await page.evaluate(() => window.fleetsim.seek(40 * 60_000));
    // Autosave happens at the slow-view rate; wait for the entry rather than sleeping.
    await page.waitForFunction(() => localStorage.getItem("fleetsim.session.v1")?.startsWith("f1."));
    const saved = await moment(page);
    await page.close();

    const again = await context.newPage();
    collectProblems(again);
    await again.goto(server.url + "#s=f1.broken");
    await ready(again);
    await again.waitForSelector('[data-testid="link-error"]');
    const offer = again.locator('[data-testid="restore-offer"]');
    await offer.waitFor();
    assert.match(await offer.textContent(), /1 command/);
    await again.screenshot({ path: join(ARTIFACTS, "restore-offer.png") });
    await again.click('[data-testid="restore"]');
    await again.waitForFunction(() => !document.querySelector('[data-testid="restore-offer"]'));
    assert.equal(await again.locator('[data-testid="link-error"]').count(), 0, "restoring clears the banner");
    await again.waitForFunction(
      (clock) => document.querySelector('[data-testid="clock"]').textContent.trim() === clock,
      saved.clock,
    );
    // What was restored, read back through the native decoder: the command and the moment.
    await again.click('[data-testid="share"]');
    await again.waitForSelector('[data-testid="share-url"]');
    const url = await again.inputValue('[data-testid="share-url"]');
    const state = await decode(url.split("#s=")[1]);
    assert.equal(state.script.length, 1);
    assert.deepEqual(
      { type: state.script[0].type, service: state.script[0].service, count: state.script[0].count },
      { type: "setDesiredCount", service: "api", count: 2 },
    );
    assert.equal(state.at, 40 * 60_000);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
