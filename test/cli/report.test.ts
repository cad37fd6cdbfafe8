import { expect } from "chai";
import { execFile } from "node:child_process";
import { chmod, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

import { main } from "../../cli/main.js";
import { reportCommand } from "../../cli/report.js";
import { runScenario } from "../../cli/run.js";
import { RecordingLogger } from "../../sim/logger.js";
import { poolAndBaseline, removeSavedRuns, saveRun, wholeSeconds } from "../reports/fixture.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";
import { Capture } from "./capture.js";
import { listFiles, readAll } from "./files.js";

/**
 * `reuse-sim ...args` in a process of its own, as a user without root's rights: root may write
 * where permissions say no one can. Null when the system will not run it so.
 */
function cliAsUser(...args: string[]): Promise<{ code: number; stderr: string } | null> {
  const isRoot = process.getuid?.() === 0;
  const user = isRoot ? { uid: 65534, gid: 65534 } : {};
  const bin = join(REPO_ROOT, "bin", "reuse-sim.js");
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], user, (error, _stdout, stderr) => {
      const code = error === null ? 0 : error.code;
      resolve(typeof code === "number" ? { code, stderr } : null);
    });
  });
}

describe("cli/run --report and cli/report", () => {
  after(removeSavedRuns);

  it("runScenario(s, {out, report}) writes the run's files, the pages and NAME.vl.json/svg/png per chart", async () => {
    const { dir } = await saveRun(poolAndBaseline);
    const charts = ["cold-starts", "comparison", "cost", "replicas", "wait-cdf"];

    expect(await listFiles(dir)).to.deep.equal(
      [
        ...charts.flatMap((name) =>
          ["png", "svg", "vl.json"].map((ext) => `charts/${name}.${ext}`),
        ),
        "report.html",
        "report.md",
        "scenario.json",
        "summary.json",
        "tasks.csv",
        "timeline.csv",
      ].sort(),
    );
  });

  it("runScenario(s, {out}) without --report saves scenario.json but draws nothing", async () => {
    // Beside a saved run, so that run's cleanup removes it too.
    const { dir } = await saveRun(wholeSeconds);
    const plain = join(dir, "..", "plain");
    await runScenario(
      wholeSeconds,
      { out: plain, quiet: true },
      { stdout: new Capture(), stderr: new Capture(), logger: new RecordingLogger() },
    );

    expect(await listFiles(plain)).to.deep.equal([
      "scenario.json",
      "summary.json",
      "tasks.csv",
      "timeline.csv",
    ]);
    const scenario = JSON.parse(await readFile(join(plain, "scenario.json"), "utf8"));
    expect(scenario).to.include({
      name: "whole-seconds",
      horizonSeconds: null,
      timelineStepSeconds: 1,
    });
  });

  it("reportCommand(dir) draws again from the saved files alone: the same bytes as the run wrote", async () => {
    const { dir } = await saveRun(poolAndBaseline);
    const written = await readAll(dir);
    await rm(join(dir, "charts"), { recursive: true });
    await rm(join(dir, "report.html"));
    const stdout = new Capture();

    await reportCommand(dir, {}, { stdout, logger: new RecordingLogger() });

    const drawn = await readAll(dir);
    expect([...drawn.keys()]).to.deep.equal([...written.keys()]);
    for (const [path, bytes] of written)
      expect(drawn.get(path)?.equals(bytes), path).to.equal(true);
    expect(stdout.text).to.equal(`report: ${join(dir, "report.html")}\n`);
  });

  it("reuse-sim report DIR replaces an earlier report and exits 0", async () => {
    const { dir } = await saveRun(wholeSeconds);
    await writeFile(join(dir, "charts", "stale.svg"), "<svg/>");
    const stdout = new Capture();
    const stderr = new Capture();

    const code = await main(["node", "reuse-sim", "report", dir, "--quiet"], { stdout, stderr });

    expect([code, stdout.text, stderr.text]).to.deep.equal([0, "", ""]);
    const charts = (await listFiles(dir)).filter((path) => path.startsWith("charts/"));
    expect(charts).to.not.include("charts/stale.svg");
    expect(charts).to.have.length(12);
  });

  it("reuse-sim report DIR on a folder that is not a run says what it expected (exit 2)", async () => {
    const { dir } = await saveRun(wholeSeconds);
    await rm(join(dir, "scenario.json"));
    const stderr = new Capture();

    const code = await main(["node", "reuse-sim", "report", dir], {
      stdout: new Capture(),
      stderr,
    });

    expect(code).to.equal(2);
    expect(stderr.text).to.include(
      "scenario.json: cannot read it; expected the folder of a run saved by reuse-sim run --out",
    );
  });

  it("reuse-sim report FILE, or a folder that does not exist, says which (exit 2)", async () => {
    const { dir } = await saveRun(wholeSeconds);
    for (const [path, words] of [
      [join(dir, "summary.json"), "is a file, not a folder"],
      [join(dir, "nowhere"), "no such folder"],
    ]) {
      const stderr = new Capture();
      const code = await main(["node", "reuse-sim", "report", path], {
        stdout: new Capture(),
        stderr,
      });
      expect(code).to.equal(2);
      expect(stderr.text).to.include(`${words}; expected the folder of a run`);
    }
  });

  it("reuse-sim report DIR on a timeline.csv without the count columns asks for a new run", async () => {
    const { dir } = await saveRun(wholeSeconds);
    const timeline = await readFile(join(dir, "timeline.csv"), "utf8");
    await writeFile(join(dir, "timeline.csv"), timeline.replace(",replicaStarts,envCreations", ""));
    const stderr = new Capture();

    expect(
      await main(["node", "reuse-sim", "report", dir], { stdout: new Capture(), stderr }),
    ).to.equal(2);
    expect(stderr.text).to.match(/timeline\.csv:1: missing column "replicaStarts".*run it again/);
  });

  it("reuse-sim run SCENARIO --report without --out is a usage error (exit 2)", async () => {
    const stderr = new Capture();

    const code = await main(["node", "reuse-sim", "run", "any.yaml", "--report"], {
      stdout: new Capture(),
      stderr,
    });

    expect(code).to.equal(2);
    expect(stderr.text).to.include("--report needs --out <dir>");
  });

  for (const [flag, words] of [
    ["--force", "--force needs --out <dir>"],
    ["--no-tasks", "--no-tasks needs --out <dir>"],
  ]) {
    it(`reuse-sim run SCENARIO ${flag} without --out is a usage error (exit 2)`, async () => {
      const stderr = new Capture();
      const code = await main(["node", "reuse-sim", "run", "any.yaml", flag], {
        stdout: new Capture(),
        stderr,
      });
      expect(code).to.equal(2);
      expect(stderr.text).to.include(words);
    });
  }

  it("reuse-sim report DIR whose parent folder cannot be written exits 2 with one line naming DIR", async function () {
    const { dir } = await saveRun(wholeSeconds, { report: false });
    const parent = dirname(dir);
    await chmod(parent, 0o555);
    try {
      const result = await cliAsUser("report", dir);
      if (result === null) this.skip();

      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.equal(
        `reuse-sim: error: ${JSON.stringify(dir)}: cannot create a folder beside it for the new report (permission denied); expected the run's folder in a folder that can be written\n`,
      );
      expect(await readdir(parent)).to.deep.equal([basename(dir)]);
    } finally {
      await chmod(parent, 0o755);
    }
  });

  it("reuse-sim report DIR that cannot be written exits 2 with one line, and leaves no staging folder", async function () {
    const { dir } = await saveRun(wholeSeconds, { report: false });
    const parent = dirname(dir);
    await chmod(parent, 0o777);
    await chmod(dir, 0o555);
    try {
      const result = await cliAsUser("report", dir);
      if (result === null) this.skip();

      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.equal(
        `reuse-sim: error: ${JSON.stringify(dir)}: cannot put the new report's charts in place (permission denied); expected a folder that can be written\n`,
      );
      expect(await readdir(parent)).to.deep.equal([basename(dir)]);
    } finally {
      await chmod(dir, 0o755);
      await chmod(parent, 0o755);
    }
  });

  it("reuse-sim report DIR whose report's folder cannot be made (a name too long) exits 2 with one line", async () => {
    const { dir } = await saveRun(wholeSeconds, { report: false });
    // The longest name a folder may have: the report's folder beside it, a few letters longer, may not.
    const longest = join(dirname(dir), "r".repeat(255));
    await rename(dir, longest);
    const stderr = new Capture();

    const code = await main(["node", "reuse-sim", "report", longest], {
      stdout: new Capture(),
      stderr,
    });

    expect(code).to.equal(2);
    expect(stderr.text).to.match(
      /^reuse-sim: error: "[^"]*\/r{255}": cannot create a folder beside it for the new report \(a name in the path is too long\); expected [^\n]*\n$/,
    );
    expect(await readdir(dirname(longest))).to.deep.equal([basename(longest)]);
  });
});
