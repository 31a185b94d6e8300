// The scenario editor: the core's validation messages appear next to the field they concern,
// an invalid value blocks Apply, a valid one runs, and the JSON it exports imports back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir, readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { decode } from "./lib/cli.mjs";
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

const CPU = "services[0].task.cpu";
const field = (path) => `[data-path="${path}"] input`;
const errorFor = (path) => `[data-error-for="${path}"]`;

async function setField(page, path, value) {
  await page.fill(field(path), value);
  await page.press(field(path), "Tab");
}

/** A fresh page on the default scenario with the editor open. */
async function openEditor() {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-editor"]');
  await page.waitForSelector('[data-testid="editor"]');
  return { page, problems };
}

/** The running state, read through the Share link and the native decoder. */
async function runningState(page) {
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-url"]');
  const url = await page.inputValue('[data-testid="share-url"]');
  return decode(url.split("#s=")[1]);
}

test("the editor rejects an invalid value in place and runs a valid one", async () => {
  const { page, problems } = await openEditor();
  const before = await runningState(page);

  // 100 CPU units is below the smallest task an EC2 host accepts (0.25 vCPU = 256 units).
  await setField(page, CPU, "100");
  const msg = page.locator(`[data-path="${CPU}"] ${errorFor(CPU)}`);
  await msg.waitFor();
  assert.match(await msg.textContent(), /0\.25/);
  assert.equal(await page.getAttribute(field(CPU), "aria-invalid"), "true");
  assert.equal(await page.isDisabled('[data-testid="editor-apply"]'), true, "an invalid scenario cannot run");
  assert.equal(await page.getAttribute('[data-testid="editor-status"]', "data-errors"), "1");
  await page.locator(`[data-path="${CPU}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, "editor-invalid.png") });

  // Not a number at all: the box keeps the text and says so; the draft is unchanged.
  await setField(page, CPU, "lots");
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].some((e) => /not a number/.test(e.textContent)),
    errorFor(CPU),
  );
  assert.equal(await page.inputValue(field(CPU)), "lots");

  await setField(page, CPU, "512");
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, errorFor(CPU));
  assert.equal(await page.isDisabled('[data-testid="editor-apply"]'), false);
  await page.click('[data-testid="editor-apply"]');

  const after = await runningState(page);
  assert.equal(after.scenario.services[0].task.cpu, 512, "the running scenario has the new task size");
  assert.notEqual(before.scenario.services[0].task.cpu, 512);
  assert.deepEqual(after.script ?? [], [], "a new scenario starts with no commands");
  assert.deepEqual(problems, []);
  await page.close();
});

test("timing and faults have their own fields, checked against the core's ranges", async () => {
  const { page, problems } = await openEditor();
  const LAUNCH = "timing.instanceLaunchSeconds";
  // An hour and a second: past the longest launch the scenario format allows.
  await setField(page, LAUNCH, "3601");
  const msg = page.locator(`[data-path="${LAUNCH}"] ${errorFor(LAUNCH)}`);
  await msg.waitFor();
  assert.match(await msg.textContent(), /3600/);
  await setField(page, LAUNCH, "240");
  await setField(page, "faults.maintenanceEventPpmPerHostDay", "20000");
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, errorFor(LAUNCH));
  await page.click('[data-testid="editor-apply"]');
  const after = await runningState(page);
  assert.equal(after.scenario.timing.instanceLaunchSeconds, 240);
  assert.equal(after.scenario.faults.maintenanceEventPpmPerHostDay, 20000);
  assert.deepEqual(problems, []);
  await page.close();
});

test("settings from the talk or our estimates carry a label with its reason and the AWS page", async () => {
  const { page, problems } = await openEditor();
  const labels = {
    "patching.mode": "talk",
    "capacityProvider.selection": "talk",
    "capacityProvider.scaleInAfter": "estimate",
    "capacityProvider.underutilizedBelowPercent": "estimate",
    "capacityProvider.awsvpcTrunking": "estimate",
    "timing.instanceLaunchSeconds": "estimate",
    "timing.imagePullSeconds": "estimate",
  };
  for (const [path, label] of Object.entries(labels)) {
    const badge = page.locator(`[data-path="${path}"] [data-provenance="${path}"]`);
    assert.equal((await badge.textContent()).trim(), label, path);
    assert.match(await badge.getAttribute("href"), /^https:\/\/(docs\.aws|docs\.amazonaws|aws\.amazon)/, path);
    assert.ok((await badge.getAttribute("title")).length > 20, `${path}: a one-line reason`);
  }
  // A documented setting has none.
  assert.equal(await page.locator('[data-path="services[0].desiredCount"] .prov').count(), 0);
  await page.locator('[data-path="patching.mode"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, "editor-provenance.png") });
  // The page's cost figure: the fee is our estimate.
  await page.goto(server.url);
  await ready(page);
  const fee = page.locator('[data-testid="totals"] [data-provenance="fee"]');
  assert.equal((await fee.textContent()).trim(), "estimate");
  assert.match(await fee.getAttribute("title"), /12 %/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("exported scenario JSON imports back unchanged, and a bad file is refused with its reason", async () => {
  const { page, problems } = await openEditor();
  await setField(page, "services[1].desiredCount", "3");
  await setField(page, "name", "Edited <b>cluster</b>");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="editor-export"]')]);
  const exported = await readFile(await download.path(), "utf8");
  const json = JSON.parse(exported);
  assert.equal(json.services[1].desiredCount, 3);
  assert.equal(json.name, "Edited <b>cluster</b>");

  // Import what was exported into a fresh editor: the draft equals it (same JSON out again).
  const dir = await mkdtemp(join(tmpdir(), "fleetsim-import-"));
  await writeFile(join(dir, "s.json"), exported);
  await page.reload();
  await ready(page);
  await page.click('[data-testid="open-editor"]');
  await page.setInputFiles('[data-testid="editor-import"]', join(dir, "s.json"));
  await page.waitForFunction(() => document.querySelector('[data-path="name"] input')?.value.startsWith("Edited"));
  const [again] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="editor-export"]')]);
  assert.equal(await readFile(await again.path(), "utf8"), exported, "export → import → export is byte-identical");
  // Names from a file are text, never markup.
  assert.equal(await page.locator('[data-testid="editor"] b').count(), 0);

  await writeFile(join(dir, "bad.json"), JSON.stringify({ services: [{ name: "x", desiredCount: 99999 }] }));
  await page.setInputFiles('[data-testid="editor-import"]', join(dir, "bad.json"));
  const err = page.locator('[data-testid="import-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /services\[0\]\.desiredCount/);
  assert.deepEqual(problems, []);
  await page.close();
});
