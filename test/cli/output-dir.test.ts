import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { expect } from "chai";
import type { FileWriter } from "../../cli/output-dir.js";
import { runScenario } from "../../cli/run.js";
import { isUserError } from "../../sim/errors.js";
import { RecordingLogger } from "../../sim/logger.js";
import { wholeSeconds } from "../reports/fixture.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";
import { Capture, FailingStream, systemError } from "./capture.js";
import { cli } from "./io.js";

// The output folder is written whole or not at all: an error or Ctrl-C leaves nothing, and an
// earlier run's folder is replaced only by a run that succeeded.

/** A day of 200 tasks a second: tens of seconds with tasks.csv, far longer than the test waits. */
const LONG_SCENARIO = `horizon: 1d
environments:
  api:
    policy: {replicas: [1, 50], idle_ttl: 2m, concurrency: 4}
workloads:
  - env: api
    async: true
    arrivals: {process: poisson, rate: 200}
    duration: {dist: exponential, mean: 500ms}
`;

const SHORT_SCENARIO = `environments:
  api: {policy: none}
workloads:
  - trace: {path: trace.csv, format: tasks}
    env: api
`;

let folder: string;

/** Node's own file writing, but every write to `name` fails with `code` (ENOSPC: a full disk). */
function failingFor(name: string, code: string, bytesBefore = 0): FileWriter {
  const isNamed = (path: string): boolean => path.endsWith(`/${name}`);
  return {
    createWriteStream: (path) =>
      isNamed(path) ? new FailingStream(code, bytesBefore) : createWriteStream(path),
    writeFile: async (path, content) => {
      if (isNamed(path)) throw systemError(code, "open");
      await writeFile(path, content);
    },
  };
}

/** The names in the test's folder that belong to the output folder `name` or its staging. */
function outputsNamed(name: string): string[] {
  return readdirSync(folder).filter((entry) => entry === name || entry.startsWith(`.${name}.`));
}

/** Poll until `find` gives a value, or fail after `timeoutMs`. */
async function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("cli/output-dir", function () {
  this.timeout(60_000);
  let child: ChildProcess | null = null;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "reuse-sim-output-dir-"));
  });

  afterEach(() => {
    // A failed assertion must not leave the long run going.
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill();
    child = null;
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const stops: [string[], NodeJS.Signals, number, string][] = [
    [[], "SIGINT", 130, "Ctrl-C"],
    [["--no-tasks"], "SIGINT", 130, "Ctrl-C"],
    [[], "SIGTERM", 143, "a kill (SIGTERM)"],
  ];
  for (const [flags, stopSignal, exitCode, how] of stops) {
    const name = ["reuse-sim run --out DIR", ...flags].join(" ");
    it(`${name}, stopped by ${how} mid-run, exits ${exitCode} at once and leaves neither DIR nor its staging folder`, async () => {
      const scenario = join(folder, "long.yaml");
      writeFileSync(scenario, LONG_SCENARIO);
      const out = join(folder, `interrupted${flags.join("")}${stopSignal}`);
      const bin = join(REPO_ROOT, "bin", "reuse-sim.js");
      const args = [bin, "run", scenario, "--out", out, "--quiet", ...flags];
      const running = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      child = running;
      let stderr = "";
      running.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(running, "exit");

      // Mid-run: the staging folder holds part of the run's files.
      const outName = basename(out);
      await waitFor(
        () => {
          const staging = outputsNamed(outName).find((entry) => entry.includes(".partial-"));
          if (staging === undefined) return undefined;
          const sizes = readdirSync(join(folder, staging)).map(
            (file) => statSync(join(folder, staging, file)).size,
          );
          return sizes.some((size) => size > 0) ? staging : undefined;
        },
        10_000,
        "the staging folder to fill",
      );
      const signalledAt = Date.now();
      running.kill(stopSignal);
      const [code, signal] = await exited;

      expect({ code, signal }, stderr).to.deep.equal({ code: exitCode, signal: null });
      // The whole run takes tens of seconds; Ctrl-C must not wait for it.
      expect(Date.now() - signalledAt).to.be.below(5_000);
      expect(outputsNamed(outName)).to.deep.equal([]);
    });
  }

  it("reuse-sim run --out DIR --force that fails leaves the earlier run's DIR as it was", async () => {
    const scenario = join(folder, "short.yaml");
    writeFileSync(scenario, SHORT_SCENARIO);
    const trace = join(folder, "trace.csv");
    const out = join(folder, "earlier");
    writeFileSync(trace, "arrival,duration\n0,1\n5,2\n");
    expect((await cli("run", scenario, "--out", out, "--quiet")).code).to.equal(0);
    const earlier = Object.fromEntries(
      readdirSync(out).map((name) => [name, readFileSync(join(out, name), "utf8")]),
    );

    // The same scenario, now with a bad row far enough in that the run has begun writing.
    const rows = Array.from({ length: 10_000 }, (_, index) => `${index / 10},1`);
    writeFileSync(trace, ["arrival,duration", ...rows, "1000,abc"].join("\n"));
    const failed = await cli("run", scenario, "--out", out, "--force", "--quiet");

    expect(failed.code, failed.stderr).to.equal(2);
    expect(failed.stderr).to.include('trace.csv:10002:2: "abc" in column 2 (duration)');
    const now = Object.fromEntries(
      readdirSync(out).map((name) => [name, readFileSync(join(out, name), "utf8")]),
    );
    expect(now).to.deep.equal(earlier);
    expect(outputsNamed("earlier")).to.deep.equal(["earlier"]);
  });

  it("reuse-sim run --out A/B/DIR that fails removes the folders it made for DIR, and only those", async () => {
    const place = join(folder, "parents");
    mkdirSync(join(place, "kept"), { recursive: true });
    writeFileSync(join(place, "scenario.yaml"), SHORT_SCENARIO);
    const rows = Array.from({ length: 10_000 }, (_, index) => `${index / 10},1`);
    writeFileSync(join(place, "trace.csv"), ["arrival,duration", ...rows, "1000,abc"].join("\n"));

    const made = await cli("run", join(place, "scenario.yaml"), "--out", join(place, "a/b/out"));
    const inKept = await cli(
      "run",
      join(place, "scenario.yaml"),
      "--out",
      join(place, "kept/c/out"),
    );

    for (const failed of [made, inKept]) expect(failed.code, failed.stderr).to.equal(2);
    // "a" and "kept/c" were made for the run and went with it; "kept" was there before.
    expect(readdirSync(place).sort()).to.deep.equal(["kept", "scenario.yaml", "trace.csv"]);
    expect(readdirSync(join(place, "kept"))).to.deep.equal([]);
  });

  it("reuse-sim run --out DIR --force that succeeds replaces the earlier run's files, none mixed in", async () => {
    const scenario = join(folder, "replaced.yaml");
    writeFileSync(scenario, SHORT_SCENARIO);
    writeFileSync(join(folder, "trace.csv"), "arrival,duration\n0,1\n");
    const out = join(folder, "replaced");
    expect((await cli("run", scenario, "--out", out, "--quiet")).code).to.equal(0);

    // The earlier run wrote tasks.csv; this one does not, so none may be left.
    const again = await cli("run", scenario, "--out", out, "--force", "--no-tasks", "--quiet");

    expect(again.code, again.stderr).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal([
      "scenario.json",
      "summary.json",
      "timeline.csv",
    ]);
    expect(outputsNamed("replaced")).to.deep.equal(["replaced"]);
  });

  it("reuse-sim run --out PATH under a file, or empty, is a one-line user error that names it", async () => {
    const scenario = join(folder, "paths.yaml");
    writeFileSync(scenario, SHORT_SCENARIO);
    writeFileSync(join(folder, "trace.csv"), "arrival,duration\n0,1\n");
    const file = join(folder, "a-file");
    writeFileSync(file, "not a folder");

    const under = await cli("run", scenario, "--out", join(file, "sub"), "--quiet");
    expect(under.code).to.equal(2);
    expect(under.stderr).to.match(
      /^reuse-sim: error: --out ".*a-file\/sub": cannot create the folder \(a part of the path is a file, not a folder\); expected/,
    );
    expect(under.stderr.trim().split("\n")).to.have.length(1);

    const empty = await cli("run", scenario, "--out", "", "--quiet");
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.include('--out "": expected the path of a folder');
  });

  it("reuse-sim run --out LINK writes into the folder the link points to and keeps the link", async () => {
    const scenario = join(folder, "linked.yaml");
    writeFileSync(scenario, SHORT_SCENARIO);
    writeFileSync(join(folder, "trace.csv"), "arrival,duration\n0,1\n");
    const target = join(folder, "link-target");
    mkdirSync(target);
    const link = join(folder, "link");
    symlinkSync(target, link);

    const result = await cli("run", scenario, "--out", link, "--quiet");
    expect(result.code, result.stderr).to.equal(0);
    expect(lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(readdirSync(target)).to.include("summary.json");
  });

  const failedWrites: [name: string, code: string, reason: string, report: boolean][] = [
    ["tasks.csv", "ENOSPC", "no space left on the device", false],
    ["timeline.csv", "ENOSPC", "no space left on the device", false],
    ["summary.json", "ENOSPC", "no space left on the device", false],
    ["scenario.json", "EDQUOT", "the disk quota is used up", false],
    ["charts/cost.svg", "ENOSPC", "no space left on the device", true],
    ["report.html", "EIO", "an input/output error on the device", true],
  ];
  for (const [name, code, reason, report] of failedWrites) {
    it(`runScenario(s, {out${report ? ", report" : ""}}) whose ${name} fails (${code}) is a one-line user error naming it, and leaves nothing`, async () => {
      const out = join(folder, `failed-${name.replace("/", "-")}`);
      const io = {
        stdout: new Capture(),
        stderr: new Capture(),
        logger: new RecordingLogger(),
        fileWriter: failingFor(name, code),
      };

      const error = await runScenario(wholeSeconds, { out, report, quiet: true }, io).then(
        () => expect.fail("expected the run to fail"),
        (rejection: unknown) => rejection,
      );

      expect(isUserError(error), String(error)).to.equal(true);
      expect((error as Error).message).to.equal(
        `--out ${JSON.stringify(out)}: cannot write ${name} (${reason}), so the run was not saved; expected a folder that can be written, with room for the run's files`,
      );
      expect(outputsNamed(basename(out))).to.deep.equal([]);
    });
  }

  it("runScenario(s, {out}) whose tasks.csv fills the disk mid-run gives the same error", async () => {
    const out = join(folder, "full-mid-run");
    const io = {
      stdout: new Capture(),
      stderr: new Capture(),
      logger: new RecordingLogger(),
      fileWriter: failingFor("tasks.csv", "ENOSPC", 100),
    };

    const error = await runScenario(wholeSeconds, { out, quiet: true }, io).catch(
      (rejection: unknown) => rejection,
    );

    expect((error as Error).message).to.match(/cannot write tasks\.csv \(no space left/);
    expect(outputsNamed(basename(out))).to.deep.equal([]);
  });
});
