import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UserError, quote } from "../sim/errors.js";
import type { ScenarioDescription } from "../sim/scenario-description.js";
import type { Summary } from "../sim/summary.js";
import type { StartKind } from "../sim/task.js";
import { TIMELINE_COLUMNS, type TimelineRow } from "../sim/timeline.js";
import { forEachCsvRow, type CsvRow } from "./csv-rows.js";
import { TimelineAggregator, type TimelineBuckets } from "./timeline-buckets.js";
import { START_KINDS, WaitHistogram } from "./wait-histogram.js";

/** Everything a report is drawn from, read back from a run's output folder. */
export interface SavedRun {
  summary: Summary;
  scenario: ScenarioDescription;
  timeline: TimelineBuckets;
  /** Null when the run was saved without tasks.csv (--no-tasks). */
  waits: WaitHistogram | null;
}

/** Columns of tasks.csv that the report reads. */
const TASK_COLUMNS_READ = ["env", "wait", "kind"];

/**
 * Read a run's folder: summary.json and scenario.json whole, timeline.csv and tasks.csv as
 * streams folded into bounded aggregates, so a long trace's report needs little memory.
 */
export async function readSavedRun(dir: string): Promise<SavedRun> {
  const summary = checkSummary(await readJson(join(dir, "summary.json")), dir);
  const scenario = checkScenario(await readJson(join(dir, "scenario.json")), dir);
  const names = scenario.environments.map((env) => env.name);
  checkSameEnvironments(summary, names, dir);

  const timeline = await readTimeline(join(dir, "timeline.csv"), scenario, summary);
  const waits = (await exists(join(dir, "tasks.csv")))
    ? await readWaits(join(dir, "tasks.csv"), names)
    : null;
  return { summary, scenario, timeline, waits };
}

async function readTimeline(
  path: string,
  scenario: ScenarioDescription,
  summary: Summary,
): Promise<TimelineBuckets> {
  const names = scenario.environments.map((env) => env.name);
  const aggregator = new TimelineAggregator(
    scenario.timelineStepSeconds,
    summary.endSeconds,
    names,
  );
  await forEachCsvRow(path, TIMELINE_COLUMNS, (row) => {
    if (!aggregator.add(timelineRow(row))) throw unknownEnvironment(path, row, names);
  });
  return aggregator.result();
}

function timelineRow(row: CsvRow): TimelineRow {
  return {
    time: row.number("time"),
    env: row.text("env"),
    starting: row.number("starting"),
    ready: row.number("ready"),
    busy: row.number("busy"),
    busySlots: row.number("busySlots"),
    waiting: row.number("waiting"),
    peakReplicas: row.number("peakReplicas"),
    peakWaiting: row.number("peakWaiting"),
    replicaStarts: row.number("replicaStarts"),
    envCreations: row.number("envCreations"),
  };
}

async function readWaits(path: string, names: readonly string[]): Promise<WaitHistogram> {
  const waits = new WaitHistogram(names);
  await forEachCsvRow(path, TASK_COLUMNS_READ, (row) => {
    const env = row.text("env");
    const kind = row.text("kind");
    // A task that never started has no kind ("unfinished" in runs written before the outcome column).
    const isKnown =
      kind === "" || kind === "unfinished"
        ? waits.addUnfinished(env)
        : isStartKind(kind, path, row) && waits.add(env, kind, row.number("wait"));
    if (!isKnown) throw unknownEnvironment(path, row, names);
  });
  return waits;
}

function isStartKind(kind: string, path: string, row: CsvRow): kind is StartKind {
  if ((START_KINDS as readonly string[]).includes(kind)) return true;
  throw new UserError(
    "BAD_RUN",
    `${path}:${row.line}: kind ${quote(kind)} is not known; expected one of ${START_KINDS.join(", ")}, or empty for a task that never started`,
  );
}

function unknownEnvironment(path: string, row: CsvRow, names: readonly string[]): UserError {
  return new UserError(
    "BAD_RUN",
    `${path}:${row.line}: environment ${quote(row.text("env"))} is not in scenario.json; expected one of ${names.join(", ")}`,
  );
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new UserError(
      "BAD_RUN",
      `${path}: cannot read it; expected the folder of a run saved by reuse-sim run --out (with this version, which also saves scenario.json)`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError("BAD_RUN", `${path}: not valid JSON: ${(error as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

function checkSummary(value: unknown, dir: string): Summary {
  const isSummary =
    isObject(value) &&
    typeof value.scenario === "string" &&
    typeof value.endSeconds === "number" &&
    isObject(value.environments) &&
    isObject(value.total);
  if (!isSummary) throw malformed(join(dir, "summary.json"), "a summary written by reuse-sim run");
  return value as unknown as Summary;
}

function checkScenario(value: unknown, dir: string): ScenarioDescription {
  const isScenario =
    isObject(value) &&
    typeof value.name === "string" &&
    typeof value.timelineStepSeconds === "number" &&
    value.timelineStepSeconds > 0 &&
    Array.isArray(value.environments) &&
    value.environments.every((env) => isObject(env) && typeof env.name === "string");
  if (!isScenario) {
    throw malformed(join(dir, "scenario.json"), "a scenario description written by reuse-sim run");
  }
  return value as unknown as ScenarioDescription;
}

function checkSameEnvironments(summary: Summary, names: readonly string[], dir: string): void {
  const inSummary = Object.keys(summary.environments);
  if (inSummary.join("\n") !== names.join("\n")) {
    throw new UserError(
      "BAD_RUN",
      `${dir}: summary.json has environments ${quote(inSummary)} but scenario.json has ${quote(names)}; expected both from the same run`,
    );
  }
}

function malformed(path: string, expected: string): UserError {
  return new UserError("BAD_RUN", `${path}: not the expected shape; expected ${expected}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
