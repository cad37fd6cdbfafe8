import { quote } from "../sim/errors.js";

/** A bound as messages write it: 1e15 rather than 1000000000000000. */
export function limitText(value: number): string {
  return Math.abs(value) >= 1e6 ? value.toExponential().replace("e+", "e") : String(value);
}

/** What every message about a damaged run folder ends with, unless it can say more. */
const EXPECTED_RUN = "expected the folder of a run saved by reuse-sim run --out";

/**
 * Every message `reuse-sim report` shows about a saved run's files, in one place. Each names the
 * file (and the line and column of a CSV file, or the field of a JSON file) and quotes the value.
 */
export const savedRunMessages = {
  cannotRead: (path: string) =>
    `${path}: cannot read it; ${EXPECTED_RUN} (with this version, which also saves scenario.json)`,
  notJson: (path: string, reason: string) => `${path}: not valid JSON (${reason}); ${EXPECTED_RUN}`,
  missingField: (path: string, field: string) => `${path}: ${field} is missing; ${EXPECTED_RUN}`,
  badField: (path: string, field: string, got: string, expected: string) =>
    `${path}: ${field} is ${got}; expected ${expected}, as reuse-sim run --out writes it`,
  environmentOnlyIn: (dir: string, name: string, file: string, other: string) =>
    `${dir}: ${file} has environment ${quote(name)}, which ${other} has not; expected both ` +
    "files from the same run",
  environmentOrder: (dir: string, place: number, inSummary: string, inScenario: string) =>
    `${dir}: environment ${place} is ${quote(inSummary)} in summary.json but ` +
    `${quote(inScenario)} in scenario.json; expected both files from the same run`,
  emptyCsv: (path: string) => `${path}: empty file; expected a header line`,
  missingColumn: (path: string, column: string, required: readonly string[]) =>
    `${path}:1: missing column ${quote(column)}; expected a header with ${required.join(", ")} ` +
    "(was the run saved by an older reuse-sim? run it again)",
  notANumber: (where: string, text: string, column: string) =>
    `${where}: ${quote(text)} is not a number; expected a number (${column})`,
  outOfRange: (where: string, text: string, column: string, expected: string) =>
    `${where}: ${quote(text)} is out of range; expected ${expected} (${column}), as ` +
    "reuse-sim run --out writes it",
  unreadableCsv: (path: string, reason: string) => `${path}: ${reason}; ${EXPECTED_RUN}`,
  fieldCount: (path: string, line: number, fields: number, columns: number) =>
    `${path}:${line}: the row has ${fields} field${fields === 1 ? "" : "s"}, the header ` +
    `${columns}; expected every row whole, as reuse-sim run --out writes it (was the file cut short?)`,
  unknownKind: (where: string, kind: string, kinds: readonly string[]) =>
    `${where}: kind ${quote(kind)} is not known; expected one of ${kinds.join(", ")}, or empty ` +
    "for a task that never started",
  unknownEnvironment: (where: string, env: string, names: readonly string[]) =>
    `${where}: environment ${quote(env)} is not in scenario.json; expected one of ` +
    `${names.join(", ")}`,
  outOfOrder: (where: string, time: number, env: string, previous: number) =>
    `${where}: time ${time} of environment ${quote(env)} comes before ${previous}, on a line ` +
    "above; expected rows in time order, as reuse-sim run --out writes them",
  afterEnd: (where: string, time: number, endSeconds: number) =>
    `${where}: time ${time} is after the end of the run (endSeconds ${endSeconds} in ` +
    "summary.json); expected both files from the same run",
};
