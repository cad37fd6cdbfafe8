import { UserError, quote } from "../sim/errors.js";
import { type Logger, silentLogger } from "../sim/logger.js";
import type { RandomStreams } from "../sim/random.js";
import type {
  InlineChild,
  InlineTask,
  Scenario,
  TraceWorkloadSpec,
  WorkloadSpec,
} from "../sim/scenario.js";
import type { ChildSpec, Fanout } from "../sim/task.js";
import { makeArrivalProcess } from "./arrival-processes.js";
import { Azure2019Source } from "./azure2019.js";
import { azure2019Files } from "./azure2019-files.js";
import { Azure2021Source } from "./azure2021.js";
import { BadRows } from "./bad-rows.js";
import { DEFAULT_ALL_NAME, busiest } from "./env-names.js";
import { FixedFanout } from "./fanout.js";
import { ReplayFilter } from "./replay-filter.js";
import { type EnvironmentCheck, environmentCheck, keptOnly } from "./scenario-environments.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { SyntheticSource } from "./synthetic.js";
import { TasksCsvSource, type TasksCsvOptions } from "./tasks-csv.js";
import { TasksJsonlSource } from "./tasks-jsonl.js";
import { TaskTreeSource } from "./task-tree.js";
import { TraceTimeout } from "./trace-timeout.js";

/** Make an arrival source for every workload of a scenario, each with its own random streams. */
export function openWorkloads(
  scenario: Scenario,
  streams: RandomStreams,
  logger: Logger,
): ArrivalSource[] {
  const horizonMicros = Number.isFinite(scenario.horizonSeconds)
    ? Math.round(scenario.horizonSeconds * 1e6)
    : Number.POSITIVE_INFINITY;
  const environments = environmentCheck(scenario);
  return scenario.workloads.map((spec, index) =>
    open(spec, { index, streams, logger, horizonMicros, environments }),
  );
}

/** What opening one workload needs besides its spec. */
export interface OpenContext {
  /** The workload's place in the scenario: names its streams and prefixes its task ids. */
  index: number;
  streams: RandomStreams;
  logger: Logger;
  horizonMicros: number;
  /**
   * The environments a `tasks` trace's rows may name, when the scenario can tell; a row naming
   * another is a bad row. Without it (`trace stats`), any name is read.
   */
  environments?: EnvironmentCheck;
  /** The command-line flag that gives a trace's `env` (`--env`); the workload's key unless given. */
  envFlag?: string;
}

function open(spec: WorkloadSpec, context: OpenContext): ArrivalSource {
  const { index, streams, horizonMicros } = context;
  const label = `workloads[${index}]`;
  if (spec.kind === "inline") return inlineSource(label, spec.tasks, index, horizonMicros);
  if (spec.kind === "trace") return openTrace(spec, context);
  // A named stream lets several workloads draw the same tasks, to compare policies on one load.
  const streamName = spec.stream === undefined ? String(index) : `named/${spec.stream}`;
  return new SyntheticSource({
    label,
    env: spec.env,
    idPrefix: `w${index}-`,
    process: makeArrivalProcess(spec.arrivals),
    duration: spec.duration,
    arrivalRng: streams.stream(`workload/${streamName}/arrivals`),
    durationRng: streams.stream(`workload/${streamName}/duration`),
    childrenRng: streams.stream(`workload/${streamName}/children`),
    horizonMicros,
    timeoutMicros: Math.round((spec.timeoutSeconds ?? 0) * 1e6),
    fanout: spec.fanout ?? null,
  });
}

/**
 * A trace workload as a stream of arrivals: its format's reader, then the window, the choice of
 * environments and the load, then its timeout on every task and child. Stream names:
 * `workload/I/load` (tasks, azure2021), and for azure2019 `workload/I/arrivals/KEY`,
 * `workload/I/duration/KEY` and `workload/I/load/KEY` per function.
 */
export function openTrace(spec: TraceWorkloadSpec, context: OpenContext): ArrivalSource {
  const source = openTraceReader(spec, context);
  const timeoutMicros = Math.round((spec.timeoutSeconds ?? 0) * 1e6);
  return timeoutMicros > 0 ? new TraceTimeout(source, timeoutMicros) : source;
}

function openTraceReader(spec: TraceWorkloadSpec, context: OpenContext): ArrivalSource {
  const { index, streams, logger, horizonMicros } = context;
  const label = `workloads[${index}] (${spec.path})`;
  const badRowsOf = (path: string) => new BadRows(path, spec.skipBadRows ?? false, logger);
  const fromMicros = Math.round((spec.fromSeconds ?? 0) * 1e6);
  const toMicros = spec.toSeconds === undefined ? Infinity : Math.round(spec.toSeconds * 1e6);
  const load = spec.load ?? 1;
  const loadRng = streams.stream(`workload/${index}/load`);
  const idPrefix = `w${index}-`;

  if (spec.format === "azure2019") {
    const files = azure2019Files(spec);
    return new Azure2019Source({
      label,
      invocationsPath: files.invocations,
      durationsPath: files.durations,
      memoryPath: files.memory,
      memoryStat: spec.memoryStat ?? "average",
      idPrefix,
      mapping: spec.mapping,
      env: spec.env,
      top: spec.top,
      spread: spec.spread ?? "uniform",
      load,
      fromMicros,
      toMicros,
      horizonMicros,
      arrivalRng: (key) => streams.stream(`workload/${index}/arrivals/${key}`),
      durationRng: (key) => streams.stream(`workload/${index}/duration/${key}`),
      loadRng: (key) => streams.stream(`workload/${index}/load/${key}`),
      badRowsOf,
    });
  }

  const filter = { fromMicros, toMicros, horizonMicros, load, loadRng };
  if (spec.format === "azure2021") {
    const options = { label, path: spec.path, idPrefix, mapping: spec.mapping, env: spec.env };
    const reader = new Azure2021Source({
      ...options,
      top: spec.top,
      sortLimit: spec.sortLimit,
      badRows: badRowsOf(spec.path),
    });
    return new ReplayFilter(reader, filter);
  }

  const by = spec.mapping?.by ?? "function";
  if (by === "app") {
    throw new UserError(
      "BAD_SCENARIO",
      `${label}: mapping.by ${quote(by)} needs a trace that records apps (azure2019 or azure2021); a tasks trace maps by its env column, or by "all"`,
    );
  }
  // Mapping by "all" replaces every name. With top N, only the kept environments' names are
  // checked (the others are never replayed), and the first pass that picks them reads them all.
  let kept: ReadonlySet<string> | undefined;
  const environments =
    by === "all" || context.environments === undefined
      ? undefined
      : spec.top === undefined
        ? context.environments
        : keptOnly(context.environments, () => kept);
  const tasksOptions = (isSkippingSilently: boolean): TasksCsvOptions => ({
    label,
    path: spec.path,
    env: spec.env,
    envFlag: context.envFlag,
    ...(isSkippingSilently || environments === undefined ? {} : { environments }),
    idPrefix,
    horizonMicros: Infinity,
    badRows: isSkippingSilently
      ? new BadRows(spec.path, spec.skipBadRows ?? false, silentLogger)
      : badRowsOf(spec.path),
  });
  const reader = tasksReader(spec.path, tasksOptions(false));
  const top = spec.top;
  return new ReplayFilter(reader, {
    ...filter,
    renameTo: by === "all" ? (spec.env ?? DEFAULT_ALL_NAME) : undefined,
    selectEnvironments:
      top === undefined
        ? undefined
        : async () => {
            kept = await busiestEnvironments(tasksReader(spec.path, tasksOptions(true)), top);
            return kept;
          },
  });
}

/** CSV, or JSON Lines for a file named *.jsonl or *.ndjson; rows may name parents. */
function tasksReader(path: string, options: TasksCsvOptions): ArrivalSource {
  const rows = /\.(jsonl|ndjson)$/i.test(path)
    ? new TasksJsonlSource(options)
    : new TasksCsvSource(options);
  return new TaskTreeSource(rows, options.badRows);
}

/** A first pass over a recorded trace: its `count` environments with the most tasks. */
async function busiestEnvironments(source: ArrivalSource, count: number): Promise<Set<string>> {
  const totals = new Map<string, number>();
  for (let batch = await source.next(); batch !== null; batch = await source.next()) {
    for (const arrival of batch) totals.set(arrival.env, (totals.get(arrival.env) ?? 0) + 1);
  }
  return busiest(totals, count);
}

/** Inline tasks are sorted by arrival (stable, so equal arrivals keep their given order). */
function inlineSource(
  label: string,
  tasks: readonly InlineTask[],
  index: number,
  horizonMicros: number,
): ArrivalSource {
  const arrivals: TaskArrival[] = tasks
    .map((task, n) => {
      const id = task.id ?? `w${index}-${n + 1}`;
      const timeoutMicros = Math.round((task.timeout ?? 0) * 1e6);
      return {
        id,
        env: task.env,
        arrivalAt: Math.round(task.arrival * 1e6),
        workMicros: Math.round(task.duration * 1e6),
        timeoutMicros,
        fanout: inlineFanout(task, id, task.env, timeoutMicros),
      };
    })
    .filter((task) => task.arrivalAt < horizonMicros)
    .sort((a, b) => a.arrivalAt - b.arrivalAt);
  let isDone = false;
  return {
    label,
    next: async () => {
      if (isDone || arrivals.length === 0) return null;
      isDone = true;
      return arrivals;
    },
    close: async () => {
      isDone = true;
    },
  };
}

function inlineFanout(
  parent: InlineTask | InlineChild,
  parentId: string,
  parentEnv: string,
  timeoutMicros: number,
): Fanout | null {
  if (parent.children === undefined) return null;
  const children: ChildSpec[] = parent.children.map((child, n) => {
    const id = child.id ?? `${parentId}.${n + 1}`;
    const env = child.env ?? parentEnv;
    return {
      id,
      env,
      workMicros: Math.round(child.duration * 1e6),
      timeoutMicros,
      fanout: inlineFanout(child, id, env, timeoutMicros),
    };
  });
  return new FixedFanout([children], Math.round((parent.tail ?? 0) * 1e6));
}
