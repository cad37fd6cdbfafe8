import { quotePath } from "../sim/errors.js";

/**
 * Every message about a file, folder or stream the CLI writes, in one place: a full disk, no
 * permission, a closed pipe. Each names where, says why in words, and what was expected.
 */
export const fileMessages = {
  cannotCreateOut: (path: string, error: unknown) =>
    `--out ${quotePath(path)}: cannot create the folder (${reasonOf(error)}); expected a folder ` +
    "that can be written",
  cannotWriteOut: (path: string, name: string, error: unknown) =>
    `--out ${quotePath(path)}: cannot write ${name} (${reasonOf(error)}), so the run was not ` +
    "saved; expected a folder that can be written, with room for the run's files",
  cannotMoveOut: (path: string, error: unknown) =>
    `--out ${quotePath(path)}: cannot move the finished run into place (${reasonOf(error)}); ` +
    "expected a folder that can be written",
  cannotRemoveEarlier: (path: string, earlier: string, error: unknown) =>
    `--out ${quotePath(path)}: the run is saved, but the earlier run's folder, moved aside to ` +
    `${quotePath(earlier)}, cannot be removed (${reasonOf(error)}); remove it by hand`,
  cannotStageReport: (dir: string, error: unknown) =>
    `${quotePath(dir)}: cannot create a folder beside it for the new report (${reasonOf(error)}); ` +
    "expected the run's folder in a folder that can be written",
  cannotWriteReport: (dir: string, name: string, error: unknown) =>
    `${quotePath(dir)}: cannot write the report's ${name} (${reasonOf(error)}), so the earlier ` +
    "report was kept; expected a folder that can be written, with room for the report",
  cannotReplaceReport: (dir: string, name: string, error: unknown) =>
    `${quotePath(dir)}: cannot put the new report's ${name} in place (${reasonOf(error)}); ` +
    "expected a folder that can be written",
  cannotWriteStdout: (error: unknown) =>
    `standard output: cannot write (${reasonOf(error)}); expected a terminal, a pipe or a ` +
    "file that can be written",
};

/** Node's system error codes, in words. */
const REASONS: Record<string, string> = {
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a part of the path is a file, not a folder",
  EISDIR: "a folder is in the way",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOENT: "a part of the path does not exist and cannot be created",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file is larger than the file system allows",
  EIO: "an input/output error on the device",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EPIPE: "the reader closed the pipe",
  ENAMETOOLONG: "a name in the path is too long",
};

/** Why a file operation failed: the words for its code, or the error's own message. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}

/**
 * True for an error from the operating system (a full disk, no permission): the environment's
 * to fix, not a bug in reuse-sim. Node gives such an error a `syscall`.
 */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const candidate = error as NodeJS.ErrnoException | null;
  return typeof candidate?.code === "string" && typeof candidate.syscall === "string";
}
