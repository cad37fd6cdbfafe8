/**
 * Where the library's warnings go. The engine never prints: the CLI passes a logger that writes
 * to stderr, tests pass one that records, and the default drops nothing silently only because
 * callers that care pass their own.
 */
export interface Logger {
  warn(message: string): void;
}

export class RecordingLogger implements Logger {
  readonly warnings: string[] = [];

  warn(message: string): void {
    this.warnings.push(message);
  }
}

export const silentLogger: Logger = { warn: () => {} };
