// The largest worlds the core accepts, as share links: the page's "limits" cases.
// `tasks`: 20,000 small tasks of 50 services on six AZs (about 334 hosts). `hosts`: 2,000 tasks
// of 16 vCPU / 64 GiB, one per instance (distinctInstance), so 2,000 hosts.
import { encodeShare } from "./link.mjs";

const AZS = Array.from({ length: 6 }, (_, i) => `use1-az${i + 1}`);

export const LIMITS = {
  tasks: {
    label: "20,000 tasks",
    tasks: 20_000,
    scenario: {
      name: "Limits: 20,000 tasks",
      availabilityZones: AZS,
      capacityProvider: { maxInstances: 2000 },
      services: Array.from({ length: 50 }, (_, i) => ({
        name: `s${i}`,
        desiredCount: 400,
        task: { cpu: 256, memory: 512 },
      })),
    },
  },
  hosts: {
    label: "2,000 hosts",
    tasks: 2_000,
    scenario: {
      name: "Limits: 2,000 hosts",
      availabilityZones: AZS,
      capacityProvider: { maxInstances: 2000 },
      services: [
        {
          name: "big",
          desiredCount: 2000,
          task: { cpu: 16384, memory: 65536 },
          placementConstraints: [{ type: "distinctInstance" }],
        },
      ],
    },
  },
};

/** The `#s=` link that opens a limits case at time zero. */
export function limitsLink(name) {
  return encodeShare({ scenario: LIMITS[name].scenario, at: 0 });
}
