import type { Readable } from "node:stream";
import { CsvError, parse, type Parser } from "csv-parse";
import { UserError, quote } from "../sim/errors.js";
import type { BadRows } from "./bad-rows.js";
import type { NonTextByte } from "../sim/text-check.js";
import { readText } from "./text-stream.js";
import { type Column, traceMessages } from "./trace-messages.js";

/** One data row: its fields and the line it ends on (from 1). */
export interface CsvRow {
  fields: string[];
  line: number;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * A CSV file read as a stream of rows after its header, with csv-parse: quoted fields, a byte
 * order mark, CRLF or LF line ends and blank lines are handled there. Rows whose field count
 * differs from the header's go to `badRows` (an error, or skipped when the user asked), as do
 * the reader's own checks; a syntax error (an unclosed quote) always ends the read.
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
  /** The line the last record ended on: where an unclosed quote started after. */
  private lastLine = 0;
  /** Records after the header, good or bad. */
  private rowCount = 0;
  private isClosed = false;

  constructor(path: string, badRows: BadRows, rowWhat: string) {
    this.path = path;
    this.badRows = badRows;
    this.rowWhat = rowWhat;
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
      const { record, info } = parsed;
      if (record.length === header.length) return { fields: record, line: info.lines };
      // The position is the first field too many, or the first one missing.
      const index = Math.min(record.length, header.length);
      const column = { index: index + 1, name: header[index] ?? "" };
      const message = traceMessages.fieldCount(record, headerText(header), header.length);
      this.badRows.reject(info.lines, message, column);
    }
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
      this.lastLine = step.value.info.lines;
      return step.value;
    } catch (error) {
      await this.close();
      throw this.asUserError(error);
    }
  }

  private open(): AsyncIterator<ParsedRecord> {
    if (this.records !== null) return this.records;
    const parser = parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
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
    const line = typeof error.lines === "number" ? error.lines : this.lastLine + 1;

    switch (error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        // csv-parse gives the last line; the quote opened on the row after the last good one.
        return this.badRows.fatal(this.lastLine + 1, traceMessages.unclosedQuote(), column);
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
