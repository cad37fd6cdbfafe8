import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../sim/errors.js";
import type { ScenarioDescription } from "../sim/scenario-description.js";
import type { Summary } from "../sim/summary.js";
import type { StartKind } from "../sim/task.js";
import { TIMELINE_COLUMNS, type TimelineRow } from "../sim/timeline.js";
import { forEachCsvRow, type CsvRow } from "./csv-rows.js";
import { checkScenario, checkSummary } from "./saved-run-check.js";
import { savedRunMessages as messages } from "./saved-run-messages.js";
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
 * streams folded into bounded aggregates, so a long trace's report needs little memory. Each is
 * checked against what `reuse-sim run --out` writes before anything is drawn from it: a damaged
 * folder is a UserError naming the file, the field or cell, and the value.
 */
export async function readSavedRun(dir: string): Promise<SavedRun> {
  const summaryPath = join(dir, "summary.json");
  const summary = checkSummary(await readJson(summaryPath), summaryPath);
  const scenarioPath = join(dir, "scenario.json");
  const scenario = checkScenario(await readJson(scenarioPath), scenarioPath);
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
  const latest = new Map<string, number>();
  await forEachCsvRow(path, TIMELINE_COLUMNS, (row) => {
    const timelineRow = readTimelineRow(row, summary.endSeconds);
    const previous = latest.get(timelineRow.env) ?? 0;
    if (timelineRow.time < previous) {
      const where = `${path}:${row.line}`;
      throw new UserError(
        "BAD_RUN",
        messages.outOfOrder(where, timelineRow.time, timelineRow.env, previous),
      );
    }
    latest.set(timelineRow.env, timelineRow.time);
    if (!aggregator.add(timelineRow)) throw unknownEnvironment(path, row, names);
  });
  return aggregator.result();
}

/** A row of timeline.csv, each value within what a run writes: a UserError otherwise. */
function readTimelineRow(row: CsvRow, endSeconds: number): TimelineRow {
  const time = row.measure("time");
  if (time > endSeconds) {
    throw new UserError("BAD_RUN", messages.afterEnd(row.where("time"), time, endSeconds));
  }
  return {
    time,
    env: row.text("env"),
    starting: row.measure("starting"),
    ready: row.measure("ready"),
    busy: row.measure("busy"),
    busySlots: row.measure("busySlots"),
    waiting: row.measure("waiting"),
    peakReplicas: row.count("peakReplicas"),
    peakWaiting: row.count("peakWaiting"),
    replicaStarts: row.count("replicaStarts"),
    envCreations: row.count("envCreations"),
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
        : isStartKind(kind, path, row) && waits.add(env, kind, row.measure("wait"));
    if (!isKnown) throw unknownEnvironment(path, row, names);
  });
  return waits;
}

function isStartKind(kind: string, path: string, row: CsvRow): kind is StartKind {
  if ((START_KINDS as readonly string[]).includes(kind)) return true;
  throw new UserError("BAD_RUN", messages.unknownKind(`${path}:${row.line}`, kind, START_KINDS));
}

function unknownEnvironment(path: string, row: CsvRow, names: readonly string[]): UserError {
  const where = `${path}:${row.line}`;
  return new UserError("BAD_RUN", messages.unknownEnvironment(where, row.text("env"), names));
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new UserError("BAD_RUN", messages.cannotRead(path));
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError("BAD_RUN", messages.notJson(path, (error as Error).message));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Both files name the same environments in the same order, as one run writes them. */
function checkSameEnvironments(summary: Summary, names: string[], dir: string): void {
  const inSummary = Object.keys(summary.environments);
  const onlyInSummary = inSummary.find((name) => !names.includes(name));
  const onlyInScenario = names.find((name) => !inSummary.includes(name));
  const at = inSummary.findIndex((name, index) => name !== names[index]);
  const message =
    onlyInSummary !== undefined
      ? messages.environmentOnlyIn(dir, onlyInSummary, "summary.json", "scenario.json")
      : onlyInScenario !== undefined
        ? messages.environmentOnlyIn(dir, onlyInScenario, "scenario.json", "summary.json")
        : at >= 0
          ? messages.environmentOrder(dir, at + 1, inSummary[at], names[at])
          : null;
  if (message !== null) throw new UserError("BAD_RUN", message);
}
