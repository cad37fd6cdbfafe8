import { once } from "node:events";
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  rmdirSync,
  type WriteStream,
} from "node:fs";
import { lstat, mkdir, readdir, realpath, rm, stat, writeFile } from "node:fs/promises";
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
 * An earlier run's folder is moved aside, not deleted, until the new one is in its place.
 */
export class OutputDir {
  readonly path: string;
  /** Where files go until commit(); what is written there can be read back after flush(). */
  readonly stagingPath: string;
  /** Where an earlier run's folder waits while commit() moves the new one in. */
  private readonly previousPath: string;
  private readonly streams: WriteStream[] = [];
  private writeError: Error | null = null;
  private isCommitted = false;
  /** The outermost parent folder open() had to create, removed again by abort(); or undefined. */
  private readonly createdParent: string | undefined;

  private constructor(path: string, stagingPath: string, createdParent: string | undefined) {
    this.path = path;
    this.stagingPath = stagingPath;
    this.previousPath = `${stagingPath}-previous`;
    this.createdParent = createdParent;
  }

  /**
   * Refuse a non-empty folder unless `replace` is set, and even then refuse one that holds
   * anything reuse-sim does not write: an older run's files must not mix in, and --force must
   * never delete a user's own files.
   */
  static async open(path: string, replace: boolean): Promise<OutputDir> {
    if (path.trim() === "") {
      throw new UserError("BAD_OPTION", `--out ${quote(path)}: expected the path of a folder`);
    }
    const target = await resolveTarget(path);
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
    const createdParent = await mkdir(dirname(target), { recursive: true }).catch((error) => {
      throw cannotCreate(path, error);
    });
    // Synchronous from here to the return, so that a Ctrl-C handler registered before open()
    // either runs before the staging folder exists or finds it in the OutputDir.
    let staging: string;
    try {
      staging = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
    } catch (error) {
      throw cannotCreate(path, error);
    }
    // mkdtemp makes a private folder; the output is an ordinary one, as mkdir would make it.
    chmodSync(staging, 0o777 & ~process.umask());
    return new OutputDir(target, staging, createdParent);
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

  /**
   * Flush, then put the staged folder in the target's place. The two renames are synchronous, so
   * no signal lands between them; only then is the earlier run's folder deleted.
   */
  async commit(): Promise<void> {
    await this.flush();

    const hasPrevious = existsSync(this.path);
    if (hasPrevious) renameSync(this.path, this.previousPath);
    try {
      renameSync(this.stagingPath, this.path);
    } catch (error) {
      if (hasPrevious) renameSync(this.previousPath, this.path);
      throw error;
    }
    this.isCommitted = true;

    await rm(this.previousPath, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    for (const stream of this.streams) stream.destroy();
    await rm(this.stagingPath, { recursive: true, force: true });
    this.removeCreatedParents();
  }

  /**
   * For a signal handler, which cannot await: drop the staged files, or, once committed, finish
   * deleting the earlier run's folder.
   */
  abortSync(): void {
    for (const stream of this.streams) stream.destroy();
    rmSync(this.isCommitted ? this.previousPath : this.stagingPath, {
      recursive: true,
      force: true,
    });
    if (!this.isCommitted) this.removeCreatedParents();
  }

  /**
   * A failed run leaves no folder behind, not even the parents open() made for it: each is
   * removed, innermost first, while it is empty (rmdir refuses one that is not).
   */
  private removeCreatedParents(): void {
    if (this.createdParent === undefined) return;
    let folder = dirname(this.stagingPath);
    for (;;) {
      try {
        rmdirSync(folder);
      } catch {
        return;
      }
      if (folder === this.createdParent) return;
      folder = dirname(folder);
    }
  }
}

/**
 * The folder to write: `path` itself, or where it points when it is a symbolic link, so that the
 * link stays a link and the run lands in its target.
 */
async function resolveTarget(path: string): Promise<string> {
  const link = await lstat(path).catch(() => null);
  if (link === null || !link.isSymbolicLink()) return resolve(path);
  return realpath(path).catch(() => {
    throw new UserError(
      "BAD_OPTION",
      `--out ${quote(path)}: is a symbolic link to nothing; expected a folder, or a link to one`,
    );
  });
}

/** A folder that cannot be made: a file in the way, no permission, a read-only disk. */
function cannotCreate(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOTDIR: "a part of the path is a file, not a folder",
    EEXIST: "a part of the path is a file, not a folder",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOENT: "a part of the path does not exist and cannot be created",
    ENOSPC: "no space left on the device",
  };
  const reason = (code !== undefined && reasons[code]) || (error as Error).message;
  return new UserError(
    "BAD_OPTION",
    `--out ${quote(path)}: cannot create the folder (${reason}); expected a folder that can be written`,
  );
}
