import { resolve } from "node:path";

import { parseDuration } from "./duration.js";
import { isReservedName } from "./environment-names.js";
import {
  checkAsync,
  checkEnvironment,
  fileKind,
  positiveDuration,
  substituteVariables,
  type Context,
} from "./load-context.js";
import { messages } from "./scenario-messages.js";
import type { TraceWorkloadSpec } from "./scenario.js";
import type { TraceWorkloadFile } from "./scenario-schema.js";
import { formatPath, type FieldPath } from "./scenario-source.js";

/** Keys of `trace` that only one format reads. */
const FORMAT_KEYS: Record<string, TraceWorkloadSpec["format"]> = {
  durations: "azure2019",
  memory: "azure2019",
  spread: "azure2019",
  memoryStat: "azure2019",
  sortLimit: "azure2021",
};

/** A trace workload, its files found and its keys checked against its format. */
export function resolveTrace(
  workload: TraceWorkloadFile,
  path: FieldPath,
  context: Context,
): TraceWorkloadSpec {
  const { trace } = workload;
  const format = trace.format;
  const { source } = context;
  for (const [key, only] of Object.entries(FORMAT_KEYS)) {
    if (key in trace && format !== only) {
      throw source.fail("BAD_SCENARIO", [...path, "trace", key], messages.onlyFor(key, only), true);
    }
  }

  checkMapping(workload, path, context);
  checkTraceAsync(workload, path, context);
  const file = (key: "path" | "durations" | "memory", text: string) =>
    tracePath(text, [...path, "trace", key], context, key === "path" && format === "azure2019");
  const window = resolveWindow(workload, path, context);

  return {
    kind: "trace",
    path: file("path", trace.path),
    format,
    ...(workload.env === undefined ? {} : { env: workload.env }),
    async: workload.async ?? false,
    ...(workload.timeout === undefined
      ? {}
      : { timeoutSeconds: positiveDuration(workload.timeout, [...path, "timeout"], source) }),
    ...(workload.skipBadRows === undefined ? {} : { skipBadRows: workload.skipBadRows }),
    ...(workload.mapping === undefined
      ? {}
      : { mapping: { ...workload.mapping, by: workload.mapping.by ?? "function" } }),
    ...(workload.top === undefined ? {} : { top: workload.top }),
    ...window,
    ...(workload.load === undefined ? {} : { load: workload.load }),
    ...(trace.durations === undefined ? {} : { durationsPath: file("durations", trace.durations) }),
    ...(trace.memory === undefined ? {} : { memoryPath: file("memory", trace.memory) }),
    ...(trace.spread === undefined ? {} : { spread: trace.spread }),
    ...(trace.memoryStat === undefined ? {} : { memoryStat: trace.memoryStat }),
    ...(trace.sortLimit === undefined ? {} : { sortLimit: trace.sortLimit }),
  };
}

/** Where the trace's rows go: declared environments, or ones made from the templates. */
function checkMapping(workload: TraceWorkloadFile, path: FieldPath, context: Context): void {
  const { source } = context;
  const format = workload.trace.format;
  const by = workload.mapping?.by ?? (format === "tasks" ? "env column" : "function");

  if (format === "tasks" && by === "app") {
    throw source.fail("BAD_SCENARIO", [...path, "mapping", "by"], messages.byAppNeedsAzure());
  }
  if (workload.env !== undefined) {
    if (format !== "tasks" && by !== "all") {
      const message = messages.onlyFor("env", 'tasks and mapping by "all"');
      throw source.fail("BAD_SCENARIO", [...path, "env"], message, true);
    }
    checkEnvironment(workload.env, [...path, "env"], context);
  }
  const aliases = Object.entries(workload.mapping?.aliases ?? {});
  for (const [hash, name] of aliases) {
    if (!isReservedName(name)) continue;
    const aliasPath = [...path, "mapping", "aliases", hash];
    throw source.fail("BAD_SCENARIO", aliasPath, messages.reservedEnvironment(name));
  }
  const hasAliases = aliases.length > 0;
  if (format !== "tasks" && by !== "all" && !context.hasTemplates && !hasAliases) {
    throw source.fail("BAD_SCENARIO", path, messages.templatesNeeded(format));
  }
}

/**
 * The SDK's async check for replayed tasks: against the workload's env when it names one, else
 * against the templates that create the environments the trace names. (Rows of a tasks trace
 * that name a declared environment are not checked: set `async` on the workload for those.)
 */
function checkTraceAsync(workload: TraceWorkloadFile, path: FieldPath, context: Context): void {
  const isAsync = workload.async ?? false;
  if (workload.env !== undefined) {
    checkAsync(workload.env, isAsync, [...path, "async"], context);
    return;
  }
  const template = context.templateConcurrency.find(({ concurrency }) => concurrency > 1);
  if (isAsync || template === undefined) return;
  const message = messages.syncWithConcurrency(template.entry, template.concurrency);
  throw context.source.fail("BAD_SCENARIO", [...path, "async"], message);
}

function resolveWindow(
  workload: TraceWorkloadFile,
  path: FieldPath,
  context: Context,
): { fromSeconds?: number; toSeconds?: number } {
  const seconds = (key: "from" | "to") => {
    const value = workload[key];
    if (value === undefined) return undefined;
    return context.source.at([...path, key], () =>
      parseDuration(value, formatPath([...path, key])),
    );
  };
  const [fromSeconds, toSeconds] = [seconds("from"), seconds("to")];
  if (toSeconds !== undefined && toSeconds <= (fromSeconds ?? 0)) {
    const message = messages.windowEmpty(fromSeconds ?? 0, toSeconds);
    throw context.source.fail("BAD_SCENARIO", [...path, "to"], message);
  }
  return {
    ...(fromSeconds === undefined ? {} : { fromSeconds }),
    ...(toSeconds === undefined ? {} : { toSeconds }),
  };
}

/** The absolute path of a file the trace names; a folder is accepted where `mayBeFolder`. */
function tracePath(text: string, path: FieldPath, context: Context, mayBeFolder: boolean): string {
  const written = substituteVariables(text, path, context);
  const absolute = resolve(context.baseDir, written);

  const kind = fileKind(absolute);
  if (kind === "file" || (kind === "folder" && mayBeFolder)) return absolute;
  const message =
    kind === "missing"
      ? messages.traceNotFound(written, absolute)
      : messages.traceNotAFile(written, absolute, kind === "folder");
  throw context.source.fail("FILE_NOT_FOUND", path, message);
}
