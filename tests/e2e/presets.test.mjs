// The preset picker and presenter mode: a lesson opens from the list, and presenting asks the
// room its question before each step is revealed and the timeline moves to it.
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

test("presenter mode asks each question before revealing its step", async () => {
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
  assert.equal(await detail.locator(".lesson").textContent(), canary.intro);
  assert.equal(await detail.locator("a").getAttribute("href"), canary.reference);

  await page.click('[data-testid="preset-present"]');
  await page.waitForFunction(
    (name) => document.querySelector('[data-testid="scenario"]')?.textContent.includes(name),
    scenario.name,
  );
  const presenter = page.locator('[data-testid="lesson-panel"][data-mode="Presenter"]');
  assert.equal(await presenter.locator('[data-testid="lesson-question"]').textContent(), canary.steps[0].question);
  assert.equal(await presenter.locator('[data-testid="lesson-verdict"]').count(), 0, "the answer is hidden until revealed");
  await page.screenshot({ path: join(ARTIFACTS, "presenter-predict.png") });

  await page.click('[data-testid="lesson-reveal"]');
  await presenter.locator('[data-testid="lesson-verdict"]').waitFor();
  // The first step happens at 9 min: the timeline is taken there.
  await page.waitForFunction(() => document.querySelector('[data-testid="clock"]').textContent.includes("00:09"));
  await page.click('[data-testid="lesson-next"]');
  assert.equal(await presenter.locator('[data-testid="lesson-verdict"]').count(), 0, "the next step starts with its question");
  assert.match(await presenter.textContent(), /Step 2 of/);
  assert.deepEqual(problems, []);
  await page.close();
});
