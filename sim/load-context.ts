import { statSync } from "node:fs";

import { parseDuration } from "./duration.js";
import { isReservedName } from "./environment-names.js";
import type { Logger } from "./logger.js";
import { messages, show, suggest } from "./scenario-messages.js";
import { formatPath, type FieldPath, type ScenarioSource } from "./scenario-source.js";

/** What resolving one part of a scenario file needs to know about the rest. */
export interface Context {
  readonly source: ScenarioSource;
  readonly logger: Logger;
  /** Folder of the scenario file, absolute. */
  readonly baseDir: string;
  readonly variables: Readonly<Record<string, string>>;
  /** The variables a `${NAME}` has used so far: filled in as the trace paths are resolved. */
  readonly usedVariables: Set<string>;
  /** Names of the declared environments, in file order (not `default`, not patterns). */
  readonly environmentNames: readonly string[];
  /** True for a name a pattern or the default would create an environment for. */
  readonly isTemplated: (name: string) => boolean;
  /** True when the file has a `default` entry or a pattern. */
  readonly hasTemplates: boolean;
  /** Slots per replica of each environment (1 for the no-reuse baseline). */
  readonly concurrencyOf: (name: string) => number;
  /** The templates (`default`, patterns) by entry name, with their slots per replica. */
  readonly templateConcurrency: readonly { entry: string; concurrency: number }[];
}

export function positiveDuration(value: unknown, path: FieldPath, source: ScenarioSource): number {
  // A negative value gets this message, not parseDuration's "expected 0 or more": 0 is out too.
  const isNegative =
    (typeof value === "number" && value < 0) ||
    (typeof value === "string" && value.trim().startsWith("-"));
  if (isNegative) throw source.fail("BAD_SCENARIO", path, messages.notPositive(show(value)));

  const seconds = source.at(path, () => parseDuration(value, formatPath(path)));
  if (seconds <= 0) throw source.fail("BAD_SCENARIO", path, messages.notPositive(show(value)));
  return seconds;
}

/**
 * The Flyte SDK's own check, made when a task is declared: concurrency above 1 shares one
 * process between tasks, which only async tasks can do.
 */
export function checkAsync(env: string, isAsync: boolean, path: FieldPath, context: Context): void {
  const concurrency = context.concurrencyOf(env);
  if (isAsync || concurrency <= 1) return;
  throw context.source.fail("BAD_SCENARIO", path, messages.syncWithConcurrency(env, concurrency));
}

/** A workload's environment must be declared, or be one a pattern or the default creates. */
export function checkEnvironment(name: string, path: FieldPath, context: Context): void {
  if (isReservedName(name)) {
    throw context.source.fail("BAD_SCENARIO", path, messages.reservedEnvironment(name));
  }
  const names = context.environmentNames;
  if (names.includes(name) || context.isTemplated(name)) return;

  const message = messages.unknownEnvironment(name, names, suggest(name, names));
  throw context.source.fail("BAD_SCENARIO", path, message);
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` replaced from the given variables, else from the process environment. */
export function substituteVariables(text: string, path: FieldPath, context: Context): string {
  return text.replace(VARIABLE, (_, name: string) => {
    const value = context.variables[name] ?? process.env[name];
    if (value === undefined) {
      throw context.source.fail("BAD_SCENARIO", path, messages.unsetVariable(name, text));
    }
    if (value === "") {
      throw context.source.fail("BAD_SCENARIO", path, messages.emptyVariable(name, text));
    }
    context.usedVariables.add(name);
    return value;
  });
}

export function fileKind(path: string): "file" | "folder" | "other" | "missing" {
  try {
    const stats = statSync(path);
    return stats.isFile() ? "file" : stats.isDirectory() ? "folder" : "other";
  } catch {
    // Missing, or a parent is not a folder, or unreadable: there is no file to read here.
    return "missing";
  }
}
