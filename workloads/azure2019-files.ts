import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../sim/errors.js";
import type { TraceWorkloadSpec } from "../sim/scenario.js";
import { traceMessages } from "./trace-messages.js";

export interface Azure2019Files {
  invocations: string;
  durations: string;
  /** null: no memory file given and none found. */
  memory: string | null;
}

/** The dataset's own names for one day's files (NN is the day, 01 to 14). */
const DATASET_DAY = /^invocations_per_function_md\.anon\.d(\d+)\.csv$/;

/**
 * Where the three files of an azure2019 trace are. `path` is the invocations file, or a folder
 * holding invocations.csv. Companions not given are looked for beside the invocations file: the
 * dataset's names for the same day (function_durations_percentiles.anon.dNN.csv,
 * app_memory_percentiles.anon.dNN.csv), else durations.csv and memory.csv. The durations file
 * must exist; the memory file is optional.
 */
export function azure2019Files(spec: TraceWorkloadSpec): Azure2019Files {
  const isFolder = statSync(spec.path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const invocations = isFolder ? join(spec.path, "invocations.csv") : spec.path;
  const folder = dirname(invocations);
  const day = DATASET_DAY.exec(basename(invocations))?.[1];
  const beside = (datasetName: string, shortName: string): string =>
    join(folder, day === undefined ? shortName : `${datasetName}.anon.d${day}.csv`);

  const durations = spec.durationsPath ?? beside("function_durations_percentiles", "durations.csv");
  requireFile("durations", durations);
  const memoryGuess = beside("app_memory_percentiles", "memory.csv");
  const memory = spec.memoryPath ?? (existsSync(memoryGuess) ? memoryGuess : null);
  if (spec.memoryPath !== undefined) requireFile("memory", spec.memoryPath);
  if (isFolder) requireFile("invocations", invocations);
  return { invocations, durations, memory };
}

function requireFile(kind: string, path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) {
    throw new UserError("FILE_NOT_FOUND", traceMessages.missingCompanion(kind, path));
  }
  if (!stats.isFile()) {
    throw new UserError("FILE_NOT_FOUND", traceMessages.companionNotAFile(kind, path));
  }
}
