import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";

import { main } from "../../cli/main.js";
import { WriteWatch } from "../../cli/write-watch.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";
import { Capture, FailingStream } from "./capture.js";

const STEADY_API = join(REPO_ROOT, "scenarios", "steady-api.yaml");
const BIN = join(REPO_ROOT, "bin", "reuse-sim.js");

/** `reuse-sim ...args` in this process, its standard output failing with `code`. */
async function cliFailingStdout(code: string, ...args: string[]) {
  const stderr = new Capture();
  const exitCode = await main(["node", "reuse-sim", ...args], {
    stdout: new FailingStream(code),
    stderr,
  });
  return { code: exitCode, stderr: stderr.text };
}

/** `reuse-sim ...args` in a process of its own, with `stdout` as its standard output. */
async function cliProcessTo(stdout: number | "pipe", ...args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", stdout, "pipe"] });
  // The reader goes before the first line: every write finds the pipe closed (EPIPE).
  child.stdout?.destroy();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, "exit");
  return { code: code as number, stderr };
}

describe("cli/write-watch", function () {
  this.timeout(20_000);

  it("WriteWatch(stream) keeps the stream's first error instead of letting it throw", async () => {
    const stream = new FailingStream("ENOSPC");
    const watch = new WriteWatch(stream);

    stream.write("a");
    stream.write("b");
    await watch.settle();
    watch.stop();

    expect(watch.error?.code).to.equal("ENOSPC");
    expect(stream.listenerCount("error")).to.equal(0);
  });

  it("WriteWatch(stream).settle() waits for what a slow stream still holds", async () => {
    const stream = new Capture();
    const watch = new WriteWatch(stream);

    stream.cork();
    stream.write("held");
    setTimeout(() => stream.uncork(), 20);
    await watch.settle();
    watch.stop();

    expect([watch.error, stream.text]).to.deep.equal([null, "held"]);
  });

  it("main(run) with standard output on a full disk exits 2 with one line that says so", async () => {
    const result = await cliFailingStdout("ENOSPC", "run", STEADY_API);

    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      "reuse-sim: error: standard output: cannot write (no space left on the device); expected a terminal, a pipe or a file that can be written\n",
    );
  });

  it("main(lint --json) with standard output on a full disk exits 2 with the same line", async () => {
    const result = await cliFailingStdout("ENOSPC", "lint", STEADY_API, "--json");

    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^reuse-sim: error: standard output: cannot write \(no space/);
    expect(result.stderr.trim().split("\n")).to.have.length(1);
  });

  it("main(run) whose reader closed the pipe (| head) exits 2 and prints nothing", async () => {
    expect(await cliFailingStdout("EPIPE", "run", STEADY_API)).to.deep.equal({
      code: 2,
      stderr: "",
    });
  });

  it("main(run) with standard error failing too still exits 2, and throws nothing", async () => {
    const code = await main(["node", "reuse-sim", "run", STEADY_API], {
      stdout: new FailingStream("ENOSPC"),
      stderr: new FailingStream("ENOSPC"),
    });

    expect(code).to.equal(2);
  });

  it("main(run) with an error of its own reports that one, not the standard output's", async () => {
    const result = await cliFailingStdout("ENOSPC", "run", join(REPO_ROOT, "no-such.yaml"));

    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^reuse-sim: error: .*no-such\.yaml: no such file/);
    expect(result.stderr.trim().split("\n")).to.have.length(1);
  });

  it("reuse-sim run SCENARIO > /dev/full exits 2 with one line and no stack trace", async function () {
    if (!existsSync("/dev/full")) this.skip();
    const full = openSync("/dev/full", "w");
    try {
      const result = await cliProcessTo(full, "run", STEADY_API);

      expect(result.code).to.equal(2);
      expect(result.stderr).to.match(
        /^reuse-sim: error: standard output: cannot write \(no space left on the device\); expected [^\n]*\n$/,
      );
    } finally {
      closeSync(full);
    }
  });

  it("reuse-sim run SCENARIO | (a reader that has gone) exits 2 and prints nothing", async () => {
    expect(await cliProcessTo("pipe", "run", STEADY_API)).to.deep.equal({ code: 2, stderr: "" });
  });
});
