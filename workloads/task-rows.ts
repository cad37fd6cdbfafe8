import { MAX_DURATION_SECONDS } from "../sim/duration.js";
import { isReservedName } from "../sim/environment-names.js";
import type { BadRows } from "./bad-rows.js";
import type { EnvironmentCheck } from "./scenario-environments.js";
import type { TaskArrival } from "./source.js";
import type { Column } from "./trace-messages.js";
import { traceMessages } from "./trace-messages.js";
import { readDecimal, readIsoMicros, readNonNegative } from "./trace-values.js";

/** The fields of one row of the `tasks` format, by column name, whatever the file's syntax. */
export interface TaskFields {
  /** The field's text; undefined when the row has no such field. */
  text(name: string): string | undefined;
  /** Where the field is; undefined only for a CSV column the header does not name. */
  column(name: string): Column;
}

/**
 * Task ids checked exactly for duplicates in a trace without a parent column: the first this
 * many are kept with their line (about 70 MB for ids of 17 characters). Later ids are checked
 * against those, not kept: a duplicate of an id past the limit is not found. A trace with a
 * parent column is read whole and checked in full (workloads/task-tree.ts).
 */
export const CHECKED_IDS_LIMIT = 1_000_000;

export interface TaskRowOptions {
  /** Whether rows may name a parent (the CSV header, or the first JSON object, has `parent`). */
  hasParents?: boolean;
  /** Environment of rows without an env field. */
  env?: string;
  /** The command-line flag that gives `env` (`--env`); the workload's `env` key unless given. */
  envFlag?: string;
  /**
   * The environments a row may name, when the scenario can tell: a row naming another is bad.
   * Without it, any name is read (the run decides).
   */
  environments?: EnvironmentCheck;
  /** Prefix of ids for rows without an id: `${idPrefix}${n}` with n the task's number from 1. */
  idPrefix: string;
  /** Ids kept to find duplicates; CHECKED_IDS_LIMIT unless given (tests give a small one). */
  checkedIdsLimit?: number;
  badRows: BadRows;
}

/**
 * Turns rows of the `tasks` format into arrivals: `arrival` in seconds from the trace's start or
 * as an ISO-8601 timestamp (the first row decides which; timestamps count from the first row),
 * `duration` in seconds, optional `env` and `id`, and with parents, `parent` and `tail` (seconds,
 * empty for none). Rows must come in non-decreasing arrival order.
 */
export class TaskRowReader {
  private readonly options: TaskRowOptions;
  private isIso: boolean | null = null;
  private originMicros = 0;
  private lastArrivalAt = 0;
  /** The arrival as the row above wrote it, for the message about a row out of order. */
  private lastArrivalText = "";
  private count = 0;
  /** The ids seen so far (up to CHECKED_IDS_LIMIT) and the line of each. */
  private readonly idLines = new Map<string, number>();
  private isIdLimitWarned = false;

  constructor(options: TaskRowOptions) {
    this.options = options;
  }

  /** Whether rows may name a parent; set once the header (or first object) is read. */
  hasParents = false;

  /** The row as an arrival, or null when it was bad and skipped. */
  read(line: number, fields: TaskFields): TaskArrival | null {
    const parentId = this.hasParents ? fields.text("parent") : undefined;
    const isChild = parentId !== undefined && parentId !== "";
    if (isChild && (fields.text("arrival") ?? "") !== "") {
      const column = fields.column("arrival");
      const message = traceMessages.childArrival(fields.text("arrival") as string, column);
      this.options.badRows.reject(line, message, column);
      return null;
    }
    const arrivalAt = isChild ? -1 : this.arrivalOf(line, fields);
    if (Number.isNaN(arrivalAt)) return null;

    const durationText = fields.text("duration");
    if (durationText === undefined) return this.missing(line, "duration");
    const seconds = this.secondsOf(line, fields, "duration", durationText);
    if (Number.isNaN(seconds)) return null;
    const tailText = this.hasParents ? fields.text("tail") : undefined;
    const tailSeconds =
      tailText === undefined || tailText === ""
        ? 0
        : this.secondsOf(line, fields, "tail", tailText);
    if (Number.isNaN(tailSeconds)) return null;

    const env = this.envOf(line, fields);
    if (env === null) return null;
    const id = fields.text("id");
    if (id !== undefined && id !== "" && !this.hasParents && this.isDuplicate(id, line, fields)) {
      return null;
    }

    if (!isChild) {
      this.lastArrivalAt = arrivalAt;
      this.lastArrivalText = fields.text("arrival") as string;
    }
    this.count++;
    const arrival = {
      id: id === undefined || id === "" ? this.options.idPrefix + this.count : id,
      env,
      arrivalAt,
      workMicros: Math.round(seconds * 1e6),
    };
    if (!this.hasParents) return arrival;
    const columns = {
      idColumn: fields.column("id")?.index,
      parentColumn: fields.column("parent").index,
    };
    return {
      ...arrival,
      line,
      ...columns,
      ...(isChild ? { parentId } : {}),
      ...(tailSeconds > 0 ? { tailMicros: Math.round(tailSeconds * 1e6) } : {}),
    };
  }

  /** A length of time in seconds, or NaN when the row was rejected for it. */
  private secondsOf(line: number, fields: TaskFields, name: string, text: string): number {
    const seconds = readNonNegative(text);
    if (Number.isNaN(seconds)) {
      const expected =
        name === "tail"
          ? "a number of seconds >= 0 (the parent's own work after its last child), or empty"
          : "a number of seconds >= 0";
      this.options.badRows.rejectValue(line, fields.column(name), text, expected);
      return NaN;
    }
    if (seconds > MAX_DURATION_SECONDS) {
      const column = fields.column(name);
      this.options.badRows.reject(line, traceMessages.tooLarge(text, column, "seconds"), column);
      return NaN;
    }
    return seconds;
  }

  /**
   * Whether the id was seen on an earlier row (then the row is rejected). The first
   * ids up to the limit are kept; passing it is said once, as a warning.
   */
  private isDuplicate(id: string, line: number, fields: TaskFields): boolean {
    const firstLine = this.idLines.get(id);
    if (firstLine !== undefined) {
      const column = fields.column("id");
      this.options.badRows.reject(line, traceMessages.duplicateId(id, column, firstLine), column);
      return true;
    }
    const limit = this.options.checkedIdsLimit ?? CHECKED_IDS_LIMIT;
    if (this.idLines.size < limit) this.idLines.set(id, line);
    else if (!this.isIdLimitWarned) {
      this.isIdLimitWarned = true;
      this.options.badRows.warn(line, traceMessages.idsUnchecked(limit));
    }
    return false;
  }

  /** The row's env, else the workload's (no env field, or an empty one); null if rejected. */
  private envOf(line: number, fields: TaskFields): string | null {
    const text = fields.text("env");
    if (text !== undefined && text !== "") {
      const environments = this.options.environments;
      const isReserved = isReservedName(text);
      if (!isReserved && (environments === undefined || environments.has(text))) return text;

      const column = fields.column("env");
      const message = isReserved
        ? traceMessages.reservedEnvironment(text, column, text)
        : (environments as EnvironmentCheck).refusal(text, column);
      this.options.badRows.reject(line, message, column);
      return null;
    }
    if (this.options.env !== undefined) return this.options.env;
    if (text === undefined) return this.missing(line, "env");

    const expected = traceMessages.envExpected(this.options.envFlag);
    this.options.badRows.rejectValue(line, fields.column("env"), text, expected);
    return null;
  }

  /** The arrival in microseconds from the trace's start, or NaN when the row was rejected. */
  private arrivalOf(line: number, fields: TaskFields): number {
    const text = fields.text("arrival");
    if (text === undefined) return this.missing(line, "arrival") ?? NaN;

    const micros = this.timeOf(text);
    if (Number.isNaN(micros)) {
      const isIso = this.isIso;
      if (isIso !== null && !Number.isNaN(this.timeOf(text, !isIso))) {
        return this.rejectArrival(line, fields, (column) =>
          traceMessages.mixedTimes(text, column, isIso),
        );
      }
      const expected = "seconds >= 0 or an ISO-8601 timestamp";
      return this.rejectArrival(line, fields, (column) =>
        traceMessages.badValue(text, column, expected),
      );
    }

    const arrivalAt = micros - this.originMicros;
    if (arrivalAt > MAX_DURATION_SECONDS * 1e6) {
      return this.rejectArrival(line, fields, (column) =>
        this.isIso
          ? traceMessages.timestampTooLate(text, column)
          : traceMessages.arrivalTooLarge(text, column),
      );
    }
    if (arrivalAt < this.lastArrivalAt) {
      return this.rejectArrival(line, fields, (column) =>
        traceMessages.outOfOrder(text, column, this.lastArrivalText),
      );
    }
    return arrivalAt;
  }

  /** Reject the row at its arrival field; the column is looked up only now, for the message. */
  private rejectArrival(
    line: number,
    fields: TaskFields,
    message: (column: Column) => string,
  ): number {
    const column = fields.column("arrival");
    this.options.badRows.reject(line, message(column), column);
    return NaN;
  }

  /** Seconds or a timestamp, as the first good row decided; that row also fixes the origin. */
  private timeOf(text: string, isIso = this.isIso): number {
    if (isIso === false) {
      const seconds = readDecimal(text);
      return seconds >= 0 ? Math.round(seconds * 1e6) : NaN;
    }
    if (isIso === true) return readIsoMicros(text);

    const seconds = this.timeOf(text, false);
    if (!Number.isNaN(seconds)) {
      this.isIso = false;
      return seconds;
    }
    const micros = readIsoMicros(text);
    if (!Number.isNaN(micros)) {
      this.isIso = true;
      this.originMicros = micros;
    }
    return micros;
  }

  private missing(line: number, name: string): null {
    const message =
      name === "env"
        ? traceMessages.noEnv(this.options.envFlag)
        : traceMessages.missingColumn(name, ["arrival", "duration"]);
    this.options.badRows.reject(line, message);
    return null;
  }
}
