import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { UserError, quote } from "../sim/errors.js";

/** One data row of a CSV file, read by column name; valid only during the visit. */
export interface CsvRow {
  readonly line: number;
  text(column: string): string;
  /** The cell as a finite number; a UserError naming file, line and column otherwise. */
  number(column: string): number;
}

/**
 * Stream a CSV file of a saved run row by row (a tasks.csv can hold millions of rows), after
 * checking that its header has every `required` column. Errors are the user's (BAD_RUN): a
 * missing file, a header from another version, a cell that is not a number.
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
  const row = new Row(path);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row.line++;
      if (columns === null) {
        columns = readHeader(path, record, required);
        row.columns = columns;
        continue;
      }
      row.values = record;
      visit(row);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError("BAD_RUN", `${path}: ${describe(error)}`);
  } finally {
    input.destroy();
  }
  if (columns === null) {
    throw new UserError("BAD_RUN", `${path}: empty file; expected a header line`);
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
      const at = (this.columns.get(column) as number) + 1;
      throw new UserError(
        "BAD_RUN",
        `${this.path}:${this.line}:${at}: ${quote(text)} is not a number; expected a number (${column})`,
      );
    }
    return value;
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
    throw new UserError(
      "BAD_RUN",
      `${path}:1: missing column ${quote(missing[0])}; expected a header with ${required.join(", ")} (was the run saved by an older reuse-sim? run it again)`,
    );
  }
  return columns;
}

function describe(error: unknown): string {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return "no such file";
  return error instanceof Error ? error.message : String(error);
}
