/**
 * The reuse policy of an environment, as in Flyte's SDK:
 * `ReusePolicy(replicas=2, idle_ttl=30, concurrency=1, scaledown_ttl=30)`.
 *
 * It makes the checks the SDK makes, and also rejects values the SDK lets through silently but
 * that misbehave in production (min > max, no replicas, no task slots). checkReusePolicy lists
 * every problem and says which ones the SDK would have accepted; the constructor throws the
 * first error it finds.
 */
import { parseDuration } from "../sim/duration.js";
import { isUserError, quote, UserError, type ErrorCode } from "../sim/errors.js";
import type { Logger } from "../sim/logger.js";

const REPLICAS_EXPECTED = "expected a whole number like 2, or [min, max] like [1, 5]";
const PAIR_EXPECTED = "expected [min, max] with 0 <= min <= max and max >= 1";
const TTL_EXPECTED = `expected integer seconds like 60, or a duration string like "90s", "5m" or "PT5M"`;
const SLOTS_EXPECTED = "expected a whole number of task slots per replica, 1 or more";

const messages = {
  notPolicy: (field: string, value: unknown) =>
    `${field}: ${quoteValue(value)} is not a reuse policy; ` +
    `expected a mapping with replicas, idle_ttl, concurrency and scaledown_ttl`,
  replicasNotCount: (field: string, value: unknown) =>
    `${field}: ${quoteValue(value)} is not a replica count; ${REPLICAS_EXPECTED}`,
  replicasNotPair: (field: string, value: unknown[]) =>
    `${field}: ${quoteValue(value)} has ${value.length} items; ${REPLICAS_EXPECTED}`,
  replicasNotWhole: (field: string, value: number) =>
    `${field}: ${quoteValue(value)} is not a whole number of replicas; ${REPLICAS_EXPECTED}`,
  replicasBelowOne: (field: string, value: number) =>
    `${field}: ${quoteValue(value)} leaves no replica to run tasks on; ` +
    `expected a whole number of 1 or more, or [min, max] with max >= 1`,
  boundNotWhole: (field: string, pair: unknown[], bound: string, value: unknown) =>
    `${field}: ${quoteValue(pair)} has ${bound} ${quoteValue(value)}, which is not a whole number; ` +
    PAIR_EXPECTED,
  minNegative: (field: string, pair: unknown[], min: number) =>
    `${field}: ${quoteValue(pair)} has min ${min} below 0; ${PAIR_EXPECTED}`,
  maxBelowOne: (field: string, pair: unknown[], max: number) =>
    `${field}: ${quoteValue(pair)} has max ${max}, so no replica can ever run a task; ` +
    PAIR_EXPECTED,
  minAboveMax: (field: string, pair: unknown[], min: number, max: number) =>
    `${field}: ${quoteValue(pair)} has min ${min} greater than max ${max}; ${PAIR_EXPECTED}`,
  ttlNotSeconds: (field: string, value: unknown) =>
    `${field}: ${quoteValue(value)} is not integer seconds or a duration string; ${TTL_EXPECTED}`,
  ttlTooShort: (field: string, value: unknown, minimum: number) =>
    `${field}: ${quoteValue(value)} is shorter than the ${minimum} second minimum of Flyte's ` +
    `ReusePolicy; expected ${minimum} seconds or more`,
  replicasTooMany: (field: string, value: unknown) =>
    `${field}: ${quoteValue(value)} asks for more than ${MAX_REPLICAS} replicas, more than one ` +
    `environment of this simulator holds; expected at most ${MAX_REPLICAS}`,
  concurrencyTooHigh: (field: string, value: number) =>
    `${field}: ${quoteValue(value)} is more task slots than this simulator gives a replica; ` +
    `expected at most ${MAX_CONCURRENCY}`,
  concurrencyNotWhole: (field: string, value: unknown) =>
    `${field}: ${quoteValue(value)} is not a whole number; ${SLOTS_EXPECTED}`,
  concurrencyBelowOne: (field: string, value: number) =>
    `${field}: ${quoteValue(value)} leaves each replica no task slot; ${SLOTS_EXPECTED}`,
  singleSlot: (field: string, replicas: unknown) =>
    `${field}: ${quoteValue(replicas)} with concurrency 1 gives the environment a single task slot; ` +
    `a parent task that runs in this environment and waits on its children can starve them. ` +
    `Allow 2 or more replicas, raise concurrency, or run the parent task in another environment`,
};

/** Quote a value, and a list item by item the way a policy is usually written: [5, 2]. */
function quoteValue(value: unknown): string {
  if (!Array.isArray(value)) return quote(value);
  return `[${value.map((item) => quote(item)).join(", ")}]`;
}

/** The SDK's defaults. */
const DEFAULT_REPLICAS = 2;
const DEFAULT_TTL_SECONDS = 30;
const DEFAULT_CONCURRENCY = 1;

/**
 * Limits of the simulator, not of the SDK: a pool starts up to min replicas at once, and a
 * replica's slots are searched one by one, so beyond these a run would take memory and time
 * without bound rather than fail.
 */
const MAX_REPLICAS = 100_000;
const MAX_CONCURRENCY = 100_000;

/** The SDK rejects an idle_ttl or scaledown_ttl shorter than this. */
const MIN_TTL_SECONDS = 30;

/** Values come from user YAML, so nothing about their type is assumed. */
export interface ReusePolicyOptions {
  replicas?: unknown;
  idle_ttl?: unknown;
  concurrency?: unknown;
  scaledown_ttl?: unknown;
}

export interface ReusePolicyContext {
  /** Path of the policy in the scenario, e.g. "environments.api.policy"; prefixes messages. */
  field?: string;
  logger?: Logger;
}

export interface PolicyFinding {
  field: string;
  level: "error" | "warning";
  message: string;
  /** True when the real Flyte SDK would have let this through without a word. */
  sdkAccepts: boolean;
  /** The UserError code the constructor throws for this finding. */
  code: ErrorCode;
}

export class ReusePolicy {
  readonly replicas: readonly [number, number];
  readonly idleTtlSeconds: number;
  readonly scaledownTtlSeconds: number;
  readonly concurrency: number;
  readonly warnings: string[];

  constructor(options: ReusePolicyOptions = {}, context: ReusePolicyContext = {}) {
    const { findings, values } = inspectPolicy(options, context.field);
    if (!values) throw firstError(findings);

    this.replicas = Object.freeze([values.minReplicas, values.maxReplicas] as const);
    this.idleTtlSeconds = values.idleTtlSeconds;
    this.scaledownTtlSeconds = values.scaledownTtlSeconds;
    this.concurrency = values.concurrency;

    this.warnings = findings
      .filter((finding) => finding.level === "warning")
      .map((finding) => finding.message);
    for (const warning of this.warnings) context.logger?.warn(warning);
  }

  minReplicas(): number {
    return this.replicas[0];
  }

  maxReplicas(): number {
    return this.replicas[1];
  }

  /** Seconds an idle replica above min is kept before it is removed. */
  getScaledownTtl(): number {
    return this.scaledownTtlSeconds;
  }

  /** Seconds the whole environment may sit idle before every replica is removed. */
  getIdleTtl(): number {
    return this.idleTtlSeconds;
  }

  toJSON(): {
    replicas: [number, number];
    idle_ttl: number;
    concurrency: number;
    scaledown_ttl: number;
  } {
    return {
      replicas: [this.minReplicas(), this.maxReplicas()],
      idle_ttl: this.idleTtlSeconds,
      concurrency: this.concurrency,
      scaledown_ttl: this.scaledownTtlSeconds,
    };
  }
}

/** Every problem with a policy, errors and warnings, in field order. Never throws. */
export function checkReusePolicy(options: ReusePolicyOptions, field?: string): PolicyFinding[] {
  return inspectPolicy(options, field).findings;
}

// Inspection -------------------------------------------------------------------------------------

interface PolicyValues {
  minReplicas: number;
  maxReplicas: number;
  idleTtlSeconds: number;
  scaledownTtlSeconds: number;
  concurrency: number;
}

/** The values are present exactly when there is no error. */
interface PolicyInspection {
  findings: PolicyFinding[];
  values?: PolicyValues;
}

/** One field's outcome: a value when it is usable, and what was found wrong with it. */
interface Checked<T> {
  value?: T;
  findings: PolicyFinding[];
}

interface CheckedFields {
  replicas: Checked<[number, number]>;
  idleTtl: Checked<number>;
  concurrency: Checked<number>;
  scaledownTtl: Checked<number>;
}

function inspectPolicy(options: unknown, prefix: string | undefined): PolicyInspection {
  if (!isMapping(options)) {
    const field = prefix ?? "policy";
    return { findings: [policyError(field, messages.notPolicy(field, options), false)] };
  }

  const replicasField = fieldPath(prefix, "replicas");
  const checked: CheckedFields = {
    replicas: inspectReplicas(options.replicas, replicasField),
    idleTtl: inspectTtl(options.idle_ttl, fieldPath(prefix, "idle_ttl")),
    concurrency: inspectConcurrency(options.concurrency, fieldPath(prefix, "concurrency")),
    scaledownTtl: inspectTtl(options.scaledown_ttl, fieldPath(prefix, "scaledown_ttl")),
  };
  const findings = Object.values(checked).flatMap((each) => each.findings);

  // The SDK's own warning: at most one replica, with one slot.
  if (checked.replicas.value?.[1] === 1 && checked.concurrency.value === 1) {
    findings.push(singleSlotWarning(replicasField, options.replicas));
  }
  return { findings, values: usableValues(checked) };
}

/** A field has a value exactly when it has no error, so all values are present or none. */
function usableValues(checked: CheckedFields): PolicyValues | undefined {
  const { replicas, idleTtl, concurrency, scaledownTtl } = checked;
  if (
    replicas.value === undefined ||
    idleTtl.value === undefined ||
    concurrency.value === undefined ||
    scaledownTtl.value === undefined
  ) {
    return undefined;
  }

  return {
    minReplicas: replicas.value[0],
    maxReplicas: replicas.value[1],
    idleTtlSeconds: idleTtl.value,
    scaledownTtlSeconds: scaledownTtl.value,
    concurrency: concurrency.value,
  };
}

/** The SDK logs this warning and carries on, so it is not silent: sdkAccepts is false. */
function singleSlotWarning(field: string, replicas: unknown): PolicyFinding {
  const message = messages.singleSlot(field, replicas);
  return { field, level: "warning", message, sdkAccepts: false, code: "BAD_POLICY" };
}

function inspectReplicas(value: unknown, field: string): Checked<[number, number]> {
  if (value === undefined) return accepted([DEFAULT_REPLICAS, DEFAULT_REPLICAS]);
  if (typeof value === "number") return inspectReplicaCount(value, field);
  if (Array.isArray(value)) return inspectReplicaPair(value, field);
  return rejected(policyError(field, messages.replicasNotCount(field, value), false));
}

/** An int n means a fixed pool: (n, n). The SDK rejects a count that is not an int. */
function inspectReplicaCount(count: number, field: string): Checked<[number, number]> {
  if (!isWhole(count)) {
    return rejected(policyError(field, messages.replicasNotWhole(field, count), false));
  }
  if (count < 1) return rejected(policyError(field, messages.replicasBelowOne(field, count), true));
  if (count > MAX_REPLICAS) {
    return rejected(policyError(field, messages.replicasTooMany(field, count), true));
  }
  return accepted([count, count]);
}

/** The SDK checks only that there are two items; everything after that it lets through. */
function inspectReplicaPair(pair: unknown[], field: string): Checked<[number, number]> {
  if (pair.length !== 2) {
    return rejected(policyError(field, messages.replicasNotPair(field, pair), false));
  }

  const [min, max] = pair;
  const findings = [
    ...boundFindings(field, pair, "min", min),
    ...boundFindings(field, pair, "max", max),
  ];
  if (!isWhole(min) || !isWhole(max)) return { findings };

  if (min < 0) findings.push(policyError(field, messages.minNegative(field, pair, min), true));
  if (max < 1) findings.push(policyError(field, messages.maxBelowOne(field, pair, max), true));
  if (min > max) {
    findings.push(policyError(field, messages.minAboveMax(field, pair, min, max), true));
  }
  if (max > MAX_REPLICAS)
    findings.push(policyError(field, messages.replicasTooMany(field, pair), true));
  return findings.length > 0 ? { findings } : accepted([min, max]);
}

function boundFindings(
  field: string,
  pair: unknown[],
  bound: string,
  value: unknown,
): PolicyFinding[] {
  if (isWhole(value)) return [];
  return [policyError(field, messages.boundNotWhole(field, pair, bound, value), true)];
}

/** idle_ttl and scaledown_ttl: integer seconds or a duration string, at least 30 seconds. */
function inspectTtl(value: unknown, field: string): Checked<number> {
  if (value === undefined) return accepted(DEFAULT_TTL_SECONDS);

  const seconds = readTtlSeconds(value, field);
  if (seconds.value === undefined || seconds.value >= MIN_TTL_SECONDS) return seconds;
  return rejected(policyError(field, messages.ttlTooShort(field, value, MIN_TTL_SECONDS), false));
}

function readTtlSeconds(value: unknown, field: string): Checked<number> {
  if (typeof value !== "string" && !isWhole(value)) {
    return rejected(policyError(field, messages.ttlNotSeconds(field, value), false));
  }
  // Too short, a negative number included: the caller says so, as the SDK does.
  if (isWhole(value) && value < MIN_TTL_SECONDS) return accepted(value);

  try {
    return accepted(parseDuration(value, field));
  } catch (error) {
    if (!isUserError(error)) throw error;
    return rejected({ ...policyError(field, error.message, false), code: error.code });
  }
}

/** The SDK does not check concurrency when the policy is made. */
function inspectConcurrency(value: unknown, field: string): Checked<number> {
  if (value === undefined) return accepted(DEFAULT_CONCURRENCY);
  if (!isWhole(value)) {
    return rejected(policyError(field, messages.concurrencyNotWhole(field, value), true));
  }
  if (value < 1) {
    return rejected(policyError(field, messages.concurrencyBelowOne(field, value), true));
  }
  if (value > MAX_CONCURRENCY) {
    return rejected(policyError(field, messages.concurrencyTooHigh(field, value), true));
  }
  return accepted(value);
}

// Helpers ----------------------------------------------------------------------------------------

function firstError(findings: PolicyFinding[]): UserError {
  const finding = findings.find((each) => each.level === "error");
  if (!finding) return new UserError("BAD_POLICY", "the reuse policy is not valid");
  return new UserError(finding.code, finding.message);
}

function accepted<T>(value: T): Checked<T> {
  return { value, findings: [] };
}

function rejected<T>(finding: PolicyFinding): Checked<T> {
  return { findings: [finding] };
}

function policyError(field: string, message: string, sdkAccepts: boolean): PolicyFinding {
  return { field, level: "error", message, sdkAccepts, code: "BAD_POLICY" };
}

function fieldPath(prefix: string | undefined, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function isWhole(value: unknown): value is number {
  return Number.isInteger(value);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
