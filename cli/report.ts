import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { ReportFile } from "../reports/build-report.js";
import { UserError, quotePath } from "../sim/errors.js";
import type { Logger } from "../sim/logger.js";
import { fileMessages, isSystemError } from "./file-messages.js";
import { onInterrupt } from "./interrupt.js";

export interface ReportOptions {
  quiet?: boolean;
}

/** The names a report adds to a run's folder. */
const REPORT_NAMES = ["charts", "report.html", "report.md"];

/**
 * `reuse-sim report DIR`: draw the report of a saved run again, from its files alone, and put it
 * into DIR in place of any earlier report. Nothing is simulated.
 */
export async function reportCommand(
  dir: string,
  options: ReportOptions,
  io: { stdout: NodeJS.WritableStream; logger: Logger },
): Promise<ReportFile[]> {
  const target = resolve(dir);
  const info = await stat(target).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new UserError(
      "BAD_RUN",
      `${quotePath(dir)}: ${info === null ? "no such folder" : "is a file, not a folder"}; expected the folder of a run saved by reuse-sim run --out`,
    );
  }

  // Loaded only now: see writeReport in cli/run.ts.
  const { buildReport } = await import("../reports/build-report.js");
  const { readSavedRun } = await import("../reports/saved-run.js");
  const run = await readSavedRun(target);
  const files = await buildReport(run, (message) => io.logger.warn(message));
  await replaceReport(dir, target, files);
  if (!options.quiet) io.stdout.write(`report: ${join(dir, "report.html")}\n`);
  return files;
}

/**
 * Write the report beside the folder first, then swap it in, so a failure half-way leaves the
 * earlier report whole rather than a mix of two, and Ctrl-C leaves no staging folder.
 */
async function replaceReport(
  dir: string,
  target: string,
  files: readonly ReportFile[],
): Promise<void> {
  let staging: string | null = null;
  const stopListening = onInterrupt(() => {
    if (staging !== null) rmSync(staging, { recursive: true, force: true });
  });
  try {
    staging = createStaging(dir, target);
    for (const file of files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true })
        .then(() => writeFile(path, file.content))
        .catch((error) => {
          throw failed(error, fileMessages.cannotWriteReport(dir, file.path, error));
        });
    }
    // Synchronous, so that a signal never finds one name swapped and the next not.
    for (const name of REPORT_NAMES) {
      try {
        rmSync(join(target, name), { recursive: true, force: true });
        renameSync(join(staging, name), join(target, name));
      } catch (error) {
        throw failed(error, fileMessages.cannotReplaceReport(dir, name, error));
      }
    }
  } finally {
    stopListening();
    if (staging !== null) await rm(staging, { recursive: true, force: true });
  }
}

/** The folder the new report is written into, beside the run's: a rename then swaps it in. */
function createStaging(dir: string, target: string): string {
  try {
    return mkdtempSync(join(dirname(target), `.${basename(target)}.report-`));
  } catch (error) {
    throw failed(error, fileMessages.cannotStageReport(dir, error));
  }
}

/** The user's error with `message` when the system refused (no permission, a full disk). */
function failed(error: unknown, message: string): unknown {
  return isSystemError(error) ? new UserError("CANNOT_WRITE", message) : error;
}
