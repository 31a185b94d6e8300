// The page a workshop participant opens: the default cluster drawn as AZ lanes with hosts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS, ROOT } from "./lib/paths.mjs";
import { fleetsim } from "./lib/cli.mjs";

let server;
let browser;

before(async () => {
  await access(join(DIST, "index.html")).catch(() => {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
  });
  server = await serveDir(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("default page draws every AZ lane and host with no console problems", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);

  await page.goto(server.url, { waitUntil: "load" });
  // Wait for the app to render (a condition, never a fixed sleep).
  await page.waitForSelector('[data-testid="host"]', { timeout: 20_000 });

  const lanes = page.locator('[data-testid="az-lane"]');
  const laneCount = await lanes.count();
  assert.ok(laneCount >= 2, `expected several AZ lanes, got ${laneCount}`);
  for (const name of await lanes.locator('[data-testid="az-name"]').allTextContents()) {
    assert.match(name, /\S/, "every lane names its AZ");
  }

  // The DOM shows exactly the hosts the model counted, each inside a lane.
  const modelHosts = Number(await page.getAttribute('[data-testid="totals"]', "data-hosts"));
  const domHosts = await page.locator('[data-testid="host"]').count();
  const hostsInLanes = await lanes.locator('[data-testid="host"]').count();
  assert.ok(modelHosts > 0, "the default cluster has hosts");
  assert.equal(domHosts, modelHosts);
  assert.equal(hostsInLanes, modelHosts);

  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "default.png"), fullPage: true });

  assert.deepEqual(problems, [], "no console errors or warnings");
});

// Determinism across platforms: the release build, in Chromium's WebAssembly engine, reaches
// the digest the native suite checks (tests/tests/determinism.rs) from the same file.
test("the golden run's event-log digest in the browser equals the repository's", async () => {
  const want = (await readFile(join(ROOT, "tests/golden/default_cluster_6h.digest"), "utf8")).trim();
  const link = (await fleetsim("golden")).trim();
  const page = await browser.context.newPage();
  await page.goto(`${server.url}#s=${link}`, { waitUntil: "load" });
  const sixHours = 6 * 3600 * 1000;
  await page.waitForFunction(
    (at) => {
      const s = window.fleetsim?.state();
      return s && s.nowMs === at && s.replayingPercent === null;
    },
    sixHours,
    { timeout: 60_000 },
  );
  const state = await page.evaluate(() => window.fleetsim.state());
  assert.match(state.digest, /^[0-9a-f]{16}$/);
  assert.equal(state.digest, want);
  await page.close();
});
