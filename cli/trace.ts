import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Table from "cli-table3";
import { parseDuration } from "../sim/duration.js";
import { isReservedName } from "../sim/environment-names.js";
import { UserError, quote } from "../sim/errors.js";
import type { Logger } from "../sim/logger.js";
import { messages } from "../sim/scenario-messages.js";
import { RandomStreams } from "../sim/random.js";
import {
  MEMORY_STATS,
  type MemoryStat,
  type MinuteSpread,
  type TraceFormat,
  type TraceMapping,
  type TraceWorkloadSpec,
} from "../sim/scenario.js";
import { openTrace } from "../workloads/open.js";
import { type StreamStats, type TraceStats, traceStats } from "../workloads/trace-stats.js";

export const TRACE_FORMATS: readonly TraceFormat[] = ["tasks", "azure2019", "azure2021"];
const SPREADS: readonly MinuteSpread[] = ["uniform", "poisson", "even"];
const MAPPINGS: readonly TraceMapping["by"][] = ["function", "app", "all"];

/** Rows of the human table; --json has every environment. */
const TABLE_ROWS = 25;

export interface TraceStatsOptions {
  format: string;
  by?: string;
  top?: number;
  from?: string;
  to?: string;
  load?: number;
  spread?: string;
  durations?: string;
  memory?: string;
  memoryStat?: string;
  env?: string;
  seed: number;
  skipBadRows?: boolean;
  json?: boolean;
}

/**
 * `reuse-sim trace stats`: read a trace as a scenario would replay it (same readers, mapping,
 * window, load and seed) and describe it: counts, span, per-minute rates, the inter-arrival CV
 * and the duration percentiles, in total and per environment.
 */
export async function traceStatsCommand(
  path: string,
  options: TraceStatsOptions,
  io: { stdout: NodeJS.WritableStream; logger: Logger },
): Promise<TraceStats> {
  const spec = traceSpec(path, options);
  const source = openTrace(spec, {
    index: 0,
    streams: new RandomStreams(options.seed),
    logger: io.logger,
    horizonMicros: Infinity,
    envFlag: "--env",
  });
  const stats = await traceStats(source);
  io.stdout.write(
    options.json === true ? `${JSON.stringify(stats, null, 2)}\n` : formatTraceStats(path, stats),
  );
  return stats;
}

/** Flags that only one format reads, as the scenario's keys of the same names. */
const FORMAT_FLAGS: readonly [keyof TraceStatsOptions, string, TraceFormat][] = [
  ["spread", "--spread", "azure2019"],
  ["durations", "--durations", "azure2019"],
  ["memory", "--memory", "azure2019"],
  ["memoryStat", "--memory-stat", "azure2019"],
];

/**
 * The options as the trace workload a scenario would declare, checked as a scenario's keys are
 * (sim/load-trace.ts); bad values are BAD_OPTION.
 */
function traceSpec(path: string, options: TraceStatsOptions): TraceWorkloadSpec {
  const format = oneOf("--format", options.format, TRACE_FORMATS);
  checkFormatFlags(format, options);
  const absolute = existing(path, "trace");
  const seconds = (flag: string, value: string | undefined) =>
    value === undefined ? undefined : secondsOf(flag, value);
  const mapping =
    options.by === undefined ? undefined : { by: oneOf("--by", options.by, MAPPINGS) };

  const spec: TraceWorkloadSpec = {
    kind: "trace",
    path: absolute,
    format,
    async: false,
    skipBadRows: options.skipBadRows === true,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(mapping === undefined ? {} : { mapping }),
    ...(options.top === undefined ? {} : { top: options.top }),
    ...(options.load === undefined ? {} : { load: options.load }),
    fromSeconds: seconds("--from", options.from),
    toSeconds: seconds("--to", options.to),
    ...(options.spread === undefined ? {} : { spread: oneOf("--spread", options.spread, SPREADS) }),
    ...(options.durations === undefined
      ? {}
      : { durationsPath: existing(options.durations, "durations") }),
    ...(options.memory === undefined ? {} : { memoryPath: existing(options.memory, "memory") }),
    ...(options.memoryStat === undefined
      ? {}
      : { memoryStat: oneOf("--memory-stat", options.memoryStat, MEMORY_STATS) as MemoryStat }),
  };
  if (format === "tasks" && mapping?.by === "app") {
    throw new UserError("BAD_OPTION", "--by app needs an azure2019 or azure2021 trace");
  }
  checkWindow(spec.fromSeconds, spec.toSeconds);
  return spec;
}

/** What a scenario rejects, the command rejects too: keys of another format, env without all. */
function checkFormatFlags(format: TraceFormat, options: TraceStatsOptions): void {
  for (const [key, flag, only] of FORMAT_FLAGS) {
    if (options[key] !== undefined && format !== only) {
      throw new UserError("BAD_OPTION", messages.onlyFor(flag, only));
    }
  }
  if (options.env !== undefined && format !== "tasks" && options.by !== "all") {
    throw new UserError("BAD_OPTION", messages.onlyFor("--env", 'tasks and mapping by "all"'));
  }
  if (options.env !== undefined && isReservedName(options.env)) {
    throw new UserError("BAD_OPTION", `--env: ${messages.reservedEnvironment(options.env)}`);
  }
}

function checkWindow(fromSeconds: number | undefined, toSeconds: number | undefined): void {
  if (toSeconds !== undefined && toSeconds <= (fromSeconds ?? 0)) {
    throw new UserError("BAD_OPTION", `--to: ${messages.windowEmpty(fromSeconds ?? 0, toSeconds)}`);
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(
    "BAD_OPTION",
    `${flag}: unknown value ${quote(value)}; expected one of ${allowed.join(", ")}`,
  );
}

function existing(path: string, what: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new UserError("FILE_NOT_FOUND", `${path}: no such ${what} file or folder`);
  }
  return absolute;
}

function secondsOf(flag: string, value: string): number {
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value, flag);
  } catch (error) {
    throw new UserError("BAD_OPTION", (error as Error).message);
  }
}

/** The human table: one row per environment (busiest first), then the total. */
export function formatTraceStats(path: string, stats: TraceStats): string {
  const entries = Object.entries(stats.environments).sort(
    ([a, x], [b, y]) => y.tasks - x.tasks || (a < b ? -1 : 1),
  );
  const table = new Table({
    head: [
      "environment",
      "tasks",
      "first / last (s)",
      "per minute min / mean / max",
      "idle min",
      "gap CV",
      "duration p50 / p99 / max (s)",
      "memory MB",
    ],
    style: { head: [], border: [] },
    // One line per row: a separator between rows would double the table's height.
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const [name, env] of entries.slice(0, TABLE_ROWS)) table.push(row(name, env));
  if (entries.length > 1) table.push(row("total", stats.total));

  const hidden = entries.length - TABLE_ROWS;
  const more = hidden > 0 ? `\n${hidden} more environments: --json lists them all` : "";
  const heading =
    `${path}: ${stats.total.tasks} tasks in ${entries.length} environment${entries.length === 1 ? "" : "s"} ` +
    `over ${stats.spanMinutes} minutes`;
  return `${heading}\n${table.toString()}${more}\n`;
}

function row(name: string, stats: StreamStats): string[] {
  const { perMinute, duration } = stats;
  return [
    name,
    String(stats.tasks),
    `${orDash(stats.firstArrival, 1)} / ${orDash(stats.lastArrival, 1)}`,
    `${perMinute.min} / ${fixed(perMinute.mean, 1)} / ${perMinute.max}`,
    String(perMinute.minutesWithoutTasks),
    stats.interArrivalCv === null ? "-" : fixed(stats.interArrivalCv, 2),
    [duration.p50, duration.p99, duration.max].map((value) => fixed(value, 3)).join(" / "),
    stats.memoryMb === undefined ? "-" : String(stats.memoryMb),
  ];
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function orDash(value: number | null, digits: number): string {
  return value === null ? "-" : fixed(value, digits);
}
