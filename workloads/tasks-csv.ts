import type { BadRows } from "./bad-rows.js";
import { CsvRows, columnsOf } from "./csv-rows.js";
import type { EnvironmentCheck } from "./scenario-environments.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { TaskRowReader, type TaskFields } from "./task-rows.js";
import type { Column } from "./trace-messages.js";
import { traceMessages } from "./trace-messages.js";

const BATCH_SIZE = 4096;

export interface TasksCsvOptions {
  label: string;
  path: string;
  /** Environment of rows without an env column. */
  env?: string;
  /** The command-line flag that gives `env` (`--env`); the workload's `env` key unless given. */
  envFlag?: string;
  /** The environments a row may name, when the scenario can tell (see TaskRowOptions). */
  environments?: EnvironmentCheck;
  /** Prefix of ids for rows without an id column: `${idPrefix}${n}`. */
  idPrefix: string;
  /** Rows arriving at or after this instant are not read. */
  horizonMicros: number;
  badRows: BadRows;
  /** Ids kept to find duplicates (see CHECKED_IDS_LIMIT); tests give a small one. */
  checkedIdsLimit?: number;
}

/**
 * The `tasks` trace format as CSV: header `arrival,duration` and optional `env`, `id`, `parent`
 * and `tail` columns, in any order; see TaskRowReader for the values. Streamed in batches.
 */
export class TasksCsvSource implements ArrivalSource {
  readonly label: string;
  private readonly options: TasksCsvOptions;
  private readonly rows: CsvRows;
  private readonly reader: TaskRowReader;
  private columns: Map<string, Column> | null = null;
  private isDone = false;

  constructor(options: TasksCsvOptions) {
    this.label = options.label;
    this.options = options;
    this.rows = new CsvRows(options.path, options.badRows, "task row, such as 0,1.5");
    this.reader = new TaskRowReader(options);
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    const columns = this.columns ?? (await this.readColumns());
    const fields = rowFields(columns);

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE) {
      const row = await this.rows.next();
      if (row === null) {
        await this.finish();
        break;
      }
      fields.row = row.fields;
      const task = this.reader.read(row.line, fields);
      if (task === null) continue;
      if (task.arrivalAt >= this.options.horizonMicros && task.parentId === undefined) {
        await this.finish();
        break;
      }
      batch.push(task);
    }
    return batch.length > 0 ? batch : null;
  }

  /** Whether the header names a `parent` column; known after the first next(). */
  get hasParents(): boolean {
    return this.reader.hasParents;
  }

  readonly isKeyed = false;

  /**
   * The end of the replay, at the end of the file or earlier (a window or the horizon stopped
   * it): the count of skipped rows is reported either way, once.
   */
  async close(): Promise<void> {
    this.isDone = true;
    await this.rows.close();
    this.options.badRows.report();
  }

  private async finish(): Promise<void> {
    await this.close();
  }

  private async readColumns(): Promise<Map<string, Column>> {
    const header = await this.rows.readHeader("a header line such as arrival,duration,env,id");
    const { badRows, env, envFlag } = this.options;
    const columns = columnsOf(header, ["arrival", "duration"], {
      optional: ["env", "id", "parent", "tail"],
      badRows,
    });
    if (!columns.has("env") && env === undefined) {
      throw badRows.fatal(1, traceMessages.noEnv(envFlag));
    }
    const tail = columns.get("tail");
    if (tail !== undefined && !columns.has("parent")) {
      throw badRows.fatal(1, traceMessages.tailWithoutParent(), tail);
    }
    this.reader.hasParents = columns.has("parent");
    this.columns = columns;
    return columns;
  }
}

/** One reusable view of the current row by column name, so a row costs no extra object. */
function rowFields(columns: Map<string, Column>): TaskFields & { row: string[] } {
  return {
    row: [],
    text(name) {
      const column = columns.get(name);
      return column === undefined ? undefined : this.row[column.index - 1];
    },
    column: (name) => columns.get(name) as Column,
  };
}
