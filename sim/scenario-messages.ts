import { closest, distance } from "fastest-levenshtein";

import { quote, quotePath, show } from "./errors.js";
import { byteText } from "./text-check.js";

/**
 * Every message the scenario loader shows a user, in one place. A message about a value in the
 * file gets `file:line:col: field: ` in front of it.
 */
export const messages = {
  noSuchFile: (path: string) =>
    `${path}: no such file; expected a scenario file (.yaml, .yml or .json)`,
  isDirectory: (path: string) =>
    `${path}: is a directory, expected a scenario file (.yaml, .yml or .json)`,
  unreadable: (path: string, reason: string) => `${path}: cannot read the file (${reason})`,
  syntax: (language: string, reason: string, near: string, expected: string) =>
    `${language} syntax error: ${reason} (at ${near}); expected ${expected}`,
  notText: (byte: number, isGzip: boolean) =>
    `byte ${byteText(byte)} is not UTF-8 text` +
    (isGzip ? " (the file is gzip-compressed)" : "") +
    "; expected a scenario in YAML or JSON, as UTF-8 text",
  multipleDocuments: () => "a second document starts here",
  yamlWarning: (reason: string) => `YAML warning: ${reason}`,
  unresolvedAlias: (name: string) =>
    `YAML error: the alias *${name} comes before any anchor &${name}; expected each alias ` +
    "(*name) after the anchor (&name) it refers to",
  collectionKey: (got: string) =>
    `YAML error: a key that is a list or a mapping (${got}); expected a plain key, such as a name`,
  badMergeSource: (got: string) =>
    `YAML error: ${got} cannot be merged; expected a merge key (<<) to take a mapping, an ` +
    "alias to one (*name) or a list of those",
  notAScenario: (got: string) =>
    `expected a scenario: a mapping with at least environments and workloads, got ${got}`,
  emptyScenario: () =>
    "expected a scenario: a mapping with at least environments and workloads, got an empty file",
  unknownKeySuggest: (suggestion: string) => `unknown key; did you mean ${quote(suggestion)}?`,
  unknownKeyList: (owner: string, keys: readonly string[]) =>
    `unknown key; ${owner} takes ${listOr(keys)}`,
  missingKey: (key: string) => `missing required key ${quote(key)}`,
  wrongType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  unknownValue: (got: string, allowed: readonly string[], suggestion: string | undefined) =>
    `unknown value ${got}; ` +
    (suggestion === undefined ? "" : `did you mean ${quote(suggestion)}? `) +
    `expected ${listOr(allowed.map((value) => quote(value)))}`,
  infinite: (written: string | undefined, value: number) =>
    `${written === undefined ? "" : `${written}, `}a number too large` +
    `${value < 0 ? " in magnitude" : ""} (${value})`,
  outOfRange: (comparison: string, limit: number, got: string) =>
    `expected a number ${comparison} ${limit}, got ${got}`,
  emptyString: () => 'expected a non-empty string, got ""',
  tooFew: (member: string) => `expected at least one ${member}, got none`,
  invalid: (reason: string) => `invalid value: ${reason}`,
  notPositive: (got: string) => `expected a duration more than 0, got ${got}`,
  horizonMissing: (workload: string) =>
    `horizon: missing; it is required because ${workload} is synthetic ` +
    "(its arrivals stop at the horizon)",
  stepTooShort: (got: string) =>
    `expected a step of at least 1 millisecond (finer steps make a row per environment for ` +
    `every millisecond of the run), got ${got}`,
  emptyEnvironment: () => 'expected a name that is not empty: "" cannot name an environment',
  periodTooShort: (got: string) =>
    `expected 0 (exact timers) or a period of at least 1 microsecond (the clock's resolution), got ${got}`,
  fanoutTooLarge: (tasks: number, limit: number) =>
    `makes ${tasks > limit ? `more than ${limit}` : tasks} tasks for every root task (count x ` +
    `waves at each of depth levels); expected at most ${limit}`,
  reservedEnvironment: (name: string) =>
    `${quote(name)} cannot name an environment: it is reserved (a built-in property of every ` +
    "object); expected another name",
  unknownEnvironment: (name: string, defined: readonly string[], suggestion: string | undefined) =>
    `no environment named ${quote(name)}` +
    (suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`) +
    ` (defined: ${defined.join(", ")})`,
  unsetVariable: (name: string, path: string) =>
    `variable ${name} is not set (used in ${quotePath(path)}); pass it as a variable ` +
    `(--var ${name}=VALUE${name === "TRACE" ? ", or --trace PATH" : ""}) or set it in the environment`,
  emptyVariable: (name: string, path: string) =>
    `variable ${name} is empty (used in ${quote(path)}); expected a path, or part of one`,
  emptyOption: (flag: string) => `${flag}: empty value; expected a path`,
  topWithoutTrace: (top: number) =>
    `--top ${top} was given, but the scenario replays no trace; expected a scenario with a ` +
    "trace workload, or no --top",
  unusedVariable: (name: string, tracePaths: readonly string[]) => {
    const flag = name === "TRACE" ? "--trace" : `--var ${name}`;
    const paths = tracePaths.map((path) => quotePath(path)).join(", ");
    const what = tracePaths.length === 0 ? "it replays no trace" : `its trace paths: ${paths}`;
    return (
      `${flag} was given, but the scenario uses no \${${name}} (${what}); expected a trace path ` +
      `such as "\${${name}}", or no ${flag}`
    );
  },
  traceNotFound: (path: string, absolute: string) =>
    `no such file ${quotePath(path)} (looked for ${absolute}); expected the path of a trace file, ` +
    "relative to the scenario's folder",
  traceNotAFile: (path: string, absolute: string, isFolder: boolean) =>
    `${quotePath(path)} is ${isFolder ? "a folder, " : ""}not a regular file (${absolute}); ` +
    "expected a trace file",
  badSeedOption: (got: string) => `seed: expected an integer >= 0, got ${got}`,
  missingPolicy: (defaultEntry: string) =>
    `missing required key "policy" (only an entry that a \`${defaultEntry}\` entry completes may ` +
    "leave it out)",
  processTakes: (process: string, key: string, allowed: readonly string[]) =>
    `${process} arrivals do not take ${quote(key)}; they take ${listOr(allowed)}`,
  processNeeds: (process: string, key: string) => `${process} arrivals need ${quote(key)}`,
  positiveRate: (got: string) => `expected a rate more than 0 tasks per second, got ${got}`,
  someRate: (where: string) => `${where}: at least one rate must be more than 0`,
  jitterTooLong: (got: string, every: number) =>
    `expected a jitter of at most the interval (${every} s), so batches do not overlap, got ${got}`,
  everyTooShort: (got: string) =>
    `expected an interval of at least 1 microsecond (the clock's tick), got ${got}`,
  periodicTooFast: (batch: number, every: number, maxRate: number) =>
    `expected at most ${maxRate} tasks per second (one a microsecond); batch ${batch} every ` +
    `${every} s is ${batch / every} a second`,
  timeOfDay: (got: string, period: number) =>
    `expected a time of day from 0 to less than the period (${period} s), got ${got}`,
  templatesNeeded: (format: string) =>
    `${withArticle(format)} trace creates an environment per function or app, so the scenario needs ` +
    'environments.default (or a pattern such as "*-http") to create them from; or map ' +
    "everything to one declared environment with mapping: {by: all} and env",
  byAppNeedsAzure: () =>
    'mapping.by "app" needs a trace that records apps (azure2019 or azure2021); a tasks ' +
    'trace maps by its env column, or by "all"',
  onlyFor: (key: string, format: string) => `${quote(key)} applies to ${format} traces only`,
  windowEmpty: (from: number, to: number) =>
    `expected \`to\` after \`from\` (${from} s), got ${to} s`,
  syncWithConcurrency: (env: string, concurrency: number) =>
    `environment ${quote(env)} has concurrency ${concurrency}, which only async tasks can use; ` +
    "these tasks are sync (async: false). The Flyte SDK rejects this when the task is " +
    "declared: set async: true, or concurrency: 1",
};

/** What the parser wanted, for its error codes a user is most likely to meet. */
const SYNTAX_EXPECTATIONS: Record<string, string> = {
  BAD_INDENT: "the items of a mapping or list to start at the same column, and each { or [ closed",
  DUPLICATE_KEY: "each key once in a mapping",
  BAD_DQ_ESCAPE: 'an escape such as \\n, \\" or \\\\ inside double quotes',
  BLOCK_AS_IMPLICIT_KEY: 'one "key: value" a line, or quotes around a value that holds ": "',
  MULTILINE_IMPLICIT_KEY: "a key on one line, followed by a colon",
  TAB_AS_INDENT: "spaces for indentation",
  BAD_SCALAR_START: "quotes around a value that starts with @ or `",
  BLOCK_IN_FLOW: "a comma between the entries of a { } or [ ] collection",
  UNEXPECTED_TOKEN: "a key, a value or a list item",
  MULTIPLE_DOCS: "one document: a scenario is a single mapping",
};

/** What a syntax error's parser wanted: by its code, else the language itself. */
export function syntaxExpectation(code: string, language: string, reason: string): string {
  // "Missing , between flow map items", "Missing closing \"quote": the reason names it.
  if (code === "MISSING_CHAR") {
    return reason.startsWith("Missing ")
      ? reason.replace(/^Missing /, "")
      : "each { and [ closed, and each quoted string closed";
  }
  return SYNTAX_EXPECTATIONS[code] ?? `valid ${language}`;
}

/** What JSON.parse wanted, by its reason and the character it stopped at. */
const JSON_EXPECTATIONS: readonly [RegExp, string][] = [
  [/^Expected ',' or '}'/, "a comma (,) between the entries of an object, or its closing }"],
  [/^Expected ',' or ']'/, "a comma (,) between the items of a list, or its closing ]"],
  [
    /^Expected (double-quoted )?property name/,
    'a key in double quotes ("key"); JSON allows no comma after the last entry',
  ],
  [/^Expected ':'/, "a colon (:) after each key"],
  [/^Unterminated string/, "each string closed with a double quote"],
  [/^Bad control character/, "no line break or tab inside a string (write \\n or \\t)"],
  [/^Bad (escaped character|Unicode escape)/, 'an escape such as \\n, \\" or \\u00e9'],
  [/^Unexpected end of JSON input/, "each { and [ closed, and each string"],
  [/^Unexpected non-whitespace character after JSON/, "nothing after the scenario's closing }"],
  [
    /^(No number after minus sign|Exponent part is missing|Unterminated fractional number|Unexpected number)/,
    "a number as JSON writes it (0.5, -2, 1e3)",
  ],
];

/** What a JSON syntax error's parser wanted; `got` is the character it stopped at. */
export function jsonSyntaxExpectation(reason: string, got: string | undefined): string {
  // The character says more than the reason here: JSON.parse reads "//" as a bad key.
  if (got === "/" || got === "#")
    return "no comment (JSON has none; a .yaml scenario may have them)";
  if (got === "'") return 'double quotes (") around keys and strings';
  const known = JSON_EXPECTATIONS.find(([pattern]) => pattern.test(reason));
  if (known !== undefined) return known[1];
  if (got === "]" || got === "}") return "a value: JSON allows no comma after the last item";
  return "a value: a string, a number, true, false, null, an object or a list";
}

/** The closest candidate, if it is close enough to be what the user meant. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;

  const lower = word.toLowerCase();
  const byLower = new Map(candidates.map((candidate) => [candidate.toLowerCase(), candidate]));
  const best = closest(lower, [...byLower.keys()]);
  const isClose = distance(lower, best) <= Math.max(2, Math.floor(word.length / 3));
  if (isClose) return byLower.get(best);

  // A word cut short ("expo", "log") means the one candidate it starts.
  const extending = [...byLower.keys()].filter((candidate) => candidate.startsWith(lower));
  return lower.length >= 3 && extending.length === 1 ? byLower.get(extending[0]) : undefined;
}

export { show };

/** "a, b or c". */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
