import type { Readable } from "node:stream";
import { UserError } from "../sim/errors.js";
import type { NonTextByte } from "../sim/text-check.js";
import type { BadRows } from "./bad-rows.js";
import { firstColumn, numberAt, valueColumns } from "./json-columns.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import type { TasksCsvOptions } from "./tasks-csv.js";
import { TaskRowReader, type TaskFields } from "./task-rows.js";
import { MAX_LINE_CHARS, readText, TextLines } from "./text-stream.js";
import { traceMessages } from "./trace-messages.js";

const BATCH_SIZE = 4096;
const REQUIRED_KEYS = ["arrival", "duration"];
/** A child (a row with a parent) has no arrival of its own. */
const CHILD_REQUIRED_KEYS = ["duration"];
/**
 * Keys that name something, and what each must be: a string, or a number as written (an id
 * 17); an object, a list or true would otherwise become a name such as '{"x":1}'.
 */
const NAME_KEYS: readonly (readonly [string, string])[] = [
  ["env", "an environment name (a JSON string)"],
  ["id", "a task id (a JSON string or number)"],
  ["parent", "the parent's id (a JSON string or number, or null for none)"],
];

/**
 * The `tasks` trace format as JSON Lines: one object a line with the keys of the CSV header
 * (`{"arrival": 1.5, "duration": 0.2, "env": "api"}`); numbers or strings both read. Blank lines
 * are ignored. A message names the key, and its position is the value's character column.
 */
export class TasksJsonlSource implements ArrivalSource {
  readonly label: string;
  private readonly options: TasksCsvOptions;
  private readonly reader: TaskRowReader;
  private stream: Readable | null = null;
  private lines: TextLines | null = null;
  private lineNumber = 0;
  private hasRows = false;
  private isDone = false;

  constructor(options: TasksCsvOptions) {
    this.label = options.label;
    this.options = options;
    this.reader = new TaskRowReader(options);
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    const lines = this.open();

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE) {
      const line = await this.read(lines);
      if (line === null) {
        await this.finish();
        break;
      }
      this.lineNumber++;
      const text = this.lineNumber === 1 ? line.replace(/^\uFEFF/, "") : line;
      if (text.trim() === "") continue;

      const fields = this.parse(text);
      // The first object plays the CSV header's part: a `parent` key (null for a root) there
      // says that rows may name parents.
      if (!this.hasRows) this.reader.hasParents = fields?.has("parent") ?? false;
      this.hasRows = true;
      const task = fields === null ? null : this.reader.read(this.lineNumber, fields);
      if (task === null) continue;
      if (task.arrivalAt >= this.options.horizonMicros && task.parentId === undefined) {
        await this.finish();
        break;
      }
      batch.push(task);
    }
    return batch.length > 0 ? batch : null;
  }

  /**
   * The end of the replay, at the end of the file or earlier (a window or the horizon stopped
   * it): the count of skipped rows is reported either way, once.
   */
  async close(): Promise<void> {
    this.isDone = true;
    this.stream?.destroy();
    this.options.badRows.report();
  }

  private async finish(): Promise<void> {
    await this.close();
    if (!this.hasRows) {
      throw this.options.badRows.fatal(1, traceMessages.emptyFile("one JSON object a line"));
    }
  }

  private open(): TextLines {
    if (this.lines !== null) return this.lines;
    const { badRows, path } = this.options;
    const refuse = ({ line, column, byte, isGzip }: NonTextByte) =>
      badRows.fatal(line, traceMessages.notText(byte, isGzip), { index: column, name: "" });
    const tooLong = (line: number) =>
      badRows.fatal(line, traceMessages.lineTooLong(MAX_LINE_CHARS, "JSON Lines"));
    this.stream = readText(path, refuse);
    this.lines = new TextLines(this.stream, MAX_LINE_CHARS, tooLong);
    return this.lines;
  }

  private async read(lines: TextLines): Promise<string | null> {
    try {
      return await lines.next();
    } catch (error) {
      if (error instanceof UserError) throw error;
      const code = (error as { code?: string }).code;
      const reason = error instanceof Error ? error.message : String(error);
      const { path } = this.options;
      if (code === "ENOENT") throw new UserError("FILE_NOT_FOUND", traceMessages.noSuchFile(path));
      throw new UserError("BAD_TRACE", traceMessages.unreadable(path, reason));
    }
  }

  /** Whether the first object has a `parent` key; known after the first next(). */
  get hasParents(): boolean {
    return this.reader.hasParents;
  }

  readonly isKeyed = true;

  /** False when a key that names something holds another kind of value (then rejected). */
  private hasNames(record: Record<string, unknown>, text: string): boolean {
    for (const [key, expected] of NAME_KEYS) {
      const value = record[key];
      if (isName(value)) continue;
      const column = {
        index: valueColumns(text).get(key) ?? firstColumn(text),
        name: key,
        isKey: true,
      };
      this.options.badRows.rejectValue(this.lineNumber, column, JSON.stringify(value), expected);
      return false;
    }
    return true;
  }

  /** The line's object as fields, or null when it is not an object (then rejected). */
  private parse(text: string): (TaskFields & { has(name: string): boolean }) | null {
    const badRows: BadRows = this.options.badRows;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const { reason, column } = jsonError((error as Error).message, text);
      const message = traceMessages.jsonSyntax(text, reason);
      badRows.reject(
        this.lineNumber,
        message,
        column === undefined ? undefined : { index: column, name: "" },
      );
      return null;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const column = { index: firstColumn(text), name: "" };
      badRows.reject(this.lineNumber, traceMessages.notAnObject(text.trim().slice(0, 40)), column);
      return null;
    }

    const record = value as Record<string, unknown>;
    const isChild = record.parent !== undefined && record.parent !== null && record.parent !== "";
    const required = isChild ? CHILD_REQUIRED_KEYS : REQUIRED_KEYS;
    const missing = required.find((key) => record[key] === undefined || record[key] === null);
    if (missing !== undefined) {
      // A missing key has no place on the line: the message names it.
      badRows.reject(this.lineNumber, traceMessages.missingKey(text, missing));
      return null;
    }
    if (!this.hasNames(record, text)) return null;
    let columns: Map<string, number> | null = null;
    return {
      has: (name) => name in record,
      text: (name) => {
        const field = record[name];
        if (field === undefined || field === null) return undefined;
        // A list or an object is quoted as written, not as "[object Object]".
        if (typeof field === "object") return JSON.stringify(field);
        // A number too large for a double (1e400) is read as Infinity: quote what was written.
        if (typeof field === "number" && !Number.isFinite(field)) {
          columns ??= valueColumns(text);
          return numberAt(text, columns.get(name) ?? 1) ?? String(field);
        }
        return String(field);
      },
      column: (name) => {
        columns ??= valueColumns(text);
        return { index: columns.get(name) ?? firstColumn(text), name, isKey: true };
      },
    };
  }
}

/** A name's value: a string or a number; null or absent mean none. */
function isName(value: unknown): boolean {
  return (
    value === undefined || value === null || typeof value === "string" || typeof value === "number"
  );
}

/**
 * JSON.parse's complaint without the parts a message gives otherwise: the text it quotes and
 * the position, which becomes the column (from 1).
 */
function jsonError(message: string, text: string): { reason: string; column?: number } {
  const position = /at position (\d+)/.exec(message)?.[1];
  const reason = message
    .replace(/, ".*" is not valid JSON$/, "")
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/ \(line \d+ column \d+\)$/, "");
  if (position !== undefined) return { reason, column: Number(position) + 1 };
  if (/end of JSON input/.test(message)) return { reason, column: text.length + 1 };
  return { reason };
}
