import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import { findWorkload } from "./workloads.js";

/**
 * One benchmark measurement, run in a process of its own so that its peak memory is its own:
 * `node dist/bench/one.js <workload>` runs a workload of bench/workloads.ts and prints one line
 * of JSON (a BenchResult) on stdout; bench/run.ts collects them.
 */
export interface BenchResult {
  name: string;
  tasks: number;
  /** Null for a scenario file: the run command does not report the engine's counts. */
  events: number | null;
  wallSeconds: number;
  /** Peak resident set size of the whole process, bytes; null where it cannot be measured. */
  peakRssBytes: number | null;
  replicaColdStarts: number;
  peakReplicas: number;
}

async function measure(name: string, run: () => Promise<Summary>, events: () => number | null) {
  const startedAt = process.hrtime.bigint();
  const summary = await run();
  const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const result: BenchResult = {
    name,
    tasks: summary.total.tasks.arrived,
    events: events(),
    wallSeconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    replicaColdStarts: summary.total.coldStarts.replicas,
    peakReplicas: summary.total.replicas.peak,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const workload = findWorkload(process.argv[2] ?? "");
if (workload === undefined) {
  process.stderr.write(`bench/one: unknown workload ${JSON.stringify(process.argv[2])}\n`);
  process.exit(2);
}
let events = 0;
const scenario = workload.build();
await measure(
  workload.name,
  () => simulate(scenario, { onFinish: (stats) => (events = stats.events) }),
  () => events,
);
