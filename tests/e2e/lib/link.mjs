// Share links built in node (the core's format: `f1.` + base64url(raw deflate(JSON))), for
// tests that need links longer than any preset.
import { deflateRawSync } from "node:zlib";

export function encodeShare(shared) {
  return "f1." + deflateRawSync(Buffer.from(JSON.stringify(shared))).toString("base64url");
}

const MINUTE = 60_000;

/**
 * A link with `commands` recorded commands, one every 20 simulated minutes, scaling
 * `services` services of `tasks` tasks each up and down, opened at `atMs`.
 */
export function longLink({ commands, services = 4, tasks = 400, atMs }) {
  const names = Array.from({ length: services }, (_, i) => `svc-${i}`);
  const scenario = {
    name: `Long link (${commands} commands)`,
    capacityProvider: { instanceRequirements: { allowedInstanceTypes: ["m6i.2xlarge"] } },
    services: names.map((name) => ({ name, desiredCount: tasks, task: { cpu: 512, memory: 1024 } })),
  };
  const script = Array.from({ length: commands }, (_, i) => ({
    at: (i + 1) * 20 * MINUTE,
    type: "setDesiredCount",
    service: names[i % services],
    count: Math.round(tasks * (i % 3 === 0 ? 0.6 : 1)),
  }));
  return encodeShare({ scenario, script, at: atMs });
}
