import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import type { BenchResult } from "./one.js";
import { BENCH_WORKLOADS } from "./workloads.js";

/**
 * `npm run bench [-- --quick] [-- --repeat n] [-- --trace-dir DIR]`
 *
 * Runs each workload of bench/workloads.ts in a fresh child process (so peak memory is per
 * workload; a replay workload whose trace is missing is skipped), prints a table and the
 * targets, and writes bench/results/latest.json. --quick leaves out the 100-million-task run;
 * --repeat keeps the fastest of n runs; --trace-dir says where the Azure trace excerpts are.
 */

const TARGET_TASKS_PER_SECOND = 3_000_000;
const TARGET_TASKS_PER_SECOND_ON = "pool-10m";
const TARGET_PEAK_RSS_BYTES = 250 * 1024 * 1024;
const TARGET_WALL_SECONDS = 10;
const TARGET_WALL_SECONDS_ON = "azure2019-day";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const onePath = join(root, "dist", "bench", "one.js");

interface Options {
  isQuick: boolean;
  repeat: number;
  /** Where the Azure trace excerpts are, if not in ../shared/data beside the repository. */
  traceDir?: string;
}

function readOptions(args: string[]): Options {
  const options: Options = { isQuick: false, repeat: 1 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--quick") options.isQuick = true;
    else if (args[i] === "--repeat") options.repeat = Math.max(1, Number(args[++i]) || 1);
    else if (args[i] === "--trace-dir") options.traceDir = args[++i];
    else
      throw new Error(
        `bench: unknown option ${JSON.stringify(args[i])}; expected --quick, --repeat n or --trace-dir DIR`,
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
    const missing = workload.missing(options.traceDir);
    if (missing !== null) {
      skipped.push({ name: workload.name, reason: missing });
      continue;
    }
    const args = options.traceDir === undefined ? [] : [options.traceDir];
    results.push(runChild(workload.name, [workload.name, ...args], options.repeat));
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
      millions(r.events),
      `${r.wallSeconds.toFixed(2)} s`,
      millions(r.tasks / r.wallSeconds),
      millions(r.events / r.wallSeconds),
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
