import { once } from "node:events";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
import { stringify, type Stringifier } from "csv-stringify";
import { lintScenario } from "../policies/lint.js";
import { UserError } from "../sim/errors.js";
import { loadScenario } from "../sim/load-scenario.js";
import type { Logger } from "../sim/logger.js";
import { describeScenario } from "../sim/scenario-description.js";
import type { Scenario } from "../sim/scenario.js";
import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import { type Task, TaskState } from "../sim/task.js";
import { TIMELINE_COLUMNS, type TimelineRow } from "../sim/timeline.js";
import { onInterrupt } from "./interrupt.js";
import { type FileWriter, OutputDir } from "./output-dir.js";
import { startProgress } from "./progress.js";
import { formatSummaryTable } from "./summary-table.js";

export interface RunOptions {
  seed?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  tasks?: boolean;
  /** With out: also write report.html, report.md and charts/. */
  report?: boolean;
  variables?: Record<string, string>;
  /** Variables the scenario must use (TRACE, with --trace). */
  requiredVariables?: readonly string[];
  /** Turn on skipBadRows for every trace workload. */
  skipBadRows?: boolean;
  /** Keep only the N busiest environments of every trace workload. */
  top?: number;
}

export interface RunIo {
  stdout: NodeJS.WritableStream;
  /** Progress goes here, and only when it is a terminal. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  logger: Logger;
  /** How --out's files are written; Node's fs unless a test gives one that fails. */
  fileWriter?: FileWriter;
}

/**
 * A synthetic workload never waits for input, so the loop would hold the event loop for the
 * whole run; letting it in this often is what lets Ctrl-C stop a run at once.
 */
const YIELD_EVERY_MS = 100;

export const TASK_COLUMNS = [
  "id",
  "env",
  "arrival",
  "start",
  "end",
  "wait",
  "kind",
  "replica",
  "outcome",
  "parent",
];

/** How a task ended, for tasks.csv: a task still in flight when the run ended is unfinished. */
const OUTCOMES: Record<number, string> = {
  [TaskState.completed]: "completed",
  [TaskState.failed]: "failed",
  [TaskState.cancelled]: "cancelled",
};

/** `reuse-sim run`: load, simulate, print the table, and write the output folder if asked. */
export async function runCommand(
  scenarioPath: string,
  options: RunOptions,
  io: RunIo,
): Promise<Summary> {
  if (options.out === undefined) {
    const needsOut = [
      [options.report, "--report needs --out <dir>: the report is written there"],
      [options.force, "--force needs --out <dir>: it replaces an earlier run's folder there"],
      [options.tasks === false, "--no-tasks needs --out <dir>: it leaves tasks.csv out of it"],
    ] as const;
    const misplaced = needsOut.find(([isSet]) => isSet === true);
    if (misplaced !== undefined) throw new UserError("BAD_OPTION", misplaced[1]);
  }
  const loaded = await loadScenario(scenarioPath, {
    seed: options.seed,
    logger: io.logger,
    variables: options.variables,
    requiredVariables: options.requiredVariables,
    top: options.top,
  });
  const scenario = options.skipBadRows === true ? skippingBadRows(loaded) : loaded;
  // The linter's workload rules, as warnings (the policies' own warnings came with loading).
  for (const finding of lintScenario(scenario))
    io.logger.warn(`${finding.field}: ${finding.message}`);

  return runScenario(scenario, options, io);
}

/** Simulate a loaded scenario and write what the options ask for. */
export async function runScenario(
  scenario: Scenario,
  options: RunOptions,
  io: RunIo,
): Promise<Summary> {
  const progress = startProgress(io.stderr, scenario.horizonSeconds, !options.quiet);
  let out: OutputDir | null = null;
  // Ctrl-C leaves nothing behind: registered before the staging folder exists (OutputDir.open).
  const stopListening = onInterrupt(() => {
    progress.stop();
    out?.abortSync();
  });

  try {
    if (options.out !== undefined)
      out = await OutputDir.open(options.out, !!options.force, io.fileWriter);
    const tasks =
      out !== null && options.tasks !== false ? csvTo(out, "tasks.csv", TASK_COLUMNS) : null;
    const timeline = out !== null ? csvTo(out, "timeline.csv", [...TIMELINE_COLUMNS]) : null;
    let yieldedAt = Date.now();
    const summary = await simulate(scenario, {
      logger: progress.wrap(io.logger),
      onTaskEnd: tasks === null ? undefined : (task) => tasks.rows.write(taskRow(task)),
      onTimelineRow: timeline === null ? undefined : (row) => timeline.rows.write(timelineRow(row)),
      waitForOutput: async () => {
        // A full disk stops the run now, not after hours of simulating into nothing.
        out?.throwIfWriteFailed();
        if (tasks !== null && tasks.rows.writableNeedDrain) await once(tasks.rows, "drain");
        if (timeline !== null && timeline.rows.writableNeedDrain) {
          await once(timeline.rows, "drain");
        }
        if (Date.now() - yieldedAt >= YIELD_EVERY_MS) {
          await nextTurn();
          yieldedAt = Date.now();
        }
      },
      onProgress: (seconds) => progress.update(seconds),
    });
    progress.stop();

    if (out !== null) {
      await Promise.all([tasks?.end(), timeline?.end()]);
      await out.writeFile("summary.json", toJson(summary));
      const environments = Object.keys(summary.environments);
      await out.writeFile("scenario.json", toJson(describeScenario(scenario, environments)));
      if (options.report) await writeReport(out, io.logger);
      await out.commit();
    }
    if (!options.quiet) io.stdout.write(`${formatSummaryTable(summary)}\n`);
    if (!options.quiet && out !== null && options.report) {
      io.stdout.write(`report: ${join(options.out as string, "report.html")}\n`);
    }
    return summary;
  } catch (error) {
    progress.stop();
    await out?.abort();
    throw out === null ? error : out.explain(error);
  } finally {
    stopListening();
  }
}

/**
 * Draw the report from the files just staged, exactly as `reuse-sim report` reads a folder.
 *
 * NOTE: the report's modules (vega, vega-lite, resvg, fonts) are loaded here, only when a report
 * is asked for: loaded up front they add about 100 MB and a second of start-up to every run.
 */
async function writeReport(out: OutputDir, logger: Logger): Promise<void> {
  const { buildReport } = await import("../reports/build-report.js");
  const { readSavedRun } = await import("../reports/saved-run.js");
  await out.flush();
  const run = await readSavedRun(out.stagingPath);
  for (const file of await buildReport(run, (message) => logger.warn(message))) {
    await out.writeFile(file.path, file.content);
  }
}

interface CsvOutput {
  rows: Stringifier;
  /** End the rows and resolve when the file holds all of them. */
  end(): Promise<void>;
}

function csvTo(out: OutputDir, name: string, columns: string[]): CsvOutput {
  const rows = stringify({ header: true, columns });
  const written = pipeline(rows, out.createStream(name));
  written.catch(() => {}); // a failed write surfaces from end() or from OutputDir.flush()
  return {
    rows,
    end: async () => {
      rows.end();
      await written;
    },
  };
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function seconds(micros: number): string {
  return micros < 0 ? "" : String(micros / 1e6);
}

function taskRow(task: Task): unknown[] {
  const hasStarted = task.startAt >= 0;
  return [
    task.id,
    task.env.name,
    seconds(task.arrivalAt),
    seconds(task.startAt),
    seconds(task.endAt),
    hasStarted ? seconds(task.startAt - task.arrivalAt) : "",
    hasStarted ? task.kind : "",
    task.replica === null ? "" : task.replica.id,
    OUTCOMES[task.state] ?? "unfinished",
    task.parent === null ? "" : task.parent.id,
  ];
}

function timelineRow(row: TimelineRow): unknown[] {
  return TIMELINE_COLUMNS.map((column) => row[column]);
}

/** --skip-bad-rows: every trace workload skips its bad rows with a warning. */
function skippingBadRows(scenario: Scenario): Scenario {
  const workloads = scenario.workloads.map((workload) =>
    workload.kind === "trace" ? { ...workload, skipBadRows: true } : workload,
  );
  return { ...scenario, workloads };
}
