import { execFile } from "node:child_process";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "../../cli/main.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";

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

/** Run `reuse-sim ...args` in a process of its own, as a user would: bin/reuse-sim.js on node. */
export function cliProcess(...args: string[]): Promise<CliResult> {
  const bin = join(REPO_ROOT, "bin", "reuse-sim.js");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : error.code;
      if (typeof code !== "number") reject(error ?? new Error(`reuse-sim ${args.join(" ")}`));
      else resolve({ code, stdout, stderr });
    });
  });
}
