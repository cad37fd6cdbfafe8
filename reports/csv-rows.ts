import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { UserError } from "../sim/errors.js";
import { MAX_SAVED_NUMBER } from "../sim/summary-schema.js";
import { limitText, savedRunMessages as messages } from "./saved-run-messages.js";

/** One data row of a CSV file, read by column name; valid only during the visit. */
export interface CsvRow {
  readonly line: number;
  text(column: string): string;
  /** The cell as a finite number; a UserError naming file, line and column otherwise. */
  number(column: string): number;
  /** The cell as a number from 0 to `max` (seconds, averages); else a UserError. */
  measure(column: string, max?: number): number;
  /** The cell as a whole number from 0 (peaks, counts); else a UserError. */
  count(column: string): number;
  /** `file:line:column` of a cell, for messages. */
  where(column: string): string;
}

/**
 * Stream a CSV file of a saved run row by row (a tasks.csv can hold millions of rows), after
 * checking that its header has every `required` column. Errors are the user's (BAD_RUN): a
 * missing file, a header from another version, a row cut short, a cell that is not a number.
 */
export async function forEachCsvRow(
  path: string,
  required: readonly string[],
  visit: (row: CsvRow) => void,
): Promise<void> {
  // NOTE: lines are counted rather than asked of the parser: its line info doubles the parsing
  // time, and the files reuse-sim writes have no blank lines or multi-line cells.
  const parser = parse({ bom: true, relax_column_count: true });
  const input = createReadStream(path).on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let columns: Map<string, number> | null = null;
  let headerLength = 0;
  const row = new Row(path);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row.line++;
      if (columns === null) {
        columns = readHeader(path, record, required);
        headerLength = record.length;
        row.columns = columns;
        continue;
      }
      // Every row a run writes has every field, empty or not: a short one was cut off.
      if (record.length !== headerLength) {
        throw new UserError(
          "BAD_RUN",
          messages.fieldCount(path, row.line, record.length, headerLength),
        );
      }
      row.values = record;
      visit(row);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError("BAD_RUN", messages.unreadableCsv(path, describe(error)));
  } finally {
    input.destroy();
  }
  if (columns === null) {
    throw new UserError("BAD_RUN", messages.emptyCsv(path));
  }
}

class Row implements CsvRow {
  line = 0;
  values: string[] = [];
  columns = new Map<string, number>();
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  text(column: string): string {
    return this.values[this.columns.get(column) as number] ?? "";
  }

  number(column: string): number {
    const text = this.text(column);
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value)) {
      throw new UserError("BAD_RUN", messages.notANumber(this.where(column), text, column));
    }
    return value;
  }

  measure(column: string, max = MAX_SAVED_NUMBER): number {
    const value = this.number(column);
    if (value < 0 || value > max)
      throw this.outOfRange(column, `a number from 0 to ${limitText(max)}`);
    return value;
  }

  count(column: string): number {
    const value = this.number(column);
    if (value < 0 || !Number.isSafeInteger(value))
      throw this.outOfRange(column, "a whole number >= 0");
    return value;
  }

  /** `file:line:column` of a cell, for messages. */
  where(column: string): string {
    return `${this.path}:${this.line}:${(this.columns.get(column) as number) + 1}`;
  }

  private outOfRange(column: string, expected: string): UserError {
    const text = this.text(column);
    return new UserError(
      "BAD_RUN",
      messages.outOfRange(this.where(column), text, column, expected),
    );
  }
}

function readHeader(
  path: string,
  record: string[],
  required: readonly string[],
): Map<string, number> {
  const columns = new Map(record.map((name, index) => [name, index]));
  const missing = required.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new UserError("BAD_RUN", messages.missingColumn(path, missing[0], required));
  }
  return columns;
}

function describe(error: unknown): string {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return "no such file";
  return error instanceof Error ? error.message : String(error);
}
