// Page benchmark, run by `cargo xtask bench` after `trunk build --release`:
// download size of the app, time to first render, animation frame times, and the page at
// the documented limits (bench/limits.mjs).
// Prints one `bench:` line per figure.
import { readdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { serveDir } from "../lib/server.mjs";
import { launch, collectProblems } from "../lib/browser.mjs";
import { DIST } from "../lib/paths.mjs";
import { longLink } from "../lib/link.mjs";
import { limitsCase, PLAY_SECONDS, MEMORY_DAYS } from "./limits.mjs";
import { verdictCase } from "./verdict.mjs";
import { workloadCase, reportWorkload } from "./workload.mjs";

// `node bench/page.mjs limits` runs only the limits cases, `verdict` only the cost verdict's,
// `workload` only the fleet workload natively and in the page (the default runs everything).
const ONLY = process.argv[2];

const RUNS = 5;
const FRAMES = 120;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The importer's files, which the page fetches only when the Import panel opens. */
const isImporter = (f) => f === "import-worker.js" || f.startsWith("fleetsim-importer");

/** Gzipped bytes of the .wasm and .js files in dist/ that `keep` selects. */
async function gzSize(keep) {
  const files = (await readdir(DIST)).filter((f) => (f.endsWith(".wasm") || f.endsWith(".js")) && keep(f));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = await readFile(join(DIST, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gz };
}

// Installed before any page script: notes when the first host card reaches the DOM.
const FIRST_RENDER_PROBE = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="host"]')) {
      window.__firstHostAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

/** Milliseconds from navigation start to the first host card, in a fresh profile. */
async function firstRender(url) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.addInitScript(FIRST_RENDER_PROBE);
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.__firstHostAt !== undefined, null, { timeout: 20_000 });
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return await page.evaluate(() => window.__firstHostAt);
  } finally {
    await browser.close();
  }
}

/** requestAnimationFrame intervals over FRAMES frames of the loaded page. */
async function frameTimes(url) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector('[data-testid="host"]', { timeout: 20_000 });
    return await page.evaluate(
      (n) =>
        new Promise((resolve) => {
          const deltas = [];
          let last = performance.now();
          const tick = (t) => {
            deltas.push(t - last);
            last = t;
            if (deltas.length < n) requestAnimationFrame(tick);
            else resolve(deltas.slice(1));
          };
          requestAnimationFrame(tick);
        }),
      FRAMES,
    );
  } finally {
    await browser.close();
  }
}

/**
 * In the page: starts a replay (a timeline drag to `scrubMinute`, or a `#s=` link), then
 * records every requestAnimationFrame interval until `window.fleetsim.state()` shows no replay
 * under way at `doneAtMs`. Resolves to { took, frames } (ms from the start to done, and the
 * intervals). Plain data in, no code strings: the page's CSP forbids eval.
 */
const TIMED_REPLAY = async ({ scrubMinute, hash, doneAtMs }) => {
  const frames = [];
  let last = performance.now();
  const t0 = last;
  if (hash !== undefined) {
    location.hash = hash;
  } else {
    const el = document.querySelector('[data-testid="scrubber"]');
    el.value = String(scrubMinute);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }
  // Frame timestamps are taken when a frame starts, and the page's own frame callback (and
  // the redraw of the arrived world) run after that inside the same frame: so the interval to
  // the frame after arrival is recorded too, or the last frame's work would go unseen.
  return new Promise((resolve) => {
    let took;
    const tick = (t) => {
      frames.push(t - last);
      last = t;
      if (took !== undefined) return resolve({ took, frames });
      const s = window.fleetsim.state();
      if (s.replayingPercent === null && s.nowMs === doneAtMs) took = performance.now() - t0;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
};

/** Seeks by the timeline (as a drag does: the page's sliced path) to each minute in turn. */
async function timelineSeeks(page, minutes) {
  const out = [];
  for (const m of minutes) {
    out.push({
      minute: m,
      ...(await page.evaluate(TIMED_REPLAY, { scrubMinute: m, doneAtMs: m * 60_000 })),
    });
  }
  return out;
}

const DAY_MIN = 24 * 60;
/** Far, near, back and forth within the 30 days played. */
const SEEK_MINUTES = [29.5, 1, 15, 15.1, 7.3, 22, 0.5, 29, 12.25, 3].map((d) => Math.round(d * DAY_MIN));
const LINK = { commands: 2_000, services: 6, tasks: 400, atMs: 25 * 86_400_000 };

/** Opens a long link (LINK) from the workshop page and times its sliced replay. */
async function openLongLink(url) {
  const browser = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector('[data-testid="host"]', { timeout: 20_000 });
    const share = longLink(LINK);
    const r = await page.evaluate(TIMED_REPLAY, { hash: `#s=${share}`, doneAtMs: LINK.atMs });
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return { ...r, chars: share.length };
  } finally {
    await browser.close();
  }
}

const LARGE_SECONDS = 10;
const HEAP_DAYS = 30;

/** JS heap (after a forced GC) and the wasm linear memory, in bytes. */
async function memory(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const wasm = await page.evaluate(() => window.fleetsim.state().wasmMemoryBytes);
  return { js: usedSize, wasm };
}

/**
 * The large world (300 hosts, 5,000 tasks) playing at top speed: rAF intervals over
 * LARGE_SECONDS, then memory while it keeps playing, at day 10 and at HEAP_DAYS, so growth
 * without bound would show as a difference.
 */
async function largeWorld(url) {
  const browser = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(url + "#large", { waitUntil: "load" });
    await page.waitForFunction(() => window.fleetsim?.state().hosts >= 250, null, { timeout: 60_000 });
    const start = await page.evaluate(() => {
      window.fleetsim.topSpeed();
      return window.fleetsim.play();
    });
    const frames = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const deltas = [];
          let last = performance.now();
          const end = last + ms;
          const tick = (t) => {
            deltas.push(t - last);
            last = t;
            if (t < end) requestAnimationFrame(tick);
            else resolve(deltas.slice(1));
          };
          requestAnimationFrame(tick);
        }),
      LARGE_SECONDS * 1000,
    );
    const s = await page.evaluate(() => window.fleetsim.state());
    const tasks = Object.values(s.tasksByState).reduce((a, b) => a + b, 0);
    const cdp = await page.context().newCDPSession(page);
    const at = async (day) => {
      await page.waitForFunction((d) => window.fleetsim.state().nowMs >= d * 86_400_000, day, {
        timeout: 120_000,
        polling: 500,
      });
      return memory(page, cdp);
    };
    const day10 = await at(10);
    const end = await at(HEAP_DAYS);
    await page.evaluate(() => window.fleetsim.pause());
    const checkpoints = (await page.evaluate(() => window.fleetsim.state())).checkpoints;
    const seeks = await timelineSeeks(page, SEEK_MINUTES);
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return { frames, day10, end, hosts: start.hosts, tasks, speed: start.speed, days: HEAP_DAYS, seeks, checkpoints };
  } finally {
    await browser.close();
  }
}

/** Prints the figures of one limits case against the goals for the page at the limits. */
function reportLimits(r) {
  const f = r.frames;
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(
    `bench: limits, ${r.label} (${r.hosts} hosts when steady): every task drawn ${r.layoutMs.toFixed(0)} ms ` +
      `after the page opened (goal ≤ 1000 ms); from opening through ${PLAY_SECONDS} s of top-speed play ` +
      `(to ${r.playedTo}): ${f.length} frames, p50 ${pct(f, 0.5).toFixed(1)} ms, p95 ${pct(f, 0.95).toFixed(1)} ms ` +
      `(goal ≤ 16.7), max ${Math.max(...f).toFixed(1)} ms (goal ≤ 100), ${f.filter((x) => x > 100).length} over 100 ms, ` +
      `${f.filter((x) => x > 50).length} over 50 ms`,
  );
  console.log(
    `bench: limits, ${r.label}: memory at day ${r.memDay.toFixed(1)}: JS heap ${mb(r.mem.js)} + wasm ${mb(r.mem.wasm)} ` +
      `= ${mb(r.mem.js + r.mem.wasm)} (goal ≤ 150 MB after ${MEMORY_DAYS} days)`,
  );
}

/** Times the cost verdict panel on the workshop world, a real template and the large world. */
async function reportVerdicts(url) {
  for (const [label, where] of [
    ["workshop world", {}],
    ["24-cfn-managed-instances-two-services.json", { file: "24-cfn-managed-instances-two-services.json" }],
    ["large world", { hash: "#large" }],
  ]) {
    const r = await verdictCase(url, where);
    console.log(
      `bench: cost verdict, ${label}: ${r.workMs.toFixed(0)} ms of simulation in ${r.slices} slices ` +
        `(longest ${r.longestMs.toFixed(1)} ms), ${r.wall.toFixed(0)} ms until shown; frame interval meanwhile ` +
        `max ${Math.max(...r.frames).toFixed(1)} ms (goal ≤ 50 ms)`,
    );
  }
}

if (ONLY === "verdict") {
  const server = await serveDir(DIST);
  try {
    await reportVerdicts(server.url);
  } finally {
    await server.close();
  }
  process.exit(0);
}

if (ONLY === "workload") {
  const server = await serveDir(DIST);
  try {
    reportWorkload(await workloadCase(server.url));
  } finally {
    await server.close();
  }
  process.exit(0);
}

if (ONLY === "limits") {
  const server = await serveDir(DIST);
  try {
    for (const name of ["tasks", "hosts"]) reportLimits(await limitsCase(server.url, name));
  } finally {
    await server.close();
  }
  process.exit(0);
}

const size = await gzSize((f) => !isImporter(f));
console.log(`bench: app download ${kib(size.gz)} gzipped (${kib(size.raw)} raw; ${size.files.join(", ")})`);
const importer = await gzSize(isImporter);
console.log(
  `bench: importer, fetched when the Import panel opens: ${kib(importer.gz)} gzipped ` +
    `(${kib(importer.raw)} raw; ${importer.files.join(", ")})`,
);

const server = await serveDir(DIST);
try {
  const renders = [];
  for (let i = 0; i < RUNS; i++) renders.push(await firstRender(server.url));
  console.log(
    `bench: first render ${median(renders).toFixed(0)} ms median of ${RUNS} cold loads ` +
      `(min ${Math.min(...renders).toFixed(0)}, max ${Math.max(...renders).toFixed(0)})`,
  );
  const frames = await frameTimes(server.url);
  console.log(
    `bench: frame interval p50 ${pct(frames, 0.5).toFixed(1)} ms, p95 ${pct(frames, 0.95).toFixed(1)} ms, ` +
      `max ${Math.max(...frames).toFixed(1)} ms over ${frames.length} frames (static page)`,
  );
  const large = await largeWorld(server.url);
  console.log(
    `bench: large world (${large.hosts} hosts, ${large.tasks} tasks) at ${large.speed}: frame interval ` +
      `p50 ${pct(large.frames, 0.5).toFixed(1)} ms, p95 ${pct(large.frames, 0.95).toFixed(1)} ms, ` +
      `max ${Math.max(...large.frames).toFixed(1)} ms over ${large.frames.length} frames (${LARGE_SECONDS} s; ` +
      `${(large.frames.length / LARGE_SECONDS).toFixed(1)} frames/s; ` +
      `${large.frames.filter((f) => f > 25).length} intervals over 25 ms, i.e. a missed vsync)`,
  );
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(
    `bench: memory while the large world plays: day 10 JS heap ${mb(large.day10.js)} + wasm ${mb(large.day10.wasm)}; ` +
      `day ${large.days} JS heap ${mb(large.end.js)} + wasm ${mb(large.end.wasm)}`,
  );
  const took = large.seeks.map((s) => s.took);
  // The first interval counts too: it runs from just before the drag to the first frame.
  const blocked = large.seeks.flatMap((s) => s.frames);
  console.log(
    `bench: large world, timeline seeks within ${large.days} days (${large.seeks.length} seeks, ` +
      `${large.checkpoints} checkpoints): median ${median(took).toFixed(0)} ms, max ${Math.max(...took).toFixed(0)} ms ` +
      `(goal ≤ 250 ms); longest frame during them ${Math.max(...blocked).toFixed(1)} ms (goal ≤ 50 ms)`,
  );
  for (const s of large.seeks) {
    console.log(`bench:   seek to day ${(s.minute / DAY_MIN).toFixed(2)}: ${s.took.toFixed(0)} ms, ${s.frames.length} frames`);
  }
  const link = await openLongLink(server.url);
  const linkFrames = link.frames;
  console.log(
    `bench: opening a ${LINK.commands}-command link (${link.chars} characters, ${LINK.services}×${LINK.tasks} tasks, ` +
      `${LINK.atMs / 86_400_000} days): ${(link.took / 1000).toFixed(1)} s over ${link.frames.length} frames; ` +
      `longest frame ${Math.max(...linkFrames).toFixed(1)} ms, p95 ${pct(linkFrames, 0.95).toFixed(1)} ms, ` +
      `${linkFrames.filter((f) => f > 50).length} over 50 ms (goal 0)`,
  );
  await reportVerdicts(server.url);
  for (const name of ["tasks", "hosts"]) reportLimits(await limitsCase(server.url, name));
  reportWorkload(await workloadCase(server.url));
} finally {
  await server.close();
}
