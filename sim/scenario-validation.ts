import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

import { quote } from "./errors.js";
import { listOr, messages, show, suggest, withArticle } from "./scenario-messages.js";
import { distributionParameters } from "./distributions.js";
import { ARRIVAL_KEYS, ScenarioFileSchema, type ScenarioFile } from "./scenario-schema.js";

/*
 * Checking a parsed scenario file against the schema, and turning Ajv's first error into one
 * line a user can act on: the closest known key for a misspelt one, what a value should have
 * been and what it was.
 */

/** What is wrong with a scenario file, as the schema sees it. */
export interface SchemaProblem {
  /** JSON pointer of the value at fault (of the mapping, for an unknown key). */
  readonly pointer: string;
  /** Set when the problem is this key of the mapping at `pointer`. */
  readonly unknownKey?: string;
  /** One line, without the position and the field. */
  readonly message: string;
}

/**
 * Check parsed data against the scenario schema: undefined when it is valid. `writtenAt` gives
 * the text of the value at a JSON pointer as the file writes it, where the parsed value would
 * not say what the user wrote (1e400, parsed as Infinity).
 */
export function findSchemaProblem(
  data: unknown,
  writtenAt: (pointer: string) => string | undefined = () => undefined,
): SchemaProblem | undefined {
  if (validateScenarioFile(data)) return undefined;

  const error = mostUsefulError(validateScenarioFile.errors ?? []);
  if (error.keyword === "additionalProperties") {
    const key = String(error.params.additionalProperty);
    return { pointer: error.instancePath, unknownKey: key, message: explainUnknownKey(key, error) };
  }
  const got = gotOf(error.data, () => writtenAt(error.instancePath));
  return { pointer: error.instancePath, message: explain(error, got, error.instancePath === "") };
}

/**
 * A value as a message quotes it. A number too large for a double (1e400, or YAML's .inf) was
 * parsed as Infinity, which the user did not write: it is quoted as written, and said to be too
 * large.
 */
function gotOf(value: unknown, written: () => string | undefined): string {
  if (typeof value !== "number" || Number.isFinite(value) || Number.isNaN(value)) {
    return show(value);
  }
  const text = written();
  const isShort = text !== undefined && text.length <= 40 && !/[\r\n]/.test(text);
  return messages.infinite(isShort ? text : undefined, value);
}

/*
 * Compiled once, when the loader is first imported. `verbose` keeps the failing value and its
 * schema on each error, which the messages quote and describe. `strictRequired` is off because
 * the workload's `if: {required: ["trace"]}` names a key its own schema does not define.
 */
const validateScenarioFile: ValidateFunction<ScenarioFile> = new Ajv({
  strict: true,
  strictRequired: false,
  verbose: true,
}).compile<ScenarioFile>(ScenarioFileSchema);

/**
 * Ajv stops at the first failing keyword, but a failing `anyOf` reports every branch. Keep the
 * branch whose kind matches the value (an object for the policy object, not the string "none")
 * and explain its error; when no branch matches by kind, explain the `anyOf` itself ("expected
 * a number or a duration string").
 */
function mostUsefulError(errors: readonly ErrorObject[]): ErrorObject {
  const last = errors[errors.length - 1];
  if (last.keyword === "if") return mostUsefulError(errors.slice(0, -1));
  if (last.keyword !== "anyOf") return last;

  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors.slice(0, -1)) {
    const rest = error.schemaPath.slice(last.schemaPath.length + 1);
    const branch = rest.split("/")[0];
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }

  const matching = [...branches.values()].filter((branch) => {
    const failure = branch[branch.length - 1];
    const isKindMismatch = failure.keyword === "type" || failure.keyword === "const";
    return !(isKindMismatch && failure.instancePath === last.instancePath);
  });
  return matching.length === 1 ? mostUsefulError(matching[0]) : last;
}

function explain(error: ErrorObject, got: string, isTopLevel: boolean): string {
  const schema = error.parentSchema ?? {};

  switch (error.keyword) {
    case "type":
    case "anyOf":
      return isTopLevel ? messages.notAScenario(got) : messages.wrongType(describe(schema), got);
    case "const":
      return messages.wrongType(quote(error.params.allowedValue), got);
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return messages.unknownValue(got, allowed, suggest(String(error.data), allowed));
    }
    case "required":
      return messages.missingKey(String(error.params.missingProperty));
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum":
      return messages.outOfRange(String(error.params.comparison), error.params.limit, got);
    case "minLength":
      return messages.emptyString();
    case "minItems":
    case "minProperties":
      return messages.tooFew(memberTitle(schema));
    default:
      return messages.invalid(error.message ?? error.keyword);
  }
}

function explainUnknownKey(key: string, error: ErrorObject): string {
  const schema = error.parentSchema ?? {};
  const properties = Object.keys(schema.properties ?? {}).filter((name) => !name.startsWith("$"));
  const variant = variantOf(error.data, properties);
  const allowed = variant === undefined ? properties : [variant.key, ...variant.keys];
  const suggestion = suggest(key, allowed);
  if (suggestion !== undefined) return messages.unknownKeySuggest(suggestion);

  if (variant !== undefined) return messages.unknownKeyList(variant.owner, variant.keys);
  const owner = typeof schema.title === "string" ? withArticle(schema.title) : "this mapping";
  return messages.unknownKeyList(owner, properties);
}

/**
 * A mapping whose other keys depend on one of them, as the schema does not say: an arrival
 * process's on `process`, a distribution's on `dist`. The schema allows the keys of every
 * variant; a misspelt key is matched against the keys of the variant the mapping names only.
 */
function variantOf(
  data: unknown,
  properties: readonly string[],
): { key: string; keys: readonly string[]; owner: string } | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { process, dist } = data as Record<string, unknown>;

  if (properties.includes("process") && typeof process === "string") {
    if (!Object.hasOwn(ARRIVAL_KEYS, process)) return undefined;
    const { required, optional } = ARRIVAL_KEYS[process as keyof typeof ARRIVAL_KEYS];
    const owner = withArticle(`${process} arrival process`);
    return { key: "process", keys: [...required, ...optional], owner };
  }
  if (properties.includes("dist") && typeof dist === "string") {
    const keys = distributionParameters(dist);
    const owner = withArticle(`${dist} distribution`);
    return keys === undefined ? undefined : { key: "dist", keys, owner };
  }
  return undefined;
}

/** What a schema accepts, in words: "a number of seconds or a duration string". */
function describe(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.anyOf)) return listOr(schema.anyOf.map(describe));
  if (schema.const !== undefined) return quote(schema.const);
  if (typeof schema.title === "string") return withArticle(schema.title);

  switch (schema.type) {
    case "number":
      return "a number";
    case "integer":
      return "an integer";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    default:
      return "a mapping";
  }
}

/** What one entry of a list or a mapping is called: "workload", "environment". */
function memberTitle(schema: Record<string, unknown>): string {
  const items = schema.items as { title?: unknown } | undefined;
  const values = Object.values(schema.patternProperties ?? {}) as { title?: unknown }[];
  const title = items?.title ?? values[0]?.title;
  return typeof title === "string" ? title : "entry";
}
