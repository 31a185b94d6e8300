// Where the e2e harness finds the build and puts its artifacts, relative to the repo root.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");
export const DIST = join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "target", "e2e");
