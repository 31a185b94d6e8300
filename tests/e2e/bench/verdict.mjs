// The cost verdict panel in the page: how long its simulation takes (four runs of 30 days)
// and how long the page's frames get while it runs a frame's share at a time.
import { launch, collectProblems } from "../lib/browser.mjs";
import { realEcsText } from "../lib/real-ecs.mjs";

/**
 * Opens the page (`hash`: "" for the workshop world, "#large"…) or imports `file` from the
 * real ECS files, then times the verdict panel. Resolves to its figures.
 */
export async function verdictCase(url, { hash = "", file } = {}) {
  const browser = await launch({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(url + hash);
    await page.waitForSelector('[data-testid="clock"]', { timeout: 30_000 });
    if (file) {
      await page.click('[data-testid="open-import"]');
      await page.fill('[data-testid="import-text"]', await realEcsText(file));
      await page.click('[data-testid="import-run"]');
      await page.waitForSelector('[data-testid="import-report"]');
    }
    await page.waitForFunction(() => window.fleetsim.state().replayingPercent == null, null, { timeout: 60_000 });
    const started = await page.evaluate(() => performance.now());
    await page.click('[data-testid="open-verdict"]');
    const frames = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const deltas = [];
          let last = performance.now();
          const tick = (t) => {
            deltas.push(t - last);
            last = t;
            if (document.querySelector('[data-testid="verdict-result"]')) resolve(deltas);
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
    );
    const wall = (await page.evaluate(() => performance.now())) - started;
    const d = await page.$eval('[data-testid="verdict-result"]', (e) => ({ ...e.dataset }));
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return { wall, frames, workMs: Number(d.workMs), longestMs: Number(d.longestMs), slices: Number(d.frames) };
  } finally {
    await browser.close();
  }
}
