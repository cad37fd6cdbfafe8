import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RecordingLogger } from "../../sim/logger.js";
import { RandomStreams } from "../../sim/random.js";
import type { TraceWorkloadSpec } from "../../sim/scenario.js";
import { openTrace } from "../../workloads/open.js";
import type { EnvironmentCheck } from "../../workloads/scenario-environments.js";
import type { TaskArrival } from "../../workloads/source.js";

/** The repository's root: tests run from dist/test/workloads. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The shared excerpts of the Azure traces (never copied into the repository). */
export function sharedData(...parts: string[]): string {
  return resolve(REPO_ROOT, "../shared/data", ...parts);
}

let folder: string | null = null;

/** Write a hand-made trace file into a fresh temporary folder and return its path. */
export function writeTrace(name: string, content: string | Buffer): string {
  if (folder === null) {
    const created = mkdtempSync(join(tmpdir(), "reuse-sim-traces-"));
    // Shared by many test files, so removed when the test run ends rather than after one file.
    process.once("exit", () => rmSync(created, { recursive: true, force: true }));
    folder = created;
  }
  const path = join(folder, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export interface Replay {
  tasks: TaskArrival[];
  warnings: string[];
}

/**
 * Read a whole trace as the engine would, with seed 1 and no horizon unless given; with
 * `environments`, rows may name only those (as a scenario's would).
 */
export async function replay(
  spec: Partial<TraceWorkloadSpec> & Pick<TraceWorkloadSpec, "path" | "format">,
  seed = 1,
  horizonSeconds = Infinity,
  environments?: EnvironmentCheck,
): Promise<Replay> {
  const logger = new RecordingLogger();
  const horizonMicros = horizonSeconds * 1e6;
  const source = openTrace(
    { kind: "trace", async: false, ...spec },
    { index: 0, streams: new RandomStreams(seed), logger, horizonMicros, environments },
  );
  const tasks: TaskArrival[] = [];
  for (let batch = await source.next(); batch !== null; batch = await source.next()) {
    tasks.push(...batch);
  }
  return { tasks, warnings: logger.warnings };
}

/** The message of the UserError a replay throws; fails if it throws none. */
export async function replayError(
  spec: Partial<TraceWorkloadSpec> & Pick<TraceWorkloadSpec, "path" | "format">,
  environments?: EnvironmentCheck,
): Promise<{ code: string; message: string }> {
  try {
    await replay(spec, 1, Infinity, environments);
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  throw new Error("expected the replay to fail");
}

/** Tasks as [arrival seconds, duration seconds, env, id] rows, for compact assertions. */
export function rows(tasks: readonly TaskArrival[]): [number, number, string, string][] {
  return tasks.map((task) => [task.arrivalAt / 1e6, task.workMicros / 1e6, task.env, task.id]);
}
