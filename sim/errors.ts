/**
 * The one error type a user sees. Anything thrown as a UserError is the user's to fix (a bad
 * scenario, a bad trace, a bad flag); the CLI prints its message on one line and exits with 2.
 * Anything else is a bug in reuse-sim and keeps its stack trace.
 */
export type ErrorCode =
  | "BAD_POLICY"
  | "BAD_DURATION"
  | "BAD_DISTRIBUTION"
  | "BAD_SCENARIO"
  | "BAD_TRACE"
  | "BAD_OPTION"
  | "FILE_NOT_FOUND"
  | "OUTPUT_EXISTS"
  | "CANNOT_WRITE"
  | "BAD_RUN"
  | "OVERLOADED";

export class UserError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "UserError";
    this.code = code;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/**
 * Values longer than this (characters of a string, or of the JSON of anything else) are cut in
 * a message, so that a 200 MB cell still gives a one-line error. Long enough for the 64-digit
 * function hashes of the Azure traces to be shown whole, as a user searches for them.
 */
const MAX_QUOTED_CHARS = 80;

/** What is kept of a value that is cut: its first characters, then its length. */
const KEPT_CHARS = 40;

/**
 * Quote a user's value the way every message does: JSON where it can, String() otherwise. A long
 * value is cut to its first characters and its length: `"abc"... (200000000 characters)`.
 */
export function quote(value: unknown): string {
  if (typeof value === "string") {
    if (value.length <= MAX_QUOTED_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(head(value))}... (${value.length} characters)`;
  }
  const text = asText(value);
  return text.length <= MAX_QUOTED_CHARS ? text : `${head(text)}... (${text.length} characters)`;
}

/** Another name for quote(), which the scenario and trace messages use. */
export const show = quote;

function asText(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

/** The first KEPT_CHARS characters, one fewer rather than half of a character outside the BMP. */
function head(text: string): string {
  const code = text.charCodeAt(KEPT_CHARS - 1);
  const isHalf = code >= 0xd800 && code <= 0xdbff;
  return text.slice(0, isHalf ? KEPT_CHARS - 1 : KEPT_CHARS);
}

/** Longer than any path the system takes (PATH_MAX on Linux). */
const MAX_PATH_CHARS = 4096;

/**
 * Quote a path as quote() does, but whole however long, since its end names the file; only a
 * "path" longer than any the system takes is cut, as quote() cuts a value.
 */
export function quotePath(path: string): string {
  return path.length <= MAX_PATH_CHARS ? JSON.stringify(path) : quote(path);
}
