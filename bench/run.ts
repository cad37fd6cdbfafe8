import { EXAMPLE_TRACES } from "../scripts/scenario-catalogue.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import type { BenchResult } from "./one.js";
import { BENCH_WORKLOADS } from "./workloads.js";

/**
 * `npm run bench [-- --quick] [-- --repeat n] [-- --var name=value ...]`
 *
 * Runs each workload of bench/workloads.ts in a fresh child process (so peak memory is per
 * workload), then the trace scenarios if their files exist, prints a table and the targets, and
 * writes bench/results/latest.json. --quick leaves out the 100-million-task run; --repeat keeps
 * the fastest of n runs; --var is passed to the trace scenarios.
 */

const TARGET_TASKS_PER_SECOND = 3_000_000;
const TARGET_TASKS_PER_SECOND_ON = "pool-10m";
const TARGET_PEAK_RSS_BYTES = 250 * 1024 * 1024;
const TARGET_WALL_SECONDS = 10;
const TARGET_WALL_SECONDS_ON = "azure2019-day";

/**
 * Workloads 2 and 3 run the real Azure 2019 traces through `node bin/reuse-sim.js run`, with the
 * trace each example scenario is tested on (`--trace`; override with --var TRACE=PATH). Each runs
 * when its trace exists, and is reported as skipped otherwise. The whole command is timed
 * (start-up included); its peak RSS comes from /usr/bin/time where there is one, its task count
 * from the summary.json it writes.
 */
const TRACE_SCENARIOS = [
  { name: "azure2019-day", file: "azure2019-1fn-day.yaml" },
  { name: "azure2019-10fn", file: "azure2019-10fn.yaml" },
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const onePath = join(root, "dist", "bench", "one.js");
const cliPath = join(root, "bin", "reuse-sim.js");
const TIME_PATH = "/usr/bin/time";

interface Options {
  isQuick: boolean;
  repeat: number;
  variables: string[];
}

function readOptions(args: string[]): Options {
  const options: Options = { isQuick: false, repeat: 1, variables: [] };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--quick") options.isQuick = true;
    else if (args[i] === "--repeat") options.repeat = Math.max(1, Number(args[++i]) || 1);
    else if (args[i] === "--var") options.variables.push("--var", args[++i] ?? "");
    else
      throw new Error(
        `bench: unknown option ${JSON.stringify(args[i])}; expected --quick, --repeat n or --var name=value`,
      );
  }
  return options;
}

/** Run one measurement in a child; the fastest of `repeat` runs, with the largest peak RSS. */
function runChild(label: string, args: string[], repeat: number): BenchResult {
  const runs: BenchResult[] = [];
  for (let i = 0; i < repeat; i++) {
    process.stderr.write(`bench: ${label}${repeat > 1 ? ` (run ${i + 1} of ${repeat})` : ""}...\n`);
    const child = spawnSync(process.execPath, [onePath, ...args], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`bench: ${label} failed (exit ${child.status})`);
    runs.push(JSON.parse(child.stdout.trim().split("\n").pop() as string) as BenchResult);
  }
  return fastestOf(runs);
}

/** `reuse-sim run <file>` in a child, timed from outside; the fastest of `repeat` runs. */
function runScenarioFile(
  name: string,
  file: string,
  variables: string[],
  repeat: number,
): BenchResult {
  const runs: BenchResult[] = [];
  for (let i = 0; i < repeat; i++) {
    process.stderr.write(`bench: ${name}${repeat > 1 ? ` (run ${i + 1} of ${repeat})` : ""}...\n`);
    const out = mkdtempSync(join(tmpdir(), "reuse-sim-bench-"));
    const command = [process.execPath, cliPath, "run", file, "--quiet", "--no-tasks", "--force"];
    command.push("--out", out, ...variables);
    const hasTime = existsSync(TIME_PATH);
    const [program, ...args] = hasTime ? [TIME_PATH, "-f", "%M", ...command] : command;

    const startedAt = process.hrtime.bigint();
    const child = spawnSync(program, args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "ignore", "pipe"],
    });
    const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (child.status !== 0) {
      rmSync(out, { recursive: true, force: true });
      throw new Error(`bench: ${name} failed (exit ${child.status}): ${child.stderr.trim()}`);
    }

    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    rmSync(out, { recursive: true, force: true });
    const peakKilobytes = hasTime ? Number(child.stderr.trim().split("\n").pop()) : NaN;
    runs.push({
      name,
      tasks: summary.total.tasks.arrived,
      events: null,
      wallSeconds,
      peakRssBytes: Number.isFinite(peakKilobytes) ? peakKilobytes * 1024 : null,
      replicaColdStarts: summary.total.coldStarts.replicas,
      peakReplicas: summary.total.replicas.peak,
    });
  }
  return fastestOf(runs);
}

function fastestOf(runs: BenchResult[]): BenchResult {
  const fastest = runs.reduce((best, run) => (run.wallSeconds < best.wallSeconds ? run : best));
  const peaks = runs.map((run) => run.peakRssBytes).filter((peak) => peak !== null);
  return { ...fastest, peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null };
}

const millions = (n: number): string => `${(n / 1e6).toFixed(2)} M`;
const megabytes = (bytes: number | null): string =>
  bytes === null ? "-" : `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Plain tables: the output is read in logs and diffs more than on a colour terminal. */
const PLAIN = { style: { head: [], border: [] } };

function main(): void {
  const options = readOptions(process.argv.slice(2));
  const results: BenchResult[] = [];
  const skipped: { name: string; reason: string }[] = [];

  for (const workload of BENCH_WORKLOADS) {
    if (options.isQuick && workload.isSlow) {
      skipped.push({ name: workload.name, reason: "left out by --quick" });
      continue;
    }
    results.push(runChild(workload.name, [workload.name], options.repeat));
  }
  for (const trace of TRACE_SCENARIOS) {
    const tracePath = EXAMPLE_TRACES[trace.file];
    const hasOwnTrace = options.variables.some((v) => v.startsWith("TRACE="));
    if (!hasOwnTrace && (tracePath === undefined || !existsSync(tracePath))) {
      skipped.push({ name: trace.name, reason: `its trace ${tracePath} is not there` });
      continue;
    }
    const variables = hasOwnTrace
      ? options.variables
      : ["--trace", tracePath, ...options.variables];
    const file = join("scenarios", trace.file);
    results.push(runScenarioFile(trace.name, file, variables, options.repeat));
  }

  const table = new Table({
    head: [
      "workload",
      "tasks",
      "events",
      "wall",
      "tasks/s",
      "events/s",
      "peak RSS",
      "replica starts",
    ],
    ...PLAIN,
  });
  for (const r of results) {
    table.push([
      r.name,
      millions(r.tasks),
      r.events === null ? "-" : millions(r.events),
      `${r.wallSeconds.toFixed(2)} s`,
      millions(r.tasks / r.wallSeconds),
      r.events === null ? "-" : millions(r.events / r.wallSeconds),
      megabytes(r.peakRssBytes),
      r.replicaColdStarts,
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  for (const s of skipped) process.stdout.write(`skipped ${s.name}: ${s.reason}\n`);

  const targets = [];
  const speed = results.find((r) => r.name === TARGET_TASKS_PER_SECOND_ON);
  if (speed !== undefined) {
    const measured = speed.tasks / speed.wallSeconds;
    targets.push({
      target: `${TARGET_TASKS_PER_SECOND_ON}: >= ${millions(TARGET_TASKS_PER_SECOND)} tasks/s`,
      measured: `${millions(measured)} tasks/s`,
      isMet: measured >= TARGET_TASKS_PER_SECOND,
    });
  }
  const day = results.find((r) => r.name === TARGET_WALL_SECONDS_ON);
  if (day !== undefined) {
    targets.push({
      target: `${TARGET_WALL_SECONDS_ON}: whole day < ${TARGET_WALL_SECONDS} s`,
      measured: `${day.wallSeconds.toFixed(2)} s`,
      isMet: day.wallSeconds < TARGET_WALL_SECONDS,
    });
  }
  for (const r of results) {
    targets.push({
      target: `${r.name}: peak RSS < ${megabytes(TARGET_PEAK_RSS_BYTES)}`,
      measured: megabytes(r.peakRssBytes),
      isMet: r.peakRssBytes !== null && r.peakRssBytes < TARGET_PEAK_RSS_BYTES,
    });
  }
  const targetTable = new Table({ head: ["target", "measured", ""], ...PLAIN });
  for (const t of targets) targetTable.push([t.target, t.measured, t.isMet ? "PASS" : "MISS"]);
  process.stdout.write(`${targetTable.toString()}\n`);

  const file = join(root, "bench", "results", "latest.json");
  mkdirSync(dirname(file), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    commit: gitCommit(),
    quick: options.isQuick,
    repeat: options.repeat,
    results,
    skipped,
    targets,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}

function gitCommit(): string | null {
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return git.status === 0 ? git.stdout.trim() : null;
}

main();
