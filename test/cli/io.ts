import { Writable } from "node:stream";
import { main } from "../../cli/main.js";

/** A writable that keeps what is written to it. */
export class Capture extends Writable {
  text = "";

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process, as `reuse-sim ...args`. */
export async function cli(...args: string[]): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(["node", "reuse-sim", ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
