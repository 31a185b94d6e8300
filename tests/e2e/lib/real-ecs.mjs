// Where the real public ECS files (`shared/real-ecs/`) are, by the rules the Rust tests use
// (tests/src/real_ecs.rs): FLEETSIM_REAL_ECS, then a `shared/real-ecs` beside any folder above
// the repository, then the machines' fixed /work/shared/real-ecs. They are read at test time,
// never copied into the repository.
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ROOT } from "./paths.mjs";

const FIXED = "/work/shared/real-ecs";

function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The folder of real ECS files; throws with where it looked when there is none. */
export function realEcsDir() {
  const tried = [];
  const candidates = [];
  if (process.env.FLEETSIM_REAL_ECS) candidates.push(process.env.FLEETSIM_REAL_ECS);
  for (let d = ROOT; ; d = dirname(d)) {
    candidates.push(join(d, "shared", "real-ecs"));
    if (dirname(d) === d) break;
  }
  candidates.push(FIXED);
  for (const c of candidates) {
    if (isDir(c)) return c;
    tried.push(c);
  }
  throw new Error(`the real ECS files are read at test time and none were found; tried: ${tried.join(", ")}`);
}

export const realEcsPath = (name) => join(realEcsDir(), name);
export const realEcsText = (name) => readFile(realEcsPath(name), "utf8");
