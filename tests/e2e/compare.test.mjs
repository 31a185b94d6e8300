// Compare mode: two variants of the open scenario on the same seed, at one synchronised time,
// with a diff table; and the page's exports (event log, charts, comparison table).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { ready } from "./lib/page.mjs";

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

const cell = (page, metric, col) =>
  page.textContent(`[data-testid="diff-table"] tr[data-metric="${metric}"] td:nth-of-type(${col})`);

test("canary vs blue/green: two runs at one time and a diff table", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-compare"]');
  await page.selectOption('[data-testid="compare-pair"]', "canary-vs-blue-green");
  await page.click('[data-testid="compare-run-to-end"]');
  await page.waitForFunction(() => /^At .*02:00.* on both sides/.test(document.querySelector('[data-testid="diff-table"] caption')?.textContent ?? ""));

  const clocks = await page.$$eval('[data-testid="compare-clock"]', (els) => els.map((e) => e.textContent));
  assert.equal(clocks.length, 2);
  assert.equal(clocks[0], clocks[1], "time is synchronised");
  for (const side of ["a", "b"]) {
    const hosts = await page.locator(`[data-testid="compare-run-${side}"] [data-testid="compare-host"]`).count();
    assert.ok(hosts > 0, `run ${side} draws its hosts`);
  }
  const metrics = await page.$$eval('[data-testid="diff-table"] tbody tr', (rows) => rows.map((r) => r.dataset.metric));
  assert.deepEqual(metrics, [
    "cost",
    "peak hosts",
    "requests served by a faulty revision",
    "failed requests",
    "deployment duration",
  ]);
  // The workshop services carry a faulty revision: a canary shows it to a slice of traffic,
  // blue/green moves all production traffic at once, so the canary exposes fewer requests.
  const canary = Number(await cell(page, "requests served by a faulty revision", 1));
  const blueGreen = Number(await cell(page, "requests served by a faulty revision", 2));
  assert.ok(canary > 0, `canary exposed some requests (${canary})`);
  assert.ok(canary < blueGreen, `canary ${canary} < blue/green ${blueGreen}`);
  // Blue/green scales green to 100 % before shifting: at least as many hosts at the peak.
  assert.ok(Number(await cell(page, "peak hosts", 2)) >= Number(await cell(page, "peak hosts", 1)));
  await page.locator('[data-testid="compare"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, "compare.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-comparison"]')]);
  const csv = (await readFile(await download.path(), "utf8")).trim().split("\r\n");
  assert.equal(csv.length, 6);

  // The scrubber moves both runs: back to 00:30 and forward again gives the same moments.
  const table = () => page.$$eval('[data-testid="diff-table"] tbody td', (tds) => tds.map((t) => t.textContent));
  const scrubTo = async (minutes, clock) => {
    await page.locator('[data-testid="compare-scrubber"]').fill(String(minutes));
    // "At … on both sides" only once both runs are there (mid-move it names each run's time).
    await page.waitForFunction(
      (c) => {
        const text = document.querySelector('[data-testid="diff-table"] caption')?.textContent ?? "";
        return text.startsWith("At ") && text.includes(c);
      },
      clock,
    );
  };
  const atEnd = await table();
  await scrubTo(30, "00:30");
  const clocksBack = await page.$$eval('[data-testid="compare-clock"]', (els) => els.map((e) => e.textContent));
  assert.ok(clocksBack.every((c) => /00:30/.test(c)), `both runs went back: ${clocksBack}`);
  const atHalfHour = await table();
  assert.notDeepEqual(atHalfHour, atEnd, "half an hour in, the runs differ from the end");
  await scrubTo(120, "02:00");
  assert.deepEqual(await table(), atEnd, "forward again: the same end");
  await scrubTo(30, "00:30");
  assert.deepEqual(await table(), atHalfHour, "back again: the same half hour");
  assert.match(csv[0], /^metric,canary,blue\/green,/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("consolidation on vs off over a diurnal load: idle hosts removed at night cost less", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  // Preset 4: auto scaling follows a daily curve, so hosts go idle at night.
  await page.goto(`${server.url}#p=diurnal-consolidation`);
  await page.waitForFunction(() => /Diurnal/.test(document.querySelector('[data-testid="scenario"]')?.textContent ?? ""));
  await ready(page);
  await page.click('[data-testid="open-compare"]');
  await page.selectOption('[data-testid="compare-pair"]', "consolidation");
  await page.click('[data-testid="compare-run-to-end"]');
  await page.waitForFunction(() => /^At Day 2.* on both sides/.test(document.querySelector('[data-testid="diff-table"] caption')?.textContent ?? ""));
  const dollars = (t) => Number(t.replace(/[^0-9.]/g, ""));
  const on = dollars(await cell(page, "cost", 1));
  const off = dollars(await cell(page, "cost", 2));
  assert.ok(on > 0 && off > on, `on ${on} vs off ${off}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("exports: event log as CSV and JSON, scenario JSON, charts as PNG", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector("canvas");
  await page.click('[data-testid="open-export"]');
  const grab = async (testid) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid="${testid}"]`)]);
    return { name: d.suggestedFilename(), body: await readFile(await d.path()) };
  };
  const logRows = await page.locator('[data-testid="event"]').count();

  const csv = await grab("export-events-csv");
  const lines = csv.body.toString("utf8").trim().split("\r\n");
  assert.equal(lines[0], "seq,at_ms,clock,kind,category,host,task,service,description");
  assert.ok(lines.length - 1 >= logRows, `${lines.length - 1} rows ≥ ${logRows} shown`);

  const json = JSON.parse((await grab("export-events-json")).body.toString("utf8"));
  assert.equal(json.length, lines.length - 1, "CSV and JSON hold the same events");
  assert.ok(json.every((e) => typeof e.description === "string" && e.event && e.kind));
  const shown = await page.$$eval('[data-testid="event"] .sentence', (els) => els.map((e) => e.textContent));
  const exported = new Set(json.map((e) => e.description));
  assert.ok(shown.every((s) => exported.has(s)), "every sentence on screen is in the export");

  const scenario = JSON.parse((await grab("export-scenario")).body.toString("utf8"));
  assert.equal(scenario.name, (await page.textContent('[data-testid="scenario"]')).trim());

  // Every chart, not only the tab on screen: four PNGs.
  const pngs = [];
  const four = new Promise((resolve) =>
    page.on("download", (d) => {
      pngs.push(d);
      if (pngs.length === 4) resolve();
    }),
  );
  await page.click('[data-testid="export-charts"]');
  await page.waitForFunction(() => /4 chart PNGs/.test(document.querySelector(".export-status")?.textContent ?? ""));
  await four;
  const names = pngs.map((d) => d.suggestedFilename()).sort();
  assert.deepEqual(names, ["fleetsim-cost.png", "fleetsim-cumulative.png", "fleetsim-fleet.png", "fleetsim-traffic.png"]);
  for (const d of pngs) {
    const bytes = await readFile(await d.path());
    assert.equal(bytes.subarray(1, 4).toString("ascii"), "PNG", d.suggestedFilename());
    assert.ok(bytes.length > 10_000, `${d.suggestedFilename()} has a chart drawn in it (${bytes.length} bytes)`);
  }
  await page.screenshot({ path: join(ARTIFACTS, "export-menu.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
