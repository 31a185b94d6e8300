// The page at the documented limits: the 20,000-task and 2,000-host links
// (lib/limits.mjs), each opened in a fresh browser and played at top speed. Figures: the time
// until every task is drawn, every animation-frame interval from opening the link through
// PLAY_SECONDS of play, and memory once MEMORY_DAYS have been simulated. It checks itself:
// all tasks drawn on opening, and once the run is steady every live task drawn and every
// host shown.
import { launch, collectProblems } from "../lib/browser.mjs";
import { LIMITS, limitsLink } from "../lib/limits.mjs";

export const PLAY_SECONDS = 60;
export const MEMORY_DAYS = 30;
const DAY_MS = 86_400_000;

// Installed before any page script: every rAF interval from the start, the moment the page
// first draws `expect` tasks (DOM chips and canvas chips together), and the frame at which
// `playMs` of play (from `window.__playFrom`) have passed.
const RECORDER = ({ expect, playMs }) => {
  window.__frames = [];
  window.__shown = () =>
    document.querySelectorAll('[data-testid="task"]').length +
    [...document.querySelectorAll("[data-chips]")].reduce((a, c) => a + Number(c.dataset.chips), 0);
  let last = performance.now();
  const tick = (t) => {
    window.__frames.push(t - last);
    last = t;
    if (window.__laidOutAt === undefined && window.__shown() >= expect) window.__laidOutAt = performance.now();
    if (window.__playEnd === undefined && t - window.__playFrom >= playMs) window.__playEnd = window.__frames.length;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/** JS heap (after a forced GC) and the wasm linear memory, in bytes. */
async function memory(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const wasm = await page.evaluate(() => window.fleetsim.state().wasmMemoryBytes);
  return { js: usedSize, wasm };
}

const live = (s) => Object.values(s.tasksByState).reduce((a, b) => a + b, 0);

/** Opens one limits case and plays it; resolves to its figures, or throws when it is wrong. */
export async function limitsCase(url, name) {
  const expect = LIMITS[name].tasks;
  const browser = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.addInitScript(RECORDER, { expect, playMs: PLAY_SECONDS * 1000 });
    await page.goto(`${url}#s=${limitsLink(name)}`, { waitUntil: "load" });
    await page.waitForFunction(() => window.__laidOutAt !== undefined, null, { timeout: 120_000, polling: 200 });
    const opened = await page.evaluate(() => ({ at: window.__laidOutAt, shown: window.__shown(), s: window.fleetsim.state() }));
    if (opened.shown !== expect || live(opened.s) !== expect) {
      throw new Error(`${name}: ${opened.shown} tasks drawn, ${live(opened.s)} in the core, ${expect} expected`);
    }
    const openFrames = await page.evaluate(() => window.__frames.length);
    await page.evaluate(() => {
      window.__playFrom = performance.now();
      window.fleetsim.topSpeed();
      window.fleetsim.play();
    });
    await page.waitForFunction(() => window.__playEnd !== undefined, null, {
      timeout: (PLAY_SECONDS + 120) * 1000,
      polling: 1000,
    });
    // The frames from opening through PLAY_SECONDS of play (the first runs from page start).
    const played = await page.evaluate(() => ({ frames: window.__frames.slice(1, window.__playEnd), s: window.fleetsim.state() }));
    const cdp = await page.context().newCDPSession(page);
    await page.waitForFunction((d) => window.fleetsim.state().nowMs >= d, MEMORY_DAYS * DAY_MS, {
      timeout: 300_000,
      polling: 1000,
    });
    const mem = await memory(page, cdp);
    const memDay = (await page.evaluate(() => window.fleetsim.state().nowMs)) / DAY_MS;
    // Steady: pause, then move on until every desired task runs and nothing else is live.
    const steady = await page.evaluate((n) => {
      window.fleetsim.pause();
      let s = window.fleetsim.state();
      for (let i = 0; i < 48 && !(s.tasksByState.RUNNING === n && live(s) === n); i++) s = window.fleetsim.advance(3_600_000);
      return s;
      function live(s) {
        return Object.values(s.tasksByState).reduce((a, b) => a + b, 0);
      }
    }, expect);
    await page.waitForFunction((n) => window.__shown() === n, expect, { timeout: 30_000 }).catch(() => {});
    const end = await page.evaluate(() => ({
      shown: window.__shown(),
      hosts: document.querySelectorAll('[data-testid="host"]').length,
    }));
    if (steady.tasksByState.RUNNING !== expect || end.shown !== expect || end.hosts !== steady.hosts) {
      throw new Error(
        `${name} at ${steady.clock}: ${steady.tasksByState.RUNNING} running of ${expect}, ` +
          `${end.shown} drawn, ${end.hosts} host cards for ${steady.hosts} hosts`,
      );
    }
    if (problems.length) throw new Error(`${name}: page problems: ${problems.join("; ")}`);
    return {
      name,
      label: LIMITS[name].label,
      layoutMs: opened.at,
      openFrames,
      frames: played.frames,
      playedTo: played.s.clock,
      hosts: steady.hosts,
      mem,
      memDay,
    };
  } finally {
    await browser.close();
  }
}
