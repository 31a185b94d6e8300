// The visualizer in a real browser: time controls, deployments, rollback, rewind and charts.
// Each state is saved as a screenshot under target/e2e/ for a human to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { openApp, advanceUntil } from "./lib/app.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";

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

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Start a deployment through the form, as a user would. */
async function startDeployment(page, { strategy = "CANARY", revision = "v2", hook = "none" } = {}) {
  await page.selectOption('[data-testid="deploy-strategy"]', strategy);
  await page.selectOption('[data-testid="deploy-revision"]', revision);
  await page.selectOption('[data-testid="deploy-hook"]', hook);
  await page.click('[data-testid="deploy-start"]');
  await page.waitForFunction(() => window.fleetsim.state().deployment?.finished === false);
}

test("loads with no console problems, and play advances the clock", async () => {
  const { page, problems } = await openApp(browser, server.url);
  const before = await page.textContent('[data-testid="clock"]');
  await shot(page, "01-opening");
  await page.click('[data-testid="play"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="clock"]').textContent !== t, before);
  assert.equal((await page.evaluate(() => window.fleetsim.state())).playing, true);
  // Space toggles play/pause from anywhere.
  await page.locator("h1").click();
  await page.keyboard.press(" ");
  const s = await page.evaluate(() => window.fleetsim.state());
  assert.equal(s.playing, false, "space paused");
  assert.deepEqual(problems, [], "no console errors or warnings");
  await page.close();
});

test("step moves to the next event, and the log shows it", async () => {
  const { page, problems } = await openApp(browser, server.url);
  // A settled cluster can be quiet for a day; scaling out gives it upcoming events
  // (tasks pulling images, starting, becoming healthy) for Step to land on.
  await page.evaluate(() => window.fleetsim.command({ type: "setDesiredCount", service: "web", count: 12 }));
  await page.evaluate(() => window.fleetsim.advance(1));
  const t0 = (await page.evaluate(() => window.fleetsim.state())).nowMs;
  await page.click('[data-testid="step"]');
  const s = await page.evaluate(() => window.fleetsim.state());
  assert.ok(s.nowMs > t0, `time moved: ${t0} → ${s.nowMs}`);
  const [latest] = await page.evaluate(() => window.fleetsim.events(1));
  assert.equal(latest.at, s.nowMs, `the newest event is the one stepped to: ${JSON.stringify(latest)}`);
  await page.keyboard.press("ArrowRight");
  const s2 = await page.evaluate(() => window.fleetsim.state());
  assert.ok(s2.nowMs > s.nowMs, "→ steps too");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a canary deployment walks through the stages and completes", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await startDeployment(page, { strategy: "CANARY" });
  const mid = await advanceUntil(page, (s) => s.deployment?.stage === "BAKE_TIME" || s.deployment?.productionGreenPercent > 0, { stepMs: 15_000 });
  await page.waitForSelector('[data-testid="stage-timeline"] .stage.current');
  await shot(page, "02-canary-in-progress");
  const end = await advanceUntil(page, (s) => s.deployment?.finished, { stepMs: 15_000 });
  assert.equal(end.state.deployment.status, "SUCCESSFUL");
  const stages = [...mid.seen, ...end.seen];
  for (const st of ["SCALE_UP", "PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME"]) {
    assert.ok(stages.includes(st), `passed ${st}: ${stages.join(" → ")}`);
  }
  assert.ok(end.state.deployment.stagesSeen.includes("CLEAN_UP"), "cleaned up");
  await page.waitForFunction(() => document.querySelector('[data-testid="deployment-status"]')?.textContent === "SUCCESSFUL");
  assert.equal(await page.locator('[data-testid="stage-timeline"] .stage.done').count() >= 5, true);
  await shot(page, "03-canary-complete");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a deploy-form number outside its range is refused, not quietly changed", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.selectOption('[data-testid="deploy-strategy"]', "CANARY");
  const canary = page.locator('[data-testid="deploy-form"] label', { hasText: /^Canary, 0\.1–100 %$/ }).locator("input");
  await canary.fill("150");
  await canary.dispatchEvent("change");
  await page.click('[data-testid="deploy-start"]');
  // The box keeps what was typed and the browser names the range (the core would refuse it
  // too, by field name and range: tests/tests/field_specs.rs); nothing starts.
  assert.equal(await canary.inputValue(), "150");
  const validity = await canary.evaluate((el) => ({ over: el.validity.rangeOverflow, message: el.validationMessage }));
  assert.equal(validity.over, true);
  assert.match(validity.message, /100/);
  assert.equal((await page.evaluate(() => window.fleetsim.state())).deployment, null, "no deployment started");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a failing hook rolls the deployment back, in the deployment view and the log", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await startDeployment(page, { strategy: "BLUE_GREEN", hook: "lambda-fail" });
  const end = await advanceUntil(page, (s) => s.deployment?.finished, { stepMs: 10_000 });
  assert.match(end.state.deployment.status, /ROLLBACK/);
  assert.equal(end.state.deployment.hooks[0].status, "FAILED");
  await page.waitForFunction(() => /ROLLBACK/.test(document.querySelector('[data-testid="deployment-status"]')?.textContent ?? ""));
  const reason = await page.textContent('[data-testid="deployment-reason"]');
  assert.match(reason, /smoke-test/i, `reason names the hook: ${reason}`);
  await page.click('[data-testid="filter-deployments"]');
  await page.waitForSelector('[data-testid="event-log"] li[data-kind="deployment_rolling_back"]');
  await shot(page, "04-hook-rollback");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a pause hook waits for Continue", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await startDeployment(page, { strategy: "BLUE_GREEN", hook: "pause" });
  await advanceUntil(page, (s) => s.deployment?.hooks?.[0]?.awaitingAction, { stepMs: 10_000 });
  await page.waitForSelector('[data-testid="hook-continue"]');
  await shot(page, "05-pause-hook");
  await page.click('[data-testid="hook-continue"]');
  const end = await advanceUntil(page, (s) => s.deployment?.finished, { stepMs: 15_000 });
  assert.equal(end.state.deployment.status, "SUCCESSFUL");
  assert.deepEqual(problems, []);
  await page.close();
});

test("rewinding shows the earlier hosts", async () => {
  const { page, problems } = await openApp(browser, server.url);
  const early = await page.evaluate(() => window.fleetsim.state());
  await page.evaluate(() => window.fleetsim.advance(60_000));
  const r = await page.evaluate(() => window.fleetsim.command({ type: "setDesiredCount", service: "web", count: 40 }));
  assert.equal(r.ok, true, r.error);
  const later = await page.evaluate(() => window.fleetsim.advance(3 * 3600_000));
  assert.ok(later.hosts > early.hosts, `scaled out: ${early.hosts} → ${later.hosts}`);
  await shot(page, "06-scaled-out");
  // Drag the scrubber back to the opening minute.
  await page.locator('[data-testid="scrubber"]').fill(String(early.nowMs / 60_000));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="host"]').length === n, early.hosts);
  const back = await page.evaluate(() => window.fleetsim.state());
  assert.equal(back.nowMs, early.nowMs);
  assert.deepEqual(back.hostIds, early.hostIds, "the same hosts as before");
  await shot(page, "07-rewound");
  // Forward again: the recorded command is replayed.
  const again = await page.evaluate(() => window.fleetsim.seek(4 * 3600_000 + 10 * 60_000));
  assert.equal(again.hosts, later.hosts);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the cost chart is drawn and changes as time passes", async () => {
  const { page, problems } = await openApp(browser, server.url);
  const pixels = () =>
    page.evaluate(() => {
      const c = document.querySelector('[data-testid="chart-cost"]');
      const d = window.__readPixels(c);
      const bg = [d[0], d[1], d[2]];
      let differing = 0;
      let hash = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 30) differing++;
        hash = (hash * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
      }
      return { differing, total: d.length / 4, hash, width: c.width, cssWidth: c.clientWidth };
    });
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-cost"]')?.width > 0);
  // Read through a copy, so the app's own canvas is never flagged for frequent readback.
  await page.evaluate(() => {
    window.__readPixels = (c) => {
      const copy = document.createElement("canvas");
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      return ctx.getImageData(0, 0, c.width, c.height).data;
    };
  });
  const a = await pixels();
  assert.ok(a.differing > a.total * 0.02, `chart is not blank: ${a.differing}/${a.total}`);
  assert.ok(a.width >= a.cssWidth, "backing store at least CSS size (× devicePixelRatio)");
  await page.evaluate(() => window.fleetsim.command({ type: "setDesiredCount", service: "api", count: 20 }));
  await page.evaluate(() => window.fleetsim.advance(8 * 3600_000));
  await page.waitForFunction((h) => {
    const c = document.querySelector('[data-testid="chart-cost"]');
    const d = window.__readPixels(c);
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) hash = (hash * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
    return hash !== h;
  }, a.hash);
  const b = await pixels();
  assert.ok(b.differing > b.total * 0.02);
  // Hovering shows the value under the pointer.
  const chart = page.locator('[data-testid="chart-cost"]');
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await chart.hover({ position: { x: box.width * 0.6, y: box.height / 2 } });
  await page.waitForSelector('[data-testid="chart-readout"]');
  assert.match(await page.textContent('[data-testid="chart-readout"]'), /\$/);
  await shot(page, "08-cost-chart");
  for (const theme of ["light", "projector"]) {
    await page.selectOption('[data-testid="theme"]', theme);
    await shot(page, `09-theme-${theme}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

// Counts replacement flights as they start (a ghost chip added to the page).
const COUNT_FLIGHTS = () => {
  window.__flights = 0;
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.classList?.contains("move-ghost")) window.__flights++;
  }).observe(document.body, { childList: true });
};

/**
 * Drains the busiest host and moves time on in small steps until its tasks are replaced;
 * `onFlight` runs once, as soon as the first flight starts.
 */
async function drainBusiestHost(page, onFlight = async () => {}) {
  const host = await page.evaluate(() => {
    const cards = [...document.querySelectorAll('[data-testid="host"][data-status="ACTIVE"]')];
    const busiest = cards.sort((a, b) => b.querySelectorAll("[data-task-id]").length - a.querySelectorAll("[data-task-id]").length)[0];
    return Number(busiest.dataset.hostId);
  });
  const r = await page.evaluate((h) => window.fleetsim.command({ type: "drainHost", host: h }), host);
  assert.equal(r.ok, true, r.error);
  let seen = false;
  for (let i = 0; i < 40; i++) {
    await page.evaluate(() => window.fleetsim.advance(5_000));
    // Two display frames: the page draws the advance and starts any flight it brings.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (!seen && (await page.evaluate(() => window.__flights > 0))) {
      seen = true;
      await onFlight();
    }
  }
  return host;
}

test("a replaced task is seen moving to its new host, unless animations are off", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.evaluate(COUNT_FLIGHTS);
  await drainBusiestHost(page, () => page.screenshot({ path: join(ARTIFACTS, "09-replacement-flight.png") }));
  const flights = await page.evaluate(() => window.__flights);
  assert.ok(flights > 0, "the drained host's tasks fly to their replacements");
  // Flights clean up after themselves.
  await page.waitForFunction(() => !document.querySelector(".move-ghost"), null, { timeout: 5_000 });
  await page.click('[data-testid="toggle-animations"]');
  await page.evaluate(() => (window.__flights = 0));
  await drainBusiestHost(page);
  assert.equal(await page.evaluate(() => window.__flights), 0, "no flights with animations off");
  assert.deepEqual(problems, []);
  await page.close();
});
