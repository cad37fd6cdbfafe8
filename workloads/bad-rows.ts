import { UserError } from "../sim/errors.js";
import type { Logger } from "../sim/logger.js";
import { type Column, traceMessages } from "./trace-messages.js";

/** How many skipped rows are warned about one by one; the rest are only counted. */
const WARNED_ROWS = 5;

/**
 * What a reader does with a row it cannot use. By default the row is an error (BAD_TRACE): a
 * recorded trace with a bad value is more likely a wrong file than noise. When the user asked to
 * skip bad rows, the row becomes a warning, the first few one by one, and report() gives the
 * count at the end.
 */
export class BadRows {
  readonly path: string;
  private readonly isSkipping: boolean;
  private readonly logger: Logger;
  private readonly lines: number[] = [];
  private count = 0;
  /** The line of a field in the row at a line: a CSV row's quoted field may span lines. */
  private lineOfField: (line: number, column: Column) => number = (line) => line;

  constructor(path: string, isSkipping: boolean, logger: Logger) {
    this.path = path;
    this.isSkipping = isSkipping;
    this.logger = logger;
  }

  /**
   * How to find the line of a field, given the line its row starts on; the CSV reader of the
   * file sets it, and messages about a field then name the field's own line.
   */
  placeFieldsWith(lineOfField: (line: number, column: Column) => number): void {
    this.lineOfField = lineOfField;
  }

  /** An error about the file as a whole (header, syntax): never skipped. */
  fatal(line: number, message: string, column?: Column): UserError {
    const at = column === undefined ? line : this.lineOfField(line, column);
    return new UserError("BAD_TRACE", `${traceMessages.where(this.path, at, column)}: ${message}`);
  }

  /** A bad row: throws unless skipping, when it warns (the first few) and counts. */
  reject(line: number, message: string, column?: Column): void {
    const error = this.fatal(line, message, column);
    if (!this.isSkipping) throw error;

    this.count++;
    if (this.lines.length < WARNED_ROWS) {
      this.lines.push(line);
      this.logger.warn(traceMessages.skipping(error.message));
    }
  }

  /** Something the user should know about the file that does not stop the read. */
  warn(line: number, message: string): void {
    this.logger.warn(`${traceMessages.where(this.path, line)}: ${message}`);
  }

  /** A bad value in a known column. */
  rejectValue(line: number, column: Column, value: string, expected: string): void {
    this.reject(line, traceMessages.badValue(value, column, expected), column);
  }

  get skippedCount(): number {
    return this.count;
  }

  /**
   * Say how many rows were skipped, at the end of the file or of the replay. Safe to call again:
   * a second call says nothing, unless more rows were skipped since.
   */
  report(): void {
    if (this.count === 0) return;
    // A file read in two passes (azure2019's invocations) may skip a line above an earlier one.
    const lines = [...this.lines].sort((a, b) => a - b);
    this.logger.warn(traceMessages.skipped(this.path, this.count, lines));
    this.count = 0;
    this.lines.length = 0;
  }
}
