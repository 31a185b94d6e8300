// Accessibility and fit: axe-core's WCAG checks on each view and theme, keyboard operation,
// and no sideways scrolling on a laptop screen. Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { openApp } from "./lib/app.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { realEcsText } from "./lib/real-ecs.mjs";

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await serveDir(DIST);
});
after(async () => server?.close());

/** Ends the fade-ins, so checks and screenshots see the settled page. */
const settle = (page) =>
  page.evaluate(() =>
    document.getAnimations().forEach((a) => {
      try {
        a.finish();
      } catch {
        // An endless animation (the request flow) cannot finish; it does not fade text.
      }
    }),
  );

/** axe-core's violations (WCAG 2.1 A and AA), as readable lines. */
async function violations(page) {
  await settle(page);
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

async function withPage(viewport, hash, f) {
  const browser = await launch({ viewport });
  try {
    const { page, problems } = await openApp(browser, server.url, { hash });
    await f(page);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
}

for (const theme of ["light", "dark", "projector"]) {
  test(`no WCAG A/AA violations in the ${theme} theme, with a deployment running`, async () => {
    await withPage({ width: 1440, height: 900 }, "", async (page) => {
      await page.selectOption('[data-testid="theme"]', theme);
      // A draining host and a deployment waiting at a pause hook: the warning colours too.
      const r = await page.evaluate(() => window.fleetsim.command({ type: "drainHost", host: 2 }));
      assert.equal(r.ok, true, r.error);
      await page.selectOption('[data-testid="deploy-strategy"]', "CANARY");
      await page.selectOption('[data-testid="deploy-hook"]', "pause");
      await page.click('[data-testid="deploy-start"]');
      await page.evaluate(() => window.fleetsim.advance(20 * 60_000));
      assert.deepEqual(await violations(page), []);
      await page.screenshot({ path: join(ARTIFACTS, `a11y-${theme}.png`), fullPage: true });
    });
  });
}

for (const theme of ["light", "projector"]) {
  test(`no WCAG A/AA violations in a presented lesson and the lesson form, ${theme} theme`, async () => {
    await withPage({ width: 1440, height: 900 }, "#p=canary-rollback", async (page) => {
      await page.selectOption('[data-testid="theme"]', theme);
      await page.click('[data-testid="lesson-present"]');
      await page.keyboard.press("1");
      await page.waitForSelector('[data-testid="lesson-reveal"]:not([disabled])');
      await page.keyboard.press("r");
      await page.waitForSelector('[data-testid="lesson-verdict"]');
      assert.deepEqual(await violations(page), [], "revealed");
      await page.screenshot({ path: join(ARTIFACTS, `a11y-lesson-${theme}.png`) });
      // The second question, asked once the hosts are up (still-registering hosts are drawn
      // faint, and a question asked at 00:00 would check those rather than the lesson).
      await page.keyboard.press("n");
      await page.waitForSelector('[data-testid="lesson-step"][data-step="1"]');
      await page.keyboard.press("2");
      assert.deepEqual(await violations(page), [], "question");
      await page.click('[data-testid="open-author"]');
      await page.waitForSelector('[data-testid="lesson-author"]');
      assert.deepEqual(await violations(page), [], "lesson form");
    });
  });
}

test("no WCAG A/AA violations in the dense large cluster, the editor and compare mode", async () => {
  await withPage({ width: 1440, height: 900 }, "#large", async (page) => {
    await page.waitForFunction(() => window.fleetsim.state().hosts >= 250, null, { timeout: 60_000 });
    assert.deepEqual(await violations(page), [], "dense cluster");
    for (const tab of ["Edit scenario", "Compare", "Presets", "Share", "Export"]) {
      await page.getByRole("button", { name: tab, exact: true }).click();
      assert.deepEqual(await violations(page), [], tab);
    }
  });
});

/** How many pixels the page is wider than the window (0 or less: no sideways scrolling). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test("no WCAG A/AA violations in the import, ECS export and cost verdict panels, in every theme", async () => {
  const template = await realEcsText("24-cfn-managed-instances-two-services.json");
  await withPage({ width: 1280, height: 800 }, "", async (page) => {
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-text"]', template);
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-report"]');
    await page.click('[data-testid="open-import"]');
    for (const theme of ["light", "dark", "projector"]) {
      await page.selectOption('[data-testid="theme"]', theme);
      // Opened afresh (the report of the import above stays), with the paste box empty.
      await page.click('[data-testid="open-import"]');
      // A refusal too: its colour is the one most likely to fade into a theme's panel.
      await page.fill('[data-testid="import-text"]', '{"family": ');
      await page.click('[data-testid="import-run"]');
      await page.waitForSelector('[data-testid="import-error"]');
      assert.deepEqual(await violations(page), [], `import panel, ${theme}`);
      await page.click('[data-testid="open-ecs-export"]');
      await page.waitForSelector('[data-testid="ecs-file"]');
      assert.deepEqual(await violations(page), [], `export panel, ${theme}`);
      assert.ok((await overflow(page)) <= 0, "the export panel makes the page scroll sideways");
      await page.click('[data-testid="open-verdict"]');
      await page.waitForSelector('[data-testid="verdict-result"]', { timeout: 60_000 });
      assert.deepEqual(await violations(page), [], `verdict panel, ${theme}`);
      assert.ok((await overflow(page)) <= 0, "the verdict panel makes the page scroll sideways");
      await page.screenshot({ path: join(ARTIFACTS, `a11y-verdict-${theme}.png`), fullPage: true });
      await page.click('[data-testid="open-verdict"]');
    }
  });
});

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
]) {
  test(`fits a ${viewport.width}×${viewport.height} laptop screen without sideways scrolling`, async () => {
    await withPage(viewport, "", async (page) => {
      await settle(page);
      const fit = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
        play: document.querySelector('[data-testid="play"]')?.getBoundingClientRect().right,
        lanes: [...document.querySelectorAll('[data-testid="az-lane"]')].map((l) => l.getBoundingClientRect().top),
      }));
      assert.ok(fit.scroll <= fit.width, `page is ${fit.scroll} px wide in a ${fit.width} px window`);
      assert.ok(fit.play > 0 && fit.play <= fit.width, "the play button is on screen");
      assert.equal(new Set(fit.lanes).size, 1, "the three AZ lanes sit side by side");
      await page.screenshot({ path: join(ARTIFACTS, `laptop-${viewport.width}.png`) });
    });
  });
}

test("keyboard alone: reach and select a host, see a focus ring, play with space", async () => {
  await withPage({ width: 1440, height: 900 }, "", async (page) => {
    // Tab until a host card has focus; every stop on the way shows a visible focus ring.
    let onHost = false;
    for (let i = 0; i < 80 && !onHost; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return {
          host: el?.dataset?.testid === "host-select",
          ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== "none",
          what: `${el.tagName} ${el.getAttribute("aria-label") ?? el.textContent?.slice(0, 30)}`,
        };
      });
      assert.ok(f.ring, `focus is visible on ${f.what}`);
      onHost = f.host;
    }
    assert.ok(onHost, "a host card is reachable by Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector('.host.selected [aria-pressed="true"]');
    // On to one of its tasks through the details panel's task list.
    let onTask = false;
    for (let i = 0; i < 30 && !onTask; i++) {
      await page.keyboard.press("Tab");
      onTask = await page.evaluate(() => !!document.activeElement.closest('[data-testid="host-tasks"]'));
    }
    assert.ok(onTask, "the selected host's tasks are reachable by Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector('.task.selected');
    // Space plays and pauses from anywhere but a text field.
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press(" ");
    await page.waitForFunction(() => window.fleetsim.state().playing);
    await page.keyboard.press(" ");
    await page.waitForFunction(() => !window.fleetsim.state().playing);
  });
});
