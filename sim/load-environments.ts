import { ReusePolicy } from "../policies/reuse-policy.js";
import { makeSampler } from "./distributions.js";
import { parseDuration } from "./duration.js";
import { isReservedName } from "./environment-names.js";
import { globToRegExp, isGlob } from "./glob.js";
import type { Logger } from "./logger.js";
import { messages } from "./scenario-messages.js";
import type { EnvironmentPattern, EnvironmentSpec, EnvironmentTemplate } from "./scenario.js";
import type { EnvironmentFile, ScenarioFile } from "./scenario-schema.js";
import { formatPath, type FieldPath, type ScenarioSource } from "./scenario-source.js";

/** The entry of `environments` that is a template for the environments not named. */
export const DEFAULT_ENTRY = "default";

export interface ResolvedEnvironments {
  environments: EnvironmentSpec[];
  patterns: EnvironmentPattern[];
  defaultEnvironment?: EnvironmentTemplate;
}

/**
 * The `environments` of a file: named entries become environments, `default` the template for
 * names not declared, and names with a wildcard patterns. Every entry but the default is
 * completed by the default: a key it does not give is the default's, and a policy object or a
 * cost it gives overrides the default's key by key.
 */
export function resolveEnvironments(
  entries: ScenarioFile["environments"],
  source: ScenarioSource,
  logger: Logger,
): ResolvedEnvironments {
  const resolved: ResolvedEnvironments = { environments: [], patterns: [] };
  for (const [name, entry] of Object.entries(completedEntries(entries))) {
    if (isReservedName(name)) {
      throw source.fail("BAD_SCENARIO", ["environments", name], messages.reservedEnvironment(name));
    }
    if (name.trim() === "") {
      throw source.fail("BAD_SCENARIO", ["environments", name], messages.emptyEnvironment());
    }
    const template = resolveTemplate(entry, ["environments", name], source, logger);
    if (name === DEFAULT_ENTRY) resolved.defaultEnvironment = template;
    else if (isGlob(name)) resolved.patterns.push({ glob: name, template });
    else resolved.environments.push({ name, ...template });
  }
  return resolved;
}

/** Each entry completed by the default entry, in file order. */
export function completedEntries(
  entries: ScenarioFile["environments"],
): Record<string, EnvironmentFile> {
  const fallback = entries[DEFAULT_ENTRY];
  if (fallback === undefined) return entries;
  return Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [
      name,
      name === DEFAULT_ENTRY ? entry : completed(entry, fallback),
    ]),
  );
}

/** Slots per replica, as the file gives them: what the SDK's async check needs. */
export interface EntrySlots {
  /** Of the environment a name resolves to: its entry, else a pattern's, else the default's. */
  of(name: string): number;
  /** Of each template (`default`, patterns), by entry name, in file order. */
  templates: { entry: string; concurrency: number }[];
}

/** Slots per replica of each environment and template, every entry completed by the default. */
export function entrySlots(entries: ScenarioFile["environments"]): EntrySlots {
  const completedByDefault = completedEntries(entries);
  const names = Object.keys(completedByDefault);
  const patterns = names.filter(isGlob).map((name) => ({ name, regExp: globToRegExp(name) }));
  const entryOf = (name: string) => {
    if (Object.hasOwn(completedByDefault, name) && name !== DEFAULT_ENTRY && !isGlob(name))
      return completedByDefault[name];
    const pattern = patterns.find(({ regExp }) => regExp.test(name));
    return pattern === undefined
      ? completedByDefault[DEFAULT_ENTRY]
      : completedByDefault[pattern.name];
  };
  return {
    of: (name) => concurrencyOfEntry(entryOf(name)),
    templates: names
      .filter((name) => name === DEFAULT_ENTRY || isGlob(name))
      .map((entry) => ({ entry, concurrency: concurrencyOfEntry(completedByDefault[entry]) })),
  };
}

function concurrencyOfEntry(entry: EnvironmentFile | undefined): number {
  const policy = entry?.policy;
  return typeof policy === "object" && typeof policy.concurrency === "number"
    ? policy.concurrency
    : 1;
}

function completed(entry: EnvironmentFile, fallback: EnvironmentFile): EnvironmentFile {
  const policy =
    typeof entry.policy === "object" && typeof fallback.policy === "object"
      ? { ...fallback.policy, ...entry.policy }
      : (entry.policy ?? fallback.policy);
  const cost =
    entry.cost === undefined ? fallback.cost : { ...(fallback.cost ?? {}), ...entry.cost };
  return { ...fallback, ...entry, policy, ...(cost === undefined ? {} : { cost }) };
}

function resolveTemplate(
  entry: EnvironmentFile,
  path: FieldPath,
  source: ScenarioSource,
  logger: Logger,
): EnvironmentTemplate {
  const policyPath = [...path, "policy"];
  const policyOptions = entry.policy;
  if (policyOptions === undefined) {
    throw source.fail("BAD_SCENARIO", path, messages.missingPolicy(DEFAULT_ENTRY));
  }
  const policy =
    policyOptions === "none"
      ? "none"
      : source.at(policyPath, () => {
          return new ReusePolicy(policyOptions, { field: formatPath(policyPath), logger });
        });

  const coldStartPath = [...path, "coldStart"];
  const coldStartSpec = entry.coldStart ?? { dist: "constant", value: 0 };
  const coldStart = source.at(coldStartPath, () =>
    makeSampler(coldStartSpec, formatPath(coldStartPath)),
  );

  const overhead = (key: "firstTaskOverhead" | "dispatchOverhead") => {
    const value = entry[key];
    if (value === undefined) return 0;
    return source.at([...path, key], () => parseDuration(value, formatPath([...path, key])));
  };

  const perGbHour = entry.cost?.perGbHour;
  return {
    policy,
    coldStart,
    firstTaskOverheadSeconds: overhead("firstTaskOverhead"),
    dispatchOverheadSeconds: overhead("dispatchOverhead"),
    cost: {
      perReplicaHour: entry.cost?.perReplicaHour ?? 0,
      ...(perGbHour === undefined ? {} : { perGbHour }),
    },
  };
}
