import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
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
 * targets, and writes bench/results/latest.json. It exits with 1 when a target is missed.
 * --quick leaves out the 100-million-task run; --repeat keeps the fastest of n runs of each
 * workload (default 3; the 100-million-task run goes once); --trace-dir says where the Azure
 * trace excerpts are.
 */

const TARGET_TASKS_PER_SECOND = 3_000_000;
const TARGET_TASKS_PER_SECOND_ON = "pool-10m";
const TARGET_PEAK_RSS_BYTES = 250 * 1024 * 1024;
const TARGET_WALL_SECONDS = 10;
const TARGET_WALL_SECONDS_ON = "azure2019-day";
/**
 * Memory must not grow with the length of a run: the longest pool run may peak at most this much
 * above the shortest. The margin covers the heap's own growth steps, not a per-task record.
 */
const TARGET_RSS_GROWTH_BYTES = 32 * 1024 * 1024;
const POOL_SIZES = ["pool-1m", "pool-10m", "pool-100m"];
const DEFAULT_REPEAT = 3;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const onePath = join(root, "dist", "bench", "one.js");

interface Options {
  isQuick: boolean;
  repeat: number;
  /** Where the Azure trace excerpts are, if not in ../shared/data beside the repository. */
  traceDir?: string;
}

function readOptions(args: string[]): Options {
  const options: Options = { isQuick: false, repeat: DEFAULT_REPEAT };
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
    const repeat = workload.isSlow ? 1 : options.repeat;
    results.push(runChild(workload.name, [workload.name, ...args], repeat));
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
  const pools = POOL_SIZES.flatMap((name) => results.filter((r) => r.name === name));
  const shortest = pools[0];
  const longest = pools[pools.length - 1];
  if (pools.length > 1 && shortest.peakRssBytes !== null && longest.peakRssBytes !== null) {
    const growth = longest.peakRssBytes - shortest.peakRssBytes;
    targets.push({
      target: `${longest.name} peaks < ${megabytes(TARGET_RSS_GROWTH_BYTES)} above ${shortest.name}`,
      measured: `${growth < 0 ? "-" : "+"}${megabytes(Math.abs(growth))}`,
      isMet: growth < TARGET_RSS_GROWTH_BYTES,
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
  // Whole or not at all: a stopped benchmark leaves the previous results as they were.
  writeFileSync(`${file}.partial`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
  process.stdout.write(`wrote ${file}\n`);
  if (targets.some((t) => !t.isMet)) {
    process.stdout.write("bench: a target was missed\n");
    process.exitCode = 1;
  }
}

function gitCommit(): string | null {
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return git.status === 0 ? git.stdout.trim() : null;
}

main();
