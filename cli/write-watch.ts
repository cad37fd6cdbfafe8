import { setImmediate as nextTurn } from "node:timers/promises";

/** What a watched stream may tell about itself: Node's own streams have all of these. */
type Watched = NodeJS.WritableStream & {
  writableLength?: number;
  writableEnded?: boolean;
  destroyed?: boolean;
};

/**
 * Keeps the first error of a stream the CLI writes to (standard output on a full disk, a pipe
 * whose reader has gone), which Node would otherwise throw as an unhandled 'error' event with a
 * stack trace, so that the CLI can report it as one line instead.
 */
export class WriteWatch {
  /** The first write that failed, or null. */
  error: NodeJS.ErrnoException | null = null;
  private readonly stream: Watched;
  private readonly record = (error: NodeJS.ErrnoException): void => {
    this.error ??= error;
  };

  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream;
    stream.on("error", this.record);
  }

  /**
   * Wait until what was written has gone out or failed: a pipe to a slow reader may still hold
   * some, and a write reports its error a turn later.
   */
  async settle(): Promise<void> {
    const stream = this.stream;
    const isOpen = stream.destroyed !== true && stream.writableEnded !== true;
    if (this.error === null && isOpen && (stream.writableLength ?? 0) > 0) {
      // Writes complete in order: this one's callback comes when all before it are done.
      await new Promise<void>((done) => stream.write("", () => done()));
    }
    await nextTurn();
  }

  /** Stop watching: the stream's errors are again its own. */
  stop(): void {
    this.stream.removeListener("error", this.record);
  }
}
