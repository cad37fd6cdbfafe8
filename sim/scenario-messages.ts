import { closest, distance } from "fastest-levenshtein";

import { quote } from "./errors.js";

/**
 * Every message the scenario loader shows a user, in one place. A message about a value in the
 * file gets `file:line:col: field: ` in front of it.
 */
export const messages = {
  noSuchFile: (path: string) => `${path}: no such file`,
  isDirectory: (path: string) =>
    `${path}: is a directory, expected a scenario file (.yaml, .yml or .json)`,
  unreadable: (path: string, reason: string) => `${path}: cannot read the file (${reason})`,
  syntax: (language: string, reason: string) => `${language} syntax error: ${reason}`,
  multipleDocuments: () =>
    "the file holds more than one document (a second `---`); a scenario is a single document",
  yamlWarning: (reason: string) => `YAML warning: ${reason}`,
  notAScenario: (got: string) =>
    `expected a scenario: a mapping with at least environments and workloads, got ${got}`,
  unknownKeySuggest: (suggestion: string) => `unknown key; did you mean ${quote(suggestion)}?`,
  unknownKeyList: (owner: string, keys: readonly string[]) =>
    `unknown key; ${owner} takes ${listOr(keys)}`,
  missingKey: (key: string) => `missing required key ${quote(key)}`,
  wrongType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  unknownValue: (got: string, allowed: readonly string[], suggestion: string | undefined) =>
    `unknown value ${got}; ` +
    (suggestion === undefined ? "" : `did you mean ${quote(suggestion)}? `) +
    `(expected ${listOr(allowed.map((value) => quote(value)))})`,
  outOfRange: (comparison: string, limit: number, got: string) =>
    `expected a number ${comparison} ${limit}, got ${got}`,
  emptyString: () => 'expected a non-empty string, got ""',
  tooFew: (member: string) => `expected at least one ${member}, got none`,
  invalid: (reason: string) => `invalid value: ${reason}`,
  notPositive: (got: string) => `expected a duration more than 0, got ${got}`,
  horizonMissing: (workload: string) =>
    `horizon: missing; it is required because ${workload} is synthetic ` +
    "(its arrivals stop at the horizon)",
  unknownEnvironment: (name: string, defined: readonly string[], suggestion: string | undefined) =>
    `no environment named ${quote(name)}` +
    (suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`) +
    ` (defined: ${defined.join(", ")})`,
  unsetVariable: (name: string, path: string) =>
    `variable ${name} is not set (used in ${quote(path)}); pass it as a variable ` +
    `(--var ${name}=VALUE${name === "TRACE" ? ", or --trace PATH" : ""}) or set it in the environment`,
  traceNotFound: (path: string, absolute: string) =>
    `no such file ${quote(path)} (looked for ${absolute})`,
  traceNotAFile: (path: string, absolute: string) =>
    `${quote(path)} is not a regular file (${absolute})`,
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

/** The closest candidate, if it is close enough to be what the user meant. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;

  const lower = word.toLowerCase();
  const byLower = new Map(candidates.map((candidate) => [candidate.toLowerCase(), candidate]));
  const best = closest(lower, [...byLower.keys()]);
  const isClose = distance(lower, best) <= Math.max(2, Math.floor(word.length / 3));
  return isClose ? byLower.get(best) : undefined;
}

const MAX_SHOWN_CHARS = 60;

/** A user's value quoted for a message, cut short if long. */
export function show(value: unknown): string {
  const text = quote(value);
  return text.length <= MAX_SHOWN_CHARS ? text : `${text.slice(0, MAX_SHOWN_CHARS - 3)}...`;
}

/** "a, b or c". */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
