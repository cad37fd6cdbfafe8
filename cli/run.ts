import { once } from "node:events";
import { stringify, type Stringifier } from "csv-stringify";
import { lintScenario } from "../policies/lint.js";
import { loadScenario } from "../sim/load-scenario.js";
import type { Logger } from "../sim/logger.js";
import type { Scenario } from "../sim/scenario.js";
import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import type { Task } from "../sim/task.js";
import { TIMELINE_COLUMNS, type TimelineRow } from "../sim/timeline.js";
import { OutputDir } from "./output-dir.js";
import { formatSummaryTable } from "./summary-table.js";

export interface RunOptions {
  seed?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  tasks?: boolean;
  variables?: Record<string, string>;
  /** Turn on skipBadRows for every trace workload. */
  skipBadRows?: boolean;
}

export const TASK_COLUMNS = ["id", "env", "arrival", "start", "end", "wait", "kind", "replica"];

/** `reuse-sim run`: load, simulate, print the table, and write the output folder if asked. */
export async function runCommand(
  scenarioPath: string,
  options: RunOptions,
  io: { stdout: NodeJS.WritableStream; logger: Logger },
): Promise<Summary> {
  const loaded = await loadScenario(scenarioPath, {
    seed: options.seed,
    logger: io.logger,
    variables: options.variables,
  });
  const scenario = options.skipBadRows === true ? skippingBadRows(loaded) : loaded;
  // The linter's workload rules, as warnings (the policies' own warnings came with loading).
  for (const finding of lintScenario(scenario))
    io.logger.warn(`${finding.field}: ${finding.message}`);

  const out = options.out === undefined ? null : await OutputDir.open(options.out, !!options.force);
  const abortOnSignal = (): void => {
    out?.abortSync();
    process.exit(130);
  };
  process.once("SIGINT", abortOnSignal);

  try {
    const tasks =
      out !== null && options.tasks !== false ? csvTo(out, "tasks.csv", TASK_COLUMNS) : null;
    const timeline = out !== null ? csvTo(out, "timeline.csv", [...TIMELINE_COLUMNS]) : null;
    const summary = await simulate(scenario, {
      logger: io.logger,
      onTaskEnd: tasks === null ? undefined : (task) => tasks.write(taskRow(task)),
      onTimelineRow: timeline === null ? undefined : (row) => timeline.write(timelineRow(row)),
      waitForOutput: async () => {
        if (tasks !== null && tasks.writableNeedDrain) await once(tasks, "drain");
      },
    });

    if (out !== null) {
      tasks?.end();
      timeline?.end();
      await out.writeFile("summary.json", `${JSON.stringify(summary, null, 2)}\n`);
      await out.commit();
    }
    if (!options.quiet) io.stdout.write(`${formatSummaryTable(summary)}\n`);
    return summary;
  } catch (error) {
    await out?.abort();
    throw error;
  } finally {
    process.removeListener("SIGINT", abortOnSignal);
  }
}

function csvTo(out: OutputDir, name: string, columns: string[]): Stringifier {
  const stringifier = stringify({ header: true, columns });
  stringifier.pipe(out.createStream(name));
  return stringifier;
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
    hasStarted ? task.kind : "unfinished",
    task.replica === null ? "" : task.replica.id,
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
