import { once } from "node:events";
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  rmdirSync,
} from "node:fs";
import { lstat, mkdir, readdir, realpath, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { UserError, isUserError, quote, quotePath } from "../sim/errors.js";
import { fileMessages, isSystemError } from "./file-messages.js";

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

/** How staged files are written: Node's own functions, or a test's that fail as a full disk. */
export interface FileWriter {
  createWriteStream(path: string): Writable;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
}

const NODE_FILE_WRITER: FileWriter = { createWriteStream, writeFile };

/**
 * An output folder written whole or not at all. Files are written into a staging folder beside
 * the target; commit() moves them in only when the run has succeeded, and abort() (an error or
 * Ctrl-C) removes the staging folder, so a reader never sees half a run or a mix of two runs.
 * An earlier run's folder is moved aside, not deleted, until the new one is in its place.
 */
export class OutputDir {
  readonly path: string;
  /** The folder as the user named it, for messages. */
  private readonly displayPath: string;
  /** Where files go until commit(); what is written there can be read back after flush(). */
  readonly stagingPath: string;
  /** Where an earlier run's folder waits while commit() moves the new one in. */
  private readonly previousPath: string;
  private readonly writer: FileWriter;
  private readonly streams: Writable[] = [];
  /** The first write that failed, and the file it was for. */
  private failedWrite: { name: string; error: Error } | null = null;
  private isCommitted = false;
  /** The outermost parent folder open() had to create, removed again by abort(); or undefined. */
  private readonly createdParent: string | undefined;

  private constructor(
    displayPath: string,
    path: string,
    stagingPath: string,
    createdParent: string | undefined,
    writer: FileWriter,
  ) {
    this.displayPath = displayPath;
    this.writer = writer;
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
  static async open(
    path: string,
    replace: boolean,
    writer: FileWriter = NODE_FILE_WRITER,
  ): Promise<OutputDir> {
    if (path.trim() === "") {
      throw new UserError("BAD_OPTION", `--out ${quotePath(path)}: expected the path of a folder`);
    }
    const target = await resolveTarget(path);
    const existing = await stat(target).catch(() => null);
    if (existing !== null && !existing.isDirectory()) {
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quotePath(path)}: is a file; expected a folder`,
      );
    }
    const entries = existing === null ? [] : await readdir(target);
    if (entries.length > 0 && !replace) {
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quotePath(path)}: folder is not empty; choose a new folder or pass --force to replace an earlier run`,
      );
    }
    const foreign = entries.filter((name) => !OUTPUT_NAMES.has(name));
    if (foreign.length > 0) {
      throw new UserError(
        "OUTPUT_EXISTS",
        `--out ${quotePath(path)}: holds ${quote(foreign[0])}, which is not a reuse-sim output; --force replaces only an earlier run's folder`,
      );
    }
    const createdParent = await mkdir(dirname(target), { recursive: true }).catch((error) => {
      throw new UserError("BAD_OPTION", fileMessages.cannotCreateOut(path, error));
    });
    // Synchronous from here to the return, so that a Ctrl-C handler registered before open()
    // either runs before the staging folder exists or finds it in the OutputDir.
    let staging: string;
    try {
      staging = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
    } catch (error) {
      throw new UserError("BAD_OPTION", fileMessages.cannotCreateOut(path, error));
    }
    // mkdtemp makes a private folder; the output is an ordinary one, as mkdir would make it.
    chmodSync(staging, 0o777 & ~process.umask());
    return new OutputDir(path, target, staging, createdParent, writer);
  }

  /**
   * A stream to a file in the staging folder; an error (a full disk) surfaces from
   * throwIfWriteFailed(), flush() or commit().
   */
  createStream(name: string): Writable {
    const stream = this.writer.createWriteStream(join(this.stagingPath, name));
    stream.on("error", (error) => (this.failedWrite ??= { name, error }));
    this.streams.push(stream);
    return stream;
  }

  /** Write a file in the staging folder; `name` may hold a subfolder ("charts/x.svg"). */
  async writeFile(name: string, content: string | Uint8Array): Promise<void> {
    const path = join(this.stagingPath, name);
    try {
      await mkdir(dirname(path), { recursive: true });
      await this.writer.writeFile(path, content);
    } catch (error) {
      throw this.writeFailed(name, error);
    }
  }

  /** Throw the user's error for a stream's write that failed, if one has; else nothing. */
  throwIfWriteFailed(): void {
    if (this.failedWrite !== null) {
      throw this.writeFailed(this.failedWrite.name, this.failedWrite.error);
    }
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
    if (this.failedWrite !== null) {
      await this.abort();
      this.throwIfWriteFailed();
    }
  }

  /**
   * Flush, then put the staged folder in the target's place. The two renames are synchronous, so
   * no signal lands between them; only then is the earlier run's folder deleted.
   */
  async commit(): Promise<void> {
    await this.flush();

    const hasPrevious = existsSync(this.path);
    try {
      if (hasPrevious) renameSync(this.path, this.previousPath);
      try {
        renameSync(this.stagingPath, this.path);
      } catch (error) {
        if (hasPrevious) renameSync(this.previousPath, this.path);
        throw error;
      }
    } catch (error) {
      throw isSystemError(error)
        ? new UserError("CANNOT_WRITE", fileMessages.cannotMoveOut(this.displayPath, error))
        : error;
    }
    this.isCommitted = true;

    await rm(this.previousPath, { recursive: true, force: true }).catch((error) => {
      throw new UserError(
        "CANNOT_WRITE",
        fileMessages.cannotRemoveEarlier(this.displayPath, this.previousPath, error),
      );
    });
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
   * The error to report for `error`, which ended the run: a user's error stays; anything else,
   * when a file's write had failed (a stream of a full disk breaks its pipeline), becomes the
   * user's error that names the file.
   */
  explain(error: unknown): unknown {
    if (isUserError(error) || this.failedWrite === null) return error;
    return this.writeFailed(this.failedWrite.name, this.failedWrite.error);
  }

  /** The user's error for a write that failed for the environment's reasons; a bug stays as is. */
  private writeFailed(name: string, error: unknown): unknown {
    if (!isSystemError(error)) return error;
    return new UserError(
      "CANNOT_WRITE",
      fileMessages.cannotWriteOut(this.displayPath, name, error),
    );
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
      `--out ${quotePath(path)}: is a symbolic link to nothing; expected a folder, or a link to one`,
    );
  });
}
