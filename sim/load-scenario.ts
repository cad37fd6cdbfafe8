import type { FanoutSpec } from "../workloads/fanout.js";
import { statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";

import { ReusePolicy } from "../policies/reuse-policy.js";
import { makeSampler } from "./distributions.js";
import { parseDuration } from "./duration.js";
import { isUserError, UserError } from "./errors.js";
import { silentLogger, type Logger } from "./logger.js";
import type {
  EnvironmentSpec,
  Scenario,
  SyntheticWorkloadSpec,
  TraceWorkloadSpec,
  WorkloadSpec,
} from "./scenario.js";
import { messages, show, suggest } from "./scenario-messages.js";
import type {
  EnvironmentFile,
  ScenarioFile,
  SyntheticWorkloadFile,
  TraceWorkloadFile,
  WorkloadFile,
} from "./scenario-schema.js";
import { formatPath, ScenarioSource, type FieldPath } from "./scenario-source.js";

/*
 * Loading a scenario: read the file, parse it with positions (scenario-source.ts), check it
 * against the schema (scenario-validation.ts), then resolve every value: durations to seconds,
 * distributions to samplers, policies to ReusePolicy objects. Every error is a one-line
 * UserError that starts with the file, line and column of the value at fault.
 */

export interface LoadScenarioOptions {
  /** Overrides the file's seed. */
  seed?: number;
  /** Receives warnings (from policies, and YAML warnings). */
  logger?: Logger;
  /** Values for `${VAR}` in trace paths; the process environment is the fallback. */
  variables?: Record<string, string>;
}

/** Read, validate and resolve a scenario file (YAML or JSON). Throws UserError. */
export async function loadScenario(
  path: string,
  options: LoadScenarioOptions = {},
): Promise<Scenario> {
  const text = await readScenarioText(path);
  return parseScenario(text, path, options);
}

/**
 * Validate and resolve a scenario from its text. `file` names it in messages, and its folder is
 * where relative trace paths are read from. Throws UserError.
 */
export function parseScenario(
  text: string,
  file: string,
  options: LoadScenarioOptions = {},
): Scenario {
  const source = new ScenarioSource(text, file, options.logger ?? silentLogger);
  const scenarioFile = source.validate();
  return resolveScenario(scenarioFile, source, options);
}

/** Read and check a scenario file against the schema, without resolving it (for `lint`). */
export async function readScenarioFile(
  path: string,
  logger: Logger = silentLogger,
): Promise<{ data: ScenarioFile; source: ScenarioSource }> {
  const source = new ScenarioSource(await readScenarioText(path), path, logger);
  return { data: source.validate(), source };
}

async function readScenarioText(path: string): Promise<string> {
  try {
    if ((await stat(path)).isDirectory()) {
      throw new UserError("FILE_NOT_FOUND", messages.isDirectory(path));
    }
    return await readFile(path, "utf8");
  } catch (error) {
    if (isUserError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new UserError("FILE_NOT_FOUND", messages.noSuchFile(path));
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new UserError("FILE_NOT_FOUND", messages.unreadable(path, "permission denied"));
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// From the checked file to the resolved scenario.

/** Largest number of timeline rows per environment the default step gives. */
const MAX_TIMELINE_ROWS = 720;
const ROUND_STEPS_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
const DAY_SECONDS = 86400;
const NO_HORIZON_TIMELINE_STEP_SECONDS = 60;
const DEFAULT_CONTROL_PERIOD_SECONDS = 5;
const DEFAULT_SEED = 1;

/** What resolving one part of the file needs to know about the rest. */
interface Context {
  readonly source: ScenarioSource;
  readonly logger: Logger;
  /** Folder of the scenario file, absolute. */
  readonly baseDir: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Names of the environments, in file order. */
  readonly environmentNames: readonly string[];
  /** Slots per replica of each environment (1 for the no-reuse baseline). */
  readonly concurrency: ReadonlyMap<string, number>;
}

function resolveScenario(
  file: ScenarioFile,
  source: ScenarioSource,
  options: LoadScenarioOptions,
): Scenario {
  const context: Context = {
    source,
    logger: options.logger ?? silentLogger,
    baseDir: resolve(dirname(source.file)),
    variables: options.variables ?? {},
    environmentNames: Object.keys(file.environments),
    concurrency: new Map(
      Object.entries(file.environments).map(([name, environment]) => [
        name,
        typeof environment.policy === "object" && typeof environment.policy.concurrency === "number"
          ? environment.policy.concurrency
          : 1,
      ]),
    ),
  };

  // In the order of the file, so the first mistake in it is the one reported.
  const horizonSeconds = resolveHorizon(file, source);
  const controlPeriodSeconds =
    file.controlPeriod === undefined
      ? DEFAULT_CONTROL_PERIOD_SECONDS
      : source.at(["controlPeriod"], () => parseDuration(file.controlPeriod, "controlPeriod"));
  const timelineStepSeconds =
    file.timelineStep === undefined
      ? defaultTimelineStep(horizonSeconds)
      : positiveDuration(file.timelineStep, ["timelineStep"], source);

  const environments = Object.entries(file.environments).map(([name, environment]) =>
    resolveEnvironment(name, environment, context),
  );
  const workloads = file.workloads.map((workload, index) =>
    resolveWorkload(workload, ["workloads", index], context),
  );

  return {
    name: file.name ?? basename(source.file, extname(source.file)),
    seed: resolveSeed(file, options),
    horizonSeconds,
    controlPeriodSeconds,
    timelineStepSeconds,
    environments,
    workloads,
    baseDir: context.baseDir,
  };
}

function resolveSeed(file: ScenarioFile, options: LoadScenarioOptions): number {
  if (options.seed === undefined) return file.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(options.seed) || options.seed < 0) {
    throw new UserError("BAD_OPTION", messages.badSeedOption(show(options.seed)));
  }
  return options.seed;
}

/** Seconds; Infinity when there is no horizon and every workload is a trace. */
function resolveHorizon(file: ScenarioFile, source: ScenarioSource): number {
  if (file.horizon !== undefined) return positiveDuration(file.horizon, ["horizon"], source);

  const synthetic = file.workloads.findIndex((workload) => !("trace" in workload));
  if (synthetic === -1) return Infinity;

  const workloadField = formatPath(["workloads", synthetic]);
  throw source.fail("BAD_SCENARIO", [], messages.horizonMissing(workloadField));
}

function positiveDuration(value: unknown, path: FieldPath, source: ScenarioSource): number {
  const seconds = source.at(path, () => parseDuration(value, formatPath(path)));
  if (seconds <= 0) throw source.fail("BAD_SCENARIO", path, messages.notPositive(show(value)));
  return seconds;
}

/** The smallest round step that keeps the timeline within MAX_TIMELINE_ROWS rows. */
function defaultTimelineStep(horizonSeconds: number): number {
  if (!Number.isFinite(horizonSeconds)) return NO_HORIZON_TIMELINE_STEP_SECONDS;

  const step = ROUND_STEPS_SECONDS.find((seconds) => horizonSeconds / seconds <= MAX_TIMELINE_ROWS);
  return step ?? Math.ceil(horizonSeconds / MAX_TIMELINE_ROWS / DAY_SECONDS) * DAY_SECONDS;
}

function resolveEnvironment(
  name: string,
  environment: EnvironmentFile,
  context: Context,
): EnvironmentSpec {
  const { source, logger } = context;
  const path = ["environments", name];

  const policyPath = [...path, "policy"];
  const policyOptions = environment.policy;
  const policy =
    policyOptions === "none"
      ? "none"
      : source.at(policyPath, () => {
          return new ReusePolicy(policyOptions, { field: formatPath(policyPath), logger });
        });

  const coldStartPath = [...path, "coldStart"];
  const coldStartSpec = environment.coldStart ?? { dist: "constant", value: 0 };
  const coldStart = source.at(coldStartPath, () =>
    makeSampler(coldStartSpec, formatPath(coldStartPath)),
  );

  const overhead = (key: "firstTaskOverhead" | "dispatchOverhead") => {
    const value = environment[key];
    if (value === undefined) return 0;
    return source.at([...path, key], () => parseDuration(value, formatPath([...path, key])));
  };

  return {
    name,
    policy,
    coldStart,
    firstTaskOverheadSeconds: overhead("firstTaskOverhead"),
    dispatchOverheadSeconds: overhead("dispatchOverhead"),
    cost: { perReplicaHour: environment.cost?.perReplicaHour ?? 0 },
  };
}

function resolveWorkload(workload: WorkloadFile, path: FieldPath, context: Context): WorkloadSpec {
  return "trace" in workload
    ? resolveTrace(workload, path, context)
    : resolveSynthetic(workload, path, context);
}

function resolveSynthetic(
  workload: SyntheticWorkloadFile,
  path: FieldPath,
  context: Context,
): SyntheticWorkloadSpec {
  checkEnvironment(workload.env, [...path, "env"], context);

  const durationPath = [...path, "duration"];
  const duration = context.source.at(durationPath, () =>
    makeSampler(workload.duration, formatPath(durationPath)),
  );

  const isAsync = workload.async ?? false;
  checkAsync(workload.env, isAsync, [...path, "async"], context);
  const timeoutSeconds =
    workload.timeout === undefined
      ? 0
      : positiveDuration(workload.timeout, [...path, "timeout"], context.source);

  return {
    kind: "synthetic",
    env: workload.env,
    arrivals: { process: workload.arrivals.process, rate: workload.arrivals.rate },
    duration,
    async: isAsync,
    timeoutSeconds,
    ...(workload.stream === undefined ? {} : { stream: workload.stream }),
    ...(workload.fanout === undefined
      ? {}
      : {
          fanout: resolveFanout(
            workload.fanout,
            workload.env,
            isAsync,
            [...path, "fanout"],
            context,
          ),
        }),
  };
}

function resolveFanout(
  fanout: NonNullable<SyntheticWorkloadFile["fanout"]>,
  parentEnv: string,
  parentAsync: boolean,
  path: FieldPath,
  context: Context,
): FanoutSpec {
  const env = fanout.env ?? parentEnv;
  if (fanout.env !== undefined) checkEnvironment(fanout.env, [...path, "env"], context);
  const isAsync = fanout.async ?? parentAsync;
  checkAsync(env, isAsync, [...path, fanout.async === undefined ? "env" : "async"], context);

  const durationPath = [...path, "duration"];
  return {
    ...(fanout.env === undefined ? {} : { env: fanout.env }),
    count: fanout.count,
    duration: context.source.at(durationPath, () =>
      makeSampler(fanout.duration, formatPath(durationPath)),
    ),
    waves: fanout.waves ?? 1,
    depth: fanout.depth ?? 1,
    tailSeconds:
      fanout.tail === undefined
        ? 0
        : context.source.at([...path, "tail"], () =>
            parseDuration(fanout.tail, formatPath([...path, "tail"])),
          ),
    async: isAsync,
  };
}

/**
 * The Flyte SDK's own check, made when a task is declared: concurrency above 1 shares one
 * process between tasks, which only async tasks can do.
 */
function checkAsync(env: string, isAsync: boolean, path: FieldPath, context: Context): void {
  const concurrency = context.concurrency.get(env) ?? 1;
  if (isAsync || concurrency <= 1) return;
  throw context.source.fail("BAD_SCENARIO", path, messages.syncWithConcurrency(env, concurrency));
}

function resolveTrace(
  workload: TraceWorkloadFile,
  path: FieldPath,
  context: Context,
): TraceWorkloadSpec {
  if (workload.env !== undefined) checkEnvironment(workload.env, [...path, "env"], context);

  const tracePath = [...path, "trace", "path"];
  const written = substituteVariables(workload.trace.path, tracePath, context);
  const absolute = resolve(context.baseDir, written);

  const kind = fileKind(absolute);
  if (kind !== "file") {
    const message =
      kind === "missing"
        ? messages.traceNotFound(written, absolute)
        : messages.traceNotAFile(written, absolute);
    throw context.source.fail("FILE_NOT_FOUND", tracePath, message);
  }

  return {
    kind: "trace",
    path: absolute,
    format: workload.trace.format,
    ...(workload.env === undefined ? {} : { env: workload.env }),
    async: workload.async ?? false,
  };
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` replaced from the given variables, else from the process environment. */
function substituteVariables(text: string, path: FieldPath, context: Context): string {
  return text.replace(VARIABLE, (_, name: string) => {
    const value = context.variables[name] ?? process.env[name];
    if (value === undefined) {
      throw context.source.fail("BAD_SCENARIO", path, messages.unsetVariable(name, text));
    }
    return value;
  });
}

function fileKind(path: string): "file" | "other" | "missing" {
  try {
    return statSync(path).isFile() ? "file" : "other";
  } catch {
    // Missing, or a parent is not a folder, or unreadable: there is no file to read here.
    return "missing";
  }
}

function checkEnvironment(name: string, path: FieldPath, context: Context): void {
  const names = context.environmentNames;
  if (names.includes(name)) return;

  const message = messages.unknownEnvironment(name, names, suggest(name, names));
  throw context.source.fail("BAD_SCENARIO", path, message);
}
