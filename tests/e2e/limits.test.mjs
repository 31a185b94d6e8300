// The largest world the core accepts (20,000 tasks, lib/limits.mjs) opened from its link and
// played at top speed: the page keeps answering clicks. An interaction check with a
// generous bound, not a timing benchmark (that is bench/limits.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { LIMITS, limitsLink } from "./lib/limits.mjs";

const ANSWER_MS = 5_000;
let server;
let browser;

before(async () => {
  await access(join(DIST, "index.html")).catch(() => {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
  });
  await mkdir(ARTIFACTS, { recursive: true });
  server = await serveDir(DIST);
  browser = await launch({ viewport: { width: 1440, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** In the page: whether `n` tasks are drawn (pictures of dense tiles and DOM chips). */
const drawn = (n) =>
  [...document.querySelectorAll("[data-chips]")].reduce((a, c) => a + Number(c.dataset.chips), 0) +
    document.querySelectorAll('[data-testid="task"]').length ===
  n;

test("the 20,000-task link opens, draws every task, and answers a click while it plays at top speed", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${server.url}#s=${limitsLink("tasks")}`, { waitUntil: "load" });
  await page.waitForFunction(drawn, LIMITS.tasks.tasks, { timeout: 120_000, polling: 250 });
  await page.evaluate(() => {
    window.fleetsim.topSpeed();
    window.fleetsim.play();
  });
  // Well into play (the first simulated hours place and start every task).
  await page.waitForFunction(() => window.fleetsim.state().nowMs >= 6 * 3_600_000, null, { timeout: 60_000 });
  // A click on a host tile's name: the page selects it within the bound.
  const host = page.locator('[data-testid="host-select"]').nth(7);
  const id = await host.evaluate((b) => b.closest('[data-testid="host"]').dataset.hostId);
  const t0 = Date.now();
  await host.click({ timeout: ANSWER_MS });
  await page.waitForSelector(`[data-testid="host"][data-host-id="${id}"].selected`, { timeout: ANSWER_MS });
  const answered = Date.now() - t0;
  assert.ok(answered <= ANSWER_MS, `the click was answered after ${answered} ms`);
  // And the pause button, which stops the clock.
  await page.click('[data-testid="play"]', { timeout: ANSWER_MS });
  await page.waitForFunction(() => window.fleetsim.state().playing === false, null, { timeout: ANSWER_MS });
  await page.screenshot({ path: join(ARTIFACTS, "limits-20000-tasks.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
