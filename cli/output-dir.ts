import { once } from "node:events";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UserError, quote } from "../sim/errors.js";

/** Every name a run may write at the top of its output folder. */
export const OUTPUT_NAMES = new Set([
  "summary.json",
  "tasks.csv",
  "timeline.csv",
  "scenario.json",
  "report.html",
  "report.md",
  "charts",
]);

/**
 * An output folder written whole or not at all. Files are written into a staging folder beside
 * the target; commit() moves them in only when the run has succeeded, and abort() (an error or
 * Ctrl-C) removes the staging folder, so a reader never sees half a run or a mix of two runs.
 */
export class OutputDir {
  readonly path: string;
  /** Where files go until commit(); what is written there can be read back after flush(). */
  readonly stagingPath: string;
  private readonly streams: WriteStream[] = [];
  private writeError: Error | null = null;

  private constructor(path: string, stagingPath: string) {
    this.path = path;
    this.stagingPath = stagingPath;
  }

  /**
   * Refuse a non-empty folder unless `replace` is set, and even then refuse one that holds
   * anything reuse-sim does not write: an older run's files must not mix in, and --force must
   * never delete a user's own files.
   */
  static async open(path: string, replace: boolean): Promise<OutputDir> {
    const target = resolve(path);
    const existing = await stat(target).catch(() => null);
    if (existing !== null && !existing.isDirectory()) {
      throw new UserError("OUTPUT_EXISTS", `--out ${quote(path)}: is a file; expected a folder`);
    }
    const entries = existing === null ? [] : await readdir(target);
    if (entries.length > 0 && !replace) {
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quote(path)}: folder is not empty; choose a new folder or pass --force to replace an earlier run`,
      );
    }
    const foreign = entries.filter((name) => !OUTPUT_NAMES.has(name));
    if (foreign.length > 0) {
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quote(path)}: holds ${quote(foreign[0])}, which is not a reuse-sim output; --force replaces only an earlier run's folder`,
      );
    }
    await mkdir(dirname(target), { recursive: true });
    const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.partial-`));
    // mkdtemp makes a private folder; the output is an ordinary one, as mkdir would make it.
    await chmod(staging, 0o777 & ~process.umask());
    return new OutputDir(target, staging);
  }

  /** A stream to a file in the staging folder; errors surface when the run commits. */
  createStream(name: string): WriteStream {
    const stream = createWriteStream(join(this.stagingPath, name));
    stream.on("error", (error) => (this.writeError ??= error));
    this.streams.push(stream);
    return stream;
  }

  /** Write a file in the staging folder; `name` may hold a subfolder ("charts/x.svg"). */
  async writeFile(name: string, content: string | Uint8Array): Promise<void> {
    const path = join(this.stagingPath, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }

  /** Close every stream, so the staged files are complete; throws if a write failed. */
  async flush(): Promise<void> {
    await Promise.all(
      this.streams.map(async (stream) => {
        if (!stream.writableFinished && !stream.destroyed) {
          stream.end();
          await Promise.race([once(stream, "finish"), once(stream, "close")]);
        }
      }),
    );
    if (this.writeError !== null) {
      await this.abort();
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quote(this.path)}: could not write: ${this.writeError.message}`,
      );
    }
  }

  /** Flush, then replace the target folder's contents with the staged files. */
  async commit(): Promise<void> {
    await this.flush();
    await rm(this.path, { recursive: true, force: true });
    await rename(this.stagingPath, this.path);
  }

  async abort(): Promise<void> {
    for (const stream of this.streams) stream.destroy();
    await rm(this.stagingPath, { recursive: true, force: true });
  }

  /** For a signal handler, which cannot await. */
  abortSync(): void {
    for (const stream of this.streams) stream.destroy();
    rmSync(this.stagingPath, { recursive: true, force: true });
  }
}
