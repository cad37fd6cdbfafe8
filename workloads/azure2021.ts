import { MAX_DURATION_SECONDS } from "../sim/duration.js";
import { isReservedName } from "../sim/environment-names.js";
import type { TraceMapping } from "../sim/scenario.js";
import type { BadRows } from "./bad-rows.js";
import { CsvRows, columnsOf } from "./csv-rows.js";
import { EnvNamer, busiest, type FunctionKey } from "./env-names.js";
import { float64Column, uint32Column } from "./chunked-column.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { stableOrderByKey } from "./start-order.js";
import { type Column, traceMessages } from "./trace-messages.js";
import { readNonNegative } from "./trace-values.js";

const BATCH_SIZE = 4096;
const COLUMNS = ["app", "func", "end_timestamp", "duration"];

/**
 * Rows sorted in memory at most, by default. A row takes 20 bytes in the columns and 4 in the
 * order, 4 more while it is sorted: 28 bytes a row at the peak, 560 MB at this limit (a peak
 * resident memory of 640 MB measured with the CSV reader's own).
 */
export const DEFAULT_SORT_LIMIT = 20_000_000;

export interface Azure2021Options {
  label: string;
  path: string;
  idPrefix: string;
  mapping?: TraceMapping;
  /** The environment's name when mapping.by is "all". */
  env?: string;
  /** Keep only the N functions with the most rows. */
  top?: number;
  sortLimit?: number;
  badRows: BadRows;
}

/**
 * The Azure Functions 2021 trace: one row per invocation, `app,func,end_timestamp,duration`,
 * seconds since the trace's start. A task arrives at end - duration and works for duration.
 *
 * The rows are in order of end, not of start, so the reader loads the whole file into typed
 * columns (up to sortLimit rows; see DEFAULT_SORT_LIMIT for the bytes a row takes) and sorts an
 * index by start; equal starts keep the file's order. Times are kept on the trace's clock; should
 * an invocation have started before the trace (end < duration), every time moves so that the
 * earliest start is 0.
 */
export class Azure2021Source implements ArrivalSource {
  readonly label: string;
  private readonly options: Azure2021Options;
  private readonly rows: CsvRows;
  private readonly startMicros = float64Column();
  private readonly workMicros = float64Column();
  private readonly functionOf = uint32Column();
  private readonly functions: FunctionKey[] = [];
  private readonly namer: EnvNamer;
  private order: Uint32Array | null = null;
  /** By function, in the order first seen: the environment's name. */
  private readonly envNames: string[] = [];
  private originMicros = 0;
  private position = 0;
  private emitted = 0;
  private isDone = false;

  constructor(options: Azure2021Options) {
    this.label = options.label;
    this.options = options;
    this.rows = new CsvRows(options.path, options.badRows, "invocation row");
    this.namer = new EnvNamer(options.mapping, options.env);
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    const order = this.order ?? (await this.load());

    const end = Math.min(order.length, this.position + BATCH_SIZE);
    const batch: TaskArrival[] = [];
    for (; this.position < end; this.position++) {
      const row = order[this.position];
      batch.push({
        id: this.options.idPrefix + ++this.emitted,
        env: this.envNames[this.functionOf.get(row)],
        arrivalAt: this.startMicros.get(row) - this.originMicros,
        workMicros: this.workMicros.get(row),
      });
    }
    if (this.position === order.length) this.isDone = true;
    return batch.length > 0 ? batch : null;
  }

  async close(): Promise<void> {
    this.isDone = true;
    await this.rows.close();
  }

  /** Read every row, then sort the kept rows by start. */
  private async load(): Promise<Uint32Array> {
    const header = await this.rows.readHeader(`a header line ${COLUMNS.join(",")}`);
    const columns = columnsOf(header, COLUMNS, {
      allowOthers: true,
      badRows: this.options.badRows,
    });
    const limit = this.options.sortLimit ?? DEFAULT_SORT_LIMIT;
    const keys = new Map<string, number>();

    for (let row = await this.rows.next(); row !== null; row = await this.rows.next()) {
      if (this.startMicros.length >= limit) {
        await this.rows.close();
        throw this.options.badRows.fatal(row.line, traceMessages.tooManyRows(limit));
      }
      this.readRow(row.fields, row.line, columns, keys);
    }
    this.options.badRows.report();

    this.order = this.sortedRows();
    if (this.order.length === 0) this.isDone = true;
    return this.order;
  }

  private readRow(
    fields: string[],
    line: number,
    columns: Map<string, Column>,
    keys: Map<string, number>,
  ): void {
    // A row is rejected once, at its first bad field.
    const app = this.hash(fields, line, columns.get("app") as Column, "the app's hash");
    if (app === null) return;
    const fn = this.hash(fields, line, columns.get("func") as Column, "the function's hash");
    if (fn === null) return;
    const end = this.seconds(fields, line, columns.get("end_timestamp") as Column);
    if (Number.isNaN(end)) return;
    const duration = this.seconds(fields, line, columns.get("duration") as Column);
    if (Number.isNaN(duration)) return;

    const key = `${app}/${fn}`;
    let index = keys.get(key);
    if (index === undefined) {
      // Named when first seen, in file order: the names are the same on every run.
      const env = this.namer.nameOf({ app, fn });
      if (isReservedName(env)) {
        // Only a function's own hash can make one ("app-..." cannot; the rest is checked sooner).
        const column = columns.get("func") as Column;
        this.options.badRows.reject(
          line,
          traceMessages.reservedEnvironment(fn, column, env),
          column,
        );
        return;
      }
      index = this.functions.length;
      keys.set(key, index);
      this.functions.push({ app, fn });
      this.envNames.push(env);
    }

    // Whole microseconds first, so that start + work gives back the recorded end exactly.
    const workMicros = Math.round(duration * 1e6);
    const startMicros = Math.round(end * 1e6) - workMicros;
    this.startMicros.push(startMicros);
    this.workMicros.push(workMicros);
    this.functionOf.push(index);
    if (startMicros < this.originMicros) this.originMicros = startMicros;
  }

  /** The field's text, or null when it was empty (and rejected). */
  private hash(fields: string[], line: number, column: Column, what: string): string | null {
    const text = fields[column.index - 1];
    if (text !== "") return text;
    this.options.badRows.rejectValue(line, column, text, `${what} (not empty)`);
    return null;
  }

  /** The field's seconds, or NaN when it was rejected. */
  private seconds(fields: string[], line: number, column: Column): number {
    const text = fields[column.index - 1];
    const value = readNonNegative(text);
    if (Number.isNaN(value)) {
      this.options.badRows.rejectValue(line, column, text, "a number of seconds >= 0");
      return NaN;
    }
    if (value > MAX_DURATION_SECONDS) {
      this.options.badRows.reject(line, traceMessages.tooLarge(text, column, "seconds"), column);
      return NaN;
    }
    return value;
  }

  /** Indexes of the kept rows, by start time, then by place in the file. */
  private sortedRows(): Uint32Array {
    const kept = this.keptFunctions();
    const functionOf = this.functionOf;
    const isKept = (row: number) => kept === null || kept.has(functionOf.get(row));
    let count = 0;
    for (let row = 0; row < functionOf.length; row++) if (isKept(row)) count++;

    // The index at its exact length: every row, or the kept ones, in file order.
    const rows = new Uint32Array(count);
    for (let row = 0, next = 0; next < count; row++) if (isKept(row)) rows[next++] = row;
    return stableOrderByKey(this.startMicros, rows);
  }

  private keptFunctions(): Set<number> | null {
    if (this.options.top === undefined) return null;
    const totals = new Map<number, number>();
    for (let row = 0; row < this.functionOf.length; row++) {
      const index = this.functionOf.get(row);
      totals.set(index, (totals.get(index) ?? 0) + 1);
    }
    return busiest(totals, this.options.top);
  }
}
