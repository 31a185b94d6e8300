// The native `fleetsim` CLI (built from the same core) as an independent oracle for the page:
// preset links, decoded scenarios and the events a native run produces.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

const run = promisify(execFile);

/** Runs `fleetsim <args>` through cargo (it builds the CLI once if needed). */
export async function fleetsim(...args) {
  const { stdout } = await run(
    "cargo",
    ["run", "--quiet", "-p", "fleetsim-core", "--features", "import", "--bin", "fleetsim", "--", ...args],
    { cwd: ROOT, maxBuffer: 64 << 20 },
  );
  return stdout;
}

/** The workshop presets, each with the share string that opens it. */
export async function presets() {
  return JSON.parse(await fleetsim("presets"));
}

/** The state a share string holds ({scenario, script, at, panel}). */
export async function decode(share) {
  return JSON.parse(await fleetsim("decode", share));
}

/** Every event of a native run of `share` up to `until` (e.g. "0s", "2h"), as JSON objects. */
export async function nativeEvents(share, until) {
  const dir = await mkdtemp(join(tmpdir(), "fleetsim-events-"));
  try {
    const file = join(dir, "events.jsonl");
    await fleetsim("run", share, "--until", until, "--events", file);
    const text = await readFile(file, "utf8");
    return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
