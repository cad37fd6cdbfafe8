import type { FanoutSpec } from "../workloads/fanout.js";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";

import { makeSampler } from "./distributions.js";
import { parseDuration } from "./duration.js";
import { isUserError, UserError } from "./errors.js";
import { silentLogger, type Logger } from "./logger.js";
import { globToRegExp, isGlob } from "./glob.js";
import { resolveArrivals } from "./load-arrivals.js";
import { checkAsync, checkEnvironment, positiveDuration, type Context } from "./load-context.js";
import { DEFAULT_ENTRY, entrySlots, resolveEnvironments } from "./load-environments.js";
import { resolveTrace } from "./load-trace.js";
import { findNonText } from "./text-check.js";
import type {
  EnvironmentPattern,
  EnvironmentSpec,
  EnvironmentTemplate,
  Scenario,
  SyntheticWorkloadSpec,
  WorkloadSpec,
} from "./scenario.js";
import { messages, show } from "./scenario-messages.js";
import type { ScenarioFile, SyntheticWorkloadFile, WorkloadFile } from "./scenario-schema.js";
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
  /**
   * Variables the user gave on purpose (the CLI's --trace gives TRACE): a scenario that never
   * uses one is an error, since the run would silently replay something else.
   */
  requiredVariables?: readonly string[];
  /**
   * Keep only the N busiest environments of every trace workload (the CLI's --top), in place of
   * the workloads' own `top`. A scenario without a trace workload is then an error.
   */
  top?: number;
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
    return textOf(await readFile(path), path);
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

/** The file's bytes as text; a binary file is refused where its first non-text byte is. */
function textOf(bytes: Buffer, path: string): string {
  const nonText = findNonText(bytes);
  if (nonText === undefined) return bytes.toString("utf8");

  const { line, column, byte, isGzip } = nonText;
  throw new UserError(
    "BAD_SCENARIO",
    `${path}:${line}:${column}: ${messages.notText(byte, isGzip)}`,
  );
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
const MICROSECOND = 1e-6;
const MIN_TIMELINE_STEP_SECONDS = 0.001;
/** The most tasks one root task of a fan-out may make: its children at every depth. */
const MAX_TASKS_PER_ROOT = 1_000_000;
const DEFAULT_SEED = 1;

function resolveScenario(
  file: ScenarioFile,
  source: ScenarioSource,
  options: LoadScenarioOptions,
): Scenario {
  const context = makeContext(file, source, options);

  // In the order of the file, so the first mistake in it is the one reported.
  const horizonSeconds = resolveHorizon(file, source);
  const controlPeriodSeconds = resolveControlPeriod(file, source);
  const explicitStepSeconds = resolveTimelineStep(file, source);

  const { environments, patterns, defaultEnvironment } = resolveEnvironments(
    file.environments,
    source,
    context.logger,
  );
  const timelineStepSeconds =
    explicitStepSeconds ??
    defaultTimelineStep(
      horizonSeconds + longestIdleTtl(environments, defaultEnvironment, patterns),
    );
  const workloads = withTop(
    file.workloads.map((workload, index) =>
      resolveWorkload(workload, ["workloads", index], context),
    ),
    options.top,
    source,
  );
  checkRequiredVariables(file, context, options.requiredVariables ?? []);

  return {
    name: file.name ?? basename(source.file, extname(source.file)),
    seed: resolveSeed(file, options),
    horizonSeconds,
    controlPeriodSeconds,
    timelineStepSeconds,
    environments,
    ...(patterns.length === 0 ? {} : { environmentPatterns: patterns }),
    ...(defaultEnvironment === undefined ? {} : { defaultEnvironment }),
    workloads,
    baseDir: context.baseDir,
  };
}

/** The trace workloads keep the `top` busiest environments, when the user gave one. */
function withTop(
  workloads: WorkloadSpec[],
  top: number | undefined,
  source: ScenarioSource,
): WorkloadSpec[] {
  if (top === undefined) return workloads;
  if (!workloads.some((workload) => workload.kind === "trace")) {
    throw new UserError("BAD_OPTION", `${source.file}: ${messages.topWithoutTrace(top)}`);
  }
  return workloads.map((workload) => (workload.kind === "trace" ? { ...workload, top } : workload));
}

/** Every variable the user asked for must have been used by a trace path. */
function checkRequiredVariables(
  file: ScenarioFile,
  context: Context,
  required: readonly string[],
): void {
  const unused = required.find((name) => !context.usedVariables.has(name));
  if (unused === undefined) return;
  const paths = file.workloads.flatMap((workload) =>
    "trace" in workload ? [workload.trace.path] : [],
  );
  throw new UserError(
    "BAD_OPTION",
    `${context.source.file}: ${messages.unusedVariable(unused, paths)}`,
  );
}

/** The environments' names, templates and slots, as the workloads' checks need them. */
function makeContext(
  file: ScenarioFile,
  source: ScenarioSource,
  options: LoadScenarioOptions,
): Context {
  const names = Object.keys(file.environments);
  const patterns = names.filter(isGlob).map((name) => ({ name, regExp: globToRegExp(name) }));
  const hasDefault = names.includes(DEFAULT_ENTRY);
  const slots = entrySlots(file.environments);

  return {
    source,
    logger: options.logger ?? silentLogger,
    baseDir: resolve(dirname(source.file)),
    variables: options.variables ?? {},
    usedVariables: new Set(),
    environmentNames: names.filter((name) => name !== DEFAULT_ENTRY && !isGlob(name)),
    isTemplated: (name) => hasDefault || patterns.some(({ regExp }) => regExp.test(name)),
    hasTemplates: hasDefault || patterns.length > 0,
    concurrencyOf: slots.of,
    templateConcurrency: slots.templates,
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

/** 0 (exact timers), or a period the microsecond clock can count. */
function resolveControlPeriod(file: ScenarioFile, source: ScenarioSource): number {
  if (file.controlPeriod === undefined) return DEFAULT_CONTROL_PERIOD_SECONDS;
  const seconds = source.at(["controlPeriod"], () =>
    parseDuration(file.controlPeriod, "controlPeriod"),
  );
  if (seconds > 0 && seconds < MICROSECOND) {
    throw source.fail(
      "BAD_SCENARIO",
      ["controlPeriod"],
      messages.periodTooShort(show(file.controlPeriod)),
    );
  }
  return seconds;
}

/** The timeline's step as the file gives it, at least a millisecond; undefined if not given. */
function resolveTimelineStep(file: ScenarioFile, source: ScenarioSource): number | undefined {
  if (file.timelineStep === undefined) return undefined;
  const seconds = positiveDuration(file.timelineStep, ["timelineStep"], source);
  if (seconds < MIN_TIMELINE_STEP_SECONDS) {
    throw source.fail(
      "BAD_SCENARIO",
      ["timelineStep"],
      messages.stepTooShort(show(file.timelineStep)),
    );
  }
  return seconds;
}

/**
 * The longest idle_ttl of any environment, declared or a template: after the arrivals stop, a
 * run lasts at least that long (the idle tail), so the default step counts it in.
 */
function longestIdleTtl(
  environments: readonly EnvironmentSpec[],
  fallback: EnvironmentTemplate | undefined,
  patterns: readonly EnvironmentPattern[],
): number {
  const templates = [
    ...environments,
    ...patterns.map((p) => p.template),
    ...(fallback ? [fallback] : []),
  ];
  return templates.reduce(
    (longest, { policy }) => (policy === "none" ? longest : Math.max(longest, policy.getIdleTtl())),
    0,
  );
}

/**
 * The smallest round step that keeps the timeline within MAX_TIMELINE_ROWS rows over `seconds`
 * (the horizon and the longest idle tail; a run that drains a long queue takes longer still).
 */
function defaultTimelineStep(seconds: number): number {
  if (!Number.isFinite(seconds)) return NO_HORIZON_TIMELINE_STEP_SECONDS;

  const step = ROUND_STEPS_SECONDS.find((step) => seconds / step <= MAX_TIMELINE_ROWS);
  return step ?? Math.ceil(seconds / MAX_TIMELINE_ROWS / DAY_SECONDS) * DAY_SECONDS;
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
    arrivals: resolveArrivals(workload.arrivals, [...path, "arrivals"], context.source),
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
  const tasksPerRoot = descendants(fanout.count * (fanout.waves ?? 1), fanout.depth ?? 1);
  if (tasksPerRoot > MAX_TASKS_PER_ROOT) {
    const message = messages.fanoutTooLarge(tasksPerRoot, MAX_TASKS_PER_ROOT);
    throw context.source.fail("BAD_SCENARIO", path, message);
  }
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

/** Children at every depth of one root: perParent + perParent^2 + ... + perParent^depth. */
function descendants(perParent: number, depth: number): number {
  let total = 0;
  let level = 1;
  for (let i = 0; i < depth && total <= MAX_TASKS_PER_ROOT; i++) {
    level *= perParent;
    total += level;
  }
  return total;
}
