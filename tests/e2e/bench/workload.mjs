// The fleet benchmark (30 simulated days, about 300 hosts and 5,000 tasks, every lifecycle
// feature) run natively and in the page, for the "wasm within 2.5 × native" goal. The
// scenario comes from the Rust workload itself (`run_workload fleet_30d json`), so both runs
// simulate the same world; it checks itself: both must end with the same event digest.
import { execFileSync } from "node:child_process";
import { launch, collectProblems } from "../lib/browser.mjs";
import { encodeShare } from "../lib/link.mjs";
import { ROOT } from "../lib/paths.mjs";

const DAYS = 30;
const DAY_MS = 86_400_000;

function runWorkload(args) {
  return execFileSync(
    "cargo",
    ["run", "-q", "--profile", "bench", "-p", "fleetsim-tests", "--example", "run_workload", "--", "fleet_30d", ...args],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 },
  );
}

/** Resolves to { nativeMs, wasmMs, events, digest }, or throws when the two runs differ. */
export async function workloadCase(url) {
  const scenario = JSON.parse(runWorkload(["json"]));
  const native = runWorkload([String(DAYS)]).match(/in ([\d.]+) s wall, (\d+) events, digest ([0-9a-f]{16})/);
  if (!native) throw new Error("run_workload printed no summary line");
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${url}#s=${encodeShare({ scenario, at: 0 })}`, { waitUntil: "load" });
    await page.waitForFunction(() => window.fleetsim?.state().replayingPercent === null, null, { timeout: 60_000 });
    const r = await page.evaluate(
      ({ days, dayMs }) => {
        const from = window.fleetsim.state().nowMs;
        const t0 = performance.now();
        window.fleetsim.seek(days * dayMs);
        const ms = performance.now() - t0;
        return { ms, from, s: window.fleetsim.state() };
      },
      { days: DAYS, dayMs: DAY_MS },
    );
    if (r.from !== 0) throw new Error(`the link opened at ${r.from} ms, not at 0`);
    if (r.s.digest !== native[3] || r.s.events !== Number(native[2])) {
      throw new Error(`page: ${r.s.events} events, digest ${r.s.digest}; native: ${native[2]} events, digest ${native[3]}`);
    }
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return { nativeMs: Number(native[1]) * 1000, wasmMs: r.ms, events: r.s.events, digest: r.s.digest };
  } finally {
    await browser.close();
  }
}

export function reportWorkload(w) {
  console.log(
    `bench: fleet workload, ${DAYS} simulated days (${w.events} events, digest ${w.digest} in both): ` +
      `native ${w.nativeMs.toFixed(0)} ms (goal ≤ 1000 ms), in the page ${w.wasmMs.toFixed(0)} ms = ` +
      `${(w.wasmMs / w.nativeMs).toFixed(2)} × native (goal ≤ 2.5 ×)`,
  );
}
