import { Writable } from "node:stream";

/** A stream that keeps what is written; `isTTY` says whether it passes for a terminal. */
export class Capture extends Writable {
  readonly isTTY: boolean;
  readonly columns = 100;
  text = "";

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** An error as Node gives one from the system: a code (ENOSPC, EPIPE) and the call that failed. */
export function systemError(code: string, syscall = "write"): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall}`), { code, syscall });
}

/**
 * A stream whose writes fail with `code` once `bytesBefore` bytes have gone through: standard
 * output on a full disk (ENOSPC) or a pipe whose reader has gone (EPIPE).
 */
export class FailingStream extends Writable {
  written = 0;
  private readonly code: string;
  private readonly bytesBefore: number;

  constructor(code: string, bytesBefore = 0) {
    super();
    this.code = code;
    this.bytesBefore = bytesBefore;
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error) => void): void {
    if (this.written + chunk.length > this.bytesBefore) return done(systemError(this.code));
    this.written += chunk.length;
    done();
  }
}
