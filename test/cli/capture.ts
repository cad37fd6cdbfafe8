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
