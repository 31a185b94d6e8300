// Long replays never freeze the tab: a link with many commands opens in slices across frames
// with a progress bar, the page answers clicks meanwhile, Cancel puts the previous world back,
// and the timeline seeks back the same way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { ready } from "./lib/page.mjs";
import { longLink } from "./lib/link.mjs";

const DAY = 86_400_000;

let server;
let browser;

before(async () => {
  await access(join(DIST, "index.html"));
  server = await serveDir(DIST);
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const progress = '[data-testid="replay-progress"]';

test("a link with 1,500 commands replays in slices: clicks are answered and Cancel goes back", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  const before = await page.evaluate(() => window.fleetsim.state());

  const share = longLink({ commands: 1_500, atMs: 20 * DAY });
  await page.evaluate((s) => (location.hash = `#s=${s}`), share);
  await page.waitForSelector(progress, { timeout: 30_000 });
  const text = await page.textContent(progress);
  assert.match(text, /Opening link… \d+ %/);

  // A click while it replays: the theme changes at once, and the replay is still going.
  await page.selectOption('[data-testid="theme"]', "projector");
  await page.waitForFunction(() => document.querySelector(".app")?.className.includes("theme-projector"));
  assert.ok(await page.isVisible(progress), "still replaying after the click");
  const mid = await page.evaluate(() => window.fleetsim.state());
  assert.ok(mid.replayingPercent !== null && mid.replayingPercent < 100, JSON.stringify(mid.replayingPercent));
  assert.ok(mid.nowMs < 20 * DAY, "not there yet");
  await page.screenshot({ path: join(ARTIFACTS, "replay-progress.png") });

  await page.click('[data-testid="cancel-replay"]');
  await page.waitForSelector(progress, { state: "detached" });
  const after = await page.evaluate(() => window.fleetsim.state());
  assert.equal(after.scenario, before.scenario, "the world that was open is back");
  assert.equal(after.nowMs, before.nowMs);
  assert.equal(after.replayingPercent, null);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a shorter long link finishes at its moment; the timeline seeks back in slices", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  const share = longLink({ commands: 300, services: 3, tasks: 100, atMs: 3 * DAY });
  await page.goto(`${server.url}#s=${share}`);
  await ready(page);
  await page.waitForFunction(
    (at) => {
      const s = window.fleetsim?.state();
      return s && s.replayingPercent === null && s.nowMs === at;
    },
    3 * DAY,
    { timeout: 120_000, polling: 200 },
  );
  const opened = await page.evaluate(() => window.fleetsim.state());
  assert.match(opened.scenario, /Long link/);
  assert.equal(opened.lastError, null);

  // Drag the timeline back to day 1 (the page seeks in slices), then forward again.
  const seek = (minutes) =>
    page.$eval(
      '[data-testid="scrubber"]',
      (el, v) => {
        el.value = String(v);
        el.dispatchEvent(new Event("input", { bubbles: true }));
      },
      minutes,
    );
  for (const day of [1, 3, 2]) {
    await seek(day * 24 * 60);
    await page.waitForFunction(
      (at) => {
        const s = window.fleetsim.state();
        return s.replayingPercent === null && s.nowMs === at;
      },
      day * DAY,
      { timeout: 60_000, polling: 100 },
    );
  }
  // The same moment as a script's synchronous seek there.
  const sliced = await page.evaluate(() => window.fleetsim.state());
  const direct = await page.evaluate((at) => {
    window.fleetsim.seek(0);
    return window.fleetsim.seek(at);
  }, 2 * DAY);
  assert.equal(sliced.events, direct.events);
  assert.deepEqual(sliced.tasksByState, direct.tasksByState);
  assert.equal(sliced.cumulative, direct.cumulative);
  assert.deepEqual(problems, []);
  await page.close();
});
