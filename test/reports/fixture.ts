import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runScenario } from "../../cli/run.js";
import { readSavedRun, type SavedRun } from "../../reports/saved-run.js";
import { makeSampler } from "../../sim/distributions.js";
import { parseScenario } from "../../sim/load-scenario.js";
import { RecordingLogger } from "../../sim/logger.js";
import type { Scenario } from "../../sim/scenario.js";
import { env, inline, scenario } from "../helpers.js";

/** A run saved to a temporary folder by `reuse-sim run --out DIR --report`, and read back. */
export interface SavedFixture {
  dir: string;
  run: SavedRun;
  warnings: string[];
}

const folders: string[] = [];

/**
 * Simulate `s` into a fresh folder with the report; `tasks: false` is --no-tasks, and
 * `report: false` leaves the report out.
 */
export async function saveRun(
  s: Scenario,
  options: { tasks?: boolean; report?: boolean } = {},
): Promise<SavedFixture> {
  const parent = await mkdtemp(join(tmpdir(), "reuse-sim-report-"));
  folders.push(parent);
  const dir = join(parent, "run");
  const logger = new RecordingLogger();
  await runScenario(
    s,
    { out: dir, report: options.report ?? true, quiet: true, tasks: options.tasks },
    { stdout: process.stdout, stderr: process.stderr, logger },
  );
  return { dir, run: await readSavedRun(dir), warnings: logger.warnings };
}

/** Remove every folder saveRun made (call from an after hook). */
export async function removeSavedRuns(): Promise<void> {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

const lognormalColdStart = makeSampler({ dist: "lognormal", median: 20, p99: 90 }, "coldStart");

function poisson(envName: string, rate: number, meanSeconds: number) {
  return {
    kind: "synthetic",
    env: envName,
    arrivals: { process: "poisson", rate },
    duration: makeSampler({ dist: "exponential", mean: meanSeconds }, "duration"),
    async: false,
  } as const;
}

/** A pool and the no-reuse baseline fed the same kind of work: every chart has data. */
export const poolAndBaseline: Scenario = scenario(
  [
    env(
      "api",
      { replicas: [1, 4], idle_ttl: 120, scaledown_ttl: 60 },
      { coldStart: lognormalColdStart, cost: { perReplicaHour: 0.5 } },
    ),
    env("baseline", "none", { coldStart: lognormalColdStart }),
  ],
  [poisson("api", 0.2, 8), poisson("baseline", 0.2, 8)],
  {
    name: "pool-and-baseline",
    horizonSeconds: 1200,
    controlPeriodSeconds: 5,
    timelineStepSeconds: 1,
  },
);

/**
 * Whole-second arrivals, durations, cold starts and control ticks: every change of state falls on
 * a one-second timeline step, so the step means are exact counts and their peak is the true peak.
 */
export const wholeSeconds: Scenario = scenario(
  [env("jobs", { replicas: [0, 3], idle_ttl: 30, scaledown_ttl: 30 }, { coldStartSeconds: 4 })],
  [
    inline(
      [0, 0, 1, 2, 2, 3, 20, 21, 22, 90, 91, 92, 93].map((arrival, index) => ({
        arrival,
        duration: 5 + (index % 4) * 3,
        env: "jobs",
      })),
    ),
  ],
  { name: "whole-seconds", controlPeriodSeconds: 1, timelineStepSeconds: 1 },
);

/** A day of a steady function with one-second steps: 86,400 timeline rows to bound. */
export const oneDay: Scenario = scenario(
  [env("fn", { replicas: [1, 20], idle_ttl: 300, scaledown_ttl: 60 }, { coldStartSeconds: 12 })],
  [poisson("fn", 0.3, 6)],
  { name: "one-day", horizonSeconds: 86_400, controlPeriodSeconds: 5, timelineStepSeconds: 1 },
);

/**
 * One stream of parents that fan out, under three set-ups: the children queue behind their parent
 * on one slot (every task fails at the timeout), async concurrency 8, and the parent in a
 * no-reuse environment with its children in a pool of their own.
 */
export const fanoutSetUps: Scenario = parseScenario(
  `
name: fan-out-set-ups
seed: 3
horizon: 30m
controlPeriod: 5s
timelineStep: 10s
environments:
  starving:
    policy: { replicas: 1, idle_ttl: 5m, scaledown_ttl: 1m }
    coldStart: { dist: constant, value: 5s }
    cost: { perReplicaHour: 0.5 }
  async:
    policy: { replicas: 1, concurrency: 8, idle_ttl: 5m, scaledown_ttl: 1m }
    coldStart: { dist: constant, value: 5s }
    cost: { perReplicaHour: 0.5 }
  driver:
    policy: none
    coldStart: { dist: constant, value: 5s }
    cost: { perReplicaHour: 0.5 }
  workers:
    policy: { replicas: [1, 3], idle_ttl: 5m, scaledown_ttl: 1m }
    coldStart: { dist: constant, value: 5s }
    cost: { perReplicaHour: 0.5 }
workloads:
  - env: starving
    stream: parents
    timeout: 5m
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 10s }
    fanout: { count: 3, duration: { dist: exponential, mean: 30s }, tail: 5s }
  - env: async
    async: true
    stream: parents
    timeout: 5m
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 10s }
    fanout: { count: 3, duration: { dist: exponential, mean: 30s }, tail: 5s }
  - env: driver
    stream: parents
    timeout: 5m
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 10s }
    fanout: { env: workers, count: 3, duration: { dist: exponential, mean: 30s }, tail: 5s }
`,
  "fan-out-set-ups.yaml",
);

/** A driver in a no-reuse environment that fans out to a pool of workers: one set-up. */
export const driverAndWorkers: Scenario = parseScenario(
  `
name: driver-and-workers
seed: 3
horizon: 20m
timelineStep: 10s
environments:
  driver:
    policy: none
    coldStart: { dist: constant, value: 5s }
  workers:
    policy: { replicas: [1, 3], idle_ttl: 5m, scaledown_ttl: 1m }
    coldStart: { dist: constant, value: 5s }
workloads:
  - env: driver
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 10s }
    fanout: { env: workers, count: 3, duration: { dist: exponential, mean: 30s }, tail: 5s }
`,
  "driver-and-workers.yaml",
);

/** Parents that starve their children on one slot with no timeout: the run stalls. */
export const stalledRun: Scenario = parseScenario(
  `
name: stalled
horizon: 10m
environments:
  solo: { policy: { replicas: 1 }, coldStart: { dist: constant, value: 5s } }
workloads:
  - env: solo
    arrivals: { process: poisson, rate: 0.02 }
    duration: { dist: constant, value: 10s }
    fanout: { count: 2, duration: { dist: constant, value: 20s } }
`,
  "stalled.yaml",
);

/** Forty environments, each with its own load and price: more than a chart draws one by one. */
export const fortyEnvironments: Scenario = scenario(
  Array.from({ length: 40 }, (_, index) =>
    env(
      `fn-${String(index + 1).padStart(2, "0")}`,
      index % 5 === 4 ? "none" : { replicas: [index % 3, 3], idle_ttl: 120, scaledown_ttl: 60 },
      { coldStartSeconds: 3 + (index % 7), cost: { perReplicaHour: 0.1 + (index % 9) * 0.05 } },
    ),
  ),
  Array.from({ length: 40 }, (_, index) =>
    poisson(`fn-${String(index + 1).padStart(2, "0")}`, 0.01 + (index % 6) * 0.01, 5 + (index % 4)),
  ),
  {
    name: "forty-environments",
    horizonSeconds: 1200,
    controlPeriodSeconds: 5,
    timelineStepSeconds: 10,
  },
);
