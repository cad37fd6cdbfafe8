import { createReadStream } from "node:fs";
import { parse, type Parser } from "csv-parse";
import { UserError, quote } from "../sim/errors.js";
import type { ArrivalSource, TaskArrival } from "./source.js";

const BATCH_SIZE = 4096;
const KNOWN_COLUMNS = ["arrival", "duration", "env", "id"] as const;

export interface TasksCsvOptions {
  label: string;
  path: string;
  /** Environment of rows without an env column. */
  env?: string;
  /** Prefix of ids for rows without an id column: `${idPrefix}${row}`. */
  idPrefix: string;
  /** Rows arriving at or after this instant are not read. */
  horizonMicros: number;
}

/**
 * The `tasks` trace format: a CSV file with header `arrival,duration` and optional `env` and `id`
 * columns, times in seconds, rows in non-decreasing arrival order. Streamed in batches.
 */
export class TasksCsvSource implements ArrivalSource {
  readonly label: string;
  private readonly options: TasksCsvOptions;
  private parser: Parser | null = null;
  private rows: AsyncIterator<{ record: string[]; info: { lines: number } }> | null = null;
  private columns: Map<string, number> | null = null;
  private lastArrival = 0;
  private count = 0;
  private isDone = false;

  constructor(options: TasksCsvOptions) {
    this.label = options.label;
    this.options = options;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    const rows = this.open();

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE) {
      const step = await this.read(rows);
      if (step.done) {
        await this.close();
        break;
      }
      const { record, info } = step.value;
      if (this.columns === null) {
        this.columns = this.readHeader(record, info.lines);
        continue;
      }
      const task = this.toTask(record, info.lines, this.columns);
      if (task.arrivalAt >= this.options.horizonMicros) {
        await this.close();
        break;
      }
      batch.push(task);
    }
    if (batch.length === 0 && this.columns === null) {
      throw new UserError("BAD_TRACE", `${this.options.path}: empty file; expected a header line`);
    }
    return batch.length > 0 ? batch : null;
  }

  async close(): Promise<void> {
    this.isDone = true;
    this.parser?.destroy();
  }

  private open(): AsyncIterator<{ record: string[]; info: { lines: number } }> {
    if (this.rows !== null) return this.rows;
    const parser = parse({ bom: true, info: true, skip_empty_lines: true, trim: true });
    createReadStream(this.options.path)
      .on("error", (error) => parser.destroy(error))
      .pipe(parser);
    this.parser = parser;
    this.rows = parser[Symbol.asyncIterator]();
    return this.rows;
  }

  private async read(
    rows: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  ): Promise<IteratorResult<{ record: string[]; info: { lines: number } }>> {
    try {
      return await rows.next();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError("BAD_TRACE", `${this.options.path}: ${reason}`);
    }
  }

  private readHeader(record: string[], line: number): Map<string, number> {
    const columns = new Map<string, number>();
    record.forEach((name, index) => {
      if (!(KNOWN_COLUMNS as readonly string[]).includes(name)) {
        throw this.error(line, index + 1, name, `a column name among ${KNOWN_COLUMNS.join(", ")}`);
      }
      columns.set(name, index);
    });
    for (const required of ["arrival", "duration"]) {
      if (!columns.has(required)) {
        throw new UserError(
          "BAD_TRACE",
          `${this.options.path}:${line}: missing column ${quote(required)}; the header must name arrival and duration (env and id are optional)`,
        );
      }
    }
    if (!columns.has("env") && this.options.env === undefined) {
      throw new UserError(
        "BAD_TRACE",
        `${this.options.path}:${line}: no env column and no env given on the workload; add one or the other`,
      );
    }
    return columns;
  }

  private toTask(record: string[], line: number, columns: Map<string, number>): TaskArrival {
    const seconds = (name: string): number => {
      const index = columns.get(name) as number;
      const text = record[index];
      const value = Number(text);
      if (text === undefined || text === "" || !Number.isFinite(value) || value < 0) {
        throw this.error(line, index + 1, text ?? "", `a non-negative number of seconds (${name})`);
      }
      return Math.round(value * 1e6);
    };

    const arrivalAt = seconds("arrival");
    if (arrivalAt < this.lastArrival) {
      throw this.error(
        line,
        (columns.get("arrival") as number) + 1,
        record[columns.get("arrival") as number],
        `arrivals in non-decreasing order (the previous row arrived at ${this.lastArrival / 1e6})`,
      );
    }
    this.lastArrival = arrivalAt;
    this.count++;

    const envIndex = columns.get("env");
    const idIndex = columns.get("id");
    return {
      id: idIndex === undefined ? this.options.idPrefix + this.count : record[idIndex],
      env: envIndex === undefined ? (this.options.env as string) : record[envIndex],
      arrivalAt,
      workMicros: seconds("duration"),
    };
  }

  private error(line: number, column: number, value: string, expected: string): UserError {
    return new UserError(
      "BAD_TRACE",
      `${this.options.path}:${line}:${column}: ${quote(value)} is not valid; expected ${expected}`,
    );
  }
}
