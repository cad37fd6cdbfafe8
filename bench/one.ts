import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import { findWorkload } from "./workloads.js";

/**
 * One benchmark measurement, run in a process of its own so that its peak memory is its own:
 * `node dist/bench/one.js <workload> [trace dir]` runs a workload of bench/workloads.ts and prints
 * one line of JSON (a BenchResult) on stdout; bench/run.ts collects them. The time covers the
 * simulation, reading the trace included; loading the scenario file and Node's start-up are not.
 */
export interface BenchResult {
  name: string;
  tasks: number;
  events: number;
  wallSeconds: number;
  /** Peak resident set size of the whole process, bytes; null where it cannot be measured. */
  peakRssBytes: number | null;
  replicaColdStarts: number;
  peakReplicas: number;
}

async function measure(name: string, run: () => Promise<Summary>, events: () => number) {
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
const traceDir = process.argv[3];
const missing = workload.missing(traceDir);
if (missing !== null) {
  process.stderr.write(`bench/one: cannot run ${workload.name}: ${missing}\n`);
  process.exit(2);
}
let events = 0;
const scenario = await workload.build(traceDir);
await measure(
  workload.name,
  () => simulate(scenario, { onFinish: (stats) => (events = stats.events) }),
  () => events,
);
