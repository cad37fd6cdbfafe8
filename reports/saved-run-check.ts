import type { TSchema } from "@sinclair/typebox";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

import { UserError, quote } from "../sim/errors.js";
import type { ScenarioDescription } from "../sim/scenario-description.js";
import { listOr } from "../sim/scenario-messages.js";
import { ScenarioDescriptionSchema } from "../sim/scenario-description-schema.js";
import type { Summary } from "../sim/summary.js";
import { SummarySchema } from "../sim/summary-schema.js";
import { limitText, savedRunMessages as messages } from "./saved-run-messages.js";

/*
 * Checking summary.json and scenario.json of a saved run against their schemas before a report
 * is drawn from them, and turning Ajv's first error into one line: the file, the field, the
 * value and what `reuse-sim run --out` writes there.
 */

/** `verbose` keeps the failing value and its schema on each error, which the messages use. */
const ajv = new Ajv({ strict: true, verbose: true });
const validateSummary = ajv.compile<Summary>(SummarySchema);
const validateScenario = ajv.compile<ScenarioDescription>(ScenarioDescriptionSchema);

/** summary.json's content, read from `path`, as a Summary; a UserError naming the first fault. */
export function checkSummary(value: unknown, path: string): Summary {
  return check(validateSummary, value, path);
}

/** scenario.json's content, read from `path`, as a ScenarioDescription; else a UserError. */
export function checkScenario(value: unknown, path: string): ScenarioDescription {
  return check(validateScenario, value, path);
}

function check<T>(validate: ValidateFunction<T>, value: unknown, path: string): T {
  if (validate(value)) return value;
  const error = mostUsefulError(validate.errors ?? []);
  throw new UserError("BAD_RUN", explain(path, error, fieldName(error.instancePath, value)));
}

type Schema = TSchema & Record<string, unknown>;

/**
 * Ajv stops at the first failing keyword, but a failing `anyOf` (a union: a policy or "none", a
 * workload of one kind or another) reports every branch. Follow the branch the value is meant
 * for, told by its type and its constant fields (kind, process); when none is, explain the
 * `anyOf` itself.
 */
function mostUsefulError(errors: readonly ErrorObject[]): ErrorObject {
  const last = errors[errors.length - 1];
  if (last.keyword !== "anyOf") return last;

  const branches = last.schema as Schema[];
  const meant = branches.findIndex((branch) => isMeantFor(branch, last.data));
  const prefix = `${last.schemaPath}/${meant}/`;
  const inBranch = errors.filter((error) => error.schemaPath.startsWith(prefix));
  return meant === -1 || inBranch.length === 0 ? last : mostUsefulError(inBranch);
}

/** Whether `value` has the type of `schema`, and the value of each of its constant fields. */
function isMeantFor(schema: Schema, value: unknown): boolean {
  if (schema.const !== undefined) return value === schema.const;
  switch (schema.type) {
    case "null":
      return value === null;
    case "object":
      return (
        isObject(value) &&
        constantFields(schema).every(([key, constant]) => value[key] === constant)
      );
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number";
    default:
      return typeof value === schema.type;
  }
}

function explain(path: string, error: ErrorObject, field: string): string {
  if (error.keyword === "required") {
    const missing = String(error.params.missingProperty);
    return messages.missingField(path, withKey(field, missing));
  }

  const schema = (error.parentSchema ?? {}) as Schema;
  if (error.keyword === "anyOf" && isObject(error.data)) {
    const tagged = explainTag(path, field, schema.anyOf as Schema[], error.data);
    if (tagged !== null) return tagged;
  }
  return messages.badField(path, field || "its content", quote(error.data), describe(schema));
}

/**
 * An object no branch of a union is meant for, by the constant field that tells the branches
 * apart (a workload's kind, an arrival process's process, then its shape): which value it has,
 * and which it may have. Null when the branches have no such field.
 */
function explainTag(
  path: string,
  field: string,
  branches: readonly Schema[],
  value: Record<string, unknown>,
): string | null {
  const tag = sharedConstantField(branches);
  if (tag === null) return null;

  const key = withKey(field, tag.key);
  if (value[tag.key] === undefined) return messages.missingField(path, key);
  const matching = branches.filter((branch) => constantOf(branch, tag.key) === value[tag.key]);
  if (matching.length === 0) {
    return messages.badField(path, key, quote(value[tag.key]), listOr(tag.values.map(quote)));
  }
  return explainTag(path, field, matching, value);
}

/** What a schema accepts, in words: "a number from 0 to 1e15", "a string", "null". */
function describe(schema: Schema): string {
  if (Array.isArray(schema.anyOf))
    return listOr([...new Set((schema.anyOf as Schema[]).map(describe))]);
  if (schema.const !== undefined) return quote(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(quote).join(", ")}`;

  switch (schema.type) {
    case "number":
    case "integer":
      return `${schema.type === "integer" ? "a whole number" : "a number"}${range(schema)}`;
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "null":
      return "null";
    case "array":
      return schema.minItems !== undefined && schema.minItems === schema.maxItems
        ? `a list of ${schema.minItems}`
        : schema.minItems !== undefined && schema.minItems > 0
          ? `a list of at least ${schema.minItems}`
          : "a list";
    default:
      return schema.minProperties === 1 ? "an object with at least one key" : "an object";
  }
}

/** " from 0 to 1e15", " above 0 and at most 1e15", " >= 0": the bounds of a number. */
function range(schema: Schema): string {
  const max = schema.maximum as number | undefined;
  const hasMax = max !== undefined && max < Number.MAX_SAFE_INTEGER;
  if (schema.exclusiveMinimum !== undefined) {
    const above = ` above ${limitText(schema.exclusiveMinimum as number)}`;
    return hasMax ? `${above} and at most ${limitText(max)}` : above;
  }
  if (schema.minimum === undefined) return hasMax ? ` up to ${limitText(max)}` : "";
  const min = limitText(schema.minimum as number);
  return hasMax ? ` from ${min} to ${limitText(max)}` : ` >= ${min}`;
}

/** The fields of an object schema that hold one constant value: [key, value]. */
function constantFields(schema: Schema): [string, unknown][] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.entries(properties)
    .filter(([, property]) => property.const !== undefined)
    .map(([key, property]) => [key, property.const]);
}

/**
 * The first constant field every branch of a union has (kind, process) and whose value is not
 * the same in all (shape, among the diurnal processes), with the values it takes; or null.
 */
function sharedConstantField(
  branches: readonly Schema[],
): { key: string; values: unknown[] } | null {
  const [first, ...rest] = branches.map(constantFields);
  for (const [key] of first ?? []) {
    if (!rest.every((fields) => fields.some(([other]) => other === key))) continue;
    const values = [...new Set(branches.map((branch) => constantOf(branch, key)))];
    if (values.length > 1) return { key, values };
  }
  return null;
}

function constantOf(branch: Schema, key: string): unknown {
  return (branch.properties as Record<string, Schema>)[key].const;
}

/**
 * Ajv's JSON pointer into `root` as a field: "/environments/api/cost/total" is
 * environments.api.cost.total, and "/workloads/0/kind" is workloads[0].kind.
 */
function fieldName(pointer: string, root: unknown): string {
  let field = "";
  let value = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    field = Array.isArray(value) ? `${field}[${key}]` : withKey(field, key);
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  return field;
}

/** `field` and one more key of an object: `.key`, or `["a key"]` for any other name. */
function withKey(field: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return field === "" ? key : `${field}.${key}`;
  return `${field}[${quote(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
