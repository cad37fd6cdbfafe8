import { Writable } from "node:stream";
import { runCommand } from "../cli/run.js";
import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import { findWorkload } from "./workloads.js";

/**
 * One benchmark measurement, run in a process of its own so that its peak memory is its own:
 *
 *   node dist/bench/one.js <workload>                      a workload of bench/workloads.ts
 *   node dist/bench/one.js --scenario <file> [--var k=v]   a scenario file, as `reuse-sim run`
 *
 * Prints one line of JSON (a BenchResult) on stdout; bench/run.ts collects them.
 */
export interface BenchResult {
  name: string;
  tasks: number;
  /** Null for a scenario file: the run command does not report the engine's counts. */
  events: number | null;
  wallSeconds: number;
  /** Peak resident set size of the whole process, bytes. */
  peakRssBytes: number;
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

function readVariables(args: string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "--var") continue;
    const [key, ...rest] = (args[++i] ?? "").split("=");
    variables[key] = rest.join("=");
  }
  return variables;
}

const args = process.argv.slice(2);
if (args[0] === "--scenario") {
  const file = args[1];
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = { warn: (message: string) => process.stderr.write(`warning: ${message}\n`) };
  await measure(
    file,
    () =>
      runCommand(
        file,
        { quiet: true, variables: readVariables(args) },
        { stdout: discard, logger },
      ),
    () => null,
  );
} else {
  const workload = findWorkload(args[0] ?? "");
  if (workload === undefined) {
    process.stderr.write(`bench/one: unknown workload ${JSON.stringify(args[0])}\n`);
    process.exit(2);
  }
  let events = 0;
  const scenario = workload.build();
  await measure(
    workload.name,
    () => simulate(scenario, { onFinish: (stats) => (events = stats.events) }),
    () => events,
  );
}
