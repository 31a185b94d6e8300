// The preset picker and presenter mode: a lesson opens from the list, and presenting asks the
// room to predict before each step is revealed and the timeline moves to it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { presets, decode } from "./lib/cli.mjs";
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

test("presenter mode asks for a prediction before revealing each step", async () => {
  const canary = (await presets()).find((p) => p.id === "canary-rollback");
  const { scenario } = await decode(canary.share);
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-presets"]');
  await page.click(`[data-preset="${canary.id}"]`);
  const detail = page.locator('[data-testid="preset-detail"]');
  assert.equal(await detail.locator("h3").textContent(), canary.title);
  assert.equal(await detail.locator(".lesson").textContent(), canary.lesson);
  assert.equal(await detail.locator("a").getAttribute("href"), canary.reference);

  await page.click('[data-testid="preset-present"]');
  await page.waitForFunction(
    (name) => document.querySelector('[data-testid="scenario"]')?.textContent.includes(name),
    scenario.name,
  );
  const presenter = page.locator('[data-testid="presenter"]');
  assert.match(await presenter.locator('[data-testid="predict"]').textContent(), /\?$/);
  assert.equal(await presenter.locator('[data-testid="step-text"]').count(), 0, "the step is hidden until revealed");
  await page.screenshot({ path: join(ARTIFACTS, "presenter-predict.png") });

  await page.click('[data-testid="presenter-reveal"]');
  await presenter.locator('[data-testid="step-text"]').waitFor();
  // The first step happens at 10 min (the scripted deployment): the timeline is taken there.
  await page.waitForFunction(() => document.querySelector('[data-testid="clock"]').textContent.includes("00:10"));
  await page.click('[data-testid="presenter-next"]');
  assert.equal(await presenter.locator('[data-testid="step-text"]').count(), 0, "the next step starts with its prediction");
  assert.match(await presenter.textContent(), /Step 2 of/);
  assert.deepEqual(problems, []);
  await page.close();
});
