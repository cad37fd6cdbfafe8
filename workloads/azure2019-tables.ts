import { makeSampler, type Sampler } from "../sim/distributions.js";
import { MAX_DURATION_SECONDS } from "../sim/duration.js";
import type { MemoryStat } from "../sim/scenario.js";
import type { BadRows } from "./bad-rows.js";
import { CsvRows, columnsOf } from "./csv-rows.js";
import type { FunctionKey } from "./env-names.js";
import { GrowableUint32 } from "./growable.js";
import { type Column, traceMessages } from "./trace-messages.js";
import { readCount, readNonNegative } from "./trace-values.js";

/*
 * The three tables of the Azure Functions 2019 trace, read whole: they hold one row per function
 * or app, not per invocation, so their size does not grow with the number of invocations.
 */

export interface Azure2019Function extends FunctionKey {
  readonly owner: string;
  /** Line of invocations.csv. */
  readonly line: number;
  /** Invocations over the whole file. */
  readonly total: number;
}

/** Per-minute invocation counts, kept sparse and by minute: the order replay needs them in. */
export interface InvocationTable {
  readonly functions: readonly Azure2019Function[];
  /** Number of minute columns (1440 for a day). */
  readonly minutes: number;
  /** For each minute, the functions invoked in it (indexes into functions) and their counts. */
  readonly byMinute: readonly { readonly functions: Uint32Array; readonly counts: Uint32Array }[];
}

const KEY_COLUMNS = ["HashOwner", "HashApp", "HashFunction"];
const INVOCATION_COLUMNS = [...KEY_COLUMNS, "Trigger"];
/** What each key column holds, for the message about an empty one. */
const KEY_WHAT: Record<string, string> = {
  HashOwner: "the owner's hash",
  HashApp: "the app's hash",
  HashFunction: "the function's hash",
};

/**
 * The most memory an app may record: 10,000,000 MB (about 10 TB), far above any machine. A
 * larger value (or 1e400, read as infinity) is a broken file, and would price replicas at
 * infinity.
 */
export const MAX_MEMORY_MB = 10_000_000;

export function functionKeyText(owner: string, app: string, fn: string): string {
  return `${owner}/${app}/${fn}`;
}

/**
 * invocations.csv: `HashOwner,HashApp,HashFunction,Trigger,1,2,...,1440`. Skipped rows are left
 * for the caller to report, which rejects more of this file's rows (functions without durations)
 * and reports them all as one count.
 */
export async function readInvocations(path: string, badRows: BadRows): Promise<InvocationTable> {
  const rows = new CsvRows(path, badRows, "function row with its count per minute");
  const header = await rows.readHeader(`a header line ${INVOCATION_COLUMNS.join(",")},1,...,1440`);
  const minutes = checkInvocationHeader(header, badRows);

  const functions: Azure2019Function[] = [];
  const lines = new Map<string, number>();
  const minuteFunctions = Array.from({ length: minutes }, () => new GrowableUint32());
  const minuteCounts = Array.from({ length: minutes }, () => new GrowableUint32());
  const counts = new Uint32Array(minutes);

  const keyColumns = KEY_COLUMNS.map((name, index) => ({ index: index + 1, name }));

  for (let row = await rows.next(); row !== null; row = await rows.next()) {
    const [owner, app, fn, trigger] = row.fields;
    if (!hasKeys(row.fields, row.line, keyColumns, badRows)) continue;
    if (!readCounts(row.fields, row.line, header, counts, badRows)) continue;

    const key = functionKeyText(owner, app, fn);
    const firstLine = lines.get(key);
    if (firstLine !== undefined) {
      badRows.reject(row.line, traceMessages.duplicateRow(fn.slice(0, 12), firstLine));
      continue;
    }
    lines.set(key, row.line);

    let total = 0;
    for (let minute = 0; minute < minutes; minute++) {
      if (counts[minute] === 0) continue;
      minuteFunctions[minute].push(functions.length);
      minuteCounts[minute].push(counts[minute]);
      total += counts[minute];
    }
    functions.push({ owner, app, fn, trigger, line: row.line, total });
  }

  const byMinute = minuteFunctions.map((list, minute) => ({
    functions: list.view(),
    counts: minuteCounts[minute].view(),
  }));
  return { functions, minutes, byMinute };
}

/** The number of minute columns; they must be named 1, 2, ... in order after the key columns. */
function checkInvocationHeader(header: readonly string[], badRows: BadRows): number {
  INVOCATION_COLUMNS.forEach((name, index) => {
    if (header[index] !== name) {
      const message = traceMessages.missingColumn(name, [...INVOCATION_COLUMNS, "1", "2", "..."]);
      throw badRows.fatal(1, message, { index: index + 1, name: header[index] ?? "" });
    }
  });
  const minutes = header.length - INVOCATION_COLUMNS.length;
  if (minutes === 0) throw badRows.fatal(1, traceMessages.missingColumn("1", ["1", "2", "..."]));
  for (let minute = 1; minute <= minutes; minute++) {
    const index = INVOCATION_COLUMNS.length + minute;
    if (header[index - 1] !== String(minute)) {
      const column = { index, name: header[index - 1] };
      throw badRows.fatal(1, traceMessages.minuteColumn(column.name, minute), column);
    }
  }
  return minutes;
}

/** Fill `counts` from the row; false when a count was bad (the row is rejected). */
function readCounts(
  fields: readonly string[],
  line: number,
  header: readonly string[],
  counts: Uint32Array,
  badRows: BadRows,
): boolean {
  const first = INVOCATION_COLUMNS.length;
  for (let minute = 0; minute < counts.length; minute++) {
    const text = fields[first + minute];
    const count = readCount(text);
    if (Number.isNaN(count) || count > 0xffffffff) {
      const column = { index: first + minute + 1, name: header[first + minute] };
      badRows.rejectValue(line, column, text, "a whole number of invocations >= 0");
      return false;
    }
    counts[minute] = count;
  }
  return true;
}

const PERCENTILES = [0, 1, 25, 50, 75, 99, 100];

/** durations.csv as samplers, and the functions whose rows there were bad and skipped. */
export interface DurationsTable {
  /** By function key (owner/app/function): durations in seconds. */
  readonly samplers: ReadonlyMap<string, Sampler>;
  /** Functions with no good row, only bad ones (skipped): the line of the first. */
  readonly skippedLines: ReadonlyMap<string, number>;
}

/**
 * durations.csv: per function, execution times in milliseconds at percentiles 0, 1, 25, 50, 75,
 * 99 and 100 (`percentile_Average_P`), not decreasing. Each becomes a sampler in seconds that
 * draws through a piecewise-linear inverse CDF of those points (the `percentiles` distribution).
 */
export async function readDurations(path: string, badRows: BadRows): Promise<DurationsTable> {
  const rows = new CsvRows(path, badRows, "function row with its duration percentiles");
  const header = await rows.readHeader(
    `a header line naming ${[...KEY_COLUMNS, ...PERCENTILE_COLUMNS].join(",")}`,
  );
  const columns = columnsOf(header, [...KEY_COLUMNS, ...PERCENTILE_COLUMNS], {
    allowOthers: true,
    badRows,
  });
  const keyColumns = KEY_COLUMNS.map((name) => columns.get(name) as Column);
  const samplers = new Map<string, Sampler>();
  const lines = new Map<string, number>();
  const skippedLines = new Map<string, number>();

  for (let row = await rows.next(); row !== null; row = await rows.next()) {
    if (!hasKeys(row.fields, row.line, keyColumns, badRows)) continue;
    const key = keyOf(row.fields, columns);
    const points = readPercentiles(row.fields, row.line, columns, badRows);
    if (points === null) {
      if (!skippedLines.has(key)) skippedLines.set(key, row.line);
      continue;
    }
    // As in invocations.csv: a second good row for a function is an error, not ignored.
    const firstLine = lines.get(key);
    if (firstLine !== undefined) {
      const fn = row.fields[keyColumns[2].index - 1];
      badRows.reject(row.line, traceMessages.duplicateRow(fn.slice(0, 12), firstLine));
      continue;
    }
    lines.set(key, row.line);
    samplers.set(key, makeSampler({ dist: "percentiles", points }, "durations"));
    skippedLines.delete(key);
  }
  badRows.report();
  return { samplers, skippedLines };
}

const PERCENTILE_COLUMNS = PERCENTILES.map((p) => `percentile_Average_${p}`);

/** The row's percentiles in seconds, by percentile; null when a value was bad (rejected). */
function readPercentiles(
  fields: readonly string[],
  line: number,
  columns: Map<string, Column>,
  badRows: BadRows,
): Record<string, number> | null {
  const points: Record<string, number> = {};
  let previous: { milliseconds: number; column: Column } | null = null;
  for (const [i, p] of PERCENTILES.entries()) {
    const column = columns.get(PERCENTILE_COLUMNS[i]) as Column;
    const milliseconds = readMilliseconds(fields, line, column, badRows);
    if (Number.isNaN(milliseconds)) return null;
    if (previous !== null && milliseconds < previous.milliseconds) {
      const [value, before] = [column, previous.column].map((c) => fields[c.index - 1]);
      const message = traceMessages.decreasingPercentile(value, column, before, previous.column);
      badRows.reject(line, message, column);
      return null;
    }
    points[String(p)] = milliseconds / 1000;
    previous = { milliseconds, column };
  }
  return points;
}

const MEMORY_COLUMNS: Record<MemoryStat, string> = {
  average: "AverageAllocatedMb",
  p1: "AverageAllocatedMb_pct1",
  p5: "AverageAllocatedMb_pct5",
  p25: "AverageAllocatedMb_pct25",
  p50: "AverageAllocatedMb_pct50",
  p75: "AverageAllocatedMb_pct75",
  p95: "AverageAllocatedMb_pct95",
  p99: "AverageAllocatedMb_pct99",
  p100: "AverageAllocatedMb_pct100",
};

/**
 * memory.csv: allocated memory per app in MB, keyed `owner/app`, from 0 to MAX_MEMORY_MB. The
 * chosen column sizes a replica; an app on several rows takes the largest value.
 */
export async function readMemory(
  path: string,
  stat: MemoryStat,
  badRows: BadRows,
): Promise<Map<string, number>> {
  const rows = new CsvRows(path, badRows, "app row with its memory");
  const required = ["HashOwner", "HashApp", MEMORY_COLUMNS[stat]];
  const header = await rows.readHeader(`a header line naming ${required.join(",")}`);
  const columns = columnsOf(header, required, { allowOthers: true, badRows });
  const [ownerColumn, appColumn, valueColumn] = required.map((name) => columns.get(name) as Column);
  const memory = new Map<string, number>();

  for (let row = await rows.next(); row !== null; row = await rows.next()) {
    if (!hasKeys(row.fields, row.line, [ownerColumn, appColumn], badRows)) continue;
    const megabytes = readMegabytes(row.fields, row.line, valueColumn, badRows);
    if (Number.isNaN(megabytes)) continue;
    const key = appKeyText(row.fields[ownerColumn.index - 1], row.fields[appColumn.index - 1]);
    memory.set(key, Math.max(memory.get(key) ?? 0, megabytes));
  }
  badRows.report();
  return memory;
}

export function appKeyText(owner: string, app: string): string {
  return `${owner}/${app}`;
}

function keyOf(fields: readonly string[], columns: Map<string, Column>): string {
  const [owner, app, fn] = KEY_COLUMNS.map(
    (name) => fields[(columns.get(name) as Column).index - 1],
  );
  return functionKeyText(owner, app, fn);
}

/** A duration in milliseconds, at most MAX_DURATION_SECONDS; NaN when it was rejected. */
function readMilliseconds(
  fields: readonly string[],
  line: number,
  column: Column,
  badRows: BadRows,
): number {
  return readAtMost(fields, line, column, badRows, MAX_DURATION_SECONDS * 1000, (text) =>
    traceMessages.tooLarge(text, column, "milliseconds"),
  );
}

/** Memory in MB, at most MAX_MEMORY_MB; NaN when it was rejected. */
function readMegabytes(
  fields: readonly string[],
  line: number,
  column: Column,
  badRows: BadRows,
): number {
  return readAtMost(fields, line, column, badRows, MAX_MEMORY_MB, (text) =>
    traceMessages.memoryTooLarge(text, column, MAX_MEMORY_MB),
  );
}

/** A number read as readField reads it, and at most `limit`; NaN when it was rejected. */
function readAtMost(
  fields: readonly string[],
  line: number,
  column: Column,
  badRows: BadRows,
  limit: number,
  tooLarge: (text: string) => string,
): number {
  const value = readField(fields, line, column, badRows);
  if (value > limit) {
    badRows.reject(line, tooLarge(fields[column.index - 1]), column);
    return NaN;
  }
  return value;
}

/** False when a hash is empty (the row is rejected at it): an environment would be named "". */
function hasKeys(
  fields: readonly string[],
  line: number,
  keyColumns: readonly Column[],
  badRows: BadRows,
): boolean {
  for (const column of keyColumns) {
    if (fields[column.index - 1] !== "") continue;
    badRows.rejectValue(line, column, "", `${KEY_WHAT[column.name]} (not empty)`);
    return false;
  }
  return true;
}

function readField(
  fields: readonly string[],
  line: number,
  column: Column,
  badRows: BadRows,
): number {
  const text = fields[column.index - 1];
  const value = readNonNegative(text);
  if (Number.isNaN(value)) badRows.rejectValue(line, column, text, "a number >= 0");
  return value;
}
