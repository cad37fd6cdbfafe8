import { MAX_DURATION_SECONDS } from "../sim/duration.js";
import { quote, quotePath, show } from "../sim/errors.js";
import { byteText } from "../sim/text-check.js";

/**
 * Every message a trace reader shows a user, in one place. A position is `file:line:column`
 * (both from 1); a column is named as `3 (end_timestamp)` so that a user finds it either way.
 */
export const traceMessages = {
  childArrival: (value: string, column: Column) =>
    `${quote(value)} in ${cell(column)}: a row with a parent has no ` +
    "arrival of its own (it is launched when its parent's own work ends); leave it empty",
  duplicateId: (id: string, column: Column | undefined, firstLine: number) =>
    `duplicate task id ${show(id)}${inCell(column)} (first at line ${firstLine}); expected each ` +
    "task id once in the trace",
  idsUnchecked: (limit: number) =>
    `more than ${limit} task ids: ids from this line on are checked for duplicates only ` +
    `against the first ${limit}, which are kept in memory (a trace with a parent column is ` +
    "checked in full)",
  unknownParent: (parent: string, column: Column | undefined, child: string) =>
    `parent ${show(parent)}${inCell(column)} of task ${show(child)} is not in the trace; ` +
    "expected the id of a task in the trace, or an empty parent for a task without one",
  parentCycle: (ids: readonly string[], column: Column | undefined) =>
    `a cycle of parents${inCell(column)}: ${ids.map((id) => show(id)).join(" -> ")}; expected ` +
    "every task to lead up to a task without a parent",
  tailWithoutParent: () =>
    'a "tail" column without a "parent" column: a tail is a parent\'s own work after its last ' +
    'child, and only a parent column gives tasks children; add one, or drop "tail"',
  tailWithoutChildren: (id: string, tailSeconds: number) =>
    `task ${quote(id)} has a tail (${tailSeconds} s) but no children; a tail is a parent's own ` +
    "work after its last child: add it to the task's duration, or leave the tail empty",
  tooManyTreeRows: (limit: number) =>
    `more than ${limit} rows in a trace with a parent column, which is read whole into memory ` +
    "to link children to parents; replay a part of it",
  reservedEnvironment: (value: string, column: Column, name: string) =>
    (value === name
      ? `${show(value)} in ${cell(column)} cannot name an environment`
      : `${show(value)} in ${cell(column)} makes the environment name ${quote(name)}, which ` +
        "cannot name an environment") +
    ": it is reserved (a built-in property of every object); expected another name" +
    (value === name ? "" : " (give the hash an alias in mapping.aliases)"),
  undefinedEnvironment: (
    value: string,
    column: Column,
    declared: readonly string[],
    globs: readonly string[],
    suggestion: string | undefined,
  ) =>
    `${show(value)} in ${cell(column)} is not an environment of the scenario` +
    (suggestion === undefined ? "; " : `; did you mean ${quote(suggestion)}? `) +
    `expected ${[
      ...(declared.length === 0 ? [] : [`one it defines (${shortList(declared)})`]),
      ...(globs.length === 0 ? [] : [`a name matching ${shortList(globs.map((g) => quote(g)))}`]),
    ].join(" or ")}, or an environments.default entry to create the others from`,
  reservedTaskEnvironment: (label: string, id: string, name: string) =>
    `${label}: task ${quote(id)} names environment ${quote(name)}, which cannot name an ` +
    "environment: it is reserved (a built-in property of every object); expected another name",
  where: (path: string, line: number, column?: Column) =>
    column === undefined ? `${path}:${line}` : `${path}:${line}:${column.index}`,
  badValue: (value: string, column: Column, expected: string) =>
    `${show(value)} in ${cell(column)} is not valid; expected ${expected}`,
  tooLarge: (value: string, column: Column, unit: "seconds" | "milliseconds") =>
    `${show(value)} in ${cell(column)} is too large; expected ` +
    (unit === "seconds" ? "a number of seconds" : "milliseconds") +
    ` from 0 to ${unit === "seconds" ? MAX_DURATION_SECONDS : MAX_DURATION_SECONDS * 1000} ` +
    `(${ABOUT_31_YEARS})`,
  memoryTooLarge: (value: string, column: Column, limit: number) =>
    `${show(value)} in ${cell(column)} is too large; expected megabytes from 0 to ${limit} ` +
    "(about 10 TB)",
  arrivalTooLarge: (value: string, column: Column) =>
    `${show(value)} in ${cell(column)} is too large; expected seconds from the start of the ` +
    `trace, at most ${MAX_DURATION_SECONDS} (${ABOUT_31_YEARS}), or an ISO-8601 timestamp`,
  timestampTooLate: (value: string, column: Column) =>
    `${show(value)} in ${cell(column)} is more than ${MAX_DURATION_SECONDS} seconds ` +
    `(${ABOUT_31_YEARS}) after the first row; expected timestamps within that of the first row`,
  fieldCount: (fields: readonly string[], header: string, expected: number) =>
    `the row has ${plural(fields.length, "field")}, the header ${expected} (${header}); ` +
    (fields.length > expected
      ? `the first extra field is ${show(fields[expected])}`
      : `the last is ${show(fields[fields.length - 1] ?? "")} and the rest is missing`) +
    `; expected ${plural(expected, "field")}`,
  noRows: (what: string) => `no rows after the header; expected at least one ${what}`,
  notText: (byte: number, isGzip: boolean) =>
    `byte ${byteText(byte)} is not UTF-8 text` +
    (isGzip ? " (the file is gzip-compressed: decompress it first)" : "") +
    "; expected a trace as UTF-8 text (CSV or JSON Lines)",
  noSuchFile: (path: string) => `${path}: no such file; expected a trace file`,
  unreadable: (path: string, reason: string) =>
    `${path}: cannot read the file (${reason}); expected a readable trace file`,
  missingColumn: (name: string, required: readonly string[]) =>
    `missing column ${quote(name)}; the header must name ${required.join(", ")}`,
  unknownColumn: (name: string, known: readonly string[]) =>
    `unknown column ${quote(name)}; expected columns among ${known.join(", ")}`,
  minuteColumn: (name: string, minute: number) =>
    `the minute column ${quote(name)} is out of place; expected ${quote(String(minute))}: ` +
    "minutes numbered 1, 2, ... in order after the key columns",
  duplicateColumn: (name: string) => `column ${quote(name)} appears twice in the header`,
  emptyFile: (what: string) => `empty file; expected ${what}`,
  lineTooLong: (limit: number, syntax: "CSV" | "JSON Lines") =>
    `${syntax === "CSV" ? "a row" : "a line"} of more than ${limit} characters ` +
    `(${mebibytes(limit)})` +
    `; expected ${syntax === "CSV" ? "CSV rows" : "lines"} of at most ${mebibytes(limit)} (is ` +
    `this a ${syntax} trace, with one ${syntax === "CSV" ? "row" : "object"} a line?)`,
  csvSyntax: (reason: string) => `CSV syntax error: ${reason}; expected CSV as RFC 4180 writes it`,
  unclosedQuote: () =>
    'CSV syntax error: the quote (") that opens this field is never closed, so the file ends ' +
    "inside it; expected a closing quote at the end of the field",
  afterClosingQuote: (got: string | undefined) =>
    `CSV syntax error: ${got === undefined ? "text" : quote(got)} after the closing quote of a ` +
    'field; expected a comma or the end of the line (write a quote inside a field as "")',
  quoteInside: (field: string) =>
    `CSV syntax error: a quote (") inside the unquoted field ${show(field)}; expected a field ` +
    'quoted as a whole, with each quote inside doubled ("a ""b"" c")',
  jsonSyntax: (text: string, reason: string) =>
    `${show(text)} is not valid JSON (${reason}); expected one JSON object a line`,
  notAnObject: (value: string) => `${value} is not a JSON object; expected one object a line`,
  missingKey: (text: string, key: string) =>
    `${show(text)} has no ${quote(key)}; expected an object with "arrival" and "duration" ` +
    '(and "env" and "id" where the trace gives them)',
  outOfOrder: (value: string, column: Column, previous: string) =>
    `${show(value)} in ${cell(column)} arrives before the row above ` +
    `(${show(previous)}); expected rows in non-decreasing arrival order`,
  mixedTimes: (value: string, column: Column, firstIsIso: boolean) =>
    `${quote(value)} in ${cell(column)}: the first row gave ` +
    `${firstIsIso ? "an ISO-8601 timestamp" : "seconds"}; expected the same in every row`,
  noEnv: (envFlag: string | undefined) =>
    envFlag === undefined
      ? "no env column and no env given on the workload; add one or the other"
      : `no env column and no ${envFlag} NAME; add an env column, or give ${envFlag} NAME`,
  envExpected: (envFlag: string | undefined) =>
    "an environment name, or " +
    (envFlag === undefined ? "env on the workload" : `${envFlag} NAME`) +
    " for rows that leave it empty",
  skipped: (path: string, count: number, lines: readonly number[]) =>
    `${path}: skipped ${count} bad row${count === 1 ? "" : "s"} ` +
    `(line${lines.length === 1 ? "" : "s"} ${lines.join(", ")}${count > lines.length ? ", ..." : ""})`,
  skipping: (message: string) => `${message} (row skipped: skipBadRows is on)`,
  tooManyRows: (limit: number) =>
    `more than ${limit} rows to sort by start time in memory; raise sortLimit ` +
    `(about 32 bytes a row at the peak) or replay a time window (from, to) of the trace`,
  missingCompanion: (kind: string, path: string) =>
    `no ${kind} file ${quotePath(path)}; the azure2019 format reads it beside invocations.csv, ` +
    `or name it with the workload's \`${kind}\` key`,
  companionNotAFile: (kind: string, path: string) =>
    `the ${kind} file ${quotePath(path)} is not a regular file; expected the azure2019 ${kind} table ` +
    "(a CSV file)",
  noDurations: (fn: string, line: number) =>
    `function ${quote(fn)} (invocations line ${line}) has no row in the durations file; ` +
    "expected a row with its HashOwner, HashApp and HashFunction",
  durationsSkipped: (fn: string, line: number, durationsPath: string, durationsLine: number) =>
    `function ${quote(fn)} (invocations line ${line}): its row in the durations file ` +
    `(${durationsPath} line ${durationsLine}) was skipped as bad; expected a usable row with its ` +
    "duration percentiles",
  decreasingPercentile: (value: string, column: Column, before: string, beforeColumn: Column) =>
    `${show(value)} in ${cell(column)} is below ${show(before)} in ${cell(beforeColumn)}; ` +
    "expected milliseconds that do not decrease from percentile 0 to 100",
  duplicateRow: (key: string, firstLine: number) =>
    `the same function ${quote(key)} appears again (first at line ${firstLine}); ` +
    "expected one row per function",
};

/** MAX_DURATION_SECONDS in words: the longest time a trace may give. */
const ABOUT_31_YEARS = "about 31 years";

/** ` in column 4 (id)`, or nothing for a field without a place. */
function inCell(column: Column | undefined): string {
  return column === undefined ? "" : ` in ${cell(column)}`;
}

/** A field's place in a message: `column 2 (duration)` in CSV, `key "duration"` in JSON. */
function cell(column: Column): string {
  return column.isKey === true
    ? `key ${quote(column.name)}`
    : `column ${column.index} (${column.name})`;
}

export interface Column {
  /** From 1: the field's place in a CSV row, or the character column of a JSON value. */
  index: number;
  name: string;
  /** A JSON object's key: messages name the key, and the index is a character column. */
  isKey?: boolean;
}

/** The first ten names, then "...": a scenario may declare hundreds. */
function shortList(names: readonly string[]): string {
  return (names.length > 10 ? [...names.slice(0, 10), "..."] : names).join(", ");
}

function mebibytes(chars: number): string {
  return `${chars / (1024 * 1024)} MiB`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
