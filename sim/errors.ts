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

/** Quote a user's value the way every message does: JSON where it can, String() otherwise. */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

const MAX_SHOWN_CHARS = 60;

/** A user's value quoted for a message, cut short if long, so that the message stays a line. */
export function show(value: unknown): string {
  const text = quote(value);
  return text.length <= MAX_SHOWN_CHARS ? text : `${text.slice(0, MAX_SHOWN_CHARS - 3)}...`;
}
