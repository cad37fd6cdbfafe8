import type { Readable } from "node:stream";
import { CsvError, parse, type Parser } from "csv-parse";
import { UserError, quote } from "../sim/errors.js";
import type { BadRows } from "./bad-rows.js";
import type { NonTextByte } from "../sim/text-check.js";
import { MAX_LINE_CHARS, readText } from "./text-stream.js";
import { type Column, traceMessages } from "./trace-messages.js";

/** One data row: its fields and the line it starts on (from 1). */
export interface CsvRow {
  fields: string[];
  line: number;
}

interface ParsedRecord {
  record: string[];
  /** csv-parse's count of lines so far, and of the blank lines it skipped. */
  info: { lines: number; empty_lines: number };
}

/** A line break inside a quoted field: CRLF, LF or CR. */
const LINE_BREAK = /\r\n|\n|\r/g;

/**
 * A CSV file read as a stream of rows after its header, with csv-parse: quoted fields, a byte
 * order mark, CRLF or LF line ends and blank lines are handled there. Rows whose field count
 * differs from the header's go to `badRows` (an error, or skipped when the user asked), as do
 * the reader's own checks; a syntax error (an unclosed quote) always ends the read.
 *
 * A row is placed at the line it starts on, and a bad value at the line the value is on: a
 * quoted field may hold line breaks, and then the fields after it are on later lines. The lines
 * are counted here, from csv-parse's count of the blank lines it skips and the breaks inside
 * fields: its own count of lines is the line a record ends on, and counts CRLF inside a quoted
 * field as two lines.
 */
export class CsvRows {
  readonly path: string;
  private readonly badRows: BadRows;
  /** What a data row holds, for the message about a file with none. */
  private readonly rowWhat: string;
  private input: Readable | null = null;
  private parser: Parser | null = null;
  private records: AsyncIterator<ParsedRecord> | null = null;
  private header: string[] | null = null;
  /** The line the last record ended on, as counted here; and csv-parse's counts then. */
  private endLine = 0;
  private parserLines = 0;
  private parserEmptyLines = 0;
  /** The last record and the line it starts on; whether it spans more than that line. */
  private record: readonly string[] = [];
  private startLine = 0;
  private isMultiLine = false;
  /** Records after the header, good or bad. */
  private rowCount = 0;
  private isClosed = false;

  constructor(path: string, badRows: BadRows, rowWhat: string) {
    this.path = path;
    this.badRows = badRows;
    this.rowWhat = rowWhat;
    badRows.placeFieldsWith((line, column) => this.lineOfField(line, column));
  }

  /** The header's names, read on first call; an empty file is an error naming `what`. */
  async readHeader(what: string): Promise<string[]> {
    if (this.header !== null) return this.header;
    const first = await this.nextRecord();
    if (first === null) throw this.badRows.fatal(1, traceMessages.emptyFile(what));
    this.header = first.record;
    return this.header;
  }

  /**
   * The next data row with as many fields as the header, or null at the end of the file. A file
   * with no row after its header is an error.
   */
  async next(): Promise<CsvRow | null> {
    const header = this.header ?? (await this.readHeader("a header line"));
    for (;;) {
      const parsed = await this.nextRecord();
      if (parsed === null) {
        if (this.rowCount === 0) throw this.badRows.fatal(2, traceMessages.noRows(this.rowWhat));
        return null;
      }
      this.rowCount++;
      const { record } = parsed;
      if (record.length === header.length) return { fields: record, line: this.startLine };
      // The position is the first field too many, or the first one missing.
      const index = Math.min(record.length, header.length);
      const column = { index: index + 1, name: header[index] ?? "" };
      const message = traceMessages.fieldCount(record, headerText(header), header.length);
      this.badRows.reject(this.startLine, message, column);
    }
  }

  /**
   * The line of the field at `column` in the row that starts at `line`: that line, unless the
   * row is the last one read and a quoted field before the column holds line breaks.
   */
  lineOfField(line: number, column: Column): number {
    if (!this.isMultiLine || line !== this.startLine) return line;
    let fieldLine = line;
    for (let index = 0; index < column.index - 1 && index < this.record.length; index++) {
      fieldLine += lineBreaks(this.record[index]);
    }
    return fieldLine;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.parser?.destroy();
    this.input?.destroy();
  }

  private async nextRecord(): Promise<ParsedRecord | null> {
    if (this.isClosed) return null;
    try {
      const step = await this.open().next();
      if (step.done) {
        await this.close();
        return null;
      }
      this.countLines(step.value);
      return step.value;
    } catch (error) {
      await this.close();
      throw this.asUserError(error);
    }
  }

  /**
   * Where the record starts and ends. It starts after the blank lines csv-parse skipped since
   * the last record. It spans more than one line only if csv-parse counted more lines than that
   * (the rare case, when the breaks in its fields are counted here).
   */
  private countLines({ record, info }: ParsedRecord): void {
    const blankLines = info.empty_lines - this.parserEmptyLines;
    this.startLine = this.endLine + 1 + blankLines;
    this.isMultiLine = info.lines - this.parserLines > 1 + blankLines;
    let endLine = this.startLine;
    if (this.isMultiLine) for (const field of record) endLine += lineBreaks(field);

    this.record = record;
    this.endLine = endLine;
    this.parserLines = info.lines;
    this.parserEmptyLines = info.empty_lines;
  }

  private open(): AsyncIterator<ParsedRecord> {
    if (this.records !== null) return this.records;
    const parser = parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      max_record_size: MAX_LINE_CHARS,
    });
    const refuse = ({ line, column, byte, isGzip }: NonTextByte) =>
      this.badRows.fatal(line, traceMessages.notText(byte, isGzip), { index: column, name: "" });
    const input = readText(this.path, refuse);
    input.on("error", (error) => parser.destroy(error)).pipe(parser);
    this.input = input;
    this.parser = parser;
    this.records = parser[Symbol.asyncIterator]() as AsyncIterator<ParsedRecord>;
    return this.records;
  }

  private asUserError(error: unknown): UserError {
    if (error instanceof UserError) return error;
    if (error instanceof CsvError) return this.syntaxError(error);
    const code = (error as { code?: string }).code;
    const reason = error instanceof Error ? error.message : String(error);
    if (code === "ENOENT")
      return new UserError("FILE_NOT_FOUND", traceMessages.noSuchFile(this.path));
    return new UserError("BAD_TRACE", traceMessages.unreadable(this.path, reason));
  }

  /** csv-parse's error at its line and field, in words that say what a field should be. */
  private syntaxError(error: CsvError): UserError {
    const field = typeof error.index === "number" ? error.index : 0;
    const column = { index: field + 1, name: this.header?.[field] ?? "" };
    // csv-parse's lines since the last record, from where that record ended as counted here.
    const line =
      typeof error.lines === "number"
        ? this.endLine + Math.max(1, error.lines - this.parserLines)
        : this.endLine + 1;

    // csv-parse gives the last line; a row starts after the last good one, past the blank lines
    // it skipped.
    const blankLines =
      typeof error.empty_lines === "number" ? error.empty_lines - this.parserEmptyLines : 0;
    const startLine = this.endLine + 1 + blankLines;

    switch (error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return this.badRows.fatal(startLine, traceMessages.unclosedQuote(), column);
      case "CSV_MAX_RECORD_SIZE": {
        // At the row's start (a quoted field may have taken it over many lines), and the field
        // that passed the limit.
        const message = traceMessages.lineTooLong(MAX_LINE_CHARS, "CSV");
        return this.badRows.fatal(startLine, message, column);
      }
      case "CSV_INVALID_CLOSING_QUOTE":
      case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE": {
        const got = /got "(.*)" at line/.exec(error.message)?.[1];
        return this.badRows.fatal(line, traceMessages.afterClosingQuote(got), column);
      }
      case "INVALID_OPENING_QUOTE":
        return this.badRows.fatal(line, traceMessages.quoteInside(String(error.field)), column);
      default:
        return this.badRows.fatal(line, traceMessages.csvSyntax(error.message));
    }
  }
}

/** Map each required and optional column name to its index; unknown names may be allowed. */
export function columnsOf(
  header: readonly string[],
  required: readonly string[],
  options: { optional?: readonly string[]; allowOthers?: boolean; badRows: BadRows },
): Map<string, Column> {
  const { optional = [], allowOthers = false, badRows } = options;
  const known = [...required, ...optional];
  const columns = new Map<string, Column>();

  header.forEach((name, index) => {
    const column = { index: index + 1, name };
    if (columns.has(name)) throw badRows.fatal(1, traceMessages.duplicateColumn(name), column);
    if (!allowOthers && !known.includes(name)) {
      throw badRows.fatal(1, traceMessages.unknownColumn(name, known), column);
    }
    columns.set(name, column);
  });

  for (const name of required) {
    if (!columns.has(name)) throw badRows.fatal(1, traceMessages.missingColumn(name, required));
  }
  return columns;
}

function headerText(header: readonly string[]): string {
  const shown = header.length > 6 ? [...header.slice(0, 6), "..."] : header;
  return shown.map((name) => quote(name)).join(",");
}

function lineBreaks(field: string): number {
  return field.match(LINE_BREAK)?.length ?? 0;
}
