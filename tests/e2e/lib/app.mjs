// Opens the app and waits until it is drawn and `window.fleetsim` answers.
import { collectProblems } from "./browser.mjs";

export async function openApp(browser, url, { hash = "" } = {}) {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(url + hash, { waitUntil: "load" });
  await page.waitForSelector('[data-testid="host"]', { timeout: 20_000 });
  await page.waitForFunction(() => typeof window.fleetsim?.state === "function");
  return { page, problems };
}

/** Advances simulated time in `stepMs` chunks until `done(state)` holds or `limitMs` passes. */
export async function advanceUntil(page, predicate, { stepMs = 30_000, limitMs = 6 * 3600_000 } = {}) {
  return page.evaluate(
    ({ src, stepMs, limitMs }) => {
      const done = new Function("s", `return (${src})(s)`);
      const seen = [];
      let s = window.fleetsim.state();
      const end = s.nowMs + limitMs;
      while (!done(s) && s.nowMs < end) {
        s = window.fleetsim.advance(stepMs);
        const stage = s.deployment?.stage;
        if (stage && seen[seen.length - 1] !== stage) seen.push(stage);
      }
      return { state: s, seen };
    },
    { src: predicate.toString(), stepMs, limitMs },
  );
}
