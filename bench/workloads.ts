import { existsSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_TRACES, EXAMPLE_VARIABLES, SCENARIOS_DIR } from "../scripts/scenario-catalogue.js";
import { makeSampler } from "../sim/distributions.js";
import { loadScenario } from "../sim/load-scenario.js";
import { ReusePolicy } from "../policies/reuse-policy.js";
import type { Scenario } from "../sim/scenario.js";

/**
 * The benchmark's fixed, seeded workloads, built in code (no YAML). "pool" is the issue's
 * workload 1: one environment, Poisson arrivals at 100 tasks/s, exponential task times with a
 * mean of 1 s, replicas [2, 50] with 4 slots each, a lognormal cold start (median 5 s, p99 30 s)
 * and a 5 s control period. The mean load is 100 busy slots, 25 replicas' worth, and the random
 * swings of the Poisson stream keep the pool scaling up and down all run long.
 */
export interface BenchWorkload {
  name: string;
  /** Expected number of tasks (the Poisson count varies around it). */
  tasks: number;
  /** Left out by `npm run bench -- --quick`. */
  isSlow: boolean;
  /** Why it cannot run here (its trace is missing), or null. */
  missing(trace?: string): string | null;
  build(trace?: string): Promise<Scenario>;
}

const RATE_PER_SECOND = 100;

/** Workload 1 cut to `tasks` expected arrivals: the horizon is tasks / rate. */
export function poolScenario(tasks: number, seed = 1): Scenario {
  return {
    name: `pool-${tasks}`,
    seed,
    horizonSeconds: tasks / RATE_PER_SECOND,
    controlPeriodSeconds: 5,
    timelineStepSeconds: 60,
    baseDir: ".",
    environments: [
      {
        name: "api",
        policy: new ReusePolicy({
          replicas: [2, 50],
          concurrency: 4,
          idle_ttl: 300,
          scaledown_ttl: 30,
        }),
        coldStart: makeSampler({ dist: "lognormal", median: 5, p99: 30 }, "coldStart"),
        firstTaskOverheadSeconds: 0,
        dispatchOverheadSeconds: 0,
        cost: { perReplicaHour: 1 },
      },
    ],
    workloads: [
      {
        kind: "synthetic",
        env: "api",
        arrivals: { process: "poisson", rate: RATE_PER_SECOND },
        duration: makeSampler({ dist: "exponential", mean: 1 }, "duration"),
        async: true,
      },
    ],
  };
}

const pool = (label: string, tasks: number, isSlow = false): BenchWorkload => ({
  name: `pool-${label}`,
  tasks,
  isSlow,
  missing: () => null,
  build: async () => poolScenario(tasks),
});

/**
 * An example scenario that replays a real trace, loaded as `reuse-sim run` loads it, with the
 * trace the test suite gives it (or `trace`, from `npm run bench -- --trace-dir DIR`).
 */
const replay = (name: string, file: string, tasks: number): BenchWorkload => {
  const traceOf = (dir?: string): string => {
    const shipped = EXAMPLE_TRACES[file];
    return dir === undefined ? shipped : join(dir, shipped.slice(EXAMPLE_VARIABLES.DATA.length));
  };
  return {
    name,
    tasks,
    isSlow: false,
    missing: (dir) => (existsSync(traceOf(dir)) ? null : `its trace ${traceOf(dir)} is not there`),
    build: (dir) =>
      loadScenario(join(SCENARIOS_DIR, file), {
        variables: { ...EXAMPLE_VARIABLES, TRACE: traceOf(dir) },
      }),
  };
};

/**
 * Workload 1 is pool-10m; pool-1m, pool-10m and pool-100m together are workload 4. Workload 2 is
 * the busiest Azure Functions 2019 function's whole day, workload 3 ten functions as ten
 * environments: the example scenarios, on the trace excerpts they are tested with.
 */
export const BENCH_WORKLOADS: readonly BenchWorkload[] = [
  pool("1m", 1_000_000),
  pool("10m", 10_000_000),
  pool("100m", 100_000_000, true),
  replay("azure2019-day", "azure2019-1fn-day.yaml", 20_820_188),
  replay("azure2019-10fn", "azure2019-10fn.yaml", 13_037_064),
];

export function findWorkload(name: string): BenchWorkload | undefined {
  return BENCH_WORKLOADS.find((w) => w.name === name);
}
